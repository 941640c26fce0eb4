/**
 * A GitHub REST API on loopback that serves one real git repository built by the test: the
 * repository's default branch, `commits/{ref}` with the sha media type, `git/trees` (plain and
 * recursive, with sizes) and `git/blobs`, all answered from `git` itself, so ids and listings are
 * exactly what GitHub would send. It honours If-None-Match with 304s, sends rate-limit headers
 * and answers 403 once the test's budget of requests is spent, and records every request so tests
 * can assert which calls were made. `prefix: '/api/v3'` makes it a GitHub Enterprise Server.
 * It models only what GitHubMirrorTree calls.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  method: string;
  /** Path without the prefix, with the query: "/repos/acme/pool/git/trees/<sha>?recursive=1". */
  path: string;
  headers: IncomingMessage['headers'];
  status: number;
}

export interface FakeGitHubApi {
  /** The API root to give Octokit: http://127.0.0.1:PORT[/api/v3]. */
  url: string;
  calls: FakeCall[];
  /** Requests left before 403s; Infinity by default. 304 answers cost nothing, as on GitHub. */
  remaining: number;
  /** x-ratelimit-reset, epoch seconds. */
  reset: number;
  /** When set, recursive tree listings say `truncated: true` and list only the top level. */
  truncateRecursive: boolean;
  /** Blob ids whose content is served wrong (a tampering proxy, a broken mirror). */
  tamper: Set<string>;
  /** When set, the next request gets a secondary-rate-limit 403 with this retry-after (seconds). */
  secondary: number | null;
  close(): Promise<void>;
}

export async function startFakeGitHubApi(options: { repoDir: string; owner: string; repo: string; prefix?: string }): Promise<FakeGitHubApi> {
  const prefix = options.prefix ?? '';
  const git = (...args: string[]): Buffer => execFileSync('git', ['-C', options.repoDir, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  const repoPath = `/repos/${options.owner}/${options.repo}`;

  const api: FakeGitHubApi = {
    url: '',
    calls: [],
    remaining: Infinity,
    reset: Math.floor(Date.now() / 1000) + 3600,
    truncateRecursive: false,
    tamper: new Set(),
    secondary: null,
    close: () => new Promise((done) => server.close(() => done())),
  };

  const send = (res: ServerResponse, call: FakeCall, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    call.status = status;
    const limit = {
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': String(Number.isFinite(api.remaining) ? api.remaining : 4999),
      'x-ratelimit-used': String(Number.isFinite(api.remaining) ? 60 - api.remaining : 1),
      'x-ratelimit-reset': String(api.reset),
    };
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'application/vnd.github.sha' : 'application/json; charset=utf-8', ...limit, ...headers });
    res.end(status === 304 ? undefined : text);
  };

  const treeEntries = (id: string, recursive: boolean): unknown[] => {
    const out = git('ls-tree', '-z', '-l', ...(recursive ? ['-r', '-t'] : []), id).toString('utf8');
    return out
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
        return { path: line.slice(tab + 1), mode, type, sha, ...(type === 'blob' ? { size: Number(size) } : {}) };
      });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const full = req.url ?? '';
    const call: FakeCall = { method: req.method ?? '', path: full.startsWith(prefix) ? full.slice(prefix.length) : full, headers: req.headers, status: 0 };
    api.calls.push(call);
    const url = new URL(call.path, 'http://fake');
    if (!full.startsWith(prefix) || req.method !== 'GET' || !url.pathname.startsWith(repoPath)) return send(res, call, 404, { message: 'Not Found' });
    const rest = url.pathname.slice(repoPath.length);

    const etagged = (etag: string, body: unknown): void => {
      if (req.headers['if-none-match'] === etag) return send(res, call, 304, '', { etag });
      spend(() => send(res, call, 200, body, { etag }));
    };
    const spend = (answer: () => void): void => {
      if (api.secondary !== null) {
        const retryAfter = String(api.secondary);
        api.secondary = null;
        return send(res, call, 403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': retryAfter });
      }
      if (api.remaining <= 0) return send(res, call, 403, { message: 'API rate limit exceeded for 127.0.0.1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' });
      api.remaining -= 1;
      answer();
    };

    try {
      if (rest === '') {
        const branch = git('symbolic-ref', '--short', 'HEAD').toString().trim();
        return etagged(`"repo-${branch}"`, { full_name: `${options.owner}/${options.repo}`, default_branch: branch });
      }
      let m = /^\/commits\/(.+)$/.exec(rest);
      if (m) {
        let sha: string;
        try {
          sha = git('rev-parse', '--verify', '--quiet', `${decodeURIComponent(m[1] as string)}^{commit}`).toString().trim();
        } catch {
          return spend(() => send(res, call, 422, { message: `No commit found for SHA: ${m?.[1]}` }));
        }
        return etagged(`"${sha}"`, sha);
      }
      m = /^\/git\/trees\/([0-9a-f]{40})$/.exec(rest);
      if (m) {
        const id = m[1] as string;
        let tree: string;
        try {
          tree = git('rev-parse', '--verify', '--quiet', `${id}^{tree}`).toString().trim();
        } catch {
          return spend(() => send(res, call, 404, { message: 'Not Found' }));
        }
        const recursive = url.searchParams.get('recursive') !== null;
        const truncated = recursive && api.truncateRecursive;
        return spend(() => send(res, call, 200, { sha: tree, tree: treeEntries(id, recursive && !truncated), truncated }));
      }
      m = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest);
      if (m) {
        const id = m[1] as string;
        const bytes = api.tamper.has(id) ? Buffer.from('/* not the file */\n') : git('cat-file', 'blob', id);
        return spend(() => send(res, call, 200, { sha: id, size: bytes.length, encoding: 'base64', content: bytes.toString('base64').replace(/(.{60})/g, '$1\n') }));
      }
    } catch {
      return send(res, call, 500, { message: 'fake failure' });
    }
    return send(res, call, 404, { message: 'Not Found' });
  };

  const server = createServer(handle);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  return api;
}
