/**
 * The pipeline's warnings (`errors` of lockscope.review/1) that the headline sentence has not
 * already said, so no renderer repeats the no-C-change reason or the failure message.
 */
import type { Review } from '../review-types.ts';

/** errors minus blanks and those the headline already contains, in the pipeline's order. */
export function reviewNotes(review: Review, headline: string, text: (s: string) => string): string[] {
  return (review.json.errors ?? []).filter((e) => e.trim() !== '' && !headline.includes(text(e)));
}
