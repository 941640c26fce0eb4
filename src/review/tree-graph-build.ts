/**
 * The lock-order graph of a whole tree, for reviews against it (order/tree-closure.ts), built
 * by partition: each directory holding C files, with the files its files include by quotes, is
 * analysed as a review analyses its context (in worker threads, a partition each), and the
 * partitions' edges are joined. Memory is a few partitions', not the tree's (a whole-program
 * analysis of Linux needs about 11 GB). An edge whose two acquisitions are in different
 * directories' functions is joined from the partitions' calls out and the callee directory's
 * summary (order/stitch-calls.ts), one directory deep; the review's own context finds the
 * others around the patch.
 *
 * A partition's graph is kept (store/graph-store.ts) by the content of everything its analysis
 * reads: the next tree re-analyses only the directories whose files or headers changed. Its
 * directory's manifest (the paths it read, by git blob id) lets a later tree find it without
 * reading those files at all; a header whose text changed but not what the analysis takes from
 * it (context/header-constants.ts headerTakings) leaves it known too, as a widely included
 * header's edit would otherwise send most of the tree to be analysed again.
 */
import { makefileKernelVersion } from '../analyzers/c/version-tests.ts';
import { analyzeProgram } from '../analyzers/analyze-program.ts';
import { extractFacts } from '../analyzers/c/extract-facts.ts';
import { uncalledCandidates } from '../analyzers/c/never-called.ts';
import type { FileFacts } from '../analyzers/c/ir.ts';
import { AnalysisCache } from '../analyzers/analysis-cache.ts';
import { contentHash, type FactsCache } from '../analyzers/c/facts-cache.ts';
import type { LockFunctionConfig } from '../analyzers/locks/catalogue-config.ts';
import { kernelConfig, type ConfigFile, type KconfigSymbols } from '../analyzers/c/kernel-config.ts';
import { edgeIdentity, storedCallsOf, storedCyclesOf, storedEdgesOf, storedFindingsOf, type StoredEdge, type StoredGraph } from '../analyzers/order/stored-graph.ts';
import { aliasedEdge, CallStitcher, type InferredAliases, type StitchedEdge, type StitchedFinding } from '../analyzers/order/stitch-calls.ts';
import { headerOptions, headerTakings, type Header } from '../context/header-constants.ts';
import type { BaseRefusal, BaseTree } from '../diff/base-tree.ts';
import { Snapshot } from '../diff/snapshot.ts';
import { UnsafePathError } from '../diff/apply.ts';
import { Lru } from '../analyzers/util/lru.ts';
import { baseKey } from '../analyzers/locks/held-set.ts';
import { DiskFactsStore } from '../store/facts-store.ts';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../analyzers/util/module-worker.ts';
import { snapshotSources } from './snapshot-sources.ts';
import { makefileOptions, unbuiltFiles } from '../context/kbuild.ts';
import { shadowedByKbuild } from '../context/kbuild-file.ts';

/** Where partitions' graphs are kept between builds. */
export interface PartStore {
  getPart(key: string): Promise<StoredGraph | undefined>;
  putPart(key: string, graph: StoredGraph): Promise<void>;
  /** What a directory's partition read last time (by directory, configuration and lock functions). */
  getManifest?(key: string): Promise<PartManifest | undefined>;
  putManifest?(key: string, manifest: PartManifest): Promise<void>;
}

/**
 * What one partition read of its tree, by git blob id: every path it asked for (its files, the
 * quoted includes it tried, the headers; '' for a path the tree did not have) and every
 * directory it listed (by the names inside). A later tree whose blob ids agree on all of them
 * gives the partition the same inputs, so its stored graph (`key`) is known without reading a
 * file. A header read only as a header may differ in blob id if not in what the analysis takes
 * from it (`headers`: headerTakings, at the depth it was read).
 */
export interface PartManifest {
  key: string;
  reads: [path: string, blob: string][];
  lists: [dir: string, names: string][];
  headers?: [path: string, takings: string][];
}

/** A base that records what is read and listed through it: one partition's inputs. */
class RecordingTree implements BaseTree {
  readonly reads = new Set<string>();
  /** The paths read that the tree had. */
  readonly found = new Set<string>();
  /** The paths read as files (not only as headers): their texts count whole. */
  readonly asFiles = new Set<string>();
  readonly lists = new Set<string>();
  /** Whether the whole tree was listed: then no manifest can say what the partition depends on. */
  whole = false;

