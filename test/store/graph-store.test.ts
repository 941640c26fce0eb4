/**
 * The on-disk graph store (src/store/graph-store.ts): whole-tree and partition graphs survive
 * the process, for the same analyzer build only; a damaged entry is detected, deleted and never
 * trusted; the number of trees kept is bounded, least recently used out.
 */
import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredGraph } from '../../src/analyzers/order/stored-graph.ts';
import { DiskGraphStore } from '../../src/store/graph-store.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'lockscope-graphs-'));

const graph = (from: string): StoredGraph => ({
  edges: [
    {
      from,
      to: 'b_lock',
      held: { read: false, steps: [{ function: 'f', file: 'x/a.c', line: 3, op: 'acquire', lock: from }] },
      taken: { read: true, steps: [{ function: 'f', file: 'x/a.c', line: 4, op: 'acquire', lock: 'b_lock' }] },
    },
  ],
  kinds: { [from]: 'spinlock', b_lock: 'rwlock' },
});

describe('DiskGraphStore', () => {
  it('gives back a tree graph and a partition graph from another instance, for the same build only', async () => {
    const dir = tmp();
    await new DiskGraphStore(dir, { build: 'b1' }).putTree('git tree 1', graph('a_lock'));
    await new DiskGraphStore(dir, { build: 'b1' }).putPart('part 1', graph('p_lock'));
    const again = new DiskGraphStore(dir, { build: 'b1' });
    expect(await again.getTree('git tree 1')).toEqual(graph('a_lock'));
    expect(await again.getPart('part 1')).toEqual(graph('p_lock'));
    // A tree key is no partition key, another tree is a miss, another build reads nothing.
    expect(await again.getPart('git tree 1')).toBeUndefined();
    expect(await again.getTree('git tree 2')).toBeUndefined();
    expect(await new DiskGraphStore(dir, { build: 'b2' }).getTree('git tree 1')).toBeUndefined();
    expect(again.stats).toMatchObject({ hits: 2, misses: 2, corrupt: 0 });
  });

  it('detects a truncated or altered entry, deletes it, and reads nothing from it', async () => {
    for (const damage of [(b: Buffer): Buffer => b.subarray(0, b.length - 3), (b: Buffer): Buffer => Buffer.from(b.map((x, i) => (i === b.length - 2 ? x ^ 1 : x)))]) {
      const dir = tmp();
      const store = new DiskGraphStore(dir, { build: 'b1' });
      await store.putTree('t', graph('a_lock'));
      const [name] = readdirSync(join(dir, 'trees'));
      const file = join(dir, 'trees', name as string);
      writeFileSync(file, damage(readFileSync(file)));
      expect(await store.getTree('t')).toBeUndefined();
      expect(store.stats.corrupt).toBe(1);
      expect(readdirSync(join(dir, 'trees'))).toEqual([]);
    }
  });

  it("keeps a partition's own cycles, and never trusts cycles naming an edge it does not have, nor reclassed or unvalidated classes that are not names, nor findings without evidence steps", async () => {
    const dir = tmp();
    const store = new DiskGraphStore(dir, { build: 'b1' });
    const withCycles: StoredGraph = { ...graph('a_lock'), cycles: [{ edges: [0] }], counts: { files: 1, functions: 1 } };
    await store.putPart('good', withCycles);
    expect(await store.getPart('good')).toEqual(withCycles);
    await store.putPart('bad', { ...withCycles, cycles: [{ edges: [0, 1] }] });
    expect(await store.getPart('bad')).toBeUndefined();
    await store.putTree('bad tree', { ...graph('a_lock'), reclassed: [3] as unknown as string[] });
    expect(await store.getTree('bad tree')).toBeUndefined();
    await store.putPart('unvalidated', { ...withCycles, reclassed: ['a_lock'], unvalidated: ['a_lock'] });
    expect(await store.getPart('unvalidated')).toEqual({ ...withCycles, reclassed: ['a_lock'], unvalidated: ['a_lock'] });
    await store.putPart('bad unvalidated', { ...withCycles, unvalidated: [null] as unknown as string[] });
    expect(await store.getPart('bad unvalidated')).toBeUndefined();
    const finding = { kind: 'sleep-in-atomic' as const, locks: ['a_lock'], function: 'f', file: 'x/a.c', line: 4, title: 't', key: 'k', evidence: [{ label: 'l', steps: [{ function: 'f', file: 'x/a.c', line: 4, op: 'sleep' as const }] }] };
    await store.putPart('with finding', { ...withCycles, findings: [finding] });
    expect(await store.getPart('with finding')).toEqual({ ...withCycles, findings: [finding] });
    await store.putPart('bad finding', { ...withCycles, findings: [{ ...finding, evidence: [{ label: 'l' }] }] as unknown as StoredGraph['findings'] });
    expect(await store.getPart('bad finding')).toBeUndefined();
    expect(store.stats.corrupt).toBe(4);
  });

  it("keeps a partition's calls out and its functions' acquisitions, and never trusts a call without steps, an acquisition without a lock nor a sleep without steps", async () => {
    const dir = tmp();
    const store = new DiskGraphStore(dir, { build: 'b1' });
    const side = { read: false, steps: [{ function: 'f', file: 'x/a.c', line: 3, op: 'acquire' as const, lock: 'a_lock' }] };
    const withCalls: StoredGraph = {
      ...graph('a_lock'),
      calls: [{ from: 'a_lock', callee: 'g', held: side, call: [{ function: 'f', file: 'x/a.c', line: 4, op: 'call', callee: 'g' }] }],
      defines: [{ fn: 'f', file: 'x/a.c', takes: [{ to: 'a_lock', taken: side, after: ['c_lock'] }] }, { fn: 'h', file: 'x/a.c', sleeps: { callee: 'msleep', steps: side.steps, fault: true } }],
    };
    await store.putPart('good', withCalls);
    expect(await store.getPart('good')).toEqual(withCalls);
    await store.putPart('bad call', { ...withCalls, calls: [{ ...withCalls.calls?.[0], call: [] }] as StoredGraph['calls'] });
    expect(await store.getPart('bad call')).toBeUndefined();
    await store.putPart('bad take', { ...withCalls, defines: [{ fn: 'f', file: 'x/a.c', takes: [{ taken: side }] }] as unknown as StoredGraph['defines'] });
    expect(await store.getPart('bad take')).toBeUndefined();
    await store.putPart('bad sleep', { ...withCalls, defines: [{ fn: 'h', file: 'x/a.c', sleeps: { callee: 'msleep', steps: [] } }] });
    expect(await store.getPart('bad sleep')).toBeUndefined();
    await store.putPart('null sleep', { ...withCalls, defines: [{ fn: 'h', file: 'x/a.c', sleeps: null }] } as unknown as StoredGraph);
    expect(await store.getPart('null sleep')).toBeUndefined();
    expect(store.stats.corrupt).toBe(4);
  });

  it('keeps the most recently used trees, and trims partitions when asked', async () => {
    const dir = tmp();
    const store = new DiskGraphStore(dir, { build: 'b1', maxTrees: 2, maxParts: 1 });
    await store.putTree('t1', graph('a1'));
    await store.putTree('t2', graph('a2'));
    // t1 was used last: t2 is the one to go when t3 comes.
    const files = readdirSync(join(dir, 'trees'));
    for (const [i, f] of files.entries()) utimesSync(join(dir, 'trees', f), new Date(1000 * (i + 1)), new Date(1000 * (i + 1)));
    expect(await store.getTree('t1')).toBeDefined();
    await store.putTree('t3', graph('a3'));
    expect(await store.getTree('t1')).toBeDefined();
    expect(await store.getTree('t3')).toBeDefined();
    expect(await store.getTree('t2')).toBeUndefined();
    await store.putPart('p1', graph('p1'));
    await store.putPart('p2', graph('p2'));
    expect(readdirSync(join(dir, 'parts'))).toHaveLength(2);
    await store.trimParts();
    expect(readdirSync(join(dir, 'parts'))).toHaveLength(1);
    expect(store.stats.evicted).toBe(2);
  });
});
