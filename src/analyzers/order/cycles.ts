/**
 * Inversions: the elementary cycles of the lock-order graph, each reported once (rotated to
 * start at its smallest lock class, as Goblint does), shortest first. Enumeration runs per
 * strongly connected component with a length and a count bound, so a dense graph cannot blow
 * up; `bounded` says when a bound was hit. A cycle is kept only if some choice of its edges'
 * modes makes every CPU wait: two read acquisitions of an rwlock_t never wait on each other.
 */
import { stronglyConnected } from '../util/tarjan.ts';
import type { OrderGraph } from './order-graph.ts';
import type { OrderEdge } from '../locks/summary.ts';

export interface Cycle {
  /** Lock classes in cycle order, starting at the smallest. */
  locks: string[];
  /** edges[i] goes locks[i] -> locks[(i + 1) % n]. */
  edges: OrderEdge[];
  /** The identity of an inversion across before/after: its set of lock classes. */
  key: string;
}

export interface CycleOptions {
  maxLength: number;
  maxCycles: number;
}

export const DEFAULT_CYCLE_OPTIONS: CycleOptions = { maxLength: 6, maxCycles: 500 };

export const cycleKey = (locks: readonly string[]): string => [...new Set(locks)].sort().join(' <-> ');

export function findCycles(graph: OrderGraph, options: CycleOptions = DEFAULT_CYCLE_OPTIONS): { cycles: Cycle[]; bounded: boolean } {
  const nodes = graph.nodes();
  const order = new Map(nodes.map((n, i) => [n, i]));
  const comps = components(graph, nodes);
  const cycles: Cycle[] = [];
  const seen = new Set<string>();
  let bounded = false;

  const emit = (path: string[]): void => {
    const edges = chooseModes(graph, path);
    if (!edges) return;
    const id = path.join('\u0000');
    if (seen.has(id)) return;
    seen.add(id);
    cycles.push({ locks: [...path], edges, key: cycleKey(path) });
  };

  for (const comp of comps) {
    const inComp = new Set(comp);
    for (const start of comp) {
      if (cycles.length >= options.maxCycles) {
        bounded = true;
        break;
      }
      const s = order.get(start) as number;
      const path = [start];
      const onPath = new Set([start]);
      // Only nodes ordered after `start`: each cycle is found once, from its smallest node.
      const dfs = (v: string): void => {
        for (const w of graph.successors(v)) {
          if (cycles.length >= options.maxCycles) {
            bounded = true;
            return;
          }
          if (w === start) {
            emit(path);
            continue;
          }
          if (!inComp.has(w) || onPath.has(w) || (order.get(w) as number) < s) continue;
          if (path.length >= options.maxLength) {
            bounded = true;
            continue;
          }
          path.push(w);
          onPath.add(w);
          dfs(w);
          path.pop();
          onPath.delete(w);
        }
      };
      dfs(start);
    }
  }
  cycles.sort((a, b) => a.locks.length - b.locks.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { cycles, bounded };
}

/**
 * Picks one edge variant per hop so that at every lock the CPU wanting it really waits for the
 * CPU holding it; null when only read-read rwlock hops close the cycle.
 */
function chooseModes(graph: OrderGraph, locks: readonly string[]): OrderEdge[] | null {
  const n = locks.length;
  const options = locks.map((l, i) => [...graph.variants(l, locks[(i + 1) % n] as string)]
    .sort((a, b) => Number(a.held.read) + Number(a.taken.read) - (Number(b.held.read) + Number(b.taken.read))));
  const waits = (into: OrderEdge, outOf: OrderEdge): boolean =>
    !(into.taken.read && outOf.held.read && (into.taken.kind === 'rwlock' || outOf.held.kind === 'rwlock'));
  const chosen: OrderEdge[] = [];
  const pick = (i: number): boolean => {
    if (i === n) return waits(chosen[n - 1] as OrderEdge, chosen[0] as OrderEdge);
    for (const e of options[i] ?? []) {
      if (i > 0 && !waits(chosen[i - 1] as OrderEdge, e)) continue;
      chosen.push(e);
      if (pick(i + 1)) return true;
      chosen.pop();
    }
    return false;
  };
  return pick(0) ? chosen : null;
}

/** Strongly connected components that can hold a cycle (size > 1, or a self-loop). */
function components(graph: OrderGraph, nodes: string[]): string[][] {
  const id = new Map(nodes.map((n, i) => [n, i]));
  const succ = nodes.map((n) => graph.successors(n).map((w) => id.get(w) as number));
  return stronglyConnected(nodes.length, (v) => succ[v] as number[])
    .map((comp) => comp.map((i) => nodes[i] as string).sort())
    .filter((comp) => comp.length > 1 || graph.variants(comp[0] as string, comp[0] as string).length > 0);
}
