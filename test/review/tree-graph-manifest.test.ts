/**
 * A tree graph rebuilt for a new commit knows an unchanged directory by git blob ids alone: its
 * partition's manifest (every path it read or tried, every directory it listed) agrees with the
 * new tree, so its stored graph is used and none of its files is read. A header appearing where
 * an include was tried and missed last time changes what the partition reads: it is read and
 * analysed again, giving the graph a cold build gives. A partition that read a path the blob ids
 * do not name leaves no manifest: they could not tell that file changed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiskGraphStore } from '../../src/store/graph-store.ts';
import { testRepoOf, type TestRepo } from '../commands/git-repo.ts';
import { buildCounted, newGraphStore, pairs } from './tree-graph-test-build.ts';

const FILES: Record<string, string> = {
  'include/shared.h': 'static inline void take_inner(void)\n{\n}\n',
  'a/a.c': `#include "shared.h"

DEFINE_MUTEX(a_lock);

void a_op(void)
{
	mutex_lock(&a_lock);
	take_inner();
	mutex_unlock(&a_lock);
}
`,
  'b/b.c': `DEFINE_MUTEX(b_lock);
DEFINE_MUTEX(c_lock);

void b_op(void)
{
	mutex_lock(&b_lock);
	mutex_lock(&c_lock);
	mutex_unlock(&c_lock);
	mutex_unlock(&b_lock);
}
`,
};

let repo: TestRepo;
beforeAll(() => {
  repo = testRepoOf(FILES);
});
afterAll(() => repo.remove());

const buildAt = (store: DiskGraphStore, unnamed: readonly string[] = []): ReturnType<typeof buildCounted> => buildCounted(repo.dir, store, { unnamed });

describe('tree graph manifests', () => {
  it('reuses an unchanged directory without reading it, and reads one whose missed include now exists', async () => {
    const store = newGraphStore();
    const first = await buildAt(store);
    expect(first.build).toMatchObject({ partitions: 2, reused: 0, unread: 0 });
    expect(pairs(first.build)).toEqual(['b_lock > c_lock']);

    // b changes: a is known by blob ids, nothing of it read.
    writeFileSync(join(repo.dir, 'b/b.c'), `${FILES['b/b.c'] ?? ''}\nvoid b_idle(void)\n{\n}\n`);
    repo.git(['commit', '-qam', 'b: idle']);
    const second = await buildAt(store);
    expect(second.build).toMatchObject({ partitions: 2, reused: 1, unread: 1 });
    expect(second.reads).toContain('b/b.c');
    expect(second.reads.filter((p) => p.startsWith('a/') || p.endsWith('shared.h'))).toEqual([]);
    expect(pairs(second.build)).toEqual(pairs(first.build));

    // shared.h appears at the root, a directory no partition lists: "shared.h" in a/a.c now
    // means it (tried before include/shared.h, and missed last time).
    writeFileSync(join(repo.dir, 'shared.h'), 'static inline void take_inner(void)\n{\n\tmutex_lock(&b_lock);\n\tmutex_unlock(&b_lock);\n}\n');
    repo.git(['add', 'shared.h']);
    repo.git(['commit', '-qm', 'shared.h at the root']);
    const third = await buildAt(store);
    expect(third.build).toMatchObject({ partitions: 2, unread: 1 });
    expect(third.reads).toContain('a/a.c');
    const cold = await buildAt(newGraphStore());
    expect(pairs(third.build)).toEqual(pairs(cold.build));
    expect(pairs(third.build)).toContain('a_lock > b_lock');
  });

  it('a damaged manifest is a miss: the directory is read and its graph found by content', async () => {
    const store = newGraphStore();
    await buildAt(store);
    const dirs = join(store.dir, 'dirs');
    for (const name of readdirSync(dirs)) writeFileSync(join(dirs, name), readFileSync(join(dirs, name)).subarray(0, 20));
    const again = await buildAt(store);
    expect(again.build).toMatchObject({ partitions: 2, reused: 2, unread: 0 });
    expect(store.manifestStats.corrupt).toBe(2);
  });

  it('leaves no manifest for a partition that read a path the blob ids do not name', async () => {
    const store = newGraphStore();
    await buildAt(store, ['a/a.c']);
    const again = await buildAt(store, ['a/a.c']);
    // b read nothing unnamed: known by blob ids; a read its own a/a.c, which they leave out: by content only.
    expect(again.build).toMatchObject({ partitions: 2, reused: 2, unread: 1 });
    expect(again.reads).toContain('a/a.c');
  });
});