  constructor(private readonly base: BaseTree) {}

  read(path: string): Promise<string | undefined> {
    this.asFiles.add(path);
    return this.noted(path, this.base.read(path));
  }

  /** `text`, the read of `path` (as a file, or as a header by the caller's reader), recorded. */
  async noted(path: string, text: Promise<string | undefined>): Promise<string | undefined> {
    this.reads.add(path);
    const got = await text;
    if (got !== undefined) this.found.add(path);
    return got;
  }

  list(dir: string): Promise<string[]> {
    this.lists.add(dir);
    return this.base.list(dir);
  }

  listAll(): Promise<string[]> {
    this.whole = true;
    return this.base.listAll();
  }

  describe(): string {
    return this.base.describe();
  }

  refusal(path: string): BaseRefusal | undefined {
    return this.base.refusal?.(path);
  }
}

/** The blob ids of a tree, and the names directly inside each of its directories, for manifests. */
class BlobView {
  #names: Map<string, string> | undefined;

  constructor(readonly ids: ReadonlyMap<string, string>) {}

  /** The files directly inside `dir`, as one string. */
  names(dir: string): string {
    if (!this.#names) {
      const byDir = new Map<string, string[]>();
      for (const path of this.ids.keys()) {
        const d = dirOf(path);
        let list = byDir.get(d);
        if (!list) byDir.set(d, (list = []));
        list.push(path.slice(d.length));
      }
      this.#names = new Map([...byDir].map(([d, names]) => [d, names.sort().join('\u0000')]));
    }
    return this.#names.get(dir) ?? '';
  }

  /**
   * None when a path was read that the blob ids do not name (another spelling of a path): they
   * could not tell it changed. `headers`: what the partition took from each header it read
   * (the headers it also read as files count whole).
   */
  manifest(key: string, rec: RecordingTree, headers: readonly Header[], takings: HeaderTakings): PartManifest | undefined {
    if ([...rec.found].some((p) => !this.ids.has(p))) return undefined;
    const took = headers.filter((h) => !rec.asFiles.has(h.path)).map((h): [string, string] => [h.path, takings.ofText(h.path, h.text, !h.depth)]);
    return {
      key,
      reads: [...rec.reads].sort().map((p) => [p, this.ids.get(p) ?? '']),
      lists: [...rec.lists].sort().map((d) => [d, this.names(d)]),
      ...(took.length ? { headers: took.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) } : {}),
    };
  }

  /**
   * Whether this tree gives a partition the very inputs its manifest recorded: `exact` when every
   * blob id agrees, `headers` when some header's differs but not what the partition takes from it.
   */
  async agrees(m: PartManifest, takings: HeaderTakings): Promise<'exact' | 'headers' | undefined> {
    if (!m.lists.every(([d, names]) => this.names(d) === names)) return undefined;
    const changed = m.reads.filter(([p, id]) => (this.ids.get(p) ?? '') !== id);
    if (changed.length === 0) return 'exact';
    const took = new Map(m.headers ?? []);
    for (const [p] of changed) {
      const was = took.get(p);
      if (was === undefined || (await takings.of(p, was.startsWith('o:'))) !== was) return undefined;
    }
    return 'headers';
  }

  /** `m` with this tree's blob ids: for a manifest that agrees by what its headers give. */
  refreshed(m: PartManifest): PartManifest {
    return { ...m, reads: m.reads.map(([p]) => [p, this.ids.get(p) ?? '']) };
  }
}

/** What an analysis takes from each header of a tree (headerTakings), worked out once per blob. */
class HeaderTakings {
  readonly #memo = new Map<string, Promise<string | undefined> | string>();

  constructor(
    private readonly blobs: BlobView,
    private readonly read: (path: string) => Promise<string | undefined>,
  ) {}

  /** Of the header at `path` in this tree; undefined when the tree has none there. */
  of(path: string, own: boolean): Promise<string | undefined> {
    const key = this.#keyOf(path, own);
    if (key === undefined) return Promise.resolve(undefined);
    const known = this.#memo.get(key);
    if (known !== undefined) return Promise.resolve(known);
    // A header that could not be read agrees with nothing: the partition is read, and fails there.
    const worked = this.read(path).then(
      (text) => (text === undefined ? undefined : headerTakings(path, text, own)),
      () => {
        this.#memo.delete(key);
        return undefined;
      },
    );
    this.#memo.set(key, worked);
    return worked;
  }

