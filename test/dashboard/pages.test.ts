/**
 * The dashboard in a real headless Chromium (playwright-core), against the real server on an
 * ephemeral loopback port and a temporary store seeded from test/fixtures/dashboard/:
 *   #1 seed-removes       GitHub PR 7: removes device_domain_lock <-> intel_iommu.lock
 *   #2 vport-adds         GitHub PR 31: adds ovs_mutex <-> vport.mutex (+ one pre-existing)
 *   #3 mail-failed        a mailed patch that does not apply
 *   #4 series-v1-mixed    [PATCH 0/2] series, v1
 *   #5 series-v2-removes  [PATCH v2 0/2], same change-id: history with #4
 *   #6 cli-docs-no-change a documentation-only patch
 *   #7 hostile            vport-adds with script-bearing subject, lock, function and path names
 * Screenshots land in test-output/dashboard/ for people to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardHandler } from '../../src/dashboard/server.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/security-headers.ts';
import { startServer } from '../../src/server.ts';
import { loadFixture, record, tempStore, type TempStore } from './seed-store.ts';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'dashboard');
const EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

describe.skipIf(!existsSync(CHROMIUM))('dashboard pages in Chromium', () => {
  let temp: TempStore;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let page: Page;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    temp = tempStore();
    for (const name of ['seed-removes', 'vport-adds', 'mail-failed', 'series-v1-mixed', 'series-v2-removes', 'cli-docs-no-change']) {
      ids[name] = record(temp.store, loadFixture(name));
    }
    // Everything from a patch is attacker-controlled: subject, lock and function names, paths, links.
    const hostile = loadFixture('vport-adds');
    hostile.entry = { ...hostile.entry, subjectKey: 'pr:666', subject: `vport: ${EVIL}`, author: `"><script>window.__pwned=3</script>`,
      links: { prUrl: 'javascript:window.__pwned=4', commitUrlBase: 'javascript:window.__pwned=5' } };
    const review = hostile.review!;
    const inv = review.json.inversions.added[0]!;
    inv.locks[0] = `</svg>${EVIL}`;
    inv.edges[0]!.from = `</svg>${EVIL}`;
    inv.edges[0]!.chain[0]!.function = EVIL;
    inv.edges[0]!.chain[0]!.file = `net/${EVIL}.c`;
    review.graph.after.edges[0]!.from = `</svg>${EVIL}`;
    review.graph.after.edges.push({ from: 'vport.mutex', to: `</svg>${EVIL}`, chain: [] });
    review.json.errors.push(EVIL);
    ids.hostile = record(temp.store, hostile);

    server = await startServer({ port: 0, host: '127.0.0.1', handlers: [createDashboardHandler({ store: temp.store })] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    temp?.dispose();
  });

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  // A maintainer opens the dashboard: every stored review, newest first, with its verdict.
  it('lists the stored reviews newest first with counts, and filters them with the GET form', async () => {
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(200);
    const rowIds = await page.locator('table.reviews tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
    expect(rowIds).toEqual([ids.hostile, ids['cli-docs-no-change'], ids['series-v2-removes'], ids['series-v1-mixed'], ids['mail-failed'], ids['vport-adds'], ids['seed-removes']]);
    await expect(page.locator('tr[data-id="1"] .badge').textContent()).resolves.toBe('removes-inversion');
    await expect(page.locator('nav.counts [data-verdict="removes-inversion"] .count').textContent()).resolves.toBe('2');
    await expect(page.locator('nav.counts [data-verdict="adds-inversion"] .count').textContent()).resolves.toBe('2');
    await expect(page.locator('nav.counts [data-status="failed"] .count').textContent()).resolves.toBe('1');
    // The stylesheet loads under the CSP (style-src 'self').
    expect(await page.evaluate(() => getComputedStyle(document.body).marginTop)).toBe('0px');
    await shot('list');

    await page.selectOption('select[name="source"]', 'mail');
    await page.fill('input[name="q"]', 'device_domain_lock');
    await Promise.all([page.waitForURL(/source=mail/), page.click('form.filters button[type="submit"]')]);
    const filtered = await page.locator('table.reviews tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
    expect(filtered).toEqual([ids['series-v2-removes'], ids['series-v1-mixed']]);
    expect(await page.inputValue('input[name="q"]')).toBe('device_domain_lock');
    await shot('list-filtered');

    await page.goto(`${server.url}/`);
    await Promise.all([page.waitForURL(/verdict=error/), page.click('nav.counts [data-verdict="error"]')]);
    expect(await page.locator('table.reviews tbody tr').count()).toBe(1);
    await expect(page.locator('table.reviews tbody tr td.subject').textContent()).resolves.toContain('annotate the context flush');
  });

  it('pages through the list', async () => {
    await page.goto(`${server.url}/?pageSize=3`);
    expect(await page.locator('table.reviews tbody tr').count()).toBe(3);
    await expect(page.locator('nav.pages').textContent()).resolves.toContain('Page 1 of 3');
    await page.click('a[rel="next"]');
    await page.click('a[rel="next"]');
    const last = await page.locator('table.reviews tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
    expect(last).toEqual([ids['seed-removes']]);
  });

  // The seed scenario: the fix removes the inversion lockdep reported; the page must show why.
  it('shows a removed inversion with its verdict, chains linked at the base commit, the lockdep check and both graphs', async () => {
    const response = await page.goto(`${server.url}/reviews/${ids['seed-removes']}`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('#verdict').textContent()).resolves.toBe(
      'This patch removes the lock-order inversion device_domain_lock <-> intel_iommu.lock.',
    );
    const removed = page.locator('section.inversion.removed');
    expect(await removed.count()).toBe(1);
    const text = (await removed.textContent()) ?? '';
    for (const want of ['domain_remove_one_dev_info', 'domain_context_mapping_one', 'calls iommu_support_dev_iotlb', 'iommu_support_dev_iotlb']) {
      expect(text).toContain(want);
    }
    const base = '3b18e51c0ffee0ddba11ad0be5eed1e2f3a4b5c6';
    const hrefs = await removed.locator('a.code').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toContain(`https://github.com/example/dmar-lite/blob/${base}/drivers/iommu/dmar-lite.c#L44`);
    await expect(page.locator('p.lockdep').textContent()).resolves.toContain('is confirmed fixed by this patch');

    const before = page.locator('figure.graph[data-side="before"] svg');
    const after = page.locator('figure.graph[data-side="after"] svg');
    expect(await before.locator('g.node text').allTextContents()).toEqual(['device_domain_lock', 'intel_iommu.lock']);
    // Both edges of the removed cycle are green and dashed before the patch; after it one plain edge is left.
    const beforeEdges = await before.locator('g.edge.removed path').evaluateAll((ps) => ps.map((p) => [p.getAttribute('stroke'), p.getAttribute('stroke-dasharray')]));
    expect(beforeEdges).toHaveLength(2);
    for (const [stroke, dash] of beforeEdges) {
      expect(stroke).toBe('#2e7d32');
      expect(dash).not.toBeNull();
    }
    expect(await after.locator('g.edge').count()).toBe(1);
    expect(await after.locator('g.edge.plain').count()).toBe(1);
    await shot('review-removes');
  });

  // A PR adds an AB-BA inversion: the after picture must show the cycle in red, old edges grey.
  it('draws an added inversion as a red cycle in the after graph, with chains linked at the head commit', async () => {
    await page.goto(`${server.url}/reviews/${ids['vport-adds']}`);
    await expect(page.locator('#verdict').textContent()).resolves.toBe('This patch adds the lock-order inversion ovs_mutex <-> vport.mutex.');
    const after = page.locator('figure.graph[data-side="after"] svg');
    const red = await after.locator('g.edge.added').evaluateAll((gs) =>
      gs.map((g) => ({ title: g.querySelector('title')?.textContent, stroke: g.querySelector('path')?.getAttribute('stroke') })),
    );
    expect(red).toHaveLength(2);
    expect(red.every((e) => e.stroke === '#c62828')).toBe(true);
    // The two red edges form a cycle: n_a -> n_b and n_b -> n_a.
    const pairs = red.map((e) => (e.title ?? '').split('->'));
    expect(pairs[0]).toEqual([...(pairs[1] ?? [])].reverse());
    const redNodes = await after.locator('g.node.added text').allTextContents();
    expect(redNodes.sort()).toEqual(['ovs_mutex', 'vport.mutex']);
    expect(await after.locator('g.edge.plain').count()).toBe(3);
    // Nothing is red before the patch: the inversion does not exist yet.
    expect(await page.locator('figure.graph[data-side="before"] g.edge.added').count()).toBe(0);
    const head = 'c0ffee5e1b2a3c4d5e6f708192a3b4c5d6e7f809';
    const hrefs = await page.locator('section.inversion.added a.code').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toContain(`https://github.com/example/vport-net/blob/${head}/net/vport/vport-core.c#L140`);
    // The pre-existing inversion is one line of a collapsed list: the patch does not touch its chains.
    expect(await page.locator('#unchanged').count()).toBe(1);
    expect(await page.locator('details ul.names li').count()).toBe(1);
    await shot('review-adds');
  });

  it('shows why a review failed', async () => {
    await page.goto(`${server.url}/reviews/${ids['mail-failed']}`);
    const failure = (await page.locator('#failure').textContent()) ?? '';
    expect(failure).toContain('does not match the base');
    expect(failure).toContain('PATCH_APPLY');
    await expect(page.locator('#verdict').textContent()).resolves.toMatch(/^lockscope could not review this patch: /);
    await expect(page.locator('.message-id').textContent()).resolves.toBe('<20261201091500.5555-1-lee@example.org>');
    await shot('review-failed');
  });

  // v2 of a series arrives: its page links back to the v1 review.
  it('shows the history of a mail series and the verdict of each patch', async () => {
    await page.goto(`${server.url}/reviews/${ids['series-v2-removes']}`);
    const history = page.locator('table.history tbody tr');
    expect(await history.count()).toBe(2);
    await expect(history.nth(0).textContent()).resolves.toContain('this review');
    await expect(history.nth(1).locator('a').getAttribute('href')).resolves.toBe(`/reviews/${ids['series-v1-mixed']}`);
    const patches = await page.locator('#patches + table tbody tr td:nth-child(2)').allTextContents();
    expect(patches).toEqual(['[PATCH v2 1/2] dmar-lite: drop device_domain_lock before taking iommu->lock', '[PATCH v2 2/2] dmar-lite: unregister units under dmar_global_lock']);
    await page.click(`table.history a[href="/reviews/${ids['series-v1-mixed']}"]`);
    await expect(page.locator('#verdict').textContent()).resolves.toContain('adds the lock-order inversion device_domain_lock <-> dmar_global_lock');
    await shot('review-series-v1');
  });

  // A patch whose subject and lock names carry markup: shown as text, nothing runs.
  it('shows attacker-controlled text as text and runs no script', async () => {
    const response = await page.goto(`${server.url}/reviews/${ids.hostile}`);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    await expect(page.locator('h1.subject').textContent()).resolves.toBe(`vport: ${EVIL}`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    // javascript: links are never emitted.
    const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => h.toLowerCase().includes('javascript'))).toEqual([]);
    expect(await page.locator('svg').count()).toBe(2);
    const labels = await page.locator('figure.graph[data-side="after"] g.node text').allTextContents();
    expect(labels).toContain(`</svg>${EVIL}`);
    await shot('review-hostile');

    await page.goto(`${server.url}/`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(page.locator(`tr[data-id="${ids.hostile}"] td.subject`).textContent()).resolves.toBe(`vport: ${EVIL}`);
  });

  // A row written by an older version, or damaged by hand: show what is known, never a 500.
  it('shows a stored review whose JSON it cannot lay out as a page with the facts', async () => {
    const id = temp.store.create(loadFixture('seed-removes').entry);
    temp.db.prepare(`UPDATE reviews SET status = 'done', verdict = 'no-change', review = '{"json":{"verdict":"no-change"},"graph":{}}' WHERE id = ?`).run(id);
    const response = await page.goto(`${server.url}/reviews/${id}`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('#unreadable').textContent()).resolves.toContain('could not be displayed');
    await expect(page.locator('h1.subject').textContent()).resolves.toContain('drop device_domain_lock');
  });

  it('answers unknown ids with a 404 page, bad queries with 400 and writes with 405', async () => {
    const missing = await page.goto(`${server.url}/reviews/99999`);
    expect(missing?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Review not found');
    await shot('not-found');
    expect((await page.goto(`${server.url}/reviews/abc`))?.status()).toBe(404);
    const bad = await page.goto(`${server.url}/?verdict=maybe`);
    expect(bad?.status()).toBe(400);
    await expect(page.locator('p').first().textContent()).resolves.toContain('verdict must be one of');
    expect((await page.goto(`${server.url}/?page=-1`))?.status()).toBe(400);
    expect((await fetch(`${server.url}/reviews/1`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${server.url}/api/reviews`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${server.url}/not-the-dashboard`)).status).toBe(404);
  });

  // Scripts and other tools read the same data as JSON.
  it('serves the list and one review as JSON with the same filters', async () => {
    const list = (await (await fetch(`${server.url}/api/reviews?source=github&pageSize=2`)).json()) as {
      items: { id: number; url: string; review?: unknown }[];
      total: number;
      counts: Record<string, number>;
    };
    expect(list.total).toBe(4);
    expect(list.items).toHaveLength(2);
    expect(list.items[0]).not.toHaveProperty('review');
    expect(list.items[0]?.url).toBe(`/reviews/${list.items[0]?.id}`);
    const one = (await (await fetch(`${server.url}/api/reviews/${ids['series-v1-mixed']}`)).json()) as {
      verdict: string;
      review: { json: { schema: string } };
      history: { id: number }[];
    };
    expect(one.verdict).toBe('mixed');
    expect(one.review.json.schema).toBe('lockscope.review/1');
    expect(one.history.map((h) => h.id)).toEqual([ids['series-v2-removes'], ids['series-v1-mixed']]);
    const bad = await fetch(`${server.url}/api/reviews?page=zero`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('page');
    expect((await fetch(`${server.url}/api/reviews/12345`)).status).toBe(404);
  });
});
