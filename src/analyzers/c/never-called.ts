/**
 * Dead code: a non-static function whose name the program's text mentions only where it is
 * defined (no call, no `EXPORT_SYMBOL`, no ops table, no prototype) may still be called from
 * elsewhere in the tree. These are the candidates a front end asks the rest of the tree about;
 * the ones nothing mentions there either never run, and lockdep never sees their locks.
 */
import { withoutUnusedCode } from './value-uses.ts';
import { includedCFiles } from './lower.ts';
import type { SourceFile } from './extract-facts.ts';
import { callEvents } from './call-graph.ts';
import type { FileFacts } from './ir.ts';

/** Called by name from outside C: the C runtime's `main`, the module loader's old-style entries. */
const ENTRY_BY_NAME = new Set(['main', 'init_module', 'cleanup_module']);

/**
 * The paste chains of the macros a text defines (`oc ## _sm_ ## st ## _entry`, `sys##name`), each
 * as its literal pieces with \0 where an argument goes (`\0_sm_\0_entry`): a function named to
 * fit one may be called by a name the text never spells (`_state ## _entry(fsm)`). A chain with
 * no word of its own (`a ## b`, `a ## _ ## b`) says nothing of a name and is left out.
 */
export function pasteChains(text: string): string[] {
  if (!text.includes('##')) return [];
  const out = new Set<string>();
  for (const d of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+\w+(?:\(([^)]*)\))?((?:[^\n]*\\\r?\n)*[^\n]*)/gm)) {
    const body = d[2] as string;
    if (!body.includes('##')) continue;
    // A parameter is replaced by the argument: only the literal pieces are fixed.
    const params = new Set((d[1] ?? '').split(',').map((p) => p.trim()));
    const chains: string[] = [];
    const defined = new Set<string>();
    for (const m of body.matchAll(/\w+(?:\s*##\s*\w+)+/g)) {
      const parts = m[0].split(/\s*##\s*/).map((t) => (params.has(t) || (params.has('...') && t === '__VA_ARGS__') ? '\0' : t));
      // A chain with no word of its own (`a ## _ ## b`, `x ## 1`) would fit nearly any name.
      if (!parts.some((t) => t !== '\0' && t.length >= 2 && /[A-Za-z]/.test(t))) continue;
      // `static int __init __driver##_init(void)`: the macro defines a function of that name (a
      // type before it, its parameters after), and its other uses of the name are of that one.
      const lead = /(?:^|[;{}\n])([^;{}\n]*)$/.exec(body.slice(0, m.index))?.[1] ?? '';
      if (/^\s*(?:[A-Za-z_]\w*[\s*]+)+$/.test(lead) && !/\b(?:return|else|case|goto|do|if|while|for|switch|sizeof|typeof)\b/.test(lead) && /^\s*\(/.test(body.slice((m.index ?? 0) + m[0].length))) defined.add(parts.join(''));
      else chains.push(parts.join(''));
    }
    for (const c of chains) if (!defined.has(c)) out.add(c);
  }
  return [...out];
}

const chainPatterns = new Map<string, RegExp>();

/** A chain's names: its literal pieces in order, a word where each argument goes. */
function chainPattern(chain: string): RegExp {
  let re = chainPatterns.get(chain);
  if (!re) chainPatterns.set(chain, (re = new RegExp(`^${chain.split('\0').map((lit) => lit.replace(/[^\w]/g, '\\$&')).join('(\\w+?)')}$`)));
  return re;
}

/**
 * Per macro paste chain that fits `name`, the arguments it would have had to be given to make it
 * (`bna_rx` and `started` for `bna_rx_sm_started_entry` with `\0_sm_\0_entry`); none when no
 * chain fits. A macro makes the name only from arguments written somewhere: each piece is a word.
 */
export function pastedPieces(name: string, chains: ReadonlySet<string>): string[][] {
  const out: string[][] = [];
  for (const chain of chains) {
    const m = chainPattern(chain).exec(name);
    if (m && m.length > 1) out.push(m.slice(1));
  }
  return out;
}

/**
 * Whether some chain fits a name (pastedPieces not empty), for many names: a chain is tried only
 * on a name holding its longest literal piece (Linux 3.0's chains one pattern each against
 * every directory's functions: 15 s; as one alternation, whose `\w+?` arms backtrack: 9 s).
 */
export function pasteFits(chains: ReadonlySet<string>): (name: string) => boolean {
  const tried = [...chains]
    .filter((c) => c.includes('\0'))
    .map((c) => ({ literal: c.split('\0').reduce((a, b) => (b.length > a.length ? b : a), ''), pattern: chainPattern(c) }));
  return (name) => tried.some((t) => name.includes(t.literal) && t.pattern.test(name));
}

/** Whether a name may be made by a macro's paste chain from arguments that are words `known` holds. */
export function maybePasted(name: string, chains: ReadonlySet<string>, known: (word: string) => boolean): boolean {
  return pastedPieces(name, chains).some((pieces) => pieces.every(known));
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
  const chains = new Set<string>();
  const includedHere = new Set(sources.flatMap((s) => includedCFiles(s.text, s.path)));
  const words = new Set<string>();
  for (const s of sources) {
    for (const f of pasteChains(s.text)) chains.add(f);
    // A commented-out prototype or call (`//\tU8 MDrv_ReadID(U16 n);`) names nothing, and a
    // message (`"%s, bus_init failed"`) neither; a string that is the name alone may look it up.
    // Nor does one in an `#if 0` block, or stored only in a static table nothing compiled names.
    const code = withoutComments(withoutUnusedCode(s.text, includedHere.has(s.path)));
    for (const m of code.matchAll(/[A-Za-z_]\w*/g)) words.add(m[0]);
    for (const m of withoutMessages(code).matchAll(/([(,]\s*)?([A-Za-z_]\w*)/g)) {
      const w = m[2] as string;
      if (defined.has(w)) seen.set(w, (seen.get(w) ?? 0) + (m[1] ? Infinity : 1));
    }
  }
  const candidates = [...expected].filter(([name, n]) => Number.isFinite(n) && seen.get(name) === n && !maybePasted(name, chains, (w) => words.has(w))).map(([name]) => name).sort();
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
