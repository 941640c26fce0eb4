/**
 * tree-sitter-c does not read an attribute between a declarator and its initialiser
 * (`const u8 hdr[] __aligned(2) = { .. };`, `x[] __attribute__((aligned(8))) = { .. }`): the
 * declaration ends before it, and the brace initialiser after becomes a block that swallows every
 * function to the end of the file, with only one line reported unparsed. Before parsing, such
 * attributes turn into blanks of the same length (newlines kept): every line and byte offset
 * stays where it was.
 *
 * An attribute there is an `__attribute__((..))`, a call-like `__word(..)` (`__aligned(2)`,
 * `__section(".x")`) or, after `]` or `)`, a plain `__word` (`__initdata`): two names side by
 * side before `=` are a type and a declared name (`struct foo __x = {`), never blanked.
 */
const ATTRIBUTE = String.raw`(?:__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)|__\w+\s*\((?:[^()]|\([^()]*\))*\)|__\w+)`;
const BEFORE_INITIALISER = new RegExp(String.raw`([\])\w])([ \t]+)(${ATTRIBUTE}(?:\s+${ATTRIBUTE})*)(?=\s*=[^=])`, 'g');
const PLAIN = /^__\w+$/;

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

export function blankDeclarationAttributes(text: string): string {
  if (!text.includes('__')) return text;
  return text.replace(BEFORE_INITIALISER, (m, before: string, space: string, attrs: string) => {
    // After a name, only call-like attributes: a plain `__x` there is the declared name.
    if (/\w/.test(before) && attrs.split(/\s+/).some((a) => PLAIN.test(a))) return m;
    return `${before}${space}${blank(attrs)}`;
  });
}
