/**
 * The review pipeline end to end on a small driver tree (test/fixtures/review/base) and patches
 * written against it, through the real parser, applier and analyzer. The JSON of every case is
 * also kept in one golden file (UPDATE_GOLDEN=1 rewrites it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisCache } from '../src/analyzers/analysis-cache.ts';
import { FactsCache } from '../src/analyzers/c/facts-cache.ts';
import { DirTree } from '../src/diff/dir-tree.ts';
import { review } from '../src/review.ts';
import type { ContextMode, Review } from '../src/review-types.ts';
import { stepText } from '../src/render/step-text.ts';

const dir = join(import.meta.dirname, 'fixtures/review');
const base = new DirTree(join(dir, 'base'));
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
// The corpus was written for the directory context: port.c's pre-existing inversion sits next to
// hub.c without a call between them. test/context/ covers the default `calls` context.
const run = (name: string, context: ContextMode = 'dir'): Promise<Review> => review({ patches: [read(name)], base, context });
const sets = (r: Review, k: 'added' | 'removed' | 'unchanged'): string[] => r.json.inversions[k].map((i) => [...i.locks].sort().join(' '));

describe('review pipeline', () => {
  it('a fix that breaks a 3-lock ring removes it and confirms the quoted lockdep report', async () => {
    const r = await run('fix-3lock.patch');
    expect(r.json.verdict).toBe('removes-inversion');
    expect(sets(r, 'removed')).toEqual(['fw_mutex hub_list_mutex power_mutex']);
    expect(sets(r, 'added')).toEqual([]);
    // The pre-existing port.plock <-> port_hub.cfg_mutex inversion is left alone.
    expect(sets(r, 'unchanged')).toEqual(['port.plock port_hub.cfg_mutex']);
    expect(r.json.lockdep).toMatchObject({ confirmed: true, locks: ['hub_list_mutex', 'power_mutex', 'fw_mutex'] });
    expect(r.json.functions).toEqual([{ file: 'drivers/hub/hub.c', name: 'hub_list_rescan', hunks: 1, patches: [1] }]);
    expect(r.json.patches).toEqual([expect.objectContaining({ messageId: '<fix-3lock@example.org>', verdict: 'removes-inversion' })]);
    // Removed inversions carry the base's witnesses: hub_list_rescan took fw_mutex under hub_list_mutex.
    const chain = r.json.inversions.removed[0]?.edges.flatMap((e) => e.chain.map((s) => s.function));
    expect(chain).toContain('hub_list_rescan');
  });

  it('a patch that takes a lock through a new helper adds an inversion, witnessed in the patched code', async () => {
    const r = await run('adds-call-chain.diff');
    expect(r.json.verdict).toBe('adds-inversion');
    expect(sets(r, 'added')).toEqual(['port_hub.lock port_table_lock']);
    const edge = r.json.inversions.added[0]?.edges.find((e) => e.from === 'port_hub.lock');
    expect(edge?.chain.map((s) => `${s.function} ${stepText(s)}`)).toEqual([
      'hub_refresh acquires port_hub.lock',
      'hub_refresh calls hub_table_sync',
      'hub_table_sync acquires port_table_lock',
    ]);
    expect(r.json.patches[0]).toMatchObject({ subject: null, messageId: null, verdict: 'adds-inversion' });
    expect(r.graph.after.edges.some((e) => e.from === 'port_hub.lock' && e.to === 'port_table_lock')).toBe(true);
    expect(r.graph.before.edges.some((e) => e.from === 'port_hub.lock' && e.to === 'port_table_lock')).toBe(false);
  });

  it('moving a function changes nothing, and a lockdep report it does not fix is not confirmed', async () => {
    const plain = await run('moves-code.diff');
    expect(plain.json.verdict).toBe('no-change');
    expect(sets(plain, 'unchanged')).toHaveLength(2);
    const quoted = await run('moves-code-with-splat.patch');
    expect(quoted.json.verdict).toBe('no-change');
    expect(quoted.json.lockdep?.confirmed).toBe(false);
    expect(quoted.json.lockdep?.detail).toMatch(/both before and after/);
  });

  it('a hunk that does not apply is an error naming file and hunk, never a partial review', async () => {
    const r = await run('does-not-apply.diff');
    expect(r.json.verdict).toBe('error');
    expect(r.failure?.code).toBe('PATCH_APPLY');
    expect(r.json.errors[0]).toMatch(/drivers\/hub\/hub\.c: hunk 1/);
    expect(r.json.inversions).toEqual({ added: [], removed: [], unchanged: [] });
  });

  it('a path escaping the tree is refused', async () => {
    const r = await run('hostile-path.diff');
    expect(r.json.verdict).toBe('error');
    expect(r.failure?.code).toBe('UNSAFE_PATH');
  });

  it('a patch with no C change is no-change and says why', async () => {
    const r = await run('docs-only.diff');
    expect(r.json.verdict).toBe('no-change');
    expect(r.json.errors.join()).toMatch(/no C change/);
  });

  it('a series arriving out of order is applied in order; each patch has its own verdict', async () => {
    const r = await run('series-v2.mbox');
    expect(r.json.verdict).toBe('mixed');
    expect(r.json.patches.map((p) => [p.subject, p.verdict])).toEqual([
      ['[PATCH v2 1/2] hub: do not nest fw_mutex under hub_list_mutex', 'removes-inversion'],
      ['[PATCH v2 2/2] hub: sync the port table from hub_refresh()', 'adds-inversion'],
    ]);
    expect(r.meta.map((m) => m.baseCommit)).toEqual(['0123456789abcdef0123456789abcdef01234567', '0123456789abcdef0123456789abcdef01234567']);
  });

  it('garbage input is an error value, not an exception', async () => {
    const r = await review({ patches: ['this is not a patch\n'], base });
    expect(r.json.verdict).toBe('error');
    expect(r.failure?.code).toBe('PATCH_PARSE');
  });

  it('the seed scenario fix removes device_domain_lock <-> intel_iommu.lock and confirms the splat', async () => {
    const ex = join(import.meta.dirname, '../examples/intel-iommu');
    const r = await review({ patches: [readFileSync(join(ex, 'fix.patch'), 'utf8')], base: new DirTree(join(ex, 'base')) });
    expect(r.json.verdict).toBe('removes-inversion');
    expect(r.json.inversions.removed.map((i) => i.locks)).toEqual([['device_domain_lock', 'intel_iommu.lock']]);
    expect(r.json.lockdep).toMatchObject({ confirmed: true, locks: ['device_domain_lock', '&iommu->lock'] });
    const chains = r.json.inversions.removed[0]?.edges.map((e) => e.chain.map((s) => s.function));
    expect(chains).toEqual([
      ['domain_remove_one_dev_info', 'domain_remove_one_dev_info'],
      ['domain_context_mapping_one', 'domain_context_mapping_one', 'iommu_support_dev_iotlb'],
    ]);
    expect(r.hunks[0]?.lockLines.length).toBeGreaterThan(0);
  });

  it('a second review of the same patch reuses the parsed files and the analyses', async () => {
    const cache = new FactsCache();
    const analyses = new AnalysisCache();
    const first = await review({ patches: [read('adds-call-chain.diff')], base }, { cache, analyses });
    const misses = cache.misses;
    expect(analyses.hits).toBe(0);
    const again = await review({ patches: [read('adds-call-chain.diff')], base }, { cache, analyses });
    expect(cache.misses).toBe(misses);
    expect(analyses.hits).toBe(2);
    expect(again.json).toEqual(first.json);
  });

  it('a push to the same PR reuses the analysis of its unchanged base', async () => {
    const analyses = new AnalysisCache();
    // Same directory context for both pushes; under `calls` the file set follows the functions each push touches.
    await review({ patches: [read('adds-call-chain.diff')], base, context: 'dir' }, { analyses });
    const r = await review({ patches: [read('moves-code.diff')], base, context: 'dir' }, { analyses });
    expect(analyses.hits).toBe(1);
    expect(r.json.verdict).toBe('no-change');
  });

  it('matches the golden reviews', async () => {
    const cases = ['fix-3lock.patch', 'adds-call-chain.diff', 'moves-code.diff', 'moves-code-with-splat.patch', 'does-not-apply.diff', 'hostile-path.diff', 'docs-only.diff', 'series-v2.mbox'];
    const out: string[] = [];
    for (const c of cases) out.push(`== ${c}`, JSON.stringify((await run(c)).json, null, 1));
    const text = `${out.join('\n')}\n`;
    const golden = join(dir, 'reviews.golden.txt');
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });
});
