/**
 * What patchwork shows for one reviewed patch: the check state and its one-line description.
 * The description is the review's verdict sentence (the words every medium uses), cut to fit.
 *
 *   adds a finding of any kind (outcome adds or mixed)   fail
 *   removes findings, or changes nothing                 success
 *   changes nothing but touches pre-existing findings    warning
 *   could not be reviewed (a size bound, does not apply) warning
 *
 * It maps a Review to words; it does not post anything (check-outbox.ts).
 */
import { reviewLocks } from '../render/review-locks.ts';
import { plainStyle } from '../render/render-style.ts';
import { verdictSentence } from '../render/verdict-sentence.ts';
import { preexisting } from '../render/review-changes.ts';
import { addsFinding, reviewOutcome } from '../review-outcome.ts';
import type { Review } from '../review-types.ts';
import type { CheckState } from './check-store.ts';

/** Patchwork's list view shows one short line; longer descriptions are cut here, not there. */
export const MAX_DESCRIPTION = 255;

/** `"x".repeat(300)` -> 252 x's and "...". */
export function fitDescription(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_DESCRIPTION ? line : `${line.slice(0, MAX_DESCRIPTION - 3)}...`;
}

/** The check for `review`, already narrowed to one patch. */
export function checkFor(review: Review): { state: CheckState; description: string } {
  const sentence = verdictSentence(review, plainStyle(reviewLocks(review)));
  const json = review.json;
  if (json.verdict === 'error') return { state: 'warning', description: fitDescription(sentence) };
  if (addsFinding(json)) return { state: 'fail', description: fitDescription(sentence) };
  const touched = preexisting(review).touched.length;
  if (reviewOutcome(json) === 'no-change' && touched > 0) {
    return { state: 'warning', description: fitDescription(`${sentence} The code it touches has ${touched} pre-existing finding${touched === 1 ? '' : 's'}.`) };
  }
  return { state: 'success', description: fitDescription(sentence) };
}
