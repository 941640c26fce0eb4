/**
 * A cycle's confidence from its witnesses alone (src/analyzers/order/confidence.ts): the longest
 * edge witness and the calls through function pointers, never the names in it.
 */
import { describe, expect, it } from 'vitest';
import { cycleConfidence, HIGH_MAX_STEPS } from '../../src/analyzers/order/confidence.ts';
import { ON_ZERO, type ChainStep } from '../../src/analyzers/report-types.ts';

const take = (fn: string, lock: string): ChainStep => ({ function: fn, file: 'a.c', line: 1, op: 'acquire', lock });
const call = (fn: string, callee: string, via?: string): ChainStep => ({ function: fn, file: 'a.c', line: 2, op: 'call', callee, ...(via ? { via } : {}) });
/** A witness taking `a`, then `calls` calls down to where `b` is taken. */
const witness = (calls: number, via: (i: number) => string | undefined = () => undefined): ChainStep[] => [
  take('f0', 'a'),
  ...Array.from({ length: calls }, (_, i) => call(`f${i}`, `f${i + 1}`, via(i))),
  take(`f${calls}`, 'b'),
];

describe('cycleConfidence', () => {
  it('is high while every edge is at most the step bound, low one step past it', () => {
    const atBound = witness(HIGH_MAX_STEPS - 2);
    expect(cycleConfidence([atBound, witness(0)])).toEqual({ level: 'high', longestChain: HIGH_MAX_STEPS, indirectCalls: 0 });
    expect(cycleConfidence([witness(HIGH_MAX_STEPS - 1), witness(0)])).toEqual({ level: 'low', longestChain: HIGH_MAX_STEPS + 1, indirectCalls: 0 });
  });

  it('counts calls through function pointers over the whole cycle, not macros', () => {
    const ptr = (i: number): string | undefined => (i === 0 ? 'ops->run' : undefined);
    expect(cycleConfidence([witness(1, ptr), witness(0)]).level).toBe('high');
    expect(cycleConfidence([witness(1, ptr), witness(1, ptr)])).toEqual({ level: 'low', longestChain: 3, indirectCalls: 2 });
    expect(cycleConfidence([witness(2, () => 'macro'), witness(1, () => 'macro')]).indirectCalls).toBe(0);
  });

  it('is low when a witness takes a lock only where a reference count drops to zero, however short', () => {
    const put: ChainStep = { function: 'put', file: 'a.c', line: 3, op: 'acquire', lock: 'a', via: ON_ZERO, callee: 'atomic_dec_and_lock' };
    expect(cycleConfidence([[take('f0', 'a'), call('f0', 'put'), put]])).toEqual({ level: 'low', longestChain: 3, indirectCalls: 0, onZero: 1 });
    // A put that took the edge's first lock leaves no doubt about what its path takes next.
    expect(cycleConfidence([[put, take('put', 'b')]]).level).toBe('high');
  });

  it('reads a recursion (one edge) like any cycle', () => {
    expect(cycleConfidence([witness(1)]).level).toBe('high');
    expect(cycleConfidence([witness(5)]).level).toBe('low');
  });
});
