import { describe, expect, it } from 'vitest';
import { toMailText } from '../../src/mail/mail-text.ts';

describe('toMailText', () => {
  // Renderers write long prose lines; mail readers expect them wrapped, code left alone.
  it('rewraps long prose lines but leaves code, chains, quotes and tags untouched', () => {
    const prose = 'This patch removes the inversion between tbl_lock and stat_lock that stat_reset and tbl_insert created together.';
    const code = '\tspin_lock(&stat_lock); /* a long line of code that must stay exactly as it is, tabs and all */';
    const chain = 'Chain exists of: stat_lock --> tbl_lock --> stat_lock, which is a long line that must not be rewrapped either';
    const quote = '> a quoted line from the original message that is long enough to be wrapped if it were prose text';
    const out = toMailText([prose, code, chain, quote, '| Reported-by: lockscope <lockscope@example.org>'].join('\n'), 60);
    const lines = out.text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['This patch removes the inversion between tbl_lock and', 'stat_lock that stat_reset and tbl_insert created together.']);
    expect(lines).toContain(code);
    expect(lines).toContain(chain);
    expect(lines).toContain(quote);
    expect(out.encoding).toBe('7bit');
  });

  // SMTP: no line may exceed 998 octets; we cut rather than switch to quoted-printable.
  it('cuts a line longer than 998 octets at a character boundary', () => {
    const out = toMailText(`\t${'é'.repeat(1200)}`, 78);
    for (const line of out.text.split('\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(998);
    expect(out.text.replace(/\n/g, '')).toBe(`\t${'é'.repeat(1200)}`);
    expect(out.encoding).toBe('8bit');
  });

  it('normalises CRLF and trailing blanks and ends with one newline', () => {
    expect(toMailText('a  \r\nb\r\n\r\n\r\n', 78).text).toBe('a\nb\n');
  });

  // Mail readers hide what follows "-- " (with its space) as the signature.
  it('keeps the signature delimiter\'s trailing space', () => {
    expect(toMailText('text\n-- \nlockscope\n', 78).text).toBe('text\n-- \nlockscope\n');
  });
});
