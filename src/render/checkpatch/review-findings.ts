/**
 * A review's findings in the shape `lockscope.review/2` will give them (`findings: {added,
 * removed, unchanged}`, each `{kind, locks, function, title, evidence: [{label, chain}]}`), so the
 * checkpatch renderer maps one finding to one line whatever kind it is. Until the pipeline emits
 * that list, it is derived here from `inversions`; a review that already carries `findings` is
 * read as is. Derivation only: which findings exist is the pipeline's decision.
 */
import type { ChainStep, InversionJson } from '../../analyzers/report-types.ts';
import type { Review } from '../../review-types.ts';
import type { LockLabeler } from '../lock-labeler.ts';

/** One piece of evidence: an order edge's witness chain, labelled "A -> B". */
export interface FindingEvidence {
  label: string;
  chain: ChainStep[];
}

export interface Finding {
  /** "inversion" today; review/2 adds other kinds (irq-inversion, recursive locking, ...). */
  kind: string;
  locks: string[];
  /** The function the finding is reported in, when one stands out. */
  function: string | null;
  /** One line, lockdep's words: "possible circular locking dependency: A -> B -> A". */
  title: string;
  evidence: FindingEvidence[];
}

export interface FindingSet {
  added: Finding[];
  removed: Finding[];
  unchanged: Finding[];
}

/** An inversion as a finding, titled the way lockdep headlines its report. */
export function inversionFinding(inv: InversionJson, lock: LockLabeler): Finding {
  const names = inv.locks.map(lock);
  const title =
    names.length === 1
      ? `possible recursive locking: ${names[0]}`
      : `possible circular locking dependency: ${[...names, ...names.slice(0, 1)].join(' -> ')}`;
  const firstEdge = inv.edges[0];
  return {
    kind: 'inversion',
    locks: [...inv.locks],
    function: firstEdge?.chain[firstEdge.chain.length - 1]?.function ?? null,
    title,
    evidence: inv.edges.map((e) => ({ label: `${lock(e.from)} -> ${lock(e.to)}`, chain: e.chain })),
  };
}

/** `json.findings` when present (review/2), else the inversions as findings. */
export function reviewFindings(review: Review, lock: LockLabeler): FindingSet {
  const carried = (review.json as { findings?: Partial<FindingSet> }).findings;
  if (carried) return { added: carried.added ?? [], removed: carried.removed ?? [], unchanged: carried.unchanged ?? [] };
  const inv = review.json.inversions;
  const as = (list: readonly InversionJson[] | undefined): Finding[] => (list ?? []).map((i) => inversionFinding(i, lock));
  return { added: as(inv?.added), removed: as(inv?.removed), unchanged: as(inv?.unchanged) };
}
