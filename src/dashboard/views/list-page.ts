/**
 * The dashboard's front page: counts per verdict (each a link that filters), the filter form
 * (a plain GET form, so it works without JavaScript and every view has a URL), the reviews
 * newest first, and previous/next links. Not the query parsing: see list-query.ts.
 */
import type { ReviewPage } from '../../store/types.ts';
import { DEFAULT_PAGE_SIZE, listQueryString, SOURCES, VERDICTS, type ListQuery } from '../list-query.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { badge, reviewBadge } from './verdict-badge.ts';

function countsNav(page: ReviewPage, query: ListQuery): SafeHtml {
  const link = (verdict: (typeof VERDICTS)[number] | undefined): string =>
    `/${listQueryString({ filter: { ...query.filter, verdict }, page: 1, pageSize: query.pageSize })}`;
  const all = Object.entries(page.counts)
    .filter(([k]) => k !== 'queued' && k !== 'failed')
    .reduce((n, [, v]) => n + v, 0);
  return html`<nav class="counts" aria-label="Counts per verdict">
  <a href="${link(undefined)}" class="${query.filter.verdict ? '' : 'current'}"><span class="badge no-change">all ${all + page.counts.queued}</span></a>
  ${VERDICTS.map(
    (v) =>
      html`<a href="${link(v)}" class="${query.filter.verdict === v ? 'current' : ''}" data-verdict="${v}">${badge(v)} <span class="count">${page.counts[v]}</span></a>`,
  )}
  <span data-status="queued">${badge('queued')} <span class="count">${page.counts.queued}</span></span>
  <span data-status="failed">${badge('failed')} <span class="count">${page.counts.failed}</span></span>
</nav>`;
}

function filterForm(query: ListQuery): SafeHtml {
  const f = query.filter;
  const option = (value: string, current: string | undefined, label = value): SafeHtml =>
    html`<option value="${value}"${current === value ? html` selected` : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="/">
  <label>Verdict <select name="verdict">${option('', f.verdict, 'any')}${VERDICTS.map((v) => option(v, f.verdict))}</select></label>
  <label>Source <select name="source">${option('', f.source, 'any')}${SOURCES.map((s) => option(s, f.source))}</select></label>
  <label>Repository or list <input name="repository" value="${f.repository ?? ''}" placeholder="owner/repo or list address"></label>
  <label>Author <input name="author" value="${f.author ?? ''}"></label>
  <label>Subject contains <input name="q" type="search" value="${f.text ?? ''}"></label>
  ${query.pageSize !== DEFAULT_PAGE_SIZE ? html`<input type="hidden" name="pageSize" value="${query.pageSize}">` : ''}
  <button type="submit">Filter</button>
  <a href="/">Clear</a>
</form>`;
}

function pager(page: ReviewPage, query: ListQuery): SafeHtml {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const to = (n: number): string => `/${listQueryString({ ...query, page: n })}`;
  return html`<nav class="pages" aria-label="Pages">
  ${page.page > 1 ? html`<a rel="prev" href="${to(page.page - 1)}">← Newer</a>` : html`<span class="muted">← Newer</span>`}
  <span>Page ${page.page} of ${pages} · ${page.total} review${page.total === 1 ? '' : 's'}</span>
  ${page.page < pages ? html`<a rel="next" href="${to(page.page + 1)}">Older →</a>` : html`<span class="muted">Older →</span>`}
</nav>`;
}

/** The whole list page for one query and the page of results the store gave. */
export function listPage(page: ReviewPage, query: ListQuery): string {
  const authorLink = (author: string): string =>
    `/${listQueryString({ filter: { ...query.filter, author }, page: 1, pageSize: query.pageSize })}`;
  const repoLink = (repository: string): string =>
    `/${listQueryString({ filter: { ...query.filter, repository }, page: 1, pageSize: query.pageSize })}`;
  const rows = page.items.map(
    (r) => html`<tr data-id="${r.id}">
  <td class="mono"><a href="/reviews/${r.id}">#${r.id}</a></td>
  <td>${reviewBadge(r)}</td>
  <td class="subject"><a href="/reviews/${r.id}">${r.subject}</a></td>
  <td>${r.source}</td>
  <td class="mono"><a href="${repoLink(r.repository)}">${r.repository}</a></td>
  <td>${r.author !== null ? html`<a href="${authorLink(r.author)}">${r.author}</a>` : html`<span class="muted">—</span>`}</td>
  <td class="muted"><time datetime="${r.createdAt}">${r.createdAt.replace('T', ' ').slice(0, 16)}</time></td>
</tr>`,
  );
  const body = html`<h1>Reviews</h1>
${countsNav(page, query)}
${filterForm(query)}
${
  page.items.length === 0
    ? html`<p class="empty">No reviews match.</p>`
    : html`<table class="reviews">
<thead><tr><th>Id</th><th>Verdict</th><th>Subject</th><th>Source</th><th>Repository / list</th><th>Author</th><th>Created (UTC)</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}
${pager(page, query)}`;
  return layout('Reviews', body);
}
