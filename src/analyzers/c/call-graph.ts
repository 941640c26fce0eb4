/**
 * The call graph between functions with bodies, and its strongly connected components in
 * callee-first order, so summaries are computed bottom-up and recursion is one fixpoint per
 * component (util/tarjan.ts).
 */
import type { Catalogue } from '../locks/catalogue.ts';
import type { CallEvent, Cond, Stmt } from './ir.ts';
import type { FunctionEntry, Program } from './program.ts';
import { stronglyConnected } from '../util/tarjan.ts';

/** Components of the call graph, callees before callers. */
export function bottomUpComponents(program: Program, catalogue: Catalogue): FunctionEntry[][] {
  const n = program.functions.length;
  const succ: number[][] = program.functions.map((e) => {
    const names = calleeNames(e.fn.body);
    const out: number[] = [];
    for (const name of names) {
      if (catalogue.has(name)) continue;
      const callee = program.resolveCallee(name, e.file);
      if (callee) out.push(callee.id);
    }
    return out;
  });

  return stronglyConnected(n, (v) => succ[v] as number[]).map((comp) => comp.map((id) => program.functions[id] as FunctionEntry));
}

const calleeCache = new WeakMap<Stmt, ReadonlySet<string>>();

/** Every callee name a function body calls (conditions included); memoized per body. */
export function calleeNames(body: Stmt): ReadonlySet<string> {
  let names = calleeCache.get(body);
  if (!names) {
    const set = new Set<string>();
    calleesOf(body, set);
    calleeCache.set(body, (names = set));
  }
  return names;
}

function calleesOf(st: Stmt, out: Set<string>): void {
  const calls = (cs: readonly CallEvent[]): void => {
    for (const c of cs) out.add(c.callee);
  };
  const cond = (c: Cond | null): void => {
    if (!c) return;
    if (c.k === 'not') cond(c.c);
    else if (c.k === 'and' || c.k === 'or') {
      cond(c.a);
      cond(c.b);
    } else if (c.k === 'call') {
      calls(c.pre);
      out.add(c.ev.callee);
    } else if (c.k === 'var') calls(c.pre);
    else calls(c.calls);
  };
  switch (st.k) {
    case 'block':
      for (const b of st.body) calleesOf(b, out);
      break;
    case 'calls':
    case 'return':
      calls(st.calls);
      break;
    case 'if':
      cond(st.cond);
      calleesOf(st.then, out);
      if (st.else) calleesOf(st.else, out);
      break;
    case 'loop':
      cond(st.cond);
      calleesOf(st.body, out);
      calls(st.post);
      break;
    case 'switch':
      calls(st.pre);
      for (const c of st.cases) for (const b of c) calleesOf(b, out);
      break;
    case 'scoped':
      calleesOf(st.body, out);
      break;
  }
}

