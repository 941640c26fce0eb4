/**
 * Values from the kernel tree's headers: `lockscope analyze net/nfq` in a test tree whose
 * `include/linux/nf.h` defines the verdicts; the directory includes it with angle brackets and
 * defines none of them. With the values, the masked switch of a constant verdict is decided
 * (c/comparison via flow/interpreter maskedHeld); a header path climbing out of include/ is
 * never read.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { angleIncludes, headerConstants, headerOptions, includedHeaders, integerDefine, integerDefines, integerEnumerators } from '../../src/context/header-constants.ts';
import { treeInversions } from './tree-inversions.ts';
import { TREE_ROOT, writeTree } from './write-tree.ts';
import { FLUSH, NF_H, QUEUE as QUEUE_C } from './header-sources.ts';

const HEADER = NF_H;
const QUEUE = `${QUEUE_C}${FLUSH}`;

const RTNL = [
  'enum {',
  '\tRTM_BASE\t= 16,',
  '#define RTM_BASE\tRTM_BASE',
  '\tRTM_NEWADDR\t= 20, /* an address, */',
  '#define RTM_NEWADDR\tRTM_NEWADDR',
  '\tRTM_DELADDR,',
  '\tRTM_GETADDR,',
  '\t__RTM_MAX,',
  '};',
  '',
].join('\n');

const NOTIFY = [
  '#include <linux/rtnl.h>',
  'struct idev { rwlock_t lock; int n; };',
  'struct ifa { struct idev *idev; };',
  'static void join_anycast(struct ifa *ifp)',
  '{',
  '\twrite_lock_bh(&ifp->idev->lock);',
  '\tifp->idev->n++;',
  '\twrite_unlock_bh(&ifp->idev->lock);',
  '}',
  'static void ifa_notify(int event, struct ifa *ifp)',
  '{',
  '\tswitch (event) {',
  '\tcase RTM_NEWADDR:',
  '\t\tjoin_anycast(ifp);',
  '\t\tbreak;',
  '\tcase RTM_DELADDR:',
  '\t\tbreak;',
  '\t}',
  '}',
  'void prefix_rcv(struct idev *d, struct ifa *ift)',
  '{',
  '\tread_lock_bh(&d->lock);',
  '\tifa_notify(0, ift);',
  '\tread_unlock_bh(&d->lock);',
  '}',
  'EXPORT_SYMBOL(prefix_rcv);',
  'void add_addr(struct ifa *ifp)',
  '{',
  '\tifa_notify(RTM_NEWADDR, ifp);',
  '}',
  'EXPORT_SYMBOL(add_addr);',
  '',
].join('\n');

function kernelTree(header: string | undefined): string {
  return writeTree('lockscope-hconst-', {
    ...TREE_ROOT,
    'include/linux/types.h': 'typedef unsigned int u32;\n',
    'net/Makefile': 'obj-y += nfq/\n',
    'net/nfq/queue.c': QUEUE,
    ...(header === undefined ? {} : { 'include/linux/nf.h': header }),
  });
}

function enumTree(header: string | undefined): string {
  return writeTree('lockscope-henum-', {
    ...TREE_ROOT,
    'net/Makefile': 'obj-y += addr/\n',
    'net/addr/addrconf.c': NOTIFY,
    ...(header === undefined ? {} : { 'include/linux/rtnl.h': header }),
  });
}

