/**
 * Lattice laws of the held-lock state (held-set.ts), checked on random states: the fixpoints in
 * held-locks.ts terminate and are order-independent only if join is a least upper bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Held, HeldState, State } from '../../src/analyzers/locks/held-set.ts';
import { join, leq, release } from '../../src/analyzers/locks/held-set.ts';

const LOCKS = ['a_lock', 'b_lock', 'dev.lock', 'q.qlock'];

const held: fc.Arbitrary<Held> = fc.record({ key: fc.constantFrom(...LOCKS), read: fc.boolean(), tryLock: fc.boolean(), scope: fc.constantFrom(0, 3) }).map((h) => ({
  ref: { c: h.key, provenance: 'global', kind: 'spinlock', text: h.key },
  key: h.key, kind: 'spinlock', read: h.read, nested: false, tryLock: h.tryLock, scope: h.scope,
  chain: [{ function: 'f', file: 'f.c', line: 1, what: `acquires ${h.key}` }],
}));

const state: fc.Arbitrary<State> = fc.option(
  fc.record({
    held: fc.array(held, { maxLength: 5 }),
    gone: fc.subarray(LOCKS).map((g) => [...g].sort()),
    pending: fc.constant({}),
  }) as fc.Arbitrary<HeldState>,
  { nil: null },
);

/** Equal as lattice elements: each below the other. */
const same = (a: State, b: State): boolean => leq(a, b) && leq(b, a);

describe('held-lock lattice', () => {
  it('join is an upper bound of both sides', () => {
    fc.assert(fc.property(state, state, (a, b) => leq(a, join(a, b)) && leq(b, join(a, b))));
  });

  it('join is commutative, associative and idempotent', () => {
    fc.assert(fc.property(state, state, state, (a, b, c) => same(join(a, b), join(b, a)) && same(join(join(a, b), c), join(a, join(b, c))) && same(join(a, a), a)));
  });

  it('bottom (unreachable) is the identity of join', () => {
    fc.assert(fc.property(state, (a) => same(join(null, a), a) && same(join(a, null), a) && leq(null, a)));
  });

  it('leq is exactly "join adds nothing"', () => {
    fc.assert(fc.property(state, state, (a, b) => leq(a, b) === same(join(a, b), b)));
  });

  // An unlock of a lock nobody here took is the caller's lock: remembered as gone, never a crash.
  it('releasing a lock not held records it as gone instead of failing', () => {
    const s: HeldState = { held: [], pending: {}, gone: [] };
    const r = release(s, 'a_lock');
    expect(r.found).toBe(false);
    expect(r.state.gone).toEqual(['a_lock']);
  });
});
