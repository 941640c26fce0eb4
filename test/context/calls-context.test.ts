/**
 * The `calls` context on a real git repository built from test/fixtures/context/driver: a
 * driver whose `chip/main.c` calls helpers defined at the tree root (`core.c`, `channel.c`,
 * `hw.c`), the shape of issue 15. The patch makes `chip_irq()` call `core_reset()`, which
 * takes core_mutex (and calls `hw_poke()`, two calls away); `channel_poll()` in channel.c calls
 * `chip_irq()` holding channel_mutex, and `core_sync()` in core.c takes channel_mutex (through
 * `channel_flush()`) under core_mutex. The inversion core_mutex <-> channel_mutex is only
 * visible with both root files analyzed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisCache } from '../../src/analyzers/analysis-cache.ts';
import { FactsCache } from '../../src/analyzers/c/facts-cache.ts';
import { SymbolIndexer } from '../../src/context/symbol-indexer.ts';
import { GitTree } from '../../src/diff/git-tree.ts';
import { review } from '../../src/review.ts';
import type { Review, ReviewRequest } from '../../src/review-types.ts';
import { testRepo, type TestRepo } from '../commands/git-repo.ts';

const fixtures = join(import.meta.dirname, '../fixtures/context');
const fixture = (path: string): string => readFileSync(join(fixtures, 'driver', path), 'utf8');
const PATCH = readFileSync(join(fixtures, 'chip-irq-calls-core.diff'), 'utf8');
const MAIN_C = fixture('chip/main.c');
const PATCHED_MAIN_C = MAIN_C.replace('chip->state++;', 'core_reset(chip);');
const [COMMON_H, CORE_C, HW_C] = ['common.h', 'core.c', 'hw.c'].map(fixture) as [string, string, string];

let repo: TestRepo;
beforeAll(() => {
  repo = testRepo(join(fixtures, 'driver'));
  // A later commit changing one root file: a review against it rescans only that file.
  writeFileSync(join(repo.dir, 'unrelated.c'), `${fixture('unrelated.c')}\nvoid other_more(void)\n{\n\tother_work();\n}\n`);
  repo.git(['commit', '-q', '-am', 'more']);
});

afterAll(() => repo.remove());

interface Deps {
  cache: FactsCache;
  analyses: AnalysisCache;
  symbols: SymbolIndexer;
}
const fresh = (): Deps => ({ cache: new FactsCache(), analyses: new AnalysisCache(), symbols: new SymbolIndexer() });

async function check(rev: string, deps: Deps, options: Partial<ReviewRequest> = {}): Promise<Review> {
  const base = await GitTree.open(repo.dir, rev);
  try {
    return await review({ patches: [PATCH], base, ...options }, deps);
  } finally {
    base.close();
  }
}
const cycles = (r: Review): string[] => r.json.inversions.added.map((i) => [...i.locks].sort().join(' '));

describe('the calls context', () => {
  it('follows chip/main.c into ../core.c and ../channel.c and finds the inversion dir misses', async () => {
    const dir = await check('HEAD~', fresh(), { context: 'dir' });
    expect(dir.json.verdict).toBe('no-change');
    // Bytes count each file at its largest: main.c as patched.
    expect(dir.json.context).toEqual({ mode: 'dir', files: 2, bytes: PATCHED_MAIN_C.length + COMMON_H.length });

    const calls = await check('HEAD~', fresh());
    expect(calls.json.verdict).toBe('adds-inversion');
    expect(cycles(calls)).toEqual(['channel_mutex core_mutex']);
    // The relative include resolved; the callee, the caller, the callee's callee, nothing unrelated.
    expect(calls.json.context).toEqual({ mode: 'calls', files: 5, bytes: expect.any(Number), depth: 2, index: { scope: 'tree', files: 6 } });
    const chain = calls.json.inversions.added[0]?.edges.flatMap((e) => e.chain.map((s) => `${s.function} (${s.file})`));
    expect(chain).toEqual(expect.arrayContaining(['channel_poll (channel.c)', 'chip_irq (chip/main.c)', 'core_reset (core.c)', 'core_sync (core.c)', 'channel_flush (channel.c)']));
  });

  it('says where the file budget cut the context', async () => {
    const r = await check('HEAD~', fresh(), { maxContextFiles: 3 });
    // main.c and its include always go in; the callee fits, the caller does not, and the walk stops there.
    expect(r.json.context).toEqual({
      mode: 'calls', files: 3, bytes: expect.any(Number), depth: 1, index: { scope: 'tree', files: 6 },
      cutBy: 'files', left: [{ path: 'channel.c', as: 'caller', of: 'chip_irq', depth: 1 }], leftCount: 1,
    });
    expect(r.json.verdict).toBe('no-change');
  });

  it('passes over a file the byte budget cannot hold, takes smaller ones further on, and says so', async () => {
    const r = await check('HEAD~', fresh(), { maxContextBytes: PATCHED_MAIN_C.length + COMMON_H.length + CORE_C.length + HW_C.length + 10 });
    expect(r.json.context).toMatchObject({ files: 4, depth: 2, cutBy: 'bytes', left: [{ path: 'channel.c', as: 'caller', of: 'chip_irq', depth: 1 }], leftCount: 1 });
  });

  it('reuses the index and the lowered files across reviews of one tree, and rescans only changed blobs', async () => {
    const deps = fresh();
    const first = await check('HEAD~', deps);
    expect(deps.symbols.scanned).toBe(6);
    const lowered = deps.cache.misses;
    // A second review of the same tree, through a new GitTree: nothing is scanned or lowered again.
    const again = await check('HEAD~', deps);
    expect(again.json).toEqual(first.json);
    expect(deps.symbols.scanned).toBe(6);
    expect(deps.cache.misses).toBe(lowered);
    // The next commit changed unrelated.c only: one file scanned, nothing new lowered for the context.
    const next = await check('HEAD', deps);
    expect(next.json.verdict).toBe('adds-inversion');
    expect(deps.symbols.scanned).toBe(7);
    expect(deps.cache.misses).toBe(lowered);
  });
});
