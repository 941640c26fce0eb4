/**
 * Lattice laws of the flow state (flow/state.ts: sets of paths with held locks, released
 * caller locks and facts), checked on random states: the fixpoints of the walk terminate and
 * do not depend on the order paths meet only if join is an upper bound and leq agrees with it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { N, P, Z } from '../../src/analyzers/c/ir.ts';
import type { Fact } from '../../src/analyzers/flow/facts.ts';
import { factOf, forget, joinFacts, storedIntoZeroed, withFact, zeroedFact } from '../../src/analyzers/flow/facts.ts';
import { BOTTOM, join, leq, MAX_PATHS, normalize, type Disjunct, type State } from '../../src/analyzers/flow/state.ts';
import type { Held } from '../../src/analyzers/locks/held-set.ts';
import { releaseHeld } from '../../src/analyzers/locks/held-set.ts';
import { chainOf } from '../../src/analyzers/locks/witness.ts';

const LOCKS = ['a_lock', 'b_lock', 'dev.lock', 'q.qlock'];
const ATOMS = ['probe', 'got', 'dev->flags&F'];

const held: fc.Arbitrary<Held> = fc.record({ key: fc.constantFrom(...LOCKS), read: fc.boolean(), tryLock: fc.boolean(), scope: fc.constantFrom(0, 3) }).map((h) => ({
  ref: { c: h.key, provenance: 'global', kind: 'spinlock', text: h.key },
  key: h.key, kind: 'spinlock', read: h.read, nested: false, scope: h.scope, ...(h.tryLock ? { tryLock: true } : {}),
  chain: chainOf({ function: 'f', file: 'f.c', line: 1, op: 'acquire', lock: h.key }),
}));

const fact: fc.Arbitrary<Fact> = fc.record({ key: fc.constantFrom(...ATOMS), mask: fc.constantFrom(Z, P, N, P | N, Z | P) }).map((f) => ({ ...f, reads: [f.key], memory: false }));

const path: fc.Arbitrary<Disjunct> = fc.record({
  held: fc.array(held, { maxLength: 3 }),
  gone: fc.subarray(LOCKS).map((g) => [...g].sort()),
  facts: fc.array(fact, { maxLength: 2 }).map((fs) => fs.reduce((acc: readonly Fact[], f) => withFact(acc, f), [])),
});

// Small states, so joins stay under the path cap (past it everything merges: still an upper bound).
const state: fc.Arbitrary<State> = fc.array(path, { maxLength: 2 }).map((ps) => normalize(ps));

/** Equal as lattice elements: each below the other. */
const same = (a: State, b: State): boolean => leq(a, b) && leq(b, a);

