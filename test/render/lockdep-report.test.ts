/**
 * lockdep's own layout, checked against what lockdep printed for the intel-iommu AB-BA
 * (/work/shared/seed/intel-iommu-ab-ba.txt): "X is trying to acquire lock: B / but task is already
 * holding lock: A" for the dependency A -> B, "-> #1 (A)" with the existing chain and "-> #0 (B)"
 * with the new acquisition, no "Chain exists of" for two locks, CPU0 taking the held lock first.
 */
import { describe, expect, it } from 'vitest';
import { lockLabeler } from '../../src/render/lock-labeler.ts';
import { lockdepNames } from '../../src/render/lockdep-names.ts';
import { lockdepReport, rotateTo } from '../../src/render/lockdep-report.ts';
import { reviewLocks } from '../../src/render/review-locks.ts';
import { changeBlocks } from '../../src/render/review-changes.ts';
import { circularScenario, irqOrderScenario, recursiveScenario, usageScenario } from '../../src/render/unsafe-scenario.ts';
import { loadReview } from './review-fixtures.ts';

const plain = lockLabeler([]);

describe('unsafe scenarios, as lockdep prints them', () => {
  // print_circular_lock_scenario: CPU0 lock(target); CPU1 lock(parent); CPU1 lock(target); CPU0 lock(source).
  it('draws the two-CPU table of an AB-BA pair with CPU1 at column 31', () => {
    expect(circularScenario('&iommu->lock', '&iommu->lock', 'device_domain_lock')).toEqual([
      '       CPU0                    CPU1',
      '       ----                    ----',
      '  lock(device_domain_lock);',
      '                               lock(&iommu->lock);',
      '                               lock(device_domain_lock);',
      '  lock(&iommu->lock);',
    ]);
  });

  it('keeps lockdep columns for long names rather than widening them', () => {
    const long = 'a_very_long_lock_class_name_of_some_driver.member_lock';
    expect(circularScenario('b', 'b', long)[3]).toBe(`${' '.repeat(31)}lock(b);`);
  });

  it('shows recursive locking on a single CPU, and an irq usage with <Interrupt>', () => {
    expect(recursiveScenario('L')).toEqual(['       CPU0', '       ----', '  lock(L);', '  lock(L);']);
    expect(usageScenario('L')).toEqual(['       CPU0', '       ----', '  lock(L);', '  <Interrupt>', '    lock(L);']);
    expect(irqOrderScenario('S', 'U', 'HARDIRQ').map((l) => l.trim())).toEqual(['CPU0                    CPU1', '----                    ----', 'lock(U);', 'local_irq_disable();', 'lock(S);', 'lock(U);', '<Interrupt>', 'lock(S);']);
  });
});

