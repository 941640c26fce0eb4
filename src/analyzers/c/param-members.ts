/**
 * Which members of the object a function is handed it may store into (or test): per
 * parameter, the first member of every store through it (`p->nodes[i] = b`, `p->a.b = 0`: nodes, a), and what
 * the functions it hands the parameter on to store (`init(p)`), to a fixpoint over recursive
 * calls. Object by object, unlike a member name stored anywhere below: a function that
 * allocates and fills its own object does not count against the one its caller handed it.
 * Functions without a body here are taken to store nothing (a caller that hands zeroed memory
 * to one directly forgets it instead, see function-analysis.ts).
 */
import { atomKeys, callEvents, opsOf, type CallGraph } from './call-graph.ts';
import type { FunctionEntry, Program } from './program.ts';

/** Per parameter index, the member names stored (or, from paramReads, tested) through it. */
export type ParamMembers = readonly ReadonlySet<string>[];

/** The members a function tests through each parameter (`if (p->flag)`), or hands on to be tested. */
export function paramReads(program: Program, graph: CallGraph): (id: number) => ParamMembers {
  return paramMembers(program, graph, (e, add) => {
    e.fn.params.forEach((p, i) => {
      const through = new RegExp(`(?<![\\w.>])${p.name}(?:->|\\.)(\\w+)`, 'g');
      for (const key of atomKeys(e.fn.body)) for (const m of key.matchAll(through)) add(i, m[1] as string);
    });
  });
}

export function paramWrites(program: Program, graph: CallGraph): (id: number) => ParamMembers {
  return paramMembers(program, graph, (e, add, params) => {
    opsOf(e.fn.body, (o) => {
      if (o.k !== 'set') return;
      const m = /^(\w+)(?:->|\.)(\w+)/.exec(o.target);
      const i = m ? params.get(m[1] as string) : undefined;
      if (i !== undefined) add(i, m?.[2] as string);
    });
  });
}

function paramMembers(
  program: Program,
  graph: CallGraph,
  own: (e: FunctionEntry, add: (i: number, member: string) => void, params: ReadonlyMap<string, number>) => void,
): (id: number) => ParamMembers {
  const out = new Map<number, Set<string>[]>();
  const get = (id: number): Set<string>[] => {
    let w = out.get(id);
    if (!w) out.set(id, (w = program.functions[id]?.fn.params.map(() => new Set<string>()) ?? []));
    return w;
  };
  for (const comp of graph.components) {
    const recursive = comp.length > 1 || (graph.succ[comp[0]?.id ?? -1] ?? []).includes(comp[0]?.id ?? -1);
    for (let changed = true; changed; ) {
      changed = false;
      for (const e of comp) {
        const mine = get(e.id);
        const params = new Map(e.fn.params.map((p, i) => [p.name, i]));
        const add = (i: number, member: string): void => {
          const cur = mine[i];
          if (!cur || cur.has(member)) return;
          cur.add(member);
          changed = true;
        };
        own(e, add, params);
        for (const ev of callEvents(e.fn.body)) {
          const targets = ev.indirect
            ? (program.pointerTargets(ev.indirect.object, ev.indirect.member, e.fn, e.file, ev.args, ev.indirect.dot)?.targets ?? [])
            : [program.resolveCallee(ev.callee, e.file)].filter((t) => t !== undefined);
          if (targets.length === 0) continue;
          ev.args.forEach((a, j) => {
            const i = a ? params.get(a.root) : undefined;
            if (i === undefined || !a) return;
            for (const t of targets) {
              const theirs = get(t.id)[j];
              if (!theirs || theirs.size === 0) continue;
              // `init(&p->sub)`: what it stores is inside p->sub.
              if (a.fields.length > 0) add(i, a.fields[0] as string);
              else for (const m of theirs) add(i, m);
            }
          });
        }
      }
      if (!recursive) break;
    }
  }
  return (id) => get(id);
}
