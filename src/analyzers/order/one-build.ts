/**
 * A deadlock needs all its edges in one kernel build. The functions on an edge's witness carry
 * the preprocessor conditions around their definitions (`CONFIG_RT_GROUP_SCHED`, `!CONFIG_SMP`):
 * a cycle for which no choice of recorded paths (one per edge) is free of a condition and its
 * negation never happens, since one edge exists only in builds where another cannot. The same
 * for two translation units that never link together (Program.buildRules: both define one
 * global function), within a path or across the cycle. The cycle kept shows the paths of one
 * build.
 */
import { Z } from '../c/ir.ts';
import type { Chain } from '../locks/witness.ts';
import type { Cycle } from './cycles.ts';
import type { OrderEdge, OrderGraph } from './order-graph.ts';

/** The preprocessor conditions around the definition of the function a step is in (twins in `#ifdef`/`#else` apart by line). */
export type ConfigOf = (fn: string, file: string, line: number) => readonly string[] | undefined;
/** The units a file's unit never links with (Program.buildRules), and that unit; undefined if none. */
export type ExclusiveOf = (file: string) => { unit: string; excludes: ReadonlySet<string> } | undefined;

/** What the Makefiles say of builds (context/kbuild.ts): beyond the preprocessor conditions. */
export interface BuildRules {
  exclusiveOf?: ExclusiveOf;
  /** The macros every build of a file gets from the Makefile conditional naming its object. */
  objectMacros?: (file: string) => readonly string[] | undefined;
  /** Whether a Makefile passes the two macros only in blocks no build enters both of. */
  apart?: (a: string, b: string) => boolean;
}

interface BuildNeeds {
  conditions: Set<string>;
  /** Units the steps are in that exclude some other unit. */
  units: Map<string, ReadonlySet<string>>;
}

/** The cycle with paths that fit one build, or null when none do. */
export function inOneBuild(c: Cycle, graph: OrderGraph, configOf: ConfigOf, rules: BuildRules = {}): Cycle | null {
  const options = c.edges.map((e) => {
    const alternatives = [...graph.variantsOf(e.from, e.to)].filter((a) => a !== e && a.held.read === e.held.read && a.taken.read === e.taken.read);
    // A path whose own steps need two units that never link together is in no build.
    return [e, ...alternatives].map((edge) => ({ edge, needs: needsOf(edge, configOf, rules) })).filter((o) => !clash(o.needs, o.needs, rules));
  });
  const chosen: OrderEdge[] = [];
  const pick = (i: number, sofar: BuildNeeds): boolean => {
    if (i === options.length) return true;
    for (const o of options[i] ?? []) {
      if (clash(o.needs, sofar, rules)) continue;
      chosen[i] = o.edge;
      if (pick(i + 1, { conditions: new Set([...sofar.conditions, ...o.needs.conditions]), units: new Map([...sofar.units, ...o.needs.units]) })) return true;
    }
    return false;
  };
  if (!pick(0, { conditions: new Set(), units: new Map() })) return null;
  return chosen.every((e, i) => e === c.edges[i]) ? c : { ...c, edges: chosen };
}

function needsOf(e: OrderEdge, configOf: ConfigOf, rules: BuildRules): BuildNeeds {
  const conditions = new Set<string>();
  const units = new Map<string, ReadonlySet<string>>();
  const visit = (chain: Chain | null): void => {
    for (let c = chain; c; c = c.next) {
      for (const k of configOf(c.step.function, c.step.file, c.step.line) ?? []) if (/^!?(?:#if )?\w+$/.test(k)) conditions.add(k);
      // A file its Makefile builds only under a conditional: that conditional's macros too.
      for (const k of rules.objectMacros?.(c.step.file) ?? []) conditions.add(k);
      const x = rules.exclusiveOf?.(c.step.file);
      if (x) units.set(x.unit, x.excludes);
    }
  };
  visit(e.held.chain);
  visit(e.taken.chain);
  // The `#ifdef X` branches inside functions the two acquisitions' paths went through.
  for (const a of [e.held, e.taken]) {
    for (const f of a.config ?? []) {
      if (!/^#\w+$/.test(f.key)) continue;
      if (f.mask === Z) conditions.add(`!${f.key.slice(1)}`);
      else if (!(f.mask & Z)) conditions.add(f.key.slice(1));
    }
  }
  return { conditions, units };
}

/** A condition and its negation, two macros no build passes together, or two units that never link together. */
function clash(a: BuildNeeds, b: BuildNeeds, rules: BuildRules): boolean {
  if ([...a.conditions].some((k) => b.conditions.has(negation(k)))) return true;
  if (rules.apart) {
    for (const x of a.conditions) {
      if (x.startsWith('!')) continue;
      for (const y of b.conditions) if (!y.startsWith('!') && x !== y && rules.apart(x, y)) return true;
    }
  }
  for (const [unit, excludes] of a.units) for (const other of b.units.keys()) if (other !== unit && excludes.has(other)) return true;
  return false;
}

const negation = (k: string): string => (k.startsWith('!') ? k.slice(1) : `!${k}`);
