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
