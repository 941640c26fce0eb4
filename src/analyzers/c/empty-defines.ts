/**
 * tree-sitter-c reads an empty `#define NAME` or `#define NAME(args)` followed by spaces or tabs
 * before the newline as taking the next line for its body: the function after `#define DBG(x...) `
 * vanishes into the macro, with no error node to say so. Before parsing, such trailing blanks move
 * to the start of the next line: every line and every byte offset after them stays where it was.
 */
const EMPTY_DEFINE_WITH_BLANKS = /^([ \t]*#[ \t]*define[ \t]+\w+(?:\([^)\n]*\))?)([ \t]+)\n/gm;

export function unswallowEmptyDefines(text: string): string {
  if (!text.includes('define')) return text;
  return text.replace(EMPTY_DEFINE_WITH_BLANKS, (_m, head: string, blanks: string) => `${head}\n${blanks}`);
}
