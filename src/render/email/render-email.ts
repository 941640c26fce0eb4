/**
 * The `email` renderer: the plain-text body of a reply to a patch on a mailing list, in the
 * manner of the kernel test robot: short, one finding per block, nothing when there is nothing
 * to say (the front end does not send then). Greeting, a trimmed quote of the patch's own hunks
 * (no top-posting), the verdict sentence, the lockdep cross-check, one block per edge the patch
 * adds or removes (its shortest cycle as lockdep would print it) and per finding of another kind,
 * within a line budget (the rest is counted, with where to see it), the pre-existing findings as
 * one line, the base and how it was chosen, a reproduce line, the dashboard link, suggested tags
 * prefixed "| " (so b4 and patchwork do not take them for trailers) and a signature.
 *
 * With `options.cover` it is the cover-letter reply instead: the series patch by patch, what a
 * later patch takes away again, and the series as a whole, without the per-patch reports (each
 * patch's own reply has those).
 *
 * It writes the body only: Subject, threading headers, recipients and the final mail quirks
 * (line ends, transfer encoding) belong to src/mail. Prose is wrapped at 78 columns; quotes,
 * reports, paths and URLs are never wrapped.
 */
import { addsFinding } from '../../review-outcome.ts';
import type { Review } from '../../review-types.ts';
import { baseSentence } from '../base-sentence.ts';
import { configSentence, treeGraphSentence } from '../context-sentence.ts';
import { lockdepCheckEvidence, lockdepCheckLine } from '../lockdep-check-line.ts';
import { lockdepNames } from '../lockdep-names.ts';
import { oneLine } from '../one-line.ts';
import { plainStyle } from '../render-style.ts';
import { blockParts, caveatParts, preexistingParts, type Part, type SectionContext } from '../report-sections.ts';
import { changeBlocks, touchedSet } from '../review-changes.ts';
import { suppressedLines } from '../suppressed-lines.ts';
import { reviewLocks } from '../review-locks.ts';
import { reviewNotes } from '../review-notes.ts';
import { seriesSummary } from '../series-summary.ts';
import type { RenderOptions } from '../types.ts';
import { verdictSentence } from '../verdict-sentence.ts';
import { authorName } from './author-name.ts';
import { quoteHunks } from './quote-hunks.ts';
import { wrapProse } from './wrap-prose.ts';

const COLUMN = 78;
const SIGNATURE = ['-- ', 'lockscope, lock-order review bot'];

/** Lines the finding blocks may take; the first block is always shown. */
export const MAIL_BLOCK_BUDGET = 70;
/** Witness steps per chain before the middle is elided. */
const MAIL_MAX_STEPS = 5;
/** Quoted patch lines. */
const MAIL_QUOTE_LINES = 15;
/** Patches listed in a summary before the rest are counted. */
const MAIL_MAX_PATCH_LINES = 12;

const lay = (parts: readonly Part[]): string[] => parts.flatMap((p) => ('prose' in p ? wrapProse(p.prose, COLUMN) : p.lines));

/** The base commit a review used, when the base is a git revision: "1a2b3c4d5e6f". */
function baseCommit(review: Review): string | null {
  const tree = review.json.base?.tree ?? '';
  return /\b([0-9a-f]{12,40})\b/.exec(tree)?.[1] ?? null;
}

/** `b4 am -o - <id> | lockscope check --repo path/to/linux --rev <base> -`, when both are known. */
function reproduceLine(review: Review): string | null {
  const id = review.meta?.[review.meta.length - 1]?.messageId ?? review.meta?.[0]?.messageId;
  const base = baseCommit(review);
  if (!id || !base) return null;
  const bare = oneLine(id.trim().replace(/^<|>$/g, ''));
  const config = review.json.context?.config ? ` --config path/to/linux/${oneLine(review.json.context.config)}` : '';
  return `        b4 am -o - '${bare}' | lockscope check --repo path/to/linux --rev ${base}${config} -`;
}

function baseAndReproduce(review: Review, options: RenderOptions): string[] {
  const out: string[] = [];
  if (review.json.base) out.push(...wrapProse(baseSentence(review.json.base), COLUMN), '');
  const config = configSentence(review.json.context);
  if (config) out.push(...wrapProse(config, COLUMN), '');
  const whole = treeGraphSentence(review.json.context);
  if (whole) out.push(...wrapProse(whole, COLUMN), '');
  const repro = options.reproduce ?? reproduceLine(review);
  if (repro) out.push('reproduce:', repro.startsWith(' ') ? repro : `        ${oneLine(repro)}`, '');
  return out;
}

