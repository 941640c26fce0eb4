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

/**
 * The word pieces macros paste onto names (`oc ## _sm_ ## st ## _entry`, `sys##name`): a function
 * named with one may be called by a name the text never spells (`_state ## _entry(fsm)`).
 */
export function pasteFragments(text: string): string[] {
  if (!text.includes('##')) return [];
  const out = new Set<string>();
  for (const d of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+\w+(?:\(([^)]*)\))?((?:[^\n]*\\\r?\n)*[^\n]*)/gm)) {
    const body = d[2] as string;
    if (!body.includes('##')) continue;
    // A parameter is replaced by the argument: only the literal pieces are fragments.
    const params = new Set((d[1] ?? '').split(',').map((p) => p.trim()));
    // Two scans: in `a ## b ## c`, b is pasted on both sides.
    for (const re of [/(\w+)\s*##/g, /##\s*(\w+)/g]) {
      for (const m of body.matchAll(re)) {
        const piece = m[1] as string;
        if (piece.length >= 2 && !params.has(piece) && !/^\d+$/.test(piece)) out.add(piece);
      }
    }
  }
  return [...out];
}

/** Whether a name may be made by pasting one of these pieces onto another. */
export function maybePasted(name: string, fragments: ReadonlySet<string>): boolean {
  for (const f of fragments) {
    if (f === name) continue;
    if (name.startsWith(f) || name.endsWith(f) || (f.startsWith('_') && f.endsWith('_') && name.includes(f))) return true;
  }
  return false;
}

/**
 * Non-static functions whose name appears in the sources only as often as they are defined,
 * never inside parentheses (`SYSCALL_DEFINE(fadvise64)(...)`: a macro makes the real name) and
 * never with a piece the sources paste onto names.
 */
export function uncalledCandidates(sources: readonly SourceFile[], facts: readonly FileFacts[]): string[] {
  const defined = new Map<string, number>();
  for (const f of facts) {
    for (const fn of f.functions) {
      if (fn.isMacro || ENTRY_BY_NAME.has(fn.name)) continue;
      defined.set(fn.name, (defined.get(fn.name) ?? 0) + (fn.isStatic ? Infinity : 1));
    }
  }
  const seen = new Map<string, number>();
  const fragments = new Set<string>();
  for (const s of sources) {
    for (const f of pasteFragments(s.text)) fragments.add(f);
    for (const m of s.text.matchAll(/([(,]\s*)?([A-Za-z_]\w*)/g)) {
      const w = m[2] as string;
      if (defined.has(w)) seen.set(w, (seen.get(w) ?? 0) + (m[1] ? Infinity : 1));
    }
  }
  return [...defined].filter(([name, n]) => Number.isFinite(n) && seen.get(name) === n && !maybePasted(name, fragments)).map(([name]) => name).sort();
}
