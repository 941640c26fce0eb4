/**
 * The lock classes a review knows about, before and after the patch, for labelling: a class is
 * shown "(inferred)" if either side inferred it. Not a lock table for analysis.
 */
import type { LockJson } from '../analyzers/report-types.ts';
import type { Review } from '../review-types.ts';

/** The review's lock table, graph.before.locks and graph.after.locks, merged by name (inferred wins, expressions add up). */
export function reviewLocks(review: Review): LockJson[] {
  const byName = new Map<string, LockJson>();
  for (const l of [...(review.locks ?? []), ...(review.graph?.before?.locks ?? []), ...(review.graph?.after?.locks ?? [])]) {
    const old = byName.get(l.name);
    if (!old) byName.set(l.name, l);
    else {
      const seenAs = [...new Set([...(old.seenAs ?? []), ...(l.seenAs ?? [])])].sort();
      byName.set(l.name, { ...old, seenAs, ...(l.inferred === true || old.inferred === true ? { inferred: true } : {}) });
    }
  }
  return [...byName.values()];
}
