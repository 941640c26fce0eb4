/**
 * The lock-order checker: records an order edge each time a lock is taken while others may be
 * held (directly or inside a callee), keeps the edges whose ends are the caller's parameters in
 * the summary so each call site makes them concrete, and at the end builds the order graph and
 * its cycles: lockdep's "possible circular locking dependency" (two or more classes) and
 * "possible recursive locking" (one class taken while held, unless `_nested`/`_nest_lock` or two
 * rwlock readers).
 *
 * Not reported: cycles through a semaphore no function both takes and releases (it is an event,
 * not a lock; lockdep does not track semaphores at all), and cycles through a class whose
 * instances `lockdep_set_class()` splits (lockdep sees several classes there; lockscope cannot
 * tell which instance an acquisition uses). Both are counted.
 */
import type { Acquisition, Held } from '../locks/held-set.ts';
import { baseKey, faultTakesNothing, isPseudo, recursiveRead } from '../locks/held-set.ts';
import { isClass, orderClassOf, refKey, refOfKey, type ClassRef, type LockRef } from '../locks/lock-ref.ts';
import { chainOf, followedBy, prepend, renameLast, type Chain } from '../locks/witness.ts';
import type { Summary } from '../locks/summary.ts';
import { findCycles, type Cycle, type CycleOptions, type CycleResult } from '../order/cycles.ts';
import { edgeKey, keepShortest, OrderGraph, pathOf, type OrderEdge } from '../order/order-graph.ts';
import { inOneBuild } from '../order/one-build.ts';
import { callersAllHere } from '../order/callers-here.ts';
import { bootUnwindSteps } from '../order/boot-unwind.ts';
import { gatesBeside, unionGates } from '../order/gates.ts';
import { keepOpen, keepOutCall, keepsOutCall, MAX_OUT_DEPTH, type OpenCall, type OutCall, type SleepOut } from '../order/open-calls.ts';

import type { Checker, Finding, ProgramView, Recorder } from './types.ts';

export interface OrderPart {
  /** Edges between classes, witnessed in this function. */
  edges: ReadonlyMap<string, OrderEdge>;
  /** Edges with an end that is a parameter reference: made concrete at each call site. */
  paramEdges: ReadonlyMap<string, OrderEdge>;
  /**
   * A callee's parameter edges some call here could not make concrete (the argument names no
   * lock this function can name): `${callee id}\0${edgeKey}`. Read by the program-level view only.
   */
  unbound?: ReadonlySet<string>;
  /** Calls to callees without a body here, made directly or a few calls down (open-calls.ts): callers' locks are held around them. */
  outCalls?: ReadonlyMap<string, OutCall>;
  /** Locks held here around such calls (`from>callee`). Read by the program-level view only. */
  opens?: ReadonlyMap<string, OpenCall>;
}

/**
 * What a join of directories needs of this program's calls out of it (order/stitch-calls.ts):
 * the locks held around calls to callees it has no body for, and its non-static functions with
 * the locks each may take (classes only).
 */
export interface CallsOut {
  opens: OpenCall[];
  /**
   * `sleeps`: where it may sleep, for a caller holding a spinning lock (sleep-in-atomic.ts
   * sleepForCallersElsewhere). `holds`: the classes it may return holding, that it took
   * (`lock_super()` returns holding `super_block.s_lock`); `holdsUnnamed`: one it may return
   * holding has no class here.
   */
  defines: { fn: string; file: string; takes: Acquisition[]; sleeps?: SleepOut; holds: string[]; holdsUnnamed?: true }[];
}

type SleepOf = (s: Summary) => SleepOut | undefined;

export interface OrderResult extends CycleResult {
  graph: OrderGraph;
  calls: CallsOut;
  /**
   * Cycles left out: through an event semaphore, a class lockdep_set_class() splits, orders of
   * builds that exclude each other, or an order made only while a failed `__init` unwinds.
   */
  excluded: { semaphore: number; reclassed: number; configurations: number; bootUnwind: number };
}

export const LOCK_ORDER = 'lock-order';

/** Held on an object its function is still setting up, at the step (in that function) that starts `chain`: setup-phase.ts. */
const stillPrivate = (h: Held, chain: Chain): boolean => h.setupUntil !== undefined && chain.step.line < h.setupUntil;
const NO_EDGES: ReadonlyMap<string, OrderEdge> = new Map();

