import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/diff/dir-tree.ts';
import { GitTree } from '../../src/diff/git-tree.ts';

let repo: string;
const git = (...args: string[]): string =>
  execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org', GIT_CONFIG_GLOBAL: '/dev/null' },
  }).trim();

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'lockscope-gittree-'));
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'drivers/demo'), { recursive: true });
  writeFileSync(join(repo, 'drivers/demo/a.c'), 'int a = 1;\n');
  writeFileSync(join(repo, 'README'), 'readme\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  writeFileSync(join(repo, 'drivers/demo/a.c'), 'int a = 2;\n');
  writeFileSync(join(repo, 'drivers/demo/b.c'), `${'x'.repeat(300_000)}\n`);
  writeFileSync(join(repo, 'drivers/demo/table.c'), Buffer.alloc(MAX_FILE_BYTES + 10, 0x20));
  git('add', '.');
  git('commit', '-q', '-m', 'second');
  // The working tree differs from HEAD: GitTree must read the commit, not the checkout.
  writeFileSync(join(repo, 'drivers/demo/a.c'), 'int a = 3; /* uncommitted */\n');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('GitTree', () => {
  // A patch to a generated table in a git base: the reason is the size limit, named.
  it('says a blob over 4 MiB was refused for its size', async () => {
    const head = await GitTree.open(repo, 'HEAD');
    try {
      expect(await head.read('drivers/demo/table.c')).toBeUndefined();
      expect(head.skipped).toEqual(['drivers/demo/table.c']);
      expect(head.refusal('drivers/demo/table.c')).toMatchObject({ code: 'TOO_LARGE', reason: expect.stringContaining(`${MAX_FILE_BYTES + 10} bytes in the base, over the 4 MiB`) });
      expect(head.refusal('drivers/demo/a.c')).toBeUndefined();
    } finally {
      head.close();
    }
  });

  it('reads files at HEAD and at HEAD~ without a checkout', async () => {
    const head = await GitTree.open(repo, 'HEAD');
    const prev = await GitTree.open(repo, 'HEAD~');
    try {
      expect(head.commit).toBe(git('rev-parse', 'HEAD'));
      expect(await head.read('drivers/demo/a.c')).toBe('int a = 2;\n');
      expect(await prev.read('drivers/demo/a.c')).toBe('int a = 1;\n');
      expect(await prev.read('drivers/demo/b.c')).toBeUndefined();
      // Several reads in flight share the one cat-file process; a large blob arrives in many chunks.
      const [a, b, missing, dir] = await Promise.all([head.read('drivers/demo/a.c'), head.read('drivers/demo/b.c'), head.read('nope.c'), head.read('drivers')]);
      expect([a, b?.length, missing, dir]).toEqual(['int a = 2;\n', 300_001, undefined, undefined]);
      expect(head.describe()).toBe(`git ${head.commit.slice(0, 12)}`);
    } finally {
      head.close();
      prev.close();
    }
  });

  it('lists a directory and the whole tree at the revision', async () => {
    const prev = await GitTree.open(repo, 'HEAD~');
    const head = await GitTree.open(repo, 'main');
    expect(await prev.list('drivers/demo')).toEqual(['drivers/demo/a.c']);
    expect(await head.list('drivers/demo')).toEqual(['drivers/demo/a.c', 'drivers/demo/b.c', 'drivers/demo/table.c']);
    expect(await head.list('')).toEqual(['README']);
    expect(await head.listAll()).toEqual(['README', 'drivers/demo/a.c', 'drivers/demo/b.c', 'drivers/demo/table.c']);
    // Once every blob id is known, directories are listed from it: the same answers, no subtree's files.
    expect(await head.list('drivers/demo')).toEqual(['drivers/demo/a.c', 'drivers/demo/b.c', 'drivers/demo/table.c']);
    expect(await head.list('drivers')).toEqual([]);
    expect(await head.list('')).toEqual(['README']);
    expect(await head.list('nowhere')).toEqual([]);
    await expect(head.list('../etc')).rejects.toThrow();
  });

  // A patch's base-commit: names a commit this clone never fetched.
  it('returns a clear error value for an unknown revision, a bad one, and a non-repository', async () => {
    const unknown = await GitTree.tryOpen(repo, '0123456789abcdef0123456789abcdef01234567');
    expect(unknown).toMatchObject({ ok: false, code: 'GIT_UNKNOWN_REV' });
    if (!unknown.ok) expect(unknown.reason).toContain('has no commit "0123456789abcdef0123456789abcdef01234567"');
    expect(await GitTree.tryOpen(repo, '--output=/tmp/x')).toMatchObject({ ok: false, code: 'GIT_UNKNOWN_REV' });
    const notRepo = mkdtempSync(join(tmpdir(), 'lockscope-notrepo-'));
    try {
      expect(await GitTree.tryOpen(notRepo, 'HEAD')).toMatchObject({ ok: false, code: 'GIT_FAILED' });
    } finally {
      rmSync(notRepo, { recursive: true, force: true });
    }
    await expect(GitTree.open(repo, 'no-such-branch')).rejects.toMatchObject({ code: 'GIT_UNKNOWN_REV' });
  });

  it('refuses unsafe paths', async () => {
    const head = await GitTree.open(repo, 'HEAD');
    await expect(head.read('../outside')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    head.close();
  });
});
