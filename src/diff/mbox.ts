/**
 * Splits an mbox file into its messages. Handles mboxo and mboxrd: both escape body lines that
 * start with `From ` by prefixing `>`, mboxrd also escapes already-quoted ones (`>From ` ->
 * `>>From `), so stripping one `>` from `^>+From ` undoes either. It does not parse the messages
 * (patch-message.ts does) and does not read Content-Length (mboxcl) headers.
 */

// git format-patch writes `From <40 hex> Mon Sep 17 00:00:00 2001`; other writers put an address
// and an asctime date. Like git mailsplit's is_from_line, a later separator must look like one of
// these, so a commit message line "From the datasheet: ..." does not split a message.
const GIT_SEPARATOR = /^From [0-9a-f]{40} /;
const ASCTIME_SEPARATOR = /^From \S+ .*\d\d:\d\d(?::\d\d)? .*\d{4}/;
const ESCAPED_FROM = /^>+From /;
// Separator lines are short; never run a regex over a 50 MB line.
const MAX_SEPARATOR_LENGTH = 1000;

function isSeparator(line: string): boolean {
  if (!line.startsWith('From ') || line.length > MAX_SEPARATOR_LENGTH) return false;
  return GIT_SEPARATOR.test(line) || ASCTIME_SEPARATOR.test(line);
}

/**
 * The messages of an mbox, separator lines removed and `>From ` unescaped. A text that does not
 * start with a `From ` line is not an mbox and comes back as the single message it is.
 * `"From abc Mon ...\nSubject: a\n\n>From x\nFrom def Mon ...\n..."` -> `["Subject: a\n\nFrom x\n", ...]`
 */
export function splitMbox(text: string): string[] {
  const start = text.replace(/^(?:[ \t]*\r?\n)+/, '');
  if (!start.startsWith('From ')) return [text];

  const messages: string[] = [];
  let current: string[] | null = null;
  let pos = 0;
  let first = true;
  while (pos < start.length) {
    const nl = start.indexOf('\n', pos);
    const end = nl === -1 ? start.length : nl + 1;
    const line = start.slice(pos, end);
    pos = end;
    const bare = line.replace(/\r?\n$/, '');
    if (first || isSeparator(bare)) {
      first = false;
      if (current) messages.push(current.join(''));
      current = [];
      continue;
    }
    current?.push(line.charCodeAt(0) === 0x3e && ESCAPED_FROM.test(line.slice(0, 64)) ? line.slice(1) : line);
  }
  if (current) messages.push(current.join(''));
  return messages.filter((m) => m.trim() !== '');
}
