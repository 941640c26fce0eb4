/**
 * The whole-tree graph benchmark, in a fresh process: `BENCH_GRAPH=GITDIR[@REV] npm run bench`
 * (or `tsx bench/tree-graph.ts GITDIR [REV]`). Prints one JSON line: tree-sitter parse-only of
 * the tree's C files (one thread, CPU), then the graph build `lockscope graph` makes, cold (an
 * empty cache: every directory lowered and analysed, in worker threads) and warm (the same
 * tree again with its partitions stored, nothing analysed: known by their manifests' blob ids,
 * nothing read; and found by content, every file read and hashed, as a store without manifests
 * would), wall time and the process's peak RSS (workers included), and the stored graph read
 * back as a review reads it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FactsCache } from '../src/analyzers/c/facts-cache.ts';
import { loadCParser } from '../src/analyzers/c/parser.ts';
import { GitTree } from '../src/diff/git-tree.ts';
import { buildTreeGraph, treeGraphFor } from '../src/review/tree-graph-build.ts';
import { DiskFactsStore } from '../src/store/facts-store.ts';
import { DiskGraphStore } from '../src/store/graph-store.ts';
import { tuneV8 } from '../src/v8-tuning.ts';
import { figures, timed } from './timing.ts';

tuneV8();

const [gitDir, rev = 'HEAD'] = process.argv.slice(2);
if (!gitDir) throw new Error('usage: tree-graph.ts GITDIR [REV]');

const base = await GitTree.open(gitDir, rev);
const cacheDir = mkdtempSync(join(tmpdir(), 'lockscope-bench-graph-'));
try {
  const files = (await base.listAll()).filter((p) => p.endsWith('.c'));
  const parser = await loadCParser();
  let bytes = 0;
  const parse = await timed(async () => {
    for (const f of files) {
      const text = await base.read(f);
      if (text === undefined) continue;
      bytes += text.length;
      parser.parse(text).delete();
    }
  });
  const facts = new DiskFactsStore(join(cacheDir, 'facts'));
  const graphs = new DiskGraphStore(join(cacheDir, 'facts', 'graphs'));
  const cold = await timed(() => treeGraphFor(base, { cache: new FactsCache(undefined, facts), store: graphs }));
  const warm = await timed(() => buildTreeGraph(base, { cache: new FactsCache(undefined, facts), parts: graphs }));
  const byContent = await timed(() => buildTreeGraph(base, { cache: new FactsCache(undefined, facts), parts: { getPart: (k) => graphs.getPart(k), putPart: async () => undefined } }));
  const stored = await timed(() => treeGraphFor(base, { cache: new FactsCache(), store: graphs, maxNew: 0 }));
  process.stdout.write(
    `${JSON.stringify({
      tree: `${gitDir}@${rev}`,
      files: files.length,
      bytes,
      parseOnly: figures(parse),
      cold: { ...figures(cold), edges: cold.value?.edges },
      warm: { ...figures(warm), partitions: warm.value.partitions, reused: warm.value.reused, unread: warm.value.unread },
      warmByContent: { ...figures(byContent), reused: byContent.value.reused },
      storedRead: { ...figures(stored), edges: stored.value?.edges },
    })}\n`,
  );
} finally {
  base.close();
  rmSync(cacheDir, { recursive: true, force: true });
}
