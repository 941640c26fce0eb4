/**
 * A review closed through the stored lock-order graph of the whole base tree: the patch's
 * context (the touched file) does not reach the far file that takes the two locks the other way
 * round; the stored graph of the base does. Trees are written by the test.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../src/analyzers/analyze.ts';
import { storedEdgesOf, type StoredGraph } from '../src/analyzers/order/stored-graph.ts';
import { DirTree } from '../src/diff/dir-tree.ts';
import { renderers } from '../src/render/index.ts';
import { review } from '../src/review.ts';
import { buildTreeGraph } from '../src/review/tree-graph-build.ts';
import { FactsCache } from '../src/analyzers/c/facts-cache.ts';
import type { Review } from '../src/review-types.ts';

const A = `#include "locks.h"

DEFINE_MUTEX(alpha_lock);

void a_op(int n)
{
	mutex_lock(&alpha_lock);
	n++;
	mutex_unlock(&alpha_lock);
}
`;

const FAR = (first: string, second: string): string => `#include "../locks.h"

DEFINE_MUTEX(beta_lock);

void c_op(void)
{
	mutex_lock(&${first});
	mutex_lock(&${second});
	mutex_unlock(&${second});
	mutex_unlock(&${first});
}
`;

/** A patch to a_op: `add` nests beta_lock inside alpha_lock. */
const nestBeta = `--- a/a.c
+++ b/a.c
@@ -6,5 +6,7 @@
 {
 	mutex_lock(&alpha_lock);
 	n++;
+	mutex_lock(&beta_lock);
+	mutex_unlock(&beta_lock);
 	mutex_unlock(&alpha_lock);
 }
`;

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lockscope-tree-graph-'));
  mkdirSync(join(root, 'far'));
  writeFileSync(join(root, 'locks.h'), 'extern struct mutex alpha_lock;\nextern struct mutex beta_lock;\n');
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  return root;
}

