/**
 * A header's `static inline` lock wrappers (`static inline void obj_lock(struct obj *o) {
 * spin_lock(&o->lock); }`): `lockscope analyze net/obj` in a test tree where one function takes
 * the object's lock through the wrapper and then the table's, and another takes the table's then
 * the object's lock by hand. With the wrapper's body both name `obj.lock` and the two orders
 * close a cycle; without it the wrapper's call is a lock of its own name (`obj_lock`) and there is
 * none. The wrapper under `#ifdef CONFIG_X` counts (its `#else` twin is the empty stub); two
 * builds that lock differently, or a wrapper that also calls something else, do not. A header
 * read through another counts as one the directory includes itself. A lock-named inline that
 * only hands its object, through an accessor, to the directory's own lock or unlock
 * (`chip_unlock(c)` is `core_unlock(chip_to_core(c))`) counts too: an unlock through it releases
 * what the core's lock took, and no leak is reported.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headerStubFiles, stubText, type LockOpKind } from '../../src/context/header-stubs.ts';
import { treeInversions } from './tree-inversions.ts';
import { cli } from './run-cli.ts';
import { join } from 'node:path';
import { TREE_ROOT, writeTree } from './write-tree.ts';

const OBJ = [
  '#include <linux/obj.h>',
  'static DEFINE_SPINLOCK(table_lock);',
  'int table_count;',
  '',
  'void obj_add(struct obj *o)',
  '{',
  '\tobj_lock(o);',
  '\tspin_lock(&table_lock);',
  '\ttable_count++;',
  '\tspin_unlock(&table_lock);',
  '\tobj_unlock(o);',
  '}',
  'EXPORT_SYMBOL(obj_add);',
  '',
  'void obj_scan(struct obj *o)',
  '{',
  '\tspin_lock(&table_lock);',
  '\tspin_lock(&o->lock);',
  '\to->seen = table_count;',
  '\tspin_unlock(&o->lock);',
  '\tspin_unlock(&table_lock);',
  '}',
  'EXPORT_SYMBOL(obj_scan);',
  '',
].join('\n');

/** `locking`: the wrapper pair's build; `other`: a second build's pair (none, `empty` stubs, or one that locks another way). */
const objHeader = (lockBody: string, unlockBody: string, other: 'none' | 'empty' | 'mutex' = 'empty'): string => [
  '#ifndef _OBJ_H',
  '#define _OBJ_H',
  'struct obj { spinlock_t lock; struct mutex mutex; int seen; };',
  ...(other === 'none' ? [] : ['#ifdef CONFIG_OBJ_LOCKING']),
  'static inline void obj_lock(struct obj *o)',
  '{',
  lockBody,
  '}',
  'static inline void obj_unlock(struct obj *o)',
  '{',
  unlockBody,
  '}',
  ...(other === 'none'
    ? []
    : other === 'empty'
      ? ['#else', 'static inline void obj_lock(struct obj *o) { }', 'static inline void obj_unlock(struct obj *o) { }', '#endif']
      : ['#else', 'static inline void obj_lock(struct obj *o)', '{', '\tmutex_lock(&o->mutex);', '}', 'static inline void obj_unlock(struct obj *o)', '{', '\tmutex_unlock(&o->mutex);', '}', '#endif']),
  '#endif',
  '',
].join('\n');

/** `through`: the directory includes <linux/objs.h>, which includes <linux/obj.h>. */
function kernelTree(header: string, through = false): string {
  const files: Record<string, string> = { ...TREE_ROOT, 'net/Makefile': 'obj-y += obj/\n', 'net/obj/obj.c': OBJ, 'include/linux/obj.h': header };
  if (through) {
    files['net/obj/obj.c'] = OBJ.replace('<linux/obj.h>', '<linux/objs.h>');
    files['include/linux/objs.h'] = '#ifndef _OBJS_H\n#define _OBJS_H\n#include <linux/obj.h>\n#endif\n';
  }
  return writeTree('lockscope-hwrap-', files);
}

const lockOp = (n: string): LockOpKind | undefined => (['spin_lock', 'spin_unlock', 'mutex_lock', 'mutex_unlock'].includes(n) ? 'lock' : n === 'preempt_enable' ? 'region' : undefined);
const stubTextWith = (text: string): string | undefined => stubText(text, lockOp);

