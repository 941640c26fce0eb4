/**
 * `lockscope check --github OWNER/REPO` as a reviewer without a local clone runs it, against a
 * loopback GitHub API serving a real repository: the review, the calls it costs (and that a second
 * run costs none but two conditional requests), GITHUB_TOKEN and GITHUB_API_URL from the
 * environment, and a spent rate limit reported with when to retry.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHubApi, type FakeGitHubApi } from '../diff/fake-github-api.ts';
import { testRepo, type TestRepo } from './git-repo.ts';
import { cli, root } from './run-cli.ts';

let repo: TestRepo;
let api: FakeGitHubApi;
let cacheDir: string;
let head: string;
const patch = readFileSync(join(root, 'test/fixtures/review/fix-3lock.patch'), 'utf8');

beforeAll(async () => {
  repo = testRepo(join(root, 'test/fixtures/review/base'));
  head = repo.git(['rev-parse', 'HEAD']);
  api = await startFakeGitHubApi({ repoDir: repo.dir, owner: 'acme', repo: 'hub' });
  cacheDir = mkdtempSync(join(tmpdir(), 'lockscope-gh-cache-'));
});

afterAll(async () => {
  await api.close();
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

beforeEach(() => {
  api.calls.length = 0;
  api.remaining = Infinity;
});

const kinds = (): string[] => api.calls.map((c) => `${c.status} ${c.path.replace(/^\/repos\/acme\/hub/, '').replace(/\/[0-9a-f]{40}/, '/ID').replace(/\/git\//, '/')}`);

describe('check --github', () => {
  it('reviews against the default branch, one trees call per directory, then from the cache', async () => {
    const args = ['check', '--github', 'acme/hub', '--github-api', api.url, '--cache-dir', cacheDir, '--format', 'json', '-'];
    const first = await cli(args, { stdin: patch });
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const json = JSON.parse(first.out) as { verdict: string; base: unknown };
    expect(json.verdict).toBe('removes-inversion');
    expect(json.base).toEqual({ tree: `github ${new URL(api.url).host}/acme/hub@${head.slice(0, 12)}`, rev: 'main', chosenBy: 'default' });
    // Root, drivers/, drivers/hub/ listed once each; the three C files fetched once each.
    expect(kinds().sort()).toEqual(['200 ', '200 /blobs/ID', '200 /blobs/ID', '200 /blobs/ID', '200 /commits/main', '200 /trees/ID', '200 /trees/ID', '200 /trees/ID'].sort());

    api.calls.length = 0;
    const second = await cli(args, { stdin: patch });
    expect(second.out).toBe(first.out);
    expect(kinds()).toEqual(['304 ', '304 /commits/main']);
  });

  it('takes the token, the API URL and the cache home from the environment, and the trailer as the revision', async () => {
    const env = { GITHUB_TOKEN: 'ghp_example', GITHUB_API_URL: api.url, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'lockscope-xdg-')) };
    try {
      const r = await cli(['check', '--github', 'acme/hub', '--format', 'json', '-'], { stdin: patch.replace(/^-- $/m, `base-commit: ${head}\n-- `), env });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.out) as { base: unknown }).base).toEqual({ tree: `github ${new URL(api.url).host}/acme/hub@${head.slice(0, 12)}`, rev: head, chosenBy: 'trailer' });
      expect(new Set(api.calls.map((c) => c.headers.authorization))).toEqual(new Set(['token ghp_example']));
      // A full commit id needs no resolving: listings and blobs only.
      expect(kinds().filter((k) => !/\/(trees|blobs)\//.test(k))).toEqual([]);
      const rootListing = join(env.XDG_CACHE_HOME, 'lockscope/github/objects/trees', head.slice(0, 2), head.slice(2));
      expect(readFileSync(rootListing, 'utf8')).toMatch(/"name":"drivers"/);
    } finally {
      rmSync(env.XDG_CACHE_HOME, { recursive: true, force: true });
    }
  });

  it('says when to retry, not "internal error", when the limit runs out halfway through the review', async () => {
    api.remaining = 3; // the default branch, its head, the root listing; the third answer says 0 left
    api.reset = Math.floor(Date.now() / 1000) + 3600;
    const fresh = mkdtempSync(join(tmpdir(), 'lockscope-gh-cache-'));
    const r = await cli(['check', '--github', 'acme/hub', '--github-api', api.url, '--cache-dir', fresh, '-'], { stdin: patch });
    rmSync(fresh, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^lockscope check: GitHub API rate limit exhausted; retry after \S+Z \(in 6\d min\); or set GITHUB_TOKEN/);
    expect(api.calls).toHaveLength(3);
  });

  it('fails with when to retry when the rate limit is spent and the reset is far', async () => {
    api.remaining = 0;
    api.reset = Math.floor(Date.now() / 1000) + 3600;
    // A fresh cache: with everything cached, the conditional requests would still be answered.
    const fresh = mkdtempSync(join(tmpdir(), 'lockscope-gh-cache-'));
    const r = await cli(['check', '--github', 'acme/hub', '--github-api', api.url, '--cache-dir', fresh, '-'], { stdin: patch });
    rmSync(fresh, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^lockscope check: GitHub API rate limit exhausted \(60 of 60 requests this hour\); retry after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 6\d min\); or set GITHUB_TOKEN, which raises the limit from 60 to 5,000 requests an hour\n$/);
  });
});
