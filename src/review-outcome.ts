/**
 * The outcome of a review over every kind of finding (`lockscope.review/2`), read so that a
 * review stored before /2 (which has only the inversion verdict) still answers: front ends decide
 * exit codes, replies and check conclusions on it, renderers their wording. Derivation only.
 */
import type { Outcome, Verdict } from './review-types.ts';

const FROM_VERDICT: Record<Verdict, Outcome> = {
  'adds-inversion': 'adds',
  'removes-inversion': 'removes',
  mixed: 'mixed',
  'no-change': 'no-change',
  error: 'error',
};

/** `outcome` when present, else the verdict's equivalent. */
export function reviewOutcome(json: { outcome?: Outcome; verdict: Verdict }): Outcome {
  return json.outcome ?? FROM_VERDICT[json.verdict] ?? 'no-change';
}

/** Does the review add something (outcome adds or mixed)? What fails a check and sets exit code 1. */
export function addsFinding(json: { outcome?: Outcome; verdict: Verdict }): boolean {
  const o = reviewOutcome(json);
  return o === 'adds' || o === 'mixed';
}
