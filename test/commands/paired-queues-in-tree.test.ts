/**
 * A helper handed two locks of one struct member (`q->lock`, `free_q->lock`), each queue
 * initialised by a macro (`_init_queue(&s->defrag_q)`: spin_lock_init expands at each use, so
 * each site is a lockdep class of its own): when every call hands it two queues initialised at
 * different sites, the nesting is of two classes, not a recursion. A static helper's callers are
 * all in the program; so are a non-static one's when no file elsewhere in the kernel tree names
 * it. A call from elsewhere may hand it two of one class, and the recursion stays.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';
import { treeInversions } from './tree-inversions.ts';
import { TREE_ROOT, writeTree } from './write-tree.ts';

const QUEUE_H = [
  'struct __queue { struct list_head queue; spinlock_t lock; };',
  '#define _init_queue(pqueue) \\',
  '\tdo { \\',
  '\t\tINIT_LIST_HEAD(&((pqueue)->queue)); \\',
  '\t\tspin_lock_init(&((pqueue)->lock)); \\',
  '\t} while (0)',
  'void free_frame_queue(struct __queue *q, struct __queue *free_q);',
  '',
].join('\n');

const QUEUE_C = [
  '#include "queue.h"',
  'struct frame { struct list_head list; };',
  'struct sta { struct __queue defrag_q; };',
  'struct recv_priv { struct __queue free_q; };',
  'static void sta_init(struct sta *s) { _init_queue(&s->defrag_q); }',
  'static void recv_init(struct recv_priv *r) { _init_queue(&r->free_q); }',
  'static void free_frame(struct frame *f, struct __queue *free_q)',
  '{',
  '\tunsigned long flags;',
  '\tspin_lock_irqsave(&free_q->lock, flags);',
  '\tlist_add(&f->list, &free_q->queue);',
  '\tspin_unlock_irqrestore(&free_q->lock, flags);',
  '}',
  'void free_frame_queue(struct __queue *q, struct __queue *free_q)',
  '{',
  '\tstruct frame *f;',
  '\tspin_lock(&q->lock);',
  '\tf = list_first_entry(&q->queue, struct frame, list);',
  '\tfree_frame(f, free_q);',
  '\tspin_unlock(&q->lock);',
  '}',
  'static void sta_flush(struct sta *s, struct recv_priv *r) { free_frame_queue(&s->defrag_q, &r->free_q); }',
  // Live: the driver registers them.
  'struct sta_ops wl_ops = { .init = sta_init, .recv_init = recv_init, .flush = sta_flush };',
  '',
].join('\n');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(outsideCall: boolean): string {
  const dir = writeTree('lockscope-queues-', {
    ...TREE_ROOT,
    Makefile: 'obj-y += drivers/\n',
    'include/linux/types.h': '',
    'drivers/Makefile': 'obj-y += wl/ misc/\n',
    'drivers/wl/Makefile': 'obj-y += queue.o\n',
    'drivers/wl/queue.h': QUEUE_H,
    'drivers/wl/queue.c': QUEUE_C,
    'drivers/misc/Makefile': 'obj-y += other.o\n',
    'drivers/misc/other.c': outsideCall ? '#include "../wl/queue.h"\nvoid other(struct __queue *a, struct __queue *b) { free_frame_queue(a, b); }\n' : 'void other(void) { }\n',
  });
  dirs.push(dir);
  return dir;
}

async function edges(dir: string): Promise<string[]> {
  const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'drivers/wl')], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { edges: { from: string; to: string }[] }).edges.map((e) => `${e.from} -> ${e.to}`).sort();
}

describe('a non-static helper handed two queues of one member, each initialised by a macro at its own site', () => {
  it('nests two classes, no recursion, when no file elsewhere in the tree names it', async () => {
    const dir = tree(false);
    expect(await treeInversions(dir, 'drivers/wl')).toEqual([]);
    expect(await edges(dir)).toEqual(['sta.defrag_q.lock -> recv_priv.free_q.lock']);
  });

  it('keeps the recursion when a file elsewhere in the tree calls it', async () => {
    expect(await treeInversions(tree(true), 'drivers/wl')).toEqual(['__queue.lock']);
  });
});
