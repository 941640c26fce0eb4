/**
 * Gate locks (src/analyzers/order/gates.ts): the other locks an edge's witnesses hold, how
 * witnesses and callers combine them, and when two edges of a cycle exclude each other.
 */
import { describe, expect, it } from 'vitest';
import { gatedCycle, intersectGates, unionGates } from '../../src/analyzers/order/gates.ts';

const edge = (from: string, read: boolean, beside?: string[]) => ({ from, held: { read, nested: false, key: from }, beside });

describe('gate locks', () => {
  it('keeps a gate only where every witness holds it, read-held where any holds it so', () => {
    expect(intersectGates(['w:cfg', 'w:tbl'], ['r:cfg'])).toEqual(['r:cfg']);
    expect(intersectGates(['w:cfg'], ['w:cfg'])).toEqual(['w:cfg']);
    expect(intersectGates(['w:cfg'], undefined)).toBeUndefined();
    expect(intersectGates(['w:cfg'], ['w:tbl'])).toBeUndefined();
  });

  it('adds what a caller holds around a call, write-held where either holds it so', () => {
    expect(unionGates(['r:cfg'], ['w:cfg', 'r:tbl'])).toEqual(['r:tbl', 'w:cfg']);
    expect(unionGates(undefined, ['r:tbl'])).toEqual(['r:tbl']);
    expect(unionGates(['w:a'], undefined)).toEqual(['w:a']);
  });

  it('intersects like a set: order does not matter and a set meets itself', () => {
    const sets = [['w:a', 'r:b'], ['r:a'], ['w:b', 'w:c'], ['r:a', 'r:b', 'w:c']];
    for (const x of sets) {
      expect(intersectGates(x, x)).toEqual(x);
      for (const y of sets) expect(new Set(intersectGates(x, y) ?? [])).toEqual(new Set(intersectGates(y, x) ?? []));
    }
  });

  it('gates a cycle whose two edges hold one class, one of them exclusively', () => {
    expect(gatedCycle([edge('a', false, ['w:cfg']), edge('b', false, ['w:cfg'])], new Set())).toBe('cfg');
    expect(gatedCycle([edge('a', false, ['r:cfg']), edge('b', false, ['w:cfg'])], new Set())).toBe('cfg');
    // The cycle's own lock, write-held as one edge's `from`, read-held beside another edge.
    expect(gatedCycle([edge('tbl', true), edge('idev', false), edge('ifa', false, ['r:idev'])], new Set())).toBe('idev');
  });

  it('does not gate two readers, one edge alone, or a class held as several instances', () => {
    expect(gatedCycle([edge('a', false, ['r:sem']), edge('b', false, ['r:sem'])], new Set())).toBeUndefined();
    expect(gatedCycle([edge('a', false, ['w:cfg']), edge('b', false)], new Set())).toBeUndefined();
    expect(gatedCycle([edge('a', false, ['w:cfg']), edge('b', false, ['w:cfg'])], new Set(['cfg']))).toBeUndefined();
    expect(gatedCycle([edge('a', false, ['w:cfg'])], new Set())).toBeUndefined();
  });
});
