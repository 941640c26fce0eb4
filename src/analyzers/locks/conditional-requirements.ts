/**
 * Assertions made only in one state of the lock's own object. A lock with modes (btrfs-style
 * blocking locks: a spinlock plus a flag bit; going "blocking" sets the bit and drops the
 * spinlock) asserts the spinlock only where the bit is clear:
 *
 *   if (!test_bit(BLOCKING, &eb->bflags)) assert_spin_locked(&eb->lock);
 *
 * A caller that went blocking dropped the spinlock and set the bit: the assertion is not made
 * there. The analysis does not model the mode, so such a requirement binds a caller only where
 * the caller's path knows the state the assertion was made in (a test or a store of the same
 * member); where it knows the other state it does not bind; where it knows neither it is passed
 * up, still conditional, to callers that may know. Tests of anything else on the way to the
 * assertion (an early `return` on another variable) leave the requirement as it is.
 */
import type { CallEvent } from '../c/ir.ts';
import type { FunctionEntry } from '../c/program.ts';
import { factOf, joinFacts, memberPaths, type Facts } from '../flow/facts.ts';
import { translateFact, type Requirement } from './summary.ts';

/** What the path tested of `object`'s own members (not what it stored): the assertion's mode. */
export function ownStateTests(facts: Facts, object: string | undefined): Facts {
  if (object === undefined) return [];
  return facts.filter((f) => !f.assigned && f.memory && f.reads.length === 1 && f.reads[0] === object && memberPaths(f.key).some((p) => p.root === object));
}

/**
 * Conditional requirements of one lock kept apart, at most: past them a state is left out (a
 * failed assertion missed, never one invented).
 */
const MAX_CONDITIONS = 4;

/**
 * Add a requirement: an unconditional one wins. Conditional ones whose states share a test
 * merge (held where either's state holds, as far as the shared tests say); ones with nothing in
 * common (`assert_locked(from)` and `assert_locked(to)`, each on its own object's mode bit) stay
 * apart, each binding a caller that knows its own state. Merged, nothing would be left of
 * either state and the requirement would bind every caller.
 */
export function noteRequirement(requires: Map<string, Requirement>, key: string, r: Requirement): void {
  const had = requires.get(key);
  if (had && !had.when) return;
  const slots = [key, ...Array.from({ length: MAX_CONDITIONS - 1 }, (_, i) => `${key}\u0000${i + 1}`)];
  if (!r.when) {
    for (const k of slots) requires.delete(k);
    requires.set(key, r);
    return;
  }
  for (const k of slots) {
    const old = requires.get(k);
    if (!old?.when) continue;
    const when = joinFacts(old.when, r.when);
    if (!when.length) continue;
    requires.set(k, { ...old, when });
    return;
  }
  const free = slots.find((k) => !requires.has(k));
  if (free !== undefined) requires.set(free, r);
}

/**
 * A callee's conditional requirement at a call, against what this path knows: 'binds' where the
 * path knows the asserted state, 'void' where it knows another (or the state cannot be said in
 * our terms), else the state in our terms, for our callers to decide.
 */
export function requirementHere(when: Facts, callee: FunctionEntry | undefined, ev: CallEvent, caller: FunctionEntry, facts: Facts): 'binds' | 'void' | Facts {
  if (!callee) return 'void';
  const params = callee.fn.params.map((p) => p.name);
  const open: Facts[number][] = [];
  for (const f of when) {
    const t = translateFact(f, params, ev, caller);
    if (!t) return 'void';
    const known = factOf(facts, t.key);
    if ((known & t.mask) === 0) return 'void';
    if ((known & ~t.mask) !== 0) open.push(t);
  }
  return open.length ? open : 'binds';
}
