/**
 * Before/after comparison of two analyses, like Infer's ReportDiff with introduced/fixed/
 * preexisting: inversions are matched by their set of lock classes, findings of every kind by
 * their key (kind, lock classes, and the function for kinds that happen in one function), never
 * by line numbers, which a patch moves. Added ones carry the patched code's witnesses, removed
 * ones the base's. Also the verdict words of lockscope.review/1 and the outcome of /2.
 */
import type { AnalysisResult } from '../analyze-program.ts';
import type { Finding } from '../checkers/types.ts';
import type { Outcome, Verdict } from '../report-types.ts';
import type { Cycle } from './cycles.ts';

export interface OrderDiff {
  added: Cycle[];
  removed: Cycle[];
  unchanged: Cycle[];
}

export interface FindingDiff {
  added: Finding[];
  removed: Finding[];
  unchanged: Finding[];
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

export function compareFindings(before: AnalysisResult, after: AnalysisResult): FindingDiff {
  const beforeKeys = new Set(before.findings.map((f) => f.key));
  const afterKeys = new Set(after.findings.map((f) => f.key));
  return {
    added: after.findings.filter((f) => !beforeKeys.has(f.key)),
    removed: before.findings.filter((f) => !afterKeys.has(f.key)),
    unchanged: after.findings.filter((f) => beforeKeys.has(f.key)),
  };
}

export function verdictOf(diff: OrderDiff): Verdict {
  if (diff.added.length > 0 && diff.removed.length > 0) return 'mixed';
  if (diff.added.length > 0) return 'adds-inversion';
  if (diff.removed.length > 0) return 'removes-inversion';
  return 'no-change';
}

export function outcomeOf(diff: FindingDiff): Outcome {
  if (diff.added.length > 0 && diff.removed.length > 0) return 'mixed';
  if (diff.added.length > 0) return 'adds';
  if (diff.removed.length > 0) return 'removes';
  return 'no-change';
}
