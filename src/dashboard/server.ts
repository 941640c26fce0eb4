/**
 * The maintainer dashboard as one HTTP handler, composable with the GitHub webhook handler in
 * src/server.ts. Routes:
 *
 *   GET /                     reviews newest first, counts, filters, pages (HTML)
 *   GET /reviews/:id          one review with chains, graphs and history (HTML)
 *   GET /api/reviews          the same list as JSON (without each review's full body)
 *   GET /api/reviews/:id      one stored review with its history ids (JSON)
 *   GET /static/dashboard.css the stylesheet
 *
 * Read-only: other methods on these paths get 405. Unknown ids 404, bad query strings 400.
 * Every page carries a CSP forbidding scripts and remote content: all shown text comes from
 * patches and is escaped (views/html.ts). Paths that are not the dashboard's resolve false.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { lockdepCheckLine } from '../render/lockdep-check-line.ts';
import { oneLine } from '../render/one-line.ts';
import { renderers } from '../render/index.ts';
import type { Review } from '../review-types.ts';
import { SECURITY_HEADERS } from '../security-headers.ts';
import type { ReviewStore, StoredReview } from '../store/types.ts';
import { codeLineUrl } from './code-links.ts';
import { graphDots, type GraphSide } from './graph-dot.ts';
import { createGraphSvgRenderer, type GraphSvg, type GraphSvgRenderer } from './graph-svg.ts';
import { parseListQuery } from './list-query.ts';
import { listPage } from './views/list-page.ts';
import { messagePage } from './views/message-page.ts';
import { reviewPage } from './views/review-page.ts';
import { DASHBOARD_CSS } from './views/stylesheet.ts';

export interface DashboardDeps {
  store: ReviewStore;
  /** "https://lockscope.example.org": makes the `url` fields of the JSON API absolute. */
  publicUrl?: string;
  /** Defaults to Graphviz wasm; tests may pass a failing one. */
  graphSvg?: GraphSvgRenderer;
  /**
   * A code browser URL with `{rev}`, `{path}` and `{line}` (LOCKSCOPE_CODE_URL), for reviews
   * with no GitHub commit URL (mail, CLI): `https://git.example.org/linux/tree/{path}?id={rev}#n{line}`.
   */
  codeUrl?: string;
}


function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const sendHtml = (req: IncomingMessage, res: ServerResponse, status: number, body: string, extra?: Record<string, string>): void =>
  send(req, res, status, 'text/html; charset=utf-8', body, extra);
const sendJson = (req: IncomingMessage, res: ServerResponse, status: number, value: unknown, extra?: Record<string, string>): void =>
  send(req, res, status, 'application/json; charset=utf-8', `${JSON.stringify(value, null, 2)}\n`, extra);

