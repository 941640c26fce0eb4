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
  if (!/\)[ \t]*\r?\n[ \t]/.test(text)) return text;
  const lines = text.split('\n');
  const out = [...lines];
  let offset = 0;
  let changed = false;
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i] as string;
    const m = CALL_LINE.exec(line);
    const next = lines[i + 1] as string;
    if (m && NEXT_STATEMENT.test(next) && !KEYWORDS.has(m[2] as string) && balanced(m[3] as string) && startsStatement(text, offset + (m[1] as string).length)) {
      // The next line's indentation keeps its length: its first blank is the `;`.
      out[i + 1] = `;${next.slice(1)}`;
      changed = true;
    }
    offset += line.length + 1;
  }
  return changed ? out.join('\n') : text;
}
