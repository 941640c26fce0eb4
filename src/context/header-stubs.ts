/**
 * The `static inline` functions of a kernel tree's headers that call nothing: the stubs a header
 * gives when a feature is compiled in elsewhere or not at all (`tracehook_get_signal()` returning
 * 0, `return -ENOSYS;`) and plain accessors (`return t->count;`). Without them a call is one of
 * unknown result, and every way its result could go is taken: `if (signr < 0) goto relock;`
 * while holding the lock the loop re-takes at `relock`. Only definitions outside any `#if`
 * (beyond the include guard) count: a stub under `#ifndef CONFIG_X` stands for one build, and
 * the analysis is of every build unless a configuration says which. A body that calls anything
 * (a lock primitive, a macro) is not a stub and is left out. Line numbers are kept, so a witness
 * through one names the header's line.
 *
 * Kept too, given the catalogue's lock operations (`lockOp`), as the header's lock macros are
 * (context/header-lock-macros.ts): an inline whose every call is a lock operation, one at least
 * taking or releasing a lock (`task_lock(p)` is `spin_lock(&p->alloc_lock)`). Without its body a
 * directory names the lock after the call (an inferred pair, `task_lock`), and code that takes
 * `p->alloc_lock` itself takes another lock. One under `#ifdef CONFIG_X` counts, as a macro
 * does: the other build's is the empty stub, and lockdep sees the build that locks. A name two
 * such definitions give (two builds that lock differently) does not, nor one the catalogue
 * knows (`spin_lock` itself), nor one that only enters or leaves an atomic region:
 * `radix_tree_preload_end()` is `preempt_enable()`, the other half of what `radix_tree_preload()`
 * does out of sight, a leave without its enter. So does a lock-named inline whose one statement
 * hands its object, through an accessor, to a lock-named call (`mc_unlock(m)` is
 * `mc_core_unlock(mc_to_core(m))`, the core's unlock defined in the directory): forwardsLock.
 * Wrappers come from every header read, not only
 * those the files include themselves: `<linux/sched.h>` is most often read through another.
 */
import type { SourceFile } from '../analyzers/c/extract-facts.ts';
import { blankComments } from '../analyzers/c/header-declarations.ts';
import type { Header } from './header-constants.ts';
import { inferredPairStem } from '../analyzers/locks/catalogue.ts';

/** What the catalogue says a call does: takes or releases a lock, or enters or leaves an atomic region. */
export type LockOpKind = 'lock' | 'region';

