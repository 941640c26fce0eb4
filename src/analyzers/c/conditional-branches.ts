/**
 * `#if` groups whose branches cannot be parsed together. The preprocessor compiles one branch of
 * each group; tree-sitter parses all of them, one after the other. That is harmless for balanced
 * branches at statement level (the lowering keeps both configurations there), but two kinds derail
 * the parser, and with it everything up to the end of the file:
 *   - branches that each open or close a bracket the others repeat (`} else {` / `{`, or
 *     `foo(a,` / `foo(b,`): with both in place the brackets never match;
 *   - a group inside parentheses or an initializer (a parameter, an argument, a `.field = x,`),
 *     where the grammar has no place for a directive at all;
 *   - a branch that is the `else` of an `if` before the group, and alternative function
 *     headers for the one body after it;
 *   - a branch that ends with `else`, whose statement is the block after the group: with the
 *     group off, that block runs alone, so the branch ending in `else` is the one dropped, unless
 *     it is the group's only code under an `#ifdef`: then it is kept with its condition;
 *   - branches that are alternative specifiers (`int` / `static int`) of the declaration after
 *     the group.
 * Before parsing, such a group keeps one branch, the first (the next one when the first is
 * `#if 0`, none when that is all): its directives and the other branches are blanked, every character but newlines
 * becoming a space, so lines and columns stay. The blanked branches are returned, to be reported
 * as not analyzed. Not a preprocessor: conditions are not evaluated.
 */

import { nextSignificant } from './macro-rewrite.ts';

export interface DroppedBranch {
  /** 1-based line of the branch's directive. */
  line: number;
  /** `#else`, `#elif X`, `#if 0`, ... as written. */
  directive: string;
}

interface Branch {
  line: number;
  directive: string;
  /** Offsets: the directive line's start, and the end of the branch (the next directive's start). */
  from: number;
  to: number;
  /** 1-based line of the next directive of the group. */
  toLine?: number;
  /** The open brackets the branch leaves. */
  endOpen: Opener[];
  /** Closes a bracket opened before the group (`} else {` is net 0 but still unbalanced). */
  dips?: true;
  /** Starts with `else`: the `if` it continues is outside the group. */
  startsWithElse?: true;
  /** Its last code character (`)` ends a function header whose body follows the group). */
  last?: string;
  /** Its last word is `else`: the statement it chooses comes after the group. */
  endsWithElse?: boolean;
  /** Holds words alone (`static int`, `int *`): declaration specifiers of what follows the group. */
  words?: boolean;
  /** Holds any code at all. */
  code?: true;
}

interface Group {
  /** Open brackets where the group starts; each branch is scanned from them. */
  startOpen: Opener[];
  /** Where the `#endif` line ends. */
  end?: number;
  /** The last code character before the group. */
  before: string;
  /** Inside `(`, `[` or an initializer's `{`: no directive can stand here. */
  inExpression: boolean;
  branches: Branch[];
  /** Directive lines of the group (offset ranges), blanked when the group is reduced. */
  directives: [number, number][];
}

type Opener = '(' | '[' | '{' | 'init';

/**
 * The branch kept of a reduced group, which only its condition compiles: its directive and the
 * lines between it and the group's next directive. Its directives are gone from the text, so the
 * lowering puts the condition back around the statements these lines hold.
 */
export interface GuardedBranch {
  /** 1-based lines of the branch's directive and of the group's next directive. */
  line: number;
  toLine: number;
  /** `#ifdef PROP_TXSTATUS`, `#if !defined(X)`, as written (first line). */
  directive: string;
}

