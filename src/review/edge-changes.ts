/**
 * What a patch changes in the lock order, as edges: the (from, to) pairs of lock classes that are
 * in the order graph after the patch and not before it (added), or before and not after
 * (removed), each with the inversions it closes or breaks. A patch adds or removes edges; cycles
 * are their consequences, so reports are centred on these. Edges are matched by their internal
 * class keys, never by line. Pure; review.ts calls it once per patch and once for the series.
 */
import type { AnalysisResult } from '../analyzers/analyze-program.ts';
import { edgeJson, inversionKey } from '../analyzers/analysis-json.ts';
import type { OrderDiff } from '../analyzers/order/compare.ts';
import type { Cycle } from '../analyzers/order/cycles.ts';
import type { OrderEdge } from '../analyzers/order/order-graph.ts';
import type { EdgeChangeJson, EdgeSet } from '../review-types.ts';

const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

/** Does the cycle run through from -> to (consecutive, wrapping round)? */
function through(c: Cycle, from: string, to: string): boolean {
  const n = c.locks.length;
  return c.locks.some((l, i) => l === from && c.locks[(i + 1) % n] === to);
}

function changed(edges: readonly OrderEdge[], other: ReadonlySet<string>, cycles: readonly Cycle[], names: ReadonlyMap<string, string>): EdgeChangeJson[] {
  const out: { json: EdgeChangeJson; shortest: number }[] = [];
  for (const e of edges) {
    if (other.has(pairKey(e.from, e.to))) continue;
    // Cycles come shortest first from the analyzer; keep that order.
    const closes = cycles.filter((c) => through(c, e.from, e.to));
    const json: EdgeChangeJson = { ...edgeJson(e, names), cycles: closes.map((c) => inversionKey(c.locks.map((l) => names.get(l) ?? l))) };
    out.push({ json, shortest: closes[0]?.locks.length ?? Number.POSITIVE_INFINITY });
  }
  // Edges that close or break something first, the shortest cycle first; then by name.
  return out
    .sort((a, b) => a.shortest - b.shortest || (a.json.from === b.json.from ? (a.json.to < b.json.to ? -1 : a.json.to > b.json.to ? 1 : 0) : a.json.from < b.json.from ? -1 : 1))
    .map((x) => x.json);
}

/** Added edges are named as after the patch, removed ones as before it (as their inversions are). */
export function edgeChanges(before: AnalysisResult, after: AnalysisResult, diff: OrderDiff): EdgeSet {
  const beforePairs = before.graph.pairs();
  const afterPairs = after.graph.pairs();
  const inBefore = new Set(beforePairs.map((e) => pairKey(e.from, e.to)));
  const inAfter = new Set(afterPairs.map((e) => pairKey(e.from, e.to)));
  return {
    added: changed(afterPairs, inBefore, diff.added, after.names),
    removed: changed(beforePairs, inAfter, diff.removed, before.names),
  };
}
