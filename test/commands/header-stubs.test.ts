/**
 * The stubs of a kernel tree's headers (`static inline int trace_signal(..) { return 0; }`):
 * `lockscope analyze net/sig` in a test tree whose directory loops back to a label that takes
 * its lock, when the stub's result is negative, after dropping the lock on every other way back.
 * With the header's body the call returns 0 and the jump never happens; without it, the result
 * is unknown and the lock is "taken again while held". A stub under `#ifdef CONFIG_X` is one
 * build's, and a body that calls anything is no stub: neither is used.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headerStubFiles } from '../../src/context/header-stubs.ts';
import { treeInversions } from './tree-inversions.ts';
import { TREE_ROOT, writeTree } from './write-tree.ts';

const SIG = [
  '#include <linux/trace_sig.h>',
  'struct sighand { spinlock_t siglock; int pending; };',
  'int next_signal(struct sighand *s);',
  '',
  'int get_signal(struct sighand *s)',
  '{',
  '\tint signr;',
  '',
  'relock:',
  '\tspin_lock_irq(&s->siglock);',
  '\tfor (;;) {',
  '\t\tsignr = trace_signal(s);',
  '\t\tif (signr < 0)',
  '\t\t\tgoto relock;',
  '\t\tsignr = next_signal(s);',
  '\t\tif (!signr)',
  '\t\t\tbreak;',
  '\t\tif (signr == 19) {',
  '\t\t\tspin_unlock_irq(&s->siglock);',
  '\t\t\tgoto relock;',
  '\t\t}',
  '\t}',
  '\tspin_unlock_irq(&s->siglock);',
  '\treturn signr;',
  '}',
  'EXPORT_SYMBOL(get_signal);',
  '',
].join('\n');

const stubHeader = (body: string, conditional = false): string => [
  '#ifndef _TRACE_SIG_H',
  '#define _TRACE_SIG_H',
  '/* A synthetic signal for a tracer (none in this build): */',
  ...(conditional ? ['#ifdef CONFIG_TRACE_SIG', 'int trace_signal(struct sighand *s);', '#else'] : []),
  'static inline int trace_signal(struct sighand *s)',
  '{',
  body,
  '}',
  ...(conditional ? ['#endif'] : []),
  '#endif',
  '',
].join('\n');

function kernelTree(header: string): string {
  return writeTree('lockscope-hstub-', { ...TREE_ROOT, 'net/Makefile': 'obj-y += sig/\n', 'net/sig/sig.c': SIG, 'include/linux/trace_sig.h': header });
}

describe('stubs in the tree headers a directory includes', () => {
  it('keeps each unconditional call-free inline body, on its own lines, and nothing else', () => {
    const [file] = headerStubFiles([{ path: 'include/linux/trace_sig.h', text: stubHeader('\treturn 0;') }]);
    expect(file?.path).toBe('include/linux/trace_sig.h');
    expect(file?.text.split('\n').slice(3, 7)).toEqual(['static inline int trace_signal(struct sighand *s)', '{', '\treturn 0;', '}']);
    expect(file?.text.split('\n').filter((l) => l.trim())).toHaveLength(4);
    expect(headerStubFiles([{ path: 'h.h', text: stubHeader('\treturn 0;', true) }])).toEqual([]);
    expect(headerStubFiles([{ path: 'h.h', text: stubHeader('\treturn pick_signal(s);') }])).toEqual([]);
  });

  it('a stub returning 0 rules out the jump its negative result takes: no recursion', async () => {
    const stub = kernelTree(stubHeader('\treturn 0;'));
    const conditional = kernelTree(stubHeader('\treturn 0;', true));
    const calling = kernelTree(stubHeader('\treturn pick_signal(s);'));
    try {
      expect(await treeInversions(stub, 'net/sig')).toEqual([]);
      // One build's stub, or a body that calls out: the result is unknown, the jump possible.
      expect(await treeInversions(conditional, 'net/sig')).toEqual(['sighand.siglock']);
      expect(await treeInversions(calling, 'net/sig')).toEqual(['sighand.siglock']);
    } finally {
      for (const d of [stub, conditional, calling]) rmSync(d, { recursive: true, force: true });
    }
  });
});
