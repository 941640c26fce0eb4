/**
 * The `markdown` renderer: a review as a GitHub pull-request comment. A status heading and the
 * verdict sentence in bold, the lockdep cross-check, a table of inversions with links to the
 * lines that take the locks, then one collapsible <details> per added or removed inversion with
 * the lockdep-style chain and CPU table in a fenced block. Every string from the patch is
 * escaped (names and subjects can hold `<script>`, backticks and pipes).
 * It writes neutral markdown: the hidden marker for editing in place and GitHub's size limit
 * are the GitHub front end's business.
 */
import type { ChainStep, InversionJson } from '../../analyzers/report-types.ts';
import type { Review, Verdict } from '../../review-types.ts';
import { baseSentence } from '../base-sentence.ts';
import { contextSentence } from '../context-sentence.ts';
import { cycleLabel } from '../cycle-label.ts';
import { lockLabeler } from '../lock-labeler.ts';
import { lockdepCheckLine } from '../lockdep-check-line.ts';
import { lockdepReport } from '../lockdep-report.ts';
import type { RenderStyle } from '../render-style.ts';
import type { RenderOptions } from '../types.ts';
import { reviewLocks } from '../review-locks.ts';
import { reviewNotes } from '../review-notes.ts';
import { patchVerdictLine, verdictSentence } from '../verdict-sentence.ts';
import { escapeHtml, escapeMarkdown } from './escape-markdown.ts';
import { fencedBlock } from './fenced-block.ts';
import { markdownLink } from './markdown-link.ts';
import { stepText } from '../step-text.ts';

const STATUS: Record<Verdict, string> = {
  'adds-inversion': 'Deadlock risk',
  'removes-inversion': 'Fixed',
  mixed: 'Mixed',
  'no-change': 'Unchanged',
  error: 'Not reviewed',
};

type Side = 'base' | 'head';

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

/** The lines that take each lock of the cycle: the last step of every edge's chain. */
function takenAt(inv: InversionJson, side: Side, options: RenderOptions): string {
  const links = inv.edges.flatMap((e) => {
    const last = e.chain[e.chain.length - 1];
    return last ? [stepLink(last, side, options)] : [];
  });
  return links.length > 0 ? links.join(', ') : '(unknown)';
}

function details(kind: string, where: string, inv: InversionJson, side: Side, review: Review, options: RenderOptions): string[] {
  const locks = reviewLocks(review);
  const summaryStyle = { lock: lockLabeler(locks, escapeHtml), pair: ' &lt;-&gt; ', step: ' -&gt; ' };
  const out = [
    '<details>',
    `<summary>${kind}: ${cycleLabel(inv, summaryStyle)} (${where})</summary>`,
    '',
    fencedBlock(lockdepReport(inv, lockLabeler(locks))),
    '',
  ];
  if (options.lineUrl) {
    out.push('Witness lines:', '');
    for (const edge of inv.edges) {
      for (const step of edge.chain) out.push(`- ${stepLink(step, side, options)} ${escapeMarkdown(step.function)}: ${escapeMarkdown(stepText(step))}`);
    }
    out.push('');
  }
  out.push('</details>', '');
  return out;
}

/** Review -> GitHub-flavoured markdown, ending in a newline. */
export function renderMarkdown(review: Review, options: RenderOptions = {}): string {
  const json = review.json;
  const md: RenderStyle = { lock: lockLabeler(reviewLocks(review), escapeMarkdown), text: escapeMarkdown, pair: ' &lt;-&gt; ', step: ' -&gt; ' };
  const headline = verdictSentence(review, md);
  const out = [`### lockscope: ${STATUS[json.verdict] ?? 'Unknown'}`, '', `**${headline}**`, ''];
  if (json.verdict === 'error' && review.failure) out.push(`Failure code: \`${review.failure.code.replace(/[^A-Za-z0-9_.-]/g, '?')}\``, '');
  if (json.lockdep) out.push(lockdepCheckLine(json.lockdep, md), '');

  const rows: string[] = [];
  for (const inv of json.inversions.added) rows.push(`| Added | ${cycleLabel(inv, md)} | ${takenAt(inv, 'head', options)} |`);
  for (const inv of json.inversions.removed) rows.push(`| Removed | ${cycleLabel(inv, md)} | ${takenAt(inv, 'base', options)} |`);
  for (const inv of json.inversions.unchanged) rows.push(`| Pre-existing | ${cycleLabel(inv, md)} | ${takenAt(inv, 'head', options)} |`);
  if (rows.length > 0) out.push('| Change | Lock-order inversion | Locks taken at |', '| --- | --- | --- |', ...rows, '');

  for (const inv of json.inversions.added) out.push(...details('Added', 'in the patched code', inv, 'head', review, options));
  for (const inv of json.inversions.removed) out.push(...details('Removed', 'in the code before the patch', inv, 'base', review, options));

  if (json.patches.length > 1) {
    out.push('**Patches**', '');
    // "[1/2]" escaped: a bracket pair is link syntax to a markdown parser.
    json.patches.forEach((p, i) => out.push(`- ${patchVerdictLine(p, i, json.patches.length, md).replace(/^\[(\d+\/\d+)\]/, '\\[$1\\]')}`));
    out.push('');
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
  const cut = contextSentence(json.context, escapeMarkdown);
  if (cut) out.push(cut, '');
  if (options.dashboardUrl) out.push(markdownLink('Full review on the lockscope dashboard', options.dashboardUrl), '');
  return `${out.join('\n').trimEnd()}\n`;
}
