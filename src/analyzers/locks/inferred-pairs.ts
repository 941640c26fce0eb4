/**
 * Bodiless lock/unlock pairs (`lock_foo()`/`unlock_foo()`, `foo_lock(x)`/`foo_unlock(x)`) used in
 * the program stand for an inferred lock class named after the lock call (and its argument's
 * class, when it has one: `arch_spin_lock(&a)` and `(&b)` are two locks). Paired over the whole
 * program, so a wrapper that only unlocks still releases what the lock call took.
 *
 * A bodiless unlock whose lock call has a body here (`lock_fb_info()` defined, `unlock_fb_info()`
 * an inline of a header outside the snapshot) is paired with it too (`defined`): it releases what
 * the lock call's summary holds on return, on the same arguments.
 *
 * A pair on an object every user of which releases before it takes (`etb_unlock(t); ...program
 * registers...; etb_lock(t);`) is no lock: its resting state is "locked", as of a device's
 * lock-access register written by macros of those names. Nothing in the program takes it first,
 * so it guards nothing. A global one (`tty_unlock(); wait; tty_lock();` in callbacks the core
 * calls holding it) is a lock the program's callers hold: kept.
 */
import { inferredPairStem, lockCounterpart, type Catalogue } from './catalogue.ts';

/** `nested`: the lock half's `_nested` form (`state_lock_nested`), the same class taken under a nesting annotation. */
export type InferredPairs = ReadonlyMap<string, { cls: string; role: 'lock' | 'unlock'; defined?: true; nested?: true }>;

/** A bodiless call as `inferPairs` reads a function's: its name and how many arguments it is handed. */
export interface BodilessCall {
  callee: string;
  args: number;
}

/**
 * `uses`: each function's bodiless calls in source order. A pair on an object is dropped where
 * some function calls its unlock before its lock, and none calls the lock first.
 */
export function inferPairs(names: Iterable<string>, catalogue: Catalogue, known: (n: string) => boolean, defined: (n: string) => boolean = () => false, uses: Iterable<readonly BodilessCall[]> = []): InferredPairs {
  const byStem = new Map<string, { lock?: string; unlock?: string; nested?: string }>();
  for (const n of names) {
    if (catalogue.has(n) || known(n)) continue;
    const p = inferredPairStem(n);
    if (!p) continue;
    const e = byStem.get(p.stem) ?? {};
    if (p.nested) e.nested = n;
    else e[p.role] = n;
    byStem.set(p.stem, e);
  }
  const out = new Map<string, { cls: string; role: 'lock' | 'unlock'; defined?: true; nested?: true }>();
  const restsTaken = releasedFirstOnly(byStem, uses);
  for (const e of byStem.values()) {
    const lock = e.unlock && !e.lock ? lockCounterpart(e.unlock) : undefined;
    if (e.unlock && lock && defined(lock)) out.set(e.unlock, { cls: lock, role: 'unlock', defined: true });
    if (!e.lock || !e.unlock || restsTaken.has(e.lock)) continue;
    out.set(e.lock, { cls: e.lock, role: 'lock' });
    out.set(e.unlock, { cls: e.lock, role: 'unlock' });
    if (e.nested) out.set(e.nested, { cls: e.lock, role: 'lock', nested: true });
  }
  return out;
}

/** The lock halves of the pairs some function releases first and none takes first. */
function releasedFirstOnly(byStem: ReadonlyMap<string, { lock?: string; unlock?: string }>, uses: Iterable<readonly BodilessCall[]>): ReadonlySet<string> {
  const lockOf = new Map<string, string>();
  for (const { lock, unlock } of byStem.values()) {
    if (!lock || !unlock) continue;
    lockOf.set(lock, lock);
    lockOf.set(unlock, lock);
  }
  const takenFirst = new Set<string>();
  const releasedFirst = new Set<string>();
  const global = new Set<string>();
  for (const calls of uses) {
    const seen = new Set<string>();
    for (const { callee, args } of calls) {
      const lock = lockOf.get(callee);
      if (lock === undefined) continue;
      if (args === 0) global.add(lock);
      if (seen.has(lock)) continue;
      seen.add(lock);
      (callee === lock ? takenFirst : releasedFirst).add(lock);
    }
  }
  return new Set([...releasedFirst].filter((l) => !takenFirst.has(l) && !global.has(l)));
}
