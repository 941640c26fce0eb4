/**
 * Per-file analysis facts keyed by path and content hash: a file that did not change between
 * the base and the patched snapshot, or between two reviews of one PR, is parsed once. In
 * memory; a long-running front end keeps one cache for its lifetime (bounded, least recently
 * used out). Never by content alone: facts say where the file is (the `.c` files it includes,
 * resolved from its directory; anonymous structs named by file and line), so the same text at
 * another path (`sound/oss/msnd_classic.c` and `sound/isa/msnd/msnd_classic.c`) is another
 * file's facts, as the disk store has always kept them.
 */
import { createHash } from 'node:crypto';
import { Lru } from '../util/lru.ts';
import type { FileFacts } from './ir.ts';

export const contentHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Facts kept outside the process (src/store/facts-store.ts keeps them on disk), consulted when
 * the in-memory cache misses. The analyzer only calls it; it never does the I/O itself.
 */
export interface FactsStore {
  get(path: string, hash: string): Promise<FileFacts | undefined>;
  put(path: string, hash: string, facts: FileFacts): Promise<void>;
}

export class FactsCache {
  private readonly lru: Lru<string, FileFacts>;

  /** `store`: where facts outlive the process; read on a miss here, written with what is lowered. */
  constructor(
    maxEntries = 5_000,
    readonly store?: FactsStore,
  ) {
    this.lru = new Lru(maxEntries);
  }

  get hits(): number {
    return this.lru.hits;
  }

  get misses(): number {
    return this.lru.misses;
  }

  /** The facts of this content at `path`. */
  get(hash: string, path: string): FileFacts | undefined {
    return this.lru.get(`${path}\u0000${hash}`);
  }

  set(hash: string, facts: FileFacts): void {
    this.lru.set(`${facts.path}\u0000${hash}`, facts);
  }
}