function orderRecorder(): Recorder {
  const edges = new Map<string, OrderEdge>();
  const paramEdges = new Map<string, OrderEdge>();
  const unbound = new Set<string>();
  const perEdge = new Map<string, string[]>();
  const opens = new Map<string, OpenCall>();
  const outCalls = new Map<string, OutCall>();
  const add = (e: OrderEdge): void => keepShortest(isClass(e.held.ref) && isClass(e.taken.ref) ? edges : paramEdges, e, perEdge);
  /** The locks of `held` (less those `gone` names) held around a call to `callee` without a body here. */
  const open = (held: readonly Held[], callee: string, chain: Chain, gone: readonly string[], noFault: boolean): void => {
    for (const h of held) {
      if (isPseudo(h.key) || h.phantom || h.unnamed) continue;
      if (gone.length && gone.some((k) => baseKey(k) === baseKey(h.key))) continue;
      // Field by field, in the order spreads of the flags gave: at every held lock, call and path.
      const o: OpenCall = { from: h.key, callee, held: h, chain };
      if (noFault) o.noFault = true;
      // Kept on an object still being set up too: what it orders is left out, a sleep under it is not.
      if (stillPrivate(h, chain)) o.private = true;
      keepOpen(opens, o);
    }
  };
  return {
    acquire(held: readonly Held[], taken: Acquisition): void {
      if (taken.tryLock) return;
      for (const h of held) {
        if (isPseudo(h.key) || h.phantom || h.unnamed) continue;
        // A lock of an object still being set up orders nothing (setup-phase.ts); taking it again is still recursion.
        if (h.key !== taken.key && stillPrivate(h, taken.chain)) continue;
        if (h.key === taken.key) {
          // Same class again: lockdep's recursive locking, unless annotated or a recursive read under a read.
          if (taken.nested || h.nested) continue;
          if (recursiveRead(taken) && h.read) continue;
        }
        add({ from: h.key, to: taken.key, held: h, taken, beside: gatesBeside(held, h.key, taken) });
      }
    },
    call(d, info): void {
      if (!info.summary) {
        // A callee the program has no body for, nor the catalogue an entry: another directory's.
        if (info.effect || info.callee) return;
        const chain = chainOf(info.step);
        const noFault = faultTakesNothing(d.held);
        open(d.held, info.ev.callee, chain, [], noFault);
        keepOutCall(outCalls, info.ev.callee, { chain, ...(d.gone.length ? { gone: d.gone } : {}), ...(noFault ? { noFault } : {}) });
        return;
      }
      const part = info.summary.parts.get(LOCK_ORDER) as OrderPart | undefined;
      if (!part) return;
      // Once per call, not per out-call (up to MAX_OUT_CALLS of them at every call site and path).
      let pathNoFault: boolean | undefined;
      for (const [callee, o] of part.outCalls ?? []) {
        // The callee's releases of our locks before its call, in our terms.
        const gone = o.gone?.map((k) => info.instantiate(refOfKey(k))).filter((r): r is LockRef => r !== null).map(refKey) ?? [];
        const chain = prepend(info.step, o.chain);
        const noFault = o.noFault === true || (pathNoFault ??= faultTakesNothing(d.held));
        open(d.held, callee, chain, gone, noFault);
        // What keepOutCall would turn down is not built.
        if (chain.len > MAX_OUT_DEPTH || !keepsOutCall(outCalls, callee, chain.len, noFault)) continue;
        const up = [...new Set([...gone.filter((k) => !d.held.some((h) => h.key === k && !h.entry)), ...d.gone])].sort();
        keepOutCall(outCalls, callee, { chain, ...(up.length ? { gone: up } : {}), ...(noFault ? { noFault } : {}) });
      }
      for (const e of part.paramEdges.values()) {
        const from = info.instantiate(e.held.ref);
        const to = info.instantiate(e.taken.ref);
        // Bound only where the caller can name both ends, as a class or by its own parameters.
        if (info.callee && (!from || !to || !asClass(from) || !asClass(to))) unbound.add(`${info.callee.id}\0${edgeKey(e)}`);
        if (!from || !to) continue;
        if ('c' in from && 'c' in to && from.c === to.c && (e.held.nested || e.taken.nested)) continue;
        const held = { ...e.held, ref: from, key: refKey(from), chain: prepend(info.step, renameLast(e.held.chain, from)) };
        // The taken chain continues inside the callee, after the held one: one call step only.
        const taken = { ...e.taken, ref: to, key: refKey(to), chain: renameLast(e.taken.chain, to) };
        // What the caller holds around the call is held beside the callee's edge too.
        add({ from: held.key, to: taken.key, held, taken, beside: unionGates(e.beside, gatesBeside(d.held, held.key, taken)) });
      }
    },
    part(): OrderPart {
      return { edges, paramEdges, ...(unbound.size ? { unbound } : {}), ...(outCalls.size ? { outCalls } : {}), ...(opens.size ? { opens } : {}) };
    },
  };
}


