/**
 * A function-like macro that expands to a braced block is often used as a statement without its
 * `;` (`QUEUE_INSERT_TAIL(q, e)` on a line of its own, the unlock on the next). tree-sitter-c
 * then reads the two lines as one declaration or an error, and the unlock is gone: the lock stayed
 * held to the end of the function. Before parsing, the first blank of the next line becomes that
 * `;`, so every line, column and byte offset stays where it was.
 *
 * Only a call that is a whole statement: at the start of one (after `;`, a brace, the `)` of an
 * if/for/while, a label, `else`, or a comment), balanced, alone on its line, and followed by a
 * line that starts another statement with a name. A continued expression (`foo(a)` then `|| b`)
 * or a call split over lines is left alone; so is an iterator macro (macro-rewrite.ts made it a
 * `while` before this runs) and a line starting with a keyword.
 */
const CALL_LINE = /^([ \t]+)([A-Za-z_]\w*)[ \t]*(\(.*\))[ \t]*\r?$/;
const NEXT_STATEMENT = /^[ \t]+[A-Za-z_]/;
const KEYWORDS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'else', 'do', 'case', 'goto', 'typeof', 'defined', 'asm', '__asm__', '__attribute__', 'static', 'const', 'struct', 'union', 'enum']);

/** Whether the parentheses of `args` (starting with `(`) close exactly at its end, outside strings. */
function balanced(args: string): boolean {
  let depth = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (c === '"' || c === "'") {
      const end = args.indexOf(c, i + 1);
      if (end < 0) return false;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && i !== args.length - 1) return false;
  }
  return depth === 0;
}

/** Whether a statement may start at `at`: what comes before it ends one. */
function startsStatement(text: string, at: number): boolean {
  let j = at - 1;
  while (j >= 0 && /\s/.test(text[j] as string)) j--;
  if (j < 0) return false;
  const c = text[j] as string;
  if (';{}):'.includes(c)) return true;
  // The end of a comment (`*/`), or `else`.
  return (c === '/' && text[j - 1] === '*') || /(?:^|\W)else$/.test(text.slice(Math.max(0, j - 5), j + 1));
}

export function endMacroStatements(text: string): string {
  return endTopLevelMacros(endBlockMacros(text));
}

function endBlockMacros(text: string): string {
  if (!/\)[ \t]*\r?\n[ \t]/.test(text)) return text;
  const lines = text.split('\n');
  const out = [...lines];
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  let changed = false;
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i] as string;
    const m = CALL_LINE.exec(line);
    const next = lines[i + 1] as string;
    if (m && NEXT_STATEMENT.test(next) && !KEYWORDS.has(m[2] as string) && balanced(m[3] as string) && startsStatement(text, (starts[i] as number) + (m[1] as string).length)) {
      // The next line's indentation keeps its length: its first blank is the `;`.
      out[i + 1] = `;${next.slice(1)}`;
      changed = true;
      continue;
    }
    // A macro wrapping statements over several lines (`D2(list_for_each_entry(..) {` .. `})`, a
    // debug macro around a loop): the same where its `)` ends a line and a statement starts on the next.
    const open = m ? undefined : CALL_OPENS.exec(line);
    if (!open || KEYWORDS.has(open[2] as string) || !startsStatement(text, (starts[i] as number) + (open[1] as string).length)) continue;
    const end = closingLine(lines, i, (open[0] as string).length - 1);
    const after = end === undefined ? undefined : lines[end + 1];
    if (end === undefined || after === undefined || !NEXT_STATEMENT.test(after)) continue;
    out[end + 1] = `;${after.slice(1)}`;
    changed = true;
    i = end;
  }
  return changed ? out.join('\n') : text;
}

