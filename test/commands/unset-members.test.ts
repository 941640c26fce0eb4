/**
 * A member nothing sets: `lockscope analyze arch/arm/plat-x` in a kernel tree, where clocks take
 * a mutex only `if (c->cansleep)`, and the one function that sets it is dead code (a static
 * helper only a dead function and itself call). No file of
 * the tree writes `cansleep`, so the mutex is never taken (analyzers/c/unset-members.ts). A board
 * file's `.cansleep = true`, or a live setter, brings the mutex (and its inversion) back; so does
 * declaring the member `volatile` (hardware, or another CPU, writes it).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memberWrites, writtenMembers } from '../../src/analyzers/c/unset-members.ts';
import { treeInversions } from './tree-inversions.ts';

const CLOCK = [
  'struct clk { const char *name; bool cansleep; struct mutex mutex; struct mutex lock; struct clk *parent; int rate; };',
  'static struct clk osc_clk = { .name = "osc", .rate = 19200000 };',
  'struct clk pll_clk = { .name = "pll", .parent = &osc_clk };',
  'static void clk_lock(struct clk *c)',
  '{',
  '\tif (c->cansleep)',
  '\t\tmutex_lock(&c->mutex);',
  '\telse',
  '\t\tmutex_lock(&c->lock);',
  '}',
  'static void clk_unlock(struct clk *c)',
  '{',
  '\tif (c->cansleep)',
  '\t\tmutex_unlock(&c->mutex);',
  '\telse',
  '\t\tmutex_unlock(&c->lock);',
  '}',
  'int clk_get_rate(struct clk *c)',
  '{',
  '\tint rate;',
  '\tclk_lock(c);',
  '\trate = c->rate;',
  '\tif (c->parent) {',
  '\t\tclk_lock(c->parent);',
  '\t\trate += c->parent->rate;',
  '\t\tclk_unlock(c->parent);',
  '\t}',
  '\tclk_unlock(c);',
  '\treturn rate;',
  '}',
  'EXPORT_SYMBOL(clk_get_rate);',
  // Only dead code calls the setter, and it calls itself.
  'static void __clk_set_cansleep(struct clk *c)',
  '{',
  '\tif (c->parent)',
  '\t\t__clk_set_cansleep(c->parent);',
  '\tc->cansleep = true;',
  '}',
  'void clk_set_cansleep(struct clk *c)',
  '{',
  '\t__clk_set_cansleep(c);',
  '}',
  '',
].join('\n');

function kernelTree(extra: Record<string, string> = {}, clock = CLOCK): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-unset-'));
  for (const d of ['include/linux', 'arch/arm/plat-x', 'arch/arm/mach-x']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'obj-y += arch/\n');
  writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\n');
  writeFileSync(join(dir, 'arch/arm/plat-x/clock.c'), clock);
  for (const [path, text] of Object.entries(extra)) writeFileSync(join(dir, path), text);
  return dir;
}

const inversions = (dir: string): Promise<string[]> => treeInversions(dir, 'arch/arm/plat-x');

describe('members nothing sets', () => {
  it('finds the writes of a member in text, not its declaration or a read', () => {
    const p = memberWrites(['cansleep', 'flags']);
    expect([...writtenMembers('struct clk { bool cansleep; unsigned long flags; };\nif (c->cansleep && c->flags == 2) x = c->flags;', p)]).toEqual([]);
    expect([...writtenMembers('static struct clk a = { .cansleep = true };', p)]).toEqual(['cansleep']);
    expect([...writtenMembers('c->flags |= 4;', p)]).toEqual(['flags']);
    expect([...writtenMembers('set_bit(1, &dev->clk.flags);', p)]).toEqual(['flags']);
    expect([...writtenMembers('++c->flags;', p)]).toEqual(['flags']);
  });

  it('a flag only dead code sets is false wherever tested: the mutex under it is never taken', async () => {
    const dir = kernelTree();
    try {
      // The lock of a clock and of its parent remain (one class: lockdep's recursion).
      expect(await inversions(dir)).toEqual(['clk.lock']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a volatile flag is written by what shares the memory (a device, another CPU), not by code alone', async () => {
    const dir = kernelTree({}, CLOCK.replace('bool cansleep;', 'bool volatile cansleep;'));
    try {
      expect(await inversions(dir)).toContain('clk.lock <-> clk.mutex');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is set when a board file initialises it, or live code sets it', async () => {
    const board = kernelTree({ 'arch/arm/mach-x/clocks.c': 'struct clk ext_clk = { .name = "ext", .cansleep = true };\n' });
    const live = kernelTree({}, `${CLOCK}void clk_init(struct clk *c) { clk_set_cansleep(c); }\nEXPORT_SYMBOL(clk_init);\n`);
    // A whole clock copied from a template the caller gives.
    const copied = kernelTree({}, `${CLOCK}void clk_clone(struct clk *c, const struct clk *t) { *c = *t; }\nEXPORT_SYMBOL(clk_clone);\n`);
    try {
      expect(await inversions(board)).toContain('clk.lock <-> clk.mutex');
      expect(await inversions(live)).toContain('clk.lock <-> clk.mutex');
      expect(await inversions(copied)).toContain('clk.lock <-> clk.mutex');
    } finally {
      for (const d of [board, live, copied]) rmSync(d, { recursive: true, force: true });
    }
  });
});
