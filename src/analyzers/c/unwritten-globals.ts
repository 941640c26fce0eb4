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
import { integerValue } from './comparison.ts';
import type { FileFacts, GlobalIR, Stmt } from './ir.ts';
import { liveOps } from './live-branches.ts';

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
