/**
 * The lock-order graph of a whole tree, for reviews against it (order/tree-closure.ts), built
 * by partition: each directory holding C files, with the files its files include by quotes, is
 * analysed as a review analyses its context, one at a time, and the partitions' edges are
 * joined. Memory is one partition's, not the tree's (a whole-program analysis of Linux needs
 * about 11 GB); what it gives up is an edge whose two acquisitions are in different directories'
 * functions (a directory's call into another one takes nothing there): those the review's own
 * context finds around the patch.
 *
 * A partition's graph is kept (store/graph-store.ts) by its files' content: the next tree
 * re-analyses only the directories whose files changed.
 */
import { analyzeSources } from '../analyzers/analyze.ts';
import { AnalysisCache } from '../analyzers/analysis-cache.ts';
import type { FactsCache } from '../analyzers/c/facts-cache.ts';
import type { LockFunctionConfig } from '../analyzers/locks/catalogue-config.ts';
import { kernelConfig, type ConfigFile } from '../analyzers/c/kernel-config.ts';
import { storedEdgesOf, type StoredEdge, type StoredGraph } from '../analyzers/order/stored-graph.ts';
import { headerOptions } from '../context/header-constants.ts';
import type { BaseTree } from '../diff/base-tree.ts';
import { Snapshot } from '../diff/snapshot.ts';
import { snapshotSources } from './snapshot-sources.ts';

/** Where partitions' graphs are kept between builds. */
export interface PartStore {
  getPart(key: string): Promise<StoredGraph | undefined>;
  putPart(key: string, graph: StoredGraph): Promise<void>;
}

export interface TreeGraphBuild {
  graph: StoredGraph;
  /** Directories analysed, and of those how many were read back from the store. */
  partitions: number;
  reused: number;
  /** C files of the tree. */
  files: number;
  /** Partitions that could not be analysed, and why: their edges are missing from the graph. */
  failed: { dir: string; reason: string }[];
}

const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/** A witness's identity, to keep one copy of an edge two partitions share (a header's inline function). */
const edgeIdentity = (e: StoredEdge): string => {
  const steps = (s: StoredEdge['held']): string => s.steps.map((x) => `${x.file}:${x.line}:${x.op}`).join(',');
  return `${e.from}>${e.to}|${e.held.read ? 'r' : 'w'}${e.taken.read ? 'r' : 'w'}|${steps(e.held)}|${steps(e.taken)}`;
};

export async function buildTreeGraph(
  base: BaseTree,
  deps: { cache: FactsCache; parts?: PartStore; config?: ConfigFile; lockFunctions?: LockFunctionConfig[]; onProgress?: (done: number, total: number, dir: string) => void },
): Promise<TreeGraphBuild> {
  const all = (await base.listAll()).filter((p) => /\.[ch]$/.test(p));
  const dirs = [...new Set(all.filter((p) => p.endsWith('.c')).map(dirOf))].sort();
  const config = deps.config ? kernelConfig(deps.config, undefined) : undefined;
  const lockFunctions = deps.lockFunctions ?? [];
  const edges = new Map<string, StoredEdge>();
  const kinds: StoredGraph['kinds'] = {};
  const failed: TreeGraphBuild['failed'] = [];
  let reused = 0;
  for (const [i, dir] of dirs.entries()) {
    deps.onProgress?.(i, dirs.length, dir);
    // A snapshot per partition: its reads are dropped with it.
    const snap = Snapshot.fromBase(base);
    try {
      const read = await snapshotSources(snap, await snap.contextFiles([], 'touched', [dir]));
      if ('over' in read) continue;
      // Keyed by everything the analysis reads: the files and the headers they include.
      const key = AnalysisCache.keyOf([...read.sources, ...read.headers.map((h) => ({ path: `\u0000${h.path}`, text: h.text }))], lockFunctions, deps.config);
      let part = await deps.parts?.getPart(key);
      if (part) reused++;
      else {
        const result = await analyzeSources(read.sources, { cache: deps.cache, lockFunctions, ...(config ? { config } : {}), ...(await headerOptions(read.headers, deps.cache)) });
        const partKinds: StoredGraph['kinds'] = {};
        for (const [k, lock] of result.locks) partKinds[k] = lock.kind;
        part = { edges: storedEdgesOf(result.graph), kinds: partKinds };
        await deps.parts?.putPart(key, part);
      }
      for (const e of part.edges) {
        const id = edgeIdentity(e);
        if (!edges.has(id)) edges.set(id, e);
      }
      Object.assign(kinds, part.kinds);
    } catch (err) {
      failed.push({ dir, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  deps.onProgress?.(dirs.length, dirs.length, '');
  return { graph: { edges: [...edges.values()], kinds }, partitions: dirs.length, reused, files: all.filter((p) => p.endsWith('.c')).length, failed };
}

/** Where whole-tree graphs are kept (store/graph-store.ts), with their partitions. */
export interface TreeGraphStore extends PartStore {
  getTree(key: string): Promise<StoredGraph | undefined>;
  putTree(key: string, graph: StoredGraph): Promise<void>;
  trimParts(): Promise<void>;
}

/**
 * The graph of `base` for a review: the stored one when the base names its content (a git
 * tree) and the store has it, else built now, and stored for the next review when it can be.
 * `source` says which, for the report.
 */
export async function treeGraphFor(
  base: BaseTree,
  deps: { cache: FactsCache; store?: TreeGraphStore; config?: ConfigFile; lockFunctions?: LockFunctionConfig[]; onProgress?: (done: number, total: number, dir: string) => void },
): Promise<{ graph: StoredGraph; source: string }> {
  const named = base.cacheKey ? await base.cacheKey() : undefined;
  const key = named !== undefined ? AnalysisCache.keyOf([{ path: '\u0000tree', text: named }], deps.lockFunctions ?? [], deps.config) : undefined;
  const stored = key !== undefined ? await deps.store?.getTree(key) : undefined;
  if (stored) return { graph: stored, source: `${base.describe()}, stored` };
  const built = await buildTreeGraph(base, { ...deps, ...(deps.store ? { parts: deps.store } : {}) });
  if (key !== undefined && deps.store && built.failed.length === 0) {
    await deps.store.putTree(key, built.graph);
    await deps.store.trimParts();
  }
  const failed = built.failed.length ? `; ${built.failed.length} failed: ${built.failed.slice(0, 3).map((f) => `${f.dir} (${f.reason})`).join(', ')}` : '';
  return { graph: built.graph, source: `${base.describe()}, built now from ${built.partitions} directories (${built.reused} unchanged since a stored build)${failed}` };
}
