/**
 * Per-file analysis facts keyed by content hash: a file that did not change between the base
 * and the patched snapshot, or between two reviews of one PR, is parsed once. In memory; a
 * long-running front end keeps one cache for its lifetime (bounded, least recently used out).
 */
import { createHash } from 'node:crypto';
import { Lru } from '../util/lru.ts';
import type { FileFacts } from './ir.ts';

export const contentHash = (text: string): string => createHash('sha256').update(text).digest('hex');

export class FactsCache {
  private readonly lru: Lru<string, FileFacts>;

  constructor(maxEntries = 5_000) {
    this.lru = new Lru(maxEntries);
  }

  get hits(): number {
    return this.lru.hits;
  }

  get misses(): number {
    return this.lru.misses;
  }

  /** The facts of this content, re-labelled with `path` (the same text may live at two paths). */
  get(hash: string, path: string): FileFacts | undefined {
    const f = this.lru.get(hash);
    if (!f) return undefined;
    return f.path === path ? f : { ...f, path };
  }

  set(hash: string, facts: FileFacts): void {
    this.lru.set(hash, facts);
  }
}
