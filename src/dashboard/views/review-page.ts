/**
 * One review on the dashboard: the verdict sentence (the text renderer's headline, never
 * re-derived here), what failed if it failed, the lockdep cross-check, each added / removed /
 * pre-existing inversion with its evidence chains (linked to the code when the review has a
 * commit URL), the lock-order graph before and after, the touched functions and hunks, the
 * patches of a series and the history of this PR or series.
 *
 * It only lays out what the review says; the pictures are rendered by the caller (graph-svg.ts).
 */
import type { ChainStep, EdgeJson, InversionJson } from '../../analyzers/report-types.ts';
import type { HunkQuote, Review } from '../../review-types.ts';
import type { StoredReview } from '../../store/types.ts';
import type { LineUrl } from '../code-links.ts';
import { safeHref } from '../code-links.ts';
import { cycleLabel } from '../../render/cycle-label.ts';
import type { GraphSvg } from '../graph-svg.ts';
import { html, trusted, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { badge, reviewBadge } from './verdict-badge.ts';
import { stepText } from '../../render/step-text.ts';

export interface ReviewPageInput {
  stored: StoredReview;
  /** The headline sentence of the text renderer, or null when there is no review yet. */
  verdictLine: string | null;
  /** The renderers' sentence about the lockdep report quoted in the commit message, if any. */
  lockdepLine: string | null;
  history: StoredReview[];
  graphs: { before: GraphSvg; after: GraphSvg } | null;
  lineUrl: LineUrl;
  /** Set when the stored review JSON could not be laid out (an old or damaged row). */
  unreadable?: boolean;
}

type Change = 'added' | 'removed' | 'unchanged';

// The renderers' name for a cycle ("A <-> B", "A -> B -> C -> A"); HTML escaping happens in `html`.
const cycleName = (inv: InversionJson): string => cycleLabel(inv, { lock: (name) => name, pair: ' <-> ', step: ' -> ' });

function step(s: ChainStep, side: 'base' | 'head', lineUrl: LineUrl): SafeHtml {
  const where = `${s.file}:${s.line}`;
  const url = lineUrl(s.file, s.line, side);
  return html`<li><code>${s.function}</code> ${stepText(s)} <span class="muted">at</span> ${
    url ? html`<a class="code" href="${url}">${where}</a>` : html`<code>${where}</code>`
  }</li>`;
}

function edge(e: EdgeJson, side: 'base' | 'head', lineUrl: LineUrl): SafeHtml {
  return html`<h3 class="edge"><code>${e.from}</code> → <code>${e.to}</code></h3>
<ol class="chain">${e.chain.map((s) => step(s, side, lineUrl))}</ol>`;
}

function inversion(inv: InversionJson, change: Change, lineUrl: LineUrl): SafeHtml {
  // Added inversions are in the patched code; removed and pre-existing ones are evidence from the base.
  const side = change === 'added' ? 'head' : 'base';
  return html`<section class="inversion ${change}" data-change="${change}">
<p><strong>${cycleName(inv)}</strong></p>
${inv.edges.map((e) => edge(e, side, lineUrl))}
</section>`;
}

function inversions(review: Review, lineUrl: LineUrl): SafeHtml {
  const set = review.json.inversions;
  const group = (title: string, list: InversionJson[], change: Change, note: string): SafeHtml =>
    list.length === 0
      ? html``
      : html`<h2 id="${change}">${title} (${list.length})</h2><p class="muted">${note}</p>${list.map((inv) => inversion(inv, change, lineUrl))}`;
  return html`${group('Added inversions', set.added, 'added', 'Present after the patch, not before: the chains are in the patched code.')}
${group('Removed inversions', set.removed, 'removed', 'Present before the patch, gone after: the chains are in the code before the patch.')}
${
  set.unchanged.length === 0
    ? html``
    : html`<details><summary>Pre-existing inversions, unchanged by the patch (${set.unchanged.length})</summary>${set.unchanged.map((inv) =>
        inversion(inv, 'unchanged', lineUrl),
      )}</details>`
}`;
}

function graphFigure(caption: string, g: GraphSvg, side: string): SafeHtml {
  // The SVG is Graphviz's output for dot we built with escaped labels: our markup, not the patch's.
  return html`<figure class="graph" data-side="${side}"><figcaption>${caption}</figcaption>${
    g.ok ? trusted(g.svg) : html`<p class="muted">${g.reason}</p>`
  }</figure>`;
}

function graphs(input: ReviewPageInput): SafeHtml {
  if (!input.graphs) return html``;
  return html`<h2 id="graph">Lock-order graph around the patch</h2>
<ul class="legend"><li><span class="added">red</span>: edges of added inversions</li><li><span class="removed">green, dashed</span>: edges of removed inversions</li><li><span class="plain">grey</span>: other order edges</li></ul>
<div class="graphs">${graphFigure('Before the patch', input.graphs.before, 'before')}${graphFigure('After the patch', input.graphs.after, 'after')}</div>`;
}

function hunk(h: HunkQuote): SafeHtml {
  const locks = new Set(h.lockLines);
  const lines = h.lines.map((line, i) => {
    const cls = [line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '', locks.has(i) ? 'lock' : ''].filter(Boolean).join(' ');
    return cls ? html`<span class="${cls}">${line}</span>\n` : html`${line}\n`;
  });
  return html`<h3><code>${h.file}</code>${h.function ? html` · <code>${h.function}</code>` : ''}</h3><pre class="hunk">${h.header}\n${lines}</pre>`;
}

function details(review: Review): SafeHtml {
  const json = review.json;
  return html`${
    json.patches.length > 1
      ? html`<h2 id="patches">Patches (${json.patches.length})</h2><table><thead><tr><th>#</th><th>Subject</th><th>Message-ID</th><th>Verdict</th></tr></thead><tbody>${json.patches.map(
          (p, i) =>
            html`<tr><td>${i + 1}</td><td class="subject">${p.subject ?? '(no subject)'}</td><td class="mono">${p.messageId ?? ''}</td><td>${badge(p.verdict)}</td></tr>`,
        )}</tbody></table>`
      : ''
  }
${
  json.functions.length > 0
    ? html`<h2 id="functions">Functions touched (${json.functions.length})</h2><table><thead><tr><th>File</th><th>Function</th><th>Hunks</th></tr></thead><tbody>${json.functions.map(
        (f) => html`<tr><td class="mono">${f.file}</td><td class="mono">${f.name}</td><td>${f.hunks}</td></tr>`,
      )}</tbody></table>`
    : ''
}
${review.hunks.length > 0 ? html`<details><summary>Hunks that take or release locks (${review.hunks.length})</summary>${review.hunks.map(hunk)}</details>` : ''}
${
  json.errors.length > 0
    ? html`<h2 id="notes">Notes from the analysis</h2><ul>${json.errors.map((e) => html`<li>${e}</li>`)}</ul>`
    : ''
}`;
}

