/**
 * The `markdown` renderer: a review as a GitHub pull-request comment. A status heading and the
 * verdict sentence in bold, the lockdep cross-check, a table of what the pull request changes
 * (each order edge it adds or removes with the cycle that closes or breaks, each finding of
 * another kind) with links to the lines, then one collapsible <details> per change with its
 * kernel-style report in a fenced block; the pre-existing findings as a count, the limits of the
 * analysis inside the touched code, the series patch by patch. Every string from the patch is
 * escaped (names and subjects can hold `<script>`, backticks and pipes).
 * It writes neutral markdown: the hidden marker for editing in place and GitHub's size limit
 * are the GitHub front end's business.
 */
import type { ChainStep } from '../../analyzers/report-types.ts';
import { reviewOutcome } from '../../review-outcome.ts';
import type { Outcome, Review } from '../../review-types.ts';
import { baseSentence } from '../base-sentence.ts';
import { configSentence, contextSentence, treeGraphSentence } from '../context-sentence.ts';
import { lowTag } from '../confidence-words.ts';
import { cycleLabel } from '../cycle-label.ts';
import { findingPhrase } from '../finding-words.ts';
import { lockLabeler } from '../lock-labeler.ts';
import { lockdepCheckEvidence, lockdepCheckLine } from '../lockdep-check-line.ts';
import { lockdepNames } from '../lockdep-names.ts';
import type { RenderStyle } from '../render-style.ts';
import { blockHeadline, blockParts, caveatParts, preexistingParts, type Part, type SectionContext } from '../report-sections.ts';
import { changeBlocks, edgeSite, touchedSet, type Block } from '../review-changes.ts';
import { suppressedLines } from '../suppressed-lines.ts';
import { reviewLocks } from '../review-locks.ts';
import { reviewNotes } from '../review-notes.ts';
import { seriesSummary } from '../series-summary.ts';
import { stepText } from '../step-text.ts';
import type { RenderOptions } from '../types.ts';
import { verdictSentence } from '../verdict-sentence.ts';
import { escapeHtml, escapeMarkdown } from './escape-markdown.ts';
import { fencedBlock } from './fenced-block.ts';
import { markdownLink } from './markdown-link.ts';

const STATUS: Record<Outcome, string> = {
  adds: 'Locking problem added',
  removes: 'Fixed',
  mixed: 'Mixed',
  'no-change': 'Unchanged',
  error: 'Not reviewed',
};

type Side = 'base' | 'head';
const sideOf = (b: Block): Side => (b.change === 'added' ? 'head' : 'base');

function stepLink(step: ChainStep, side: Side, options: RenderOptions): string {
  const text = `${escapeMarkdown(step.file)}:${step.line}`;
  let url: string | undefined;
  try {
    url = options.lineUrl?.(step.file, step.line, side);
  } catch {
    url = undefined; // A broken link builder costs the link, not the comment.
  }
  return markdownLink(text, url);
}

/** The lines a change is at: the acquisitions of the patch's edges, or the finding's line. */
function where(b: Block, options: RenderOptions, touched: ReadonlySet<string>): string {
  const side = sideOf(b);
  if (b.type === 'finding') return stepLink({ function: b.finding.function, file: b.finding.file, line: b.finding.line, op: 'call' }, side, options);
  const sites = (b.edges.length > 0 ? b.edges : b.cycle.edges).flatMap((e) => {
    const s = edgeSite(e, touched);
    return s ? [stepLink(s, side, options)] : [];
  });
  return sites.length > 0 ? sites.join(', ') : '(unknown)';
}

function what(b: Block, md: RenderStyle): string {
  if (b.type === 'finding') return findingPhrase(b.finding, md);
  const cycle = `${b.cycle.locks.length === 1 ? `the recursive locking of ${md.lock(b.cycle.locks[0] ?? '')}` : cycleLabel(b.cycle, md)}${lowTag(b.cycle)}`;
  const longer = b.longer.length > 0 ? ` (and ${b.longer.length} longer ${b.longer.length === 1 ? 'cycle' : 'cycles'})` : '';
  if (b.edges.length === 0) return `${cycle}${longer}`;
  const edges = b.edges.map((e) => `${md.lock(e.from)} -&gt; ${md.lock(e.to)}`).join(', ');
  if (b.path) return `${edges}, ${b.change === 'added' ? 'a new path to' : 'a path to'} ${cycle} (there before the patch)`;
  return `${edges}, ${b.change === 'added' ? 'closing' : 'breaking'} ${cycle}${longer}`;
}

