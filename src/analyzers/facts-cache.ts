/**
 * Per-file analysis facts keyed by content hash: a file that did not change between the base
 * and the patched snapshot, or between two reviews of one PR, is parsed once. In memory; a
 * long-running front end keeps one cache for its lifetime (bounded, oldest out first).
 */
import { createHash } from 'node:crypto';
import type { FileFacts } from './ir.ts';

export const contentHash = (text: string): string => createHash('sha256').update(text).digest('hex');

export class FactsCache {
  private readonly map = new Map<string, FileFacts>();
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 5_000) {}

  /** The facts of this content, re-labelled with `path` (the same text may live at two paths). */
  get(hash: string, path: string): FileFacts | undefined {
    const f = this.map.get(hash);
    if (!f) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return f.path === path ? f : { ...f, path };
  }

  set(hash: string, facts: FileFacts): void {
    if (this.map.size >= this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    this.map.set(hash, facts);
  }
}
