/**
 * The call graph between functions with bodies, and its strongly connected components in
 * callee-first order, so summaries are computed bottom-up and recursion is one fixpoint per
 * component. Iterative Tarjan: a million-line program has call chains deeper than the JS stack.
 */
import type { Catalogue } from './catalogue.ts';
import type { CallEvent, Cond, Stmt } from './ir.ts';
import type { FunctionEntry, Program } from './program.ts';

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

  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: FunctionEntry[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [v, i] = frame;
      if (i === 0 && index[v] === -1) {
        index[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = 1;
      }
      const edges = succ[v] as number[];
      if (i < edges.length) {
        frame[1] = i + 1;
        const w = edges[i] as number;
        if (index[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
      if (low[v] === index[v]) {
        const comp: FunctionEntry[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          comp.push(program.functions[w] as FunctionEntry);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
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

