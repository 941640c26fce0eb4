/**
 * Hostile or machine-made C must not take the analysis down: a file nested tens of thousands
 * deep, binary garbage, or a single enormous line is left out or analyzed as far as it goes,
 * with the skipped part reported, and the other files of the program are still analyzed.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';

const good = { path: 'good.c', text: 'static DEFINE_SPINLOCK(a);\nstatic DEFINE_SPINLOCK(b);\nvoid ab(void) { spin_lock(&a); spin_lock(&b); spin_unlock(&b); spin_unlock(&a); }\nvoid ba(void) { spin_lock(&b); spin_lock(&a); spin_unlock(&a); spin_unlock(&b); }\n' };

describe('hostile input to the analyzer', () => {
  it('a file nested too deep is skipped with a reason, the rest is still analyzed', async () => {
    const deep = { path: 'deep.c', text: `void f(void) { int y = ${'g('.repeat(30000)}1${')'.repeat(30000)}; }\n` };
    const r = await analyzeSources([deep, good]);
    expect(r.json.skipped.find((s) => s.file === 'deep.c')?.reason).toMatch(/nesting too deep/);
    expect(r.json.inversions.map((i) => i.locks)).toEqual([['a', 'b']]);
  });

  it('binary garbage and a 2 MB single line are reported, not fatal', async () => {
    const garbage = { path: 'garbage.c', text: Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('') };
    const long = { path: 'long.c', text: `int x[] = {${'1,'.repeat(1_000_000)}};\n` };
    const r = await analyzeSources([garbage, long, good]);
    expect(r.json.files).toBe(3);
    expect(r.json.skipped.some((s) => s.file === 'garbage.c')).toBe(true);
    expect(r.json.inversions).toHaveLength(1);
  });

  // Recursive functions are analyzed in several rounds; a lock it cannot name is still one hole.
  it('an unnameable lock in a recursive function is reported once', async () => {
    const rec = { path: 'rec.c', text: 'spinlock_t *lock_for(int n);\nvoid walk(int n) { if (n) walk(n - 1); spin_lock(lock_for(n)); spin_unlock(lock_for(n)); }\n' };
    const r = await analyzeSources([rec]);
    expect(r.json.skipped.filter((s) => s.reason.startsWith('spin_lock() in walk()'))).toHaveLength(1);
    expect(r.stats.unknownLocks).toBe(2);
  });
});
