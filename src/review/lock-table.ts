/**
 * The lock classes a review names, with the expressions each was seen as, so a renderer can
 * show a class the way lockdep prints it (`&iommu->lock`, class `intel_iommu.lock`). Names as
 * the review's JSON gives them: the patched code's for what is after the patch, the base's for
 * what was removed. Pure.
 */
import type { AnalysisResult } from '../analyzers/analyze-program.ts';
import type { LockJson } from '../analyzers/report-types.ts';

/** Every class of `after`, then those only `before` has, restricted to `named`; sorted by name. */
export function lockTable(before: AnalysisResult, after: AnalysisResult, named: ReadonlySet<string>): LockJson[] {
  const byName = new Map<string, LockJson>();
  for (const a of [after, before]) {
    for (const l of a.locks.values()) if (named.has(l.name) && !byName.has(l.name)) byName.set(l.name, l);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
