/**
 * The mail quirks applied last to the neutral text a renderer wrote (Renovate's massageMarkdown,
 * for mail): LF line ends, prose rewrapped to a column, no line past SMTP's 998-octet limit, and
 * the transfer encoding chosen (7bit for ASCII, else 8bit). It never produces format=flowed or
 * quoted-printable: kernel developers apply and quote these mails with tools that expect the
 * text exactly as written. It does not change code, lockdep-style chains or quoted lines.
 */

/** RFC 5322 2.1.1: no line may exceed 998 octets before CRLF. */
const MAX_LINE_OCTETS = 998;

export interface MailText {
  text: string;
  encoding: '7bit' | '8bit';
}

// Lines we must not touch: indented (code, chains, CPU tables), quoted ('>'), diff lines,
// suggested tags ('| '), list items and lines holding arrows or tabs (lockdep chains).
function isProse(line: string): boolean {
  if (!/^[A-Za-z(]/.test(line)) return false;
  if (line.includes('\t') || line.includes('->') || line.includes('-->')) return false;
  if (/^[A-Za-z-]+: \S+$/.test(line)) return false; // a single header-like line or trailer
  return /\s/.test(line);
}

function wrapProse(line: string, column: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of line.split(/ +/)) {
    if (current === '') current = word;
    else if (current.length + 1 + word.length <= column) current += ` ${word}`;
    else {
      out.push(current);
      current = word;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

// Splits at a character boundary so that each piece fits in `max` UTF-8 octets.
function splitOctets(line: string, max: number): string[] {
  const out: string[] = [];
  let piece = '';
  let size = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (size + n > max) {
      out.push(piece);
      piece = '';
      size = 0;
    }
    piece += ch;
    size += n;
  }
  out.push(piece);
  return out;
}

/**
 * Prepares a reply body for sending.
 * `"a very long sentence ... \r\n"` -> `{ text: "a very long\nsentence ...\n", encoding: '7bit' }`
 */
export function toMailText(text: string, wrapColumn: number): MailText {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    // "-- " is the signature delimiter (RFC 3676 4.3): its space is the point.
    const trimmed = line === '-- ' ? line : line.replace(/[ \t]+$/, '');
    const wrapped = trimmed.length > wrapColumn && isProse(trimmed) ? wrapProse(trimmed, wrapColumn) : [trimmed];
    for (const w of wrapped) out.push(...(Buffer.byteLength(w, 'utf8') > MAX_LINE_OCTETS ? splitOctets(w, MAX_LINE_OCTETS) : [w]));
  }
  const body = `${out.join('\n')}\n`;
  // eslint-disable-next-line no-control-regex
  return { text: body, encoding: /^[\x00-\x7f]*$/.test(body) ? '7bit' : '8bit' };
}
