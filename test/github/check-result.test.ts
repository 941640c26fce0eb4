/**
 * The check run's conclusion and words (issue 11): it fails when the pull request adds a finding
 * of any kind (outcome adds or mixed), as the repository configured, and counts by kind.
 */
import { describe, expect, it } from 'vitest';
import { checkResultFor } from '../../src/github/check-result.ts';
import { DEFAULT_CONFIG } from '../../src/github/lockscope-config.ts';
import { loadReview } from '../render/review-fixtures.ts';

describe('checkResultFor', () => {
  it('fails a PR that adds a sleep in atomic context, with one annotation at its line', () => {
    const r = checkResultFor(loadReview('kind-sleep-added'), DEFAULT_CONFIG, 'report');
    expect(r).toMatchObject({ conclusion: 'failure', title: 'Adds 1 sleep in atomic context' });
    expect(r.summary).toMatch(/^This patch adds a sleep in atomic context \(kmalloc with gizmo\.fifo_lock held, in gizmo_sleep_fill\(\)\)\./);
    expect(r.annotations).toEqual([expect.objectContaining({ path: 'drivers/gizmo/sleep.c', start_line: 15, title: expect.stringMatching(/^Sleep in atomic context: /) })]);
    expect(r.annotations[0]?.message).toContain('BUG: sleeping function called from invalid context at drivers/gizmo/sleep.c:15');
  });

  it('follows conclusionOnAdded, and passes a fix', () => {
    expect(checkResultFor(loadReview('kind-leak-added'), { ...DEFAULT_CONFIG, conclusionOnAdded: 'neutral' }, '').conclusion).toBe('neutral');
    expect(checkResultFor(loadReview('kind-leak-removed'), DEFAULT_CONFIG, '')).toMatchObject({ conclusion: 'success', title: 'Removes 1 context imbalance' });
    expect(checkResultFor(loadReview('series-3-add-remove'), DEFAULT_CONFIG, '')).toMatchObject({ conclusion: 'success', title: 'No locking change' });
  });

  // One edge closing five cycles is one annotation, at the line the PR wrote.
  it('annotates each added edge once, at the PR\'s line, with the report of the cycle it closes', () => {
    const r = checkResultFor(loadReview('edge-closes-five'), DEFAULT_CONFIG, '');
    expect(r.title).toBe('Adds 1 lock-order inversion');
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]).toMatchObject({ path: 'drivers/gizmo/order.c', start_line: 62 });
    expect(r.annotations[0]?.message).toContain('and 4 longer cycles through this edge.');
  });

  // A cycle whose witness is long or crosses several function pointers is shown, and warned at
  // its line, but does not fail the check on its own; the same cycle of high confidence does.
  it('is neutral when all a PR adds are cycles of low confidence, and warns instead of failing at their lines', () => {
    const low = checkResultFor(loadReview('adds-low-confidence'), DEFAULT_CONFIG, '');
    expect(low).toMatchObject({ conclusion: 'neutral', title: 'Adds 1 lock-order inversion (low confidence)' });
    expect(low.annotations).toEqual([expect.objectContaining({ path: 'drivers/usb/gadget/udc-lite.c', start_line: 215, annotation_level: 'warning', title: expect.stringMatching(/\(low confidence\)$/) })]);
    expect(low.annotations[0]?.message).toContain('Low confidence: a witness of 6 steps and 2 calls through function pointers.');
    const high = checkResultFor(loadReview('adds'), DEFAULT_CONFIG, '');
    expect(high).toMatchObject({ conclusion: 'failure', title: 'Adds 1 lock-order inversion' });
    expect(high.annotations.map((a) => a.annotation_level)).toEqual(['failure']);
  });
});