  /** Of a header read at `path`, whose text is in hand. */
  ofText(path: string, text: string, own: boolean): string {
    const key = this.#keyOf(path, own);
    const known = key === undefined ? undefined : this.#memo.get(key);
    if (typeof known === 'string') return known;
    const worked = headerTakings(path, text, own);
    if (key !== undefined) this.#memo.set(key, worked);
    return worked;
  }

  /** By blob and depth kind: one header's takings are the same wherever it is read. */
  #keyOf(path: string, own: boolean): string | undefined {
    const id = this.blobs.ids.get(path);
    return id === undefined ? undefined : `${id}:${own ? 'o' : 'i'}`;
  }
}

export interface TreeGraphBuild {
  graph: StoredGraph;
  /**
   * Directories analysed, and of those how many were read back from the store, and how many of
   * these without reading a file (their manifest's blob ids agreed: `unread`).
   */
  partitions: number;
  reused: number;
  unread: number;
  /** Of the unread, those known although a header they read changed (not in what they take from it). */
  pastHeaders: number;
  /** Partitions that could not be analysed, and why: their edges are missing from the graph. */
  failed: { dir: string; reason: string }[];
  /** The graph's edges two directories make through a call from one into the other (stitch-calls.ts), with the two. */
  stitched: StitchedEdge[];
  /** Sleeps under a spinning lock two directories make through such a call (stitch-calls.ts sleeps). */
  stitchedFindings: StitchedFinding[];
  /** What each directory's inferred classes are across the tree (stitch-calls.ts): the graph's edges already say so. */
  aliases: InferredAliases;
}

const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/** The tree's partitions: every directory holding C files (under `under`, when given), in order. */
const partitionDirs = async (base: BaseTree, under?: string): Promise<string[]> => {
  const inside = under ? (p: string): boolean => p.startsWith(`${under}/`) : (): boolean => true;
  return [...new Set((await base.listAll()).filter((p) => p.endsWith('.c') && inside(p)).map(dirOf))].sort();
};

/** Where a directory's manifest is kept: by directory, configuration and lock functions. */
const manifestKeyOf = (dir: string, lockFunctions: readonly LockFunctionConfig[], config: ConfigFile | undefined): string =>
  AnalysisCache.keyOf([{ path: '\u0000dir', text: dir }], lockFunctions, config);

/**
 * A directory's partition as the store knows it from its manifest alone: undefined unless this
 * tree agrees with it (blob ids, or what changed headers give) and its graph is stored.
 */
async function storedByManifest(parts: PartStore, blobs: BlobView, takings: HeaderTakings, key: string): Promise<KnownPartition | undefined> {
  const manifest = await parts.getManifest?.(key);
  const by = manifest ? await blobs.agrees(manifest, takings) : undefined;
  const graph = manifest && by ? await parts.getPart(manifest.key) : undefined;
  return graph && manifest && by ? { graph, manifest, by } : undefined;
}

/** One partition's analysis: what a worker thread is given. */
export interface PartitionJob {
  sources: { path: string; text: string }[];
  headers: Header[];
  config?: ConfigFile;
  lockFunctions: LockFunctionConfig[];
  /** The tree's LINUX_VERSION_CODE (its top Makefile's): what sleeps in that kernel (locks/catalogue.ts). */
  kernelVersion?: number;
  /** The directory's own build files as kbuild reads them: the modules they link, the macros they pass its files (context/kbuild.ts). */
  makefiles?: { path: string; text: string }[];
  /**
   * Of its non-static functions, those no file of the tree outside the directory mentions
   * (commands/partition-mentions.ts): run only from its own calls, or dead. Absent: the tree was
   * not asked, and any may be called from elsewhere.
   */
  unmentioned?: string[];
}

