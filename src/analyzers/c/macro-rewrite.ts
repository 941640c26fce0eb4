/**
 * Statement macros tree-sitter cannot know: `list_for_each_entry(pos, head, member) stmt` and
 * `scoped_guard(mutex, &l) stmt`. With a brace body they parse as a call missing its ';' (see
 * shared NOTES); without braces they derail into ERROR nodes or fake declarations. Before
 * parsing, the macro's name is overwritten in place with `while` and spaces, which keeps every
 * line and column, so the parser sees `while (pos, head, member) stmt`. The returned map tells
 * the binder which `while` was which macro (by its start index). Section and lock annotations
 * in function headers, and `struct` in type arguments of macros, are blanked the same way.
 * Not a preprocessor.
 */
import { isIteratorMacro } from '../locks/catalogue.ts';

export interface RewrittenMacros {
  text: string;
  /** startIndex of the `while` -> the macro name it replaced. */
  macros: Map<number, string>;
}

const CANDIDATE = /\b([A-Za-z_]\w*(?:for_each|_guard)\w*)\s*\(/g;
const STATEMENT_START = new Set([';', '{', '}', ')', ':']);

function isStatementMacro(name: string): boolean {
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

/**
 * Section, sparse and annotation macros (`static int __init foo(void)`, `void __user *buf`,
 * `void f(void) __releases(l)`) make tree-sitter give up on the whole definition: blank them.
 */
const ANNOTATIONS = /\b(?:__(?:init|exit|devinit|devexit|cpuinit|meminit|ref|cold|hot|sched|kprobes|visible|weak|maybe_unused|always_unused|must_check|latent_entropy|net_init|net_exit|init_or_module|always_inline|noinline|user|iomem|percpu|rcu|force|bitwise|read_mostly|ro_after_init|initdata|initconst|cacheline_aligned|cacheline_aligned_in_smp)|noinline|notrace|asmlinkage)\b|\b__(?:releases|acquires|must_hold)\s*\([^()\n]*\)/g;

function blankAnnotations(text: string): string {
  if (!text.includes('__') && !text.includes('noinline') && !text.includes('notrace') && !text.includes('asmlinkage')) return text;
  return text.replace(ANNOTATIONS, (m) => ' '.repeat(m.length));
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

export function rewriteStatementMacros(source: string): RewrittenMacros {
  const macros = new Map<number, string>();
  const text = blankTypeArguments(blankAnnotations(source));
  if (!text.includes('for_each') && !text.includes('_guard')) return { text, macros };
  let out = '';
  let last = 0;
  for (const m of text.matchAll(CANDIDATE)) {
    const name = m[1] as string;
    const at = m.index;
    if (!isStatementMacro(name) || name.length < 5 || !atStatementStart(text, at)) continue;
    // A `#define list_for_each_entry(...)` line is not a use.
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (/^\s*#/.test(text.slice(lineStart, at))) continue;
    out += text.slice(last, at) + 'while' + ' '.repeat(name.length - 5);
    last = at + name.length;
    macros.set(at, name);
  }
  return { text: out + text.slice(last), macros };
}
