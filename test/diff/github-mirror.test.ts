/**
 * GitHubMirrorTree against a loopback GitHub API serving a real git repository built here: which
 * calls it makes (one trees call per directory, blobs once ever thanks to the disk cache, ETags
 * for what can change), what it reads (symlinks, submodules and huge files as absent), and how it
 * meets rate limits (waits for a near reset, fails clearly for a far one).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultGitHubCacheDir, gitHubMirror, GitHubRateLimitError, type GitHubMirrorConfig } from '../../src/diff/github-mirror/github-mirror.ts';
import type { GitHubMirrorTree } from '../../src/diff/github-mirror/github-mirror-tree.ts';
import { GIT_ENV } from '../commands/git-repo.ts';
import { startFakeGitHubApi, type FakeGitHubApi } from './fake-github-api.ts';

let work: string;
let repoDir: string;
let api: FakeGitHubApi;
let first: string;
let head: string;
const git = (...args: string[]): string => execFileSync('git', ['-C', repoDir, ...args], { encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lockscope-ghmirror-'));
  repoDir = join(work, 'repo');
  mkdirSync(join(repoDir, 'drivers/foo'), { recursive: true });
  mkdirSync(join(repoDir, 'drivers/bar'), { recursive: true });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repoDir, 'drivers/foo/a.c'), 'int a = 1;\n');
  writeFileSync(join(repoDir, 'drivers/foo/b.h'), 'int b;\n');
  writeFileSync(join(repoDir, 'drivers/bar/c.c'), 'int c;\n');
  writeFileSync(join(repoDir, 'README'), 'readme\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  first = git('rev-parse', 'HEAD');
  writeFileSync(join(repoDir, 'drivers/foo/a.c'), 'int a = 2;\n');
  // Absent to a reader: a symlink, a submodule (a gitlink entry) and a file over 4 MiB.
  symlinkSync('a.c', join(repoDir, 'drivers/foo/link.c'));
  writeFileSync(join(repoDir, 'drivers/foo/huge.c'), `/*${'x'.repeat(4 * 1024 * 1024)}*/\n`);
  git('add', '.');
  git('update-index', '--add', '--cacheinfo', `160000,${first},drivers/foo/sub`);
  git('commit', '-q', '-m', 'second');
  head = git('rev-parse', 'HEAD');
  git('tag', 'v1', first);
  api = await startFakeGitHubApi({ repoDir, owner: 'acme', repo: 'pool' });
});

afterAll(async () => {
  await api.close();
  rmSync(work, { recursive: true, force: true });
});

afterEach(() => {
  api.calls.length = 0;
  api.remaining = Infinity;
  api.truncateRecursive = false;
  api.tamper.clear();
});

let cacheCount = 0;
function mirror(extra: Partial<GitHubMirrorConfig> = {}, cacheDir = join(work, `cache-${++cacheCount}`)) {
  const m = gitHubMirror({ repository: 'acme/pool', apiUrl: api.url, cacheDir, ...extra });
  if (!m.ok) throw new Error(m.reason);
  return m.mirror;
}

async function open(m: ReturnType<typeof mirror>, rev: string | null): Promise<GitHubMirrorTree> {
  const opened = await m.open(rev);
  if (!opened.ok) throw new Error(opened.reason);
  return opened.tree;
}

const paths = (): string[] => api.calls.map((c) => `${c.status} ${c.path.replace(/[0-9a-f]{40}/g, (id) => (id === head ? 'HEAD' : id === first ? 'FIRST' : 'ID'))}`);

describe('GitHubMirrorTree', () => {
  it('opens the default branch and reads with one trees call per directory and one blobs call per file', async () => {
    const tree = await open(mirror(), null);
    expect(tree.commit).toBe(head);
    expect(tree.describe()).toBe(`github ${new URL(api.url).host}/acme/pool@${head.slice(0, 12)}`);
    expect(await tree.read('drivers/foo/a.c')).toBe('int a = 2;\n');
    expect(await tree.read('drivers/foo/b.h')).toBe('int b;\n');
    expect(await tree.list('drivers/foo')).toEqual(['drivers/foo/a.c', 'drivers/foo/b.h', 'drivers/foo/huge.c']);
    expect(await tree.list('drivers/bar')).toEqual(['drivers/bar/c.c']);
    expect(await tree.list('')).toEqual(['README']);
    expect(paths()).toEqual([
      '200 /repos/acme/pool',
      '200 /repos/acme/pool/commits/main',
      '200 /repos/acme/pool/git/trees/HEAD',
      '200 /repos/acme/pool/git/trees/ID', // drivers
      '200 /repos/acme/pool/git/trees/ID', // drivers/foo
      '200 /repos/acme/pool/git/blobs/ID', // a.c
      '200 /repos/acme/pool/git/blobs/ID', // b.h
      '200 /repos/acme/pool/git/trees/ID', // drivers/bar
    ]);
    expect(api.calls[1]?.headers.accept).toBe('application/vnd.github.sha');
  });

  it('reads symlinks, submodules, directories and files over 4 MiB as absent, without fetching them', async () => {
    const tree = await open(mirror(), 'main');
    expect(await tree.read('drivers/foo/link.c')).toBeUndefined();
    expect(await tree.read('drivers/foo/sub')).toBeUndefined();
    expect(await tree.read('drivers/foo')).toBeUndefined();
    expect(await tree.read('drivers/nowhere/x.c')).toBeUndefined();
    expect(await tree.read('drivers/foo/huge.c')).toBeUndefined();
    expect(tree.skipped).toEqual(['drivers/foo/huge.c']);
    // A patch changing one is told which limit kept it out, not "does not exist".
    expect(tree.refusal('drivers/foo/huge.c')?.reason).toMatch(/^drivers\/foo\/huge\.c is \d+ bytes in the base, over the 4 MiB/);
    expect(tree.refusal('drivers/foo/link.c')).toEqual({ code: 'UNSAFE_PATH', reason: 'drivers/foo/link.c is a symlink in the base; lockscope does not follow symlinks in a GitHub base tree' });
    expect(tree.refusal('drivers/nowhere/x.c')).toBeUndefined();
    expect(api.calls.filter((c) => c.path.includes('/git/blobs/'))).toEqual([]);

    await expect(tree.read('../etc/passwd')).rejects.toThrow(/'\.\.' segment/);
  });

  // The second patch of the day against the same tree: nothing is downloaded again.
  it('keeps blobs and listings on disk, and asks "changed since?" for the branch', async () => {
    const cacheDir = join(work, 'shared-cache');
    const one = await open(mirror({}, cacheDir), null);
    await one.read('drivers/foo/a.c');
    api.calls.length = 0;
    const two = await open(mirror({}, cacheDir), null);
    expect(await two.read('drivers/foo/a.c')).toBe('int a = 2;\n');
    expect(await two.list('drivers/foo')).toHaveLength(3);
    expect(paths()).toEqual(['304 /repos/acme/pool', '304 /repos/acme/pool/commits/main']);
    expect(api.calls[0]?.headers['if-none-match']).toBe('"repo-main"');
    expect(api.calls[1]?.headers['if-none-match']).toBe(`"${head}"`);

    // A cached blob that no longer matches its id is fetched again, not used.
    const blobs = join(cacheDir, 'objects', 'blobs');
    for (const d of readdirSync(blobs)) for (const f of readdirSync(join(blobs, d))) writeFileSync(join(blobs, d, f), 'int a = 666;\n');
    api.calls.length = 0;
    const three = await open(mirror({}, cacheDir), head);
    expect(await three.read('drivers/foo/a.c')).toBe('int a = 2;\n');
    expect(paths()).toEqual(['200 /repos/acme/pool/git/blobs/ID']);
  });

  it('opens a full commit id without resolving it, and a tag or short id through commits/{ref}', async () => {
    const m = mirror();
    const byId = await open(m, first);
    expect(await byId.read('drivers/foo/a.c')).toBe('int a = 1;\n');
    expect(paths()).toEqual(['200 /repos/acme/pool/git/trees/FIRST', '200 /repos/acme/pool/git/trees/ID', '200 /repos/acme/pool/git/trees/ID', '200 /repos/acme/pool/git/blobs/ID']);
    expect((await open(m, 'v1')).commit).toBe(first);
    expect((await open(m, first.slice(0, 10))).commit).toBe(first);
  });

  it('says which revision does not exist, as a value', async () => {
    const m = mirror();
    expect(await m.open('no-such-branch')).toEqual({ ok: false, code: 'GITHUB_UNKNOWN_REV', reason: `${new URL(api.url).host}/acme/pool has no commit, branch or tag "no-such-branch"` });
    expect(await m.open('f'.repeat(40))).toMatchObject({ ok: false, code: 'GITHUB_UNKNOWN_REV' });
    const other = gitHubMirror({ repository: 'acme/other', apiUrl: api.url, cacheDir: join(work, 'x') });
    expect(other.ok && (await other.mirror.open(null))).toMatchObject({ ok: false, code: 'GITHUB_FAILED', reason: expect.stringMatching(/not found on GitHub \(a private repository needs GITHUB_TOKEN\)/) });
  });

  it('lists the whole tree with one recursive call, or by directory when GitHub truncates it', async () => {
    const expected = ['README', 'drivers/bar/c.c', 'drivers/foo/a.c', 'drivers/foo/b.h', 'drivers/foo/huge.c'];
    const tree = await open(mirror(), head);
    expect(await tree.listAll()).toEqual(expected);
    expect(paths()).toEqual(['200 /repos/acme/pool/git/trees/HEAD', '200 /repos/acme/pool/git/trees/HEAD?recursive=1']);
    api.calls.length = 0;
    api.truncateRecursive = true;
    const walked = await open(mirror(), head);
    expect(await walked.listAll()).toEqual(expected);
    expect(paths().filter((p) => p.includes('/git/trees/'))).toHaveLength(5); // root, recursive, drivers, foo, bar
  });

  it('refuses a blob whose content does not match its id', async () => {
    const tree = await open(mirror(), head);
    const id = git('rev-parse', `${head}:drivers/foo/b.h`);
    api.tamper.add(id);
    await expect(tree.read('drivers/foo/b.h')).rejects.toThrow(`GitHub sent blob ${id} with content that does not match its id`);
    expect(tree.lastError).toBeInstanceOf(Error);
  });

  it('talks to GitHub Enterprise Server under /api/v3, with the token', async () => {
    const ghe = await startFakeGitHubApi({ repoDir, owner: 'acme', repo: 'pool', prefix: '/api/v3' });
    try {
      const m = gitHubMirror({ repository: 'acme/pool', apiUrl: `${ghe.url}/`, token: 's3cret', cacheDir: join(work, 'ghe') });
      if (!m.ok) throw new Error(m.reason);
      const tree = await open(m.mirror, null);
      expect(await tree.read('drivers/bar/c.c')).toBe('int c;\n');
      expect(ghe.calls.map((c) => c.headers.authorization)).toEqual(ghe.calls.map(() => 'token s3cret'));
      expect(ghe.calls.every((c) => c.status === 200)).toBe(true);
    } finally {
      await ghe.close();
    }
  });

  describe('rate limits', () => {
    const clock = (): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } => {
      let t = Date.now();
      const slept: number[] = [];
      return {
        now: () => t,
        slept,
        sleep: async (ms) => {
          slept.push(ms);
          t += ms;
          api.remaining = 60; // the reset came
        },
      };
    };

    it('waits for a reset a few seconds away before the next request, then carries on', async () => {
      const c = clock();
      api.reset = Math.floor(c.now() / 1000) + 5;
      api.remaining = 3; // default branch, commits/main, root tree: the third answer says 0 left
      const waits: string[] = [];
      const tree = await open(mirror({ now: c.now, sleep: c.sleep, onWait: (_ms, why) => waits.push(why) }), null);
      expect(await tree.read('drivers/foo/a.c')).toBe('int a = 2;\n');
      expect(c.slept).toHaveLength(1);
      expect(c.slept[0]).toBeGreaterThan(4_000);
      expect(c.slept[0]).toBeLessThanOrEqual(7_000);
      expect(waits).toEqual(['GitHub API rate limit exhausted']);
      // No request was sent only to be refused.
      expect(paths().map((p) => p.split(' ')[0])).toEqual(['200', '200', '200', '200', '200', '200']);
    });

    it('retries a secondary-limit 403 after its retry-after', async () => {
      const c = clock();
      const tree = await open(mirror({ now: c.now, sleep: c.sleep }), head);
      api.calls.length = 0;
      api.secondary = 3;
      expect(await tree.list('drivers/bar')).toEqual(['drivers/bar/c.c']);
      expect(c.slept).toEqual([3_000]);
      expect(paths()).toEqual(['403 /repos/acme/pool/git/trees/ID', '200 /repos/acme/pool/git/trees/ID', '200 /repos/acme/pool/git/trees/ID']);
    });

    it('fails with when to retry when the reset is far, suggesting a token when there is none', async () => {
      const c = clock();
      api.reset = Math.floor(c.now() / 1000) + 47 * 60;
      api.remaining = 0;
      const opened = await mirror({ now: c.now, sleep: c.sleep }).open(null);
      expect(opened.ok).toBe(false);
      if (opened.ok) return;
      expect(opened.code).toBe('GITHUB_RATE_LIMIT');
      const when = new Date((api.reset + 1) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      expect(opened.reason).toBe(
        `GitHub API rate limit exhausted (60 of 60 requests this hour); retry after ${when} (in 48 min); or set GITHUB_TOKEN, which raises the limit from 60 to 5,000 requests an hour`,
      );
      expect(c.slept).toEqual([]);
      expect(api.calls).toHaveLength(1);
    });

    it('does not send a request it knows will be refused, and fails a read mid-review with the same error', async () => {
      const c = clock();
      api.reset = Math.floor(c.now() / 1000) + 3600;
      api.remaining = 4; // the last one the root listing... then drivers/ and drivers/foo
      const tree = await open(mirror({ now: c.now, sleep: c.sleep, token: 't' }), null);
      await tree.list('drivers');
      api.calls.length = 0;
      await expect(tree.read('drivers/foo/a.c')).rejects.toBeInstanceOf(GitHubRateLimitError);
      expect(api.calls).toEqual([]);
      expect(String(tree.lastError)).not.toMatch(/GITHUB_TOKEN/);
    });
  });
});

describe('gitHubMirror configuration', () => {
  it('refuses what is not OWNER/REPO or an http(s) API URL', () => {
    expect(gitHubMirror({ repository: 'torvalds', cacheDir: '/tmp/x' })).toMatchObject({ ok: false, reason: expect.stringMatching(/expected OWNER\/REPO/) });
    expect(gitHubMirror({ repository: 'a/b/c', cacheDir: '/tmp/x' }).ok).toBe(false);
    expect(gitHubMirror({ repository: 'a/..', cacheDir: '/tmp/x' }).ok).toBe(false);
    expect(gitHubMirror({ repository: 'torvalds/linux', apiUrl: 'ftp://x', cacheDir: '/tmp/x' })).toMatchObject({ ok: false, reason: expect.stringMatching(/must be http/) });
    expect(gitHubMirror({ repository: 'torvalds/linux', cacheDir: '/tmp/x' }).ok).toBe(true);
  });

  it('caches under the user cache directory by default', () => {
    expect(defaultGitHubCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/u', 'linux')).toBe('/xdg/lockscope/github');
    expect(defaultGitHubCacheDir({}, '/home/u', 'linux')).toBe('/home/u/.cache/lockscope/github');
    expect(defaultGitHubCacheDir({}, '/Users/u', 'darwin')).toBe('/Users/u/Library/Caches/lockscope/github');
  });
});
