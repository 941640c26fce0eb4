/**
 * What changed between two revisions of a series (v1 -> v2) as far as lock order goes: which
 * inversions the new revision adds or removes that the old one did not, and the reverse.
 * Inversions are compared by their set of lock classes, never by line numbers, which move
 * between revisions (Infer's ReportDiff does the same). Text only for the reply's preamble; it
 * does not review anything itself.
 */
import type { InversionJson } from '../analyzers/report-types.ts';
import type { Review } from '../review-types.ts';

export interface RevisionChange {
  /** Inversions the new revision adds that the old one did not. */
  newlyAdded: string[][];
  /** Inversions the old revision added and the new one no longer does. */
  noLongerAdded: string[][];
  /** Inversions the new revision removes that the old one did not. */
  newlyRemoved: string[][];
  /** Inversions the old revision removed and the new one no longer does. */
  noLongerRemoved: string[][];
}

/** `["b", "a", "b"]`-style cycles reduced to a key: sorted distinct classes. */
export function lockSetKey(inv: InversionJson): string {
  return [...new Set(inv.locks)].sort().join(' ');
}

function minus(a: InversionJson[], b: InversionJson[]): string[][] {
  const seen = new Set(b.map(lockSetKey));
  const out = new Map<string, string[]>();
  for (const inv of a) {
    const k = lockSetKey(inv);
    if (!seen.has(k) && !out.has(k)) out.set(k, [...new Set(inv.locks)]);
  }
  return [...out.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, v]) => v);
}

/** Compares the inversions two reviews add and remove. */
export function compareRevisions(previous: Review, next: Review): RevisionChange {
  const p = previous.json.inversions;
  const n = next.json.inversions;
  return {
    newlyAdded: minus(n.added, p.added),
    noLongerAdded: minus(p.added, n.added),
    newlyRemoved: minus(n.removed, p.removed),
    noLongerRemoved: minus(p.removed, n.removed),
  };
}

const cycle = (locks: string[]) => [...locks, locks[0]].join(' -> ');

/**
 * The "Changes since vN" paragraph of a reply.
 * `{ noLongerAdded: [["a", "b"]] }`, 1 -> "Changes since v1:\n  - no longer adds the inversion a -> b -> a"
 */
export function describeRevisionChange(change: RevisionChange, previousVersion: number): string {
  const lines = [
    ...change.newlyAdded.map((l) => `  - now adds the inversion ${cycle(l)}`),
    ...change.noLongerAdded.map((l) => `  - no longer adds the inversion ${cycle(l)}`),
    ...change.newlyRemoved.map((l) => `  - now removes the inversion ${cycle(l)}`),
    ...change.noLongerRemoved.map((l) => `  - no longer removes the inversion ${cycle(l)}`),
  ];
  if (lines.length === 0) return `Changes since v${previousVersion}: none in lock order (the same inversions are added and removed).`;
  return [`Changes since v${previousVersion}:`, ...lines].join('\n');
}
