/**
 * The part of the lock-order graph a review shows (the dashboard's before/after pictures): the
 * neighbourhood of the edges the patch changes, every lock within two steps of their ends in
 * either direction, before or after the patch; at most MAX_GRAPH_NODES locks, nearest first, so
 * 30 locks stay legible and a dense subsystem does not become a hairball. A patch that changes no
 * edge shows the locks of its pre-existing inversions and the edges witnessed in the functions it
 * touches. Both sides get the same lock set, so the pictures can share positions. Pure.
 */
import type { AnalysisResult } from '../analyzers/analyze-program.ts';
import { edgeJson } from '../analyzers/analysis-json.ts';
import type { OrderDiff } from '../analyzers/order/compare.ts';
import { chainSteps } from '../analyzers/locks/witness.ts';
import type { LockJson } from '../analyzers/report-types.ts';
import type { GraphView, TouchedFunctionJson } from '../review-types.ts';

export const MAX_GRAPH_NODES = 40;
const STEPS = 2;

/** Internal keys within `steps` edges of `start` (both directions, both sides), nearest first, at most `max`. */
function neighbourhood(start: readonly string[], analyses: readonly AnalysisResult[], max: number): string[] {
  const preds = new Map<string, Set<string>>();
  const succs = new Map<string, Set<string>>();
  for (const a of analyses) {
    for (const e of a.graph.pairs()) {
      (succs.get(e.from) ?? succs.set(e.from, new Set()).get(e.from))?.add(e.to);
      (preds.get(e.to) ?? preds.set(e.to, new Set()).get(e.to))?.add(e.from);
    }
  }
  const seen = new Set(start.slice(0, max));
  let frontier = [...seen];
  for (let d = 0; d < STEPS && frontier.length > 0 && seen.size < max; d++) {
    const next: string[] = [];
    for (const v of frontier) {
      for (const w of [...(succs.get(v) ?? []), ...(preds.get(v) ?? [])].sort()) {
        if (seen.has(w) || seen.size >= max) continue;
        seen.add(w);
        next.push(w);
      }
    }
    frontier = next;
  }
  return [...seen];
}

const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

export function graphAround(diff: OrderDiff, before: AnalysisResult, after: AnalysisResult, functions: ReadonlyMap<string, TouchedFunctionJson>): { before: GraphView; after: GraphView } {
  const beforePairs = new Set(before.graph.pairs().map((e) => pairKey(e.from, e.to)));
  const afterPairs = new Set(after.graph.pairs().map((e) => pairKey(e.from, e.to)));
  const changed: string[] = [];
  const note = (from: string, to: string): void => {
    for (const l of [from, to]) if (!changed.includes(l)) changed.push(l);
  };
  // Edges that close or break a cycle first, then the rest of the patch's edges.
  const inCycles = new Set([...diff.added, ...diff.removed].flatMap((c) => c.locks));
  const delta = [
    ...after.graph.pairs().filter((e) => !beforePairs.has(pairKey(e.from, e.to))),
    ...before.graph.pairs().filter((e) => !afterPairs.has(pairKey(e.from, e.to))),
  ].sort((a, b) => Number(inCycles.has(b.from) && inCycles.has(b.to)) - Number(inCycles.has(a.from) && inCycles.has(a.to)));
  for (const e of delta) note(e.from, e.to);

  let nodes: Set<string>;
  if (changed.length > 0) {
    nodes = new Set(neighbourhood(changed, [before, after], MAX_GRAPH_NODES));
  } else {
    const touchedNames = new Set([...functions.values()].map((f) => f.name));
    nodes = new Set<string>();
    for (const c of diff.unchanged) for (const l of c.locks) if (nodes.size < MAX_GRAPH_NODES) nodes.add(l);
    for (const a of [before, after]) {
      for (const e of a.graph.pairs()) {
        if (nodes.size >= MAX_GRAPH_NODES - 1) break;
        if ([...chainSteps(e.held.chain), ...chainSteps(e.taken.chain)].some((s) => touchedNames.has(s.function))) {
          nodes.add(e.from);
          nodes.add(e.to);
        }
      }
    }
  }
  const view = (a: AnalysisResult): GraphView => ({
    locks: [...nodes].map((n) => a.locks.get(n) ?? (a.names.has(n) ? ({ name: a.names.get(n) as string, kind: 'unknown', seenAs: [] } satisfies LockJson) : undefined)).filter((l): l is LockJson => l !== undefined),
    edges: a.graph.pairs().filter((e) => nodes.has(e.from) && nodes.has(e.to)).map((e) => edgeJson(e, a.names)),
  });
  return { before: view(before), after: view(after) };
}
