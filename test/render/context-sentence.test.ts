/**
 * The one sentence a text or markdown review adds when the `calls` budget cut the context, and
 * the silence when it did not (issue 15: "say in the report when the budget cut the context").
 */
import { describe, expect, it } from 'vitest';
import type { ContextJson } from '../../src/context/types.ts';
import { contextSentence } from '../../src/render/context-sentence.ts';

const cut: ContextJson = {
  mode: 'calls', files: 400, bytes: 9_542_000, depth: 25, index: { scope: 'tree', files: 30_055 }, cutBy: 'files', leftCount: 57,
  left: [
    { path: 'net/core/dev.c', as: 'callee', of: 'dev_queue_xmit', depth: 3 },
    { path: 'drivers/net/bonding/bond_main.c', as: 'caller', of: 'e1000_open', depth: 1 },
    { path: 'net/core/dev.h', as: 'include', of: 'net/core/dev.c', depth: 3 },
    { path: 'kernel/sched.c', as: 'callee', of: 'schedule', depth: 4 },
  ],
};

describe('contextSentence', () => {
  it('says where the budget cut the context and names the nearest files left out', () => {
    expect(contextSentence(cut)).toBe(
      'Context: the calls were followed to 400 files (9.1 MB, 25 calls deep) and the file budget ran out; 57 more were left out, the nearest: ' +
        'net/core/dev.c (defines dev_queue_xmit, 3 calls away), drivers/net/bonding/bond_main.c (calls e1000_open, 1 call away), net/core/dev.h (included by net/core/dev.c).',
    );
  });

  it('is silent when nothing was cut, or for the fixed modes', () => {
    expect(contextSentence({ mode: 'calls', files: 5, bytes: 1200, depth: 2, index: { scope: 'tree', files: 6 } })).toBeNull();
    expect(contextSentence({ mode: 'dir', files: 11, bytes: 710_127 })).toBeNull();
    expect(contextSentence(undefined)).toBeNull();
  });

  it('counts small contexts in kB and keeps a file name from forging a line', () => {
    const one: ContextJson = { mode: 'calls', files: 3, bytes: 900, depth: 1, cutBy: 'bytes', leftCount: 1, left: [{ path: 'a\nb.c', as: 'caller', of: 'f', depth: 1 }] };
    expect(contextSentence(one)).toBe('Context: the calls were followed to 3 files (1 kB, 1 call deep) and the byte budget ran out; 1 more was left out, the nearest: a\\nb.c (calls f, 1 call away).');
  });
});
