/**
 * The lattice of the flow-sensitive analysis: the locks that may be held at a program point,
 * each with the witness of how it was taken, plus the variables that carry a conditional
 * acquisition's result (`ret = mutex_lock_interruptible(&m)`), and the caller's locks this
 * function has released on every path so far (`grab_super()` drops sb_lock before taking
 * s_umount: no sb_lock -> s_umount order for its callers). `null` is bottom (unreachable).
 * May-held: joins take the union of held locks, so an order is recorded when it can happen on
 * some path, as lockdep records an order the first time it happens; `gone` is must-released
 * (intersection), so a caller's lock is only forgotten when it is surely dropped.
 */
import type { Success } from './catalogue.ts';
import type { LockRef } from '../c/program.ts';
import type { ChainStep, LockKind } from '../report-types.ts';

/** A lock taken, with its witness: the steps from the analyzed function down to the acquiring line. */
export interface Acquisition {
  ref: LockRef;
  key: string;
  kind: LockKind | undefined;
  read: boolean;
  nested: boolean;
  chain: ChainStep[];
  /** Keys of the caller's locks surely released before this acquisition: no edge from them. */
  after?: readonly string[];
}

export interface Held extends Acquisition {
  /** Taken by a trylock: it never waited, but what is taken under it does. */
  tryLock: boolean;
  /** Block scope of a guard() that releases it; 0 for ordinary locks. */
  scope: number;
  /** The local variable the lock was reached through (`inode` in `&inode->i_lock`), if any. */
  root?: string;
}

export interface HeldState {
  held: readonly Held[];
  /** variable -> the held key its value decides, and which value means success. */
  pending: Readonly<Record<string, { key: string; success: Success }>>;
  /** Caller-held lock keys released on every path to here (sorted). */
  gone: readonly string[];
}

export type State = HeldState | null;

export const EMPTY: HeldState = { held: [], pending: {}, gone: [] };

const heldId = (h: Held): string => `${h.key}|${h.read ? 'r' : 'w'}|${h.scope}|${h.tryLock ? 't' : ''}`;

/** Least upper bound: the union of held locks; a pending variable survives only if both sides agree. */
export function join(a: State, b: State): State {
  if (!a) return b;
  if (!b) return a;
  if (a === b) return a;
  const ids = new Set(a.held.map(heldId));
  let held = a.held;
  for (const h of b.held) {
    if (ids.has(heldId(h))) continue;
    if (held === a.held) held = [...a.held];
    (held as Held[]).push(h);
    ids.add(heldId(h));
  }
  let pending = a.pending;
  for (const k of Object.keys(a.pending)) {
    const pb = b.pending[k];
    const pa = a.pending[k];
    if (!pb || !pa || pb.key !== pa.key || pb.success !== pa.success) {
      if (pending === a.pending) pending = { ...a.pending };
      delete (pending as Record<string, unknown>)[k];
    }
  }
  const gone = a.gone === b.gone ? a.gone : a.gone.filter((k) => b.gone.includes(k));
  const sameGone = gone.length === a.gone.length;
  return held === a.held && pending === a.pending && sameGone ? a : { held, pending, gone: sameGone ? a.gone : gone };
}

/** a ⊑ b: everything held in a is held in b, and everything b says is gone, a says too. */
export function leq(a: State, b: State): boolean {
  if (!a) return true;
  if (!b) return false;
  const ids = new Set(b.held.map(heldId));
  return a.held.every((h) => ids.has(heldId(h))) && b.gone.every((k) => a.gone.includes(k));
}

export function withHeld(s: HeldState, h: Held): HeldState {
  return { ...s, held: [...s.held, h] };
}

/**
 * Drops every held acquisition of `key` (an unlock ends them all). The key is also remembered
 * as gone: whatever instance the caller held has been released on this path, even if this
 * function takes the lock again afterwards (d_wait_lookup() drops and retakes d_lock in a loop).
 * Reports whether one was held here.
 */
export function release(s: HeldState, key: string): { state: HeldState; found: boolean } {
  let found = false;
  const held = s.held.filter((h) => {
    if (h.key !== key) return true;
    found = true;
    return false;
  });
  const gone = s.gone.includes(key) ? s.gone : [...s.gone, key].sort();
  return { state: found || gone !== s.gone ? { ...s, held: found ? held : s.held, gone } : s, found };
}

/** On a branch where `variable` is NULL, no lock reached through it can be held. */
export function withoutRoot(s: HeldState, variable: string): HeldState {
  if (!s.held.some((h) => h.root === variable)) return s;
  return { ...s, held: s.held.filter((h) => h.root !== variable) };
}

export function dropScopes(s: State, scopes: ReadonlySet<number>): State {
  if (!s || !s.held.some((h) => h.scope !== 0 && scopes.has(h.scope))) return s;
  return { ...s, held: s.held.filter((h) => h.scope === 0 || !scopes.has(h.scope)) };
}

export function setPending(s: HeldState, variable: string, value: { key: string; success: Success } | undefined): HeldState {
  if (!value && !(variable in s.pending)) return s;
  const pending = { ...s.pending };
  if (value) pending[variable] = value;
  else delete pending[variable];
  return { ...s, pending };
}
