/**
 * `lockscope analyze` of a tree too big for one program (a whole kernel: about 11 GB as one),
 * directory by directory: each directory holding C files is analysed with the headers it
 * includes, as the tree graph a review reads is built (review/tree-graph-build.ts, in worker
 * threads, each directory's graph kept in the cache by its inputs), and the directories' graphs
 * are joined for the cycles no one directory makes (order/tree-inversions.ts), with the orders
 * and sleeps made through a call from one directory into another (order/stitch-calls.ts, one
 * directory deep, from the callee directory's own summary). Memory is a few directories', not
 * the tree's. Each directory's findings of the other kinds come with its graph.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { FactsCache } from '../analyzers/c/facts-cache.ts';
import type { ConfigFile } from '../analyzers/c/kernel-config.ts';
import { TreeInversions } from '../analyzers/order/tree-inversions.ts';
import type { AnalysisJson, SkippedJson } from '../analyzers/report-types.ts';
import { leftOutReason } from '../analyzers/analyze-program.ts';
import { treeAnalysisJson } from '../analyzers/tree-analysis.ts';
import { DirTree } from '../diff/dir-tree.ts';
import { buildTreeGraph } from '../review/tree-graph-build.ts';
import type { DiskFactsStore } from '../store/facts-store.ts';
import { analysedConfigPath, readConfigOption } from './config-option.ts';
import { graphStoreBeside } from './facts-store-option.ts';
import { progressBar } from './progress-bar.ts';
import { kconfigSymbols, treeRootOf } from './tree-mentions.ts';
import { partitionMentionsApart } from './partition-mentions.ts';
import type { CliIo } from './types.ts';

/** A directory with more .c files under it than this is analysed by directory unless asked otherwise. */
export const BY_DIRECTORY_FILES = 4_000;

/** The .c files under `dir`, counted up to `limit` (the walk stops there). */
export async function countCFiles(dir: string, limit: number): Promise<number> {
  let n = 0;
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (n > limit) return;
      if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') await walk(join(d, e.name));
      else if (e.isFile() && e.name.endsWith('.c')) n++;
    }
  };
  await walk(dir);
  return n;
}

/**
 * `configPath` as for analyzePaths: undefined for the tree's own `.config` when it has one, null
 * for any build. Paths in the result are the tree's (from the kernel tree's root when `path` is
 * inside one), as the directories' analyses name them.
 */
export async function analyzeByDirectory(path: string, io: CliIo, store: DiskFactsStore | undefined, configPath: string | null | undefined): Promise<{ ok: true; json: AnalysisJson; directories: number } | { ok: false; reason: string }> {
  const full = resolve(io.cwd, path);
  const st = await stat(full).catch(() => undefined);
  if (!st) return { ok: false, reason: `cannot read ${path}: no such file or directory` };
  if (!st.isDirectory()) return { ok: false, reason: `${path}: --by-directory takes one directory` };
  const inTree = await treeRootOf(full);
  const root = inTree ?? full;
  const under = relative(root, full).split(sep).join('/');
  const chosen = await analysedConfigPath(root, configPath);
  let config: ConfigFile | undefined;
  if (chosen) {
    const read = await readConfigOption(chosen, io.cwd);
    if (!read.ok) return read;
    config = read.file;
  }
  const base = new DirTree(root);
  const parts = graphStoreBeside(store);
  const inversions = new TreeInversions();
  // The options the tree's Kconfig declares (and those none can set), as analysing one directory reads them.
  const kconfig = inTree ? await kconfigSymbols(inTree) : undefined;
  // And, of each directory's functions, those the rest of the tree does not mention.
  const mentions = inTree ? await partitionMentionsApart(inTree) : undefined;
  const unbuilt: SkippedJson[] = [];
  // Each directory's cycles found and not reported, summed by why (with the directories).
  const leftOut = new Map<string, { count: number; dirs: number }>();
  const bar = io.stderr.isTTY ? progressBar(io.stderr) : undefined;
  const built = await buildTreeGraph(base, {
    cache: new FactsCache(undefined, store),
    ...(parts ? { parts } : {}),
    ...(config ? { config } : {}),
    ...(under ? { under } : {}),
    ...(kconfig ? { kconfig } : {}),
    ...(mentions ? { unmentioned: (d: string) => mentions.unmentioned(d) } : {}),
    onPartition: (dir, graph) => {
      inversions.add(dir, graph);
      for (const u of graph.unbuilt ?? []) unbuilt.push({ file: u.file, line: 0, reason: u.reason });
      for (const c of graph.leftOut ?? []) {
        const sum = leftOut.get(c.why) ?? { count: 0, dirs: 0 };
        leftOut.set(c.why, { count: sum.count + c.count, dirs: sum.dirs + 1 });
      }
    },
    ...(bar ? { onProgress: (done: number, total: number) => bar.update('analysing directories', done, total) } : {}),
  });
  bar?.clear();
  inversions.alias(built.aliases);
  inversions.addStitched(built.stitched);
  inversions.addStitchedFindings(built.stitchedFindings);
  await parts?.trimParts();
  const skipped: SkippedJson[] = [
    {
      file: '',
      line: 0,
      reason: `analysed directory by directory (${built.partitions} directories, each with the headers it includes): an order through a call into another directory's function is made from that function's own summary (the constants a caller passes are not used there; a call two directories deep is not followed), as is a sleep under a spinning lock through such a call; irq state through one is not seen; analyze a directory as one program for those`,
    },
    ...built.failed.map((f) => ({ file: f.dir, line: 0, reason: `directory not analysed: ${f.reason}` })),
    ...base.skipped.map((file) => ({ file, line: 0, reason: base.refusal(file)?.reason ?? 'not read' })),
    ...[...leftOut].map(([why, sum]) => ({ file: '', line: 0, reason: `${leftOutReason({ why, count: sum.count })} (in ${sum.dirs === 1 ? "1 directory's own analysis" : `${sum.dirs} directories' own analyses`})` })),
    ...unbuilt,
  ];
  const json = treeAnalysisJson(inversions.result(), skipped);
  if (config) json.config = config.path;
  return { ok: true, json, directories: built.partitions };
}
