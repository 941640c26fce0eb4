/**
 * Which callers need a summary that knows a lock is held: `if (rtnl_is_locked()) { rtnl_unlock();
 * relock = true; }` in a callee answers yes for a caller holding it, and only that branch runs
 * there. Only single-instance locks count: for a struct member's class, the instance asked about
 * may not be the one held. A context query (`in_interrupt()`) asks about a region the same way,
 * and `in_atomic()` or `preempt_count()` whether the caller is atomic at all (as preemption off).
 */
import { atomKeys, callEvents, eachTestedLeaf, type CallGraph } from '../c/call-graph.ts';
import type { AccessPath, CallEvent } from '../c/ir.ts';
import type { FunctionEntry, Program } from '../c/program.ts';
import { ATOMIC_QUERIES, CONTEXT_QUERIES, type Catalogue } from './catalogue.ts';
import { PREEMPT_OFF } from './held-set.ts';
import type { LockClasses } from './lock-classes.ts';

/**
 * Per function, the single-instance locks (a global, a file's static, a fixed class such as
 * rtnl_mutex) it or a function it reaches asks whether they are held (`rtnl_is_locked()`):
 * the callers holding one get a summary that knows the answer. Undefined when nothing asks.
 */
export function heldQueries(program: Program, classes: LockClasses, catalogue: Catalogue, graph: CallGraph): Map<number, Set<string>> | undefined {
  const askers = new Map<string, number[]>();
  let singletons: Map<string, string | null> | undefined;
  const ask = (c: string, id: number): void => void askers.set(c, [...(askers.get(c) ?? []), id]);
  for (const e of program.functions) {
    // `if (!in_interrupt())`: a question about a region (softirqs off), which a caller may be in.
    for (const key of atomKeys(e.fn.body)) {
      const region = CONTEXT_QUERIES.get(key);
      if (region !== undefined) ask(region, e.id);
    }
    // `if (in_atomic())`, `a = in_atomic(); .. if (a)`: whether a caller is atomic at all, asked
    // as preemption off. Not `preempt_count() & PREEMPT_ACTIVE` nor `preempt_count() += n`.
    if (asksAtomic(program, e)) ask(PREEMPT_OFF, e.id);
    for (const ev of callEvents(e.fn.body)) {
      const effect = ev.indirect ? undefined : catalogue.get(ev.callee);
      if (effect?.k !== 'heldQuery') continue;
      const arg = ev.args[effect.arg];
      const ref = effect.fixedClass ? { c: effect.fixedClass, provenance: 'fixed' as const } : arg ? classes.resolve(arg, e) : null;
      if (!ref || !('c' in ref)) continue;
      if (ref.provenance === 'global' || ref.provenance === 'static' || ref.provenance === 'fixed') ask(ref.c, e.id);
      // `mutex_is_locked(&gdev->engine.lock)`: one object too, where every use reaches it so.
      else if (arg && (singletons ??= onlyThroughOneGlobal(program, classes, catalogue)).get(ref.c) === globalRoot(program, e, arg)) ask(ref.c, e.id);
    }
  }
  if (askers.size === 0) return undefined;
  // Every caller, from the complete edges: the graph keeps only a hub's first callers (enough
  // for a witness), and a send path every command goes through asks for all of them.
  const callersOf: number[][] = program.functions.map(() => []);
  graph.succ.forEach((callees, caller) => {
    for (const callee of callees) callersOf[callee]?.push(caller);
  });
  const out = new Map<number, Set<string>>();
  for (const [c, ids] of askers) {
    // Every caller, transitively, of a function that asks; whether the caller is atomic at all,
    // only a few calls up (a delay helper's callers): asked by every caller of a debug check
    // below the scheduler, it would split the summaries of half the program.
    const depth = c === PREEMPT_OFF ? ATOMIC_QUERY_DEPTH : Infinity;
    const seen = new Set(ids);
    let level = [...ids];
    for (let d = 0; level.length && d <= depth; d++) {
      const next: number[] = [];
      for (const id of level) {
        let set = out.get(id);
        if (!set) out.set(id, (set = new Set()));
        set.add(c);
        for (const caller of callersOf[id] ?? []) {
          if (seen.has(caller)) continue;
          seen.add(caller);
          next.push(caller);
        }
      }
      level = next;
    }
  }
  return out;
}

/** `in_atomic()` or `preempt_count()` as the kernel has them (no body of the program's own). */
export function isAtomicQuery(program: Program, ev: CallEvent): boolean {
  return ev.args.length === 0 && ATOMIC_QUERIES.has(`${ev.callee}()`) && !program.hasFunction(ev.callee);
}

/** Calls up from a function asking whether it runs atomic that still learn the answer from their caller. */
const ATOMIC_QUERY_DEPTH = 2;

/** Whether a function tests `in_atomic()` or `preempt_count()` itself, or keeps its value to test. */
function asksAtomic(program: Program, e: FunctionEntry): boolean {
  const query = (ev: CallEvent): boolean => isAtomicQuery(program, ev);
  let asks = callEvents(e.fn.body).some((ev) => ev.assignTo !== undefined && query(ev));
  eachTestedLeaf(e.fn.body, (c) => {
    if ((c.k === 'atom' && ATOMIC_QUERIES.has(c.key)) || (c.k === 'call' && query(c.ev))) asks = true;
  });
  return asks;
}

/** The global variable a lock operand is reached through (`gdev->lock`, or `p->lock` with `p = gdev`), if any. */
function globalRoot(program: Program, e: FunctionEntry, arg: AccessPath): string | undefined {
  const root = e.fn.aliases?.[arg.root]?.text ?? arg.root;
  if (!/^\w+$/.test(root) || arg.text.includes('[') || (root in e.fn.vars && !e.fn.aliases?.[arg.root])) return undefined;
  return program.isGlobalVariable(root, e.file) ? root : undefined;
}

/**
 * Per member lock class, the one global pointer every lock operation on it in the program
 * goes through (`gpdev->engine.lock` everywhere): that class is one object. null where some
 * operation reaches it otherwise.
 */
function onlyThroughOneGlobal(program: Program, classes: LockClasses, catalogue: Catalogue): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const e of program.functions) {
    for (const ev of callEvents(e.fn.body)) {
      const effect = ev.indirect ? undefined : catalogue.get(ev.callee);
      if (!effect || !('arg' in effect) || typeof effect.arg !== 'number' || effect.arg < 0) continue;
      const arg = ev.args[effect.arg];
      const ref = arg ? classes.resolve(arg, e) : null;
      if (!arg || !ref || !('c' in ref) || ref.provenance === 'global' || ref.provenance === 'static') continue;
      const root = globalRoot(program, e, arg) ?? null;
      const known = out.get(ref.c);
      out.set(ref.c, known === undefined || known === root ? root : null);
    }
  }
  return out;
}
