/**
 * Functions all of whose callers the program holds: static (or non-static but named by no file
 * of the kernel tree outside the program), in a .c file, called, and never stored into a member
 * or handed over as an argument (a callback's callers are elsewhere).
 */
import type { ProgramView } from '../checkers/types.ts';

export function callersAllHere(view: ProgramView): (id: number) => boolean {
  const byId = new Map(view.functions.map((f) => [f.id, f]));
  return (id) => {
    const f = byId.get(id);
    if (!f || !(f.fn.isStatic || view.calledOnlyByName?.has(f.fn.name)) || f.fn.isMacro || !f.file.endsWith('.c') || !(view.callers.get(id)?.length)) return false;
    return !view.program.isStored(f.fn.name) && !view.program.isPassed(f.fn.name) && !view.calledOutside?.has(f.fn.name);
  };
}
