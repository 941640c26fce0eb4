/**
 * A recursive cycle is solved round after round until no summary changes; a round redoes only the
 * functions that read a summary changed since their last analysis (a worklist, not every member
 * every round), and its specialisations outlive the round while what they read stays unchanged.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';
import { CycleReads } from '../../src/analyzers/cycle-reads.ts';

/** hub() takes hub_lock and calls every worker; each worker takes its own lock and may recurse into hub(). */
function hubAndWorkers(n: number): string {
  const lines = ['static DEFINE_MUTEX(hub_lock);', 'void hub(int depth);'];
  for (let i = 0; i < n; i++) lines.push(`static DEFINE_MUTEX(m${i});`);
  for (let i = 0; i < n; i++) lines.push(`void worker${i}(int depth) { mutex_lock(&m${i}); if (depth > 0) hub(depth - 1); mutex_unlock(&m${i}); }`);
  lines.push('void hub(int depth)', '{', '\tmutex_lock(&hub_lock);', ...Array.from({ length: n }, (_, i) => `\tworker${i}(depth);`), '\tmutex_unlock(&hub_lock);', '}');
  return `${lines.join('\n')}\n`;
}

describe('a recursive cycle', () => {
  it('redoes in a round only what read a summary that changed', async () => {
    const n = 20;
    const result = await analyzeSources([{ path: 'hub.c', text: hubAndWorkers(n) }]);
    // Every order is still found: hub_lock around each worker's lock, and each worker's lock
    // around hub_lock (the recursion): an inversion of hub_lock with each.
    const edges = new Set(result.json.edges.map((e) => `${e.from} -> ${e.to}`));
    for (let i = 0; i < n; i++) {
      expect(edges).toContain(`hub_lock -> m${i}`);
      expect(edges).toContain(`m${i} -> hub_lock`);
    }
    expect(result.json.inversions.filter((c) => c.locks.length === 2 && c.locks.includes('hub_lock'))).toHaveLength(n);
    // Three rounds of the 21 members at most: the workers are not redone in the round that only
    // confirms hub()'s summary (every member every round: 84).
    expect(result.stats.analyses).toBeLessThanOrEqual(3 * (n + 1));
  });
});

describe('CycleReads', () => {
  it('keeps an analysis fresh until something it read, or a result it reused, changes', () => {
    const reads = new CycleReads();
    reads.begin();
    reads.read(1);
    const first = reads.end();
    reads.changed(2);
    expect(reads.fresh(first)).toBe(true);
    reads.begin();
    reads.reuse(first);
    reads.read(2);
    const second = reads.end();
    expect(reads.fresh(second)).toBe(true);
    reads.changed(1);
    expect(reads.fresh(first)).toBe(false);
    // It reused `first`, computed before 1 changed: stale with it.
    expect(reads.fresh(second)).toBe(false);
  });

  it('counts a nested analysis' + "'s reads for the one around it", () => {
    const reads = new CycleReads();
    reads.begin();
    reads.begin();
    reads.read(7);
    reads.end();
    const outer = reads.end();
    expect([...outer.keys()]).toEqual([7]);
    reads.changed(7);
    expect(reads.fresh(outer)).toBe(false);
  });
});
