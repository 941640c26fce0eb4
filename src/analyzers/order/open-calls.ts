/**
 * Calls the analysis cannot follow because the program has no body for the callee: in a tree
 * analysed directory by directory (review/tree-graph-build.ts), a call into another directory.
 * The lock-order checker keeps two things of them, so a join of the directories can make the
 * orders they hide (order/stitch-calls.ts):
 *   - per function, the calls it makes to such callees, directly or through its callees here, a
 *     few calls deep (`outCalls`): a caller holding a lock around the call holds it around them;
 *   - the open calls themselves: a lock held (a class) around such a call, with both witnesses.
 * What the callee takes is its own directory's analysis's (its summary's acquisitions).
 */
import type { Acquisition } from '../locks/held-set.ts';
import type { Chain } from '../locks/witness.ts';

/** A call to a callee without a body here, as a function's callers see it. */
export interface OutCall {
  /** From this function's call step down to the call of the callee. */
  chain: Chain;
  /** The caller's locks (keys in this function's terms) surely released before it: not held around it. */
  gone?: readonly string[];
  /** Made where a user access takes nothing (held-set.ts faultTakesNothing): the callee's faults take no lock. */
  noFault?: true;
}

/** A lock held around a call to a callee without a body here. */
export interface OpenCall {
  from: string;
  callee: string;
  held: Acquisition;
  /** From the function holding `from` down to the call of the callee. */
  chain: Chain;
  /** Made where a user access takes nothing (atomic, or faults disabled): the callee's faults take no lock. */
  noFault?: true;
  /** `from` is held on an object still being set up (locks/setup-phase.ts): it orders nothing, but a sleep under it is one. */
  private?: true;
}

/** Where a function may sleep, as callers in other directories see it (sleep-in-atomic.ts sleepForCallersElsewhere). */
export interface SleepOut {
  callee: string;
  chain: Chain;
  /** The caller's locks it surely released first. */
  after: readonly string[];
  fault?: true;
}

/** Calls deep an out-call is passed up to callers: a chain, not the closure of a directory's calls. */
export const MAX_OUT_DEPTH = 4;
/** Out-calls one function passes up at most (the shortest kept first): bounded work at every call site. */
export const MAX_OUT_CALLS = 128;

const lengthOf = (o: OpenCall): number => o.held.chain.len + o.chain.len;

/**
 * Whether `o` says more than `old` of the same call: one where a fault takes its lock says all a
 * no-fault one does and the fault's lock too; of two alike, the shorter witness.
 */
const better = (o: { noFault?: true }, old: { noFault?: true }, shorter: boolean): boolean => (old.noFault === o.noFault ? shorter : old.noFault === true);

/** Keeps `o` unless `map` has a witness of the same lock around the same callee that says as much, as briefly. */
export function keepOpen(map: Map<string, OpenCall>, o: OpenCall): void {
  const k = `${o.from}>${o.callee}`;
  const old = map.get(k);
  // One witness that orders (not on an object still being set up) is kept over any that does not.
  if (old && !!old.private !== !!o.private) {
    if (old.private) map.set(k, o);
    return;
  }
  if (!old || better(o, old, lengthOf(old) > lengthOf(o))) map.set(k, o);
}

/** Keeps `o` as the out-call to `callee` unless a shorter one is kept, or the function has its fill. */
export function keepOutCall(map: Map<string, OutCall>, callee: string, o: OutCall): void {
  if (keepsOutCall(map, callee, o.chain.len, o.noFault === true)) map.set(callee, o);
}

const NO_FAULT: { noFault?: true } = { noFault: true };
const FAULT: { noFault?: true } = {};

/** Whether keepOutCall would keep an out-call to `callee` of that length and fault mode: asked before one is built. */
export function keepsOutCall(map: ReadonlyMap<string, OutCall>, callee: string, len: number, noFault: boolean): boolean {
  const old = map.get(callee);
  return old ? better(noFault ? NO_FAULT : FAULT, old, old.chain.len > len) : map.size < MAX_OUT_CALLS;
}
