/**
 * Acquisitions a parameter decides (src/analyzers/locks/param-conditions.ts): which path tests
 * go with an acquisition, and what a call's arguments make of them.
 */
import { describe, expect, it } from 'vitest';
import { givenAtCall, paramTests } from '../../src/analyzers/locks/param-conditions.ts';
import { ANY, N, P, Z, type CallEvent } from '../../src/analyzers/c/ir.ts';
import type { Fact } from '../../src/analyzers/flow/facts.ts';

const fact = (key: string, mask: number, reads: string[], memory = false): Fact => ({ key, mask, reads, memory });
const names = { value: (n: string) => ({ WF_LOCK: 1, WF_SYNC: 2 } as Record<string, number>)[n] };
const call = (over: Partial<CallEvent>): CallEvent => ({ callee: 'get_wblocks', args: [null, null], line: 1, ...over });
const path = (root: string) => ({ root, fields: [], text: root });

describe('acquisitions a parameter decides', () => {
  it('keeps the tests of untouched parameters, their truth or a named bit, and nothing else', () => {
    const facts = [fact('lock', P | N, ['lock']), fact('flags&WF_LOCK', P, ['flags']), fact('s->dirty', Z, ['s'], true), fact('n', ANY, ['n']), fact('tmp', Z, ['tmp'])];
    expect(paramTests(facts, new Set(['lock', 'flags', 's', 'n']))).toEqual([facts[0], facts[1]]);
    expect(paramTests([facts[2] as Fact], new Set(['s']))).toBeUndefined();
  });

  it('a constant argument the test excludes means the callee takes nothing there', () => {
    const given = [fact('lock', P | N, ['lock'])];
    expect(givenAtCall(given, ['s', 'lock'], call({ consts: { 1: Z }, lits: { 1: '0' } }), new Set(), names)).toBeNull();
    expect(givenAtCall(given, ['s', 'lock'], call({ consts: { 1: P }, lits: { 1: '1' } }), new Set(), names)).toBeUndefined();
    const bit = [fact('flags&WF_LOCK', P, ['flags'])];
    expect(givenAtCall(bit, ['s', 'flags'], call({ flags: { 1: ['WF_SYNC'] } }), new Set(), names)).toBeNull();
    expect(givenAtCall(bit, ['s', 'flags'], call({ flags: { 1: ['WF_LOCK', 'WF_SYNC'] } }), new Set(), names)).toBeUndefined();
  });

  it('hands the test on in the caller\'s terms: its flags masked, its own parameter, negated', () => {
    const given = [fact('lock', P | N, ['lock'])];
    expect(givenAtCall(given, ['s', 'lock'], call({ masked: { 1: { root: 'flags', mask: ['WF_LOCK'] } } }), new Set(['flags']), names)).toEqual([fact('flags&WF_LOCK', P | N, ['flags'])]);
    expect(givenAtCall(given, ['s', 'lock'], call({ args: [null, path('locked')] }), new Set(['locked']), names)).toEqual([fact('locked', P | N, ['locked'])]);
    expect(givenAtCall(given, ['s', 'lock'], call({ negated: { 1: 'nolock' } }), new Set(['nolock']), names)).toEqual([fact('nolock', Z, ['nolock'])]);
    // A local of the caller's, not a parameter: nothing its callers could decide.
    expect(givenAtCall(given, ['s', 'lock'], call({ args: [null, path('tmp')] }), new Set(['flags']), names)).toBeUndefined();
  });
});
