/**
 * Statement macros tree-sitter cannot know: `list_for_each_entry(pos, head, member) stmt` and
 * `scoped_guard(mutex, &l) stmt`. With a brace body they parse as a call missing its ';' (see
 * shared NOTES); without braces they derail into ERROR nodes or fake declarations. Before
 * parsing, the macro's name is overwritten in place with `while` and spaces, which keeps every
 * line and column, so the parser sees `while (pos, head, member) stmt`. The returned map tells
 * the binder which `while` was which macro (by its start index).
 *
 * Only a use followed by a statement is a loop: `foo_for_each_sibling(ev, fn);` is a call and
 * stays one, and so is any name the same file defines as a function.
 *
 * Section and lock annotations in function headers, and `struct` in type arguments of macros,
 * are blanked the same way; sparse's lock annotations (`__acquires(x)`) are returned first, with
 * the function they belong to. Not a preprocessor.
 */
import type { Annotation } from './ir.ts';
import { isIteratorMacro, isWalkMacro } from '../locks/catalogue.ts';

export interface RewrittenMacros {
  text: string;
  /** startIndex of the `while` -> the macro name it replaced. */
  macros: Map<number, string>;
  /** sparse annotations by the function (prototype or definition) they follow. */
  annotations: Map<string, Annotation[]>;
  /** Functions declared or defined `__init`: run at boot only, and freed after it. */
  boot: Set<string>;
}

// `\w*` may be empty: `for_each_online_cpu(cpu)` starts with the pattern itself.
const CANDIDATE = /\b(\w*(?:for_?each|FOR_?EACH|_guard|_walk)\w*)\s*\(/g;
/** Text that may hold a statement macro at all: the cheap test before any pattern runs. */
const mayHoldStatementMacro = (text: string): boolean => text.includes('for_each') || text.includes('_guard') || text.includes('_walk');
const STATEMENT_START = new Set([';', '{', '}', ')', ':']);

function isStatementMacro(name: string): boolean {
  // A name found only by `_walk` is rewritten as a walk (`skb_queue_walk`); an `_each` or `_iter`
  // one that says walk (`llist_walk_each`) is left to the binder, as before walks were loops.
  if (!/for_?each|FOR_?EACH|_guard/.test(name)) return isWalkMacro(name);
  return name === 'scoped_guard' || name === 'scoped_cond_guard' || isIteratorMacro(name);
}

/** Is index `i` at the start of a statement (after `;`, a brace, `)` of an if/for, a label, or `else`)? */
function atStatementStart(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r')) j--;
  if (j < 0) return false;
  const c = text[j] as string;
  if (c === '/' && text[j - 1] === '*') return true;
  if (STATEMENT_START.has(c)) return c !== ':' || text[j - 1] !== ':';
  return text.slice(Math.max(0, j - 3), j + 1) === 'else' && !/\w/.test(text[j - 4] ?? ' ');
}

/** The index just past the `)` matching the `(` at `open`, skipping strings and comments; -1 if none. */
export function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (--depth === 0) return i + 1;
    } else if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return -1;
      i = end + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      if (end === -1) return -1;
      i = end;
    }
  }
  return -1;
}

/**
 * The first character from `i` that is not blank or inside a comment (nor, with `directives`,
 * on a preprocessor line).
 */
export function nextSignificant(text: string, i: number, directives = false): string {
  let atLineStart = i === 0 || text[i - 1] === '\n';
  for (let j = i; j < text.length; j++) {
    const c = text[j] as string;
    if (c === '\n') {
      atLineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (directives && c === '#' && atLineStart) {
      // A directive runs on past each line ending in a backslash (a multi-line #define's body).
      let end = text.indexOf('\n', j);
      while (end > 0 && /\\\r?$/.test(text.slice(Math.max(j, end - 2), end))) end = text.indexOf('\n', end + 1);
      if (end === -1) return '';
      j = end - 1;
      continue;
    }
    if (c === '/' && text[j + 1] === '*') {
      const end = text.indexOf('*/', j + 2);
      if (end === -1) return '';
      j = end + 1;
      continue;
    }
    if (c === '/' && text[j + 1] === '/') {
      const end = text.indexOf('\n', j);
      if (end === -1) return '';
      j = end;
      continue;
    }
    return c;
  }
  return '';
}

/**
 * Section, sparse and annotation macros (`static int __init foo(void)`, `void __lockfunc
 * big_lock(void)`, `void __user *buf`, `void f(void) __releases(l)`) make tree-sitter give up
 * on the whole definition: blank them.
 */
const ANNOTATIONS = /\b(?:__(?:init|exit|devinit|devexit|cpuinit|cpuexit|meminit|memexit|init_refok|ref|cold|hot|sched|lockfunc|irq_entry|kprobes|visible|weak|maybe_unused|always_unused|must_check|latent_entropy|net_init|net_exit|init_or_module|always_inline|noinline|user|iomem|percpu|rcu|force|bitwise|read_mostly|ro_after_init|initdata|initconst|cacheline_aligned|cacheline_aligned_in_smp)|noinline|notrace|asmlinkage)\b|\b__(?:releases|acquires|must_hold|cond_acquires)\s*\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)/g;

