/**
 * The declarations in a header's text that carry sparse's lock annotations, as prototypes a
 * file of their own can hold: `struct q *find(struct frags *f, void *key) __releases(&f->lock);`
 * in a tree header says what the bodiless call does to its caller's lock, which the program
 * (one directory) cannot see otherwise. A `static inline` definition gives its head and
 * annotations, not its body. Comments and preprocessor lines are dropped, not interpreted:
 * both sides of an `#ifdef` are kept, as they are in the program's own files.
 */
import { LOCK_ANNOTATION } from './macro-rewrite.ts';

/** The annotations that follow one another after the first. */
const NEXT_ANNOTATION = new RegExp(`^\\s*${LOCK_ANNOTATION.source}`);
/** A preprocessor line with its continuations. */
export const PREPROCESSOR_LINE = /^[ \t]*#(?:[^\n]*\\\n)*[^\n]*/gm;

/** Comments become blanks, lines kept. */
export function blankComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** Comments become blanks (lines kept), and so do preprocessor lines with their continuations. */
function blankNoise(text: string): string {
  return blankComments(text).replace(PREPROCESSOR_LINE, (m) => m.replace(/[^\n]/g, ' '));
}

export function annotatedDeclarations(header: string): string {
  if (!/__(?:releases|acquires|must_hold|cond_acquires)\b/.test(header)) return '';
  const text = blankNoise(header);
  const out: string[] = [];
  let last = -1;
  for (const m of text.matchAll(LOCK_ANNOTATION)) {
    if (m.index <= last) continue;
    // The declaration runs from the last `;`, `{` or `}` before the annotation...
    const start = Math.max(text.lastIndexOf(';', m.index), text.lastIndexOf('{', m.index), text.lastIndexOf('}', m.index)) + 1;
    // ...through the annotations that follow one another.
    let end = m.index + m[0].length;
    for (;;) {
      const rest = NEXT_ANNOTATION.exec(text.slice(end));
      if (!rest) break;
      end += rest[0].length;
    }
    last = end;
    const decl = text.slice(start, end).replace(/\s+/g, ' ').trim();
    // A head of the form `type name(params) annotations`; anything else (a macro use) is left.
    if (/^[A-Za-z_][\w\s*]*\b[A-Za-z_]\w*\s*\([^;{}]*\)\s*__/.test(decl)) out.push(`${decl};`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
