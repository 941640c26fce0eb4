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
import { chainSteps, type Chain } from '../locks/witness.ts';
import type { OrderGraph } from './order-graph.ts';



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

/**
 * Whether a cycle's every edge (with its read/write modes) is in a graph: the cycle exists there
 * whether or not the bounded enumeration listed it. A patch that adds an edge elsewhere can change
 * which long cycles the enumeration reaches; those are neither added nor removed by the patch.
 */
function cycleIn(graph: OrderGraph, c: Cycle): boolean {
  return c.edges.every((e) => graph.variants(e.from, e.to).some((v) => v.held.read === e.held.read && v.taken.read === e.taken.read));
}

export function compareAnalyses(before: AnalysisResult, after: AnalysisResult): OrderDiff {
  const beforeKeys = new Set(before.cycles.map((c) => c.key));
  const afterKeys = new Set(after.cycles.map((c) => c.key));
  const diff: OrderDiff = { added: [], removed: [], unchanged: [] };
  for (const c of after.cycles) (beforeKeys.has(c.key) || cycleIn(before.graph, c) ? diff.unchanged : diff.added).push(c);
  for (const c of before.cycles) if (!afterKeys.has(c.key) && !cycleIn(after.graph, c)) diff.removed.push(c);
  return diff;
}

/** A lock-order finding whose cycle is in the other side's graph, listed there or not. */
function cycleStillThere(f: Finding, from: AnalysisResult, other: AnalysisResult): boolean {
  if (f.kind !== 'inversion' && f.kind !== 'recursive') return false;
  const c = from.cycles.find((x) => f.key === `${f.kind}:${x.key}`);
  return c !== undefined && cycleIn(other.graph, c);
}

/**
 * Findings matched by key; for one present on both sides, its paths are compared too: a path
 * the patch adds (another function now takes the lock through a helper while holding it) makes
 * it an added finding marked `newPath`, a path it removes (with others left) a removed one. Paths
 * that only moved (the same lock operations, in renamed or moved functions) leave it unchanged,
 * marked `moved`; so do paths only on edges other than the cycle's least taken (`established`).
 */
export function compareFindings(before: AnalysisResult, after: AnalysisResult): FindingDiff {
  const beforeByKey = new Map(before.findings.map((f) => [f.key, f]));
  const afterKeys = new Set(after.findings.map((f) => f.key));
  const diff: FindingDiff = { added: [], removed: before.findings.filter((f) => !afterKeys.has(f.key) && !cycleStillThere(f, before, after)), unchanged: [] };
  for (const f of after.findings) {
    const old = beforeByKey.get(f.key);
    if (!old) {
      (cycleStillThere(f, after, before) ? diff.unchanged : diff.added).push(f);
      continue;
    }
    const change = pathChange(old, f);
    if (!change) diff.unchanged.push(f);
    else if (change.moved || change.established) diff.unchanged.push({ ...f, newPath: change });
    else if (change.added.length > 0) diff.added.push({ ...f, newPath: change });
    else diff.removed.push({ ...old, newPath: change });
  }
  return diff;
}

const pathIds = (f: Finding): Map<string, Chain> => {
  const n = f.locks.length;
  return new Map((f.paths ?? []).map((p) => [`${f.locks[p.edge]}>${f.locks[(p.edge + 1) % n]}@${p.path}`, p.chain]));
};

/** The edge (`from>to`) of a path id `from>to@held>taken`; a file-static class key holds an '@' itself. */
const edgeOf = (pathId: string): string => pathId.slice(0, pathId.lastIndexOf('@'));

/** A chain's lock operations without where they are: what stays the same when code moves. */
const shapeOf = (c: Chain): string => chainSteps(c).filter((s) => s.op !== 'call').map((s) => `${s.op}:${s.lock ?? ''}`).join(',');

function pathChange(before: Finding, after: Finding): NonNullable<Finding['newPath']> | undefined {
  const b = pathIds(before);
  const a = pathIds(after);
  const added = [...a.keys()].filter((k) => !b.has(k)).sort();
  const removed = [...b.keys()].filter((k) => !a.has(k)).sort();
  if (added.length === 0 && removed.length === 0) return undefined;
  const shapes = (keys: string[], m: Map<string, Chain>): string => keys.map((k) => `${edgeOf(k)}|${shapeOf(m.get(k) as Chain)}`).sort().join(';');
  const moved = added.length === removed.length && shapes(added, a) === shapes(removed, b);
  if (moved) return { added, removed, moved: true };
  const weak = weakestEdges(before, b);
  const counts = (k: string): boolean => weak.has(edgeOf(k));
  return { added, removed, ...(!added.some(counts) && !removed.some(counts) ? { established: true } : {}) };
}

/**
 * The edges of a cycle with the fewest paths before the patch (`from>to`): the way round the
 * cycle the code rarely takes is the inversion. A path added to an edge most of the code already
 * takes follows the established order, and a path removed from one leaves the cycle as it was:
 * neither adds nor removes the bug (a patch adding a 14th caller of the documented order is not
 * blamed for the one function that takes it backwards).
 */
function weakestEdges(f: Finding, paths: ReadonlyMap<string, Chain>): Set<string> {
  const n = f.locks.length;
  const count = new Map<string, number>();
  for (const k of paths.keys()) count.set(edgeOf(k), (count.get(edgeOf(k)) ?? 0) + 1);
  const edges = f.locks.map((l, i) => `${l}>${f.locks[(i + 1) % n] as string}`);
  const fewest = Math.min(...edges.map((e) => count.get(e) ?? 0));
  return new Set(edges.filter((e) => (count.get(e) ?? 0) === fewest));
}

/** What counts for a verdict: suppressed findings are shown, not counted. */
const counted = (xs: readonly { suppressed?: unknown }[]): number => xs.filter((x) => !x.suppressed).length;

export function verdictOf(diff: OrderDiff): Verdict {
  const added = counted(diff.added);
  const removed = counted(diff.removed);
  if (added > 0 && removed > 0) return 'mixed';
  if (added > 0) return 'adds-inversion';
  if (removed > 0) return 'removes-inversion';
  return 'no-change';
}

export function outcomeOf(diff: FindingDiff): Outcome {
  const added = counted(diff.added);
  const removed = counted(diff.removed);
  if (added > 0 && removed > 0) return 'mixed';
  if (added > 0) return 'adds';
  if (removed > 0) return 'removes';
  return 'no-change';
}

/**
 * Findings a baseline file records as known (by key) marked suppressed: an old finding the
 * enumeration lists as new, or one a team chose to live with, is shown and not counted.
 */
export function withBaseline(diff: FindingDiff, known: ReadonlySet<string>): FindingDiff {
  if (known.size === 0) return diff;
  const mark = (f: Finding): Finding => (known.has(f.key) && !f.suppressed ? { ...f, suppressed: { by: 'baseline', reason: 'recorded as known in the baseline file' } } : f);
  return { added: diff.added.map(mark), removed: diff.removed, unchanged: diff.unchanged.map(mark) };
}