/** The stored graph of a whole tree, as the builder makes it: every C file analysed. */
async function graphOf(root: string, paths: string[]): Promise<StoredGraph> {
  const result = await analyzeSources(paths.map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') })));
  const kinds: StoredGraph['kinds'] = {};
  for (const [key, lock] of result.locks) kinds[key] = lock.kind;
  return { edges: storedEdgesOf(result.graph), kinds };
}

const sets = (r: Review, k: 'added' | 'removed' | 'unchanged'): string[] => r.json.inversions[k].map((i) => [...i.locks].sort().join(' '));

describe('review through the stored tree graph', () => {
  it('a new nesting closes a cycle with a far file the context does not reach', async () => {
    const root = tree({ 'a.c': A, 'far/c.c': FAR('beta_lock', 'alpha_lock') });
    const base = new DirTree(root);
    const alone = await review({ patches: [nestBeta], base });
    expect(alone.json.verdict).toBe('no-change');
    expect(alone.json.context?.files).toBe(2);

    const graph = await graphOf(root, ['a.c', 'far/c.c', 'locks.h']);
    const r = await review({ patches: [nestBeta], base, treeGraph: { graph, source: 'test graph' } });
    expect(r.json.verdict).toBe('adds-inversion');
    expect(sets(r, 'added')).toEqual(['alpha_lock beta_lock']);
    const inv = r.json.inversions.added[0];
    expect(inv?.throughTree).toBe(true);
    // The far edge is witnessed in the far file, as the stored graph has it.
    const far = inv?.edges.find((e) => e.from === 'beta_lock');
    expect(far?.chain.map((s) => `${s.file}:${s.line} ${s.function} ${s.op}`)).toEqual(['far/c.c:7 c_op acquire', 'far/c.c:8 c_op acquire']);
    const near = inv?.edges.find((e) => e.from === 'alpha_lock');
    expect(near?.chain.map((s) => `${s.file}:${s.line}`)).toEqual(['a.c:7', 'a.c:9']);
    expect(r.json.context).toMatchObject({ mode: 'tree', files: 2, treeGraph: { source: 'test graph', kept: 1, replaced: 0 } });
    const text = renderers.get('text')?.(r) ?? '';
    expect(text).toContain('closing alpha_lock <-> beta_lock through the rest of the tree (its lock-order graph)');
    expect(text).toContain('Context: the whole tree, through its lock-order graph (test graph): 1 edge kept around the 2 files analysed.');
  });

  it('removing the nesting removes the cycle: the stored edge made in the analysed file is replaced', async () => {
    const nested = A.replace('\tn++;\n', '\tn++;\n\tmutex_lock(&beta_lock);\n\tmutex_unlock(&beta_lock);\n');
    const root = tree({ 'a.c': nested, 'far/c.c': FAR('beta_lock', 'alpha_lock') });
    const graph = await graphOf(root, ['a.c', 'far/c.c']);
    const unnest = nestBeta
      .replace('@@ -6,5 +6,7 @@', '@@ -6,7 +6,5 @@')
      .replace(/^\+\t/gm, '-\t');
    const r = await review({ patches: [unnest], base: new DirTree(root), treeGraph: { graph, source: 'test graph' } });
    expect(r.json.verdict).toBe('removes-inversion');
    expect(sets(r, 'removed')).toEqual(['alpha_lock beta_lock']);
    expect(r.json.context?.treeGraph).toMatchObject({ kept: 1, replaced: 1 });
  });

  it('a cycle the base tree already has through a kept edge is neither added nor removed', async () => {
    // The far file takes both orders itself: the patch's new edge is already in the tree.
    const far = FAR('beta_lock', 'alpha_lock').replace('void c_op(void)', `void c_other(void)
{
	mutex_lock(&alpha_lock);
	mutex_lock(&beta_lock);
	mutex_unlock(&beta_lock);
	mutex_unlock(&alpha_lock);
}

void c_op(void)`);
    const root = tree({ 'a.c': A, 'far/c.c': far });
    const graph = await graphOf(root, ['a.c', 'far/c.c']);
    const r = await review({ patches: [nestBeta], base: new DirTree(root), treeGraph: { graph, source: 'test graph' } });
    expect(sets(r, 'added')).toEqual([]);
    expect(sets(r, 'removed')).toEqual([]);
  });

  it('closes no cycle through a class some directory of the tree splits by a key object', async () => {
    const keyed = `#include "../locks.h"\n\nstatic struct lock_class_key beta_key;\n\nvoid k_init(void)\n{\n\tlockdep_set_class(&beta_lock, &beta_key);\n}\n`;
    const root = tree({ 'a.c': A, 'far/c.c': FAR('beta_lock', 'alpha_lock') });
    mkdirSync(join(root, 'keys'));
    writeFileSync(join(root, 'keys/k.c'), keyed);
    const built = await buildTreeGraph(new DirTree(root), { cache: new FactsCache(), workers: 0 });
    expect(built.graph.reclassed).toEqual(['beta_lock']);
    const r = await review({ patches: [nestBeta], base: new DirTree(root), treeGraph: { graph: built.graph, source: 'test graph' } });
    expect(r.json.verdict).toBe('no-change');
    // Without the key object, the same tree closes it.
    const plain = await buildTreeGraph(new DirTree(root), { cache: new FactsCache(), workers: 0, under: 'far' });
    expect(plain.graph.reclassed).toBeUndefined();
    expect((await review({ patches: [nestBeta], base: new DirTree(root), treeGraph: { graph: plain.graph, source: 'test graph' } })).json.verdict).toBe('adds-inversion');
  });

  it('closes a cycle through a call from one directory of the tree into another', async () => {
    const far = `#include "../locks.h"\n\nDEFINE_MUTEX(beta_lock);\n\nvoid c_op(void)\n{\n\tmutex_lock(&beta_lock);\n\thelp_take();\n\tmutex_unlock(&beta_lock);\n}\n`;
    const root = tree({ 'a.c': A, 'far/c.c': far });
    mkdirSync(join(root, 'help'));
    writeFileSync(join(root, 'help/h.c'), '#include "../locks.h"\n\nvoid help_take(void)\n{\n\tmutex_lock(&alpha_lock);\n\tmutex_unlock(&alpha_lock);\n}\n');
    const built = await buildTreeGraph(new DirTree(root), { cache: new FactsCache(), workers: 0 });
    expect(built.stitched.map((s) => `${s.edge.from}>${s.edge.to} ${s.dirs.join(',')}`)).toEqual(['beta_lock>alpha_lock far,help']);
    const r = await review({ patches: [nestBeta], base: new DirTree(root), treeGraph: { graph: built.graph, source: 'test graph' } });
    expect(r.json.verdict).toBe('adds-inversion');
    const through = r.json.inversions.added[0]?.edges.find((e) => e.from === 'beta_lock');
    expect(through?.chain.map((s) => `${s.file}:${s.line} ${s.function} ${s.op}`)).toEqual(['far/c.c:7 c_op acquire', 'far/c.c:8 c_op call', 'help/h.c:5 help_take acquire']);
  });

  it("orders no fault's lock after a spinning lock held around a call into another directory: the fault fails there", async () => {
    const far = `#include "../locks.h"\n\nDEFINE_SPINLOCK(gamma_lock);\n\nvoid c_spin(void)\n{\n\tspin_lock(&gamma_lock);\n\thelp_read(0);\n\tspin_unlock(&gamma_lock);\n}\n\nvoid c_sleep(void)\n{\n\tmutex_lock(&beta_lock);\n\thelp_read(0);\n\tmutex_unlock(&beta_lock);\n}\n`;
    const root = tree({ 'far/c.c': far });
    mkdirSync(join(root, 'help'));
    writeFileSync(join(root, 'help/h.c'), '#include "../locks.h"\n\nint help_read(int __user *p)\n{\n\tint v;\n\n\tif (get_user(v, p))\n\t\treturn -EFAULT;\n\treturn v;\n}\n');
    const built = await buildTreeGraph(new DirTree(root), { cache: new FactsCache(), workers: 0 });
    expect(built.stitched.map((s) => `${s.edge.from}>${s.edge.to} ${s.dirs.join(',')}`)).toEqual(['beta_lock>mm_struct.mmap_sem far,help']);
  });

  it('builds the same graph in worker threads as in this one, directory by directory', async () => {
    const root = tree({ 'a.c': A.replace('\tn++;\n', '\tn++;\n\tmutex_lock(&beta_lock);\n\tmutex_unlock(&beta_lock);\n'), 'far/c.c': FAR('beta_lock', 'alpha_lock') });
    const here = await buildTreeGraph(new DirTree(root), { cache: new FactsCache(), workers: 0 });
    const threads = await buildTreeGraph(new DirTree(root), { cache: new FactsCache(), workers: 2 });
    expect(here).toMatchObject({ partitions: 2, reused: 0, failed: [] });
    expect(here.graph.edges.map((e) => `${e.from}>${e.to} ${e.held.steps[0]?.file}`)).toEqual(['alpha_lock>beta_lock a.c', 'beta_lock>alpha_lock far/c.c']);
    expect(threads).toEqual(here);
  });
});
