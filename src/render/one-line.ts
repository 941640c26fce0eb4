/**
 * Makes a string that came from a patch safe to print on one line of a terminal, a mail or a
 * comment: control characters (newlines, carriage returns, ANSI escapes, NUL) become visible
 * escapes, so a lock or function name cannot forge extra lines or recolour a terminal.
 * It is not markdown or HTML escaping: renderers for those media add their own on top.
 */

/** "a\nb\u001b[31m" -> "a\\nb\\x1b[31m"; printable text, tabs included, is unchanged only when `keepTabs`. */
export function oneLine(text: string, keepTabs = false): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    if (c === '\t') return keepTabs ? c : '\\t';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
