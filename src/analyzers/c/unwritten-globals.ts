/**
 * Variables no build writes. A driver's mode flag (`uint fw_on_load = TRUE;`) whose only store
 * sits under a switch no build defines (`#ifdef INSMOD_NO_FW_LOAD`) holds its initial value in
 * every kernel lockscope speaks for: its tests (`if (!fw_on_load)`) are decided, as a `const`
 * global's are. Kept only where that is sure: a scalar with a constant initial value (or a static
 * one without, zeroed at load), written by no statement of a live branch of any function of the
 * program, never handed out (`module_param`, `&x`: c/lower.ts exposedVariables), every
 * definition of the name agreeing, and for one other files may see, none outside the program
 * mentioning it (the front end's look at the rest of the tree; without one, statics only).
 * Pure: from the program's IR and what the build decides of its `#if`s.
 */
import { opsOf } from './call-graph.ts';
import { integerValue } from './comparison.ts';
import { Z, type Cond, type FileFacts, type GlobalIR, type Stmt } from './ir.ts';

export interface WriteScope {
  /** Each live function body, with the file it is in. */
  bodies: readonly { file: string; line: number; body: Stmt; locals: Readonly<Record<string, unknown>> }[];
  /** A name's integer value, when it is a constant of the program (`TRUE`, an enumerator). */
  value(name: string): number | undefined;
  /** What the build decides of a `#NAME` / `#if X` atom: true, false, or unknown. */
  decided(key: string, file: string, line: number): boolean | undefined;
  /** Non-static variables no file outside the program mentions. */
  unmentionedOutside: ReadonlySet<string>;
}

/** name -> the value it keeps. */
export function unwrittenGlobals(files: readonly FileFacts[], scope: WriteScope): Map<string, number> {
  const candidates = new Map<string, number | null>();
  const exposed = new Set(files.flatMap((f) => f.exposedVariables ?? []));
  for (const f of files) {
    for (const [name, g] of Object.entries(f.globals) as [string, GlobalIR][]) {
      // `extern uint x;` in a header declares the one definition's variable.
      if (!g.isStatic && g.init === undefined) continue;
      const value = g.init === undefined || exposed.has(name) || (!g.isStatic && !scope.unmentionedOutside.has(name)) ? undefined : initialValue(g.init, scope);
      const known = candidates.get(name);
      candidates.set(name, value === undefined || (known !== undefined && known !== value) ? null : value);
    }
  }
  const live = new Set([...candidates].filter(([, v]) => v !== null).map(([n]) => n));
  if (live.size === 0) return new Map();
  for (const b of scope.bodies) {
    liveOps(b.body, (key) => scope.decided(key, b.file, b.line), (o) => {
      if (o.k === 'set' && live.has(o.root) && !Object.hasOwn(b.locals, o.root)) live.delete(o.root);
    });
    if (live.size === 0) break;
  }
  return new Map([...live].map((n) => [n, candidates.get(n) as number]));
}

function initialValue(init: string, scope: WriteScope): number | undefined {
  return integerValue(init) ?? scope.value(init);
}

/** opsOf, past the branches of `#if`s the build decides against. */
function liveOps(st: Stmt, decided: (key: string) => boolean | undefined, visit: Parameters<typeof opsOf>[1]): void {
  switch (st.k) {
    case 'block':
      for (const b of st.body) liveOps(b, decided, visit);
      return;
    case 'if': {
      const on = configOn(st.cond, decided);
      if (on !== false) liveOps(st.then, decided, visit);
      if (on !== true && st.else) liveOps(st.else, decided, visit);
      if (on === undefined) opsOf({ k: 'if', cond: st.cond, then: { k: 'ops', ops: [] }, else: null }, visit);
      return;
    }
    case 'loop':
      liveOps(st.body, decided, visit);
      opsOf({ ...st, body: { k: 'ops', ops: [] } }, visit);
      return;
    case 'switch':
      for (const c of st.cases) for (const b of c) liveOps(b, decided, visit);
      opsOf({ ...st, cases: [] }, visit);
      return;
    case 'scoped':
      liveOps(st.body, decided, visit);
      return;
    default:
      opsOf(st, visit);
  }
}

/** Whether a `#ifdef X` / `#ifndef X` / `#if X` condition holds in the build (undefined: any other condition, or not known). */
function configOn(c: Cond, decided: (key: string) => boolean | undefined): boolean | undefined {
  if (c.k !== 'atom' || !c.key.startsWith('#')) return undefined;
  const d = decided(c.key);
  if (d === undefined) return undefined;
  // The atom's test is the mask its condition holds on: P|N for defined, Z for `#ifndef`.
  return c.test === Z ? !d : d;
}
