/**
 * A callee handed `&changed` that only sets constant bits in it (`*changed |= CH_CHANNEL`): the
 * caller's flag set goes on, with those bits added, instead of becoming unknown. mac80211 hands
 * its change mask to a channel recalculation that may add one bit, then to the driver's callback
 * that tests the bits one by one: the constants the caller wrote still decide those tests.
 */
import { opsOf } from './call-graph.ts';
import type { FunctionIR } from './ir.ts';

const cache = new WeakMap<FunctionIR, ReadonlyMap<number, readonly string[]>>();

/**
 * Per pointer parameter index, the constant bits the function may set through it, where setting
 * bits is all it does with the pointer (no other store through it, not handed on, not pointed
 * elsewhere). Only direct stores count: a pointer handed to another call may be written there.
 */
export function bitsSetThrough(fn: FunctionIR): ReadonlyMap<number, readonly string[]> {
  const hit = cache.get(fn);
  if (hit) return hit;
  const out = new Map<number, readonly string[]>();
  fn.params.forEach((p, i) => {
    const deref = `*${p.name}`;
    const bits = new Set<string>();
    let ok = true;
    let stored = false;
    opsOf(fn.body, (o) => {
      if (!ok) return;
      if (o.k === 'set') {
        if (o.root === deref || o.target === deref) {
          stored = true;
          if (!o.bits?.set || o.bits.names.length === 0) ok = false;
          else for (const n of o.bits.names) bits.add(n);
        } else if (o.root === p.name) ok = false;
        return;
      }
      if (o.assignTo === p.name || o.args.some((a) => a?.root === p.name)) ok = false;
    });
    if (ok && stored) out.set(i, [...bits].sort());
  });
  cache.set(fn, out);
  return out;
}
