/**
 * What a function means to its callers: the locks it may take (waiting), the locks it returns
 * still holding (lock wrappers), the locks it releases that its caller holds (unlock wrappers),
 * and the order edges whose ends depend on its parameters. Built by held-locks.ts, bottom-up;
 * `instantiate` maps a callee's parameter references onto a call's arguments.
 */
import type { Acquisition, Held } from './held-set.ts';
import type { AccessPath, CallEvent, FunctionIR } from '../c/ir.ts';
import type { LockRef, Program } from '../c/program.ts';
import type { ChainStep } from '../report-types.ts';
import { refKey } from '../c/program.ts';

/** An order edge: `taken` was acquired while `held` was held. Its witness is both chains. */
export interface OrderEdge {
  from: string;
  to: string;
  held: Acquisition;
  taken: Acquisition;
}

export interface Summary {
  acquires: ReadonlyMap<string, Acquisition>;
  exitHeld: ReadonlyMap<string, Held>;
  releases: ReadonlyMap<string, { ref: LockRef; read: boolean }>;
  /** Edges with an end that is a parameter reference: made concrete at each call site. */
  paramEdges: ReadonlyMap<string, OrderEdge>;
  /**
   * For functions with constant returns of both kinds (`grab_super()` returns 1 holding
   * s_umount, 0 without): which exitHeld keys may be held when it returns zero and nonzero
   * (other returns count on both sides), so a caller's `if (!grab_super(s))` splits like a trylock.
   */
  exitSplit?: { zero: readonly string[]; nonzero: readonly string[] };
}

export const EMPTY_SUMMARY: Summary = { acquires: new Map(), exitHeld: new Map(), releases: new Map(), paramEdges: new Map() };

/** A fingerprint for fixpoint checks: which locks, not which witnesses. */
export function summaryShape(s: Summary): string {
  const split = s.exitSplit ? `${s.exitSplit.zero.join(',')}/${s.exitSplit.nonzero.join(',')}` : '';
  return [...s.acquires.keys(), '|', ...s.exitHeld.keys(), '|', ...s.releases.keys(), '|', ...s.paramEdges.keys(), '|', split].join(',');
}

/**
 * The caller-side reference for a callee's lock reference at a call: class references stay,
 * parameter references are resolved through the argument expression in the caller.
 */
export function instantiate(ref: LockRef, call: CallEvent, caller: FunctionIR, program: Program): LockRef | null {
  if ('c' in ref) return ref;
  const arg = call.args[ref.p];
  if (!arg) return null;
  const path: AccessPath = {
    root: arg.root,
    fields: [...arg.fields, ...ref.fields],
    text: ref.fields.length ? `${arg.text.replace(/^&/, '')}->${ref.fields.join('.')}` : arg.text,
  };
  if (arg.cast) path.cast = arg.cast;
  return program.resolve(path, caller);
}

/**
 * A callee's acquisition seen from the caller: the call step in front of its chain, and when a
 * parameter became a class, the acquiring step renamed ("acquires outer" -> "acquires tx_lock").
 */
export function instantiateAcquisition<T extends Acquisition>(a: T, ref: LockRef, prefix: Acquisition['chain']): T {
  let chain = a.chain;
  if ('p' in a.ref && 'c' in ref && chain.length > 0) {
    const last = chain[chain.length - 1] as ChainStep;
    chain = [...chain.slice(0, -1), { ...last, what: last.what.replace(/^(acquires|trylocks) .*/, `$1 ${ref.c}`) }];
  }
  return { ...a, ref, key: refKey(ref), chain: prefix.length ? [...prefix, ...chain] : chain };
}