/** A partition's graph: its analysis as a review would make it, every witness kept. */
export async function analyzePartition(job: PartitionJob, cache: FactsCache): Promise<StoredGraph> {
  const config = job.config ? kernelConfig(job.config, undefined) : undefined;
  const facts = await extractFacts(job.sources, { cache, workers: 1 });
  const result = analyzeProgram(facts, { lockFunctions: job.lockFunctions, ...(config ? { config } : {}), ...(job.kernelVersion !== undefined ? { kernelVersion: job.kernelVersion } : {}), ...(job.makefiles ? makefileOptions(job.makefiles, config) : {}), ...(await headerOptions(job.headers, cache)), ...(job.unmentioned ? uncalledHere(job, facts) : {}) });
  const kinds: StoredGraph['kinds'] = {};
  for (const [k, lock] of result.locks) kinds[k] = lock.kind;
  const edges = storedEdgesOf(result.graph);
  const reclassed = [...(result.reclassed ?? [])].sort();
  const unvalidated = [...(result.unvalidated ?? [])].sort();
  const findings = storedFindingsOf(result.findings);
  const { calls, defines } = storedCallsOf(result.calls);
  return {
    edges, kinds, cycles: storedCyclesOf(result.cycles, edges), counts: { files: result.json.files, functions: result.json.functions },
    ...(reclassed.length ? { reclassed } : {}),
    ...(unvalidated.length ? { unvalidated } : {}),
    ...(findings.length ? { findings } : {}),
    ...(result.leftOut.length ? { leftOut: result.leftOut.map((c) => ({ why: c.why, count: c.count })) } : {}),
    ...(calls.length ? { calls } : {}),
    ...(defines.length ? { defines } : {}),
  };
}

/**
 * What analysing the directory alone in its tree says of its functions (analyze-paths.ts): of
 * those its own files name only where they define, declare or call them (never-called.ts), the
 * ones the tree does not mention elsewhere either are called only by name here, or never.
 */
function uncalledHere(job: PartitionJob, facts: readonly FileFacts[]): { neverCalled: string[]; calledOnlyByName: string[] } {
  const outsideSilent = new Set(job.unmentioned);
  const { candidates, called } = uncalledCandidates(job.sources, facts);
  const unmentioned = candidates.filter((n) => outsideSilent.has(n));
  return { neverCalled: unmentioned.filter((n) => !called.has(n)), calledOnlyByName: unmentioned.filter((n) => called.has(n)) };
}

/** Below this many directories the partitions are analysed in this thread. */
const WORKER_MIN_PARTITIONS = 16;

