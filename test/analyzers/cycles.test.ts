/**
 * Cycle enumeration on hand-built order graphs: each inversion once, rotated to its smallest
 * class; read-read rwlock hops do not close a cycle; a dense graph is bounded and says so.
 */
import { describe, expect, it } from 'vitest';
import { findCycles } from '../../src/analyzers/order/cycles.ts';
import type { Acquisition } from '../../src/analyzers/locks/held-set.ts';
import { OrderGraph } from '../../src/analyzers/order/order-graph.ts';
import type { LockKind } from '../../src/analyzers/report-types.ts';
import type { OrderEdge } from '../../src/analyzers/order/order-graph.ts';
import { chainOf } from '../../src/analyzers/locks/witness.ts';

const acq = (key: string, read = false, kind: LockKind = 'spinlock'): Acquisition => ({
  ref: { c: key, provenance: 'global', kind, text: key }, key, kind, read, nested: false,
  chain: chainOf({ function: `take_${key}`, file: 'x.c', line: 1, op: 'acquire', lock: key }),
});
const edge = (from: string, to: string, modes: { heldRead?: boolean; takenRead?: boolean; kind?: LockKind } = {}): OrderEdge => ({
  from, to, held: acq(from, modes.heldRead, modes.kind), taken: acq(to, modes.takenRead, modes.kind),
});

describe('findCycles', () => {
  it('reports a 3-lock ring once, starting at its smallest class, whatever the entry', () => {
    const { cycles, bounded } = findCycles(new OrderGraph([edge('c', 'a'), edge('a', 'b'), edge('b', 'c')]));
    expect(cycles.map((c) => c.locks)).toEqual([['a', 'b', 'c']]);
    expect(cycles[0]?.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['a>b', 'b>c', 'c>a']);
    expect(bounded).toBe(false);
  });

  it('lists shorter cycles first', () => {
    const { cycles } = findCycles(new OrderGraph([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('b', 'a')]));
    expect(cycles.map((c) => c.locks.length)).toEqual([2, 3]);
  });

  it('drops a cycle closed only by read-read rwlock hops, keeps one a write can close', () => {
    const readOnly = [edge('r', 's', { heldRead: true, kind: 'rwlock' }), edge('s', 'r', { takenRead: true, kind: 'rwlock' })];
    expect(findCycles(new OrderGraph(readOnly)).cycles).toEqual([]);
    const withWrite = [...readOnly, edge('s', 'r', { kind: 'rwlock' })];
    expect(findCycles(new OrderGraph(withWrite)).cycles.map((c) => c.locks)).toEqual([['r', 's']]);
  });

  // kernel/ of Linux 3.0 had 104 two-lock cycles and a 500-cycle cap reported none of them.
  it('enumerates by length, so a count bound never hides a shorter cycle behind longer ones', () => {
    // m0 -> m1 -> ... -> m8 -> m0 with chords i -> i+2: only six-lock cycles run through m0,
    // and m7 <-> m8 is the one two-lock cycle. Searching from m0 first would fill the bound with the long ones.
    const names = Array.from({ length: 9 }, (_, i) => `m${i}`);
    const next = names.slice(0, -1).map((a, i) => edge(a, names[i + 1] as string));
    const chords = names.slice(0, 6).map((a, i) => edge(a, names[i + 2] as string));
    const edges = [...next, ...chords, edge('m8', 'm7'), edge('m8', 'm0')];
    const { cycles, bounded } = findCycles(new OrderGraph(edges), { maxLength: 6, maxCycles: 3 });
    expect(bounded).toBe(true);
    expect(cycles.map((c) => c.locks)).toContainEqual(['m7', 'm8']);
  });

  it('leaves out a longer cycle that only combines shorter reported ones', () => {
    // a<->b and b<->c are reported; a->b->c->a uses a->b, b->c, and c->a which no shorter cycle has: kept.
    const withNew = findCycles(new OrderGraph([edge('a', 'b'), edge('b', 'a'), edge('b', 'c'), edge('c', 'b'), edge('c', 'a')]));
    expect(withNew.cycles.map((c) => c.locks.join(''))).toContain('abc');
    // Every edge of a->b->c->a... in a<->b, b<->c, c<->a: only their combination, left out.
    const combined = findCycles(new OrderGraph([edge('a', 'b'), edge('b', 'a'), edge('b', 'c'), edge('c', 'b'), edge('c', 'a'), edge('a', 'c')]));
    expect(combined.cycles.map((c) => c.locks.length)).toEqual([2, 2, 2]);
    expect(combined.combinations).toBe(2);
  });

  it('bounds a complete graph and says it did', () => {
    const names = Array.from({ length: 12 }, (_, i) => `l${String(i).padStart(2, '0')}`);
    const edges = names.flatMap((a) => names.filter((b) => b !== a).map((b) => edge(a, b)));
    const { cycles, bounded } = findCycles(new OrderGraph(edges), { maxLength: 4, maxCycles: 50 });
    expect(bounded).toBe(true);
    expect(cycles.length).toBeLessThanOrEqual(50);
  });
});
