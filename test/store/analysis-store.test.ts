/**
 * Context analyses on disk (src/store/analysis-store.ts): a review run again in a new process
 * (fresh in-memory caches) reads both sides back and gives the very same review; a damaged entry
 * is detected, deleted and recomputed; another analyzer build never reads them.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisCache } from '../../src/analyzers/analysis-cache.ts';
import { FactsCache } from '../../src/analyzers/c/facts-cache.ts';
import { SymbolIndexer } from '../../src/context/symbol-indexer.ts';
import { review } from '../../src/review.ts';
import { DiskAnalysisStore, analysisStoreBesideDb } from '../../src/store/analysis-store.ts';
import { MemoryTree } from '../diff/memory-tree.ts';

const fixtures = join(import.meta.dirname, '../fixtures/context');
const files = Object.fromEntries(['common.h', 'core.c', 'channel.c', 'hw.c', 'chip/main.c', 'unrelated.c'].map((p) => [p, readFileSync(join(fixtures, 'driver', p), 'utf8')]));
const PATCH = readFileSync(join(fixtures, 'chip-irq-calls-core.diff'), 'utf8');

/** A review as a new process makes it: nothing in memory, `store` on disk. */
const reviewWith = (store: DiskAnalysisStore) =>
  review({ patches: [PATCH], base: new MemoryTree(files) }, { cache: new FactsCache(), analyses: new AnalysisCache(), symbols: new SymbolIndexer(), analysisStore: store });

describe('DiskAnalysisStore', () => {
  it('gives a new process both sides back, and the same review', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-analyses-'));
    const first = new DiskAnalysisStore(dir);
    const cold = await reviewWith(first);
    expect(cold.json.verdict).toBe('adds-inversion');
    expect(first.stats).toMatchObject({ hits: 0, writes: 2 });

    const second = new DiskAnalysisStore(dir);
    const warm = await reviewWith(second);
    expect(second.stats).toMatchObject({ hits: 2, writes: 0 });
    expect(warm.json).toEqual(cold.json);
    expect(warm.graph).toEqual(cold.graph);
    expect(warm.locks).toEqual(cold.locks);
  });

  it('detects a damaged entry, deletes it, and analyses again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-analyses-'));
    const cold = await reviewWith(new DiskAnalysisStore(dir));
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, name));
      writeFileSync(join(dir, name), Buffer.from(bytes.map((x, i) => (i === bytes.length - 9 ? x ^ 0x40 : x))));
    }
    const store = new DiskAnalysisStore(dir);
    const again = await reviewWith(store);
    expect(store.stats).toMatchObject({ corrupt: 2, hits: 0, writes: 2 });
    expect(again.json).toEqual(cold.json);
  });

  it('is keyed by the analyzer build, and bounded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-analyses-'));
    await reviewWith(new DiskAnalysisStore(dir, { build: 'b1' }));
    const other = new DiskAnalysisStore(dir, { build: 'b2', maxEntries: 3 });
    await reviewWith(other);
    expect(other.stats).toMatchObject({ hits: 0, writes: 2 });
    expect(readdirSync(dir)).toHaveLength(3);
    expect(analysisStoreBesideDb(join(dir, 'lockscope.db'))?.dir).toBe(join(dir, 'facts', 'analyses'));
    expect(analysisStoreBesideDb(':memory:')).toBeUndefined();
  });
});