describe('flow state lattice', () => {
  it('join is an upper bound of both sides', () => {
    fc.assert(fc.property(state, state, (a, b) => leq(a, join(a, b)) && leq(b, join(a, b))));
  });

  it('join is commutative and idempotent', () => {
    fc.assert(fc.property(state, state, (a, b) => same(join(a, b), join(b, a)) && same(join(a, a), a)));
  });

  it('bottom (unreachable) is the identity of join', () => {
    fc.assert(fc.property(state, (a) => same(join(BOTTOM, a), a) && same(join(a, BOTTOM), a) && leq(BOTTOM, a)));
  });

  it('a state is below anything it joins into, and the join of what is below is below', () => {
    fc.assert(fc.property(state, state, state, (a, b, c) => !(leq(a, c) && leq(b, c)) || leq(join(a, b), c)));
  });

  const one = (key: string, line: number, tryLock = false): Held => ({
    ref: { c: key, provenance: 'global', kind: 'spinlock', text: key }, key, kind: 'spinlock', read: false, nested: false, scope: 0,
    chain: chainOf({ function: 'f', file: 'f.c', line, op: 'acquire', lock: key }), ...(tryLock ? { tryLock: true } : {}),
  });

  it('far past the cap every path merges into one that holds everything', () => {
    const many: Disjunct[] = Array.from({ length: 2 * MAX_PATHS + 1 }, (_, i) => ({ facts: [], gone: [], held: [one(`l${i}`, i)] }));
    const s = normalize(many);
    expect(s).toHaveLength(1);
    expect(s[0]?.held.map((h) => h.key).sort()).toEqual(many.map((d) => d.held[0]?.key).sort());
  });

  // A lock held by trylock on one path and outright on another is the closest pair: they merge,
  // and every other path keeps its own facts.
  it('a few past the cap, the closest paths merge and the others keep their facts', () => {
    const fact = (i: number) => withFact([], { key: `took${i}`, mask: N, reads: [`took${i}`], memory: false });
    const many: Disjunct[] = Array.from({ length: MAX_PATHS }, (_, i) => ({ facts: fact(i), gone: [], held: [one(`l${i}`, i)] }));
    const trylocked: Disjunct = { facts: fact(0), gone: [], held: [one('l0', 99, true)] };
    const s = normalize([...many, trylocked]);
    expect(s).toHaveLength(MAX_PATHS);
    expect(s.map((d) => [...new Set(d.held.map((h) => h.key))].join())).toEqual(many.map((d) => d.held[0]?.key));
    expect(s.slice(1).map((d) => d.facts)).toEqual(many.slice(1).map((d) => d.facts));
  });

  // `if (!probe) lock(a); ... if (!probe) unlock(a);`: paths holding different locks keep their facts.
  it('paths that hold different locks stay apart with their facts; equal ones merge and keep shared facts', () => {
    const h = (key: string): Held => ({ ref: { c: key, provenance: 'global', kind: 'mutex', text: key }, key, kind: 'mutex', read: false, nested: false, scope: 0, chain: chainOf({ function: 'f', file: 'f.c', line: 1, op: 'acquire', lock: key }) });
    const locked: Disjunct = { facts: withFact([], { key: 'probe', mask: Z, reads: ['probe'], memory: false }), held: [h('a')], gone: [] };
    const unlocked: Disjunct = { facts: withFact([], { key: 'probe', mask: P | N, reads: ['probe'], memory: false }), held: [], gone: [] };
    expect(join([locked], [unlocked])).toHaveLength(2);
    const merged = join([locked], [{ ...unlocked, held: [h('a')] }]);
    expect(merged).toHaveLength(1);
    expect(factOf(merged[0]?.facts ?? [], 'probe')).toBe(Z | P | N);
  });
});

describe('facts', () => {
  it('narrowing intersects, and an assignment forgets what reads the variable', () => {
    const f = withFact(withFact([], { key: 'ret', mask: P | N, reads: ['ret'], memory: false }), { key: 'ret', mask: N, reads: ['ret'], memory: false });
    expect(factOf(f, 'ret')).toBe(N);
    expect(forget(f, 'ret', 'ret')).toEqual([]);
    expect(joinFacts(f, withFact([], { key: 'ret', mask: Z, reads: ['ret'], memory: false }))).toEqual([{ key: 'ret', mask: Z | N, reads: ['ret'], memory: false }]);
  });

  it('zeroed memory: every member 0 until stored into, and a join keeps it for the members neither path stored', () => {
    const fresh = withFact([], zeroedFact('p'));
    expect(factOf(fresh, 'p->flags')).toBe(Z);
    expect(factOf(fresh, 'q->flags')).toBe(Z | P | N);
    expect(factOf(fresh, 'p->a->b')).toBe(Z | P | N);
    const stored = storedIntoZeroed(fresh, 'slot');
    expect(factOf(stored, 'p->slot')).toBe(Z | P | N);
    expect(factOf(stored, 'p->flags')).toBe(Z);
    const other = storedIntoZeroed(fresh, 'next');
    const joined = joinFacts(stored, other);
    expect(joined.map((x) => x.key)).toEqual(['p->*!next!slot']);
    expect(factOf(joined, 'p->next')).toBe(Z | P | N);
    expect(factOf(joined, 'p->flags')).toBe(Z);
    expect(joinFacts(stored, [])).toEqual([]);
  });
});

describe('held set', () => {
  // An unlock of a lock nobody here took is the caller's lock: never a crash.
  it('releasing a lock not held reports it instead of failing', () => {
    const r = releaseHeld([], 'a_lock');
    expect(r.found).toBe(false);
  });

  it('unlocking the child of a nested pair leaves the parent held', () => {
    const h = (key: string): Held => ({ ref: { c: key, provenance: 'field', kind: 'mutex', text: key }, key, kind: 'mutex', read: false, nested: false, scope: 0, chain: chainOf({ function: 'f', file: 'f.c', line: 1, op: 'acquire', lock: key }) });
    const r = releaseHeld([h('inode.i_mutex'), h('inode.i_mutex/1')], 'inode.i_mutex');
    expect(r.held.map((x) => x.key)).toEqual(['inode.i_mutex']);
  });
});
