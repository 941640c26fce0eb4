/**
 * The review pipeline on the toy gizmo driver (test/fixtures/review/kinds: one file per kind of
 * locking problem, written for these tests) and on the intel-iommu example: what issue 11's
 * reporting and issue 12 need from review() itself. Edges the patch adds and removes with the
 * cycles they close, the kinds a configuration turns off, findings of every kind, the caveats
 * inside touched code, the lock table renderers name classes from, the lockdep cross-check of
 * a quoted splat, per-patch hunks of a series, and the graph around the changed edges.
 * test/support/make-review-fixtures.ts writes the renderers' fixtures from these same patches.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirTree } from '../src/diff/dir-tree.ts';
import { ALL_KINDS } from '../src/finding-kinds.ts';
import { review } from '../src/review.ts';
import type { Review, ReviewRequest } from '../src/review-types.ts';

const kinds = join(import.meta.dirname, 'fixtures/review/kinds');
const base = new DirTree(join(kinds, 'base'));
const run = (name: string, extra: Partial<ReviewRequest> = {}): Promise<Review> =>
  review({ patches: [readFileSync(join(kinds, name), 'utf8')], base, context: 'touched', ...extra });
const summary = (r: Review, k: 'added' | 'removed' | 'unchanged'): string[] => r.json.findings[k].filter((f) => f.kind !== 'inversion').map((f) => `${f.kind} ${f.locks.join(',')} ${f.function}`);

describe('review: edges the patch changes', () => {
  // A driver patch that adds one bad order: one edge, the 2-lock cycle it closes, 4 longer ones.
  it('reports the one edge a patch adds with every cycle it closes, shortest first', async () => {
    const r = await run('order-add.patch');
    expect(r.json.outcome).toBe('adds');
    expect(r.json.inversions.added).toHaveLength(5);
    expect(r.json.edges?.added).toHaveLength(1);
    const edge = r.json.edges!.added[0]!;
    expect([edge.from, edge.to]).toEqual(['gizmo_state_mutex', 'gizmo_bus_mutex']);
    expect(edge.chain.map((s) => `${s.function}:${s.line}`)).toEqual(['gizmo_state_set:60', 'gizmo_state_set:62', 'gizmo_bus_touch:13']);
    expect(edge.cycles[0]).toBe('gizmo_bus_mutex <-> gizmo_state_mutex');
    expect(edge.cycles.slice(1).every((k) => k.split(' <-> ').length === 3)).toBe(true);
    expect(r.json.edges?.removed).toEqual([]);
    expect(r.json.patches[0]?.edges).toEqual(r.json.edges);
  });

  // The intel-iommu fix: it removes device_domain_lock -> intel_iommu.lock, the edge lockdep reported.
  it('reports the edge a fix removes, named as before the patch, and cross-checks the seed splat on it', async () => {
    const r = await review({ patches: [readFileSync(join(import.meta.dirname, '../examples/intel-iommu/fix.patch'), 'utf8')], base: new DirTree(join(import.meta.dirname, '../examples/intel-iommu/base')) });
    expect(r.json.edges?.removed.map((e) => [e.from, e.to, e.cycles])).toEqual([['device_domain_lock', 'intel_iommu.lock', ['device_domain_lock <-> intel_iommu.lock']]]);
    expect(r.json.lockdep).toMatchObject({ kind: 'circular', status: 'fixed', confirmed: true, dependency: { from: 'device_domain_lock', to: 'intel_iommu.lock' }, patch: 1 });
    expect(r.json.lockdep?.evidence?.[0]?.label).toBe('device_domain_lock -> intel_iommu.lock');
    // The lock table lets renderers print &iommu->lock, as lockdep does.
    expect(r.locks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'intel_iommu.lock', seenAs: ['&iommu->lock'] })]));
  });

  // A splat pasted from a mail: "> " quoting, printk timestamps, addresses wrapped after "[<".
  // 3.0's lockdep: an allocation under a lock a shrinker takes is an inconsistent RECLAIM_FS usage.
  it('cross-checks a RECLAIM_FS inconsistent-state splat against the allocation under the lock the fix removes', async () => {
    const r = await run('reclaim-fix.patch');
    expect(r.json.lockdep).toMatchObject({ kind: 'inconsistent', status: 'fixed', confirmed: true, locks: ['&c->cache_mutex'] });
    expect(r.json.lockdep?.evidence?.map((e) => e.label)).toEqual(['gizmo_cache.cache_mutex held from', 'may enter direct reclaim at', 'the shrinker gizmo_cache_scan() takes gizmo_cache.cache_mutex']);
  });

  // Since 4.14 the same report is a circular dependency through lockdep's fs_reclaim pseudo-lock.
  it('cross-checks an fs_reclaim circular-dependency splat against the same finding', async () => {
    const r = await run('reclaim-fix-fs-reclaim.patch');
    expect(r.json.lockdep).toMatchObject({ kind: 'circular', status: 'fixed', confirmed: true });
    expect(r.json.lockdep?.detail).toContain('gizmo_cache_refill() allocating with reclaim while holding &c->cache_mutex');
  });

  it('cross-checks a quoted, timestamped splat against the dependency it reports', async () => {
    const r = await run('splat-fix.patch');
    expect(r.json.lockdep).toMatchObject({ kind: 'circular', status: 'fixed', locks: ['&gdev->stat_lock', '&gdev->reg_lock'], dependency: { from: 'gizmo_dev.stat_lock', to: 'gizmo_dev.reg_lock' } });
    expect(r.json.lockdep?.detail).toContain('lockdep reports gizmo_stat_dump() taking &gdev->reg_lock while holding &gdev->stat_lock');
  });

  // A later patch takes back what an earlier one broke: each patch says so, the series ends clean.
  it('gives each patch of a series its own edges and hunks', async () => {
    const r = await run('series-3.mbox');
    expect(r.json.outcome).toBe('no-change');
    expect(r.json.patches.map((p) => [p.outcome, p.edges?.added.length, p.edges?.removed.length])).toEqual([
      ['adds', 1, 0],
      ['no-change', 0, 0],
      ['removes', 0, 1],
    ]);
    expect(r.hunks.map((h) => h.patch)).toEqual([0, 2]);
    expect(r.json.functions).toEqual([{ file: 'drivers/gizmo/series.c', name: 'gizmo_add', hunks: 2, patches: [1, 3] }]);
  });
});

describe('review: every kind of finding', () => {
  const cases: [string, 'adds' | 'removes', string][] = [
    ['irq-fix.patch', 'removes', 'irq-inconsistent gizmo.irq_lock gizmo_irq_reset'],
    ['irq-add.patch', 'adds', 'irq-inversion gizmo.evt_lock,gizmo_cfg_lock gizmo_cfg_apply'],
    ['sleep-fix.patch', 'removes', 'sleep-in-atomic gizmo.fifo_lock gizmo_sleep_poll'],
    ['sleep-add.patch', 'adds', 'sleep-in-atomic gizmo.fifo_lock gizmo_sleep_fill'],
    ['leak-fix.patch', 'removes', 'lock-leak gizmo.io_mutex gizmo_leak_write'],
    ['leak-add.patch', 'adds', 'lock-leak gizmo.io_mutex gizmo_leak_read'],
    ['flush-fix.patch', 'removes', 'flush-under-lock gizmo.cfg_mutex gizmo_flush_stop'],
    ['flush-add.patch', 'adds', 'flush-under-lock gizmo.cfg_mutex gizmo_flush_pause'],
    ['reclaim-fix.patch', 'removes', 'reclaim-under-lock gizmo_cache.cache_mutex gizmo_cache_refill'],
    ['reclaim-add.patch', 'adds', 'reclaim-under-lock gizmo_cache.stats_mutex gizmo_cache_stats'],
    ['recursive-fix.patch', 'removes', 'recursive gizmo.io_mutex gizmo_rec_kick'],
    ['recursive-add.patch', 'adds', 'recursive gizmo.cfg_mutex gizmo_rec_tune'],
  ];
  for (const [patch, outcome, finding] of cases) {
    it(`${patch} ${outcome} ${finding.split(' ')[0]}`, async () => {
      const r = await run(patch);
      expect(r.json.outcome).toBe(outcome);
      expect(summary(r, outcome === 'adds' ? 'added' : 'removed')).toEqual([finding]);
    });
  }

  // Another function now takes link then phy: the inversion was there, the patch adds a way to it.
  it('names a new path to a pre-existing inversion by its functions, file-static lock keys and all', async () => {
    const r = await run('path-add.patch');
    expect([r.json.verdict, r.json.outcome]).toEqual(['no-change', 'adds']);
    expect(r.json.findings.added[0]?.newPath?.added).toEqual(['gizmo_link_mutex -> gizmo_phy_mutex via gizmo_link_status() -> gizmo_link_status()']);
  });

  // .github/lockscope.yml `kinds: { sleep-in-atomic: false }`: filtered before compare, so every
  // front end (exit code, reply, check run) sees a patch that changes nothing.
  it('leaves out the kinds a configuration turns off, before before and after are compared', async () => {
    const off = ALL_KINDS.filter((k) => k !== 'sleep-in-atomic');
    const r = await run('sleep-add.patch', { kinds: off });
    expect(r.json.outcome).toBe('no-change');
    expect(r.json.findings).toEqual({ added: [], removed: [], unchanged: [] });
    expect(r.json.kinds).toEqual(off);
    const noRecursion = await run('recursive-add.patch', { kinds: ['inversion'] });
    expect(noRecursion.json.verdict).toBe('no-change');
    expect(noRecursion.json.inversions.unchanged).toEqual([]);
    expect((await run('sleep-add.patch')).json.kinds).toBeUndefined();
  });

  it('says the cross-check was not done when the kind of the quoted report is turned off', async () => {
    const r = await run('splat-fix.patch', { kinds: ['sleep-in-atomic'] });
    expect(r.json.lockdep).toMatchObject({ status: 'not-checked', confirmed: false });
  });
});

describe('review: what the report needs besides findings', () => {
  // A call through a function pointer in the function the patch edits is a blind spot worth saying;
  // the unknown lock in another function of the file is not this patch's business.
  it('lists the caveats inside the functions the patch touches, and nothing about untouched code', async () => {
    const r = await run('caveat-touch.patch');
    expect(r.json.caveats).toEqual([
      { file: 'drivers/gizmo/caveat.c', line: 19, reason: 'call through p->ops->kick in gizmo_port_kick() not followed: no function stored into it in the analyzed files' },
    ]);
  });

  it('draws the locks within two steps of the changed edge, the same set before and after', async () => {
    const r = await run('order-add.patch');
    const names = (side: 'before' | 'after'): string[] => r.graph[side].locks.map((l) => l.name).sort();
    expect(names('after')).toEqual(['gizmo_bus_mutex', 'gizmo_dbg_mutex', 'gizmo_pm_mutex', 'gizmo_rx_mutex', 'gizmo_state_mutex', 'gizmo_tx_mutex']);
    expect(names('before')).toEqual(names('after'));
    expect(r.graph.after.edges.some((e) => e.from === 'gizmo_state_mutex' && e.to === 'gizmo_bus_mutex')).toBe(true);
    expect(r.graph.before.edges.some((e) => e.from === 'gizmo_state_mutex' && e.to === 'gizmo_bus_mutex')).toBe(false);
  });
});
