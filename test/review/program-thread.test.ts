/**
 * A review's second program thread (review/program-thread.ts): the side analysed there is the
 * side this thread would make. The same reviews of the pipeline corpus, one with every side
 * analysed here and one with a side sent to the thread whenever it is free, give the same JSON.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisCache } from '../../src/analyzers/analysis-cache.ts';
import { FactsCache } from '../../src/analyzers/c/facts-cache.ts';
import { DirTree } from '../../src/diff/dir-tree.ts';
import { review } from '../../src/review.ts';
import { ProgramThread } from '../../src/review/program-thread.ts';
import type { ReviewRequest } from '../../src/review-types.ts';

const dir = join(import.meta.dirname, '../fixtures/review');
const base = new DirTree(join(dir, 'base'));
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');

async function both(request: ReviewRequest): Promise<{ here: unknown; threaded: unknown; thread: ProgramThread }> {
  const thread = new ProgramThread({ enabled: true, minBytes: 0 });
  try {
    const here = await review(request, { cache: new FactsCache(), analyses: new AnalysisCache(), programThread: new ProgramThread({ enabled: false }) });
    const threaded = await review(request, { cache: new FactsCache(), analyses: new AnalysisCache(), programThread: thread });
    return { here: here.json, threaded: threaded.json, thread };
  } finally {
    await thread.close();
  }
}

describe('a side analysed in the program thread', () => {
  it('gives the review this thread gives: a removed ring, an added inversion, a series', async () => {
    for (const [name, context] of [['fix-3lock.patch', 'dir'], ['adds-call-chain.diff', 'dir'], ['series-v2.mbox', 'calls']] as const) {
      const { here, threaded, thread } = await both({ patches: [read(name)], base, context });
      expect(threaded).toEqual(here);
      // One side of each pair went there (the other was analysed here meanwhile).
      expect(thread.stats.inThread).toBeGreaterThan(0);
      expect(thread.stats.here).toBeGreaterThan(0);
    }
  });

  it('with a configuration, made there from its file as here', async () => {
    const config = { path: 'test.config', values: new Map([['SMP', 'y'], ['DEBUG_HUB', '']]), complete: false };
    const { here, threaded, thread } = await both({ patches: [read('adds-call-chain.diff')], base, context: 'dir', config });
    expect(threaded).toEqual(here);
    expect(thread.stats.inThread).toBe(1);
  });
});
