/**
 * Whole-program results keyed by the exact inputs (every path with its content hash, and the
 * extra lock functions). A pushed PR keeps its base: the "before" analysis of the next review,
 * and both analyses of a re-check, come from here. Small LRU; results are never mutated.
 */
import type { ConfigFile } from './c/kernel-config.ts';
import { createHash } from 'node:crypto';
import type { AnalysisResult } from './analyze-program.ts';
import { contentHash } from './c/facts-cache.ts';
import type { LockFunctionConfig } from './locks/catalogue-config.ts';
import { Lru } from './util/lru.ts';

export class AnalysisCache {
  private readonly lru: Lru<string, AnalysisResult>;

  constructor(maxEntries = 32) {
    this.lru = new Lru(maxEntries);
  }

  get hits(): number {
    return this.lru.hits;
  }

  /**
   * The key of an analysis input: order-independent over files, sensitive to every byte. A file
   * may bring its content hash (`hash`, contentHash of its text) when the caller knows it already.
   */
  static keyOf(files: readonly { path: string; text: string; hash?: string }[], lockFunctions: readonly LockFunctionConfig[], config?: ConfigFile, kernelVersion?: number): string {
    const h = createHash('sha256');
    for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) h.update(`${f.path}\u0000${f.hash ?? contentHash(f.text)}\u0000`);
    h.update(JSON.stringify(lockFunctions));
    if (config) h.update(JSON.stringify([config.complete, [...config.values].sort()]));
    // The tree's kernel decides what sleeps (locks/catalogue.ts SLEEPS_SINCE).
    if (kernelVersion !== undefined) h.update(`\u0000kernel ${kernelVersion}`);
    return h.digest('hex');
  }

  get(key: string): AnalysisResult | undefined {
    return this.lru.get(key);
  }

  set(key: string, result: AnalysisResult): void {
    this.lru.set(key, result);
  }
}