function facts(s: StoredReview): SafeHtml {
  const pr = safeHref(s.links.prUrl);
  const ids = s.links.messageIds ?? [];
  const timings = Object.entries(s.timings);
  return html`<dl class="facts">
<dt>Status</dt><dd>${reviewBadge(s)} <span class="muted">${s.status}</span></dd>
<dt>Source</dt><dd>${s.source}</dd>
<dt>Repository / list</dt><dd class="mono">${s.repository}</dd>
<dt>Author</dt><dd>${s.author ?? '—'}</dd>
${s.base ? html`<dt>Base</dt><dd class="mono">${s.base}</dd>` : ''}
${s.head ? html`<dt>Head</dt><dd class="mono">${s.head}</dd>` : ''}
${pr ? html`<dt>Pull request</dt><dd><a href="${pr}">${pr}</a></dd>` : ''}
${ids.length > 0 ? html`<dt>Message-IDs</dt><dd class="mono">${ids.map((id, i) => html`${i > 0 ? html`<br>` : ''}<span class="message-id">${id}</span>`)}</dd>` : ''}
<dt>Created</dt><dd><time datetime="${s.createdAt}">${s.createdAt}</time></dd>
<dt>Updated</dt><dd><time datetime="${s.updatedAt}">${s.updatedAt}</time></dd>
${timings.length > 0 ? html`<dt>Timings</dt><dd>${timings.map(([k, v]) => `${k} ${v}`).join(', ')}</dd>` : ''}
</dl>`;
}

function history(input: ReviewPageInput): SafeHtml {
  if (input.history.length <= 1) return html``;
  return html`<h2 id="history">History of this ${input.stored.source === 'github' ? 'pull request' : input.stored.source === 'mail' ? 'series' : 'patch'} (${input.history.length} reviews)</h2>
<table class="history"><thead><tr><th>Id</th><th>Verdict</th><th>Subject</th><th>Created (UTC)</th></tr></thead><tbody>
${input.history.map(
  (h) => html`<tr class="${h.id === input.stored.id ? 'current' : ''}"><td class="mono">${
    h.id === input.stored.id ? html`#${h.id} (this review)` : html`<a href="/reviews/${h.id}">#${h.id}</a>`
  }</td><td>${reviewBadge(h)}</td><td class="subject">${h.subject}</td><td class="muted">${h.createdAt}</td></tr>`,
)}
</tbody></table>`;
}

/** The whole detail page. */
export function reviewPage(input: ReviewPageInput): string {
  const s = input.stored;
  const review = s.review;
  const verdictClass = s.verdict ?? s.status;
  const failure = s.status === 'failed' || review?.failure;
  const body = html`<p class="muted"><a href="/">All reviews</a> · review #${s.id}</p>
<h1 class="subject">${s.subject}</h1>
${input.verdictLine !== null ? html`<p class="verdict ${verdictClass}" id="verdict">${input.verdictLine}</p>` : ''}
${input.unreadable ? html`<p class="failure" id="unreadable">The stored review could not be displayed; its JSON is at <a href="/api/reviews/${s.id}">/api/reviews/${s.id}</a>.</p>` : ''}
${s.status === 'queued' ? html`<p class="verdict queued" id="verdict">Queued: the review has not finished yet.</p>` : ''}
${
  failure
    ? html`<div class="failure" id="failure"><strong>Review failed.</strong> ${s.error ?? review?.failure?.message ?? ''}${
        review?.failure ? html` <span class="muted">(code <code>${review.failure.code}</code>)</span>` : ''
      }</div>`
    : ''
}
${facts(s)}
${input.lockdepLine !== null ? html`<h2 id="lockdep">Lockdep cross-check</h2><p class="lockdep">${input.lockdepLine}</p>` : ''}
${review ? inversions(review, input.lineUrl) : ''}
${graphs(input)}
${review ? details(review) : ''}
${history(input)}`;
  return layout(`#${s.id} ${s.subject}`, body);
}
