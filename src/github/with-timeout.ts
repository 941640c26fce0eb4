/**
 * Bounds one review in time, so a pathological patch ends in a check run that says so instead
 * of a run stuck "in progress" forever. It does not cancel the work (review() has no abort
 * signal); it stops waiting for it.
 */

/** Thrown when the bound passes; `code` is what toOutcome maps. */
export class TimeoutError extends Error {
  readonly code = 'TIMEOUT';
  constructor(readonly ms: number) {
    super(`the review did not finish within ${Math.round(ms / 1000)} s`);
    this.name = 'TimeoutError';
  }
}

/** Resolves like `work`, or rejects with TimeoutError after `ms` milliseconds. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
    timer.unref();
  });
  return Promise.race([work, bound]).finally(() => clearTimeout(timer));
}
