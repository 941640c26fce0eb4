/**
 * Member value sets in a kernel tree (c/member-values.ts, commands/member-visibility.ts): the
 * struct and its kinds live in a header outside the analysed directory, reached through the
 * Makefile's `-I` directory and a quoted include inside that header; the kind is stored from a
 * non-static init's parameter, whose callers pass an enumerator or a local set to one of two.
 * No store gives BUF_USER, so `case BUF_USER:` (which takes mm->sem under the table lock) is
 * dead: no inversion with the fault path. A file outside that writes another struct's `type`
 * changes nothing; one that writes ours, or calls the init itself, brings the inversion back.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { treeInversions } from './tree-inversions.ts';
import { TREE_ROOT, writeTree } from './write-tree.ts';

const API_H = `enum buf_type { BUF_DEVICE, BUF_USER, BUF_KERNEL };
struct mm { struct rw_semaphore sem; };
struct buf { enum buf_type type; struct mm *mm; };
typedef struct buf buf_t;
`;
const DRIVER_H = '#include "gpu/buf_api.h"\nint buf_init(struct buf *b, enum buf_type type);\n';

const CORE = `#include "buf_driver.h"
static DEFINE_MUTEX(table_lock);

int buf_init(struct buf *b, enum buf_type type)
{
	b->type = type;
	return 0;
}
EXPORT_SYMBOL(buf_init);

int buf_create(struct buf *b, int kernel)
{
	enum buf_type type;

	if (kernel)
		type = BUF_KERNEL;
	else
		type = BUF_DEVICE;
	return buf_init(b, type);
}
EXPORT_SYMBOL(buf_create);

int buf_validate(struct buf *b)
{
	struct mm *mm = b->mm;

	mutex_lock(&table_lock);
	switch (b->type) {
	case BUF_DEVICE:
	case BUF_KERNEL:
		break;
	case BUF_USER:
		down_read(&mm->sem);
		up_read(&mm->sem);
		break;
	}
	mutex_unlock(&table_lock);
	return 0;
}
EXPORT_SYMBOL(buf_validate);

int buf_fault(struct mm *mm)
{
	down_read(&mm->sem);
	mutex_lock(&table_lock);
	mutex_unlock(&table_lock);
	up_read(&mm->sem);
	return 0;
}
EXPORT_SYMBOL(buf_fault);
`;

/** Another subsystem's struct with a member of the same name: its stores are not ours. */
const OTHER = 'struct req { int type; };\nvoid req_set(struct req *r, int t)\n{\n\tr->type = t;\n}\n';
/** A file outside that writes our struct's member. */
const WRITER = '#include <gpu/buf_api.h>\nvoid buf_mark_user(struct buf *b)\n{\n\tb->type = BUF_USER;\n}\n';
/** The same, naming the struct only by its typedef. */
const TYPEDEF_WRITER = '#include <gpu/buf_api.h>\nvoid buf_mark(buf_t *b)\n{\n\tb->type = BUF_USER;\n}\n';
/** A file outside that calls the init with a value of its own. */
const CALLER = '#include <gpu/buf_driver.h>\nint buf_adopt(struct buf *b, int t)\n{\n\treturn buf_init(b, t);\n}\n';

function tree(extra: Record<string, string>): string {
  return writeTree('lockscope-mvals-', {
    ...TREE_ROOT,
    Makefile: 'obj-y += drivers/ net/\n',
    'include/gpu/buf_api.h': API_H,
    'include/gpu/buf_driver.h': DRIVER_H,
    'drivers/Makefile': 'obj-y += gpu/ other/\n',
    'drivers/gpu/Makefile': 'ccflags-y := -Iinclude/gpu\nobj-y += core.o\n',
    'drivers/gpu/core.c': CORE,
    'net/Makefile': 'obj-y += req.o\n',
    'net/req.c': OTHER,
    'drivers/other/Makefile': 'obj-y += other.o\n',
    ...extra,
  });
}

describe('what a member can hold, asked of the tree', () => {
  it('a kind no store gives is no path: the header kinds arrive through -I and a quoted include', async () => {
    const dir = tree({});
    try {
      expect(await treeInversions(dir, 'drivers/gpu')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file outside that writes our member (by tag or typedef), or calls the init, may give any kind', async () => {
    const writes = tree({ 'drivers/other/other.c': WRITER });
    const typedefWrites = tree({ 'drivers/other/other.c': TYPEDEF_WRITER });
    const calls = tree({ 'drivers/other/other.c': CALLER });
    try {
      expect(await treeInversions(writes, 'drivers/gpu')).toEqual(['mm.sem <-> table_lock']);
      expect(await treeInversions(typedefWrites, 'drivers/gpu')).toEqual(['mm.sem <-> table_lock']);
      expect(await treeInversions(calls, 'drivers/gpu')).toEqual(['mm.sem <-> table_lock']);
    } finally {
      for (const d of [writes, typedefWrites, calls]) rmSync(d, { recursive: true, force: true });
    }
  });
});
