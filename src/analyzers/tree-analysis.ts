/**
 * The `lockscope.analysis/1` JSON of a tree analysed directory by directory
 * (order/tree-inversions.ts): the inversions and recursions each directory reported, then those
 * closing across directories, marked with the directories whose orders make them, and each
 * directory's findings of the other kinds.
 */
import { analysisJson, classNames } from './analysis-json.ts';
import { cycleFinding } from './checkers/lock-order.ts';
import type { TreeInversionsResult } from './order/tree-inversions.ts';
import { FOLDED_REASON } from './order/sleep-folded.ts';
import type { AnalysisJson, LockJson, SkippedJson } from './report-types.ts';

export function treeAnalysisJson(r: TreeInversionsResult, skipped: SkippedJson[]): AnalysisJson {
  const findings = [...r.cycles.map((c) => cycleFinding(c, r.graph)), ...r.others];
  const keys = new Set([...r.graph.nodes(), ...findings.flatMap((f) => f.locks)]);
  const names = classNames(keys);
  const locks = new Map<string, LockJson>();
  // Pseudo-locks (`@hardirq-off`, `@rcu`) are regions a finding names, not classes.
  for (const k of [...keys].sort()) if (!k.startsWith('@')) locks.set(k, { name: names.get(k) ?? k, kind: r.kinds[k] ?? 'unknown', seenAs: [] });
  const notes: SkippedJson[] = [];
  if (r.mixedBuilds) notes.push({ file: '', line: 0, reason: `${r.mixedBuilds} cycle(s) across directories whose orders are made only under two different arch/ directories (builds that never run together) not reported` });
  if (r.reclassed) notes.push({ file: '', line: 0, reason: `${r.reclassed} cycle(s) across directories through locks split by lockdep_set_class() or a key object, or never validated, in some directory's analysis, not reported` });
  if (r.folded) notes.push({ file: '', line: 0, reason: `across directories: ${FOLDED_REASON(r.folded)}` });
  if (r.unvalidated) notes.push({ file: '', line: 0, reason: `${r.unvalidated} cycle(s) a directory reported through locks another directory's analysis found never validated (lockdep_set_novalidate_class()), not reported` });
  if (r.bounded) notes.push({ file: '', line: 0, reason: 'cycles across directories bounded: the shortest are reported' });
  return analysisJson({ files: r.files, functions: r.functions, locks, graph: r.graph, cycles: r.cycles, findings, skipped: [...skipped, ...notes], names });
}
