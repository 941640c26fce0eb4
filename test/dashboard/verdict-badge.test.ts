/** The list's pills: the verdict it filters by, and the outcome where other kinds say more (issue 11). */
import { describe, expect, it } from 'vitest';
import { reviewBadge } from '../../src/dashboard/views/verdict-badge.ts';
import { loadReview } from '../render/review-fixtures.ts';

describe('reviewBadge', () => {
  it('adds an outcome pill when a patch adds a finding of another kind and no inversion', () => {
    const review = loadReview('kind-sleep-added');
    expect(reviewBadge({ verdict: 'no-change', status: 'done', review }).value).toBe(
      '<span class="badge no-change">no-change</span> <span class="badge outcome-adds" title="over every kind of finding">adds</span>',
    );
  });

  it('shows the verdict alone when it says it all, and the status while there is none', () => {
    expect(reviewBadge({ verdict: 'removes-inversion', status: 'done', review: loadReview('seed-iommu') }).value).toBe('<span class="badge removes-inversion">removes-inversion</span>');
    expect(reviewBadge({ verdict: null, status: 'queued' }).value).toBe('<span class="badge queued">queued</span>');
  });
});