/** One sparse lock annotation with its argument: `__releases(&f->lock)`. */
export const LOCK_ANNOTATION = /\b__(releases|acquires|must_hold|cond_acquires)\s*\(([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)/g;

/**
 * `void foo(struct x *p) __acquires(&p->lock)`: the annotation follows the parameter list of
 * the function it describes. Walks back over blanks and earlier annotations to that list's `)`,
 * then to the identifier before its `(`.
 */
function annotatedFunction(text: string, at: number): string | undefined {
  let j = at - 1;
  for (;;) {
    while (j >= 0 && /\s/.test(text[j] as string)) j--;
    if (text[j] !== ')') return undefined;
    // Find the matching '(' backwards.
    let depth = 0;
    let k = j;
    for (; k >= 0; k--) {
      if (text[k] === ')') depth++;
      else if (text[k] === '(' && --depth === 0) break;
    }
    if (k < 0) return undefined;
    let e = k - 1;
    while (e >= 0 && /\s/.test(text[e] as string)) e--;
    let s = e;
    while (s >= 0 && /\w/.test(text[s] as string)) s--;
    const name = text.slice(s + 1, e + 1);
    if (/^__(releases|acquires|must_hold|cond_acquires)$/.test(name)) {
      j = s;
      continue;
    }
    return /^[A-Za-z_]\w*$/.test(name) ? name : undefined;
  }
}

function collectAnnotations(text: string): Map<string, Annotation[]> {
  const out = new Map<string, Annotation[]>();
  if (!text.includes('__acquires') && !text.includes('__releases') && !text.includes('__must_hold') && !text.includes('__cond_acquires')) return out;
  for (const m of text.matchAll(LOCK_ANNOTATION)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (/^\s*#/.test(text.slice(lineStart, m.index))) continue;
    const fn = annotatedFunction(text, m.index);
    if (!fn) continue;
    const list = out.get(fn) ?? [];
    list.push({ k: m[1] as Annotation['k'], arg: (m[2] as string).trim() });
    out.set(fn, list);
  }
  return out;
}

/** `int __init init_dmars(void)`, `static void __init\nfoo(void)`: the name the `__init` section marker goes with. */
const BOOT_SECTION = /\b__init\b(?:\s+\w+|\s*\*){0,3}?\s*\b([A-Za-z_]\w*)\s*\(/g;

function bootFunctions(text: string): Set<string> {
  const out = new Set<string>();
  if (!text.includes('__init')) return out;
  for (const m of text.matchAll(BOOT_SECTION)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (/^\s*#/.test(text.slice(lineStart, m.index))) continue;
    out.add(m[1] as string);
  }
  return out;
}

function blankAnnotations(text: string): string {
  if (!text.includes('__') && !text.includes('noinline') && !text.includes('notrace') && !text.includes('asmlinkage')) return text;
  return text.replace(ANNOTATIONS, (m) => m.replace(/[^\n]/g, ' '));
}

/**
 * A parameter written with an empty annotation macro before its type (`IN struct glue *g`,
 * `OUT u32_t *flags`, `IN OUT P_INFO info`): tree-sitter reads the macro as the type and the
 * real type as an error, so the parameter's type (and the lock class of what it points to) is
 * lost. An upper-case word that starts a parameter whose remaining words still declare one (a
 * type word and a name) is such a macro in any build: blanked, as the preprocessor would.
 */
const PARAMETER = /([(,]\s*)((?:[A-Za-z_]\w*\b|\*)(?:[A-Za-z_]\w*\b|\*|\s|\[[^\]\n]*\])*)(?=[,)])/g;
const QUALIFIERS = new Set(['const', 'volatile', 'restrict', 'register']);
const ANNOTATION_WORD = /^[A-Z][A-Z0-9_]*$/;

function blankParameterAnnotations(text: string): string {
  return text.replace(PARAMETER, (m, before: string, param: string) => {
    let rest = param;
    for (;;) {
      const words = rest.match(/[A-Za-z_]\w*/g) ?? [];
      const first = words[0];
      if (!first || words.length < 3 || !ANNOTATION_WORD.test(first)) break;
      // `UINT32 const x` is a type and a name: nothing to blank. `IN const char *s` is not.
      if (!words.slice(1, -1).some((w) => !QUALIFIERS.has(w))) break;
      const at = rest.indexOf(first);
      rest = `${rest.slice(0, at)}${' '.repeat(first.length)}${rest.slice(at + first.length)}`;
    }
    return rest === param ? m : `${before}${rest}`;
  });
}

/**
 * A storage-class macro before a definition's type (`MALI_STATIC_INLINE mali_bool f(void)`,
 * `static INLINE void g(void)`, `EXPORT int h(void)`, the macro in a header this file does not
 * see): tree-sitter reads it as the type and gives up on the definition, and the function is
 * gone. An upper-case word in the head of a top-level declaration (from column 0 to the name
 * before its `(`) followed by a type and the name is such a macro: blanked. One followed by the
 * name alone is the type (`UINT32 f(void)`), and one after `struct` a tag. A head is at most
 * eight words and stars: the search stays linear on any input.
 */
const DECLARATION_HEAD = /^((?:(?:[A-Za-z_]\w*(?!\w)|\*)[ \t]*(?:\n[ \t]*)?){1,8}?)([A-Za-z_]\w*)[ \t]*\(/gm;
const HEAD_WORD = /\*|[A-Za-z_]\w*/g;
const TAG_KEYWORDS = new Set(['struct', 'union', 'enum']);
const C_WORDS = new Set(['return', 'else', 'do', 'goto', 'case', 'sizeof', 'typedef', 'if', 'while', 'for', 'switch']);

function blankStorageMacros(text: string): string {
  if (!/\b[A-Z][A-Z0-9_]+\s+\*?\s*[A-Za-z_]/.test(text)) return text;
  return text.replace(DECLARATION_HEAD, (m, head: string, _name: string) => {
    const words = [...head.matchAll(HEAD_WORD)];
    if (words.some((w) => C_WORDS.has(w[0]))) return m;
    let out = head;
    words.forEach((w, i) => {
      const word = w[0];
      if (!ANNOTATION_WORD.test(word) || TAG_KEYWORDS.has(words[i - 1]?.[0] ?? '')) return;
      // Followed by a type word of its own (the name is not in `words`): then this one is no type.
      if (!words.slice(i + 1).some((x) => x[0] !== '*' && !QUALIFIERS.has(x[0]))) return;
      out = `${out.slice(0, w.index)}${' '.repeat(word.length)}${out.slice(w.index + word.length)}`;
    });
    return out === head ? m : `${out}${m.slice(head.length)}`;
  });
}

/**
 * A type passed as a macro argument (`container_of(p, struct foo, node)`, `list_entry(...)`,
 * `offsetof(struct foo, m)`) is no expression: tree-sitter wraps it in an ERROR that can swallow
 * the statement. Blanking `struct ` leaves an identifier there. Casts (`(struct foo *)x`) are
 * followed by `*` and do not match.
 */
const TYPE_ARGUMENT = /([(,]\s*)struct(\s+[A-Za-z_]\w*\s*[,)])/g;

function blankTypeArguments(text: string): string {
  if (!text.includes('struct')) return text;
  return text.replace(TYPE_ARGUMENT, (_m, before: string, after: string) => `${before}      ${after}`);
}

/** Names the file defines as functions: `name(...) {` at the start of a line or after a return type. */
function definedFunctions(text: string): Set<string> {
  const out = new Set<string>();
  if (!mayHoldStatementMacro(text)) return out;
  // The name after its type on the line, or starting the line (the type on the line before).
  for (const m of text.matchAll(/^(?:[A-Za-z_][\w \t*]*?\b)?(\w*(?:for_each|_guard|_walk)\w*)\s*\(/gm)) {

    const open = (m.index as number) + m[0].length - 1;
    const close = matchParen(text, open);
    if (close !== -1 && nextSignificant(text, close) === '{') out.add(m[1] as string);
  }
  return out;
}

/**
 * `do { ... } while_each_thread(g, t);`: a macro standing for the `while (...)` of a do loop.
 * Without the keyword the parser loses the loop and everything after it in the file.
 */
const DO_WHILE_MACRO = /\}(\s*)(while_\w+)(\s*\()/g;

function rewriteDoWhileMacros(text: string): string {
  if (!text.includes('while_')) return text;
  return text.replace(DO_WHILE_MACRO, (_m, space: string, name: string, open: string) => `}${space}while${' '.repeat(name.length - 5)}${open}`);
}

/**
 * A pair of macros the file defines around a loop body, one opening a block it does not close
 * (`#define for_nexthops(fi) { int nhsel; for (...)`) and one that is only its `}` (`#define
 * endfor_nexthops(fi) }`), written without semicolons: `for_nexthops(fi) { ... } endfor_nexthops(fi)`.
 * Unexpanded, the closer glues onto the next statement (an unlock) and both are lost. The opener's
 * name becomes `{while`, the closer's whole use `}`, in place, keeping lines and columns.
 */
function rewriteBraceMacros(text: string): string {
  if (!text.includes('#define') || !text.includes('{')) return text;
  const openers = new Set<string>();
  const closers = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+(\w+)\([^)\n]*\)((?:[^\n]*\\\n)*[^\n]*)/gm)) {
    const body = (m[2] as string).replace(/\\\n/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').trim();
    const opens = body.split('{').length - 1;
    const closes = body.split('}').length - 1;
    if (body === '}') closers.add(m[1] as string);
    else if (body.startsWith('{') && opens > closes && (m[1] as string).length >= 6) openers.add(m[1] as string);
  }
  if (openers.size === 0 || closers.size === 0) return text;
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/\b(\w+)\s*\(/g)) {
    const name = m[1] as string;
    const at = m.index;
    if ((!openers.has(name) && !closers.has(name)) || at < last) continue;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (/^\s*#/.test(text.slice(lineStart, at))) continue;
    const close = matchParen(text, at + m[0].length - 1);
    if (close === -1) continue;
    if (openers.has(name)) {
      if (nextSignificant(text, close) !== '{') continue;
      out += `${text.slice(last, at)}{while${' '.repeat(name.length - 6)}`;
      last = at + name.length;
    } else {
      out += `${text.slice(last, at)}}${text.slice(at + 1, close).replace(/[^\n]/g, ' ')}`;
      last = close;
    }
  }
  return out + text.slice(last);
}

export function rewriteStatementMacros(source: string): RewrittenMacros {
  const macros = new Map<number, string>();
  const annotations = collectAnnotations(source);
  const boot = bootFunctions(source);
  const text = rewriteDoWhileMacros(blankTypeArguments(blankParameterAnnotations(blankStorageMacros(blankAnnotations(rewriteBraceMacros(source))))));

  if (!mayHoldStatementMacro(text)) return { text, macros, annotations, boot };
  const functions = definedFunctions(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(CANDIDATE)) {
    const name = m[1] as string;
    const at = m.index;
    if (!isStatementMacro(name) || name.length < 5 || functions.has(name) || !atStatementStart(text, at)) continue;
    // A `#define list_for_each_entry(...)` line is not a use.
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (/^\s*#/.test(text.slice(lineStart, at))) continue;
    // `foo_for_each_sibling(ev, fn);` is an ordinary call: only a use followed by a statement loops.
    const close = matchParen(text, at + m[0].length - 1);
    if (close === -1 || nextSignificant(text, close) === ';') continue;
    out += text.slice(last, at) + 'while' + ' '.repeat(name.length - 5);
    last = at + name.length;
    macros.set(at, name);
  }
  return { text: out + text.slice(last), macros, annotations, boot };
}
