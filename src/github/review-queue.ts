/**
 * Bounds how many reviews a server process runs at once. A review holds its whole analysis in
 * memory (a 4 MB C file took about 1 GB), so a burst of pull requests across many repositories
 * must wait in line instead of running side by side into the OOM killer. Reviews past
 * `concurrency` wait for a slot in arrival order; the time bound starts when a review starts,
 * not while it waits. A review that runs past its bound is reported as timed out but keeps its
 * slot until it really ends: review() cannot be cancelled, and its memory is only freed then.
 * In-process only, like KeyedQueue.
 */
import { withTimeout } from './with-timeout.ts';

/** Default slots: two reviews at once (about 2 GB at worst for 4 MB files). */
export const DEFAULT_REVIEW_CONCURRENCY = 2;

export class ReviewQueue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly concurrency: number = DEFAULT_REVIEW_CONCURRENCY) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`review concurrency must be a positive integer, got ${concurrency}`);
  }

  /** Reviews running now. */
  get running(): number {
    return this.#running;
  }

  /** Reviews waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `work` in a slot; rejects with TimeoutError (code TIMEOUT) when it runs longer than `timeoutMs`. */
  run<T>(work: () => Promise<T>, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.#running++;
        const running = Promise.resolve().then(work);
        void running.then(
          () => this.#release(),
          () => this.#release(),
        );
        withTimeout(running, timeoutMs).then(resolve, reject);
      };
      if (this.#running < this.concurrency) start();
      else this.#waiting.push(start);
    });
  }

  #release(): void {
    this.#running--;
    this.#waiting.shift()?.();
  }
}
