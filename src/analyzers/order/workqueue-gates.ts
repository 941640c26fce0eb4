/**
 * Work that is over for good. `destroy_workqueue(wq)` waits for the queue's work and no work runs
 * on it afterwards, so an order edge a function makes after destroying a queue never happens at
 * the same time as one that only that queue's work makes:
 *
 *   stop():  destroy_workqueue(rx_wq); lock(conns); close() -> lock(sock)      conns -> sock
 *   rx work: lock(sock); lookup() -> lock(conns)                               sock -> conns
 *
 * As gates (gates.ts): the teardown holds the queue exclusively, the work holds it shared, so
 * a cycle needing both is gated. A destroy counts where it is among the function's own
 * statements, not under a branch, before the edge's first lock, itself or in a callee that
 * always destroys (a `work_stop()` helper); a label between them (a goto may come around it)
 * undoes it. Only a queue in a variable of file scope counts: one in a member is one device's,
 * and another device's work still runs.
 *
 * A function runs only from a queue's work when nothing outside that work reaches it: the
 * queue's work functions are those registered only on items the program alone arms
 * (armed-callbacks.ts; an item in a struct a `.c` file defines is one: no other unit names its
 * members) and every arming call of those items queues them on that queue; every
 * other function nothing here calls, or that files outside may call (not static, not known to
 * be called only here), is run from elsewhere, and so is all it calls, a work function too. A
 * function stored into a member is taken to run from the calls through that member here.
 */
import { callEvents } from '../c/call-graph.ts';
import { armedCallbacks } from '../c/armed-callbacks.ts';
import type { CallGraph } from '../c/call-graph.ts';
import type { Catalogue } from '../locks/catalogue.ts';
import { writtenTag } from '../c/unit-local-structs.ts';
import type { AccessPath, Stmt } from '../c/ir.ts';
import type { FunctionEntry, Program } from '../c/program.ts';
import type { Gate } from './gates.ts';

/** The calls that put a work item on a queue: the queue's argument and the item's. */
const QUEUEING: ReadonlyMap<string, { wq: number; work: number }> = new Map([
  ['queue_work', { wq: 0, work: 1 }],
  ['queue_delayed_work', { wq: 0, work: 1 }],
  ['mod_delayed_work', { wq: 0, work: 1 }],
  ['queue_rcu_work', { wq: 0, work: 1 }],
  ['queue_work_on', { wq: 1, work: 2 }],
  ['queue_delayed_work_on', { wq: 1, work: 2 }],
  ['mod_delayed_work_on', { wq: 1, work: 2 }],
]);

const DESTROY = 'destroy_workqueue';

/** The gate of a queue's life, in gates.ts terms (no lock class starts with `@`). */
const gateClass = (wq: string): string => `@workqueue ${wq}`;

interface Destroy {
  wq: string;
  line: number;
  /** A label after it, at this line: a goto may reach what follows without it. */
  until: number;
  /** Done on every way through the function (no return or goto before it). */
  always: boolean;
}

/** Gates of an edge whose first lock is taken (or first call made) in `fn` at `line`. */
export type WorkqueueGates = (fn: FunctionEntry, line: number) => readonly Gate[] | undefined;

