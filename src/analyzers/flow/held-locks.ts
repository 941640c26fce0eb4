/**
 * The flow-sensitive held-lock analysis of one function: an abstract interpreter over the
 * statement tree of lower.ts. It walks the tree once per fixpoint round (loops iterate until
 * the held set stops growing; goto targets are joined and the body re-run while a label's state
 * grows), applies catalogue effects and callee summaries at each call, and records an order
 * edge each time a lock is taken while others may be held. Output: the function's Summary and
 * its concrete edges. It does no I/O and never throws on odd code: unknown locks are counted.
 */
import { calleeNames } from '../c/call-graph.ts';
import { GUARD_TYPES, inferredPairStem, type Catalogue, type LockEffect, type Success } from '../locks/catalogue.ts';
import type { Acquisition, Held, HeldState, State } from '../locks/held-set.ts';
import { dropScopes, EMPTY, join, leq, release, setPending, withHeld, withoutRoot } from '../locks/held-set.ts';
import type { CallEvent, Cond, FunctionIR, Stmt, Test } from '../c/ir.ts';
import type { ClassRef, FunctionEntry, LockRef, Program } from '../c/program.ts';
import { refKey, refOfKey } from '../c/program.ts';
import type { ChainStep, LockKind } from '../report-types.ts';
import type { OrderEdge, Summary } from '../locks/summary.ts';
import { edgeKey } from '../order/order-graph.ts';
import { instantiate, instantiateAcquisition } from '../locks/summary.ts';

export interface FunctionResult {
  summary: Summary;
  edges: OrderEdge[];
  /** Lock operations whose lock expression could not be followed (a call result, arithmetic). */
  unknownLocks: { line: number; callee: string }[];
  /** Calls to functions with no body in the program (not lock primitives). */
  unknownCalls: number;
  /** Releases of a lock not held here nor passed in (a finding, not a crash). */
  unbalanced: { line: number; lock: string }[];
}

export interface AnalyzeDeps {
  program: Program;
  catalogue: Catalogue;
  summaryOf: (callee: FunctionEntry) => Summary | undefined;
  /** Classes seen, with the expressions they were seen as and their kind. */
  noteClass: (ref: ClassRef, kind: LockKind | undefined, inferred: boolean) => void;
}

const MAX_ROUNDS = 6;

interface LoopCtx {
  breaks: State;
  continues: State;
  depth: number;
}

