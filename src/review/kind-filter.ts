/**
 * Drops the findings and cycles of kinds a configuration turned off (src/finding-kinds.ts) from
 * an analysis, before before and after are compared, so the verdict, the outcome, the replies and
 * the check runs of every front end see the same thing. A one-lock cycle is `recursive`, a longer
 * one an `inversion`. The order graph itself is left whole: edges are facts, not findings.
 */
import type { AnalysisResult } from '../analyzers/analyze-program.ts';
import type { FindingKind } from '../analyzers/report-types.ts';

/** The analysis unchanged when every kind is on (or none was configured). */
export function withKinds(analysis: AnalysisResult, kinds: readonly FindingKind[] | undefined): AnalysisResult {
  if (!kinds) return analysis;
  const on = new Set<FindingKind>(kinds);
  const cycles = analysis.cycles.filter((c) => on.has(c.locks.length === 1 ? 'recursive' : 'inversion'));
  const findings = analysis.findings.filter((f) => on.has(f.kind));
  if (cycles.length === analysis.cycles.length && findings.length === analysis.findings.length) return analysis;
  return { ...analysis, cycles, findings };
}