/** "/reviews/42" -> 42; anything else (0, "042x", 2^60) -> undefined. */
function reviewId(raw: string): number | undefined {
  if (!/^[1-9][0-9]{0,14}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}

type Route =
  | { kind: 'list' }
  | { kind: 'review'; id: string }
  | { kind: 'api-list' }
  | { kind: 'api-review'; id: string }
  | { kind: 'css' };

function route(path: string): Route | undefined {
  if (path === '/') return { kind: 'list' };
  if (path === '/static/dashboard.css') return { kind: 'css' };
  if (path === '/api/reviews' || path === '/api/reviews/') return { kind: 'api-list' };
  let m = /^\/reviews\/([^/]+)\/?$/.exec(path);
  if (m) return { kind: 'review', id: m[1] as string };
  m = /^\/api\/reviews\/([^/]+)\/?$/.exec(path);
  if (m) return { kind: 'api-review', id: m[1] as string };
  return undefined;
}

/** The first line of the text renderer's output: the verdict sentence every medium shares. */
function verdictLine(review: Review): string | null {
  const text = renderers.get('text');
  if (!text) return null;
  return text(review).split('\n', 1)[0] ?? null;
}

/** Creates the dashboard handler; resolves false for paths that are not the dashboard's. */
export function createDashboardHandler(deps: DashboardDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const store = deps.store;
  const graphSvg = deps.graphSvg ?? createGraphSvgRenderer();
  const publicUrl = deps.publicUrl?.replace(/\/+$/, '') ?? '';
  const urlOf = (id: number): string => `${publicUrl}/reviews/${id}`;

  async function drawGraphs(review: Review): Promise<{ before: GraphSvg; after: GraphSvg }> {
    // The patch's own edges; a review stored before edges were reported highlights its inversions' edges.
    const edges = review.json.edges;
    const highlight = edges
      ? { added: edges.added, removed: edges.removed }
      : { added: review.json.inversions.added.flatMap((i) => i.edges), removed: review.json.inversions.removed.flatMap((i) => i.edges) };
    const dots = graphDots(review.graph, highlight);
    const draw = async (side: GraphSide): Promise<GraphSvg> => {
      const dot = dots[side];
      return dot.ok ? graphSvg(dot.dot) : dot;
    };
    return { before: await draw('before'), after: await draw('after') };
  }

  function summary(r: StoredReview): Omit<StoredReview, 'review'> & { url: string } {
    const { review: _review, ...rest } = r;
    return { ...rest, url: urlOf(r.id) };
  }

  return async (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    } catch {
      return false;
    }
    const target = route(url.pathname);
    if (!target) return false;
    const isApi = target.kind === 'api-list' || target.kind === 'api-review';

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const allow = { Allow: 'GET, HEAD' };
      if (isApi) sendJson(req, res, 405, { error: 'the dashboard is read-only' }, allow);
      else sendHtml(req, res, 405, messagePage('Method not allowed', 'The dashboard is read-only.'), allow);
      return true;
    }

    switch (target.kind) {
      case 'css':
        send(req, res, 200, 'text/css; charset=utf-8', DASHBOARD_CSS, { 'Cache-Control': 'public, max-age=3600' });
        return true;

      case 'list':
      case 'api-list': {
        const query = parseListQuery(url.searchParams);
        if (!query.ok) {
          if (isApi) sendJson(req, res, 400, { error: query.reason });
          else sendHtml(req, res, 400, messagePage('Bad request', query.reason));
          return true;
        }
        const page = store.list(query.filter, query.page, query.pageSize);
        if (isApi) sendJson(req, res, 200, { ...page, items: page.items.map(summary) });
        else sendHtml(req, res, 200, listPage(page, query));
        return true;
      }

      case 'review':
      case 'api-review': {
        const id = reviewId(target.id);
        const stored = id === undefined ? undefined : store.get(id);
        if (!stored) {
          const message = `No review with id ${target.id}.`;
          if (isApi) sendJson(req, res, 404, { error: message });
          else sendHtml(req, res, 404, messagePage('Review not found', message));
          return true;
        }
        const history = store.history(stored.source, stored.repository, stored.subjectKey);
        if (isApi) {
          sendJson(req, res, 200, { ...stored, url: urlOf(stored.id), history: history.map((h) => ({ id: h.id, url: urlOf(h.id), verdict: h.verdict, status: h.status, createdAt: h.createdAt })) });
          return true;
        }
        const base = { stored, history, lineUrl: codeLineUrl(stored, deps.codeUrl), verdictLine: null, lockdepLine: null, graphs: null };
        let page: string;
        try {
          const review = stored.review;
          page = reviewPage({
            ...base,
            verdictLine: review ? verdictLine(review) : null,
            lockdepLine: review?.json.lockdep ? lockdepCheckLine(review.json.lockdep, { text: (s) => oneLine(s) }) : null,
            graphs: review?.graph ? await drawGraphs(review) : null,
          });
        } catch {
          // A row written by an older or broken version: show what the row itself says, not a 500.
          page = reviewPage({ ...base, stored: { ...stored, review: null }, unreadable: true });
        }
        sendHtml(req, res, 200, page);
        return true;
      }
    }
  };
}