/** A statement that starts with a call whose parentheses stay open past the line. */
const CALL_OPENS = /^([ \t]+)([A-Za-z_]\w*)[ \t]*\(/;
/** Lines a call may span and still count as one macro statement. */
const MAX_CALL_LINES = 40;

/**
 * The line on which the `(` at `at` of line `first` closes, when it closes on a later line,
 * nothing but blanks follows it there, and it wraps statements (a `;` or a `{` inside: a plain
 * call split over lines is left alone); outside strings, characters and comments.
 */
function closingLine(lines: readonly string[], first: number, at: number): number | undefined {
  let depth = 0;
  const state = { comment: false };
  let statements = false;
  for (let i = first; i < lines.length && i < first + MAX_CALL_LINES; i++) {
    const line = lines[i] as string;
    const scan = eachCodeChar(line, i === first ? at : 0, state, (c) => {
      if (c === '(') depth++;
      else if (c === ';' || c === '{') statements = true;
      else if (c === ')') return --depth === 0;
      return false;
    });
    if (scan.unclosed) return undefined;
    if (scan.stop !== undefined) return i > first && statements && /^\s*$/.test(line.slice(scan.stop + 1)) ? i : undefined;
  }
  return undefined;
}

/**
 * Each character of a line outside comments, strings and character literals, from `from`, until
 * `visit` says stop (where: `stop`); `state.comment` carries a block comment over lines. A
 * string the line does not close is `unclosed`.
 */
function eachCodeChar(line: string, from: number, state: { comment: boolean }, visit: (c: string, at: number) => boolean): { stop?: number; unclosed?: true } {
  for (let k = from; k < line.length; k++) {
    const c = line[k] as string;
    if (state.comment) {
      if (c === '*' && line[k + 1] === '/') {
        state.comment = false;
        k++;
      }
    } else if (c === '/' && line[k + 1] === '*') {
      state.comment = true;
      k++;
    } else if (c === '/' && line[k + 1] === '/') break;
    else if (c === '"' || c === "'") {
      let close = k + 1;
      while (close < line.length && line[close] !== c) close += line[close] === '\\' ? 2 : 1;
      if (close >= line.length) return { unclosed: true };
      k = close;
    } else if (visit(c, k)) return { stop: k };
  }
  return {};
}

/**
 * The same at file scope: `static DEF_QCMD(name)` on a line of its own (a macro that defines a
 * whole function from a header), then a blank line and `enum action {`: tree-sitter-c took the
 * enum's name for a function whose body ran over the next functions, and their locks were one
 * function's. Only at brace depth 0, for an upper-case macro name, when the next line with text
 * neither opens a body (`{`, as after `SYSCALL_DEFINE2(...)`) nor continues the line. The `;`
 * takes a trailing blank of the line, the next line's first blank, or the room of a leading
 * `static ` (a macro call at file scope is an item whatever its linkage).
 */
const TOP_MACRO_LINE = /^(static[ \t]+)?([A-Z_][A-Z0-9_]*)[ \t]*(\(.*\))([ \t]*)\r?$/;

function endTopLevelMacros(text: string): string {
  if (!/^(?:static[ \t]+)?[A-Z_][A-Z0-9_]*[ \t]*\(.*\)[ \t]*\r?$/m.test(text)) return text;
  const lines = text.split('\n');
  const out = [...lines];
  let changed = false;
  const depths = lineDepths(lines);
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = TOP_MACRO_LINE.exec(lines[i] as string);
    if (!m || depths[i] !== 0 || !balanced(m[3] as string) || !afterItem(lines, i)) continue;
    let j = i + 1;
    while (j < lines.length && /^\s*$/.test(lines[j] as string)) j++;
    const next = lines[j];
    if (next === undefined || /^\s*[{=,;)([]/.test(next) || /^\s*(?:__attribute__|__acquires|__releases)\b/.test(next)) continue;
    const line = lines[i] as string;
    if ((m[4] as string).length > 0) {
      const at = line.length - (m[4] as string).length - (line.endsWith('\r') ? 1 : 0);
      out[i] = `${line.slice(0, at)};${line.slice(at + 1)}`;
    } else if (/^[ \t]/.test(lines[i + 1] as string)) {
      out[i + 1] = `;${(lines[i + 1] as string).slice(1)}`;
    } else if (m[1]) {
      const cr = line.endsWith('\r') ? '\r' : '';
      const core = line.slice(m[1].length, line.length - cr.length);
      out[i] = `${' '.repeat(m[1].length - 1)}${core};${cr}`;
    } else continue;
    changed = true;
  }
  return changed ? out.join('\n') : text;
}

/** Whether line i starts a file-scope item: the last line with text before it ended one (or was a whole directive). */
function afterItem(lines: readonly string[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && /^\s*$/.test(lines[j] as string)) j--;
  if (j < 0) return true;
  const prev = (lines[j] as string).trimEnd();
  return /^\s*#/.test(prev) || /[;}]$|\*\/$|^(?:static[ \t]+)?[A-Z_][A-Z0-9_]*[ \t]*\(.*\)$/.test(prev);
}

/**
 * The brace depth at the start of each line, outside comments, strings and preprocessor
 * directives (-1 for a line of a directive, continued or not).
 */
function lineDepths(lines: readonly string[]): number[] {
  const depths: number[] = [];
  let depth = 0;
  const state = { comment: false };
  let continued = false;
  for (const line of lines) {
    const directive: boolean = continued || (!state.comment && /^\s*#/.test(line));
    continued = directive && line.trimEnd().endsWith('\\');
    depths.push(directive ? -1 : depth);
    if (directive) continue;
    eachCodeChar(line, 0, state, (c) => {
      if (c === '{') depth++;
      else if (c === '}') depth = Math.max(0, depth - 1);
      return false;
    });
  }
  return depths;
}