describe('integer values of the tree headers a directory includes', () => {
  it('counts enumerators on from the last written value; an expression of unknown names stops the count', () => {
    expect([...integerEnumerators(RTNL)]).toEqual([['RTM_BASE', 16], ['RTM_NEWADDR', 20], ['RTM_DELADDR', 21], ['RTM_GETADDR', 22], ['__RTM_MAX', 23]]);
    expect([...integerEnumerators('enum x { A = FOO + 1, B, C = 4, D };', new Map([['FOO', 1]]))]).toEqual([['C', 4], ['D', 5]]);
    expect([...integerEnumerators('enum { A = FOO, B };', new Map([['FOO', 7]]))]).toEqual([['A', 7], ['B', 8]]);
    // Enumerators written by an included file, or dropped by an #ifdef, cannot be counted past.
    expect([...integerEnumerators('enum subsys_id {\n#define SUBSYS(x) x ## _id,\n#include <linux/subsys.h>\n#undef SUBSYS\n\tSUBSYS_COUNT\n};')]).toEqual([]);
    expect([...integerEnumerators('enum {\n\tA,\n#ifdef CONFIG_B\n\tB,\n#endif\n\tC,\n\tD = 9,\n\tE\n};')]).toEqual([['A', 0], ['D', 9], ['E', 10]]);
  });

  it('an event number that matches no enumerator case takes none: no recursion through the NEWADDR case', async () => {
    const withValues = enumTree(RTNL);
    const withoutHeader = enumTree(undefined);
    try {
      expect(await treeInversions(withValues, 'net/addr')).toEqual([]);
      // Without the values, 0 may be RTM_NEWADDR: the case that write-locks the device is walked.
      expect(await treeInversions(withoutHeader, 'net/addr')).toEqual(['idev.lock']);
    } finally {
      for (const d of [withValues, withoutHeader]) rmSync(d, { recursive: true, force: true });
    }
  });

  it('reads plain integers, hex, shifts; not expressions of names; never a path out of include/', () => {
    expect(integerDefine('0x000000ff')).toBe(255);
    expect(integerDefine('(1 << 4)')).toBe(16);
    expect(integerDefine('8UL')).toBe(8);
    expect(integerDefine('(-1)')).toBe(-1);
    expect(integerDefine('(NF_QUEUE + 1)')).toBeUndefined();
    expect([...integerDefines(HEADER)]).toEqual([['NF_DROP', 0], ['NF_ACCEPT', 1], ['NF_QUEUE', 3], ['NF_VERDICT_MASK', 255]]);
    expect(angleIncludes(['#include <linux/nf.h>\n#include "local.h"\n#include <../../etc/passwd.h>\n#include <linux/nf.h>'])).toEqual(['linux/nf.h']);
  });

  it('a constant verdict masked in a switch takes only its own case: no recursion through the queue case', async () => {
    const withValues = kernelTree(HEADER);
    const withoutHeader = kernelTree(undefined);
    try {
      expect(await treeInversions(withValues, 'net/nfq')).toEqual([]);
      // Without the values the masked verdict is unknown: every case, the queue's too.
      expect(await treeInversions(withoutHeader, 'net/nfq')).toEqual(['inst.lock']);
    } finally {
      for (const d of [withValues, withoutHeader]) rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('the headers the files include, and those they include', () => {
  it('follows quoted includes beside the header, on the -I directories, then under include/; nearer definitions win', async () => {
    const tree: Record<string, string> = {
      'include/drm/api.h': '#include "ttm/bo.h"\n#define NEAR 2\n',
      'include/drm/ttm/bo.h': '#include "gpu/kinds.h"\nenum { BO_A, BO_B };\n',
      'include/gpu/kinds.h': '#include <../../etc/passwd.h>\n#define NEAR 3\n#define DEEP 4\n',
      'include/linux/list.h': '#define SAME 1\n',
      'include/linux/other.h': '#define SAME 2\n',
    };
    const read = async (path: string): Promise<string | undefined> => tree[path];
    const headers = await includedHeaders(read, ['#include "api.h"\n#include <linux/list.h>\n#include <linux/other.h>\n#include "own.h"\n'], ['include/drm']);
    expect(headers.map((h) => [h.path, h.depth])).toEqual([['include/linux/list.h', 0], ['include/linux/other.h', 0], ['include/drm/api.h', 0], ['include/drm/ttm/bo.h', 1], ['include/gpu/kinds.h', 2]]);
    const values = headerConstants(headers);
    expect(values).toMatchObject({ NEAR: 2, DEEP: 4, BO_A: 0, BO_B: 1 });
    expect(values.SAME).toBeUndefined();
  });
});

describe('a header text read by many directories', () => {
  it('gives every path and depth it is read at what a first reading gives: worked out once, never carried to another path', async () => {
    const text = '#define RATE 3\nstatic inline int rate_of(struct r *r) { return r->rate; }\nvoid drop(struct r *r) __releases(&r->lock);\n';
    const first = await headerOptions([{ path: 'include/a/r.h', text, depth: 0 }]);
    // The same text again, at another path, beside a header that disagrees at its depth.
    const again = await headerOptions([{ path: 'include/b/r.h', text, depth: 0 }, { path: 'include/b/s.h', text: '#define RATE 4\n', depth: 0 }]);
    expect(first.headerConstants).toEqual({ RATE: 3 });
    expect(again.headerConstants).toBeUndefined();
    expect(first.headerStubs?.map((f) => f.path)).toEqual(['include/a/r.h']);
    expect(again.headerStubs?.map((f) => f.path)).toEqual(['include/b/r.h']);
    expect(again.headerPrototypes?.map((p) => p.name)).toEqual(['drop']);
    // Deeper, the text gives its constants and no prototypes or stubs.
    const deeper = await headerOptions([{ path: 'include/c/r.h', text, depth: 1 }]);
    expect(deeper).toEqual({ headerConstants: { RATE: 3 } });
  });
});
