/**
 * The one sequence every front end runs: write the review row (queued), review, then mark it
 * done or failed. The row exists before anything is delivered, so a crash mid-review leaves a
 * visible failed or queued review, never nothing. Not a front end: it sends nothing.
 *
 * `reviewForRow` is the same sequence split at the last write, for a front end that must store
 * the result together with other rows (the mail bot stores a series' review, its replies and the
 * series state in one transaction, so a crash can never leave one without the others).
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
  const id = deps.store.create(entry);
  const { review, save } = await reviewForRow(deps, id, request);
  save();
  return { id, review };
}

/**
 * Reviews `request` for the existing row `id` and returns the review with `save`, which marks the
 * row done or failed: call it inside the transaction that stores what depends on the review.
 * review() returns expected failures as values; if it throws (a bug) the row is marked failed at
 * once and the error rethrown.
 */
export async function reviewForRow(deps: RecordDeps, id: number, request: ReviewRequest): Promise<{ review: Review; save: () => void }> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  let result: Review;
  try {
    result = await deps.review(request);
  } catch (err) {
    deps.store.fail(id, err instanceof Error ? err.message : String(err), { reviewMs: now() - started });
    throw err;
  }
  const timings = { reviewMs: Math.round(now() - started) };
  const save = (): void => {
    if (result.json.verdict === 'error') deps.store.fail(id, result.failure?.message ?? result.json.errors.join('; '), timings, result);
    else deps.store.finish(id, result, timings);
  };
  return { review: result, save };
}