/** Analyzes one function against the current summaries of its callees. */
export function analyzeFunction(entry: FunctionEntry, deps: AnalyzeDeps): FunctionResult {
  const { program, catalogue } = deps;
  const fn: FunctionIR = entry.fn;
  const file = entry.file;
  const acquires = new Map<string, Acquisition>();
  const releases = new Map<string, { ref: LockRef; read: boolean }>();
  const paramEdges = new Map<string, OrderEdge>();
  const edges = new Map<string, OrderEdge>();
  const unbalanced = new Map<string, { line: number; lock: string }>();
  const unknownLocks = new Map<string, { line: number; callee: string }>();
  const unknownLock = (line: number, callee: string): void => {
    unknownLocks.set(`${line}:${callee}`, { line, callee });
  };
  let unknownCalls = 0;

  const inferred = inferPairs(calleeNames(fn.body), catalogue, (n) => program.resolveCallee(n, file) !== undefined);

  const labels = new Map<string, State>();
  const loops: LoopCtx[] = [];
  const openScopes: number[] = [];
  let exit: State = null;
  const exitBy: Record<'zero' | 'nonzero' | 'other', State> = { zero: null, nonzero: null, other: null };
  // A goto to a label not yet passed this round is a forward jump: no re-run needed for it.
  let labelsGrew = false;
  const passed = new Set<string>();

  const step = (line: number, what: string): ChainStep => ({ function: fn.name, file, line, what });

  const keepShortest = <T extends { held: Acquisition; taken: Acquisition }>(map: Map<string, T>, key: string, e: T): void => {
    const old = map.get(key);
    if (!old || old.held.chain.length + old.taken.chain.length > e.held.chain.length + e.taken.chain.length) map.set(key, e);
  };

  /**
   * Records `taken` acquired while each lock of `s` may be held, except the caller's locks a
   * callee surely released before taking it (`taken.after`, set only at call sites).
   */
  const addEdges = (s: HeldState, taken: Acquisition): void => {
    for (const h of s.held) {
      if (taken.after?.includes(h.key)) continue;
      if (h.key === taken.key) {
        // Same class again: lockdep's recursive locking, unless annotated or read-read on an rwlock.
        if (taken.nested || h.nested) continue;
        if (h.read && taken.read && (h.kind === 'rwlock' || taken.kind === 'rwlock')) continue;
      }
      const e: OrderEdge = { from: h.key, to: taken.key, held: h, taken };
      if ('c' in h.ref && 'c' in taken.ref) keepShortest(edges, edgeKey(e), e);
      else keepShortest(paramEdges, edgeKey(e), e);
    }
  };

  /** Remembers a lock this function may take; `after` stays only what every path released first. */
  const noteAcquire = (a: Acquisition): void => {
    const old = acquires.get(a.key);
    if (!old) {
      acquires.set(a.key, a);
      return;
    }
    const after = (old.after ?? []).filter((k) => a.after?.includes(k));
    const best = old.chain.length > a.chain.length ? a : old;
    acquires.set(a.key, after.length ? { ...best, after } : withoutAfter(best));
  };

  const classRef = (ref: LockRef, kind: LockKind | undefined, isInferred = false): void => {
    if ('c' in ref) deps.noteClass(ref, kind, isInferred);
  };

  const lockRefOf = (effect: Exclude<LockEffect, { k: 'none' }>, call: CallEvent): LockRef | null => {
    if (effect.fixedClass) return { c: effect.fixedClass, provenance: 'fixed', kind: undefined, text: effect.fixedClass };
    const arg = call.args[effect.arg];
    if (!arg) return null;
    const path = effect.field ? { ...arg, fields: [...arg.fields, effect.field], text: `${arg.text.replace(/^&/, '')}->${effect.field}` } : arg;
    return program.resolve(path, fn);
  };

  /** Takes a lock: edges against what is held (unless it is a trylock), then holds it. */
  const take = (
    s: HeldState,
    ref: LockRef,
    call: CallEvent,
    o: { kind: LockKind | undefined; read: boolean; nested: boolean; tryLock: boolean; scope: number; inferred?: boolean; root?: string | undefined },
  ): HeldState => {
    const kind = ('c' in ref ? ref.kind : undefined) ?? o.kind;
    classRef(ref, kind, o.inferred);
    const label = 'c' in ref ? ref.c : ref.text;
    const acq: Held = {
      ref, key: refKey(ref), kind, read: o.read, nested: o.nested, tryLock: o.tryLock, scope: o.scope,
      chain: [step(call.line, `${o.tryLock ? 'trylocks' : 'acquires'} ${label}`)],
      ...(s.gone.length ? { after: s.gone } : {}),
      ...(o.root && fn.vars[o.root] ? { root: o.root } : {}),
    };
    if (!o.tryLock) {
      addEdges(s, acq);
      noteAcquire(acq);
    }
    return withHeld(s, acq);
  };

  const drop = (s: HeldState, ref: LockRef, read: boolean, line: number): HeldState => {
    const key = refKey(ref);
    const r = release(s, key);
    if (!r.found) {
      if (!releases.has(key)) releases.set(key, { ref, read });
      if ('c' in ref && !unbalanced.has(key)) unbalanced.set(key, { line, lock: ref.c });
    }
    return r.state;
  };

  /** Applies one call; for conditional acquisitions also returns the success and failure states. */
  const applyCall = (s: HeldState, call: CallEvent): { state: HeldState; cond?: { ok: HeldState; fail: HeldState; success: Success } } => {
    if (call.guard !== undefined) {
      const g = GUARD_TYPES.get(call.guard);
      const arg = call.args[0];
      if (!g || !arg) return { state: s };
      const ref = program.resolve(arg, fn);
      if (!ref) return (unknownLock(call.line, `guard(${call.guard})`), { state: s });
      return { state: take(s, ref, call, { kind: g.kind, read: g.read, nested: false, tryLock: false, scope: openScopes[openScopes.length - 1] ?? 0 }) };
    }
    const effect = catalogue.get(call.callee);
    if (effect) {
      if (effect.k === 'none') return { state: s };
      const ref = lockRefOf(effect, call);
      if (!ref) return (unknownLock(call.line, call.callee), { state: s });
      switch (effect.k) {
        case 'acquire':
          return { state: take(s, ref, call, { kind: effect.kind, read: effect.read, nested: effect.nested, tryLock: false, scope: 0, root: call.args[effect.arg]?.root }) };
        case 'release':
          return { state: drop(s, ref, effect.read, call.line) };
        case 'tryAcquire':
        case 'condAcquire': {
          const ok = take(s, ref, call, {
            kind: effect.kind, read: effect.read, nested: effect.k === 'condAcquire' && effect.nested, tryLock: effect.k === 'tryAcquire', scope: 0,
            root: call.args[effect.arg]?.root,
          });
          let state = ok;
          if (call.assignTo) state = setPending(ok, call.assignTo, { key: refKey(ref), success: effect.success });
          return { state, cond: { ok: state, fail: s, success: effect.success } };
        }
      }
    }
    const callee = program.resolveCallee(call.callee, file);
    if (!callee) {
      const pair = inferred.get(call.callee);
      if (pair) {
        const ref: LockRef = { c: pair.cls, provenance: 'inferred', kind: 'inferred', text: `${call.callee}()` };
        if (pair.role === 'lock') return { state: take(s, ref, call, { kind: 'inferred', read: false, nested: false, tryLock: false, scope: 0, inferred: true }) };
        return { state: drop(s, ref, false, call.line) };
      }
      unknownCalls++;
      return { state: call.assignTo ? setPending(s, call.assignTo, undefined) : s };
    }
    const summary = deps.summaryOf(callee);
    if (!summary) return { state: s };
    const split = summary.exitSplit;
    if (!split) return { state: applySummary(s, summary, call) };
    const zero = applySummary(s, summary, call, split.zero);
    const nonzero = applySummary(s, summary, call, split.nonzero);
    return { state: join(zero, nonzero) as HeldState, cond: { ok: nonzero, fail: zero, success: 'nonzero' } };
  };

  /** A callee's summary at a call: its acquisitions order after what we hold; its net effect applies. */
  const applySummary = (s: HeldState, summary: Summary, call: CallEvent, exitKeys?: readonly string[]): HeldState => {
    const prefix = [step(call.line, `calls ${call.callee}`)];
    let state = s;
    for (const a of summary.acquires.values()) {
      const ref = instantiate(a.ref, call, fn, program);
      if (!ref) continue;
      const inner = (a.after ?? []).map((k) => instantiate(refOfKey(k), call, fn, program)).filter((r): r is LockRef => r !== null).map(refKey);
      const after = [...new Set([...inner, ...state.gone])].sort();
      const acq = { ...instantiateAcquisition(withoutAfter(a), ref, prefix), ...(after.length ? { after } : {}) };
      if ('c' in ref) deps.noteClass(ref, acq.kind, ref.provenance === 'inferred');
      addEdges(state, acq);
      noteAcquire(acq);
    }
    for (const e of summary.paramEdges.values()) {
      const from = instantiate(e.held.ref, call, fn, program);
      const to = instantiate(e.taken.ref, call, fn, program);
      if (!from || !to) continue;
      const held = instantiateAcquisition(e.held, from, prefix);
      // The taken chain continues inside the callee, after the held one: one call step only.
      const taken = instantiateAcquisition(e.taken, to, []);
      const edge: OrderEdge = { from: held.key, to: taken.key, held, taken };
      if (held.key === taken.key && (held.nested || taken.nested)) continue;
      if ('c' in from && 'c' in to) keepShortest(edges, edgeKey(edge), edge);
      else keepShortest(paramEdges, edgeKey(edge), edge);
    }
    for (const r of summary.releases.values()) {
      const ref = instantiate(r.ref, call, fn, program);
      if (ref) state = drop(state, ref, r.read, call.line);
    }
    for (const h of summary.exitHeld.values()) {
      if (exitKeys && !exitKeys.includes(h.key)) continue;
      const ref = instantiate(h.ref, call, fn, program);
      if (ref) state = withHeld(state, { ...instantiateAcquisition(h, ref, prefix), scope: 0 });
    }
    if (call.assignTo) state = setPending(state, call.assignTo, undefined);
    return state;
  };

  const applyCalls = (s: State, calls: readonly CallEvent[]): State => {
    let cur = s;
    for (const c of calls) {
      if (!cur) return null;
      cur = applyCall(cur, c).state;
    }
    return cur;
  };

  /** Splits a state by a condition into the states where it is true and false. */
  const evalCond = (s: State, c: Cond): { t: State; f: State } => {
    if (!s) return { t: null, f: null };
    switch (c.k) {
      case 'not': {
        const r = evalCond(s, c.c);
        return { t: r.f, f: r.t };
      }
      case 'and': {
        const a = evalCond(s, c.a);
        const b = evalCond(a.t, c.b);
        return { t: b.t, f: join(a.f, b.f) };
      }
      case 'or': {
        const a = evalCond(s, c.a);
        const b = evalCond(a.f, c.b);
        return { t: join(a.t, b.t), f: b.f };
      }
      case 'call': {
        const pre = applyCalls(s, c.pre);
        if (!pre) return { t: null, f: null };
        const r = applyCall(pre, c.ev);
        if (!r.cond) return { t: r.state, f: r.state };
        const okWhenTrue = testMeansSuccess(c.test, r.cond.success);
        if (okWhenTrue === undefined) return { t: r.state, f: r.state };
        return okWhenTrue ? { t: r.cond.ok, f: r.cond.fail } : { t: r.cond.fail, f: r.cond.ok };
      }
      case 'var': {
        // `if (inode)` / `if (!inode)`: where the variable is NULL, nothing reached through it is held.
        const nullWhenTrue = c.test === 'zero' ? true : c.test === 'nonzero' ? false : undefined;
        const t0 = nullWhenTrue === true ? withoutRoot(s, c.name) : s;
        const f0 = nullWhenTrue === false ? withoutRoot(s, c.name) : s;
        const p = s.pending[c.name];
        if (!p) return { t: t0, f: f0 };
        const okWhenTrue = testMeansSuccess(c.test, p.success);
        if (okWhenTrue === undefined) return { t: s, f: s };
        // The acquisition failed: it was never held (not "released": the caller's lock is untouched).
        const cleared = setPending(s, c.name, undefined);
        const failed = { ...cleared, held: cleared.held.filter((h) => h.key !== p.key) };
        return okWhenTrue ? { t: s, f: failed } : { t: failed, f: s };
      }
      case 'other': {
        const after = applyCalls(s, c.calls);
        return { t: after, f: after };
      }
    }
  };

  const exec = (s: State, st: Stmt): State => {
    switch (st.k) {
      case 'block': {
        if (st.scope > 0) openScopes.push(st.scope);
        let cur = s;
        for (const child of st.body) {
          if (child.k === 'label') {
            passed.add(child.name);
            cur = join(cur, labels.get(child.name) ?? null);
            continue;
          }
          // Dead code still runs (with bottom): a label inside it can make it live.
          cur = exec(cur, child);
        }
        if (st.scope > 0) {
          openScopes.pop();
          cur = dropScopes(cur, new Set([st.scope]));
        }
        return cur;
      }
      case 'label':
        passed.add(st.name);
        return join(s, labels.get(st.name) ?? null);
      case 'calls':
        return applyCalls(s, st.calls);
      case 'if': {
        const r = evalCond(s, st.cond);
        return join(exec(r.t, st.then), st.else ? exec(r.f, st.else) : r.f);
      }
      case 'loop':
        return execLoop(s, st);
      case 'switch': {
        const entry = applyCalls(s, st.pre);
        const ctx: LoopCtx = { breaks: null, continues: null, depth: openScopes.length };
        loops.push(ctx);
        let fall: State = null;
        for (const body of st.cases) {
          let cur = join(entry, fall);
          for (const child of body) cur = child.k === 'label' ? exec(cur, child) : cur ? exec(cur, child) : cur;
          fall = cur;
        }
        loops.pop();
        // `continue` inside a switch belongs to the enclosing loop.
        const outer = loops[loops.length - 1];
        if (outer) outer.continues = join(outer.continues, ctx.continues);
        return join(join(fall, ctx.breaks), st.hasDefault ? null : entry);
      }
      case 'break': {
        const ctx = loops[loops.length - 1];
        if (ctx) ctx.breaks = join(ctx.breaks, dropScopes(s, new Set(openScopes.slice(ctx.depth))));
        return null;
      }
      case 'continue': {
        const ctx = loops[loops.length - 1];
        if (ctx) ctx.continues = join(ctx.continues, dropScopes(s, new Set(openScopes.slice(ctx.depth))));
        return null;
      }
      case 'return': {
        const after = dropScopes(applyCalls(s, st.calls), new Set(openScopes));
        exit = join(exit, after);
        exitBy[st.value] = join(exitBy[st.value], after);
        return null;
      }
      case 'goto': {
        const target = dropScopes(s, new Set(openScopes.slice(1)));
        const old = labels.get(st.label) ?? null;
        const next = join(old, target);
        if (!leq(next, old)) {
          labels.set(st.label, next);
          if (passed.has(st.label)) labelsGrew = true;
        }
        return null;
      }
      case 'scoped': {
        const g = GUARD_TYPES.get(st.guard);
        if (!s || !g || !st.lock) return exec(s, st.body);
        const ref = program.resolve(st.lock, fn);
        if (!ref) return (unknownLock(st.line, `scoped_guard(${st.guard})`), exec(s, st.body));
        const scope = -1000 - st.line;
        const inside = take(s, ref, { callee: `scoped_guard`, args: [st.lock], line: st.line }, { kind: g.kind, read: g.read, nested: false, tryLock: false, scope });
        return dropScopes(exec(inside, st.body), new Set([scope]));
      }
    }
  };

  const execLoop = (s: State, st: Extract<Stmt, { k: 'loop' }>): State => {
    let head = s;
    let exitState: State = null;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const ctx: LoopCtx = { breaks: null, continues: null, depth: openScopes.length };
      loops.push(ctx);
      let bodyIn: State;
      if (st.doWhile) {
        bodyIn = head;
      } else {
        const c = st.cond ? evalCond(head, st.cond) : { t: head, f: head };
        bodyIn = c.t;
        exitState = join(exitState, c.f);
      }
      const bodyOut = applyCalls(join(exec(bodyIn, st.body), ctx.continues), st.post);
      loops.pop();
      exitState = join(exitState, ctx.breaks);
      let back = bodyOut;
      if (st.doWhile) {
        const c = st.cond ? evalCond(bodyOut, st.cond) : { t: bodyOut, f: bodyOut };
        back = c.t;
        exitState = join(exitState, c.f);
      }
      const next = join(head, back);
      if (leq(next, head)) break;
      head = next;
    }
    return exitState;
  };

  let end: State = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    labelsGrew = false;
    passed.clear();
    exit = null;
    exitBy.zero = exitBy.nonzero = exitBy.other = null;
    openScopes.length = 0;
    end = exec(EMPTY, fn.body);
    if (!labelsGrew) break;
  }
  exit = join(exit, end);

  const exitHeld = new Map<string, Held>();
  for (const h of exit?.held ?? []) if (h.scope === 0 && !exitHeld.has(h.key)) exitHeld.set(h.key, h);
  const summary: Summary = { acquires, exitHeld, releases, paramEdges };
  // Split by the constant returns; a non-constant return (`return lockref_put_or_lock(...)`)
  // or falling off the end may be either, so it counts on both sides.
  if (exitHeld.size > 0 && exitBy.zero && exitBy.nonzero) {
    const keys = (st: State): string[] => [...new Set((st?.held ?? []).filter((h) => h.scope === 0).map((h) => h.key))].sort();
    const either = join(exitBy.other, end);
    const zero = keys(join(exitBy.zero, either));
    const nonzero = keys(join(exitBy.nonzero, either));
    if (zero.join() !== nonzero.join()) summary.exitSplit = { zero, nonzero };
  }

  return {
    summary,
    edges: [...edges.values()],
    unknownLocks: [...unknownLocks.values()],
    unknownCalls,
    unbalanced: [...unbalanced.values()],
  };
}

