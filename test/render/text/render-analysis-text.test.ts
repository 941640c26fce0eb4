import { describe, expect, it } from 'vitest';
import type { AnalysisJson } from '../../../src/analyzers/report-types.ts';
import { renderAnalysisText } from '../../../src/render/index.ts';
import { loadReview } from '../review-fixtures.ts';

function analysisOf(name: string): AnalysisJson {
  const r = loadReview(name);
  const g = r.graph.before;
  return {
    schema: 'lockscope.analysis/1',
    files: 2,
    functions: 14,
    locks: g.locks,
    edges: g.edges,
    inversions: [...r.json.inversions.removed, ...r.json.inversions.unchanged],
    findings: [],
    skipped: [{ file: 'drivers/iommu/dmar-lite.c', line: 140, reason: 'function body did not parse (ERROR node)' }],
  };
}

describe('renderAnalysisText', () => {
  // `lockscope analyze drivers/iommu/` on the code before the fix.
  it('starts with the counts, then the inversion as lockdep would report it, then what was skipped', () => {
    const out = renderAnalysisText(analysisOf('removes'));
    const lines = out.split('\n');
    expect(lines[0]).toBe('lockscope: 2 files, 14 functions, 2 lock classes, 2 edges, 1 inversion');
    expect(out).toContain('Inversion 1 of 1: device_domain_lock <-> intel_iommu.lock\n\n======================================================\nWARNING: possible circular locking dependency detected');
    expect(out).toContain('       domain_remove_one_dev_info (drivers/iommu/dmar-lite.c:96) acquires intel_iommu.lock');
    expect(out.indexOf('*** DEADLOCK ***')).toBeLessThan(out.indexOf('Skipped (1), not analyzed:'));
    expect(out).toContain('  drivers/iommu/dmar-lite.c:140: function body did not parse (ERROR node)');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('lists inversions of high confidence first and says why a low one is low', () => {
    const base = analysisOf('removes');
    const inv = base.inversions[0];
    if (!inv) throw new Error('fixture has an inversion');
    const low = { ...inv, locks: ['a_lock', 'b_lock'], confidence: { level: 'low' as const, longestChain: 7, indirectCalls: 0 } };
    const high = { ...inv, confidence: { level: 'high' as const, longestChain: 3, indirectCalls: 1 } };
    const out = renderAnalysisText({ ...base, inversions: [low, high] });
    expect(out.split('\n')[0]).toBe('lockscope: 2 files, 14 functions, 2 lock classes, 2 edges, 2 inversions (1 of low confidence)');
    expect(out).toContain('Inversion 1 of 2: device_domain_lock <-> intel_iommu.lock\n');
    // A low one is named, with its reason, not reported in full: the report stays short.
    expect(out).toContain('Of low confidence (1), by name (`lockscope analyze --all` prints their reports):\n  a_lock <-> b_lock: a witness of 7 steps\n');
    expect(out.match(/possible circular locking dependency detected/g)).toHaveLength(1);
    const all = renderAnalysisText({ ...base, inversions: [low, high] }, { all: true });
    expect(all).toContain('Inversion 2 of 2: a_lock <-> b_lock (low confidence: a witness of 7 steps)\n');
    expect(all.match(/possible circular locking dependency detected/g)).toHaveLength(2);
    expect(all).not.toContain('Of low confidence');
  });

  it('says so when there is no inversion, and uses singular counts', () => {
    const a: AnalysisJson = { schema: 'lockscope.analysis/1', files: 1, functions: 1, locks: [], edges: [], inversions: [], findings: [], skipped: [] };
    expect(renderAnalysisText(a)).toBe('lockscope: 1 file, 1 function, 0 lock classes, 0 edges, 0 inversions\n\nNo lock-order inversion found.\n');
  });

  it('marks inferred classes wherever they are shown', () => {
    const r = loadReview('three-lock');
    const a: AnalysisJson = { ...analysisOf('three-lock'), locks: r.graph.after.locks, inversions: r.json.inversions.added };
    const out = renderAnalysisText(a);
    expect(out).toContain('journal_lock -> jfl_sb_info.s_lock -> lock_quota (inferred) -> journal_lock');
    // Where a report names a class (the acquisition, the chain entries), the guess is said; the CPU
    // table and "Chain exists of" print lockdep's plain names, as lockdep does.
    expect(out).toMatch(/-> #\d \(lock_quota\) \(inferred\):/);
    expect(out).toContain('lock(lock_quota);');
  });

  it('lays out the other kinds of finding as the reports they mirror, after the inversions', () => {
    const step = (line: number, what: string, extra: object = {}) => ({ function: 'sess_grow', file: 'drivers/x/s.c', line, op: 'call' as const, what, ...extra });
    const sleep = {
      kind: 'sleep-in-atomic' as const, locks: ['ol.u.spin'], function: 'sess_grow', file: 'drivers/x/s.c', line: 26,
      title: 'sleeping function called from invalid context: kmalloc with ol.u.spin held',
      evidence: [
        { label: 'atomic context entered at', chain: [step(25, 'calls ol_wait', { callee: 'ol_wait' }), { function: 'ol_wait', file: 'drivers/x/s.c', line: 15, op: 'acquire' as const, lock: 'ol.u.spin', what: 'acquires ol.u.spin' }] },
        { label: 'kmalloc() may sleep', chain: [step(26, 'calls kmalloc', { callee: 'kmalloc' })] },
      ],
    };
    const recursive = { ...sleep, kind: 'recursive' as const, title: 'possible recursive locking: ol.u.spin' };
    const suppressed = { ...sleep, function: 'other', suppressed: { by: 'baseline' as const, reason: 'known' } };
    const a: AnalysisJson = { schema: 'lockscope.analysis/1', files: 1, functions: 4, locks: [], edges: [], inversions: [], findings: [sleep, recursive, suppressed], skipped: [] };
    const out = renderAnalysisText(a);
    expect(out.split('\n')[0]).toBe('lockscope: 1 file, 4 functions, 0 lock classes, 0 edges, 0 inversions, 1 other finding');
    expect(out).toContain('Finding 1 of 1 (sleep-in-atomic): sleeping function called from invalid context: kmalloc with ol.u.spin held');
    expect(out).toContain('BUG: sleeping function called from invalid context at drivers/x/s.c:26');
    expect(out).toContain('       ol_wait (drivers/x/s.c:15) acquires ol.u.spin');
    expect(out).not.toContain('recursive locking');
    expect(out).not.toContain('other()');
  });

  // A C file with a lock named by a macro that expands to an escape sequence must not recolour the terminal.
  it('prints control characters in names and reasons as escapes', () => {
    const a: AnalysisJson = {
      schema: 'lockscope.analysis/1', files: 1, functions: 1, locks: [], edges: [], inversions: [], findings: [],
      skipped: [{ file: 'a\u001b[31m.c', line: 3, reason: 'bad\nline' }],
    };
    const out = renderAnalysisText(a);
    expect(out).toContain('  a\\x1b[31m.c:3: bad\\nline');
    expect(out).not.toContain('\u001b');
  });
});
