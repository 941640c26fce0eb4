/**
 * Inversions: the elementary cycles of the lock-order graph, each reported once (rotated to
 * start at its smallest lock class, as Goblint does), shortest first. Enumeration goes by
 * length (every one- and two-lock cycle before any longer one), per strongly connected
 * component, with a length, a count and a work bound, so a dense graph cannot blow up and the
 * shortest cycles are never the ones a bound hides; `bounded` says when a bound was hit. A
 * cycle is kept only if some choice of its edges' modes makes every CPU wait: a recursive
 * reader (an rwlock_t's) never waits where the holders hold the lock as readers; and none of
 * whose CPUs hold, all along, a lock another of them holds in a mode that excludes it (a gate
 * lock, gates.ts). A longer cycle all of whose edges are already in shorter reported cycles is
 * only their combination and is not reported.
 */
import { stronglyConnected } from '../util/tarjan.ts';
import type { OrderEdge, OrderGraph } from './order-graph.ts';
import type { Suppression } from '../checkers/types.ts';
import { gatedCycle } from './gates.ts';
import { recursiveRead } from '../locks/held-set.ts';


export interface Cycle {
  /** Lock classes in cycle order, starting at the smallest. */
  locks: string[];
  /** edges[i] goes locks[i] -> locks[(i + 1) % n]. */
  edges: OrderEdge[];
  /** The identity of an inversion across before/after: its set of lock classes. */
  key: string;
  /** An edge of it is marked safe in the code (order/suppressions.ts). */
  suppressed?: Suppression;
  /** Closed through the stored graph of the whole tree, outside the analysed files (tree-closure.ts). */
  throughTree?: true;
  /** Of a tree analysed by directory: made by the orders of these directories, none of which makes them all (tree-inversions.ts). */
  acrossDirectories?: string[];
}

export interface CycleOptions {
  maxLength: number;
  maxCycles: number;
  /** DFS steps before enumeration stops (a dense component has exponentially many paths). */
  maxSteps?: number;
}

export const DEFAULT_CYCLE_OPTIONS: CycleOptions = { maxLength: 6, maxCycles: 500, maxSteps: 2_000_000 };

export const cycleKey = (locks: readonly string[]): string => [...new Set(locks)].sort().join(' <-> ');

export interface CycleResult {
  cycles: Cycle[];
  bounded: boolean;
  /** Longer cycles left out because shorter reported ones already hold all their edges. */
  combinations: number;
  /** Cycles left out because two of their edges are made under one lock held in exclusive modes. */
  gated: number;
}

export function findCycles(graph: OrderGraph, options: CycleOptions = DEFAULT_CYCLE_OPTIONS): CycleResult {
  const nodes = graph.nodes();
  const order = new Map(nodes.map((n, i) => [n, i]));
  const comps = components(graph, nodes);
  const cycles: Cycle[] = [];
  const seen = new Set<string>();
  const covered = new Set<string>();
  let bounded = false;
  let combinations = 0;
  let gated = 0;
  let steps = 0;
  const maxSteps = options.maxSteps ?? Number.POSITIVE_INFINITY;

  const emit = (path: string[]): void => {
    const id = path.join('\u0000');
    if (seen.has(id)) return;
    seen.add(id);
    const edges = chooseModes(graph, path);
    if (edges === 'gated') gated++;
    if (!edges || edges === 'gated') return;
    const pairs = path.map((l, i) => `${l}>${path[(i + 1) % path.length]}`);
    if (path.length > 2 && pairs.every((p) => covered.has(p))) {
      combinations++;
      return;
    }
    for (const p of pairs) covered.add(p);
    cycles.push({ locks: [...path], edges, key: cycleKey(path) });
  };

  for (let len = 1; len <= options.maxLength && !bounded; len++) {
    const found: string[][] = [];
    for (const comp of comps) {
      if (comp.length < len) continue;
      const inComp = new Set(comp);
      for (const start of comp) {
        const s = order.get(start) as number;
        const path = [start];
        const onPath = new Set([start]);
        // Only nodes ordered after `start`: each cycle is found once, from its smallest node.
        const dfs = (v: string): void => {
          for (const w of graph.successors(v)) {
            if (++steps > maxSteps) {
              bounded = true;
              return;
            }
            if (path.length === len) {
              if (w === start) found.push([...path]);
              continue;
            }
            if (w === start || !inComp.has(w) || onPath.has(w) || (order.get(w) as number) < s) continue;
            path.push(w);
            onPath.add(w);
            dfs(w);
            path.pop();
            onPath.delete(w);
            if (bounded) return;
          }
        };
        dfs(start);
        if (bounded) break;
      }
      if (bounded) break;
    }
    found.sort((a, b) => (cycleKey(a) < cycleKey(b) ? -1 : cycleKey(a) > cycleKey(b) ? 1 : 0));
    for (const p of found) {
      if (cycles.length >= options.maxCycles) {
        bounded = true;
        break;
      }
      emit(p);
    }
    if (len === options.maxLength && comps.some((c) => c.length > len)) bounded = true;
  }
  return { cycles, bounded, combinations, gated };
}

/**
 * Picks one edge variant per hop so that at every lock the CPU wanting it really waits for the
 * CPU holding it, and no two CPUs exclude each other by a gate; null when only recursive-read
 * hops close the cycle, 'gated' when gates exclude every choice that closes it.
 */
function chooseModes(graph: OrderGraph, locks: readonly string[]): OrderEdge[] | null | 'gated' {
  const n = locks.length;
  const options = locks.map((l, i) => [...graph.variants(l, locks[(i + 1) % n] as string)]
    .sort((a, b) => Number(a.held.read) + Number(a.taken.read) - (Number(b.held.read) + Number(b.taken.read))));
  const waits = (into: OrderEdge, outOf: OrderEdge): boolean =>
    !(recursiveRead(into.taken) && outOf.held.read);
  const chosen: OrderEdge[] = [];
  let closed = false;
  const pick = (i: number): boolean => {
    if (i === n) {
      if (!waits(chosen[n - 1] as OrderEdge, chosen[0] as OrderEdge)) return false;
      closed = true;
      return gatedCycle(chosen, graph.multi) === undefined;
    }
    for (const e of options[i] ?? []) {
      if (i > 0 && !waits(chosen[i - 1] as OrderEdge, e)) continue;
      chosen.push(e);
      if (pick(i + 1)) return true;
      chosen.pop();
    }
    return false;
  };
  return pick(0) ? chosen : closed ? 'gated' : null;
}

/** Strongly connected components that can hold a cycle (size > 1, or a self-loop). */
function components(graph: OrderGraph, nodes: string[]): string[][] {
  const id = new Map(nodes.map((n, i) => [n, i]));
  const succ = nodes.map((n) => graph.successors(n).map((w) => id.get(w) as number));
  return stronglyConnected(nodes.length, (v) => succ[v] as number[])
    .map((comp) => comp.map((i) => nodes[i] as string).sort())
    .filter((comp) => comp.length > 1 || graph.variants(comp[0] as string, comp[0] as string).length > 0);
}
