/**
 * Where functions run, from what the program itself registers: hardirq handlers
 * (`request_irq(irq, handler, ...)`, the primary handler of `request_threaded_irq`), softirq
 * callbacks (timers by `setup_timer`/`timer_setup` or `.function = fn`, tasklets, NAPI poll,
 * `call_rcu`, the members the core calls in a context of its own: catalogue CONTEXT_CALLBACKS),
 * work functions (`INIT_WORK(&w, fn)`), each also when a wrapper registers its parameter, and the
 * roots: functions nothing in the program calls and nothing registers, taken to run in process
 * context with hardirqs enabled (softirqs only where softirqs-on.ts sees them on). Shared by the
 * checkers that need a context (irq-safety, sleep in atomic context, flush under lock).
 */
import { DECLARED_CALLBACKS } from '../c/declared-callbacks.ts';
import type { FunctionEntry, Program } from '../c/program.ts';
import type { AccessPath, CallEvent } from '../c/ir.ts';
import { CONTEXT_CALLBACKS, type Catalogue, type LockEffect } from '../locks/catalogue.ts';
import { callEvents } from '../c/call-graph.ts';
import { isClass } from '../locks/lock-ref.ts';
import type { ChainStep } from '../report-types.ts';
import { step } from '../locks/witness.ts';
import type { ProgramView } from './types.ts';

export interface Registration {
  fn: FunctionEntry;
  ctx: 'hardirq' | 'softirq' | 'process';
  what: string;
  /** Where it was registered. */
  at: ChainStep;
  /** The class of the object it was registered for (the work or timer), when it has one. */
  object?: string;
}

export interface Contexts {
  /** Registered callbacks, by function id (a function may be registered several ways). */
  registered: ReadonlyMap<number, readonly Registration[]>;
  /** Work and timer functions by the class of their object (`foo_dev.reset_work`). */
  byObject: ReadonlyMap<string, readonly Registration[]>;
  /** Functions nothing calls or registers: entry points in process context. */
  roots: readonly FunctionEntry[];
}

const cache = new WeakMap<ProgramView, Contexts>();

type RegisterEffect = Extract<LockEffect, { k: 'register' }>;

/** The calls of `functions` that register a function of the program (`INIT_WORK(&w, fn)`, `request_irq(irq, fn, ..)`), with it. */
export function registrations(functions: readonly FunctionEntry[], program: Program, catalogue: Catalogue): { entry: FunctionEntry; ev: CallEvent; effect: RegisterEffect; target: FunctionEntry }[] {
  const out: { entry: FunctionEntry; ev: CallEvent; effect: RegisterEffect; target: FunctionEntry }[] = [];
  for (const entry of functions) {
    for (const ev of callEvents(entry.fn.body)) {
      const effect = catalogue.get(ev.callee);
      if (effect?.k !== 'register') continue;
      const arg = ev.args[effect.fnArg];
      // A wrapper registering its parameter (`ata_host_activate(host, irq, handler, ..)` calling
      // `request_irq(irq, handler, ..)`): what its callers pass there is registered.
      const param = arg && arg.fields.length === 0 && !arg.rootCall ? entry.fn.params.findIndex((p) => p.name === arg.root) : -1;
      const targets = param >= 0 ? program.passedFor(entry.fn.name, param) : arg && arg.fields.length > 0 && !arg.rootCall ? storedMember(arg, entry) : [program.functionArgument(arg, entry.file)];
      for (const target of targets) if (target) out.push({ entry, ev, effect, target });
    }
  }
  return out;

  /** `setup_timer(&q->timer, f->frag_expire, ..)`: the functions stored into that member of that struct. */
  function storedMember(arg: AccessPath, entry: FunctionEntry): FunctionEntry[] {
    const tag = program.structOfPath({ ...arg, fields: arg.fields.slice(0, -1) }, entry.fn, entry.file);
    return tag ? program.storedInto(tag, [arg.fields[arg.fields.length - 1] as string]).map((s) => s.entry) : [];
  }
}

export function contextsOf(view: ProgramView): Contexts {
  const hit = cache.get(view);
  if (hit) return hit;
  const registered = new Map<number, Registration[]>();
  const byObject = new Map<string, Registration[]>();
  const add = (r: Registration): void => {
    const list = registered.get(r.fn.id) ?? [];
    list.push(r);
    registered.set(r.fn.id, list);
    if (r.object) {
      const byObj = byObject.get(r.object) ?? [];
      byObj.push(r);
      byObject.set(r.object, byObj);
    }
  };
  for (const { entry, ev, effect, target } of registrations(view.functions, view.program, view.catalogue)) {
    const obj = effect.objArg !== undefined ? ev.args[effect.objArg] : null;
    const ref = obj ? view.classes.resolve(obj, entry) : null;
    add({
      fn: target, ctx: effect.ctx, what: effect.what, at: step('call', entry.fn.name, entry.file, ev.line, { callee: ev.callee }),
      ...(ref && isClass(ref) ? { object: ref.c } : {}),
    });
  }
  // `static DECLARE_DELAYED_WORK(w, fn);`: bound where the object is defined (c/declared-callbacks.ts).
  for (const file of view.program.files) {
    for (const d of file.declaredCallbacks ?? []) {
      const target = view.program.resolveCallee(d.fn, file.path);
      const as = DECLARED_CALLBACKS.get(d.macro);
      if (!target || !as) continue;
      const [root = '', ...fields] = d.object.split('.');
      const ref = root ? view.classes.resolve({ root, fields, text: d.object.replace(/\./g, '->') }, target) : null;
      add({ fn: target, ctx: as.ctx, what: as.what, at: step('call', d.object || d.macro, file.path, d.line, { callee: d.macro }), ...(ref && isClass(ref) ? { object: ref.c } : {}) });
    }
  }
  // `timer.function = fn;`, `.ndo_tx_timeout = fn`, `.func = fn` of a packet_type: callbacks the
  // core runs in a context of its own (catalogue CONTEXT_CALLBACKS). Not a member the program
  // saves elsewhere: it interposes its own callback and runs the saved one where it likes (a
  // bio's completion replaced by one that queues the original to a worker thread).
  for (const { tag, members, ctx, what } of CONTEXT_CALLBACKS) {
    const kept = members.filter((m) => !view.program.savesMember(tag, m));
    for (const { entry: target } of view.program.storedInto(tag, kept)) add({ fn: target, ctx, what, at: step('enter', target.fn.name, target.file, target.fn.line) });
  }

  // An hrtimer callback whose timer is a member of a struct some header defines
  // (`ts->sched_timer.function = fn`, the type not in the program): known by its one parameter,
  // `struct hrtimer *`, where nothing calls it directly.
  for (const e of view.functions) {
    const only = e.fn.params.length === 1 ? e.fn.vars[(e.fn.params[0] as { name: string }).name] : undefined;
    if (only?.k !== 'struct' || only.name !== 'hrtimer' || !only.ptr || registered.has(e.id) || view.callers.has(e.id) || e.fn.isMacro) continue;
    add({ fn: e, ctx: 'hardirq', what: 'hrtimer', at: step('enter', e.fn.name, e.file, e.fn.line) });
  }
  const roots = view.functions.filter((e) => !view.callers.has(e.id) && !registered.has(e.id) && !e.fn.isMacro);
  const out: Contexts = { registered, byObject, roots };
  cache.set(view, out);
  return out;
}


export { SPINNING } from '../locks/held-set.ts';
/** Locks whose acquisition may sleep. */
export const SLEEPING = new Set(['mutex', 'rwsem', 'semaphore', 'rt_mutex']);
