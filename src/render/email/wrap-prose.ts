/**
 * Word-wrapping for the sentences the mail renderer writes itself. Breaks only at spaces, so a
 * long path or lock name is never split; such a word gets a line of its own, however long.
 * Not for code, quotes or lockdep chains, which are never wrapped.
 */

/** ("This patch removes ...", 78) -> lines of at most 78 columns where the words allow it. */
export function wrapProse(text: string, column = 78, indent = ''): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(' ').filter((w) => w !== '')) {
    if (current === '') current = indent + word;
    else if (current.length + 1 + word.length <= column) current += ` ${word}`;
    else {
      out.push(current);
      current = indent + word;
    }
  }
  if (current !== '') out.push(current);
  return out;
}
