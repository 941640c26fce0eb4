/**
 * Whole-context analyses kept on disk between runs (`--cache DIR`, in `DIR/analyses`), keyed as
 * the in-memory AnalysisCache keys them (every file and header of the context by content, the
 * lock functions, the configuration) and by the analyzer build. The same review run again in a
 * new process, or the next version of a patch with the same context, reads the before side back
 * (and for the very same patch the after side too) instead of analysing it again.
 *
 * As the other stores: sealed with a checksum (damage detected, deleted, recomputed), written
 * atomically, a cache (a failed read is a miss, a failed write is dropped), bounded by count
 * (least recently used out).
 */
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { AnalysisResult } from '../analyzers/analyze.ts';
import { OrderGraph } from '../analyzers/order/order-graph.ts';
import { analyzerBuild } from './facts-store.ts';
import { keepNewest } from './keep-newest.ts';
import { readEntry, seal, unseal } from './sealed-entry.ts';
import { writeAtomically } from './write-atomically.ts';

const MAGIC = Buffer.from('LSANALY1');

/** Where a review keeps the analyses of its contexts (review.ts `ReviewDeps.analysisStore`). */
export interface AnalysisStore {
  get(key: string): Promise<AnalysisResult | undefined>;
  put(key: string, result: AnalysisResult): Promise<void>;
}

export class DiskAnalysisStore implements AnalysisStore {
  readonly stats = { hits: 0, misses: 0, corrupt: 0, writes: 0 };

  /** `build`: the analyzer build (default the running one's); `maxEntries` kept (default 64). */
  constructor(
    readonly dir: string,
    readonly options: { build?: string; maxEntries?: number } = {},
  ) {}

  file(key: string): string {
    const name = createHash('sha256').update(`${this.options.build ?? analyzerBuild()}\u0000${key}`).digest('hex').slice(0, 40);
    return join(this.dir, `${name}.analysis`);
  }

  get(key: string): Promise<AnalysisResult | undefined> {
    return readEntry(this.file(key), (bytes) => decode(unseal(MAGIC, bytes)), this.stats);
  }

  async put(key: string, result: AnalysisResult): Promise<void> {
    if (await writeAtomically(this.file(key), seal(MAGIC, result))) this.stats.writes++;
    await keepNewest(this.dir, this.options.maxEntries ?? 64);
  }
}

/**
 * A sealed value shaped as an analysis result, its order graph given its class back (a v8
 * round trip keeps the graph's maps and edges, which are all its state, not its prototype).
 */
function decode(value: unknown): AnalysisResult | undefined {
  const r = value as Partial<AnalysisResult> | undefined;
  if (!r || typeof r !== 'object' || !r.json || typeof r.json !== 'object' || !r.graph || typeof r.graph !== 'object') return undefined;
  if (!Array.isArray(r.cycles) || !Array.isArray(r.findings) || !(r.locks instanceof Map) || !(r.names instanceof Map) || !(r.functionsAt instanceof Map) || !r.stats) return undefined;
  return { ...(r as AnalysisResult), graph: Object.setPrototypeOf(r.graph, OrderGraph.prototype) as OrderGraph };
}

/** The analysis store of a server or mail bot: `analyses` in the `facts` directory next to its database. */
export function analysisStoreBesideDb(dbPath: string): DiskAnalysisStore | undefined {
  return dbPath === ':memory:' ? undefined : new DiskAnalysisStore(join(dirname(dbPath), 'facts', 'analyses'));
}
