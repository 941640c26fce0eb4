/**
 * `lockscope check --context tree` on a git repository written by the test: the calls around the
 * patch, closed through the whole tree's lock-order graph. The graph is built per directory the
 * first time (cold), kept in the cache by git tree id, and read back after (warm): a warm review
 * gives exactly the findings of a cold one, for a patch closing a cycle with a far directory,
 * one changing a function another directory calls, and one changing nothing. A new commit
 * re-analyses only the directories whose files changed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitTree } from '../../src/diff/git-tree.ts';
import { review } from '../../src/review.ts';
import type { ReviewJson } from '../../src/review-types.ts';
import { DiskGraphStore } from '../../src/store/graph-store.ts';
import { testRepoOf, type TestRepo } from './git-repo.ts';
import { cli } from './run-cli.ts';

const FILES: Record<string, string> = {
  'include/locks.h': 'extern struct mutex core_lock;\nextern struct mutex fs_lock;\nextern struct mutex net_lock;\nvoid core_get(void);\nvoid core_put(void);\n',
  'core/core.c': `#include "../include/locks.h"

DEFINE_MUTEX(core_lock);

void core_get(void)
{
	mutex_lock(&core_lock);
}

void core_put(void)
{
	mutex_unlock(&core_lock);
}
`,
  'fs/fs.c': `#include "../include/locks.h"

DEFINE_MUTEX(fs_lock);

void fs_op(void)
{
	mutex_lock(&fs_lock);
	core_get();
	core_put();
	mutex_unlock(&fs_lock);
}

void fs_sync(int n)
{
	mutex_lock(&fs_lock);
	n++;
	mutex_unlock(&fs_lock);
}
`,
  'net/net.c': `#include "../include/locks.h"

DEFINE_MUTEX(net_lock);

void net_op(void)
{
	mutex_lock(&net_lock);
	mutex_lock(&fs_lock);
	mutex_unlock(&fs_lock);
	mutex_unlock(&net_lock);
}

void net_poll(int n)
{
	n++;
}
`,
};

const PATCHES: Record<string, string> = {
  // fs_sync nests net_lock in fs_lock; net_op, in a directory nothing here calls, does the reverse.
  far: `--- a/fs/fs.c
+++ b/fs/fs.c
@@ -15,5 +15,7 @@
 {
 	mutex_lock(&fs_lock);
 	n++;
+	mutex_lock(&net_lock);
+	mutex_unlock(&net_lock);
 	mutex_unlock(&fs_lock);
 }
`,
  // core_get, which fs_op calls with fs_lock held, now takes net_lock.
  callee: `--- a/core/core.c
+++ b/core/core.c
@@ -5,6 +5,8 @@
 void core_get(void)
 {
 	mutex_lock(&core_lock);
+	mutex_lock(&net_lock);
+	mutex_unlock(&net_lock);
 }
 
 void core_put(void)
`,
  none: `--- a/net/net.c
+++ b/net/net.c
@@ -14,4 +14,5 @@
 void net_poll(int n)
 {
 	n++;
+	n--;
 }
`,
};

let repo: TestRepo;
let work: string;
beforeAll(() => {
  repo = testRepoOf(FILES);
  work = mkdtempSync(join(tmpdir(), 'lockscope-tree-work-'));
  for (const [name, text] of Object.entries(PATCHES)) writeFileSync(join(work, `${name}.diff`), text);
});
afterAll(() => repo.remove());

async function check(patch: string, cache: string[]): Promise<ReviewJson> {
  const r = await cli(['check', '--context', 'tree', '--format', 'json', ...cache, '--repo', repo.dir, join(work, `${patch}.diff`)]);
  expect(r.code, r.err).toBeLessThan(2);
  return JSON.parse(r.out) as ReviewJson;
}

/** The review without the words saying where the graph came from. */
const findings = (j: ReviewJson): unknown => ({ ...j, context: { ...j.context, treeGraph: { ...j.context?.treeGraph, source: '' } } });
const added = (j: ReviewJson): string[] => j.inversions.added.map((i) => [...new Set(i.locks)].sort().join(' '));

