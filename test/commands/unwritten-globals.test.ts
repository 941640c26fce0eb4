/**
 * A variable no build writes: `lockscope analyze drivers/x` in a kernel tree, where a driver's
 * mode flag (`unsigned int fw_on_load = 1;`, not static, declared `extern` in the driver's header) is
 * stored only under a switch nothing
 * in the tree defines. No file outside the driver mentions it, so it keeps its initial value and
 * the firmware is never powered off under the interface lock (analyzers/c/unwritten-globals.ts).
 * A board file elsewhere in the tree that sets it brings the inversion back.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { treeInversions } from './tree-inversions.ts';

const DRIVER = [
  'static DEFINE_MUTEX(net_if_lock);',
  'static DEFINE_MUTEX(fw_lock);',
  'unsigned int fw_on_load = 1;',
  'void drv_set_mode(void)',
  '{',
  '#ifdef FW_LOAD_ON_OPEN',
  '\tfw_on_load = 0;',
  '#endif',
  '}',
  'static void power_off(void)',
  '{',
  '\tmutex_lock(&fw_lock);',
  '\tmutex_unlock(&fw_lock);',
  '}',
  'int drv_stop(void)',
  '{',
  '\tmutex_lock(&net_if_lock);',
  '\tif (!fw_on_load)',
  '\t\tpower_off();',
  '\tmutex_unlock(&net_if_lock);',
  '\treturn 0;',
  '}',
  'void fw_reload(void)',
  '{',
  '\tmutex_lock(&fw_lock);',
  '\tmutex_lock(&net_if_lock);',
  '\tmutex_unlock(&net_if_lock);',
  '\tmutex_unlock(&fw_lock);',
  '}',
  'EXPORT_SYMBOL(drv_stop);',
  'EXPORT_SYMBOL(fw_reload);',
  'EXPORT_SYMBOL(drv_set_mode);',
  '',
].join('\n');

function kernelTree(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-unwritten-'));
  for (const d of ['include/linux', 'arch/arm/mach-x', 'drivers/x']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'obj-y += arch/ drivers/\n');
  writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\n');
  writeFileSync(join(dir, 'drivers/x/drv.c'), `#include "drv.h"\n${DRIVER}`);
  // The header's declaration is of the one variable, not another definition.
  writeFileSync(join(dir, 'drivers/x/drv.h'), 'extern unsigned int fw_on_load;\n');
  for (const [path, text] of Object.entries(extra)) writeFileSync(join(dir, path), text);
  return dir;
}

const inversions = (dir: string): Promise<string[]> => treeInversions(dir, 'drivers/x');

describe('variables no build writes', () => {
  it('keeps a flag nothing outside the driver mentions at its initial value', async () => {
    expect(await inversions(kernelTree())).toEqual([]);
  });

  it('does not where another file of the tree mentions the flag', async () => {
    const board = 'extern unsigned int fw_on_load;\nvoid board_init(void)\n{\n\tfw_on_load = 0;\n}\n';
    expect(await inversions(kernelTree({ 'arch/arm/mach-x/board.c': board }))).toEqual(['fw_lock <-> net_if_lock']);
  });

  it('keeps it where other files only declare it extern', async () => {
    expect(await inversions(kernelTree({ 'include/linux/x.h': '/* the driver */\nextern unsigned int fw_on_load;\nextern int x_table[4];\n' }))).toEqual([]);
  });
});
