/**
 * A widely included header's edit must not send every directory that includes it to be analysed
 * again when it changes nothing a partition takes from it: its includes, its integer constants
 * and, for a directory that includes it itself, its annotated prototypes and stubs. The graph
 * built past such an edit is the one a cold build gives; an edit that does change what is taken
 * (a stub moved, a constant's value) is analysed again, only where it is taken. A header that
 * could not be read (an I/O error, not a header the tree lacks) fails the partitions that
 * include it, with the reason: analysed without it, their graphs would silently differ.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FactsCache } from '../../src/analyzers/c/facts-cache.ts';
import { GitTree } from '../../src/diff/git-tree.ts';
import { headerTakings } from '../../src/context/header-constants.ts';
import { knownPartitions, treeGraphFor } from '../../src/review/tree-graph-build.ts';
import type { DiskGraphStore } from '../../src/store/graph-store.ts';
import { testRepoOf, type TestRepo } from '../commands/git-repo.ts';
import { buildCounted, nestingWhen, newGraphStore, pairs } from './tree-graph-test-build.ts';

const header = (wait: number, above = '', below = ''): string => `#ifndef _BIG_H
#define _BIG_H
${above}#define BIG_WAIT ${wait}
static inline int big_ready(void)
{
	return 1;
}
struct big { int x; };
${below}#endif
`;

const FILES: Record<string, string> = {
  'include/linux/big.h': header(1),
  'include/linux/other.h': '#include <linux/big.h>\n',
  // Includes big.h itself: takes its constants, prototypes and stubs.
  'a/a.c': nestingWhen('linux/big.h', 'a_op', 'a_lock', 'w_lock', 'BIG_WAIT'),
  // Includes it through other.h: takes its constants only.
  'b/b.c': nestingWhen('linux/other.h', 'b_op', 'b_lock', 'v_lock', 'BIG_WAIT'),
};

let repo: TestRepo;
beforeAll(() => {
  repo = testRepoOf(FILES);
});
afterAll(() => repo.remove());

const buildAt = (store: DiskGraphStore, failing?: string): ReturnType<typeof buildCounted> => buildCounted(repo.dir, store, failing ? { failing } : {});

function commitHeader(text: string, message: string): void {
  writeFileSync(join(repo.dir, 'include/linux/big.h'), text);
  repo.git(['commit', '-qam', message]);
}

describe('what a partition takes from a header', () => {
  it('is the same for an edit of what no analysis reads, and differs for a constant, a stub moved, an include', () => {
    const takings = (text: string, own: boolean): string => headerTakings('include/linux/big.h', text, own);
    for (const own of [true, false]) {
      expect(takings(header(1, '', 'void big_go(struct big *b);\n'), own)).toBe(takings(header(1), own));
      expect(takings(header(2), own)).not.toBe(takings(header(1), own));
      expect(takings(header(1, '#include <linux/more.h>\n'), own)).not.toBe(takings(header(1), own));
    }
    // A line above the stub moves it: its witness lines would change, for a directory that includes it itself.
    expect(takings(header(1, '/* moved */\n'), true)).not.toBe(takings(header(1), true));
    expect(takings(header(1, '/* moved */\n'), false)).toBe(takings(header(1), false));
  });
});

describe('tree graph past header edits', () => {
  it('keeps partitions whose headers changed only in what they do not take, and re-analyses the others', async () => {
    const store = newGraphStore();
    const first = await buildAt(store);
    expect(first.build).toMatchObject({ partitions: 2, reused: 0, unread: 0 });
    expect(pairs(first.build)).toEqual(['a_lock > w_lock', 'b_lock > v_lock']);

    // A prototype and a struct member: neither directory takes anything of them. Nothing of a/ or b/ is read.
    commitHeader(header(1, '', 'void big_go(struct big *b);\n').replace('int x;', 'int x; int y;'), 'big: go');
    // What a bot asks before building: both known, none to analyse.
    const git = await GitTree.open(repo.dir, 'HEAD');
    const pre = await knownPartitions(git, { parts: store }).finally(() => git.close());
    expect(pre?.unknown).toBe(0);
    expect([...(pre?.known.values() ?? [])].map((k) => k.by)).toEqual(['headers', 'headers']);
    const second = await buildAt(store);
    expect(second.build).toMatchObject({ partitions: 2, reused: 2, unread: 2, pastHeaders: 2 });
    expect(second.reads.filter((p) => p.startsWith('a/') || p.startsWith('b/'))).toEqual([]);
    expect(second.build.graph).toEqual((await buildAt(newGraphStore())).build.graph);

    // Known by blob ids alone the next time: the manifests were brought up to this tree.
    const again = await buildAt(store);
    expect(again.build).toMatchObject({ unread: 2, pastHeaders: 0 });

    // A line above the stub moves it: a (which includes big.h itself) is read again, b is not.
    commitHeader(header(1, '/* the wait flag */\n', 'void big_go(struct big *b);\n'), 'big: comment');
    const third = await buildAt(store);
    expect(third.build).toMatchObject({ partitions: 2, unread: 1, pastHeaders: 1 });
    expect(third.reads).toContain('a/a.c');
    expect(third.reads).not.toContain('b/b.c');
    expect(third.build.graph).toEqual((await buildAt(newGraphStore())).build.graph);

    // The constant both directories test: both analysed again, and both edges gone.
    commitHeader(header(0, '/* the wait flag */\n', 'void big_go(struct big *b);\n'), 'big: no wait');
    const fourth = await buildAt(store);
    expect(fourth.build).toMatchObject({ partitions: 2, unread: 0 });
    expect(fourth.build.graph).toEqual((await buildAt(newGraphStore())).build.graph);
    expect(pairs(fourth.build)).toEqual([]);
  });
});

describe('a header that could not be read', () => {
  it('fails the partition that met the error, with the reason, and leaves nothing stored for it', async () => {
    commitHeader(header(1), 'big: wait again');
    const store = newGraphStore();
    const failed = await buildAt(store, 'include/linux/big.h');
    // a/ read big.h first and met the error; b/ asked again and got it.
    expect(failed.build.failed).toEqual([{ dir: 'a', reason: expect.stringContaining('include/linux/big.h') as unknown as string }]);
    expect(pairs(failed.build)).toEqual(['b_lock > v_lock']);
    // Next time a is read and analysed: the graph a cold build gives.
    const next = await buildAt(store);
    expect(next.build).toMatchObject({ failed: [], unread: 1 });
    expect(next.reads).toContain('a/a.c');
    expect(next.build.graph).toEqual((await buildAt(newGraphStore())).build.graph);
  });
});

describe('the report of a graph built past a header edit', () => {
  it('says how many directories were known past header edits', async () => {
    commitHeader(header(1, '', '/* first */\n'), 'big: first');
    const store = newGraphStore();
    const graphOf = async (): Promise<string | undefined> => {
      const git = await GitTree.open(repo.dir, 'HEAD');
      try {
        return (await treeGraphFor(git, { cache: new FactsCache(), store }))?.source;
      } finally {
        git.close();
      }
    };
    expect(await graphOf()).toMatch(/built now from 2 directories \(0 unchanged/);
    commitHeader(header(1, '', 'void big_go(struct big *b);\n'), 'big: go again');
    expect(await graphOf()).toMatch(/2 unchanged since a stored build, 2 known by blob ids alone \(2 of them past header edits that change nothing the analysis reads\)/);
  });
});