export function chooseParseableBranches(input: string): { text: string; dropped: DroppedBranch[]; guarded: GuardedBranch[] } {
  if (!/^[ \t]*#[ \t]*if/m.test(input)) return { text: input, dropped: [], guarded: [] };
  const cpp = withoutCppOnly(input);
  const source = cpp.text;
  const blank: [number, number][] = [];
  const dropped: (DroppedBranch & { from: number })[] = [];
  const guarded: GuardedBranch[] = [];
  const stack: Group[] = [];
  let open: Opener[] = [];
  let line = 1;
  let lastSignificant = '';
  const n = source.length;
  let i = 0;
  while (i < n) {
    // At a line start: a directive?
    const lineStart = i;
    let j = i;
    while (j < n && (source[j] === ' ' || source[j] === '\t')) j++;
    if (source[j] === '#') {
      let end = j;
      // The directive runs to the first newline not escaped by a backslash.
      while (end < n && source[end] !== '\n') {
        if (source[end] === '\\' && source[end + 1] === '\n') {
          end += 2;
          line++;
          continue;
        }
        if (source[end] === '/' && source[end + 1] === '*') {
          const close = source.indexOf('*/', end + 2);
          const stop = close === -1 ? n : close + 2;
          for (let k = end; k < stop; k++) if (source[k] === '\n') line++;
          end = stop;
          continue;
        }
        end++;
      }
      const directiveLine = line;
      const text = source.slice(j, end);
      const word = /^#\s*(\w+)/.exec(text)?.[1] ?? '';
      const range: [number, number] = [lineStart, end];
      if (word === 'if' || word === 'ifdef' || word === 'ifndef') {
        const inner = open[open.length - 1];
        stack.push({
          startOpen: [...open],
          before: lastSignificant,
          inExpression: inner === '(' || inner === '[' || inner === 'init',
          branches: [{ line: directiveLine, directive: firstLine(text), from: lineStart, to: -1, endOpen: [] }],
          directives: [range],
        });
      } else if (word === 'elif' || word === 'else' || word === 'elifdef' || word === 'elifndef') {
        const g = stack[stack.length - 1];
        if (g) {
          closeBranch(g, open, lineStart, directiveLine);
          open = [...g.startOpen];
          g.branches.push({ line: directiveLine, directive: firstLine(text), from: lineStart, to: -1, endOpen: [] });
          g.directives.push(range);
        }
      } else if (word === 'endif') {
        const g = stack.pop();
        if (g) {
          closeBranch(g, open, lineStart, directiveLine);
          g.directives.push(range);
          g.end = end;
          // Brackets after the group are as the kept branch left them.
          const kept = settle(source, g, blank, dropped);
          open = [...(g.branches[kept]?.endOpen ?? g.startOpen)];
          const b = g.branches[kept];
          if (kept === 0 && b && blank.includes(g.directives[0] as [number, number]) && !/^#\s*if\s+0\b/.test(b.directive)) guarded.push({ line: b.line, toLine: b.toLine ?? b.line, directive: b.directive });
        }
      }
      i = end;
      continue;
    }
    // Code up to the end of the line.
    for (i = j; i < n && source[i] !== '\n'; i++) {
      const c = source[i] as string;
      if (c === '/' && source[i + 1] === '*') {
        const close = source.indexOf('*/', i + 2);
        const stop = close === -1 ? n : close + 2;
        for (let k = i; k < stop; k++) if (source[k] === '\n') line++;
        i = stop - 1;
        continue;
      }
      if (c === '/' && source[i + 1] === '/') {
        while (i + 1 < n && source[i + 1] !== '\n') i++;
        continue;
      }
      if (c === '"' || c === "'") {
        for (i++; i < n && source[i] !== c && source[i] !== '\n'; i++) if (source[i] === '\\') i++;
        lastSignificant = c;
        continue;
      }
      if (c === '(' || c === '[') open.push(c);
      else if (c === '{') {
        const inner = open[open.length - 1];
        open.push(lastSignificant === '=' || inner === 'init' || inner === '(' || inner === '[' ? 'init' : '{');
      } else if (c === ')' || c === ']' || c === '}') {
        open.pop();
        const g = stack[stack.length - 1];
        if (g && open.length < g.startOpen.length) (g.branches[g.branches.length - 1] as Branch).dips = true;
      }
      if (c !== ' ' && c !== '\t' && c !== '\r') {
        lastSignificant = c;
        for (const g of stack) {
          const b = g.branches[g.branches.length - 1] as Branch;
          if (!b.code && source.startsWith('else', i) && !/\w/.test(source[i + 4] ?? '')) b.startsWithElse = true;
          b.words = (b.code ? b.words === true : true) && /[\w*]/.test(c);
          b.code = true;
          b.last = c;
          b.endsWithElse = c === 'e' && source.startsWith('else', i - 3) && !/\w/.test(source[i - 4] ?? '') && !/\w/.test(source[i + 1] ?? '');
        }
      }
    }
    // The newline itself.
    if (i < n) {
      line++;
      i++;
    }
  }
  if (blank.length === 0) return { text: source, dropped: cpp.dropped, guarded };
  return { text: blanked(source, blank), guarded, dropped: [...cpp.dropped, ...dropped.filter((d) => !blank.some(([a, b]) => a < d.from && d.from < b)).map(({ line: l, directive }) => ({ line: l, directive }))] };
}

function closeBranch(g: Group, open: readonly Opener[], at: number, line: number): void {
  const b = g.branches[g.branches.length - 1];
  if (!b) return;
  b.endOpen = [...open];
  b.to = at;
  b.toLine = line;
}

/** `#ifdef X`, `#ifndef X`: a condition the lowering can put a statement under. */
const NAMED_CONDITION = /^#\s*ifn?def\s+\w+\s*(?:\/[/*].*)?$/;

/**
 * Decides a closed group: the index of the branch kept (-1: none), after pushing the ranges to
 * blank. A lone unbalanced branch (`#ifdef X` around `} else {`, closed by a twin group further
 * on) is kept, with its twin: only the directives go.
 */
function settle(source: string, g: Group, blank: [number, number][], dropped: (DroppedBranch & { from: number })[]): number {
  // An `else` after the block of an `if` before the group; after a one-statement body it may
  // be the twin of a group around that `if`, which keeps its directives.
  const unbalanced = g.branches.some((b) => b.endOpen.length !== g.startOpen.length || b.dips || (b.startsWithElse && g.before === '}'));
  const dangling = g.branches.some((b) => b.endsWithElse);
  if (!unbalanced && !dangling && !g.inExpression && !headerAlternatives(g, source) && !specifierAlternatives(g, source)) return 0;
  const off = /^#\s*if\s+0\b/.test(g.branches[0]?.directive ?? '');
  // `#ifdef X` / `if (c) A; else` / `#endif` / `B;` with no other code in the group: kept, and
  // with its condition (lower-statements guardOf) the if/else under X and B alone without it.
  const first = g.branches[0];
  const lone = dangling && first?.endsWithElse === true && NAMED_CONDITION.test(first.directive) && g.branches.slice(1).every((b) => !b.code);
  // Else a branch ending in `else` is not the one kept: the block after the group then stands alone, as it does with the group off.
  const kept = lone ? 0 : dangling ? g.branches.findIndex((b) => !b.endsWithElse && (!off || b !== g.branches[0])) : off ? (g.branches.length > 1 ? 1 : -1) : 0;
  for (const d of g.directives) blank.push(d);
  g.branches.forEach((b, k) => {
    if (k === kept) return;
    blank.push([b.from, b.to]);
    dropped.push({ line: b.line, directive: b.directive, from: b.from });
  });
  return kept;
}

/**
 * `#ifdef X` / `f(int a, sid_t h)` / `#else` / `f(int a, handle_t h)` / `#endif` / `{`: two
 * headers for one body, at top level; in a block, two loop or `if` headers for the block after
 * the group (`sk_for_each(sk, node, list)` / `#else` / `sk_nulls_for_each(sk, node, head)`).
 * Parsed together, the first would loop over an empty statement and the block run once after.
 */
function headerAlternatives(g: Group, source: string): boolean {
  if (g.startOpen.some((o) => o !== '{') || g.branches.length < 2 || g.end === undefined) return false;
  // Branches of directives alone (`#define A(x) x` / `#else` / `#define A(x) y`) head nothing.
  if (!g.branches.every((b) => !b.code || b.last === ')') || !g.branches.some((b) => b.code)) return false;
  return nextSignificant(source, g.end, true) === '{';
}

/**
 * `#ifdef X` / `int` / `#else` / `static int` / `#endif` / `f(..) {`: alternative specifiers
 * of the one declaration after the group, at top level (the parser would nest the rest of the
 * file in the last branch).
 */
function specifierAlternatives(g: Group, source: string): boolean {
  if (g.startOpen.length > 0 || g.end === undefined || !g.branches.every((b) => b.code && b.words)) return false;
  return /\w/.test(nextSignificant(source, g.end, true));
}

function firstLine(directive: string): string {
  const nl = directive.indexOf('\n');
  return (nl === -1 ? directive : directive.slice(0, nl)).replace(/\\$/, '').replace(/\s+/g, ' ').trim().slice(0, 80);
}

/** Every character of the ranges (which may overlap) but newlines becomes a space. */
function blanked(source: string, ranges: [number, number][]): string {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  let out = '';
  let at = 0;
  for (const [a, b] of sorted) {
    if (b <= at) continue;
    const from = Math.max(a, at);
    out += source.slice(at, from) + source.slice(from, b).replace(/[^\n\r]/g, ' ');
    at = b;
  }
  return out + source.slice(at);
}

const CPP_ONLY = /^[ \t]*#[ \t]*(?:ifdef[ \t]+__cplusplus\b|if[ \t]+(?:defined[ \t]*\(?[ \t]*)?__cplusplus\b)/;

/** The `__cplusplus` branch of a linkage guard: `extern "C" {` or its `}`, nested guard lines, comments. */
function guardOnly(branch: string): boolean {
  const code = branch.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ').split('\n').slice(1)
    .filter((l) => !/^[ \t]*#[ \t]*(?:if|ifdef|ifndef|endif|else)\b/.test(l)).join(' ').replace(/\s+/g, ' ').trim();
  return code === '' || code === 'extern "C" {' || code === '}';
}

/**
 * C++ only code is never compiled: a C compiler does not define __cplusplus. The guard headers
 * put around a whole file (`#ifdef __cplusplus` / `extern "C" {` / `#endif`, and its `}` at the
 * end) left in place wrap the file in an error node, where statements are lost. Such a guard's
 * `__cplusplus` branch (only `extern "C" {` or `}`) is blanked with its directives. The rest
 * stays, lines and columns too.
 */
function withoutCppOnly(source: string): { text: string; dropped: DroppedBranch[] } {
  if (!source.includes('__cplusplus')) return { text: source, dropped: [] };
  const blank: [number, number][] = [];
  const dropped: (DroppedBranch & { from: number })[] = [];
  const stack: { cpp: boolean; from: number; line: number; directive: string; elseAt?: number; elseEnd?: number }[] = [];
  let at = 0;
  let line = 1;
  for (const text of source.split('\n')) {
    const end = at + text.length;
    if (/^[ \t]*#[ \t]*if/.test(text)) stack.push({ cpp: CPP_ONLY.test(text), from: at, line, directive: text.trim() });
    else if (/^[ \t]*#[ \t]*(?:else|elif)\b/.test(text)) {
      const g = stack[stack.length - 1];
      if (g && g.elseAt === undefined) {
        g.elseAt = at;
        g.elseEnd = end;
      }
    } else if (/^[ \t]*#[ \t]*endif\b/.test(text)) {
      const g = stack.pop();
      if (g?.cpp && guardOnly(source.slice(g.from, g.elseAt ?? at))) {
        // The C++ branch and the `#else` line go; what the `#else` keeps for C stays.
        blank.push([g.from, g.elseEnd ?? end], [at, end]);
        dropped.push({ line: g.line, directive: g.directive, from: g.from });
      }
    }
    at = end + 1;
    line++;
  }
  // Report the outermost groups only: a nested one went with its branch.
  const outer = dropped.filter((d) => !blank.some(([a, b]) => a < d.from && d.from < b));
  return blank.length ? { text: blanked(source, blank), dropped: outer.map(({ line: l, directive }) => ({ line: l, directive })) } : { text: source, dropped: [] };
}
