/**
 * Cycle enumeration on hand-built order graphs: each inversion once, rotated to its smallest
 * class; read-read rwlock hops do not close a cycle; a dense graph is bounded and says so.
 */
import { describe, expect, it } from 'vitest';
import { findCycles } from '../../src/analyzers/order/cycles.ts';
import type { Acquisition } from '../../src/analyzers/locks/held-set.ts';
import { OrderGraph } from '../../src/analyzers/order/order-graph.ts';
import type { LockKind } from '../../src/analyzers/report-types.ts';
import type { OrderEdge } from '../../src/analyzers/locks/summary.ts';

const acq = (key: string, read = false, kind: LockKind = 'spinlock'): Acquisition => ({
  ref: { c: key, provenance: 'global', kind, text: key }, key, kind, read, nested: false,
  chain: [{ function: `take_${key}`, file: 'x.c', line: 1, what: `acquires ${key}` }],
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

  it('bounds a complete graph and says it did', () => {
    const names = Array.from({ length: 12 }, (_, i) => `l${String(i).padStart(2, '0')}`);
    const edges = names.flatMap((a) => names.filter((b) => b !== a).map((b) => edge(a, b)));
    const { cycles, bounded } = findCycles(new OrderGraph(edges), { maxLength: 4, maxCycles: 50 });
    expect(bounded).toBe(true);
    expect(cycles.length).toBeLessThanOrEqual(50);
  });
});