function withoutAfter<T extends Acquisition>(a: T): T {
  if (!a.after) return a;
  const copy = { ...a };
  delete copy.after;
  return copy;
}

/** Whether a condition being true means the conditional acquisition succeeded (undefined: can't tell). */
function testMeansSuccess(test: Test, success: Success): boolean | undefined {
  if (success === 'zero') {
    if (test === 'zero' || test === 'nonnegative') return true;
    if (test === 'nonzero' || test === 'negative') return false;
    return undefined;
  }
  if (test === 'nonzero') return true;
  if (test === 'zero' || test === 'negative') return false;
  return undefined;
}

/**
 * Bodiless lock/unlock pairs used together in one function (`lock_foo()`/`unlock_foo()`,
 * `foo_lock(x)`/`foo_unlock(x)`) stand for an inferred lock class named after the lock call.
 */
function inferPairs(names: ReadonlySet<string>, catalogue: Catalogue, hasBody: (n: string) => boolean): Map<string, { cls: string; role: 'lock' | 'unlock' }> {
  const byStem = new Map<string, { lock?: string; unlock?: string }>();
  for (const n of names) {
    if (catalogue.has(n) || hasBody(n)) continue;
    const p = inferredPairStem(n);
    if (!p) continue;
    const e = byStem.get(p.stem) ?? {};
    e[p.role] = n;
    byStem.set(p.stem, e);
  }
  const out = new Map<string, { cls: string; role: 'lock' | 'unlock' }>();
  for (const e of byStem.values()) {
    if (!e.lock || !e.unlock) continue;
    out.set(e.lock, { cls: e.lock, role: 'lock' });
    out.set(e.unlock, { cls: e.lock, role: 'unlock' });
  }
  return out;
}
