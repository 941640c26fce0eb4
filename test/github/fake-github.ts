/**
 * A small stateful GitHub REST API for the app tests: one repository at one merge base (served
 * from test/fixtures/github/base through contents, blob and tree endpoints), one pull request
 * whose files and diff come from a fixture diff, and the comments and check runs the app writes.
 * Tests reach it through nock (`useNock`) or a loopback HTTP server (`handle`), so the app talks
 * real HTTP through Probot's Octokit either way. It models only what the app calls.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import nock from 'nock';

export interface FakeResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string;
  output: { title: string | null; summary: string | null; text: string | null; annotations_count: number };
  annotations: { path: string; start_line: number; message: string; annotation_level: string }[];
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  times: number;
  headers: Record<string, string>;
}

export const OWNER = 'acme';
export const REPO = 'pool';
export const MERGE_BASE = 'b'.repeat(40);
export const BOT = { login: 'lockscope[bot]', type: 'Bot' };

/** git's blob id: sha1 of "blob <len>\0<content>". */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Every file under `dir`, as repository-relative path -> text. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full).split('\\').join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

export class FakeGitHub {
  /** Base URL the Link headers point at: nock's host, or the loopback server's /api/v3. */
  origin = 'https://api.github.com';
  files: Map<string, string>;
  config: string | null = null;
  pr = { number: 7, title: 'pool: report allocation counts', headSha: 'a'.repeat(40), baseSha: 'c'.repeat(40), diff: '', draft: false };
  /** Set to drop `patch` from the files API entries (GitHub does this for huge files). */
  omitPatches = false;
  comments: FakeComment[] = [];
  checkRuns: FakeCheckRun[] = [];
  /** Every PATCH of a check run, in order: what the annotation batching test counts. */
  checkRunUpdates: { id: number; body: Record<string, unknown> }[] = [];
  /** "GET /repos/acme/pool/pulls/7/files" for each request, in order. */
  requests: string[] = [];
  #failures: Failure[] = [];
  #nextId = 1000;

  constructor(files: Map<string, string>) {
    this.files = files;
  }

  /** The next `times` requests matching `method` and `path` answer `status`. */
  fail(method: string, path: RegExp, status: number, times = 1, headers: Record<string, string> = {}): void {
    this.#failures.push({ method, path, status, times, headers });
  }

