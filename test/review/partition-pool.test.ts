/**
 * A whole-tree build's worker threads are sent each header once (review/tree-graph-build.ts
 * SentHeaders): the graph they build equals the one built in this thread, where every partition
 * reads its headers' texts; and the texts a worker keeps stay under a budget, starting again
 * past it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FactsCache } from '../../src/analyzers/c/facts-cache.ts';
import { DirTree } from '../../src/diff/dir-tree.ts';
import { buildTreeGraph, SentHeaders } from '../../src/review/tree-graph-build.ts';
import { nestingWhen } from './tree-graph-test-build.ts';

/** A stub header: `nesting_on()` is 0 in every build, so the nesting under it never happens. */
const MODE_H = '#ifndef MODE_H\n#define MODE_H\nstatic inline int nesting_on(void)\n{\n\treturn 0;\n}\n#endif\n';

const DIRECTORY = (name: string, test: string): string => nestingWhen('linux/mode.h', `${name}_op`, `${name}_outer`, `${name}_inner`, test);

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lockscope-partition-pool-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('headers sent once to each worker', () => {
  it('a worker sent a header by path alone still reads its stubs: the same graph as in this thread', async () => {
    const root = tree({
      'include/linux/mode.h': MODE_H,
      'one/a.c': DIRECTORY('one', 'nesting_on()'),
      'two/a.c': DIRECTORY('two', 'nesting_on()'),
      'three/a.c': DIRECTORY('three', 'other_mode()'),
    });
    const here = await buildTreeGraph(new DirTree(root), { cache: new FactsCache(), workers: 0 });
    // One worker takes every partition: the second and third are sent mode.h by path only.
    const threads = await buildTreeGraph(new DirTree(root), { cache: new FactsCache(), workers: 1 });
    expect(here).toMatchObject({ partitions: 3, failed: [] });
    // Only the directory whose test no stub decides nests its locks.
    expect(here.graph.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['three_outer>three_inner']);
    expect(threads).toEqual(here);
  });

  it('sends a path again only after the budget is spent, and then says to forget first', () => {
    const sent = new SentHeaders(10);
    const h = (path: string, size: number, depth = 0) => ({ path, text: 'x'.repeat(size), depth });
    const first = sent.message([h('a.h', 4), h('b.h', 4, 1)]);
    expect(first.forget).toBe(false);
    expect(first.headers.map((x) => [x.path, x.depth, x.text?.length])).toEqual([['a.h', 0, 4], ['b.h', 1, 4]]);
    const again = sent.message([h('b.h', 4, 1), h('a.h', 4)]);
    expect(again.forget).toBe(false);
    expect(again.headers).toEqual([{ path: 'b.h', depth: 1 }, { path: 'a.h', depth: 0 }]);
    // 8 kept + 4 new is over 10: the worker forgets, and this job's headers all come whole.
    const over = sent.message([h('a.h', 4), h('c.h', 4)]);
    expect(over.forget).toBe(true);
    expect(over.headers.map((x) => [x.path, x.text?.length])).toEqual([['a.h', 4], ['c.h', 4]]);
    expect(sent.message([h('c.h', 4)]).headers).toEqual([{ path: 'c.h', depth: 0 }]);
  });
});
