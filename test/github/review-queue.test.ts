/**
 * Reviews across many repositories arrive in bursts; each can take a gigabyte. The queue must
 * hold them to its concurrency, start the time bound only when a review starts, and keep a slot
 * busy until a timed-out review really ends (its memory is only freed then).
 */
import { describe, expect, it } from 'vitest';
import { ReviewQueue } from '../../src/github/review-queue.ts';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('ReviewQueue', () => {
  it('runs at most `concurrency` reviews and starts the rest in arrival order', async () => {
    const q = new ReviewQueue(2);
    const started: string[] = [];
    const gates = { a: deferred(), b: deferred(), c: deferred() };
    const job = (name: keyof typeof gates) => q.run(async () => (started.push(name), gates[name].promise.then(() => name)), 10_000);
    const results = [job('a'), job('b'), job('c')];
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect([q.running, q.waiting]).toEqual([2, 1]);
    gates.b.resolve();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    gates.a.resolve();
    gates.c.resolve();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect([q.running, q.waiting]).toEqual([0, 0]);
  });

  // The bound is for running, not for waiting in line behind a slow review.
  it('times a review from its start, and keeps its slot until a timed-out review ends', async () => {
    const q = new ReviewQueue(1);
    const slow = deferred();
    const first = q.run(() => slow.promise, 50);
    let secondStarted = 0;
    const second = q.run(async () => void (secondStarted = Date.now()), 50);
    await expect(first).rejects.toMatchObject({ code: 'TIMEOUT' });
    await new Promise((r) => setTimeout(r, 100));
    expect(secondStarted).toBe(0);
    expect(q.running).toBe(1);
    slow.resolve();
    await second;
    expect(secondStarted).toBeGreaterThan(0);
    expect(q.running).toBe(0);
  });

  it('rejects a nonsense concurrency', () => {
    expect(() => new ReviewQueue(0)).toThrow(/positive integer/);
  });
});
