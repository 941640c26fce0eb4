/**
 * What the tree-graph tests share: a build at a test repository's HEAD through a base that counts
 * what is read, the edges' lock pairs, a fresh graph store, and a directory's file that nests
 * one lock in another only when a header's name says so.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FactsCache } from '../../src/analyzers/c/facts-cache.ts';
import type { BaseTree } from '../../src/diff/base-tree.ts';
import { GitTree } from '../../src/diff/git-tree.ts';
import { buildTreeGraph, type TreeGraphBuild } from '../../src/review/tree-graph-build.ts';
import { DiskGraphStore } from '../../src/store/graph-store.ts';

/**
 * The build at HEAD of `repoDir` with `store`, and the paths read through the base while building.
 * `unnamed`: paths the base reads but leaves out of its blob ids (as another spelling of a path
 * would be); `failing`: a path whose first read throws (an I/O error, not an absent file).
 */
export async function buildCounted(repoDir: string, store: DiskGraphStore, options: { unnamed?: readonly string[]; failing?: string } = {}): Promise<{ build: TreeGraphBuild; reads: string[] }> {
  const git = await GitTree.open(repoDir, 'HEAD');
  const reads: string[] = [];
  const { unnamed = [], failing } = options;
  const counted: BaseTree = {
    read: (path) => {
      reads.push(path);
      if (path === failing && reads.filter((p) => p === path).length === 1) return Promise.reject(new Error(`git cat-file exited with 128 reading ${path}`));
      return git.read(path);
    },
    list: (dir) => git.list(dir),
    listAll: () => git.listAll(),
    describe: () => git.describe(),
    blobIds: async () => new Map([...(await git.blobIds())].filter(([p]) => !unnamed.includes(p))),
  };
  try {
    return { build: await buildTreeGraph(counted, { cache: new FactsCache(), parts: store, workers: 0 }), reads };
  } finally {
    git.close();
  }
}

/** The ordered lock pairs of a build's graph. */
export const pairs = (b: TreeGraphBuild): string[] => [...new Set(b.graph.edges.map((e) => `${e.from} > ${e.to}`))].sort();

export const newGraphStore = (): DiskGraphStore => new DiskGraphStore(mkdtempSync(join(tmpdir(), 'lockscope-graph-store-')));

/**
 * A file including `header` whose `fn` takes `outer`, and `inner` inside it only when `test`
 * (a header's constant or stub) holds: the edge says whether the header was read as it is.
 */
export const nestingWhen = (header: string, fn: string, outer: string, inner: string, test: string): string => `#include <${header}>

DEFINE_MUTEX(${outer});
DEFINE_MUTEX(${inner});

void ${fn}(void)
{
	mutex_lock(&${outer});
	if (${test}) {
		mutex_lock(&${inner});
		mutex_unlock(&${inner});
	}
	mutex_unlock(&${outer});
}
`;
