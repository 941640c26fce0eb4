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
import { lowBecause } from '../../render/confidence-words.ts';
import { cycleLabel } from '../../render/cycle-label.ts';
import type { RenderStyle } from '../../render/render-style.ts';
import { blockHeadline } from '../../render/report-sections.ts';
import { changeBlocks, preexisting, type Block } from '../../render/review-changes.ts';
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

/** Blocks shown with their chains per direction; a large review lists the rest by name (page size). */
export const PAGE_LIMITS = { blocks: 20, names: 100, hunkLines: 80 };

// The renderers' name for a cycle ("A <-> B", "A -> B -> C -> A"); HTML escaping happens in `html`.
const cycleName = (inv: InversionJson): string => cycleLabel(inv, { lock: (name) => name, pair: ' <-> ', step: ' -> ' });
const plain: RenderStyle = { lock: (n) => n, text: (t) => t, pair: ' <-> ', step: ' -> ' };

function step(s: ChainStep, side: 'base' | 'head', lineUrl: LineUrl): SafeHtml {
  const where = `${s.file}:${s.line}`;
  const url = lineUrl(s.file, s.line, side);
  return html`<li><code>${s.function}</code> ${stepText(s)} <span class="muted">at</span> ${
    url ? html`<a class="code" href="${url}">${where}</a>` : html`<code>${where}</code>`
  }</li>`;
}

function chain(title: string, steps: readonly ChainStep[], side: 'base' | 'head', lineUrl: LineUrl, own = false): SafeHtml {
  return html`<h3 class="edge${own ? ' own' : ''}">${title}</h3>
<ol class="chain">${steps.map((x) => step(x, side, lineUrl))}</ol>`;
}

function edge(e: EdgeJson, side: 'base' | 'head', lineUrl: LineUrl, own = false): SafeHtml {
  return chain(`${e.from} → ${e.to}${own ? ' (the patch)' : ''}`, e.chain, side, lineUrl, own);
}

/** Names of cycles or findings, at most PAGE_LIMITS.names, then a count pointing at the JSON. */
function nameList(names: readonly string[], id: number): SafeHtml {
  const shown = names.slice(0, PAGE_LIMITS.names);
  const rest = names.length - shown.length;
  return html`<ul class="names">${shown.map((n) => html`<li><code>${n}</code></li>`)}</ul>${
    rest > 0 ? html`<p class="muted">and ${rest} more in <a href="/api/reviews/${id}">the review's JSON</a>.</p>` : ''
  }`;
}

function block(b: Block, lineUrl: LineUrl, id: number): SafeHtml {
  // Added findings are in the patched code; removed ones are evidence from the base.
  const side = b.change === 'added' ? 'head' : 'base';
  const headline = blockHeadline(b, plain, false);
  if (b.type === 'finding') {
    const f = b.finding;
    return html`<section class="inversion finding ${b.change}" data-change="${b.change}" data-kind="${f.kind}">
<p><strong>${headline}</strong></p><p class="muted">${f.title}</p>
${f.evidence.map((e) => chain(e.label, e.chain, side, lineUrl))}
${(f.notes ?? []).map((n) => html`<p class="muted">${n}</p>`)}
</section>`;
  }
  const own = new Set(b.edges.map((e) => `${e.from}\u0000${e.to}`));
  const why = lowBecause(b.cycle);
  return html`<section class="inversion ${b.change}" data-change="${b.change}"${why ? html` data-confidence="low"` : ''}>