export function workqueueGates(program: Program, graph: CallGraph, catalogue: Catalogue, structsOnlyHere: ReadonlySet<string>, calledOnlyByName: ReadonlySet<string>): WorkqueueGates | undefined {
  /** A queue in a variable of file scope: its name (a static's with its unit). */
  const queueOf = (a: AccessPath | null | undefined, e: FunctionEntry): string | undefined => {
    if (!a || a.rootCall || a.cast || a.fields.length > 0 || a.root in e.fn.vars || !program.isGlobalVariable(a.root, e.file)) return undefined;
    const unit = program.unitOf(e.file);
    return program.statics.get(unit)?.has(a.root) ? `${unit}:${a.root}` : a.root;
  };

  const destroys = new Map<number, readonly Destroy[]>();
  const destroysOf = (e: FunctionEntry, seen: Set<number>): readonly Destroy[] => {
    const hit = destroys.get(e.id);
    if (hit) return hit;
    if (seen.has(e.id)) return [];
    seen.add(e.id);
    const out: Destroy[] = [];
    let always = true;
    let lastLine = e.fn.line;
    const walk = (st: Stmt): boolean => {
      switch (st.k) {
        case 'block':
          return st.body.every(walk);
        case 'scoped':
          return walk(st.body);
        case 'ops':
          for (const op of st.ops) {
            if (op.k !== undefined) continue;
            lastLine = op.line;
            if (op.indirect) continue;
            if (op.callee === DESTROY) {
              const wq = queueOf(op.args[0], e);
              if (wq) out.push({ wq, line: op.line, until: Number.POSITIVE_INFINITY, always });
              continue;
            }
            const callee = program.resolveCallee(op.callee, e.file);
            if (!callee) continue;
            for (const d of destroysOf(callee, seen)) if (d.always && d.until === Number.POSITIVE_INFINITY) out.push({ wq: d.wq, line: op.line, until: Number.POSITIVE_INFINITY, always });
          }
          return true;
        case 'label':
          for (const d of out) if (d.until === Number.POSITIVE_INFINITY) d.until = lastLine;
          return true;
        case 'return':
        case 'goto':
          return false;
        default:
          // A branch: what it does is not done on every way, and a way out of it leaves some undone.
          if (leaves(st)) always = false;
          return true;
      }
    };
    walk(e.fn.body);
    destroys.set(e.id, out);
    return out;
  };

  const queues = new Set<string>();
  for (const e of program.functions) for (const d of destroysOf(e, new Set())) queues.add(d.wq);
  if (!queues.size) return undefined;
  const armed = armedCallbacks(program, catalogue, new Set([...structsOnlyHere, ...unitLocalTags(program)]));

  // Each queue's work functions: registered only on items armed only by queueing them there.
  const workOf = new Map<string, Set<number>>();
  for (const [id, items] of armed.handlers) {
    let wq: string | undefined;
    const only = items.every((item) => {
      const arming = armed.arming.get(item) ?? [];
      if (!arming.length) return false;
      return arming.every(({ caller, line }) => {
        const evs = callEvents(caller.fn.body).filter((ev) => ev.line === line && !ev.indirect && QUEUEING.has(ev.callee));
        if (!evs.length) return false;
        return evs.every((ev) => {
          const q = queueOf(ev.args[(QUEUEING.get(ev.callee) as { wq: number }).wq], caller);
          if (!q || (wq !== undefined && q !== wq)) return false;
          wq = q;
          return true;
        });
      });
    });
    if (!only || wq === undefined || !queues.has(wq)) continue;
    let set = workOf.get(wq);
    if (!set) workOf.set(wq, (set = new Set()));
    set.add(id);
  }

  // Per queue, the functions only its work reaches: all but those reached from elsewhere.
  const onlyFrom = new Map<number, string[]>();
  for (const [wq, work] of workOf) {
    const outside = new Set<number>();
    const stack: number[] = [];
    for (const e of program.functions) {
      // A work function runs from its queue; any function, work or not, that files outside may call runs from there too.
      const elsewhere = (!work.has(e.id) && !graph.callers.has(e.id)) || (!e.fn.isStatic && !calledOnlyByName.has(e.fn.name));
      if (elsewhere) {
        outside.add(e.id);
        stack.push(e.id);
      }
    }
    while (stack.length) {
      const id = stack.pop() as number;
      // A work function called directly from elsewhere runs there too.
      for (const next of graph.succ[id] ?? []) {
        if (outside.has(next)) continue;
        outside.add(next);
        stack.push(next);
      }
    }
    for (const e of program.functions) {
      if (outside.has(e.id)) continue;
      const list = onlyFrom.get(e.id);
      if (list) list.push(wq);
      else onlyFrom.set(e.id, [wq]);
    }
  }

  return (fn, line) => {
    let out: Gate[] | undefined;
    for (const wq of onlyFrom.get(fn.id) ?? []) (out ??= []).push(`r:${gateClass(wq)}`);
    for (const d of destroys.get(fn.id) ?? []) if (d.line < line && line <= d.until) (out ??= []).push(`w:${gateClass(d.wq)}`);
    return out && [...new Set(out)].sort();
  };
}

/** Whether a statement may leave the function (a return, or a goto that may jump past what follows). */
function leaves(st: Stmt): boolean {
  switch (st.k) {
    case 'return':
    case 'goto':
      return true;
    case 'block':
      return st.body.some(leaves);
    case 'scoped':
      return leaves(st.body);
    case 'if':
      return leaves(st.then) || (st.else !== null && leaves(st.else));
    case 'loop':
      return leaves(st.body);
    case 'switch':
      return st.cases.some((c) => c.some(leaves));
    default:
      return false;
  }
}

/** Tags a `.c` file of the program gives a body and no header does: that unit's own types. */
function unitLocalTags(program: Program): string[] {
  const inHeaders = new Set<string>();
  const inUnits = new Set<string>();
  for (const f of program.files) {
    for (const st of f.structs) {
      if (Object.keys(st.fields).length === 0) continue;
      (f.path.endsWith('.h') ? inHeaders : inUnits).add(writtenTag(st.tag));
    }
  }
  return [...inUnits].filter((t) => !inHeaders.has(t));
}
