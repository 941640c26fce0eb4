/**
 * A deadlock needs all its edges in one kernel build. The functions on an edge's witness carry
 * the preprocessor conditions around their definitions (`CONFIG_RT_GROUP_SCHED`, `!CONFIG_SMP`):
 * a cycle for which no choice of recorded paths (one per edge) is free of a condition and its
 * negation never happens, since one edge exists only in builds where another cannot. The cycle
 * kept shows the paths of one build.
 */
import type { Chain } from '../locks/witness.ts';
import type { Cycle } from './cycles.ts';
import type { OrderEdge, OrderGraph } from './order-graph.ts';

/** The preprocessor conditions around the definition of the function a step is in (twins in `#ifdef`/`#else` apart by line). */
export type ConfigOf = (fn: string, file: string, line: number) => readonly string[] | undefined;

/** The cycle with paths that fit one build, or null when none do. */
export function inOneBuild(c: Cycle, graph: OrderGraph, configOf: ConfigOf): Cycle | null {
  const options = c.edges.map((e) => {
    const alternatives = [...graph.pathsOf(e.from, e.to).values()].filter((a) => a !== e && a.held.read === e.held.read && a.taken.read === e.taken.read);
    return [e, ...alternatives].map((edge) => ({ edge, conditions: conditionsOf(edge, configOf) }));
  });
  const chosen: OrderEdge[] = [];
  const pick = (i: number, conditions: ReadonlySet<string>): boolean => {
    if (i === options.length) return true;
    for (const o of options[i] ?? []) {
      if ([...o.conditions].some((k) => conditions.has(negation(k)))) continue;
      chosen[i] = o.edge;
      if (pick(i + 1, new Set([...conditions, ...o.conditions]))) return true;
    }
    return false;
  };
  if (!pick(0, new Set())) return null;
  return chosen.every((e, i) => e === c.edges[i]) ? c : { ...c, edges: chosen };
}

function conditionsOf(e: OrderEdge, configOf: ConfigOf): Set<string> {
  const out = new Set<string>();
  const visit = (chain: Chain | null): void => {
    for (let c = chain; c; c = c.next) for (const k of configOf(c.step.function, c.step.file, c.step.line) ?? []) if (/^!?\w+$/.test(k)) out.add(k);
  };
  visit(e.held.chain);
  visit(e.taken.chain);
  return out;
}

const negation = (k: string): string => (k.startsWith('!') ? k.slice(1) : `!${k}`);
