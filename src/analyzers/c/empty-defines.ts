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

/**
 * GCC's named variadic parameter (`#define LOG(fmt...)`, `#define XLOG_FUNC(lvl, args...)`) is not
 * in tree-sitter-c's grammar: the `#define` becomes an ERROR, and with it the `#if` around it no
 * longer parses as a whole (conditional-branches.ts then keeps one branch of each `#if` in the file,
 * maybe the one no build compiles). Before parsing, `name...` becomes `...` and blanks, keeping
 * every offset; the body is the macro's text either way.
 */
const NAMED_VARIADIC = /^([ \t]*#[ \t]*define[ \t]+\w+\([^)\n]*?)\b(\w+)\.\.\.(?=[ \t]*\))/gm;

export function unnameVariadics(text: string): string {
  if (!text.includes('...')) return text;
  return text.replace(NAMED_VARIADIC, (_m, head: string, name: string) => `${head}...${' '.repeat(name.length)}`);
}
