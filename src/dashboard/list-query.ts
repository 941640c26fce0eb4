/**
 * Reads the list filters and page from a query string, shared by `/` and `/api/reviews`:
 *   ?verdict=adds-inversion&source=mail&repository=...&author=...&q=lock&page=2&pageSize=25
 * Empty fields count as absent (a GET form submits every field). Anything else unexpected is a
 * `{ ok: false, reason }` the caller answers with 400: a typo in a URL is not a server error.
 */
import type { Verdict } from '../review-types.ts';
import type { ReviewFilter, ReviewSource } from '../store/types.ts';
import { MAX_PAGE_SIZE } from '../store/review-store.ts';

export const VERDICTS: readonly Verdict[] = ['adds-inversion', 'removes-inversion', 'mixed', 'no-change', 'error'];
export const SOURCES: readonly ReviewSource[] = ['github', 'mail', 'cli'];
export const DEFAULT_PAGE_SIZE = 25;
const MAX_TEXT = 300;
const MAX_PAGE = 1_000_000;

export interface ListQuery {
  filter: ReviewFilter;
  page: number;
  pageSize: number;
}

export type ListQueryResult = ({ ok: true } & ListQuery) | { ok: false; reason: string };

function positiveInt(raw: string, name: string, max: number): number | string {
  if (!/^[0-9]{1,9}$/.test(raw)) return `${name} must be a positive whole number`;
  const n = Number(raw);
  if (n < 1 || n > max) return `${name} must be between 1 and ${max}`;
  return n;
}

/** URLSearchParams -> filter and page, or the first reason it is not one. */
export function parseListQuery(params: URLSearchParams): ListQueryResult {
  const known = new Set(['verdict', 'source', 'repository', 'author', 'q', 'page', 'pageSize']);
  for (const key of params.keys()) {
    if (!known.has(key)) return { ok: false, reason: `unknown query parameter '${key}'` };
    if (params.getAll(key).length > 1) return { ok: false, reason: `query parameter '${key}' given more than once` };
  }
  const get = (key: string): string | undefined => {
    const v = params.get(key)?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const filter: ReviewFilter = {};
  const verdict = get('verdict');
  if (verdict !== undefined) {
    if (!(VERDICTS as readonly string[]).includes(verdict)) return { ok: false, reason: `verdict must be one of ${VERDICTS.join(', ')}` };
    filter.verdict = verdict as Verdict;
  }
  const source = get('source');
  if (source !== undefined) {
    if (!(SOURCES as readonly string[]).includes(source)) return { ok: false, reason: `source must be one of ${SOURCES.join(', ')}` };
    filter.source = source as ReviewSource;
  }
  for (const [key, field] of [['repository', 'repository'], ['author', 'author'], ['q', 'text']] as const) {
    const v = get(key);
    if (v === undefined) continue;
    if (v.length > MAX_TEXT) return { ok: false, reason: `${key} is longer than ${MAX_TEXT} characters` };
    filter[field] = v;
  }
  let page = 1;
  let pageSize = DEFAULT_PAGE_SIZE;
  const rawPage = get('page');
  if (rawPage !== undefined) {
    const n = positiveInt(rawPage, 'page', MAX_PAGE);
    if (typeof n === 'string') return { ok: false, reason: n };
    page = n;
  }
  const rawSize = get('pageSize');
  if (rawSize !== undefined) {
    const n = positiveInt(rawSize, 'pageSize', MAX_PAGE_SIZE);
    if (typeof n === 'string') return { ok: false, reason: n };
    pageSize = n;
  }
  return { ok: true, filter, page, pageSize };
}

/** The query string for a filter and page, omitting defaults: the inverse of parseListQuery. */
export function listQueryString(query: ListQuery): string {
  const params = new URLSearchParams();
  const f = query.filter;
  if (f.verdict) params.set('verdict', f.verdict);
  if (f.source) params.set('source', f.source);
  if (f.repository) params.set('repository', f.repository);
  if (f.author) params.set('author', f.author);
  if (f.text) params.set('q', f.text);
  if (query.page !== 1) params.set('page', String(query.page));
  if (query.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(query.pageSize));
  const s = params.toString();
  return s ? `?${s}` : '';
}
