/**
 * Drops the findings and cycles of kinds a configuration turned off (src/finding-kinds.ts) from
 * an analysis, before before and after are compared, so the verdict, the outcome, the replies and
 * the check runs of every front end see the same thing. A one-lock cycle is `recursive`, a longer
 * one an `inversion`. The order graph itself is left whole: edges are facts, not findings. With
 * sleeps in atomic context off, the cycles such a sleep stood for come back.
 */
import type { AnalysisResult } from '../analyzers/analyze-program.ts';
import type { FindingKind } from '../analyzers/report-types.ts';

/** The analysis unchanged when every kind is on (or none was configured). */
export function withKinds(analysis: AnalysisResult, kinds: readonly FindingKind[] | undefined): AnalysisResult {
  if (!kinds) return analysis;
  const on = new Set<FindingKind>(kinds);
  // The cycles a sleep in atomic context stood for (order/sleep-folded.ts) are reported where sleeps are not.
  const folded = on.has('sleep-in-atomic') ? undefined : analysis.folded;
  const all = folded ? [...analysis.cycles, ...folded.cycles].sort((a, b) => a.locks.length - b.locks.length) : analysis.cycles;
  const cycles = all.filter((c) => on.has(c.locks.length === 1 ? 'recursive' : 'inversion'));
  const findings = [...analysis.findings, ...(folded?.findings ?? [])].filter((f) => on.has(f.kind));
  if (!folded && cycles.length === analysis.cycles.length && findings.length === analysis.findings.length) return analysis;
  return { ...analysis, cycles, findings };
}
