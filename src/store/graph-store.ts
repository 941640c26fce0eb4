/**
 * Lock-order graphs kept on disk between runs (`--cache DIR`, in `DIR/graphs`): the graph of a
 * whole tree, keyed by what names its content (a git tree id) and the build it was analysed
 * for, and the graph of each partition the tree was built from (a directory with its quoted
 * includes), keyed by its files' content, so the next tree re-analyses only the directories
 * whose files changed. Beside each partition, in `dirs`, its directory's manifest (what the
 * partition read, by git blob id): a later tree whose blob ids agree reuses the partition without
 * reading its files. All are keyed by the analyzer build too: a new lockscope never reads an
 * older one's graphs.
 *
 * As the facts store: each entry is sealed with a checksum (a truncated or altered one is
 * detected, deleted and rebuilt, never trusted), written to a temporary file renamed into place,
 * and it is a cache: a failed read is a miss, a failed write is dropped. Bounded by count: the
 * least recently used trees (a hit refreshes one) and partitions go first.
 */
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { StoredGraph } from '../analyzers/order/stored-graph.ts';
import type { PartManifest } from '../review/tree-graph-build.ts';
import { analyzerBuild } from './facts-store.ts';
import { keepNewest } from './keep-newest.ts';
import { readEntry, seal, unseal } from './sealed-entry.ts';
import { writeAtomically } from './write-atomically.ts';

// 2: a tree graph carries the classes its directories reclass (reviews close no cycle through them).
const TREE = Buffer.from('LSTREEG2');
// 3: a partition carries its own cycles, counts and other findings (analyze by directory reads them).
// 4: and its calls out, and its non-static functions' acquisitions and sleeps (stitch-calls.ts joins them).
const PART = Buffer.from('LSPARTG4');
const MANIFEST = Buffer.from('LSPARTM1');

export interface GraphStoreStats {
  hits: number;
  misses: number;
  writes: number;
  corrupt: number;
  evicted: number;
}

export class DiskGraphStore {
  readonly stats: GraphStoreStats = { hits: 0, misses: 0, writes: 0, corrupt: 0, evicted: 0 };
  readonly manifestStats = { hits: 0, misses: 0, corrupt: 0 };

  /** `maxTrees`/`maxParts`: how many of each are kept (default 4 trees, 50,000 partitions). */
  constructor(
    readonly dir: string,
    readonly options: { build?: string; maxTrees?: number; maxParts?: number } = {},
  ) {}

  getTree(key: string): Promise<StoredGraph | undefined> {
    return this.#get(TREE, this.#file('trees', key));
  }

  async putTree(key: string, graph: StoredGraph): Promise<void> {
    await this.#put(TREE, this.#file('trees', key), graph);
    await this.#trim('trees', this.options.maxTrees ?? 4);
  }

  getPart(key: string): Promise<StoredGraph | undefined> {
    return this.#get(PART, this.#file('parts', key));
  }

  /** Partitions are many: written without trimming; `trimParts` once the build is done. */
  putPart(key: string, graph: StoredGraph): Promise<void> {
    return this.#put(PART, this.#file('parts', key), graph);
  }

  trimParts(): Promise<void> {
    return this.#trim('parts', this.options.maxParts ?? 50_000).then(() => this.#trim('dirs', this.options.maxParts ?? 50_000));
  }

  /** What a directory's partition read last time, by blob id (tree-graph-build.ts). */
  getManifest(key: string): Promise<PartManifest | undefined> {
    return readEntry(this.#file('dirs', key), (bytes) => decodeManifest(unseal(MANIFEST, bytes)), this.manifestStats);
  }

  async putManifest(key: string, manifest: PartManifest): Promise<void> {
    await writeAtomically(this.#file('dirs', key), seal(MANIFEST, manifest));
  }

  #file(kind: 'trees' | 'parts' | 'dirs', key: string): string {
    const name = createHash('sha256').update(`${this.options.build ?? analyzerBuild()}\u0000${key}`).digest('hex').slice(0, 40);
    return join(this.dir, kind, `${name}.graph`);
  }

  #get(magic: Buffer, file: string): Promise<StoredGraph | undefined> {
    return readEntry(file, (bytes) => decode(unseal(magic, bytes)), this.stats);
  }

  async #put(magic: Buffer, file: string, graph: StoredGraph): Promise<void> {
    if (await writeAtomically(file, seal(magic, graph))) this.stats.writes++;
  }

  /** Keeps the `max` most recently used entries of one kind. */
  async #trim(kind: 'trees' | 'parts' | 'dirs', max: number): Promise<void> {
    this.stats.evicted += await keepNewest(join(this.dir, kind), max);
  }
}

