/**
 * The `text` renderer: a review for a terminal (`lockscope check`). One headline sentence, the
 * lockdep cross-check, then what the patch changes: each order edge it adds or removes with the
 * shortest cycle that edge closes or breaks as a lockdep-style report (and the count of longer
 * ones), each finding of another kind in the layout of its kernel report; the pre-existing
 * findings as a count (listed only when the patch touches their chains), the limits of the
 * analysis inside the touched code, the verdict of each patch of a series and the functions the
 * patch touches. No colours, no markup; everything from the patch made printable.
 */
import type { Review } from '../../review-types.ts';
import { baseSentence } from '../base-sentence.ts';
import { configSentence, contextSentence, treeGraphSentence } from '../context-sentence.ts';
import { lockdepCheckEvidence, lockdepCheckLine } from '../lockdep-check-line.ts';
import { lockdepNames } from '../lockdep-names.ts';
import { oneLine } from '../one-line.ts';
import { plainStyle } from '../render-style.ts';
import { blockParts, caveatParts, preexistingParts, type Part, type SectionContext } from '../report-sections.ts';
import { changeBlocks, touchedSet } from '../review-changes.ts';
import type { RenderOptions } from '../types.ts';
import { reviewLocks } from '../review-locks.ts';
import { reviewNotes } from '../review-notes.ts';
import { suppressedLines } from '../suppressed-lines.ts';
import { patchVerdictLine, verdictSentence } from '../verdict-sentence.ts';

const flat = (parts: readonly Part[]): string[] => parts.flatMap((p) => ('prose' in p ? [p.prose] : p.lines));

/** Review -> plain text for a terminal, ending in a newline. */
export function renderText(review: Review, options: RenderOptions = {}): string {
  const json = review.json;
  const locks = reviewLocks(review);
  const style = plainStyle(locks);
  const ctx: SectionContext = { style, names: lockdepNames(locks), touched: touchedSet(json), longerWhere: '--format json' };
  const headline = verdictSentence(review, style);
  const out = [headline, ''];
  if (json.verdict === 'error' && review.failure) out.push(`Failure code: ${oneLine(review.failure.code)}`, '');
  if (json.lockdep) out.push(lockdepCheckLine(json.lockdep, style), ...lockdepCheckEvidence(json.lockdep), '');
  for (const change of ['added', 'removed'] as const) {
    for (const block of changeBlocks(json, change)) out.push(...flat(blockParts(block, ctx)), '');
  }
  const quiet = suppressedLines(json, style);
  if (quiet.length > 0) out.push(`Suppressed, not counted (${quiet.length}):`, ...quiet.map((l) => `  ${l}`), '');
  const pre = preexistingParts(review, ctx);
  if (pre.length > 0) out.push(...flat(pre), '');
  const caveats = caveatParts(review, 20);
  if (caveats.length > 0) out.push(...flat(caveats), '');
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
  const config = configSentence(json.context);
  if (config) out.push(config, '');
  const cut = contextSentence(json.context);
  if (cut) out.push(cut, '');
  const whole = treeGraphSentence(json.context);
  if (whole) out.push(whole, '');
  if (options.dashboardUrl) out.push(`Dashboard: ${oneLine(options.dashboardUrl)}`, '');
  return `${out.join('\n').trimEnd()}\n`;
}
