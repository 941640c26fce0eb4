/**
 * The coloured pill for a review's state: its verdict when it has one, else queued or failed.
 * The words are the `lockscope.review/1` verdicts, unchanged.
 */
import type { StoredReview } from '../../store/types.ts';
import { html, type SafeHtml } from './html.ts';

/** The badge for a verdict word or a status ("queued", "failed"). */
export function badge(kind: string): SafeHtml {
  return html`<span class="badge ${kind}">${kind}</span>`;
}

/** A stored review's badge: the verdict, or the status while there is none. */
export function reviewBadge(review: Pick<StoredReview, 'verdict' | 'status'>): SafeHtml {
  return badge(review.verdict ?? review.status);
}