/** "| Reported-by: ..." and "| Closes: ..." when the patch adds a problem. */
function tags(review: Review, options: RenderOptions): string[] {
  if (!addsFinding(review.json)) return [];
  const closes = options.closesUrl ?? options.dashboardUrl;
  const lines = [
    ...(options.reportedBy ? [`| Reported-by: ${oneLine(options.reportedBy)}`] : []),
    ...(closes ? [`| Closes: ${oneLine(closes)}`] : []),
  ];
  if (lines.length === 0) return [];
  return [...wrapProse('If you fix the issue in a separate patch/commit (i.e. not just a new version of the same patch/commit), kindly add following tags:', COLUMN), ...lines, ''];
}

function coverBody(review: Review, style: ReturnType<typeof plainStyle>): string[] {
  const s = seriesSummary(review.json, style);
  const out = ['Patch by patch:'];
  for (const p of s.patches.slice(0, MAIL_MAX_PATCH_LINES)) out.push(...wrapProse(p, COLUMN - 2, '  ').map((l, i) => (i === 0 ? l : `  ${l}`)));
  const rest = s.patches.length - MAIL_MAX_PATCH_LINES;
  if (rest > 0) out.push(`  and ${rest} more ${rest === 1 ? 'patch' : 'patches'}`);
  out.push('');
  if (s.attributions.length > 0) {
    for (const a of s.attributions.slice(0, 5)) out.push(...wrapProse(a, COLUMN));
    out.push('');
  }
  out.push(...wrapProse(s.whole, COLUMN), '');
  return out;
}

/** Review -> the plain-text body of a reply mail, ending in a newline. */
export function renderEmail(review: Review, options: RenderOptions = {}): string {
  const json = review.json;
  const locks = reviewLocks(review);
  const style = plainStyle(locks);
  const ctx: SectionContext = { style, names: lockdepNames(locks), touched: touchedSet(json), maxSteps: MAIL_MAX_STEPS, longerWhere: options.dashboardUrl ? 'the full review' : '`lockscope check --format json`' };
  const out: string[] = [];
  const name = authorName(review.meta?.[0]?.author);
  if (name) out.push(`Hi ${name},`, '');

  const quote = options.cover ? [] : quoteHunks(review.hunks ?? [], MAIL_QUOTE_LINES);
  if (quote.length > 0) out.push(...quote, '');

  const headline = verdictSentence(review, style);
  out.push(...wrapProse(headline, COLUMN), '');
  if (json.verdict === 'error' && review.failure) out.push(`Failure code: ${oneLine(review.failure.code)}`, '');
  if (json.lockdep) out.push(...wrapProse(lockdepCheckLine(json.lockdep, style), COLUMN), ...lockdepCheckEvidence(json.lockdep, MAIL_MAX_STEPS).slice(0, 16), '');

  if (options.cover) {
    out.push(...coverBody(review, style));
  } else {
    const blocks = [...changeBlocks(json, 'added'), ...changeBlocks(json, 'removed')];
    let used = 0;
    let shown = 0;
    for (const block of blocks) {
      const lines = [...lay(blockParts(block, ctx)), ''];
      if (shown > 0 && used + lines.length > MAIL_BLOCK_BUDGET) break;
      out.push(...lines);
      used += lines.length;
      shown++;
    }
    const rest = blocks.length - shown;
    if (rest > 0) {
      const where = options.dashboardUrl ? `see the full review at ${oneLine(options.dashboardUrl)}` : 'run `lockscope check` on this patch to see them';
      out.push(...wrapProse(`${rest} more ${rest === 1 ? 'finding is' : 'findings are'} not shown here; ${where}.`, COLUMN), '');
    }
    const quiet = suppressedLines(json, style);
    if (quiet.length > 0) out.push(`Suppressed, not counted (${quiet.length}):`, ...quiet.slice(0, 5).flatMap((l) => wrapProse(l, COLUMN, '  ')), '');
    const pre = lay(preexistingParts(review, ctx, 3));
    if (pre.length > 0) out.push(...pre, '');
    const caveats = lay(caveatParts(review, 3));
    if (caveats.length > 0) out.push(...caveats, '');
    // A series answered in one mail (no cover letter): what each patch does.
    if (json.patches.length > 1) out.push(...coverBody(review, style));
  }

  const notes = reviewNotes(review, headline, style.text);
  if (notes.length > 0) {
    out.push('Notes:');
    for (const n of notes.slice(0, 5)) out.push(...wrapProse(oneLine(n), COLUMN, '  '));
    out.push('');
  }
  out.push(...baseAndReproduce(review, options));
  if (options.dashboardUrl) out.push('The full review:', `  ${oneLine(options.dashboardUrl)}`, '');
  out.push(...tags(review, options));
  out.push(...SIGNATURE);
  return `${out.join('\n')}\n`;
}
