/**
 * The call graph between functions with bodies (direct calls, and calls through pointers to
 * the functions stored into that member), and its strongly connected components in
 * callee-first order, so summaries are computed bottom-up and recursion is one fixpoint per
 * component (util/tarjan.ts). Also every function's callers, for checkers that look top-down.
 */
import { effectOf, lockCounterpart, type Catalogue } from '../locks/catalogue.ts';

import { stronglyConnected } from '../util/tarjan.ts';
import { N, P, Z, type CallEvent, type Cond, type Op, type ReturnValue, type Stmt } from './ir.ts';
import type { FunctionEntry, Program } from './program.ts';

export interface CallGraph {
  /** Components, callees before callers. */
  components: FunctionEntry[][];
  /** Callee ids of each function id. */
  succ: readonly (readonly number[])[];
  /** Callers of each function id, with the line of the call. */
  callers: ReadonlyMap<number, readonly { caller: FunctionEntry; line: number }[]>;
}

/** Callers kept per function: enough for a witness, not every caller of a hub. */
export const MAX_CALLERS_KEPT = 64;

export function buildCallGraph(program: Program, catalogue: Catalogue): CallGraph {
  const callers = new Map<number, { caller: FunctionEntry; line: number }[]>();
  const succ: number[][] = program.functions.map((e) => {
    const out = new Set<number>();
    const add = (callee: FunctionEntry, line: number): void => {
      out.add(callee.id);
      let list = callers.get(callee.id);
      if (!list) callers.set(callee.id, (list = []));
      if (list.length < MAX_CALLERS_KEPT) list.push({ caller: e, line });
    };
    for (const ev of callEvents(e.fn.body)) {
      if (ev.indirect) {
        const found = program.pointerTargets(ev.indirect.object, ev.indirect.member, e.fn, e.file, ev.args, ev.indirect.dot);
        for (const t of found?.targets ?? []) add(t, ev.line);
        continue;
      }
      // A primitive is not a call, except a free: the allocator's own body, when here, runs too.
      const effect = effectOf(catalogue, ev.callee, (n) => program.resolveCallee(n, e.file) !== undefined);
      // kref_put(ref, release): the release runs in the put, a call like any other.
      if (effect?.k === 'lastPut') {
        const release = program.functionArgument(ev.args[effect.fnArg], e.file);
        if (release) add(release, ev.line);
        continue;
      }
      if (effect && effect.k !== 'free') continue;
      const callee = program.resolveCallee(ev.callee, e.file);
      if (callee) add(callee, ev.line);
      // A bodiless unlock releases what its lock call with a body holds (inferred-pairs.ts): after it.
      const lock = callee ? undefined : lockCounterpart(ev.callee);
      const paired = lock ? program.resolveCallee(lock, e.file) : undefined;
      if (paired) out.add(paired.id);
    }
    return [...out];
  });
  const components = stronglyConnected(program.functions.length, (v) => succ[v] as number[]).map((comp) => comp.map((id) => program.functions[id] as FunctionEntry));
  return { components, succ, callers };
}

const eventCache = new WeakMap<Stmt, readonly CallEvent[]>();

/** Every call a function body makes (conditions included); memoized per body. */
export function callEvents(body: Stmt): readonly CallEvent[] {
  let evs = eventCache.get(body);
  if (!evs) {
    const out: CallEvent[] = [];
    opsOf(body, (o) => {
      if (o.k === undefined) out.push(o);
    });
    eventCache.set(body, (evs = out));
  }
  return evs;
}

const assignedCache = new WeakMap<Stmt, ReadonlySet<string>>();

/** The variables a function body assigns (or passes by address): a parameter not among them keeps its entry value. */
export function assignedRoots(body: Stmt): ReadonlySet<string> {
  let roots = assignedCache.get(body);
  if (!roots) {
    const out = new Set<string>();
    opsOf(body, (o) => {
      if (o.k === 'set') out.add(o.root);
      else if (o.assignTo) out.add(o.assignTo);
    });
    assignedCache.set(body, (roots = out));
  }
  return roots;
}

/** Variables a body assigns themselves (`p = ..`, `p = f()`), not only through them (`p->m = ..`): memoized per body. */
export function reassignedRoots(body: Stmt): ReadonlySet<string> {
  let roots = reassignedCache.get(body);
  if (!roots) {
    const out = new Set<string>();
    opsOf(body, (o) => {
      if (o.k === 'set' && o.target === o.root) out.add(o.root);
      else if (o.k !== 'set' && o.assignTo) out.add(o.assignTo);
    });
    reassignedCache.set(body, (roots = out));
  }
  return roots;
}
const reassignedCache = new WeakMap<Stmt, ReadonlySet<string>>();