/**
 * The edges of several analyses of one function (one per combination of constants its callers
 * pass, analyze-program.ts): each edge once, the shortest witness kept.
 */
export function unionOfParts(parts: readonly (OrderPart | undefined)[]): OrderPart {
  const edges = new Map<string, OrderEdge>();
  const paramEdges = new Map<string, OrderEdge>();
  const unbound = new Set<string>();
  const perEdge = new Map<string, string[]>();
  const outCalls = new Map<string, OutCall>();
  const opens = new Map<string, OpenCall>();
  for (const p of parts) {
    for (const e of p?.edges.values() ?? []) keepShortest(edges, e, perEdge);
    for (const e of p?.paramEdges.values() ?? []) keepShortest(paramEdges, e, perEdge);
    for (const u of p?.unbound ?? []) unbound.add(u);
    for (const [callee, o] of p?.outCalls ?? []) keepOutCall(outCalls, callee, o);
    for (const o of p?.opens?.values() ?? []) keepOpen(opens, o);
  }
  return { edges, paramEdges, ...(unbound.size ? { unbound } : {}), ...(outCalls.size ? { outCalls } : {}), ...(opens.size ? { opens } : {}) };
}

/** The program's order graph and cycles, from every function's edges. */
export function orderOf(view: ProgramView, options: CycleOptions, sleepOf?: SleepOf): OrderResult {
  const all: OrderEdge[] = [];
  const unbound = new Set<string>();
  for (const s of view.summaries.values()) for (const u of (s.parts.get(LOCK_ORDER) as OrderPart | undefined)?.unbound ?? []) unbound.add(u);
  const closed = callersAllHere(view);
  for (const [id, s] of view.summaries) {
    const part = s.parts.get(LOCK_ORDER) as OrderPart | undefined;
    if (!part) continue;
    all.push(...part.edges.values());
    for (const e of part.paramEdges.values()) {
      const from = asClass(e.held.ref);
      const to = asClass(e.taken.ref);
      // Two locks a function is handed, both under their member's own class: a recursion only
      // if some caller hands it two of one class. When every caller is here and named both in
      // its own terms (`&s->q_busy`, `&s->q_free`, each initialised at its own site), the
      // callers' edges are the whole truth.
      if (!from || !to) continue;
      if (from.c === to.c && closed(id) && !unbound.has(`${id}\0${edgeKey(e)}`)) continue;
      all.push({ from: from.c, to: to.c, held: { ...e.held, ref: from, key: from.c }, taken: { ...e.taken, ref: to, key: to.c }, beside: e.beside });
    }
  }
  // A semaphore nobody both downs and ups in one function is an event, not a lock; so is one
  // initialised with a count other than 1, a semaphore or mutex a callback releases for a waiter
  // elsewhere (analyze-program.ts signalledLocks), and one a function downs twice on a path (the
  // second down waits for another's up: as a lock it would deadlock there every time).
  const events = new Set<string>();
  for (const e of all) {
    for (const a of [e.held, e.taken]) {
      if (view.signalledLocks.has(a.key) || (a.kind === 'semaphore' && (!view.pairedClasses.has(a.key) || view.countingSemaphores.has(baseKey(a.key))))) events.add(a.key);
    }
  }
  for (const e of all) if (e.from === e.to && e.taken.kind === 'semaphore' && downedTwiceInOne(e)) events.add(e.from);
  const kept = withQueueGates(all.filter((e) => !events.has(e.from) && !events.has(e.to)), view);
  const atBoot = bootUnwindSteps(view);
  const graph = new OrderGraph(kept, (e) => atBoot(e.held.chain.step));
  const result = findCycles(graph, options);
  const reclassed = result.cycles.filter((c) => c.locks.some((l) => view.reclassed.has(baseKey(l))));
  const semaphoreCycles = findCycles(new OrderGraph(all), { ...options, maxCycles: 50 }).cycles.filter((c) => c.locks.some((l) => events.has(l))).length;
  const configs = new Map<string, { line: number; endLine: number; config: readonly string[] }[]>();
  for (const e of view.functions) {
    if (!e.fn.config) continue;
    const k = `${e.file}\0${e.fn.name}`;
    configs.set(k, [...(configs.get(k) ?? []), { line: e.fn.line, endLine: e.fn.endLine, config: e.fn.config }]);
  }
  const configOf = (fn: string, file: string, line: number): readonly string[] | undefined =>
    configs.get(`${file}\0${fn}`)?.find((d) => line >= d.line && line <= d.endLine)?.config;
  const rules = view.program.buildRules();
  const cycles: Cycle[] = [];
  let apart = 0;
  let atBootOnly = 0;
  for (const c of result.cycles) {
    if (reclassed.includes(c)) continue;
    const one = inOneBuild(c, graph, configOf, rules);
    if (!one) {
      apart++;
      continue;
    }
    // An edge made only on a failed __init's way out (order/boot-unwind.ts): that runs when the
    // subsystem did not come up, and nothing of it runs afterwards to take the locks the other
    // way round. No boot sees both orders, so lockdep never reports it either.
    if (one.edges.some((e) => graph.onlyAtBoot(e.from, e.to))) {
      atBootOnly++;
      continue;
    }
    cycles.push(one);
  }
  return { ...result, cycles, graph, calls: callsOut(view, events, sleepOf), excluded: { semaphore: semaphoreCycles, reclassed: reclassed.length, configurations: apart, bootUnwind: atBootOnly } };
}