export async function buildTreeGraph(
  base: BaseTree,
  deps: {
    cache: FactsCache;
    parts?: PartStore;
    config?: ConfigFile;
    /** The tree's Kconfig symbols: an object under an option no configuration sets is not built (kbuild.ts unbuiltFiles). */
    kconfig?: KconfigSymbols;
    /** Per directory (a tree path), its non-static functions nothing outside it mentions (PartitionJob.unmentioned). */
    unmentioned?: (dir: string) => string[];
    lockFunctions?: LockFunctionConfig[];
    /** Worker threads; default one per core (at most 4) for a tree of many directories, else none. */
    workers?: number;
    /** Partitions already known by their manifests (knownPartitions): taken as they are. */
    known?: ReadonlyMap<string, KnownPartition>;
    /** Only the directories under this one (a path of the tree, no trailing slash). */
    under?: string;
    /** Each partition's graph as it is joined, in directory order (its own cycles and counts with it). */
    onPartition?: (dir: string, graph: StoredGraph) => void;
    onProgress?: (done: number, total: number, dir: string) => void;
  },
): Promise<TreeGraphBuild> {
  const dirs = await partitionDirs(base, deps.under);
  const lockFunctions = deps.lockFunctions ?? [];
  // The kernel the tree is (disable_irq() sleeps from 3.19 on): an input of every partition.
  const makefile = await base.read('Makefile').catch(() => undefined);
  const kernelVersion = makefile === undefined ? undefined : makefileKernelVersion(makefile);
  // What `obj-$(CONFIG_X)` is in this build: the user's configuration, and the options Kconfig declares.
  const buildConfig = kernelConfig(deps.config, deps.kconfig);
  const workers = deps.workers ?? (dirs.length >= WORKER_MIN_PARTITIONS ? Math.min(4, availableParallelism()) : 0);
  const pool = workers > 0 ? new PartitionPool(workers, deps.cache.store instanceof DiskFactsStore ? deps.cache.store.dir : undefined) : undefined;
  // Joined in directory order, whatever order the workers finish in: a finished partition waits
  // only for those before it, so the tree's partitions are not all held at once.
  const edges = new Map<string, StoredEdge>();
  const kinds: StoredGraph['kinds'] = {};
  const reclassed = new Set<string>();
  const stitcher = new CallStitcher();
  /** Per directory, its witnesses through its inferred classes: renamed once every directory's definitions are known. */
  const throughInferred = new Map<string, string[]>();
  const waiting = new Map<number, StoredGraph | undefined>();
  let joined = 0;
  const join = (): void => {
    while (waiting.has(joined)) {
      const part = waiting.get(joined);
      const dir = dirs[joined] as string;
      waiting.delete(joined++);
      if (!part) continue;
      deps.onPartition?.(dir, part);
      const inferred = new Set(Object.keys(part.kinds).filter((k) => part.kinds[k] === 'inferred'));
      const mine: string[] = [];
      for (const e of part.edges) {
        const id = edgeIdentity(e);
        if (!edges.has(id)) edges.set(id, e);
        if (inferred.has(baseKey(e.from)) || inferred.has(baseKey(e.to))) mine.push(id);
      }
      if (mine.length) throughInferred.set(dir, mine);
      Object.assign(kinds, part.kinds);
      for (const c of part.reclassed ?? []) reclassed.add(c);
      stitcher.add(dir, part);
    }
  };
  const failed: TreeGraphBuild['failed'] = [];
  const pending: Promise<void>[] = [];
  let reused = 0;
  let unread = 0;
  let pastHeaders = 0;
  let done = 0;
  // Headers are shared by most partitions: read once each (the most recently used kept). A path
  // the tree refuses is no header; a read that failed is not kept (the next partition asks again).
  const headerReads = new Lru<string, Promise<string | undefined>>(5_000);
  const readHeader = (path: string): Promise<string | undefined> => {
    let r = headerReads.get(path);
    if (!r) {
      headerReads.set(path, (r = base.read(path).catch((err: unknown) => (err instanceof UnsafePathError ? undefined : Promise.reject(err)))));
      r.catch(() => headerReads.delete(path));
    }
    return r;
  };
  // One tree: a path is one text, hashed once for every partition that reads it.
  const headerHashes = new Map<string, string>();
  const headerHash = (path: string, text: string): string => {
    let hash = headerHashes.get(path);
    if (hash === undefined) headerHashes.set(path, (hash = contentHash(text)));
    return hash;
  };
  // A manifest records the files a partition read, not what the whole tree told it (its Kconfig,
  // the mentions of its functions elsewhere): with those given, a partition is known by its key alone.
  const blobs = deps.parts?.getManifest && base.blobIds && !deps.kconfig && !deps.unmentioned ? new BlobView(await base.blobIds()) : undefined;
  const takings = blobs ? new HeaderTakings(blobs, readHeader) : undefined;
  const manifestKey = (dir: string): string => manifestKeyOf(dir, lockFunctions, deps.config);
  const finished = (i: number, graph: StoredGraph | undefined): void => {
    waiting.set(i, graph);
    join();
    deps.onProgress?.(++done, dirs.length, dirs[i] as string);
  };
  try {
    for (const [i, dir] of dirs.entries()) {
      // Unchanged by blob ids since a stored build (or by what changed headers give): its graph, nothing read.
      const known = deps.known ? deps.known.get(dir) : blobs && takings && deps.parts ? await storedByManifest(deps.parts, blobs, takings, manifestKey(dir)) : undefined;
      if (known) {
        reused++;
        unread++;
        if (known.by === 'headers') {
          pastHeaders++;
          // Found by blob ids alone the next time.
          if (blobs) await deps.parts?.putManifest?.(manifestKey(dir), blobs.refreshed(known.manifest));
        }
        finished(i, known.graph);
        continue;
      }
      // A snapshot per partition: its reads are dropped with it.
      const rec = new RecordingTree(base);
      const snap = Snapshot.fromBase(rec);
      // A header that could not be read is not one the tree lacks: analysed without it, the
      // partition's graph would silently differ from the tree's. It fails, and says why.
      const unreadable: unknown[] = [];
      const recordedHeader = (path: string): Promise<string | undefined> =>
        rec.noted(
          path,
          readHeader(path).catch((err: unknown) => {
            unreadable.push(err);
            return undefined;
          }),
        );
      // Read once for the tree, noted as every partition's read: a new version is a new input.
      await rec.noted('Makefile', Promise.resolve(makefile));
      const read = await snapshotSources(snap, await snap.contextFiles([], 'touched', [dir]), { readHeader: recordedHeader }).catch((err: unknown) => ({ error: err }));
      if ('error' in read || 'over' in read || unreadable.length) {
        const error: unknown = 'error' in read ? read.error : unreadable[0];
        if ('error' in read || unreadable.length) failed.push({ dir, reason: error instanceof Error ? error.message : String(error) });
        finished(i, undefined);
        continue;
      }
      // Its build files, as kbuild reads them (a Kbuild shadows the Makefile beside it): the
      // modules they link (one directory often builds several drivers) and the macros they pass.
      const [own, kbuild] = await Promise.all(['Makefile', 'Kbuild'].map((name) => (dir ? `${dir}/${name}` : name)).map(async (path) => ({ path, text: await rec.read(path).catch(() => undefined) })));
      const shadowed = kbuild?.text !== undefined && own?.text !== undefined && shadowedByKbuild(own.text);
      const makefiles = [shadowed ? undefined : own, kbuild].flatMap((m) => (m?.text === undefined ? [] : [{ path: m.path, text: m.text }]));
      // The C files its Makefiles build, as analysing the directory alone leaves out the others
      // (a template no Makefile names, an object only an option no configuration sets builds).
      // Paths stay the tree's: with no Makefile above given, only its own build files decide.
      const unbuilt = unbuiltFiles(read.sources, makefiles, undefined, buildConfig);
      const sources = unbuilt.size ? read.sources.filter((f) => !unbuilt.has(f.path)) : read.sources;
      const notBuilt = [...unbuilt].map(([file, reason]) => ({ file, reason }));
      const unmentioned = deps.unmentioned?.(dir);
      // Keyed by everything the analysis reads: the files, the headers they include, the Makefiles,
      // and the files left out (the graph lists them).
      const key = AnalysisCache.keyOf([...sources, ...notBuilt.map((u) => ({ path: `\u0002${u.file}`, text: u.reason })), ...read.headers.map((h) => ({ path: `\u0000${h.path}`, text: h.text, hash: headerHash(h.path, h.text) })), ...makefiles.map((m) => ({ path: `\u0001${m.path}`, text: m.text })), ...(unmentioned ? [{ path: '\u0003unmentioned', text: unmentioned.join('\n') }] : [])], lockFunctions, deps.config, kernelVersion);
      const made = blobs && takings && !rec.whole ? blobs.manifest(key, rec, read.headers, takings) : undefined;
      if (made) await deps.parts?.putManifest?.(manifestKey(dir), made);
      const stored = await deps.parts?.getPart(key);
      if (stored) {
        reused++;
        finished(i, stored);
        continue;
      }
      const job: PartitionJob = { sources, headers: read.headers, lockFunctions, ...(deps.config ? { config: deps.config } : {}), ...(kernelVersion !== undefined ? { kernelVersion } : {}), ...(makefiles.length ? { makefiles } : {}), ...(unmentioned ? { unmentioned } : {}) };
      const analysed = (pool ? pool.run(job) : analyzePartition(job, deps.cache)).then(
        async (own) => {
          const graph: StoredGraph = notBuilt.length ? { ...own, unbuilt: notBuilt } : own;
          await deps.parts?.putPart(key, graph);
          finished(i, graph);
        },
        (err: unknown) => {
          failed.push({ dir, reason: err instanceof Error ? err.message : String(err) });
          finished(i, undefined);
        },
      );
      if (!pool) await analysed;
      else {
        pending.push(analysed);
        // Read ahead no further than the workers can take: texts wait in memory.
        await pool.idle(workers * 2);
      }
    }
    await Promise.all(pending);
  } finally {
    await pool?.close();
  }
  // A directory's inferred class is the lock another directory's definition of its lock call returns holding.
  const aliases = stitcher.aliases();
  for (const [dir, ids] of throughInferred) {
    const alias = aliases.get(dir);
    if (!alias) continue;
    for (const id of ids) {
      const e = edges.get(id);
      const renamed = e ? aliasedEdge(e, alias) : e;
      if (renamed === e) continue;
      edges.delete(id);
      if (renamed && !edges.has(edgeIdentity(renamed))) edges.set(edgeIdentity(renamed), renamed);
    }
  }
  // Orders through calls across directories: each new witness once, after the directories' own.
  const stitched = stitcher.edges().filter((s) => {
    const id = edgeIdentity(s.edge);
    if (edges.has(id)) return false;
    edges.set(id, s.edge);
    return true;
  });
  const graph: StoredGraph = { edges: [...edges.values()], kinds, ...(reclassed.size ? { reclassed: [...reclassed].sort() } : {}) };
  return { graph, partitions: dirs.length, reused, unread, pastHeaders, failed, stitched, stitchedFindings: stitcher.sleeps(kinds), aliases };
}

