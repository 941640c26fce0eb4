/**
 * Runs jobs with the same key one after another. GitHub often delivers `opened` and a first
 * `synchronize` (or a redelivery) within a second; without this, both would list the PR's
 * comments, find no lockscope comment, and each create one. Jobs with different keys run
 * concurrently. In-process only: one server instance per app installation set.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `job` after every earlier job with the same key has settled; resolves with its result. */
  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(job, job);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }
}
