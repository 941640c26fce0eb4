/**
 * Dead code: a non-static function whose name the program's text mentions only where it is
 * defined (no call, no `EXPORT_SYMBOL`, no ops table, no prototype) may still be called from
 * elsewhere in the tree. These are the candidates a front end asks the rest of the tree about;
 * the ones nothing mentions there either never run, and lockdep never sees their locks.
 */
import type { SourceFile } from './extract-facts.ts';
import type { FileFacts } from './ir.ts';

/** Called by name from outside C: the C runtime's `main`, the module loader's old-style entries. */
const ENTRY_BY_NAME = new Set(['main', 'init_module', 'cleanup_module']);

/** Non-static functions whose name appears in the sources only as often as they are defined. */
export function uncalledCandidates(sources: readonly SourceFile[], facts: readonly FileFacts[]): string[] {
  const defined = new Map<string, number>();
  for (const f of facts) {
    for (const fn of f.functions) {
      if (fn.isMacro || ENTRY_BY_NAME.has(fn.name)) continue;
      defined.set(fn.name, (defined.get(fn.name) ?? 0) + (fn.isStatic ? Infinity : 1));
    }
  }
  const seen = new Map<string, number>();
  for (const s of sources) {
    for (const m of s.text.matchAll(/[A-Za-z_]\w*/g)) {
      const w = m[0];
      if (defined.has(w)) seen.set(w, (seen.get(w) ?? 0) + 1);
    }
  }
  return [...defined].filter(([name, n]) => Number.isFinite(n) && seen.get(name) === n).map(([name]) => name).sort();
}