/** A partition known from its manifest: its graph, the manifest, and whether every blob id agreed or a header changed only in what the analysis does not take. */
export interface KnownPartition {
  graph: StoredGraph;
  manifest: PartManifest;
  by: 'exact' | 'headers';
}

/**
 * The partitions of `base` the store knows by their manifests alone (blob ids agreeing, graph
 * stored), and how many it does not: what a build would analyse anew at most. Undefined when the
 * base names no blobs or the store keeps no manifests.
 */
export async function knownPartitions(
  base: BaseTree,
  deps: { parts: PartStore; config?: ConfigFile; lockFunctions?: LockFunctionConfig[] },
): Promise<{ known: Map<string, KnownPartition>; unknown: number } | undefined> {
  if (!base.blobIds || !deps.parts.getManifest) return undefined;
  const blobs = new BlobView(await base.blobIds());
  const takings = new HeaderTakings(blobs, (path) => base.read(path).catch(() => undefined));
  const known = new Map<string, KnownPartition>();
  let unknown = 0;
  for (const dir of await partitionDirs(base)) {
    const found = await storedByManifest(deps.parts, blobs, takings, manifestKeyOf(dir, deps.lockFunctions ?? [], deps.config));
    if (found) known.set(dir, found);
    else unknown++;
  }
  return { known, unknown };
}

