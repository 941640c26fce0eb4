import { describe, expect, it } from 'vitest';
import { lockLabeler } from '../../src/render/lock-labeler.ts';
import { lockdepReport } from '../../src/render/lockdep-report.ts';
import { unsafeScenario } from '../../src/render/unsafe-scenario.ts';
import { loadReview } from './review-fixtures.ts';

const plain = lockLabeler([]);

describe('unsafeScenario', () => {
  // Lockdep's own order for AB-BA: CPU0 lock(A), CPU1 lock(B), CPU1 lock(A), CPU0 lock(B).
  it('draws the two-CPU table of an AB-BA pair', () => {
    const lines = unsafeScenario(['A', 'B'], plain);
    expect(lines.map((l) => l.trim())).toEqual(['CPU0                         CPU1', '----                         ----', 'lock(A);', 'lock(B);', 'lock(A);', 'lock(B);']);
    const col = (l: string): number => l.length - l.trimStart().length;
    expect(col(lines[2]!)).toBe(2);
    expect(col(lines[3]!)).toBe(col(lines[4]!));
    expect(col(lines[3]!)).toBeGreaterThan(col(lines[2]!));
    expect(col(lines[5]!)).toBe(2);
  });

  it('gives a three-lock cycle one column per CPU, each waiting for its neighbour', () => {
    const lines = unsafeScenario(['A', 'B', 'C'], plain);
    expect(lines[0]!.trim().split(/\s+/)).toEqual(['CPU0', 'CPU1', 'CPU2']);
    const body = lines.slice(2).map((l) => [l.length - l.trimStart().length, l.trim()] as const);
    const [c0, c1, c2] = [body[0]![0], body[1]![0], body[2]![0]];
    expect(body).toEqual([
      [c0, 'lock(A);'],
      [c1, 'lock(B);'],
      [c2, 'lock(C);'],
      [c2, 'lock(A);'],
      [c1, 'lock(C);'],
      [c0, 'lock(B);'],
    ]);
    expect(c0 < c1 && c1 < c2).toBe(true);
  });

  it('widens the columns for long class names so cells never touch', () => {
    const long = 'a_very_long_lock_class_name_of_some_driver.member_lock';
    const lines = unsafeScenario([long, 'b'], plain);
    expect(lines[3]!.trimStart().startsWith('lock(b);')).toBe(true);
    expect(lines[3]!.length - lines[3]!.trimStart().length).toBeGreaterThan(`  lock(${long});`.length);
  });

  it('shows recursive locking on a single CPU', () => {
    expect(unsafeScenario(['L'], plain)).toEqual(['       CPU0', '       ----', '  lock(L);', '  lock(L);']);
  });
});

describe('lockdepReport', () => {
  const inv = loadReview('removes').json.inversions.removed[0]!;
  const text = lockdepReport(inv, plain).join('\n');

  it('mirrors the sections of a lockdep splat, in lockdep order', () => {
    const order = [
      'WARNING: possible circular locking dependency detected',
      'the existing dependency chain (in reverse order) is:',
      '-> #1 (intel_iommu.lock):',
      '-> #0 (device_domain_lock):',
      'other info that might help us debug this:',
      'Chain exists of:\n  device_domain_lock --> intel_iommu.lock --> device_domain_lock',
      ' Possible unsafe locking scenario:',
      ' *** DEADLOCK ***',
    ].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  // #0 is the acquisition that closes the cycle: iommu_support_dev_iotlb taking
  // device_domain_lock under iommu->lock, reached through domain_context_mapping_one.
  it('lists each edge witness as an indented stack of function (file:line) what', () => {
    const entry0 = text.slice(text.indexOf('-> #0'));
    expect(entry0).toContain(
      [
        '       domain_context_mapping_one (drivers/iommu/dmar-lite.c:46) acquires intel_iommu.lock',
        '       domain_context_mapping_one (drivers/iommu/dmar-lite.c:52) calls iommu_support_dev_iotlb',
        '       iommu_support_dev_iotlb (drivers/iommu/dmar-lite.c:31) acquires device_domain_lock',
      ].join('\n'),
    );
    expect(text).toContain('iommu_support_dev_iotlb() may take lock:\n  (device_domain_lock) at drivers/iommu/dmar-lite.c:31');
    expect(text).toContain('(intel_iommu.lock) taken by domain_context_mapping_one() at drivers/iommu/dmar-lite.c:46');
  });

  it('numbers a three-lock cycle #2..#0 and names each entry after the lock it takes', () => {
    const three = loadReview('three-lock');
    const t = lockdepReport(three.json.inversions.added[0]!, lockLabeler(three.graph.after.locks)).join('\n');
    expect(t).toContain('-> #2 (jfl_sb_info.s_lock):');
    expect(t).toContain('-> #1 (lock_quota (inferred)):');
    expect(t).toContain('-> #0 (journal_lock):');
    expect(t).toContain('  journal_lock --> jfl_sb_info.s_lock --> lock_quota (inferred) --> journal_lock');
  });

  it('reports a one-lock cycle as recursive locking, with no chain of classes', () => {
    const rec = loadReview('recursive').json.inversions.added[0]!;
    const t = lockdepReport(rec, plain).join('\n');
    expect(t).toMatch(/^WARNING: possible recursive locking detected\n-+\n/);
    expect(t).not.toContain('Chain exists of');
    expect(t).toContain('  lock(dma_chan.lock);\n  lock(dma_chan.lock);');
  });

  it('survives an inversion without witnesses (a damaged stored review)', () => {
    const t = lockdepReport({ locks: ['a', 'b'], edges: [] }, plain).join('\n');
    expect(t).toContain('(no witness recorded)');
    expect(t).toContain('an unknown function may take lock');
  });
});
