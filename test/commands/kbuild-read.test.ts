/**
 * `lockscope analyze DIR` reads DIR's build as kbuild does: a driver drop with both a Kbuild and
 * a standalone Makefile is built by the Kbuild alone (the Makefile's `-DBIG_GPU=1` reaches no
 * kernel build), and what the Kbuild `include`s (`$(src)/Kbuild-env`) names objects and passes
 * flags as if written in it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CORE = [
  'static DEFINE_SPINLOCK(group_lock);',
  'static void group_lock_all(void)',
  '{',
  '\tspin_lock(&group_lock);',
  '}',
  'int group_start(void)',
  '{',
  '\tspin_lock(&group_lock);',
  '#if defined(BIG_GPU)',
  '\tgroup_lock_all();',
  '#endif',
  '\tspin_unlock(&group_lock);',
  '\treturn 0;',
  '}',
  'EXPORT_SYMBOL(group_start);',
  '',
].join('\n');

const EXTRA = [
  'static DEFINE_MUTEX(job_lock);',
  'int job_wait(int bad)',
  '{',
  '\tmutex_lock(&job_lock);',
  '#ifndef WITH_TIMEOUT',
  '\tif (bad)',
  '\t\treturn -1;',
  '#endif',
  '\tmutex_unlock(&job_lock);',
  '\treturn 0;',
  '}',
  'EXPORT_SYMBOL(job_wait);',
  'int job_poll(int bad)',
  '{',
  '\tmutex_lock(&job_lock);',
  '\tif (bad)',
  '\t\treturn -1;',
  '\tmutex_unlock(&job_lock);',
  '\treturn 0;',
  '}',
  'EXPORT_SYMBOL(job_poll);',
  '',
].join('\n');

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-kbuild-'));
  dirs.push(dir);
  const gpu = join(dir, 'drivers/gpu');
  mkdirSync(gpu, { recursive: true });
  mkdirSync(join(dir, 'include/linux'), { recursive: true });
  mkdirSync(join(dir, 'arch/arm'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'VERSION = 3\nPATCHLEVEL = 4\nobj-y += drivers/\n');
  writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\n');
  writeFileSync(join(dir, 'drivers/Makefile'), 'obj-y += gpu/\n');
  // The standalone module build: never read by kbuild, which takes the Kbuild beside it.
  writeFileSync(join(gpu, 'Makefile'), 'export EXTRA_DEFINES += -DBIG_GPU=1\nobj-m := gpu.o\ngpu-y := core.o\nall:\n\t$(MAKE) -C $(KDIR) M=$(CURDIR) modules\n');
  writeFileSync(join(gpu, 'Kbuild'), 'DRIVER_DIR=$(src)\ninclude $(DRIVER_DIR)/Kbuild-env\nobj-y := gpu.o\ngpu-y += core.o\nccflags-y += $(EXTRA_DEFINES)\n');
  writeFileSync(join(gpu, 'Kbuild-env'), 'gpu-y += extra.o\nccflags-y += -DWITH_TIMEOUT\n');
  writeFileSync(join(gpu, 'core.c'), CORE);
  writeFileSync(join(gpu, 'extra.c'), EXTRA);
  return gpu;
}

describe('a directory’s build read as kbuild reads it', () => {
  it('takes the Kbuild over the Makefile beside it, with the files its includes name and the flags they pass', async () => {
    const r = await cli(['analyze', '--no-cache', '--format', 'json', tree()], { env: { HOME: tmpdir() } });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { findings: { kind: string; function?: string; locks: string[] }[]; skipped: { file: string; reason: string }[] };
    // BIG_GPU only in the Makefile: no recursive group_lock. extra.o only in the included file: built,
    // and WITH_TIMEOUT passed there: only job_poll leaks.
    expect(json.findings.map((f) => `${f.kind} ${f.locks.join(',')} ${f.function ?? ''}`.trim())).toEqual(['lock-leak job_lock job_poll']);
    expect(json.skipped.filter((s) => s.reason.startsWith('not built'))).toEqual([]);
  });
});
