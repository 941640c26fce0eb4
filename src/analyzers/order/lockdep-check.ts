/**
 * The question a maintainer asks of a fix: does this patch break the cycle lockdep reported?
 * Maps the lock names of a lockdep splat (wrappers already reduced: `&iommu->lock`) to lock
 * classes of the analysis, by exact name, by the expressions a class was seen as, then by
 * member name, preferring classes whose witnesses run through the splat's functions; then looks
 * for a cycle over those classes before and after the patch. Pure.
 */
import type { AnalysisResult } from '../analyze-program.ts';
import { chainSteps } from '../locks/witness.ts';
import type { LockdepCheckJson } from '../report-types.ts';

/** What the diff module's splat parser gives (src/diff/lockdep-splat.ts). */
export interface SplatLike {
  kind: 'circular' | 'recursive';
  locks: string[];
  chains: { index: number; lock: string; functions: string[] }[];
}

const strip = (name: string): string => name.replace(/^&/, '').replace(/\s+/g, '');

/** Candidate classes for one splat lock name, best first. */
function candidates(name: string, analysis: AnalysisResult, functions: ReadonlySet<string>): string[] {
  const plain = strip(name);
  const entries = [...analysis.locks.entries()];
  const exact = entries.filter(([key, l]) => key === plain || l.name === plain).map(([key]) => key);
  if (exact.length) return exact;
  const seen = entries.filter(([, l]) => l.seenAs.some((s) => strip(s) === plain)).map(([key]) => key);
  if (seen.length) return rank(seen, analysis, functions);
  const member = plain.split(/->|\./).pop() ?? plain;
  const byMember = entries.filter(([, l]) => l.name.endsWith(`.${member}`) || l.name === member).map(([key]) => key);
  return rank(byMember, analysis, functions);
}

/** Classes whose edges' witnesses pass through the splat's functions come first. */
function rank(classes: string[], analysis: AnalysisResult, functions: ReadonlySet<string>): string[] {
  if (classes.length < 2) return classes;
  const pairs = analysis.graph.pairs();
  const score = (c: string): number => {
    let n = 0;
    for (const e of pairs) {
      if (e.from !== c && e.to !== c) continue;
      for (const s of [...chainSteps(e.held.chain), ...chainSteps(e.taken.chain)]) if (functions.has(s.function)) n++;
    }
    return n;
  };
  return [...classes].sort((a, b) => score(b) - score(a) || (a < b ? -1 : 1));
}

function cycleOver(classes: readonly string[], analysis: AnalysisResult): boolean {
  const want = new Set(classes);
  return analysis.cycles.some((c) => [...want].every((w) => c.locks.includes(w)) && (want.size > 1 || c.locks.length === 1));
}

const analysis = (before: AnalysisResult, after: AnalysisResult): ReadonlyMap<string, { name: string }> => new Map([...before.locks, ...after.locks]);

export function crossCheckLockdep(splat: SplatLike, before: AnalysisResult, after: AnalysisResult): LockdepCheckJson {
  const functions = new Set(splat.chains.flatMap((c) => c.functions));
  const mapped: string[] = [];
  const unmapped: string[] = [];
  for (const name of splat.locks) {
    const best = candidates(name, before, functions)[0] ?? candidates(name, after, functions)[0];
    if (best) mapped.push(best);
    else unmapped.push(name);
  }
  const what = splat.kind === 'recursive' ? 'recursive locking' : 'circular locking dependency';
  if (unmapped.length > 0) {
    return {
      locks: splat.locks,
      confirmed: false,
      detail: `The ${what} reported by lockdep could not be mapped: no lock class here matches ${unmapped.join(', ')}.`,
    };
  }
  const classes = [...new Set(mapped)];
  const shown = (key: string | undefined): string => (key === undefined ? '' : (analysis(before, after).get(key)?.name ?? key));
  const mapping = splat.locks.map((l, i) => (l === shown(mapped[i]) ? l : `${l} = ${shown(mapped[i])}`)).join(', ');
  const inBefore = cycleOver(classes, before);
  const inAfter = cycleOver(classes, after);
  let detail: string;
  if (inBefore && !inAfter) detail = `lockscope finds the reported ${what} (${mapping}) before the patch and not after it: the patch breaks it.`;
  else if (inBefore && inAfter) detail = `lockscope finds the reported ${what} (${mapping}) both before and after the patch: the patch does not break it.`;
  else if (!inBefore && inAfter) detail = `lockscope does not find the reported ${what} (${mapping}) before the patch, but finds it after: the patch introduces it.`;
  else detail = `lockscope does not find the reported ${what} (${mapping}) in the code it analyzed, before or after the patch: not confirmed (the chain may pass through code outside the analyzed files).`;
  return { locks: splat.locks, confirmed: inBefore && !inAfter, detail };
}