/** Edges with the gates of the queues destroyed before them, or whose work alone makes them (order/workqueue-gates.ts). */
function withQueueGates(edges: OrderEdge[], view: ProgramView): OrderEdge[] {
  const gatesOf = view.workqueueGates;
  if (!gatesOf) return edges;
  return edges.map((e) => {
    const at = e.held.chain.step;
    const fn = view.program.resolveCallee(at.function, at.file);
    const gates = fn ? gatesOf(fn, at.line) : undefined;
    return gates ? { from: e.from, to: e.to, held: e.held, taken: e.taken, beside: unionGates(e.beside, gates) } : e;
  });
}

/**
 * The program's calls out of it (CallsOut), as classes; none through a lock that is an event
 * here (`events`), a trylock, or a lock the analysis could not name. A function's acquisitions
 * (and sleep) reached through a call by pointer are not offered to callers elsewhere: the pointer's targets
 * were picked among this program's functions (shmem's `readpage` for `mapping->a_ops->readpage`),
 * and a caller from another directory hands its own objects, with its own operations.
 */
function callsOut(view: ProgramView, events: ReadonlySet<string>, sleepOf?: SleepOf): CallsOut {
  const opens = new Map<string, OpenCall>();
  for (const s of view.summaries.values()) {
    for (const o of (s.parts.get(LOCK_ORDER) as OrderPart | undefined)?.opens?.values() ?? []) {
      const from = asClass(o.held.ref);
      if (!from || events.has(from.c)) continue;
      keepOpen(opens, from.c === o.from ? o : { ...o, from: from.c, held: { ...o.held, ref: from, key: from.c } });
    }
  }
  const defines: CallsOut['defines'] = [];
  for (const e of view.functions) {
    if (e.fn.isStatic) continue;
    const summary = view.summaries.get(e.id);
    const takes: Acquisition[] = [];
    for (const a of summary?.acquires.values() ?? []) {
      const to = a.tryLock || throughPointer(a.chain) ? undefined : asClass(a.ref);
      if (!to || isPseudo(to.c) || to.c.startsWith('?') || events.has(to.c)) continue;
      takes.push(to.c === a.key ? a : { ...a, ref: to, key: to.c });
    }
    const sleep = summary && sleepOf ? sleepOf(summary) : undefined;
    const sleeps = sleep && !throughPointer(sleep.chain) ? sleep : undefined;
    const { holds, unnamed } = heldOnReturn(summary, events);
    defines.push({ fn: e.fn.name, file: e.file, takes, ...(sleeps ? { sleeps } : {}), holds, ...(unnamed ? { holdsUnnamed: true as const } : {}) });
  }
  return { opens: [...opens.values()], defines };
}