describe('lockdepReport', () => {
  const seed = loadReview('seed-iommu');
  const names = lockdepNames(reviewLocks(seed));
  const block = changeBlocks(seed.json, 'removed')[0];
  if (!block || block.type !== 'order') throw new Error('the seed fixture removes one edge');
  const text = lockdepReport(block.cycle, names, { focal: block.focal }).join('\n');

  // The seed splat: bash is trying to acquire &iommu->lock, already holding device_domain_lock.
  it('orients the report like lockdep: the patch edge device_domain_lock -> intel_iommu.lock is the acquisition', () => {
    expect(text).toContain(
      [
        'domain_remove_one_dev_info() is trying to acquire lock:',
        ' (&iommu->lock) [intel_iommu.lock], at: drivers/iommu/dmar-lite.c:93',
        '',
        'but task is already holding lock:',
        ' (device_domain_lock), at: drivers/iommu/dmar-lite.c:81',
        '',
        'which lock already depends on the new lock.',
      ].join('\n'),
    );
  });

  it('mirrors the sections of the seed splat, in lockdep order, with no "Chain exists of" for two locks', () => {
    const order = [
      '======================================================\nWARNING: possible circular locking dependency detected\n------------------------------------------------------',
      'the existing dependency chain (in reverse order) is:',
      '-> #1 (device_domain_lock):',
      '-> #0 (&iommu->lock) [intel_iommu.lock]:',
      'other info that might help us debug this:',
      ' Possible unsafe locking scenario:',
      '  lock(device_domain_lock);\n                               lock(&iommu->lock);\n                               lock(device_domain_lock);\n  lock(&iommu->lock);',
      ' *** DEADLOCK ***',
    ].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).not.toContain('Chain exists of');
  });

  // #1 is the existing dependency: domain_context_mapping_one takes device_domain_lock (through
  // iommu_support_dev_iotlb) under iommu->lock, as in the seed's "-> #1" stack.
  it('lists each edge witness as an indented stack of function (file:line) what', () => {
    const entry1 = text.slice(text.indexOf('-> #1'), text.indexOf('-> #0'));
    expect(entry1).toContain(
      [
        '       domain_context_mapping_one (drivers/iommu/dmar-lite.c:44) acquires intel_iommu.lock',
        '       domain_context_mapping_one (drivers/iommu/dmar-lite.c:50) calls iommu_support_dev_iotlb',
        '       iommu_support_dev_iotlb (drivers/iommu/dmar-lite.c:29) acquires device_domain_lock',
      ].join('\n'),
    );
  });

  it('numbers a three-lock cycle #2..#0 after the locks they take, and prints lockdep\'s three-name chain', () => {
    const three = loadReview('three-lock');
    const inv = three.json.inversions.added[0]!;
    const t = lockdepReport(inv, lockLabeler(three.graph.after.locks)).join('\n');
    // The closing edge (lock_quota -> journal_lock) is the acquisition: journal_lock is #0.
    expect(t).toContain('-> #2 (lock_quota (inferred)):');
    expect(t).toContain('-> #1 (jfl_sb_info.s_lock):');
    expect(t).toContain('-> #0 (journal_lock):');
    // source --> parent --> target: the lock acquired, the chain's lock before the held one, the held one.
    expect(t).toContain('Chain exists of:\n  journal_lock --> jfl_sb_info.s_lock --> lock_quota (inferred)');
  });

  it('rotates a cycle so the edge in focus closes it', () => {
    const inv = { locks: ['a', 'b', 'c'], edges: [{ from: 'a', to: 'b', chain: [] }, { from: 'b', to: 'c', chain: [] }, { from: 'c', to: 'a', chain: [] }] };
    expect(rotateTo(inv, 0).locks).toEqual(['b', 'c', 'a']);
    expect(rotateTo(inv, 0).edges.map((e) => e.from)).toEqual(['b', 'c', 'a']);
    expect(rotateTo(inv, 2)).toBe(inv);
  });

  it('reports a one-lock cycle as recursive locking, with no chain of classes', () => {
    const rec = loadReview('recursive').json.inversions.added[0]!;
    const t = lockdepReport(rec, plain).join('\n');
    expect(t).toMatch(/^=+\nWARNING: possible recursive locking detected\n-+\n/);
    expect(t).not.toContain('Chain exists of');
    expect(t).toContain('  lock(dma_chan.lock);\n  lock(dma_chan.lock);');
  });

  it('elides the middle of long witnesses when asked (mail)', () => {
    const chain = Array.from({ length: 12 }, (_, i) => ({ function: `f${i}`, file: 'a.c', line: i + 1, op: 'call' as const, callee: `f${i + 1}` }));
    const t = lockdepReport({ locks: ['a', 'b'], edges: [{ from: 'a', to: 'b', chain }, { from: 'b', to: 'a', chain }] }, plain, { maxSteps: 5 }).join('\n');
    expect(t).toContain('       ... 8 more steps ...');
    expect(t).not.toContain('f5 (a.c:6)');
  });

  it('survives an inversion without witnesses (a damaged stored review)', () => {
    const t = lockdepReport({ locks: ['a', 'b'], edges: [] }, plain).join('\n');
    expect(t).toContain('(no witness recorded)');
    expect(t).toContain('an unknown function is trying to acquire lock');
  });
});