<p><strong>${headline}</strong></p>${why ? html`<p class="muted">Low confidence: ${why}.</p>` : ''}
${b.cycle.edges.map((e) => edge(e, side, lineUrl, own.has(`${e.from}\u0000${e.to}`)))}
${b.longer.length > 0 ? html`<details><summary>${b.longer.length} longer ${b.longer.length === 1 ? 'cycle' : 'cycles'} through this edge</summary>${nameList(b.longer, id)}</details>` : ''}
</section>`;
}

function changes(review: Review, lineUrl: LineUrl, id: number): SafeHtml {
  const json = review.json;
  const group = (title: string, change: 'added' | 'removed', note: string): SafeHtml => {
    const blocks = changeBlocks(json, change);
    if (blocks.length === 0) return html``;
    const shown = blocks.slice(0, PAGE_LIMITS.blocks);
    const rest = blocks.slice(PAGE_LIMITS.blocks).map((b) => (b.type === 'finding' ? b.finding.title : cycleName(b.cycle)));
    return html`<h2 id="${change}">${title} (${blocks.length})</h2><p class="muted">${note}</p>${shown.map((b) => block(b, lineUrl, id))}${
      rest.length > 0 ? html`<details><summary>${rest.length} more</summary>${nameList(rest, id)}</details>` : ''
    }`;
  };
  const pre = preexisting(review);
  const touched = pre.touched.slice(0, PAGE_LIMITS.blocks);
  const unchanged = [...json.inversions.unchanged.map(cycleName), ...(json.findings?.unchanged ?? []).filter((f) => f.kind !== 'inversion' && f.kind !== 'recursive').map((f) => f.title)];
  return html`${group('Added by the patch', 'added', 'Present after the patch, not before: each edge the patch adds, with the shortest cycle it closes; the chains are in the patched code.')}
${group('Removed by the patch', 'removed', 'Present before the patch, gone after: each edge the patch removes, with the shortest cycle it breaks; the chains are in the code before the patch.')}
${
  unchanged.length === 0
    ? html``
    : html`<h2 id="unchanged">Pre-existing (${unchanged.length})</h2><p class="muted">${unchanged.length} pre-existing ${unchanged.length === 1 ? 'finding' : 'findings'} in the analyzed files ${unchanged.length === 1 ? 'is' : 'are'} unchanged${
        touched.length > 0 ? `; the patch touches a function on the chains of ${pre.touched.length}:` : '.'
      }</p>${touched.map((t) =>
        'inversion' in t
          ? html`<section class="inversion unchanged" data-change="unchanged"><p><strong>${cycleName(t.inversion)}</strong></p>${t.inversion.edges.map((e) => edge(e, 'base', lineUrl))}</section>`
          : html`<section class="inversion unchanged" data-change="unchanged"><p><strong>${t.finding.title}</strong></p>${t.finding.evidence.map((e) => chain(e.label, e.chain, 'base', lineUrl))}</section>`,
      )}<details><summary>All pre-existing findings (${unchanged.length})</summary>${nameList(unchanged, id)}</details>`
}
${(json.caveats ?? []).length > 0 ? html`<h2 id="limits">Limits of this review in the code the patch touches</h2><ul>${(json.caveats ?? []).map((c) => html`<li>${c.file ? html`<code>${c.file}:${c.line}</code> ` : ''}${c.reason}</li>`)}</ul>` : ''}`;
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
<ul class="legend"><li><span class="added">red</span>: edges the patch adds</li><li><span class="removed">green, dashed</span>: edges the patch removes</li><li><span class="plain">grey</span>: other order edges among the locks within two steps; every lock keeps its place in both pictures</li></ul>
<div class="graphs">${graphFigure('Before the patch', input.graphs.before, 'before')}${graphFigure('After the patch', input.graphs.after, 'after')}</div>`;
}

function hunk(h: HunkQuote): SafeHtml {
  const locks = new Set(h.lockLines);
  const lines = h.lines.map((line, i) => {
    const cls = [line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '', locks.has(i) ? 'lock' : ''].filter(Boolean).join(' ');
    return cls ? html`<span class="${cls}">${line}</span>\n` : html`${line}\n`;
  });
  const cut = lines.length - PAGE_LIMITS.hunkLines;
  return html`<h3><code>${h.file}</code>${h.function ? html` · <code>${h.function}</code>` : ''}</h3><pre class="hunk">${h.header}\n${lines.slice(0, PAGE_LIMITS.hunkLines)}${cut > 0 ? `[... ${cut} more lines]\n` : ''}</pre>`;
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
${review ? changes(review, input.lineUrl, s.id) : ''}
${graphs(input)}
${review ? details(review) : ''}
${history(input)}`;
  return layout(`#${s.id} ${s.subject}`, body);
}