/** The classes a function may return holding that it took itself, and whether one such lock has no class. */
function heldOnReturn(summary: Summary | undefined, events: ReadonlySet<string>): { holds: string[]; unnamed: boolean } {
  const holds = new Set<string>();
  let unnamed = false;
  for (const x of summary?.exits ?? []) {
    for (const h of x.held) {
      if (h.phantom || h.entry || isPseudo(h.key)) continue;
      const c = h.unnamed || h.key.startsWith('?') ? undefined : asClass(h.ref);
      if (!c || events.has(c.c)) unnamed = true;
      else holds.add(c.c);
    }
  }
  return { holds: [...holds].sort(), unnamed };
}

/**
 * A lock as the order graph counts it without a caller: a class, or a parameter's embedded
 * struct lock under the struct member's own class (its callers also count it under theirs).
 */
function asClass(r: LockRef): ClassRef | undefined {
  if (isClass(r)) return r;
  const c = orderClassOf(refKey(r));
  return c === undefined ? undefined : { c, provenance: 'field', kind: undefined, text: r.text };
}

/** Whether a witness calls through a function pointer on its way (a macro's `via` is no pointer). */
function throughPointer(chain: Chain): boolean {
  for (let c: Chain | null = chain; c; c = c.next) if (c.step.op === 'call' && c.step.via !== undefined && c.step.via !== 'macro') return true;
  return false;
}

/** Both downs of a recursion on a semaphore in one function, neither through a call. */
const downedTwiceInOne = (e: OrderEdge): boolean =>
  e.held.chain.len === 1 && e.taken.chain.len === 1 && e.held.chain.step.function === e.taken.chain.step.function && e.held.chain.step.file === e.taken.chain.step.file;

/**
 * An inversion or recursion as a finding: locks in cycle order, one evidence entry per edge,
 * and the paths of every edge (`from>to@heldFn>takenFn`), so a new way to an old cycle shows.
 */
export function cycleFinding(c: Cycle, graph?: OrderGraph): Finding {
  const n = c.locks.length;
  const closing = c.edges[n - 1] as OrderEdge;
  let last = closing.taken.chain;
  while (last.next) last = last.next;
  const evidence = c.edges.map((e, i) => ({ label: `{${i}} -> {${(i + 1) % n}}`, chain: concat(e), lock: c.locks[(i + 1) % n] as string }));
  const paths: Finding['paths'] = [];
  c.locks.forEach((from, i) => {
    const to = c.locks[(i + 1) % n] as string;
    const ps = graph ? graph.pathsOf(from, to) : new Map([[pathOf(c.edges[i] as OrderEdge), c.edges[i] as OrderEdge]]);
    for (const [path, e] of [...ps].sort(([a], [b]) => (a < b ? -1 : 1))) paths.push({ edge: i, path, chain: concat(e) });
  });
  const common = { locks: c.locks, function: last.step.function, file: last.step.file, line: last.step.line, evidence, paths };
  if (n === 1) return { kind: 'recursive', ...common, title: 'possible recursive locking: {0}', key: `recursive:${c.key}` };
  return { kind: 'inversion', ...common, title: `possible circular locking dependency: ${c.locks.map((_, i) => `{${i}}`).join(' -> ')} -> {0}`, key: `inversion:${c.key}` };
}

/** An edge's witness: how `from` was taken, then the steps down to where `to` is taken. */
export function concat(e: OrderEdge): Chain {
  return followedBy(e.held.chain, e.taken.chain);
}

/** `sleepOf`: where a function may sleep, for callers in other directories (CallsOut). */
export function lockOrderChecker(options: CycleOptions, sleepOf?: SleepOf): Checker & { order(view: ProgramView): OrderResult } {
  let cached: { view: ProgramView; result: OrderResult } | undefined;
  const order = (view: ProgramView): OrderResult => {
    if (cached?.view !== view) cached = { view, result: orderOf(view, options, sleepOf) };
    return cached.result;
  };
  return {
    id: LOCK_ORDER,
    recorder: orderRecorder,
    shape(part: unknown): string {
      return [...(part as OrderPart).paramEdges.keys()].sort().join(',');
    },
    // A caller instantiates the parameter edges; the class edges are the graph's, read from
    // the generic summaries only.
    forCallers(part: unknown): OrderPart {
      const p = part as OrderPart;
      return { edges: NO_EDGES, paramEdges: p.paramEdges, ...(p.outCalls ? { outCalls: p.outCalls } : {}) };
    },
    findings(view: ProgramView): Finding[] {
      const result = order(view);
      return result.cycles.map((c) => cycleFinding(c, result.graph));
    },
    order,
  };
}
