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

tuneV8();

const [gitDir, rev = 'HEAD'] = process.argv.slice(2);
if (!gitDir) throw new Error('usage: tree-graph.ts GITDIR [REV]');
const peakMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
const timed = async <T>(run: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number; peakMiB: number }> => {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: Math.round(performance.now() - t), cpuMs: Math.round((used.user + used.system) / 1000), peakMiB: peakMiB() };
};

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
  const strip = <T extends { value: unknown }>(r: T): Omit<T, 'value'> => {
    const { value: _v, ...rest } = r;
    return rest;
  };
  process.stdout.write(
    `${JSON.stringify({
      tree: `${gitDir}@${rev}`,
      files: files.length,
      bytes,
      parseOnly: strip(parse),
      cold: { ...strip(cold), edges: cold.value?.edges },
      warm: { ...strip(warm), partitions: warm.value.partitions, reused: warm.value.reused, unread: warm.value.unread },
      warmByContent: { ...strip(byContent), reused: byContent.value.reused },
      storedRead: { ...strip(stored), edges: stored.value?.edges },
    })}\n`,
  );
} finally {
  base.close();
  rmSync(cacheDir, { recursive: true, force: true });
}