const INLINE_HEAD = /^static\s+(?:(?:__always_inline|inline|__inline__|__inline)\s+)+[^;{}()#]*?\b([A-Za-z_]\w*)\s*\([^;{}#]*\)\s*\{/gm;
const CALL = /\b([A-Za-z_]\w*)\s*\(/g;
/** Words followed by a parenthesis that are no call. */
const NOT_CALLS = new Set(['return', 'if', 'while', 'for', 'switch', 'sizeof', 'typeof', '__typeof__', '__alignof__', 'do']);
const IF = /^[ \t]*#[ \t]*(if|ifdef|ifndef)\b/;
const ENDIF = /^[ \t]*#[ \t]*endif\b/;

/** The index just past the `}` closing the `{` at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** How deep in `#if` blocks each line is, the include guard (`#ifndef X` then `#define X` first) not counted. */
function conditionalDepths(lines: readonly string[]): number[] {
  const directives = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^[ \t]*#/.test(l));
  const guarded = /^[ \t]*#[ \t]*ifndef[ \t]+(\w+)/.exec(directives[0]?.l ?? '')?.[1];
  const guard = guarded !== undefined && new RegExp(`^[ \\t]*#[ \\t]*define[ \\t]+${guarded}\\b`).test(directives[1]?.l ?? '');
  const out: number[] = [];
  let depth = 0;
  for (const l of lines) {
    if (IF.test(l)) depth++;
    out.push(Math.max(0, depth - (guard ? 1 : 0)));
    if (ENDIF.test(l)) depth--;
  }
  return out;
}

/**
 * `mc_lock(m)` whose body is the one statement `mc_core_lock(mc_to_core(m));`: a lock-named
 * inline handing its object, through an accessor, on to a lock-named call (a lock/unlock of a
 * pair the directory defines, or a catalogue one). Only that shape: a wrapper handing a bit of a
 * word to a header primitive (`bit_spin_lock(0, (unsigned long *)b)`) would make every user of the
 * primitive one lock. Kept as the wrappers of lock operations are: without
 * its body, the unlock a function does through it releases nothing the core's lock call took.
 */
function forwardsLock(name: string, body: string, calls: readonly string[], lockOp: (name: string) => LockOpKind | undefined): boolean {
  const [outer, accessor] = calls;
  if (calls.length !== 2 || !outer || !accessor || inferredPairStem(name) === undefined) return false;
  if (inferredPairStem(outer) === undefined && lockOp(outer) !== 'lock') return false;
  // `outer(accessor(param));`, nothing else: a lock call handed the object (`bit_spin_lock(0, &b->x)`,
  // a header's own primitive, all of whose users would be one class) is no such forward.
  return new RegExp(`^\\s*(?:return\\s+)?${outer}\\s*\\(\\s*${accessor}\\s*\\(\\s*\\w+\\s*\\)\\s*\\)\\s*;\\s*$`).test(body);
}

/**
 * Per header, one source holding only its stubs and lock wrappers (every other line blank); none
 * for a header without any. `stubsOf` is stubText, or a memo of it.
 */
export function headerStubFiles(headers: readonly Header[], stubsOf: (text: string) => string | undefined = stubText): SourceFile[] {
  const out: SourceFile[] = [];
  for (const { path, text } of headers) {
    const stubs = stubsOf(text);
    if (stubs !== undefined) out.push({ path, text: stubs });
  }
  return out;
}

/**
 * One header's unconditional stubs and its lock wrappers (only the wrappers: `wrappersOnly`),
 * every other line blank; undefined when it has none.
 */
export function stubText(text: string, lockOp: (name: string) => LockOpKind | undefined = () => undefined, wrappersOnly = false): string | undefined {
  if (!text.includes('inline')) return undefined;
  const clean = blankComments(text);
  const lines = clean.split('\n');
  const depths = conditionalDepths(lines);
  // Matches come in order: count newlines from the last offset asked, not from the start.
  let counted = 0;
  let lineNo = 0;
  const lineAt = (offset: number): number => {
    for (; counted < offset; counted++) if (clean.charCodeAt(counted) === 10) lineNo++;
    return lineNo;
  };
  const spans: { first: number; last: number }[] = [];
  const wrappers = new Map<string, { first: number; last: number }[]>();
  for (const m of clean.matchAll(INLINE_HEAD)) {
    const start = m.index ?? 0;
    const end = closing(clean, start + m[0].length - 1);
    if (end < 0) continue;
    const first = lineAt(start);
    const last = lineAt(end - 1);
    const body = clean.slice(start + m[0].length, end - 1);
    if (body.includes('#')) continue;
    const calls = [...body.matchAll(CALL)].map((c) => c[1] as string).filter((c) => !NOT_CALLS.has(c));
    const name = m[1] as string;
    const wrapsLocks = calls.every((c) => lockOp(c) !== undefined) && calls.some((c) => lockOp(c) === 'lock');
    if (calls.length && (wrapsLocks || forwardsLock(name, body, calls, lockOp)) && lockOp(name) === undefined) {
      const list = wrappers.get(name) ?? [];
      list.push({ first, last });
      wrappers.set(name, list);
      continue;
    }
    if (wrappersOnly || calls.length || depths.slice(first, last + 1).some((d) => d > 0)) continue;
    spans.push({ first, last });
  }
  for (const list of wrappers.values()) if (list.length === 1) spans.push(...list);
  const keep = new Set<number>();
  let lastKept = -1;
  for (const { first, last } of spans) {
    for (let i = first; i <= last; i++) keep.add(i);
    lastKept = Math.max(lastKept, last);
  }
  if (keep.size === 0) return undefined;
  // Through the last stub only: a line added below it changes nothing the analysis reads.
  return lines.slice(0, lastKept + 1).map((l, i) => (keep.has(i) ? l : '')).join('\n');
}
