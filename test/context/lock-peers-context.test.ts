/**
 * The `calls` context takes in the callers of a touched file's other users of the touched
 * functions' locks. test/fixtures/context/lock-peers: cache/cache.c's cache_copy_out() copies to
 * user memory under cache_mutex (a fault takes mmap_sem), and prof/sync.c walks a task's
 * mappings under mmap_sem calling cache_get(), which takes cache_mutex. The patch moves the copy
 * out of the lock: it removes the inversion, which shows only with prof/sync.c analyzed, and no
 * call from the patched function reaches it.
 */
import { readFileSync } from 'node:fs';
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
const PATCH = readFileSync(join(fixtures, 'cache-copy-out-unlocked.diff'), 'utf8');

let repo: TestRepo;
beforeAll(() => {
  repo = testRepo(join(fixtures, 'lock-peers'));
});
afterAll(() => repo.remove());

async function check(options: Partial<ReviewRequest> = {}): Promise<Review> {
  const base = await GitTree.open(repo.dir, 'HEAD');
  try {
    return await review({ patches: [PATCH], base, ...options }, { cache: new FactsCache(), analyses: new AnalysisCache(), symbols: new SymbolIndexer() });
  } finally {
    base.close();
  }
}

describe('the calls context and the other users of a lock', () => {
  it("follows cache_get()'s callers into prof/sync.c and finds the inversion the patch removes", async () => {
    const r = await check();
    expect(r.json.verdict).toBe('removes-inversion');
    expect(r.json.inversions.removed.map((i) => [...i.locks].sort().join(' '))).toEqual(['cache_mutex mm_struct.mmap_sem']);
    // The patched file and the lock user's caller; not the unrelated file.
    expect(r.json.context).toEqual({ mode: 'calls', files: 2, bytes: expect.any(Number), depth: 1, index: { scope: 'tree', files: 3 } });
    const chain = r.json.inversions.removed[0]?.edges.flatMap((e) => e.chain.map((s) => `${s.function} (${s.file})`));
    expect(chain).toEqual(expect.arrayContaining(['sync_samples (prof/sync.c)', 'cache_get (cache/cache.c)', 'cache_copy_out (cache/cache.c)']));
  });

  it('names the lock user caller it had to leave out', async () => {
    const r = await check({ maxContextFiles: 1 });
    expect(r.json.verdict).toBe('no-change');
    expect(r.json.context).toMatchObject({ cutBy: 'files', left: [{ path: 'prof/sync.c', as: 'lock-user caller', of: 'cache_get', depth: 1 }], leftCount: 1 });
  });
});