/** Visits every operation under `st`: conditions, bodies, loop updates, in that order. */
export function opsOf(st: Stmt, visit: (o: Op) => void): void {
  // Module-level helpers, not closures: this runs for every statement of every body, many times.
  switch (st.k) {
    case 'block':
      for (const b of st.body) opsOf(b, visit);
      break;
    case 'ops':
    case 'return':
      visitOps(st.ops, visit);
      break;
    case 'if':
      condOps(st.cond, visit);
      opsOf(st.then, visit);
      if (st.else) opsOf(st.else, visit);
      break;
    case 'loop':
      condOps(st.cond, visit);
      opsOf(st.body, visit);
      visitOps(st.post, visit);
      break;
    case 'switch':
      visitOps(st.pre, visit);
      for (const c of st.cases) for (const b of c) opsOf(b, visit);
      break;
    case 'scoped':
      opsOf(st.body, visit);
      break;
  }
}

function visitOps(os: readonly Op[], visit: (o: Op) => void): void {
  for (let i = 0; i < os.length; i++) visit(os[i] as Op);
}

function condOps(c: Cond | null, visit: (o: Op) => void): void {
  if (!c) return;
  switch (c.k) {
    case 'not':
      condOps(c.c, visit);
      break;
    case 'and':
    case 'or':
      condOps(c.a, visit);
      condOps(c.b, visit);
      break;
    case 'call':
      visitOps(c.pre, visit);
      visit(c.ev);
      break;
    case 'other':
      visitOps(c.ops, visit);
      break;
  }
}

const atomCache = new WeakMap<Stmt, { keys: ReadonlySet<string>; equalities: ReadonlySet<string> }>();

/** Every atom a function body tests (its canonical key); memoized per body. */
export function atomKeys(body: Stmt): ReadonlySet<string> {
  return atomTests(body).keys;
}

/**
 * Atoms a body tests for equality (`p == LABEL`, `p != q`, a switch case, a truth test `if
 * (p)`): the tests a constant argument can decide. `offset > MAX` is not one: a named constant
 * does not say which side of another it is on.
 */
export function equalityKeys(body: Stmt): ReadonlySet<string> {
  return atomTests(body).equalities;
}

function atomTests(body: Stmt): { keys: ReadonlySet<string>; equalities: ReadonlySet<string> } {
  let tests = atomCache.get(body);
  if (tests) return tests;
  const keys = new Set<string>();
  const equalities = new Set<string>();
  eachTestedAtom(body, (a) => {
    keys.add(a.key);
    if (a.test === Z || a.test === (P | N)) equalities.add(a.key);
  });
  atomCache.set(body, (tests = { keys, equalities }));
  return tests;
}

/** Every atom a body's conditions test (if, loop, switch case), in order. */
export function eachTestedAtom(body: Stmt, visit: (atom: Extract<Cond, { k: 'atom' }>) => void): void {
  eachTestedLeaf(body, (c) => {
    if (c.k === 'atom') visit(c);
  });
}

/** Every test a body's conditions make (an atom, a call whose result is tested, ...), through `!`, `&&` and `||`. */
export function eachTestedLeaf(body: Stmt, visit: (leaf: Cond) => void): void {
  const cond = (c: Cond | null): void => {
    if (!c) return;
    if (c.k === 'not') cond(c.c);
    else if (c.k === 'and' || c.k === 'or') {
      cond(c.a);
      cond(c.b);
    } else visit(c);
  };
  const stmt = (st: Stmt): void => {
    switch (st.k) {
      case 'block':
        st.body.forEach(stmt);
        break;
      case 'if':
        cond(st.cond);
        stmt(st.then);
        if (st.else) stmt(st.else);
        break;
      case 'loop':
        cond(st.cond);
        stmt(st.body);
        break;
      case 'switch':
        for (const c of st.cases) c.forEach(stmt);
        for (const t of st.tests ?? []) cond(t);
        break;
      case 'scoped':
        stmt(st.body);
        break;
    }
  };
  stmt(body);
}

/** Every value a body returns (`return p;`, `return c->cansleep;`). */
export function eachReturn(body: Stmt, visit: (value: ReturnValue) => void): void {
  const stmt = (st: Stmt): void => {
    if (st.k === 'return') visit(st.value);
    else if (st.k === 'block') st.body.forEach(stmt);
    else if (st.k === 'if') {
      stmt(st.then);
      if (st.else) stmt(st.else);
    } else if (st.k === 'loop' || st.k === 'scoped') stmt(st.body);
    else if (st.k === 'switch') for (const c of st.cases) c.forEach(stmt);
  };
  stmt(body);
}
