import { describe, expect, it } from 'vitest';
import { plainStyle } from '../../src/render/render-style.ts';
import { reviewLocks } from '../../src/render/review-locks.ts';
import { lockdepCheckLine } from '../../src/render/lockdep-check-line.ts';
import { patchVerdictLine, verdictSentence } from '../../src/render/verdict-sentence.ts';
import { loadReview } from './review-fixtures.ts';

const sentence2 = (r: ReturnType<typeof loadReview>): string => verdictSentence(r, plainStyle(reviewLocks(r)));
const sentence = (name: string): string => sentence2(loadReview(name));

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
      'This patch does not change the lock order or any other lock finding (no C change: the patch touches Documentation/driver-api/dmar-lite.rst; nothing to analyze).',
    );
  });

  it('keeps pre-existing inversions out of the headline of a no-change patch', () => {
    expect(sentence('lockdep-not-confirmed')).toBe('This patch does not change the lock order or any other lock finding.');
  });

  it('reports a failed review with the failure message', () => {
    expect(sentence('error')).toBe('lockscope could not review this patch: drivers/iommu/dmar-lite.c: hunk 2 (@@ -88,7 +88,8 @@) does not apply at or near line 88');
  });

  it('writes longer cycles with single arrows back to the start, and marks inferred classes', () => {
    expect(sentence('three-lock')).toBe('This patch adds the lock-order inversion journal_lock -> jfl_sb_info.s_lock -> lock_quota (inferred) -> journal_lock.');
  });

  it('names recursive locking for what it is', () => {
    expect(sentence('recursive')).toBe('This patch adds the recursive locking of dma_chan.lock.');
  });

  // The driver patch that added one bad order and got 42 cycles in its first sentence.
  it('names the cycle the patch\'s edge closes and counts the longer ones through it', () => {
    expect(sentence('edge-closes-five')).toBe('This patch adds the lock-order inversion gizmo_bus_mutex <-> gizmo_state_mutex, and 4 longer cycles through the same edge.');
  });

  it('names at most three things per direction and counts the rest', () => {
    const r = loadReview('edge-closes-five');
    const edge = r.json.edges!.added[0]!;
    // Four edges of the patch, each closing its own cycle.
    r.json.edges = { added: r.json.inversions.added.slice(1).map((inv, i) => ({ ...edge, from: inv.locks[0]!, to: inv.locks[1]!, cycles: [r.json.edges!.added[0]!.cycles[i + 1]!] })), removed: [] };
    // Four edges with a cycle each, and the two-lock cycle no edge of the patch now explains: five.
    expect(sentence2(r)).toMatch(/^This patch adds the lock-order inversions [^,]+, [^,]+ and [^,]+, and 2 more\.$/);
  });

  it('covers every kind of finding, in the words of its report', () => {
    expect(sentence('kind-sleep-added')).toBe('This patch adds a sleep in atomic context (kmalloc with gizmo.fifo_lock held, in gizmo_sleep_fill()).');
    expect(sentence('kind-leak-removed')).toBe('This patch removes a context imbalance (gizmo_leak_write() returns holding gizmo.io_mutex on some paths).');
    expect(sentence('kind-irq-inversion-added')).toBe('This patch adds the HARDIRQ-safe -> HARDIRQ-unsafe lock order gizmo.evt_lock -> gizmo_cfg_lock.');
    expect(sentence('kind-irq-inconsistent-removed')).toBe('This patch removes an inconsistent lock state of gizmo.irq_lock ({IN-HARDIRQ-W} -> {HARDIRQ-ON-W}).');
    expect(sentence('kind-flush-added')).toMatch(/^This patch adds a flush under lock \(gizmo_flush_pause\(\) is waiting for gizmo_poll_work\(\) /);
    expect(sentence('kind-reclaim-added')).toBe('This patch adds an allocation under a lock a shrinker takes (kmalloc with gizmo_cache.stats_mutex held, in gizmo_cache_stats(); the shrinker gizmo_cache_scan() takes it).');
  });

  // The cycle was there; a patch that adds another way to it is news, and said as such.
  it('names a new path to a pre-existing inversion', () => {
    expect(sentence('new-path-to-inversion')).toBe('This patch adds a new path to the lock-order inversion gizmo_link_mutex <-> gizmo_phy_mutex.');
  });

  it('speaks of a series as a series, and of a series that ends clean as changing nothing', () => {
    expect(sentence('series-3-add-remove')).toBe('This series does not change the lock order or any other lock finding.');
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
      '[1/2] [PATCH 1/2] net: ringlet: name the locks ringlet_locked_copy() takes: does not change the lock order or any other lock finding',
      '[2/2] [PATCH 2/2] net: ringlet: always take rx_lock before tx_lock: removes the lock-order inversion ringlet_priv.rx_lock <-> ringlet_priv.tx_lock',
    ]);
  });
});

describe('lockdepCheckLine', () => {
  // The seed fix: the splat's dependency (device_domain_lock -> &iommu->lock) is the edge it removes.
  it('says a quoted lockdep report is fixed, naming the dependency and where it was taken', () => {
    const r = loadReview('seed-iommu');
    expect(lockdepCheckLine(r.json.lockdep!, plainStyle([]))).toBe(
      'The lockdep report in the commit message (device_domain_lock / &iommu->lock) is fixed by this patch. lockdep reports domain_remove_one_dev_info() taking &iommu->lock while holding device_domain_lock (here &iommu->lock is intel_iommu.lock). lockscope finds that dependency (device_domain_lock -> intel_iommu.lock) before the patch, at domain_remove_one_dev_info() at drivers/iommu/dmar-lite.c:93, and not after it: the patch removes it.',
    );
  });

  it('says a quoted lockdep report is confirmed fixed, with the mapping (a review stored before statuses)', () => {
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
