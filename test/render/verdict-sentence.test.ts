import { describe, expect, it } from 'vitest';
import { plainStyle } from '../../src/render/render-style.ts';
import { reviewLocks } from '../../src/render/review-locks.ts';
import { lockdepCheckLine } from '../../src/render/lockdep-check-line.ts';
import { patchVerdictLine, verdictSentence } from '../../src/render/verdict-sentence.ts';
import { loadReview } from './review-fixtures.ts';

const sentence = (name: string): string => {
  const r = loadReview(name);
  return verdictSentence(r, plainStyle(reviewLocks(r)));
};

describe('verdictSentence', () => {
  // The intel-iommu fix: the sentence a maintainer reads first.
  it('says which inversion a fix removes', () => {
    expect(sentence('removes')).toBe('This patch removes the lock-order inversion device_domain_lock <-> intel_iommu.lock.');
  });

  it('says which inversion a patch adds', () => {
    expect(sentence('adds')).toBe('This patch adds the lock-order inversion cfg_mutex <-> udc_gadget.lock.');
  });

  it('names both sides of a mixed patch in one sentence', () => {
    expect(sentence('mixed')).toBe(
      'This patch adds the lock-order inversion dma_chan.lock <-> dma_dev.irq_lock and removes the lock-order inversion chan_list_lock <-> dma_chan.lock.',
    );
  });

  // A documentation-only patch: say why nothing was analyzed rather than a bare "no change".
  it('gives the reason when the patch has no C change', () => {
    expect(sentence('no-change')).toBe(
      'This patch does not change the lock order (no C change: the patch touches Documentation/driver-api/dmar-lite.rst; nothing to analyze).',
    );
  });

  it('keeps pre-existing inversions out of the headline of a no-change patch', () => {
    expect(sentence('lockdep-not-confirmed')).toBe('This patch does not change the lock order.');
  });

  it('reports a failed review with the failure message', () => {
    expect(sentence('error')).toBe('lockscope could not review this patch: drivers/iommu/dmar-lite.c: hunk 2 (@@ -88,7 +88,8 @@) does not apply at or near line 88');
  });

  it('writes longer cycles with single arrows back to the start, and marks inferred classes', () => {
    expect(sentence('three-lock')).toBe('This patch adds the lock-order inversion journal_lock -> jfl_sb_info.s_lock -> lock_quota (inferred) -> journal_lock.');
  });

  it('writes recursive locking as a one-lock cycle', () => {
    expect(sentence('recursive')).toBe('This patch adds the lock-order inversion dma_chan.lock -> dma_chan.lock.');
  });

  it('uses the plural for several inversions', () => {
    const r = loadReview('adds');
    const other = loadReview('removes').json.inversions.removed[0]!;
    r.json.inversions.added.push(other);
    expect(verdictSentence(r, plainStyle(reviewLocks(r)))).toBe(
      'This patch adds the lock-order inversions cfg_mutex <-> udc_gadget.lock and device_domain_lock <-> intel_iommu.lock.',
    );
  });

  it('falls back to the errors when a failed review lost its failure object', () => {
    const r = loadReview('error');
    r.failure = null;
    expect(verdictSentence(r, plainStyle([]))).toMatch(/^lockscope could not review this patch: drivers\/iommu/);
  });

  // A subject holding a newline or an ANSI escape must not forge lines in a terminal.
  it('makes failure messages printable', () => {
    const r = loadReview('error');
    r.failure = { code: 'PATCH_PARSE', message: 'bad\nFAKE LINE\u001b[2J' };
    expect(verdictSentence(r, plainStyle([]))).toBe('lockscope could not review this patch: bad\\nFAKE LINE\\x1b[2J');
  });
});

describe('patchVerdictLine', () => {
  it('numbers the patches of a series with their subjects', () => {
    const r = loadReview('series-2');
    const style = plainStyle(reviewLocks(r));
    expect(r.json.patches.map((p, i) => patchVerdictLine(p, i, 2, style))).toEqual([
      '[1/2] [PATCH 1/2] net: ringlet: name the locks ringlet_locked_copy() takes: does not change the lock order',
      '[2/2] [PATCH 2/2] net: ringlet: always take rx_lock before tx_lock: removes the lock-order inversion ringlet_priv.rx_lock <-> ringlet_priv.tx_lock',
    ]);
  });
});

describe('lockdepCheckLine', () => {
  it('says a quoted lockdep report is confirmed fixed, with the mapping', () => {
    const r = loadReview('lockdep-confirmed');
    expect(lockdepCheckLine(r.json.lockdep!, plainStyle([]))).toMatch(
      /^The lockdep report in the commit message \(device_domain_lock \/ &iommu->lock\) is confirmed fixed by this patch\. lockscope finds/,
    );
  });

  it('says when it is not confirmed, with the reason', () => {
    const r = loadReview('lockdep-not-confirmed');
    expect(lockdepCheckLine(r.json.lockdep!, plainStyle([]))).toMatch(/is not confirmed fixed by this patch\. .*both before and after the patch/);
  });
});
