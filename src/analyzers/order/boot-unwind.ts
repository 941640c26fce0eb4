/**
 * Order made only while a failed `__init` unwinds. `init_dmars()` returns 0 when it worked; its
 * `error:` label, reached only by a jump, frees what it set up (`free_iommu()` ->
 * `free_dmar_iommu()`, taking the domain locks on the way). That runs once, at boot, when the
 * subsystem did not come up: nothing of it runs afterwards to take the same locks the other way
 * round. Lockdep would record the order if that path ran, but no boot sees the other order after
 * it: a cycle through such an edge is not reported (lock-order.ts; skipped says how many).
 *
 * A step is on such a path when it is in a `__init` function past the first label only a jump
 * reaches (c/lower.ts unwindLines) and before the label its work rejoins, or in a function whose every call is on one (all its callers
 * here: callers-here.ts).
 */
import type { ProgramView } from '../checkers/types.ts';
import { MAX_CALLERS_KEPT } from '../c/call-graph.ts';
import type { FunctionEntry } from '../c/program.ts';
import type { ChainStep } from '../report-types.ts';
import { callersAllHere } from './callers-here.ts';

export function bootUnwindSteps(view: ProgramView): (step: ChainStep) => boolean {
  const unwinding = (e: FunctionEntry, line: number): boolean => e.fn.boot === true && e.fn.unwindFrom !== undefined && line >= e.fn.unwindFrom && line <= (e.fn.unwindTo ?? e.fn.endLine);
  if (!view.functions.some((e) => e.fn.unwindFrom !== undefined)) return () => false;
  const allHere = callersAllHere(view);
  const only = new Set<number>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of view.functions) {
      if (only.has(e.id) || !allHere(e.id)) continue;
      const callers = (view.callers.get(e.id) ?? []).filter((c) => c.caller.id !== e.id);
      if (!callers.length || callers.length >= MAX_CALLERS_KEPT) continue;
      if (callers.every((c) => unwinding(c.caller, c.line) || only.has(c.caller.id))) {
        only.add(e.id);
        grew = true;
      }
    }
  }
  const byPlace = new Map<string, FunctionEntry[]>();
  for (const e of view.functions) {
    if (!only.has(e.id) && e.fn.unwindFrom === undefined) continue;
    const k = `${e.file}\0${e.fn.name}`;
    byPlace.set(k, [...(byPlace.get(k) ?? []), e]);
  }
  return (step) => (byPlace.get(`${step.file}\0${step.function}`) ?? []).some((e) => step.line >= e.fn.line && step.line <= e.fn.endLine && (only.has(e.id) || unwinding(e, step.line)));
}