  /** The pull request object as the REST API and webhooks show it. */
  pullRequestJson(): Record<string, unknown> {
    const repo = this.repositoryJson();
    return {
      number: this.pr.number,
      title: this.pr.title,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${this.pr.number}`,
      state: 'open',
      draft: this.pr.draft,
      user: { login: 'dev', type: 'User' },
      head: { sha: this.pr.headSha, ref: 'report', repo },
      base: { sha: this.pr.baseSha, ref: 'main', repo },
    };
  }

  repositoryJson(): Record<string, unknown> {
    return { id: 42, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER, type: 'Organization' }, private: false };
  }

  /** Answers one API request; `path` is relative to the API root and includes the query. */
  handle(method: string, path: string, body: unknown, accept = 'application/json'): FakeResponse {
    const url = new URL(path, 'http://api.invalid');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const route = `/${segments.join('/')}`;
    this.requests.push(`${method} ${route}`);
    const failure = this.#failures.find((f) => f.times > 0 && f.method === method && f.path.test(route));
    if (failure) {
      failure.times--;
      return json(failure.status, { message: `injected ${failure.status}` }, failure.headers);
    }
    const q = url.searchParams;
    const b = (body ?? {}) as Record<string, unknown>;
    const [, s1, s2, s3, s4, ...rest] = segments;

    if (method === 'POST' && s1 === 'installations' && s3 === 'access_tokens') {
      return json(201, { token: 'ghs_fake', expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: 'all' });
    }
    if (segments[0] !== 'repos') return json(404, { message: `no route ${route}` });
    if (s2 === '.github') return json(404, { message: 'Not Found' }); // no org-wide config repo
    if (s1 !== OWNER || s2 !== REPO) return json(404, { message: 'Not Found' });

    if (method === 'GET' && s3 === 'contents') {
      const p = [s4, ...rest].filter((x) => x !== undefined).join('/');
      if (p === '.github/lockscope.yml') {
        return this.config === null ? json(404, { message: 'Not Found' }) : { status: 200, body: this.config, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' } };
      }
      if (q.get('ref') !== MERGE_BASE) return json(404, { message: 'No commit found for the ref' });
      return this.#listing(p);
    }
    if (method === 'GET' && s3 === 'git' && s4 === 'blobs') {
      const text = [...this.files.values()].find((t) => blobSha(t) === rest[0]);
      return text === undefined ? json(404, { message: 'Not Found' }) : json(200, { sha: rest[0], size: text.length, encoding: 'base64', content: Buffer.from(text).toString('base64') });
    }
    if (method === 'GET' && s3 === 'git' && s4 === 'trees') {
      if (rest[0] !== MERGE_BASE) return json(404, { message: 'Not Found' });
      return json(200, { sha: MERGE_BASE, truncated: false, tree: [...this.files].map(([p, t]) => ({ path: p, mode: '100644', type: 'blob', sha: blobSha(t) })) });
    }
    if (method === 'GET' && s3 === 'compare') {
      return json(200, { merge_base_commit: { sha: MERGE_BASE }, files: [] });
    }
    if (s3 === 'pulls' && Number(s4) === this.pr.number) {
      if (method === 'GET' && rest[0] === 'files') return this.#page(pullFiles(this.pr.diff, this.omitPatches), q, route);
      if (method === 'GET' && rest.length === 0) {
        if (accept.includes('diff')) return { status: 200, body: this.pr.diff, headers: { 'content-type': 'text/plain; charset=utf-8' } };
        return json(200, this.pullRequestJson());
      }
    }
    if (s3 === 'issues' && Number(s4) === this.pr.number && rest[0] === 'comments') {
      if (method === 'GET') return this.#page(this.comments, q, route);
      if (method === 'POST') {
        const c = { id: this.#nextId++, body: String(b.body), user: BOT };
        this.comments.push(c);
        return json(201, c);
      }
    }
    if (method === 'PATCH' && s3 === 'issues' && s4 === 'comments') {
      const c = this.comments.find((x) => x.id === Number(rest[0]));
      if (!c) return json(404, { message: 'Not Found' });
      c.body = String(b.body);
      return json(200, c);
    }
    if (method === 'GET' && s3 === 'commits' && rest[0] === 'check-runs') {
      const runs = this.checkRuns.filter((r) => r.head_sha === s4 && (!q.get('check_name') || r.name === q.get('check_name')));
      return json(200, { total_count: runs.length, check_runs: runs.slice().reverse().map(publicRun) });
    }
    if (method === 'POST' && s3 === 'check-runs') {
      const run: FakeCheckRun = {
        id: this.#nextId++,
        name: String(b.name),
        head_sha: String(b.head_sha),
        status: String(b.status ?? 'queued'),
        conclusion: null,
        external_id: String(b.external_id ?? ''),
        output: { title: null, summary: null, text: null, annotations_count: 0 },
        annotations: [],
      };
      this.#applyOutput(run, b);
      this.checkRuns.push(run);
      return json(201, publicRun(run));
    }
    if (method === 'PATCH' && s3 === 'check-runs') {
      const run = this.checkRuns.find((r) => r.id === Number(s4));
      if (!run) return json(404, { message: 'Not Found' });
      const annotations = ((b.output as { annotations?: unknown[] } | undefined)?.annotations ?? []).length;
      if (annotations > 50) return json(422, { message: 'Only 50 annotations are allowed per request' });
      this.checkRunUpdates.push({ id: run.id, body: b });
      if (b.status) run.status = String(b.status);
      if (b.conclusion) {
        run.conclusion = String(b.conclusion);
        run.status = 'completed';
      }
      this.#applyOutput(run, b);
      return json(200, publicRun(run));
    }
    return json(404, { message: `no route ${method} ${route}` });
  }

  /** Routes api.github.com through this fake until nock.cleanAll(). */
  useNock(): void {
    const scope = nock('https://api.github.com').persist();
    for (const method of ['GET', 'POST', 'PATCH']) {
      const handle = this.handle.bind(this);
      scope.intercept(/.*/, method).reply(function (uri, body) {
        const accept = String(this.req.headers.accept ?? '');
        const r = handle(method, uri, typeof body === 'string' && body !== '' ? JSON.parse(body) : body, accept);
        return [r.status, typeof r.body === 'string' ? r.body : JSON.stringify(r.body), { 'content-type': 'application/json; charset=utf-8', ...r.headers }];
      });
    }
  }

  #applyOutput(run: FakeCheckRun, b: Record<string, unknown>): void {
    const out = b.output as { title?: string; summary?: string; text?: string; annotations?: FakeCheckRun['annotations'] } | undefined;
    if (!out) return;
    if (out.title !== undefined) run.output.title = out.title;
    if (out.summary !== undefined) run.output.summary = out.summary;
    if (out.text !== undefined) run.output.text = out.text;
    // GitHub appends annotations on every request.
    run.annotations.push(...(out.annotations ?? []));
    run.output.annotations_count = run.annotations.length;
  }

  #listing(dir: string): FakeResponse {
    const prefix = dir === '' ? '' : `${dir}/`;
    if (this.files.has(dir)) {
      const text = this.files.get(dir) as string;
      return json(200, { type: 'file', path: dir, sha: blobSha(text), content: Buffer.from(text).toString('base64'), encoding: 'base64' });
    }
    const entries = new Map<string, { type: string; name: string; path: string; sha: string }>();
    for (const [p, text] of this.files) {
      if (!p.startsWith(prefix)) continue;
      const [name, ...below] = p.slice(prefix.length).split('/') as [string, ...string[]];
      const path = `${prefix}${name}`;
      entries.set(path, below.length > 0 ? { type: 'dir', name, path, sha: '0'.repeat(40) } : { type: 'file', name, path, sha: blobSha(text) });
    }
    return entries.size === 0 ? json(404, { message: 'Not Found' }) : json(200, [...entries.values()]);
  }

  #page(items: unknown[], q: URLSearchParams, route: string): FakeResponse {
    const perPage = Number(q.get('per_page') ?? 30);
    const page = Number(q.get('page') ?? 1);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) headers.link = `<${this.origin}${route}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    return json(200, items.slice((page - 1) * perPage, page * perPage), headers);
  }
}

/** The files API entries of a git diff: filename, status and the hunks as `patch`. */
export function pullFiles(diff: string, omitPatches = false): Record<string, unknown>[] {
  return diff
    .split(/^(?=diff --git )/m)
    .filter((s) => s.startsWith('diff --git '))
    .map((section) => {
      const oldPath = /^--- (?:a\/(.+)|\/dev\/null)$/m.exec(section)?.[1];
      const newPath = /^\+\+\+ (?:b\/(.+)|\/dev\/null)$/m.exec(section)?.[1];
      const at = section.search(/^@@/m);
      const patch = at < 0 ? undefined : section.slice(at).replace(/\n$/, '');
      const lines = patch?.split('\n') ?? [];
      const additions = lines.filter((l) => l.startsWith('+')).length;
      const deletions = lines.filter((l) => l.startsWith('-')).length;
      const status = oldPath === undefined ? 'added' : newPath === undefined ? 'removed' : 'modified';
      return {
        filename: newPath ?? oldPath,
        status,
        additions,
        deletions,
        changes: additions + deletions,
        ...(patch !== undefined && !omitPatches ? { patch } : {}),
      };
    });
}

function publicRun(run: FakeCheckRun): Record<string, unknown> {
  return { id: run.id, name: run.name, head_sha: run.head_sha, status: run.status, conclusion: run.conclusion, external_id: run.external_id, output: run.output, pull_requests: [] };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, body, headers };
}
