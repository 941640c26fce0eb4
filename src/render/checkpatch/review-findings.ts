/**
 * A review's findings (`lockscope.review/2`: `findings: {added, removed, unchanged}`), so the
 * checkpatch renderer maps one finding to one line whatever kind it is. A review stored before
 * /2 has only `inversions`: its findings are derived from them here. Derivation only: which
 * findings exist is the pipeline's decision.
 */
import type { FindingJson, InversionJson } from '../../analyzers/report-types.ts';
import type { Review } from '../../review-types.ts';
import type { LockLabeler } from '../lock-labeler.ts';

/** What the renderer reads of a finding (a /2 finding, or one derived from a /1 inversion). */
export type Finding = Pick<FindingJson, 'kind' | 'locks' | 'function' | 'title' | 'evidence'> & Partial<Pick<FindingJson, 'file' | 'line'>>;

export interface FindingSet {
  added: Finding[];
  removed: Finding[];
  unchanged: Finding[];
}

/** A lock-order title with each class labelled as every renderer labels it (`lock_quota (inferred)`). */
export function orderTitle(locks: readonly string[], lock: LockLabeler): string {
  const names = locks.map(lock);
  return names.length === 1 ? `possible recursive locking: ${names[0]}` : `possible circular locking dependency: ${[...names, ...names.slice(0, 1)].join(' -> ')}`;
}

/** An inversion as a finding, titled the way lockdep headlines its report. */
export function inversionFinding(inv: InversionJson, lock: LockLabeler): Finding {
  const names = inv.locks;
  const title = orderTitle(inv.locks, lock);
  const firstEdge = inv.edges[0];
  return {
    kind: names.length === 1 ? 'recursive' : 'inversion',
    locks: [...inv.locks],
    function: firstEdge?.chain[firstEdge.chain.length - 1]?.function ?? '',

    title,
    evidence: inv.edges.map((e) => ({ label: `${lock(e.from)} -> ${lock(e.to)}`, chain: e.chain })),
  };
}

/** `json.findings` when present (review/2), else the inversions as findings. */
export function reviewFindings(review: Review, lock: LockLabeler): FindingSet {
  const carried = (review.json as { findings?: Partial<FindingSet> }).findings;
  const labelled = (list: readonly Finding[] | undefined): Finding[] =>
    (list ?? []).map((f) => (f.kind === 'inversion' || f.kind === 'recursive' ? { ...f, title: orderTitle(f.locks, lock) } : f));
  if (carried) return { added: labelled(carried.added), removed: labelled(carried.removed), unchanged: labelled(carried.unchanged) };

  const inv = review.json.inversions;
  const as = (list: readonly InversionJson[] | undefined): Finding[] => (list ?? []).map((i) => inversionFinding(i, lock));
  return { added: as(inv?.added), removed: as(inv?.removed), unchanged: as(inv?.unchanged) };
}