interface Queued {
  job: PartitionJob;
  resolve: (g: StoredGraph) => void;
  reject: (e: Error) => void;
}

/**
 * A job as a worker is sent it: a header it was sent before (in this build, one path is one
 * text) comes as its path and depth only. `forget`: drop the texts kept so far, first.
 */
export interface PartitionMessage extends Omit<PartitionJob, 'headers'> {
  headers: { path: string; depth?: number; text?: string }[];
  forget?: true;
  factsDir?: string;
}

/** Header text a worker keeps for the jobs after (UTF-16 code units): past it, it starts again. */
const WORKER_HEADER_BUDGET = 96 * 1024 * 1024;

/** The headers a worker has been sent, so that each goes over once (structured cloning every partition's few hundred was a fifth of a cold build's main thread). */
export class SentHeaders {
  #paths = new Set<string>();
  #size = 0;

  constructor(private readonly budget = WORKER_HEADER_BUDGET) {}

  /** The job's headers as the message carries them, and whether the worker must forget first. */
  message(headers: readonly Header[]): { headers: PartitionMessage['headers']; forget: boolean } {
    let fresh = 0;
    for (const h of headers) if (!this.#paths.has(h.path)) fresh += h.text.length;
    const forget = this.#size > 0 && this.#size + fresh > this.budget;
    if (forget) {
      this.#paths.clear();
      this.#size = 0;
    }
    const out = headers.map((h) => {
      if (this.#paths.has(h.path)) return { path: h.path, ...(h.depth !== undefined ? { depth: h.depth } : {}) };
      this.#paths.add(h.path);
      this.#size += h.text.length;
      return h;
    });
    return { headers: out, forget };
  }
}

/** Worker threads analysing partitions, each one job at a time. */
class PartitionPool {
  readonly #idle: Worker[] = [];
  readonly #queue: Queued[] = [];
  readonly #all: Worker[] = [];
  readonly #sent = new Map<Worker, SentHeaders>();
  #running = 0;
  readonly #waiters: (() => void)[] = [];

  constructor(count: number, readonly factsDir: string | undefined) {
    for (let i = 0; i < count; i++) {
      const w = moduleWorker('partition-worker', import.meta.url);
      this.#all.push(w);
      this.#idle.push(w);
      this.#sent.set(w, new SentHeaders());
    }
  }

  run(job: PartitionJob): Promise<StoredGraph> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      this.#pump();
    });
  }

  /** Resolves once at most `max` jobs are queued or running. */
  idle(max: number): Promise<void> {
    if (this.#queue.length + this.#running <= max) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((w) => w.terminate()));
  }

  #pump(): void {
    while (this.#idle.length && this.#queue.length) {
      const w = this.#idle.pop() as Worker;
      const { job, resolve, reject } = this.#queue.shift() as Queued;
      this.#running++;
      const done = (): void => {
        w.off('message', onMessage);
        w.off('error', onError);
        this.#running--;
        this.#idle.push(w);
        this.#pump();
        for (const r of this.#waiters.splice(0)) r();
      };
      const onMessage = (m: { graph?: StoredGraph; error?: string }): void => {
        done();
        if (m.graph) resolve(m.graph);
        else reject(new Error(m.error ?? 'the partition worker failed'));
      };
      const onError = (err: Error): void => {
        done();
        reject(err);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      const { headers, forget } = (this.#sent.get(w) as SentHeaders).message(job.headers);
      const message: PartitionMessage = { ...job, headers, ...(forget ? { forget: true } : {}), ...(this.factsDir ? { factsDir: this.factsDir } : {}) };
      w.postMessage(message);
    }
  }
}

/** Where whole-tree graphs are kept (store/graph-store.ts), with their partitions. */
export interface TreeGraphStore extends PartStore {
  getTree(key: string): Promise<StoredGraph | undefined>;
  putTree(key: string, graph: StoredGraph): Promise<void>;
  trimParts(): Promise<void>;
}

/** The most directories a bot analyses anew to build a base's graph from the stored ones (Linux 3.0: about 1 s each on average, 70 s the worst). */
export const BOT_GRAPH_NEW_DIRS = 32;

/**
 * The graph of `base` for a review: the stored one when the base names its content (a git
 * tree) and the store has it, else built now, and stored for the next review when it can be.
 * `maxNew`: build only when at most that many directories need analysing anew, the others known
 * from the store by their manifests (a bot, on a base one commit past a stored one); 0, only a
 * stored graph. `source` says which, for the report.
 */
export async function treeGraphFor(
  base: BaseTree,
  deps: { cache: FactsCache; store?: TreeGraphStore; maxNew?: number; config?: ConfigFile; lockFunctions?: LockFunctionConfig[]; onProgress?: (done: number, total: number, dir: string) => void },
): Promise<{ graph: StoredGraph; source: string; edges: number } | undefined> {
  const named = base.cacheKey ? await base.cacheKey() : undefined;
  const key = named !== undefined ? AnalysisCache.keyOf([{ path: '\u0000tree', text: named }], deps.lockFunctions ?? [], deps.config) : undefined;
  const stored = key !== undefined ? await deps.store?.getTree(key) : undefined;
  if (stored) return { graph: stored, source: `${base.describe()}, stored`, edges: stored.edges.length };
  let known: Map<string, KnownPartition> | undefined;
  if (deps.maxNew !== undefined) {
    // A remote base would cost a request per file of every directory analysed.
    const pre = deps.maxNew > 0 && deps.store && !base.remote ? await knownPartitions(base, { parts: deps.store, ...(deps.config ? { config: deps.config } : {}), ...(deps.lockFunctions ? { lockFunctions: deps.lockFunctions } : {}) }) : undefined;
    if (!pre || pre.unknown > deps.maxNew || pre.known.size === 0) return undefined;
    known = pre.known;
  }
  const built = await buildTreeGraph(base, { ...deps, ...(deps.store ? { parts: deps.store } : {}), ...(known ? { known } : {}) });
  if (key !== undefined && deps.store && built.failed.length === 0) {
    await deps.store.putTree(key, built.graph);
    await deps.store.trimParts();
  }
  const failed = built.failed.length ? `; ${built.failed.length} failed: ${built.failed.slice(0, 3).map((f) => `${f.dir} (${f.reason})`).join(', ')}` : '';
  return { graph: built.graph, source: `${base.describe()}, built now from ${built.partitions} directories (${built.reused} unchanged since a stored build${built.unread ? `, ${built.unread} known by blob ids alone${built.pastHeaders ? ` (${built.pastHeaders} of them past header edits that change nothing the analysis reads)` : ''}` : ''})${failed}`, edges: built.graph.edges.length };
}
