/**
 * A review of a patch that closes hundreds of cycles (the driver patch of issue 12 got 42
 * "added" cycles and a 459 KB mail) still gives a dashboard page a browser opens at once: under
 * ~200 KB, the patch's edges first with their chains, the rest by name, collapsed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InversionJson } from '../../src/analyzers/report-types.ts';
import { createDashboardHandler } from '../../src/dashboard/server.ts';
import { PAGE_LIMITS } from '../../src/dashboard/views/review-page.ts';
import type { Review } from '../../src/review-types.ts';
import { startServer } from '../../src/server.ts';
import { loadReview } from '../render/review-fixtures.ts';
import { tempStore, type TempStore } from './seed-store.ts';

let temp: TempStore | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  temp?.dispose();
  close = undefined;
  temp = undefined;
});

/** 120 edges each closing its own 6-lock cycle with long chains, 600 pre-existing cycles and 60 findings. */
function huge(): Review {
  const r = loadReview('edge-closes-five');
  const step = (fn: string, line: number): InversionJson['edges'][number]['chain'][number] => ({ function: fn, file: 'drivers/gizmo/order.c', line, op: 'call', callee: `${fn}_helper` });
  const cycle = (tag: string): InversionJson => {
    const locks = Array.from({ length: 6 }, (_, i) => `lock_${tag}_${i}`);
    return { locks, edges: locks.map((l, i) => ({ from: l, to: locks[(i + 1) % 6] as string, chain: Array.from({ length: 8 }, (_, k) => step(`fn_${tag}_${i}_${k}`, 100 + k)) })) };
  };
  const added = Array.from({ length: 120 }, (_, i) => cycle(`a${i}`));
  const unchanged = Array.from({ length: 600 }, (_, i) => cycle(`u${i}`));
  const finding = r.json.findings.added[0]!;
  r.json.inversions = { added, removed: [], unchanged };
  r.json.edges = { added: added.map((c) => ({ ...c.edges[0]!, cycles: [[...c.locks].sort().join(' <-> ')] })), removed: [] };
  r.json.findings = { added: Array.from({ length: 60 }, (_, i) => ({ ...finding, kind: 'lock-leak' as const, function: `leaky_${i}`, title: `context imbalance in leaky_${i}(): returns holding x on some paths` })), removed: [], unchanged: [] };
  return r;
}

describe('the page of a large review', () => {
  it('stays under 200 KB, with the first changes in full and the rest named and counted', async () => {
    temp = tempStore();
    const id = temp.store.create({ source: 'cli', repository: 'dir base', subjectKey: 'x', subject: 'a huge patch', author: null, base: null, head: null, links: {} });
    temp.store.finish(id, huge(), {});
    const server = await startServer({ port: 0, handlers: [createDashboardHandler({ store: temp.store, graphSvg: async () => ({ ok: false, reason: 'not drawn in this test' }) })] });
    close = server.close;
    const page = await (await fetch(`${server.url}/reviews/${id}`)).text();
    expect(Buffer.byteLength(page)).toBeLessThan(200 * 1024);
    expect(page).toContain('Added by the patch (180)');
    expect(page.match(/<section class="inversion added"/g)).toHaveLength(PAGE_LIMITS.blocks);
    expect(page).toContain('<summary>160 more</summary>');
    expect(page).toContain('and 60 more in <a href="/api/reviews/');
    expect(page).toContain('<summary>All pre-existing findings (600)</summary>');
  });
});