function details(b: Block, review: Review, md: RenderStyle, options: RenderOptions): string[] {
  const locks = reviewLocks(review);
  const summaryStyle: RenderStyle = { lock: lockLabeler(locks, escapeHtml), text: escapeHtml, pair: ' &lt;-&gt; ', step: ' -&gt; ' };
  const ctx: SectionContext = { style: md, names: lockdepNames(locks), longerWhere: 'the full review', touched: touchedSet(review.json) };
  const parts = blockParts(b, ctx).slice(1);
  const out = ['<details>', `<summary>${b.change === 'added' ? 'Added' : 'Removed'}: ${what(b, summaryStyle)}</summary>`, '', blockHeadline(b, md, true, ctx.touched), ''];
  for (const p of parts) {
    if ('prose' in p) out.push(p.prose, '');
    else if (p.lines.some((l) => l !== '')) out.push(fencedBlock(p.lines.slice(p.lines.findIndex((l) => l !== ''))), '');
  }
  if (options.lineUrl) {
    const chains = b.type === 'finding' ? b.finding.evidence.map((e) => e.chain) : b.cycle.edges.map((e) => e.chain);
    out.push('Witness lines:', '');
    for (const chain of chains) for (const step of chain) out.push(`- ${stepLink(step, sideOf(b), options)} ${escapeMarkdown(step.function)}: ${escapeMarkdown(stepText(step))}`);
    out.push('');
  }
  out.push('</details>', '');
  return out;
}

const prose = (parts: readonly Part[]): string[] => parts.flatMap((p) => ('prose' in p ? [p.prose, ''] : [fencedBlock(p.lines), '']));

/** Review -> GitHub-flavoured markdown, ending in a newline. */
export function renderMarkdown(review: Review, options: RenderOptions = {}): string {
  const json = review.json;
  const locks = reviewLocks(review);
  const md: RenderStyle = { lock: lockLabeler(locks, escapeMarkdown), text: escapeMarkdown, pair: ' &lt;-&gt; ', step: ' -&gt; ' };
  const headline = verdictSentence(review, md);
  const outcome = reviewOutcome(json);
  const status = outcome === 'adds' && (json.verdict === 'adds-inversion' || json.verdict === 'mixed') ? 'Deadlock risk' : STATUS[outcome] ?? 'Unknown';
  const out = [`### lockscope: ${status}`, '', `**${headline}**`, ''];
  if (json.verdict === 'error' && review.failure) out.push(`Failure code: \`${review.failure.code.replace(/[^A-Za-z0-9_.-]/g, '?')}\``, '');
  if (json.lockdep) {
    out.push(lockdepCheckLine(json.lockdep, md), '');
    const evidence = lockdepCheckEvidence(json.lockdep);
    if (evidence.length > 0) out.push(fencedBlock(evidence), '');
  }

  const blocks = [...changeBlocks(json, 'added'), ...changeBlocks(json, 'removed')];
  if (blocks.length > 0) {
    out.push('| Change | What | At |', '| --- | --- | --- |');
    const touched = touchedSet(json);
    for (const b of blocks) out.push(`| ${b.change === 'added' ? 'Adds' : 'Removes'} | ${what(b, md)} | ${where(b, options, touched)} |`);
    out.push('');
  }
  for (const b of blocks) out.push(...details(b, review, md, options));

  const quiet = suppressedLines(json, md);
  if (quiet.length > 0) out.push(`**Suppressed, not counted (${quiet.length})**`, '', ...quiet.map((l) => `- ${l}`), '');
  const ctx: SectionContext = { style: md, names: lockdepNames(locks, escapeMarkdown), longerWhere: 'the full review' };
  out.push(...prose(preexistingParts(review, ctx)));
  const caveats = caveatParts(review, 10);
  if (caveats.length > 0) out.push(...prose(caveats));

  if (json.patches.length > 1) {
    const s = seriesSummary(json, md);
    out.push('**Patches**', '');
    for (const p of s.patches) out.push(`- ${p}`);
    out.push('');
    for (const a of s.attributions) out.push(`- ${a}`);
    if (s.attributions.length > 0) out.push('');
    out.push(s.whole, '');
  }
  if (json.functions.length > 0) {
    out.push('<details>', `<summary>Functions touched (${json.functions.length})</summary>`, '');
    for (const f of json.functions) out.push(`- ${escapeMarkdown(f.file)}: ${escapeMarkdown(f.name)} (${f.hunks} ${f.hunks === 1 ? 'hunk' : 'hunks'})`);
    out.push('', '</details>', '');
  }
  const notes = reviewNotes(review, headline, md.text);
  if (notes.length > 0) {
    out.push('**Notes**', '');
    for (const n of notes) out.push(`- ${escapeMarkdown(n)}`);
    out.push('');
  }
  if (json.base) out.push(baseSentence(json.base, escapeMarkdown), '');
  const config = configSentence(json.context, escapeMarkdown);
  if (config) out.push(config, '');
  const cut = contextSentence(json.context, escapeMarkdown);
  if (cut) out.push(cut, '');
  const whole = treeGraphSentence(json.context, escapeMarkdown);
  if (whole) out.push(whole, '');
  if (options.dashboardUrl) out.push(markdownLink('Full review on the lockscope dashboard', options.dashboardUrl), '');
  return `${out.join('\n').trimEnd()}\n`;
}
