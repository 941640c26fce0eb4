/**
 * Whole-program results keyed by the exact inputs (every path with its content hash, and the
 * extra lock functions). A pushed PR keeps its base: the "before" analysis of the next review,
 * and both analyses of a re-check, come from here. Small LRU; results are never mutated.
 */
import { createHash } from 'node:crypto';
import type { AnalysisResult } from './analyze-program.ts';
import type { LockFunctionConfig } from './catalogue-config.ts';
import { contentHash } from './facts-cache.ts';

export class AnalysisCache {
  private readonly map = new Map<string, AnalysisResult>();
  hits = 0;

  constructor(private readonly maxEntries = 32) {}

  /** The key of an analysis input: order-independent over files, sensitive to every byte. */
  static keyOf(files: readonly { path: string; text: string }[], lockFunctions: readonly LockFunctionConfig[]): string {
    const h = createHash('sha256');
    for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) h.update(`${f.path}\u0000${contentHash(f.text)}\u0000`);
    h.update(JSON.stringify(lockFunctions));
    return h.digest('hex');
  }

  get(key: string): AnalysisResult | undefined {
    const hit = this.map.get(key);
    if (hit) {
      this.hits++;
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }

  set(key: string, result: AnalysisResult): void {
    if (this.map.size >= this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    this.map.set(key, result);
  }
}
