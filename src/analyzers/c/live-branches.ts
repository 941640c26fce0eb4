/**
 * The code of a body a build runs: past the branches of the `#if`s it decides against. A store
 * or a call there is none, in every kernel lockscope speaks for (c/unwritten-globals.ts: a
 * variable only such code writes; analyze-program.ts deadFunctions: a function only such code
 * calls).
 */
import { opsOf } from './call-graph.ts';
import { ANY, Z, type Cond, type Stmt } from './ir.ts';

/** What the build decides of a `#NAME` / `#if X` atom: true, false, or unknown. */
export type Decided = (key: string) => boolean | undefined;

/** The values every caller passes for a parameter, by its name (a mask of Z, P, N), where known. */
export type ParamValues = (name: string) => number | undefined;

/** opsOf, past the branches of `#if`s the build decides against, and of tests of parameters no caller's value takes. */
export function liveOps(st: Stmt, decided: Decided, visit: Parameters<typeof opsOf>[1], params?: ParamValues): void {
  switch (st.k) {
    case 'block':
      for (const b of st.body) liveOps(b, decided, visit, params);
      return;
    case 'if': {
      const on = configOn(st.cond, decided) ?? paramOn(st.cond, params);
      if (on !== false) liveOps(st.then, decided, visit, params);
      if (on !== true && st.else) liveOps(st.else, decided, visit, params);
      if (on === undefined) opsOf({ k: 'if', cond: st.cond, then: { k: 'ops', ops: [] }, else: null }, visit);
      return;
    }
    case 'loop':
      liveOps(st.body, decided, visit, params);
      opsOf({ ...st, body: { k: 'ops', ops: [] } }, visit);
      return;
    case 'switch':
      for (const c of st.cases) for (const b of c) liveOps(b, decided, visit, params);
      opsOf({ ...st, cases: [] }, visit);
      return;
    case 'scoped':
      liveOps(st.body, decided, visit, params);
      return;
    default:
      opsOf(st, visit);
  }
}

/** Whether a `#ifdef X` / `#ifndef X` / `#if X` condition holds in the build (undefined: any other condition, or not known). */
function configOn(c: Cond, decided: Decided): boolean | undefined {
  if (c.k !== 'atom' || !c.key.startsWith('#')) return undefined;
  const d = decided(c.key);
  if (d === undefined) return undefined;
  // The atom's test is the mask its condition holds on: P|N for defined, Z for `#ifndef`.
  return c.test === Z ? !d : d;
}

/** `if (rebuild)` where every caller passes `false` for `rebuild`: false (undefined: not such a test, or either way). */
function paramOn(c: Cond, params: ParamValues | undefined): boolean | undefined {
  if (!params || c.k !== 'atom' || c.reads.length !== 1 || c.key !== c.reads[0]) return undefined;
  const m = params(c.key);
  if (m === undefined) return undefined;
  if ((m & c.test) === 0) return false;
  return (m & ~c.test & ANY) === 0 ? true : undefined;
}

/** The lines of the calls a body makes in the branches the build (and, given `params`, its callers' values) keep. */
export function liveCallLines(body: Stmt, decided: Decided, params?: ParamValues): Set<number> {
  const out = new Set<number>();
  liveOps(body, decided, (o) => {
    if (o.k !== 'set') out.add(o.line);
  }, params);
  return out;
}
