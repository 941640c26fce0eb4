/**
 * Which callers need a summary that knows a lock is held: `if (rtnl_is_locked()) { rtnl_unlock();
 * relock = true; }` in a callee answers yes for a caller holding it, and only that branch runs
 * there. Only single-instance locks count: for a struct member's class, the instance asked about
 * may not be the one held.
 */
import { callEvents, type CallGraph } from '../c/call-graph.ts';
import type { Program } from '../c/program.ts';
import type { Catalogue } from './catalogue.ts';
import type { LockClasses } from './lock-classes.ts';

/**
 * Per function, the single-instance locks (a global, a file's static, a fixed class such as
 * rtnl_mutex) it or a function it reaches asks whether they are held (`rtnl_is_locked()`):
 * the callers holding one get a summary that knows the answer. Undefined when nothing asks.
 */
export function heldQueries(program: Program, classes: LockClasses, catalogue: Catalogue, graph: CallGraph): Map<number, Set<string>> | undefined {
  const askers = new Map<string, number[]>();
  for (const e of program.functions) {
    for (const ev of callEvents(e.fn.body)) {
      const effect = ev.indirect ? undefined : catalogue.get(ev.callee);
      if (effect?.k !== 'heldQuery') continue;
      const arg = ev.args[effect.arg];
      const ref = effect.fixedClass ? { c: effect.fixedClass, provenance: 'fixed' as const } : arg ? classes.resolve(arg, e) : null;
      if (!ref || !('c' in ref) || (ref.provenance !== 'global' && ref.provenance !== 'static' && ref.provenance !== 'fixed')) continue;
      askers.set(ref.c, [...(askers.get(ref.c) ?? []), e.id]);
    }
  }
  if (askers.size === 0) return undefined;
  const out = new Map<number, Set<string>>();
  for (const [c, ids] of askers) {
    // Every caller, transitively, of a function that asks.
    const seen = new Set(ids);
    const queue = [...ids];
    while (queue.length) {
      const id = queue.pop() as number;
      let set = out.get(id);
      if (!set) out.set(id, (set = new Set()));
      set.add(c);
      for (const { caller } of graph.callers.get(id) ?? []) {
        if (seen.has(caller.id)) continue;
        seen.add(caller.id);
        queue.push(caller.id);
      }
    }
  }
  return out;
}
