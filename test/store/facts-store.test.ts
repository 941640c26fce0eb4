/**
 * The on-disk facts store: entries survive the process (a new instance reads them), are keyed by
 * build, path and content, are checked on every read (a damaged entry is a miss and is rebuilt),
 * and the directory stays under its bound, least recently used out. Then the whole chain: a warm
 * analysis or review gives exactly what a cold one gives, without lowering again.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';
import { AnalysisCache } from '../../src/analyzers/analysis-cache.ts';
import { contentHash, FactsCache } from '../../src/analyzers/c/facts-cache.ts';
import { factsOf } from '../../src/analyzers/c/extract-facts.ts';
import { DirTree } from '../../src/diff/dir-tree.ts';
import { review } from '../../src/review.ts';
import { analyzerBuild, DiskFactsStore, factsCacheBeside } from '../../src/store/facts-store.ts';
import { wholeFileDiff } from '../support/whole-file-diff.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'lockscope-facts-'));
const entries = (dir: string): string[] => readdirSync(dir).flatMap((s) => readdirSync(join(dir, s)).map((n) => join(dir, s, n)));

const source = (name: string, lock: string): { path: string; text: string } => ({
  path: `drivers/x/${name}.c`,
  text: `#include <linux/spinlock.h>\nstatic DEFINE_SPINLOCK(${lock});\nvoid ${name}(void)\n{\n\tspin_lock(&${lock});\n\tspin_unlock(&${lock});\n}\n`,
});

describe('DiskFactsStore', () => {
  it('gives back what was put, from another instance (a restart), for the same build, path and content only', async () => {
    const dir = tmp();
    const file = source('alpha', 'a_lock');
    const facts = await factsOf(file);
    const hash = contentHash(file.text);
    await new DiskFactsStore(dir, { build: 'b1' }).put(file.path, hash, facts);

    const again = new DiskFactsStore(dir, { build: 'b1' });
    expect(await again.get(file.path, hash)).toEqual(facts);
    expect(again.stats).toMatchObject({ hits: 1, misses: 0 });
    expect(await again.get('drivers/x/other.c', hash)).toBeUndefined();
    expect(await again.get(file.path, contentHash(`${file.text}\n`))).toBeUndefined();
    expect(await new DiskFactsStore(dir, { build: 'b2' }).get(file.path, hash)).toBeUndefined();
  });

  it('detects a truncated or altered entry, deletes it and rebuilds it on the next put', async () => {
    const dir = tmp();
    const store = new DiskFactsStore(dir, { build: 'b1' });
    const file = source('beta', 'b_lock');
    const facts = await factsOf(file);
    const hash = contentHash(file.text);
    await store.put(file.path, hash, facts);
    const [entry] = entries(dir);
    if (!entry) throw new Error('no entry written');
    const bytes = readFileSync(entry);

    writeFileSync(entry, bytes.subarray(0, bytes.length - 7)); // half-written
    expect(await store.get(file.path, hash)).toBeUndefined();
    expect(store.stats.corrupt).toBe(1);
    expect(entries(dir)).toEqual([]);

    await store.put(file.path, hash, facts);
    const flipped = Buffer.from(readFileSync(entry));
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 3) ^ 0xff, flipped.length - 3); // same length, one byte changed
    writeFileSync(entry, flipped);
    expect(await store.get(file.path, hash)).toBeUndefined();
    expect(store.stats.corrupt).toBe(2);

    writeFileSync(entry, 'not an entry at all');
    expect(await store.get(file.path, hash)).toBeUndefined();
    await store.put(file.path, hash, facts);
    expect(await store.get(file.path, hash)).toEqual(facts);
  });

  it('stays under its size bound, dropping the least recently used entries first', async () => {
    const dir = tmp();
    const files = Array.from({ length: 8 }, (_, i) => source(`f${i}`, `l${i}`));
    const facts = await Promise.all(files.map((f) => factsOf(f)));
    const probe = new DiskFactsStore(tmp(), { build: 'b1' });
    await probe.put(files[0]!.path, contentHash(files[0]!.text), facts[0]!);
    const one = statSync(entries(probe.dir)[0]!).size;

    // Room for six entries; eviction goes down to 90% (five).
    const store = new DiskFactsStore(dir, { build: 'b1', maxBytes: Math.floor(6.5 * one) });
    const at = (i: number): [string, string] => [files[i]!.path, contentHash(files[i]!.text)];
    for (let i = 0; i < 4; i++) {
      await store.put(...at(i), facts[i]!);
      await new Promise((r) => setTimeout(r, 15)); // distinct mtimes
    }
    expect(await store.get(...at(0))).toBeDefined(); // f0 is now the most recently used
    await new Promise((r) => setTimeout(r, 15));
    for (let i = 4; i < 8; i++) {
      await store.put(...at(i), facts[i]!);
      await new Promise((r) => setTimeout(r, 15));
    }
    const total = entries(dir).reduce((n, e) => n + statSync(e).size, 0);
    expect(total).toBeLessThanOrEqual(Math.floor(6.5 * one));
    expect(store.stats.evicted).toBeGreaterThan(0);
    const reader = new DiskFactsStore(dir, { build: 'b1' });
    expect(await reader.get(...at(7))).toBeDefined(); // the newest stays
    expect(await reader.get(...at(1))).toBeUndefined(); // older than f0's last use: gone first
    expect(await reader.get(...at(2))).toBeUndefined();
    expect(await reader.get(...at(0))).toBeDefined();
  });

  it('sits next to a server or mail bot database, and not at all for an in-memory one', () => {
    const dir = tmp();
    const cache = factsCacheBeside(join(dir, 'lockscope.db'));
    expect(cache.store).toBeInstanceOf(DiskFactsStore);
    expect((cache.store as DiskFactsStore).dir).toBe(join(dir, 'facts'));
    expect(factsCacheBeside(':memory:').store).toBeUndefined();
  });

  it('names the running build by the analyzer code it runs', () => {
    expect(analyzerBuild()).toMatch(/^[0-9a-f]{16}$/);
    expect(analyzerBuild()).toBe(analyzerBuild());
  });
});

describe('warm runs through the store', () => {
  const fixtures = join(import.meta.dirname, '..', 'fixtures', 'review');

  it('analyze: a second run in a new cache reads every file from disk and gives the same result', async () => {
    const dir = tmp();
    const files = [source('one', 'a_lock'), source('two', 'b_lock'), { path: 'drivers/x/both.c', text: 'void both(void)\n{\n\tspin_lock(&a_lock);\n\tone();\n\tspin_lock(&b_lock);\n\ttwo();\n\tspin_unlock(&b_lock);\n\tspin_unlock(&a_lock);\n}\n' }];
    const cold = await analyzeSources(files, { cache: new FactsCache(undefined, new DiskFactsStore(dir)) });
    const store = new DiskFactsStore(dir);
    const warm = await analyzeSources(files, { cache: new FactsCache(undefined, store) });
    expect(store.stats).toMatchObject({ hits: 3, misses: 0, writes: 0 });
    expect(warm.json).toEqual(cold.json);
    expect(warm.json.edges.length).toBeGreaterThan(0);
  });

  it('review: warm reviews give exactly the cold findings, also for a patch to a function many others call', async () => {
    const base = new DirTree(join(fixtures, 'base'));
    const patches = ['fix-3lock.patch', 'adds-call-chain.diff', 'moves-code.diff'].map((p) => readFileSync(join(fixtures, p), 'utf8'));
    // A patch that takes a lock in the helper every port function calls.
    patches.push(sharedHelperPatch(readFileSync(join(fixtures, 'base', 'drivers', 'hub', 'hub.c'), 'utf8')));
    const dir = tmp();
    const fresh = (): { cache: FactsCache; analyses: AnalysisCache } => ({ cache: new FactsCache(undefined, new DiskFactsStore(dir)), analyses: new AnalysisCache() });
    const cold = [];
    for (const p of patches) cold.push((await review({ patches: [p], base, context: 'dir' }, { cache: new FactsCache(), analyses: new AnalysisCache() })).json);
    for (const p of patches) await review({ patches: [p], base, context: 'dir' }, fresh()); // fills the store
    for (const [i, p] of patches.entries()) {
      const deps = fresh();
      const warm = (await review({ patches: [p], base, context: 'dir' }, deps)).json;
      expect(warm).toEqual(cold[i]);
      expect((deps.cache.store as DiskFactsStore).stats.hits).toBeGreaterThan(0);
      expect((deps.cache.store as DiskFactsStore).stats.writes).toBe(0);
    }
    expect(cold[3]?.verdict).not.toBe('error');
    expect(cold[3]?.functions.map((f) => f.name)).toContain('hub_count_ports');
  });
});

/** hub_count_ports, the helper the port functions call, now also takes power_mutex. */
function sharedHelperPatch(hub: string): string {
  const after = hub.replace('\tspin_lock(&hub->lock);\n\thub->nports++;', '\tmutex_lock(&power_mutex);\n\tmutex_unlock(&power_mutex);\n\tspin_lock(&hub->lock);\n\thub->nports++;');
  if (after === hub) throw new Error('hub.c changed: the helper patch no longer applies');
  return wholeFileDiff('drivers/hub/hub.c', hub, after);
}