describe('check --context tree', () => {
  it('finds what only the whole tree closes, the same warm as cold', async () => {
    const cache = ['--cache', mkdtempSync(join(tmpdir(), 'lockscope-tree-cache-'))];
    const cold = await check('far', cache);
    expect(cold.context?.treeGraph?.source).toMatch(/built now from 3 directories \(0 unchanged since a stored build\)$/);
    expect(added(cold)).toEqual(['fs_lock net_lock']);
    expect(cold.inversions.added[0]?.throughTree).toBe(true);
    const calls = await cli(['check', '--format', 'json', '--no-cache', '--repo', repo.dir, join(work, 'far.diff')]);
    expect((JSON.parse(calls.out) as ReviewJson).verdict).toBe('no-change');

    for (const patch of Object.keys(PATCHES)) {
      const first = await check(patch, cache);
      const warm = await check(patch, cache);
      expect(warm.context?.treeGraph?.source).toMatch(/, stored$/);
      expect(findings(warm)).toEqual(findings(first));
      expect(findings(warm)).toEqual(findings(await check(patch, ['--no-cache'])));
    }
    const callee = await check('callee', cache);
    expect(added(callee)).toEqual(['fs_lock net_lock', 'core_lock fs_lock net_lock']);
    expect((await check('none', cache)).verdict).toBe('no-change');
  });

  it('a new commit re-analyses only the directories whose files changed', async () => {
    const cache = ['--cache', mkdtempSync(join(tmpdir(), 'lockscope-tree-cache-'))];
    await check('none', cache);
    writeFileSync(join(repo.dir, 'core/core.c'), `${FILES['core/core.c'] ?? ''}\nvoid core_idle(void)\n{\n}\n`);
    repo.git(['commit', '-qam', 'core: idle']);
    const next = await check('far', cache);
    // The two others' files are unread: their blob ids agree with what they read last time.
    expect(next.context?.treeGraph?.source).toMatch(/built now from 3 directories \(2 unchanged since a stored build, 2 known by blob ids alone\)$/);
    expect(added(next)).toEqual(['fs_lock net_lock']);
  });

  it('a bot uses a stored graph, or one the stored directories give, and says when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-tree-cache-'));
    const patch = readFileSync(join(work, 'far.diff'), 'utf8');
    const base = await GitTree.open(repo.dir, 'HEAD');
    try {
      const bot = { graphs: new DiskGraphStore(join(dir, 'graphs')), graphsMaxNew: 32 };
      const none = await review({ patches: [patch], base, context: 'tree' }, bot);
      expect(none.json.verdict).toBe('no-change');
      expect(none.json.context?.mode).toBe('calls');
      expect(none.json.errors).toContain(`no stored lock-order graph of ${base.describe()}, nor one the stored directories give with at most 32 analysed anew: reviewed with the calls context (lockscope graph builds one)`);

      const built = await cli(['graph', '--repo', repo.dir, '--cache', dir]);
      expect(built.code, built.err).toBe(0);
      expect(built.out).toMatch(/^Lock-order graph of git [0-9a-f]{12}, built now from 3 directories \(0 unchanged since a stored build\): [1-9]\d* edges, in [\d.]+ s; kept in .*graphs\.\n$/);
      expect(await cli(['graph', '--cache', dir])).toMatchObject({ code: 2, err: expect.stringMatching(/^lockscope graph: give --repo GITDIR\n/) });
      expect(await cli(['graph', '--repo', join(dir, 'none'), '--cache', dir])).toMatchObject({ code: 2, err: expect.stringMatching(/^lockscope graph: .*none/) });
      const again = await cli(['graph', '--repo', repo.dir, '--cache', dir]);
      expect(again.out).toMatch(/^Lock-order graph of git [0-9a-f]{12}, stored: /);

      const warm = await review({ patches: [patch], base, context: 'tree' }, bot);
      expect(warm.json.verdict).toBe('adds-inversion');
      expect(warm.json.context).toMatchObject({ mode: 'tree', treeGraph: { source: `${base.describe()}, stored` } });
    } finally {
      base.close();
    }

    // A commit later: the bot builds the graph from the stored directories (one analysed anew),
    // unless told to take stored graphs only.
    writeFileSync(join(repo.dir, 'net/net.c'), `${FILES['net/net.c'] ?? ''}\nvoid net_idle(void)\n{\n}\n`);
    repo.git(['commit', '-qam', 'net: idle']);
    const next = await GitTree.open(repo.dir, 'HEAD');
    try {
      const graphs = new DiskGraphStore(join(dir, 'graphs'));
      const storedOnly = await review({ patches: [patch], base: next, context: 'tree' }, { graphs, graphsMaxNew: 0 });
      expect(storedOnly.json.context?.mode).toBe('calls');
      expect(storedOnly.json.errors).toContain(`no stored lock-order graph of ${next.describe()}: reviewed with the calls context (lockscope graph builds one)`);
      const oneNew = await review({ patches: [patch], base: next, context: 'tree' }, { graphs, graphsMaxNew: 1 });
      expect(oneNew.json.context).toMatchObject({ mode: 'tree', treeGraph: { source: `${next.describe()}, built now from 3 directories (2 unchanged since a stored build, 2 known by blob ids alone)` } });
      expect(oneNew.json.verdict).toBe('adds-inversion');
    } finally {
      next.close();
    }
  });
});
