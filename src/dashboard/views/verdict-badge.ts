/**
 * The coloured pill for a review's state: its verdict when it has one, else queued or failed.
 * The words are the `lockscope.review/1` verdicts, unchanged (the list filters by them); when
 * the outcome over every kind of finding says more than the verdict (a sleep in atomic context
 * added, no inversion changed), a second pill says it.
 */
import { reviewOutcome } from '../../review-outcome.ts';
import type { StoredReview } from '../../store/types.ts';
import { html, type SafeHtml } from './html.ts';

/** The badge for a verdict word or a status ("queued", "failed"). */
export function badge(kind: string): SafeHtml {
  return html`<span class="badge ${kind}">${kind}</span>`;
}

const SAME: Record<string, string> = { 'adds-inversion': 'adds', 'removes-inversion': 'removes', mixed: 'mixed', 'no-change': 'no-change', error: 'error' };

/** A stored review's badge: the verdict, or the status while there is none; plus the outcome where it differs. */
export function reviewBadge(review: Pick<StoredReview, 'verdict' | 'status'> & Partial<Pick<StoredReview, 'review'>>): SafeHtml {
  const first = badge(review.verdict ?? review.status);
  const json = review.review?.json;
  if (!json || !review.verdict || !json.outcome) return first;
  const outcome = reviewOutcome(json);
  return SAME[review.verdict] === outcome ? first : html`${first} <span class="badge outcome-${outcome}" title="over every kind of finding">${outcome}</span>`;
}
