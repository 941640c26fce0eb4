/**
 * A review page says when an added cycle is of low confidence (its witness long, or through
 * several function pointers), and why, and says nothing of the kind for a high one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDashboardHandler } from '../../src/dashboard/server.ts';
import { startServer } from '../../src/server.ts';
import { loadFixture, record, tempStore, type TempStore } from './seed-store.ts';

let temp: TempStore | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  temp?.dispose();
  close = undefined;
  temp = undefined;
});

describe('the page of a review adding a cycle of low confidence', () => {
  it('tags the verdict and the cycle, and gives the reason', async () => {
    temp = tempStore();
    const high = record(temp.store, loadFixture('vport-adds'));
    const doubtful = loadFixture('vport-adds');
    doubtful.entry = { ...doubtful.entry, subjectKey: 'pr:32' };
    const inv = doubtful.review?.json.inversions.added[0];
    if (!inv) throw new Error('the fixture adds an inversion');
    inv.confidence = { level: 'low', longestChain: 7, indirectCalls: 0 };
    const low = record(temp.store, doubtful);
    const server = await startServer({ port: 0, handlers: [createDashboardHandler({ store: temp.store, graphSvg: async () => ({ ok: false, reason: 'not drawn in this test' }) })] });
    close = server.close;
    const page = await (await fetch(`${server.url}/reviews/${low}`)).text();
    expect(page).toContain('This patch adds the lock-order inversion ovs_mutex &lt;-&gt; vport.mutex (low confidence).');
    expect(page).toMatch(/<section class="inversion added" data-change="added" data-confidence="low">\s*<p><strong>[^<]*<\/strong><\/p><p class="muted">Low confidence: a witness of 7 steps\.<\/p>/);
    const plain = await (await fetch(`${server.url}/reviews/${high}`)).text();
    expect(plain).not.toContain('data-confidence');
    expect(plain).not.toContain('low confidence');
  });
});
