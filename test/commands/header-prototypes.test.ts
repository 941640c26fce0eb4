/**
 * Lock annotations on prototypes in the kernel tree's headers: `lockscope analyze net/frag` in a
 * test tree whose `include/net/frag.h` declares `frag_find() __releases(&f->lock)`, a function
 * defined outside the directory. The directory read-locks the table, calls it, and takes the
 * lock again later: without the header's annotation the caller still holds the lock and the
 * second acquisition is a recursion; with it, the lock is released by the call.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { annotatedDeclarations } from '../../src/analyzers/c/header-declarations.ts';
import { treeInversions } from './tree-inversions.ts';
import { TREE_ROOT, writeTree } from './write-tree.ts';
import { FRAG } from './header-sources.ts';

const HEADER = [
  '#ifndef _FRAG_H',
  '#define _FRAG_H',
  'struct frags { rwlock_t lock; int rnd; };',
  '/* Finds or makes the queue; drops the table lock __acquires(nothing) */',
  'struct queue *frag_find(struct frags *f,',
  '\t\tint key)',
  '\t__releases(&f->lock);',
  'extern void __lockfunc big_lock(void) __acquires(big_lock);',
  '#ifdef CONFIG_DEBUG',
  ' extern void raw_take(raw_spinlock_t *lock) __acquires(lock);',
  '#else',
  'static inline void raw_take(raw_spinlock_t *lock) __acquires(lock)',
  '{',
  '\t__acquire(lock);',
  '}',
  '#endif',
  '#define frag_lock(f) __acquires(f)',
  '#endif',
  '',
].join('\n');


function kernelTree(header: string): string {
  return writeTree('lockscope-hproto-', {
    ...TREE_ROOT,
    'net/Makefile': 'obj-y += frag/\n',
    'net/frag/frag.c': FRAG,
    'include/net/frag.h': header,
  });
}

describe('lock annotations on prototypes in the tree headers a directory includes', () => {
  it('keeps each annotated declaration head, whatever comments, preprocessor lines and bodies surround it', () => {
    expect(annotatedDeclarations(HEADER).split('\n')).toEqual([
      'struct queue *frag_find(struct frags *f, int key) __releases(&f->lock);',
      'extern void __lockfunc big_lock(void) __acquires(big_lock);',
      'extern void raw_take(raw_spinlock_t *lock) __acquires(lock);',
      'static inline void raw_take(raw_spinlock_t *lock) __acquires(lock);',
      '',
    ]);
    expect(annotatedDeclarations('int plain(void);\n')).toBe('');
  });

  it('a call the header says releases the caller\'s lock leaves it unheld: no recursion when it is taken again', async () => {
    const annotated = kernelTree(HEADER);
    const plain = kernelTree(HEADER.replace('\t__releases(&f->lock);', ';'));
    try {
      expect(await treeInversions(annotated, 'net/frag')).toEqual([]);
      // Without the annotation, find() returns with the read lock held and evict() takes it.
      expect(await treeInversions(plain, 'net/frag')).toEqual(['frags.lock']);
    } finally {
      for (const d of [annotated, plain]) rmSync(d, { recursive: true, force: true });
    }
  });
});
