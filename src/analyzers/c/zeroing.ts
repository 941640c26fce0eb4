/**
 * Which calls return zeroed memory: the kernel's zeroing allocators, and the program's own
 * functions that only return what one of them returned (or NULL), like a subsystem's
 * `alloc_path()` around `kmem_cache_zalloc`. Every member of such memory is 0 until something
 * stores into it (see ZEROED in flow/facts.ts).
 */
import { Z, type CallEvent, type Stmt } from './ir.ts';
import { opsOf } from './call-graph.ts';
import type { Program } from './program.ts';

export const ZEROING_ALLOCATORS: ReadonlySet<string> = new Set([
  'kzalloc', 'kzalloc_node', 'kcalloc', 'kcalloc_node', 'kmem_cache_zalloc', 'vzalloc', 'vzalloc_node',
  'kvzalloc', 'kvzalloc_node', 'kvcalloc', 'devm_kzalloc', 'devm_kcalloc', 'kzalloc_obj', 'kzalloc_objs',
]);

const cache = new WeakMap<Program, ReadonlySet<string>>();

/** The allocators and their wrappers in this program, to a fixpoint (a wrapper of a wrapper). */
export function zeroingCallees(program: Program): ReadonlySet<string> {
  let found = cache.get(program);
  if (found) return found;
  const out = new Set(ZEROING_ALLOCATORS);
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of program.functions) {
      if (out.has(e.fn.name) || !onlyReturnsFrom(e.fn.body, out)) continue;
      out.add(e.fn.name);
      changed = true;
    }
  }
  cache.set(program, (found = out));
  return found;
}

/**
 * Every `return` returns a call to one of `callees`, a variable only ever assigned such a call
 * (`p = kmem_cache_zalloc(..); return p;`), or NULL; and at least one is not NULL.
 */
function onlyReturnsFrom(body: Stmt, callees: ReadonlySet<string>): boolean {
  let calls = 0;
  let other = false;
  const fromCallees = (name: string): boolean => {
    let assigned = false;
    let otherwise = false;
    opsOf(body, (o) => {
      if (o.k === undefined && o.assignTo === name) {
        if (callees.has(o.callee)) assigned = true;
        else otherwise = true;
      } else if (o.k === 'set' && o.target === name && o.value !== Z) otherwise = true;
    });
    return assigned && !otherwise;
  };
  const visit = (st: Stmt | null): void => {
    if (!st || other) return;
    switch (st.k) {
      case 'block':
        for (const b of st.body) visit(b);
        return;
      case 'if':
        visit(st.then);
        visit(st.else);
        return;
      case 'loop':
      case 'scoped':
        visit(st.body);
        return;
      case 'switch':
        for (const c of st.cases) for (const b of c) visit(b);
        return;
      case 'return': {
        let last: CallEvent | undefined;
        for (const o of st.ops) if (o.k === undefined) last = o;
        if ((st.value.k === 'call' && last && callees.has(last.callee)) || (st.value.k === 'var' && fromCallees(st.value.name))) calls++;
        else if (!(st.value.k === 'const' && st.value.mask === Z)) other = true;
        return;
      }
      default:
    }
  };
  visit(body);
  return calls > 0 && !other;
}
