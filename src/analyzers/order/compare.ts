/**
 * Before/after comparison of two analyses: inversions are matched by their set of lock classes
 * (never by line numbers, which a patch moves), like Infer's ReportDiff with
 * introduced/fixed/preexisting. Added ones carry the patched code's witnesses, removed ones the
 * base's. Also the verdict words of lockscope.review/1.
 */
import type { AnalysisResult } from '../analyze-program.ts';
import type { Cycle } from './cycles.ts';
import type { Verdict } from '../report-types.ts';

export interface OrderDiff {
  added: Cycle[];
  removed: Cycle[];
  unchanged: Cycle[];
}

export function compareAnalyses(before: AnalysisResult, after: AnalysisResult): OrderDiff {
  const beforeKeys = new Set(before.cycles.map((c) => c.key));
  const afterKeys = new Set(after.cycles.map((c) => c.key));
  return {
    added: after.cycles.filter((c) => !beforeKeys.has(c.key)),
    removed: before.cycles.filter((c) => !afterKeys.has(c.key)),
    unchanged: after.cycles.filter((c) => beforeKeys.has(c.key)),
  };
}

export function verdictOf(diff: OrderDiff): Verdict {
  if (diff.added.length > 0 && diff.removed.length > 0) return 'mixed';
  if (diff.added.length > 0) return 'adds-inversion';
  if (diff.removed.length > 0) return 'removes-inversion';
  return 'no-change';
}
