/**
 * Out-calls and open calls kept per callee (order/open-calls.ts): one that may fault says all a
 * no-fault one of the same call says and the fault's lock too, so it is kept over a shorter
 * no-fault one; of two alike, the shorter witness.
 */
import { describe, expect, it } from 'vitest';
import { keepOpen, keepOutCall, type OpenCall, type OutCall } from '../../../src/analyzers/order/open-calls.ts';
import { chainOf, prepend, step, type Chain } from '../../../src/analyzers/locks/witness.ts';
import type { Acquisition } from '../../../src/analyzers/locks/held-set.ts';

/** A chain of `n` call steps down to the callee. */
const calls = (n: number): Chain => {
  let c = chainOf(step('call', 'f0', 'a.c', 1, { callee: 'far' }));
  for (let i = 1; i < n; i++) c = prepend(step('call', `f${i}`, 'a.c', i + 1, { callee: `f${i - 1}` }), c);
  return c;
};
const held: Acquisition = { ref: { c: 'l', provenance: 'global', kind: 'mutex', text: 'l' }, key: 'l', kind: 'mutex', read: false, nested: false, chain: chainOf(step('acquire', 'g', 'a.c', 9, { lock: 'l' })) };
const open = (n: number, noFault: boolean): OpenCall => ({ from: 'l', callee: 'far', held, chain: calls(n), ...(noFault ? { noFault: true as const } : {}) });
const out = (n: number, noFault: boolean): OutCall => ({ chain: calls(n), ...(noFault ? { noFault: true as const } : {}) });

describe('keeping calls out', () => {
  it('keeps a call where a fault takes its lock over a shorter no-fault one, either way round', () => {
    for (const order of [[open(1, true), open(3, false)], [open(3, false), open(1, true)]]) {
      const m = new Map<string, OpenCall>();
      for (const o of order) keepOpen(m, o);
      expect([...m.values()].map((o) => [o.chain.len, o.noFault === true])).toEqual([[3, false]]);
    }
    for (const order of [[out(1, true), out(3, false)], [out(3, false), out(1, true)]]) {
      const m = new Map<string, OutCall>();
      for (const o of order) keepOutCall(m, 'far', o);
      expect([...m.values()].map((o) => [o.chain.len, o.noFault === true])).toEqual([[3, false]]);
    }
  });

  it('keeps the shorter of two alike', () => {
    const m = new Map<string, OpenCall>();
    for (const o of [open(3, true), open(2, true), open(4, true)]) keepOpen(m, o);
    expect([...m.values()].map((o) => o.chain.len)).toEqual([2]);
    const n = new Map<string, OutCall>();
    for (const o of [out(3, false), out(2, false)]) keepOutCall(n, 'far', o);
    expect([...n.values()].map((o) => o.chain.len)).toEqual([2]);
  });
});