/** A sealed value that is a stored graph in shape, else undefined. */
function decode(value: unknown): StoredGraph | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const g = value as Partial<StoredGraph>;
  if (!Array.isArray(g.edges) || !g.kinds || typeof g.kinds !== 'object') return undefined;
  const sideOk = (s: unknown): boolean => !!s && typeof s === 'object' && Array.isArray((s as { steps?: unknown }).steps);
  if (!g.edges.every((e) => e && typeof e.from === 'string' && typeof e.to === 'string' && sideOk(e.held) && sideOk(e.taken))) return undefined;
  const n = g.edges.length;
  const cycleOk = (c: unknown): boolean => !!c && typeof c === 'object' && Array.isArray((c as { edges?: unknown }).edges) && (c as { edges: unknown[] }).edges.every((i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < n);
  if (g.cycles !== undefined && !(Array.isArray(g.cycles) && g.cycles.every(cycleOk))) return undefined;
  if (g.reclassed !== undefined && !(Array.isArray(g.reclassed) && g.reclassed.every((c) => typeof c === 'string'))) return undefined;
  if (g.unvalidated !== undefined && !(Array.isArray(g.unvalidated) && g.unvalidated.every((c) => typeof c === 'string'))) return undefined;
  if (g.leftOut !== undefined && !(Array.isArray(g.leftOut) && g.leftOut.every((c) => !!c && typeof c.why === 'string' && Number.isInteger(c.count)))) return undefined;
  if (g.unbuilt !== undefined && !(Array.isArray(g.unbuilt) && g.unbuilt.every((u) => !!u && typeof u.file === 'string' && typeof u.reason === 'string'))) return undefined;
  const findingOk = (f: unknown): boolean => {
    const x = f as { kind?: unknown; locks?: unknown; evidence?: unknown } | undefined;
    return !!x && typeof x.kind === 'string' && Array.isArray(x.locks) && Array.isArray(x.evidence) && x.evidence.every(sideOk);
  };
  if (g.findings !== undefined && !(Array.isArray(g.findings) && g.findings.every(findingOk))) return undefined;
  const callOk = (c: unknown): boolean => {
    const x = c as { from?: unknown; callee?: unknown; held?: unknown; call?: unknown } | undefined;
    return !!x && typeof x.from === 'string' && typeof x.callee === 'string' && sideOk(x.held) && Array.isArray(x.call) && x.call.length > 0;
  };
  if (g.calls !== undefined && !(Array.isArray(g.calls) && g.calls.every(callOk))) return undefined;
  const defineOk = (d: unknown): boolean => {
    const x = d as { fn?: unknown; file?: unknown; takes?: unknown; sleeps?: { callee?: unknown; steps?: unknown } | null } | undefined;
    const takeOk = (t: unknown): boolean => !!t && typeof (t as { to?: unknown }).to === 'string' && sideOk((t as { taken?: unknown }).taken);
    const sleepOk = (z: { callee?: unknown; steps?: unknown } | null): boolean => !!z && typeof z === 'object' && typeof z.callee === 'string' && Array.isArray(z.steps) && z.steps.length > 0;
    return !!x && typeof x.fn === 'string' && typeof x.file === 'string' && (x.takes === undefined || (Array.isArray(x.takes) && x.takes.every(takeOk))) && (x.sleeps === undefined || sleepOk(x.sleeps));
  };
  if (g.defines !== undefined && !(Array.isArray(g.defines) && g.defines.every(defineOk))) return undefined;
  return g as StoredGraph;
}

/** A sealed value that is a manifest in shape, else undefined. */
function decodeManifest(value: unknown): PartManifest | undefined {
  const m = value as Partial<PartManifest> | undefined;
  if (!m || typeof m !== 'object' || typeof m.key !== 'string' || !Array.isArray(m.reads) || !Array.isArray(m.lists)) return undefined;
  const pairs = (list: unknown[]): boolean => list.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string');
  return pairs(m.reads) && pairs(m.lists) && (m.headers === undefined || (Array.isArray(m.headers) && pairs(m.headers))) ? (m as PartManifest) : undefined;
}

/**
 * The graph store of a server or mail bot: `graphs` in the `facts` directory next to its
 * database, where `lockscope graph --cache DIR/facts` puts them; none for an in-memory database.
 */
export function graphStoreBesideDb(dbPath: string): DiskGraphStore | undefined {
  return dbPath === ':memory:' ? undefined : new DiskGraphStore(join(dirname(dbPath), 'facts', 'graphs'));
}