describe('lock wrappers in the tree headers a directory includes', () => {
  it('keeps an inline whose every call is a lock operation, under #ifdef too, and no name two builds lock differently', () => {
    const [file] = headerStubFiles([{ path: 'include/linux/obj.h', text: objHeader('\tspin_lock(&o->lock);', '\tspin_unlock(&o->lock);') }], (t) => stubTextWith(t));
    expect(file?.text.split('\n').filter((l) => l.trim())).toEqual([
      'static inline void obj_lock(struct obj *o)', '{', '\tspin_lock(&o->lock);', '}',
      'static inline void obj_unlock(struct obj *o)', '{', '\tspin_unlock(&o->lock);', '}',
    ]);
    expect(headerStubFiles([{ path: 'h.h', text: objHeader('\tspin_lock(&o->lock);', '\tspin_unlock(&o->lock);', 'mutex') }], (t) => stubTextWith(t))).toEqual([]);
    expect(headerStubFiles([{ path: 'h.h', text: objHeader('\tspin_lock(&o->lock);\n\tobj_trace(o);', '\tspin_unlock(&o->lock);', 'none') }], (t) => stubTextWith(t))[0]?.text.match(/obj_lock/)).toBeNull();
    // Only the leave of a region another call entered out of sight: no wrapper.
    expect(headerStubFiles([{ path: 'h.h', text: objHeader('\tpreempt_enable();', '\tpreempt_enable();', 'none') }], (t) => stubTextWith(t))).toEqual([]);
  });

  it('the wrapper and the lock it wraps are one lock: the two orders close a cycle', async () => {
    const wrapped = kernelTree(objHeader('\tspin_lock(&o->lock);', '\tspin_unlock(&o->lock);'));
    const deep = kernelTree(objHeader('\tspin_lock(&o->lock);', '\tspin_unlock(&o->lock);'), true);
    const twoBuilds = kernelTree(objHeader('\tspin_lock(&o->lock);', '\tspin_unlock(&o->lock);', 'mutex'));
    const calling = kernelTree(objHeader('\tspin_lock(&o->lock);\n\tobj_trace(o);', '\tspin_unlock(&o->lock);', 'none'));
    try {
      expect(await treeInversions(wrapped, 'net/obj')).toEqual(['obj.lock <-> table_lock']);
      // The header read through another the directory includes: the same.
      expect(await treeInversions(deep, 'net/obj')).toEqual(['obj.lock <-> table_lock']);
      // Which build's lock the call takes is not known, or the wrapper does more than lock: no body.
      expect(await treeInversions(twoBuilds, 'net/obj')).toEqual([]);
      expect(await treeInversions(calling, 'net/obj')).toEqual([]);
    } finally {
      for (const d of [wrapped, deep, twoBuilds, calling]) rmSync(d, { recursive: true, force: true });
    }
  });

  it('keeps a lock-named inline forwarding its object through an accessor to a lock-named call, of one statement only', () => {
    const header = (unlockBody: string): string => ['#ifndef _CHIP_H', '#define _CHIP_H', 'struct chip;', 'struct core *chip_to_core(struct chip *c);', 'static inline void chip_unlock(struct chip *c)', '{', unlockBody, '}', '#endif', ''].join('\n');
    expect(stubTextWith(header('\tcore_unlock(chip_to_core(c));'))?.split('\n').filter((l) => l.trim())).toEqual(['static inline void chip_unlock(struct chip *c)', '{', '\tcore_unlock(chip_to_core(c));', '}']);
    // Two statements, or a first call that is no lock: not a forwarding wrapper.
    expect(stubTextWith(header('\tcore_unlock(chip_to_core(c));\n\tchip_trace(c);'))).toBeUndefined();
    expect(stubTextWith(header('\tchip_trace(chip_to_core(c));'))).toBeUndefined();
    // A header primitive handed a word of the object (`bit_spin_lock(0, (unsigned long *)b)`): no
    // body, so every user's lock would be the primitive's one class.
    expect(stubTextWith(header('\tbit_spin_lock(0, (unsigned long *)c);'))).toBeUndefined();
    expect(stubTextWith(header('\tbit_spin_unlock(PG_LOCKED, &c->flags);'))).toBeUndefined();
  });

  it('an unlock through such a wrapper releases the lock the core took: no leak', async () => {
    const core = [
      '#include <linux/chip.h>',
      'struct core { struct mutex lock; };',
      'struct chip { struct core core; int flags; };',
      'struct core *chip_to_core(struct chip *c)',
      '{',
      '\treturn &c->core;',
      '}',
      'EXPORT_SYMBOL(chip_to_core);',
      'void core_lock(struct core *k)',
      '{',
      '\tmutex_lock(&k->lock);',
      '}',
      'EXPORT_SYMBOL(core_lock);',
      'void core_unlock(struct core *k)',
      '{',
      '\tmutex_unlock(&k->lock);',
      '}',
      'EXPORT_SYMBOL(core_unlock);',
      'int chip_convert(struct chip *c, int mode)',
      '{',
      '\tstruct core *k = &c->core;',
      '',
      '\tcore_lock(k);',
      '\tif (mode > 3) {',
      '\t\tchip_unlock(c);',
      '\t\treturn -EINVAL;',
      '\t}',
      '\tc->flags = mode;',
      '\tcore_unlock(k);',
      '\treturn 0;',
      '}',
      'EXPORT_SYMBOL(chip_convert);',
      '',
    ].join('\n');
    const header = ['#ifndef _CHIP_H', '#define _CHIP_H', 'struct chip;', 'struct core;', 'struct core *chip_to_core(struct chip *c);', 'void core_unlock(struct core *k);', 'static inline void chip_unlock(struct chip *c)', '{', '\tcore_unlock(chip_to_core(c));', '}', '#endif', ''].join('\n');
    const dir = writeTree('lockscope-hfwd-', { ...TREE_ROOT, 'net/Makefile': 'obj-y += chip/\n', 'net/chip/core.c': core, 'include/linux/chip.h': header });
    try {
      const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'net/chip')], { env: { HOME: dir } });
      expect(r.code).toBe(0);
      const json = JSON.parse(r.out) as { functions: number; findings: { kind: string; function: string }[] };
      expect(json.functions).toBeGreaterThan(3);
      expect(json.findings.filter((f) => f.kind === 'lock-leak').map((f) => f.function)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
