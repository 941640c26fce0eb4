/**
 * Dead code: a non-static function whose name the program's text mentions only where it is
 * defined (no call, no `EXPORT_SYMBOL`, no ops table, no prototype) may still be called from
 * elsewhere in the tree. These are the candidates a front end asks the rest of the tree about;
 * the ones nothing mentions there either never run, and lockdep never sees their locks.
 */
import type { SourceFile } from './extract-facts.ts';
import { callEvents } from './call-graph.ts';
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

/**
 * The pieces a paste would have had to supply for `name` (`bna_rx` and `started` for
 * `bna_rx_sm_started_entry` with fragments `_sm_` and `_entry`), or undefined when no fragment
 * fits it. A macro makes the name only from arguments written somewhere: each piece is a word.
 */
export function pastedPieces(name: string, fragments: ReadonlySet<string>): string[] | undefined {
  let rest = name;
  let fits = false;
  for (const f of fragments) {
    if (f === name) continue;
    if (rest.startsWith(f)) rest = `\0${rest.slice(f.length)}`;
    else if (rest.endsWith(f)) rest = `${rest.slice(0, -f.length)}\0`;
    else if (f.startsWith('_') && f.endsWith('_') && rest.includes(f)) rest = rest.replace(f, '\0');
    else continue;
    fits = true;
  }
  return fits ? rest.split('\0').filter(Boolean) : undefined;
}

/** Whether a name may be made by pasting these pieces onto arguments that are words `known` holds. */
export function maybePasted(name: string, fragments: ReadonlySet<string>, known: (word: string) => boolean): boolean {
  return pastedPieces(name, fragments)?.every(known) ?? false;
}

/**
 * Non-static functions whose name appears in the sources only where they are defined, declared
 * (a prototype calls nothing) or called by name, never inside parentheses
 * (`SYSCALL_DEFINE(fadvise64)(...)`: a macro makes the real name) and never one the sources'
 * macros may paste from words they hold; with every word of the sources. One called by name
 * is dead only where every caller is (analyze-program.ts deadFunctions).
 */
export function uncalledCandidates(sources: readonly SourceFile[], facts: readonly FileFacts[]): { candidates: string[]; called: ReadonlySet<string>; words: ReadonlySet<string> } {
  const defined = new Map<string, number>();
  for (const f of facts) {
    for (const fn of f.functions) {
      if (fn.isMacro || ENTRY_BY_NAME.has(fn.name)) continue;
      defined.set(fn.name, (defined.get(fn.name) ?? 0) + (fn.isStatic ? Infinity : 1));
    }
  }
  // Mentions that keep nothing alive: prototypes, and calls by name (their callers decide).
  const expected = new Map(defined);
  const called = new Set<string>();
  const add = (name: string, call = false): void => {
    const n = expected.get(name);
    if (n === undefined) return;
    expected.set(name, n + 1);
    if (call) called.add(name);
  };
  for (const f of facts) {
    // FileFacts.prototypes lists definitions too: only the declarations beyond them.
    const definedHere = new Map<string, number>();
    for (const fn of f.functions) definedHere.set(fn.name, (definedHere.get(fn.name) ?? 0) + 1);
    for (const p of f.prototypes) {
      const d = definedHere.get(p.name) ?? 0;
      if (d > 0) definedHere.set(p.name, d - 1);
      else add(p.name);
    }
    for (const fn of f.functions) for (const ev of callEvents(fn.body)) if (!ev.indirect) add(ev.callee, true);
  }
  const seen = new Map<string, number>();
  const fragments = new Set<string>();
  const words = new Set<string>();
  for (const s of sources) {
    for (const f of pasteFragments(s.text)) fragments.add(f);
    // A commented-out prototype or call (`//\tU8 MDrv_ReadID(U16 n);`) names nothing, and a
    // message (`"%s, bus_init failed"`) neither; a string that is the name alone may look it up.
    const code = withoutComments(s.text);
    for (const m of code.matchAll(/[A-Za-z_]\w*/g)) words.add(m[0]);
    for (const m of withoutMessages(code).matchAll(/([(,]\s*)?([A-Za-z_]\w*)/g)) {
      const w = m[2] as string;
      if (defined.has(w)) seen.set(w, (seen.get(w) ?? 0) + (m[1] ? Infinity : 1));
    }
  }
  const candidates = [...expected].filter(([name, n]) => Number.isFinite(n) && seen.get(name) === n && !maybePasted(name, fragments, (w) => words.has(w))).map(([name]) => name).sort();
  return { candidates, called: new Set(candidates.filter((n) => called.has(n))), words };
}

/** The text with every string literal but a bare name (`"foo_init"`, a lookup by name) blanked. */
function withoutMessages(text: string): string {
  if (!text.includes('"')) return text;
  // Character literals matched too, so a `'"'` starts no string.
  return text.replace(/"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => (m[0] === "'" || /^"[A-Za-z_]\w*"$/.test(m) ? m : `"${' '.repeat(m.length - 2)}"`));
}

/** The text with its comments blanked (strings kept: a `//` in a URL is no comment). */
export function withoutComments(text: string): string {
  if (!text.includes('/*') && !text.includes('//')) return text;
  return text.replace(/"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => (m[0] === '/' ? m.replace(/[^\n]/g, ' ') : m));
}
