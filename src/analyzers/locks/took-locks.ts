/**
 * The locks a path took exclusively, carried to its function's callers: a caller that holds one
 * of them hangs in the callee there (a lock of a kind that does not recurse, taken again by its
 * holder), which is where lockdep reports the recursion and stops recording. The caller's path
 * goes no further through that way out: nothing it takes after the call is ordered after
 * anything. Kept as a fact (`%took:KEY`), so that two paths merging keep only what both took.
 */
import type { Fact, Facts } from '../flow/facts.ts';
import { withFact } from '../flow/facts.ts';
import { P } from '../c/ir.ts';
import { recursesOn, singleLock, type Held } from './held-set.ts';
import type { Acquisition } from './held-set.ts';

const TOOK = '%took:';

const tookFact = (key: string): Fact => ({ key: `${TOOK}${key}`, mask: P, reads: [], memory: false });

/**
 * Whether taking `a` hangs a caller that holds its class: one named the same in every function (a
 * class, not a parameter's lock), taken exclusively and not by a trylock or under a nest_lock.
 */
export function hangsAHolder(a: Acquisition): boolean {
  return !a.read && !a.tryLock && !a.nested && (singleLock(a) || ('c' in a.ref && a.ref.provenance !== 'pseudo' && recursesOn(a)));
}

/** The facts with `keys` taken, except those of the caller's locks the path released first (taken back, they hang nobody). */
export function withTook(facts: Facts, keys: readonly string[], gone: readonly string[]): Facts {
  let out = facts;
  for (const k of keys) if (!gone.includes(k)) out = withFact(out, tookFact(k));
  return out;
}

/** The keys a path's facts say it took. */
export function tookKeys(facts: Facts): string[] {
  const out: string[] = [];
  for (const f of facts) if (f.mask === P && f.key.startsWith(TOOK)) out.push(f.key.slice(TOOK.length));
  return out;
}

/** Whether a path holding `held` hangs on one of `took` (held exclusively by the path itself, not asserted by its caller). */
export function holderHangsOn(held: readonly Held[], took: readonly string[]): boolean {
  return took.some((k) => held.some((h) => h.key === k && !h.read && !h.entry && !h.phantom && !h.unnamed && !h.tryLock && !h.nested));
}
