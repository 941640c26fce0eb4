/**
 * Ops tables stored outside the analysed directory: `lockscope analyze arch/arm/plat-x` in a
 * kernel tree reads the board files that name its tables (`.ops = &ccu_ops` in mach-x's clock
 * list), so a call through a CCU clock's `clk->ops->init` reaches only the tables CCU clocks
 * carry (analyzers/c/ops-tables.ts). Without those stores every table's `init` is a target.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const PLATFORM = [
  'struct clk;',
  'struct gen_ops { int (*init)(struct clk *c); };',
  'struct clk { const char *name; int use_cnt; struct gen_ops *ops; };',
  'struct ccu_clk { struct clk clk; spinlock_t lock; int policy; };',
  'struct bus_clk { struct clk clk; struct ccu_clk *ccu; int gate; };',
  'static int ccu_init(struct clk *c)',
  '{',
  '\tstruct ccu_clk *ccu = container_of(c, struct ccu_clk, clk);',
  '\tccu->policy = 0;',
  '\treturn 0;',
  '}',
  'static int bus_init(struct clk *c)',
  '{',
  '\tstruct bus_clk *bus = container_of(c, struct bus_clk, clk);',
  '\tspin_lock(&bus->ccu->lock);',
  '\tbus->gate = 1;',
  '\tspin_unlock(&bus->ccu->lock);',
  '\treturn 0;',
  '}',
  'struct gen_ops ccu_ops = { .init = ccu_init };',
  'struct gen_ops bus_ops = { .init = bus_init };',
  'int ccu_restore(struct ccu_clk *ccu)',
  '{',
  '\tstruct clk *clk = &ccu->clk;',
  '\tint ret = 0;',
  '\tspin_lock(&ccu->lock);',
  '\tif (clk->ops && clk->ops->init)',
  '\t\tret = clk->ops->init(clk);',
  '\tspin_unlock(&ccu->lock);',
  '\treturn ret;',
  '}',
  'EXPORT_SYMBOL(ccu_restore);',
  '',
].join('\n');

const board = (ccuTable: string): string =>
  [
    '#include <plat/clock.h>',
    `static struct ccu_clk kproc_ccu = { .clk = { .name = "kproc", .ops = &${ccuTable} } };`,
    'static struct bus_clk axi_clk = { .clk = { .name = "axi", .ops = &bus_ops }, .ccu = &kproc_ccu };',
    '',
  ].join('\n');

function kernelTree(boardFile?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-tables-'));
  for (const d of ['include/linux', 'arch/arm/plat-x/include/plat', 'arch/arm/mach-x']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'obj-y += arch/\n');
  writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\n');
  // The platform directory looks like a tree's top (Makefile, Kconfig, include/): it is not one.
  writeFileSync(join(dir, 'arch/arm/plat-x/Makefile'), 'obj-y += clock.o\n');
  writeFileSync(join(dir, 'arch/arm/plat-x/Kconfig'), 'config PLAT_X\n\tbool\n');
  writeFileSync(join(dir, 'arch/arm/plat-x/clock.c'), PLATFORM);
  if (boardFile) writeFileSync(join(dir, 'arch/arm/mach-x/clock.c'), boardFile);
  return dir;
}

async function recursions(dir: string): Promise<string[]> {
  const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'arch/arm/plat-x')], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out) as { findings: { kind: string; title: string }[] };
  return json.findings.filter((f) => f.kind === 'recursive').map((f) => f.title);
}

describe('ops tables a board file stores', () => {
  it('a CCU clock reaches only the tables board files give CCU clocks', async () => {
    const dir = kernelTree(board('ccu_ops'));
    try {
      expect(await recursions(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every table, when no file says which clocks carry them, or a board gives a CCU the bus table', async () => {
    const none = kernelTree();
    const mixed = kernelTree(board('bus_ops'));
    try {
      expect(await recursions(none)).toEqual(['possible recursive locking: ccu_clk.lock']);
      expect(await recursions(mixed)).toEqual(['possible recursive locking: ccu_clk.lock']);
    } finally {
      rmSync(none, { recursive: true, force: true });
      rmSync(mixed, { recursive: true, force: true });
    }
  });
});
