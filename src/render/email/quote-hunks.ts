/**
 * The trimmed quote of a patch that opens a review mail, as kernel CI robots write it: the hunks
 * the finding is about, each line prefixed "> ", the lines that take or release a lock marked at
 * the end ("   <-- takes lock"), and long stretches elided as "> [...]". At most `maxLines`
 * quoted lines in all, elisions included. Code is quoted as is, tabs and all; it is never wrapped.
 *
 * Kept per hunk: its header, the lock lines with one line of context either side, and the changed
 * lines; everything else becomes one "> [...]" per gap.
 */
import type { HunkQuote } from '../../review-types.ts';
import { oneLine } from '../one-line.ts';

const ELIDED = '> [...]';

/** Whether a marked line releases rather than takes: unlock calls, up()/up_read()/up_write(). */
function marker(line: string): string {
  return /\b(\w*unlock\w*|up|up_read|up_write|\w*_release)\s*\(/.test(line) ? '   <-- releases lock' : '   <-- takes lock';
}

function hunkLines(hunk: HunkQuote): string[] {
  const lines = hunk.lines ?? [];
  const locks = new Set((hunk.lockLines ?? []).filter((i) => Number.isInteger(i) && i >= 0 && i < lines.length));
  const keep = new Set<number>();
  lines.forEach((l, i) => {
    if (l.startsWith('+') || l.startsWith('-') || locks.has(i - 1) || locks.has(i) || locks.has(i + 1)) keep.add(i);
  });
  const out = [`> ${oneLine(hunk.header ?? '')}`.trimEnd()];
  let gap = false;
  lines.forEach((l, i) => {
    if (!keep.has(i)) {
      gap = true;
      return;
    }
    if (gap) out.push(ELIDED);
    gap = false;
    out.push(`> ${oneLine(l, true)}${locks.has(i) ? marker(l) : ''}`.trimEnd());
  });
  if (gap) out.push(ELIDED);
  return out;
}

/** HunkQuote[] -> "> "-prefixed lines, at most `maxLines` of them; [] when there is nothing to quote. */
export function quoteHunks(hunks: readonly HunkQuote[], maxLines = 25): string[] {
  const out: string[] = [];
  let file: string | null = null;
  for (const hunk of hunks) {
    const body = hunkLines(hunk);
    // A hunk with nothing to show, or that would only get its header in, is left out whole.
    if (body.length <= 1 || out.length + (hunk.file !== file ? 3 : 2) >= maxLines) continue;
    const block = hunk.file !== file ? [`> +++ b/${oneLine(hunk.file)}`, ...body] : body;
    file = hunk.file;
    for (const line of block) {
      if (out.length >= maxLines - 1) {
        if (out[out.length - 1] !== ELIDED) out.push(ELIDED);
        return out;
      }
      if (!(line === ELIDED && out[out.length - 1] === ELIDED)) out.push(line);
    }
  }
  return out;
}
