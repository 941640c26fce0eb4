/**
 * A review's context is the touched files and what they call; the lock-order graph of the whole
 * tree (stored-graph.ts, built once per tree) holds what the rest of the tree does. An order
 * edge the patch adds may close a cycle only through code far from the patch (a VFS lock
 * against an mm lock): here each side of the review is seen with the tree's edges around it,
 * and the cycles through an edge the patch adds or removes are found in that whole graph.
 *
 * The context recomputes what it covers: a stored witness lying wholly in the context's files
 * is replaced by the context's own analysis of that side (so an edge the patch removes is gone
 * after it). A stored witness passing through a file outside the context is kept on both sides,
 * as the base has it: the patch cannot be seen to remove it, so no cycle through it is said to
 * be removed, nor, being on both sides, added.
 */
import type { AnalysisResult } from '../analyze-program.ts';
import { classNames } from '../analysis-json.ts';
import { findCycles, DEFAULT_CYCLE_OPTIONS, type Cycle } from './cycles.ts';
import { edgeKey, OrderGraph, type OrderEdge } from './order-graph.ts';
import { filesOf, orderEdgeOf, type StoredGraph } from './stored-graph.ts';
import { baseKey } from '../locks/held-set.ts';

/** The stored tree graph around one context: its witnesses passing outside the context's files. */
export interface TreeAround {
  edges: OrderEdge[];
  keys: ReadonlySet<string>;
  kinds: StoredGraph['kinds'];
  /** Stored witnesses lying wholly in the context, replaced by its own analysis. */
  replaced: number;
  /** Classes some directory of the tree splits by a key object or never validates: no cycle through one closes through the tree. */
  reclassed: ReadonlySet<string>;
}

/** The stored graph's witnesses kept around `contextFiles`: once per review, whatever its patches. */
export function treeAround(tree: StoredGraph, contextFiles: ReadonlySet<string>): TreeAround {
  const edges: OrderEdge[] = [];
  let replaced = 0;
  for (const s of tree.edges) {
    const e = [...filesOf(s)].some((f) => !contextFiles.has(f)) ? orderEdgeOf(s, tree.kinds) : undefined;
    if (e) edges.push(e);
    else replaced++;
  }
  return { edges, keys: new Set(edges.map(edgeKey)), kinds: tree.kinds, replaced, reclassed: new Set(tree.reclassed ?? []) };
}

/**
 * `before` and `after` with the tree's graph around them: their graphs hold the kept stored
 * edges too, and their cycles also those that pass through an edge only one side has and close
 * through the tree (marked `throughTree`).
 */
export function closeThroughTree(before: AnalysisResult, after: AnalysisResult, tree: TreeAround): { before: AnalysisResult; after: AnalysisResult } {
  const beforeEdges = before.graph.witnesses();
  const afterEdges = after.graph.witnesses();
  const beforeKeys = new Set(beforeEdges.map(edgeKey));
  const afterKeys = new Set(afterEdges.map(edgeKey));
  // An edge one side has and the other has neither in its context nor around it.
  const changedBefore = beforeEdges.filter((e) => !afterKeys.has(edgeKey(e)) && !tree.keys.has(edgeKey(e)));
  const changedAfter = afterEdges.filter((e) => !beforeKeys.has(edgeKey(e)) && !tree.keys.has(edgeKey(e)));
  return { before: around(before, beforeEdges, changedBefore, tree), after: around(after, afterEdges, changedAfter, tree) };
}

function around(side: AnalysisResult, own: OrderEdge[], changed: OrderEdge[], tree: TreeAround): AnalysisResult {
  if (tree.edges.length === 0) return side;
  const graph = new OrderGraph([...own, ...tree.edges]);
  const known = new Set(side.cycles.map((c) => c.key));
  const extra: Cycle[] = [];
  const changedPairs = new Set(changed.map((e) => `${e.from}>${e.to}`));
  const candidates = new Set<OrderEdge>();
  for (const e of changed) {
    const back = shortestPath(graph, e.to, e.from, DEFAULT_CYCLE_OPTIONS.maxLength - 1);
    if (!back) continue;
    for (const v of graph.variants(e.from, e.to)) candidates.add(v);
    for (let i = 0; i + 1 < back.length; i++) for (const v of graph.variants(back[i] as string, back[i + 1] as string)) candidates.add(v);
  }
  if (candidates.size) {
    for (const c of findCycles(new OrderGraph(candidates)).cycles) {
      if (known.has(c.key) || !c.edges.some((e) => changedPairs.has(`${e.from}>${e.to}`))) continue;
      // As the analysis of the directory that splits the class leaves its cycles out.
      if (c.locks.some((l) => tree.reclassed.has(baseKey(l)))) continue;
      known.add(c.key);
      extra.push({ ...c, throughTree: true });
    }
  }
  if (extra.length === 0) return { ...side, graph };
  const keys = new Set([...side.names.keys(), ...extra.flatMap((c) => c.locks)]);
  const locks = new Map(side.locks);
  for (const k of keys) {
    const kind = tree.kinds[k];
    if (!locks.has(k) && kind) locks.set(k, { name: k, kind, seenAs: [] });
  }
  const names = classNames(keys);
  for (const [k, j] of locks) if (!side.locks.has(k)) j.name = names.get(k) ?? k;
  return { ...side, graph, cycles: [...side.cycles, ...extra], names, locks };
}

/** The nodes of a shortest path from `from` to `to` of at most `maxEdges` edges (BFS). */
function shortestPath(graph: OrderGraph, from: string, to: string, maxEdges: number): string[] | undefined {
  if (from === to) return [from];
  const parent = new Map<string, string>([[from, from]]);
  let frontier = [from];
  for (let depth = 0; depth < maxEdges && frontier.length; depth++) {
    const next: string[] = [];
    for (const n of frontier) {
      for (const m of graph.successors(n)) {
        if (parent.has(m)) continue;
        parent.set(m, n);
        if (m === to) {
          const path = [m];
          for (let p = n; p !== from; p = parent.get(p) as string) path.push(p);
          path.push(from);
          return path.reverse();
        }
        next.push(m);
      }
    }
    frontier = next;
  }
  return undefined;
}
