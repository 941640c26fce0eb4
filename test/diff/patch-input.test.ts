import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePatchInput } from '../../src/diff/patch-input.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/patches/${name}`, import.meta.url), 'utf8');

/**
 * series-v2-shuffled.mbox holds, in this order:
 *   [PATCH v2 2/3] demo: add widget_reset
 *   [PATCH v2 0/3] demo: fix the widget lock order   (cover, base-commit + change-id)
 *   [PATCH v2 3/3] demo: reset on remove             (base-commit after the diff)
 *   [PATCH v2 1/3] demo: take widget_lock first
 */
describe('parsePatchInput', () => {
  // Mail archives and `b4 mbox` do not keep a series in order; git am order is m of m/n.
  it('orders a shuffled 3-part series and drops the cover letter into cover', async () => {
    const r = await parsePatchInput([fixture('series-v2-shuffled.mbox')]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.series.cover?.subject).toBe('[PATCH v2 0/3] demo: fix the widget lock order');
    expect(r.series.patches.map((p) => p.subject)).toEqual([
      '[PATCH v2 1/3] demo: take widget_lock first',
      '[PATCH v2 2/3] demo: add widget_reset',
      '[PATCH v2 3/3] demo: reset on remove',
    ]);
    expect(r.series.warnings).toEqual([]);
    expect(r.series.patches.every((p) => p.baseCommit === '0123456789abcdef0123456789abcdef01234567')).toBe(true);
    expect(r.series.patches[0]).toMatchObject({ author: 'Dana Developer <dana@example.org>', messageId: '<p1.1700000000.git.dev@example.org>' });
    expect(r.series.patches[1]!.files[0]).toMatchObject({ status: 'added', newPath: 'drivers/demo/reset.c' });
  });

  it('warns about a missing part', async () => {
    const r = await parsePatchInput([fixture('series-v2-missing-part.mbox')]);
    expect(r.ok && r.series.warnings).toEqual(['part 2/3 of the series is missing']);
  });

  it('refuses v1 and v2 parts in one input', async () => {
    const r = await parsePatchInput([fixture('series-mixed-versions.mbox')]);
    expect(r).toEqual({ ok: false, reason: 'the input mixes versions of the series: v1 (2/3) and v2 (1/3, 3/3); pass one version' });
  });

  it('reads a plain git diff as one patch with subject null', async () => {
    const r = await parsePatchInput([fixture('rename-new-delete.diff')]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.series.patches).toHaveLength(1);
    expect(r.series.patches[0]).toMatchObject({ subject: null, messageId: null, commitMessage: '', baseCommit: null });
    expect(r.series.warnings).toEqual([
      'input: binary change to firmware/blob.bin is not applied (its content is unknown)',
      'input: binary change to docs/logo.png is not applied (its content is unknown)',
    ]);
  });

  it('takes the commit message and author from `git show` output', async () => {
    const r = await parsePatchInput([fixture('git-show.txt')]);
    expect(r.ok && r.series.patches[0]).toMatchObject({
      subject: 'demo: take widget_lock first',
      author: 'Dana Developer <dana@example.org>',
      commitMessage: 'demo: take widget_lock first\n\nTake widget_lock before stats_lock everywhere.\n\nSigned-off-by: Dana Developer <dana@example.org>',
    });
  });

  it('reads one format-patch mail, and an mboxrd with escaped From lines', async () => {
    const one = await parsePatchInput([fixture('single-patch.eml')]);
    expect(one.ok && one.series.patches.map((p) => p.subject)).toEqual(['[PATCH] demo: take widget_lock first']);
    const rd = await parsePatchInput([fixture('mboxrd-escaped.mbox')]);
    expect(rd.ok && rd.series.patches[0]!.commitMessage).toBe('Quote the spec in a comment:\n\nFrom the spec, section 4:\n>From nested quote');
  });

  it('concatenates several inputs into one series, numbered parts sorted', async () => {
    const [a, b] = [fixture('series-v2-shuffled.mbox'), fixture('plain-diff-u.diff')];
    const r = await parsePatchInput([b, a]);
    expect(r.ok && r.series.patches.map((p) => p.subject?.slice(0, 14) ?? null)).toEqual([null, '[PATCH v2 1/3]', '[PATCH v2 2/3]', '[PATCH v2 3/3]']);
  });

  it('refuses a flowed patch with its reason, and input without any diff', async () => {
    const flowed = await parsePatchInput([fixture('flowed-patch.eml')]);
    expect(flowed.ok).toBe(false);
    if (!flowed.ok) expect(flowed.reason).toMatch(/^"\[PATCH\] demo: tidy the probe path": format=flowed/);
    expect(await parsePatchInput(['hello, no patch here\n'])).toEqual({ ok: false, reason: 'no patch found in input' });
    const reply = await parsePatchInput([fixture('reply-quoting-diff.eml')]);
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.reason).toMatch(/^no patch found in input \(found a reply/);
    expect(await parsePatchInput([])).toEqual({ ok: false, reason: 'no patch found in input' });
  });

  it('names the mail when its diff is broken', async () => {
    const broken = fixture('single-patch.eml').replace('@@ -10,6 +10,6 @@', '@@ -10,9 +10,9 @@');
    const r = await parsePatchInput([broken]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^"\[PATCH\] demo: take widget_lock first": drivers\/demo\/widget\.c: hunk 1/);
  });
});
