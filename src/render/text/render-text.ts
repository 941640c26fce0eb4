/**
 * The `text` renderer: a review for a terminal (`lockscope check`). One headline sentence, the
 * lockdep cross-check, the evidence for each added and removed inversion as a lockdep-style
 * report, the pre-existing inversions by name, the verdict of each patch of a series and the
 * functions the patch touches. No colours, no markup; everything from the patch made printable.
 */
import type { InversionJson } from '../../analyzers/report-types.ts';
import type { Review } from '../../review-types.ts';
import { baseSentence } from '../base-sentence.ts';
import { contextSentence } from '../context-sentence.ts';
import { cycleLabel } from '../cycle-label.ts';
import { lockdepCheckLine } from '../lockdep-check-line.ts';
import { lockdepReport } from '../lockdep-report.ts';
import { oneLine } from '../one-line.ts';
import { plainStyle, type RenderStyle } from '../render-style.ts';
import type { RenderOptions } from '../types.ts';
import { reviewLocks } from '../review-locks.ts';
import { reviewNotes } from '../review-notes.ts';
import { patchVerdictLine, verdictSentence } from '../verdict-sentence.ts';

function evidence(title: string, where: string, list: readonly InversionJson[], style: RenderStyle): string[] {
  const out: string[] = [];
  list.forEach((inv, i) => {
    out.push(`${title} ${i + 1} of ${list.length} (${where}): ${cycleLabel(inv, style)}`, '', ...lockdepReport(inv, style.lock), '');
  });
  return out;
}

/** Review -> plain text for a terminal, ending in a newline. */
export function renderText(review: Review, options: RenderOptions = {}): string {
  const json = review.json;
  const style = plainStyle(reviewLocks(review));
  const headline = verdictSentence(review, style);
  const out = [headline, ''];
  if (json.verdict === 'error' && review.failure) out.push(`Failure code: ${oneLine(review.failure.code)}`, '');
  if (json.lockdep) out.push(lockdepCheckLine(json.lockdep, style), '');
  out.push(...evidence('Added inversion', 'in the patched code', json.inversions.added, style));
  out.push(...evidence('Removed inversion', 'in the code before the patch', json.inversions.removed, style));
  const unchanged = json.inversions.unchanged;
  if (unchanged.length > 0) {
    out.push(`Pre-existing inversions, still present after the patch (${unchanged.length}):`);
    for (const inv of unchanged) out.push(`  ${cycleLabel(inv, style)}`);
    out.push('');
  }
  if (json.patches.length > 1) {
    out.push(`Patches (${json.patches.length}):`);
    json.patches.forEach((p, i) => out.push(`  ${patchVerdictLine(p, i, json.patches.length, style)}`));
    out.push('');
  }
  if (json.functions.length > 0) {
    out.push(`Functions touched (${json.functions.length}):`);
    for (const f of json.functions) out.push(`  ${oneLine(f.file)}: ${oneLine(f.name)} (${f.hunks} ${f.hunks === 1 ? 'hunk' : 'hunks'})`);
    out.push('');
  }
  const notes = reviewNotes(review, headline, style.text);
  if (notes.length > 0) {
    out.push('Notes:');
    for (const n of notes) out.push(`  ${oneLine(n)}`);
    out.push('');
  }
  if (json.base) out.push(baseSentence(json.base), '');
  const cut = contextSentence(json.context);
  if (cut) out.push(cut, '');
  if (options.dashboardUrl) out.push(`Dashboard: ${oneLine(options.dashboardUrl)}`, '');
  return `${out.join('\n').trimEnd()}\n`;
}
