/**
 * The `email` renderer: the plain-text body of a reply to a patch on a mailing list, in the
 * manner of kernel CI robots. Greeting, a trimmed quote of the hunks that matter (no
 * top-posting), the verdict sentence, the lockdep-style evidence for each added and removed
 * inversion, the lockdep cross-check, the dashboard link, suggested tags prefixed "| " (so
 * b4 and patchwork do not take them for trailers) and a signature.
 * It writes the body only: Subject, threading headers, recipients and the final mail quirks
 * (line ends, transfer encoding) belong to src/mail. Prose is wrapped at 78 columns; quotes,
 * chains, paths and URLs are never wrapped.
 */
import type { InversionJson } from '../../analyzers/report-types.ts';
import type { Review } from '../../review-types.ts';
import { cycleLabel } from '../cycle-label.ts';
import { lockdepCheckLine } from '../lockdep-check-line.ts';
import { lockdepReport } from '../lockdep-report.ts';
import { oneLine } from '../one-line.ts';
import { plainStyle, type RenderStyle } from '../render-style.ts';
import type { RenderOptions } from '../types.ts';
import { reviewLocks } from '../review-locks.ts';
import { reviewNotes } from '../review-notes.ts';
import { patchVerdictLine, verdictSentence } from '../verdict-sentence.ts';
import { authorName } from './author-name.ts';
import { quoteHunks } from './quote-hunks.ts';
import { wrapProse } from './wrap-prose.ts';

const COLUMN = 78;
const SIGNATURE = ['-- ', 'lockscope, lock-order review bot'];

function evidence(change: 'adds' | 'removes', list: readonly InversionJson[], style: RenderStyle): string[] {
  const out: string[] = [];
  const code = change === 'adds' ? 'the patched code' : 'the code before the patch';
  list.forEach((inv, i) => {
    const which = list.length > 1 ? ` ${i + 1} of ${list.length}` : '';
    out.push(...wrapProse(`The inversion${which} this patch ${change} (${cycleLabel(inv, style)}), as lockdep would report it for ${code}:`, COLUMN), '');
    out.push(...lockdepReport(inv, style.lock), '');
  });
  return out;
}

/** Review -> the plain-text body of a reply mail, ending in a newline. */
export function renderEmail(review: Review, options: RenderOptions = {}): string {
  const json = review.json;
  const style = plainStyle(reviewLocks(review));
  const out: string[] = [];
  const name = authorName(review.meta?.[0]?.author);
  if (name) out.push(`Hi ${name},`, '');

  const quote = quoteHunks(review.hunks ?? []);
  if (quote.length > 0) out.push(...quote, '');

  const headline = verdictSentence(review, style);
  out.push(...wrapProse(headline, COLUMN), '');
  if (json.verdict === 'error' && review.failure) out.push(`Failure code: ${oneLine(review.failure.code)}`, '');
  if (json.lockdep) out.push(...wrapProse(lockdepCheckLine(json.lockdep, style), COLUMN), '');

  out.push(...evidence('adds', json.inversions.added, style));
  out.push(...evidence('removes', json.inversions.removed, style));

  const unchanged = json.inversions.unchanged;
  if (unchanged.length > 0) {
    out.push(...wrapProse(`Already present before this patch and not changed by it (${unchanged.length}):`, COLUMN));
    for (const inv of unchanged) out.push(`  ${cycleLabel(inv, style)}`);
    out.push('');
  }
  if (json.patches.length > 1) {
    out.push('Patch by patch:');
    json.patches.forEach((p, i) => out.push(`  ${patchVerdictLine(p, i, json.patches.length, style)}`));
    out.push('');
  }
  const notes = reviewNotes(review, headline, style.text);
  if (notes.length > 0) {
    out.push('Notes:');
    for (const n of notes) out.push(...wrapProse(oneLine(n), COLUMN, '  '));
    out.push('');
  }
  if (options.dashboardUrl) {
    out.push('The full review:', `  ${oneLine(options.dashboardUrl)}`, '');
    if (json.inversions.added.length > 0) {
      out.push(...wrapProse('If you fix this in a separate patch, you may want to add this tag:', COLUMN));
      out.push(`| Closes: ${oneLine(options.dashboardUrl)}`, '');
    }
  }
  out.push(...SIGNATURE);
  return `${out.join('\n')}\n`;
}
