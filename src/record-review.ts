/**
 * The one sequence every front end runs: write the review row (queued), review, then mark it
 * done or failed. The row exists before anything is delivered, so a crash mid-review leaves a
 * visible failed or queued review, never nothing. Not a front end: it sends nothing.
 */
import type { Review, ReviewRequest } from './review-types.ts';
import type { NewReview, ReviewStore } from './store/types.ts';

export interface RecordDeps {
  store: ReviewStore;
  review: (request: ReviewRequest) => Promise<Review>;
  now?: () => number;
}

/** Reviews `request` and records it under `entry`; returns the stored id and the review. */
export async function recordReview(deps: RecordDeps, entry: NewReview, request: ReviewRequest): Promise<{ id: number; review: Review }> {
  const now = deps.now ?? (() => performance.now());
  const id = deps.store.create(entry);
  const started = now();
  let result: Review;
  try {
    result = await deps.review(request);
  } catch (err) {
    // review() returns expected failures as values; an exception is a bug, still recorded.
    deps.store.fail(id, err instanceof Error ? err.message : String(err), { reviewMs: now() - started });
    throw err;
  }
  const timings = { reviewMs: Math.round(now() - started) };
  if (result.json.verdict === 'error') deps.store.fail(id, result.failure?.message ?? result.json.errors.join('; '), timings, result);
  else deps.store.finish(id, result, timings);
  return { id, review: result };
}
