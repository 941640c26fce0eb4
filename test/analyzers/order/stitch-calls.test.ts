/**
 * Orders through calls across directories (order/stitch-calls.ts): a lock held around a call
 * into another directory orders the locks the callee's own directory says it takes; the call
 * goes to the definition a link would pick (the caller's own arch's, else the one outside
 * arch/; never an architecture's own from outside arch/), never to one of two drivers'
 * functions of one name, and never to its own directory's.
 */
import { describe, expect, it } from 'vitest';
import { aliasedKey, CallStitcher } from '../../../src/analyzers/order/stitch-calls.ts';
import type { StoredCall, StoredDefinition, StoredGraph } from '../../../src/analyzers/order/stored-graph.ts';

const call = (from: string, callee: string, file: string): StoredCall => ({
  from,
  callee,
  held: { read: false, steps: [{ function: 'caller', file, line: 1, op: 'acquire', lock: from }] },
  call: [{ function: 'caller', file, line: 2, op: 'call', callee }],
});

const define = (fn: string, file: string, to?: string, after?: string[]): StoredDefinition => ({
  fn,
  file,
  ...(to ? { takes: [{ to, taken: { read: false, steps: [{ function: fn, file, line: 7, op: 'acquire', lock: to }] }, ...(after ? { after } : {}) }] } : {}),
});

const part = (calls: StoredCall[], defines: StoredDefinition[]): StoredGraph => ({ edges: [], kinds: {}, calls, defines });

/** Each stitched edge as `from>to dirs: the witness's files and lines`. */
const said = (s: CallStitcher): string[] =>
  s.edges().map(({ edge, dirs }) => `${edge.from}>${edge.to} ${dirs.join(',')}: ${[...edge.held.steps, ...edge.taken.steps].map((x) => `${x.file}:${x.line}`).join(' ')}`);

describe('CallStitcher', () => {
  it("orders a lock held around a call after what the callee's own directory says it takes, with both chains", () => {
    const s = new CallStitcher();
    s.add('net/core', part([call('rtnl', 'drv_take', 'net/core/dev.c')], []));
    s.add('drivers/x', part([], [define('drv_take', 'drivers/x/x.c', 'x.lock'), define('drv_idle', 'drivers/x/x.c')]));
    expect(said(s)).toEqual(['rtnl>x.lock net/core,drivers/x: net/core/dev.c:1 net/core/dev.c:2 drivers/x/x.c:7']);
  });

  it("makes nothing of a callee the caller's directory defines, or two drivers define", () => {
    const s = new CallStitcher();
    s.add('a', part([call('l', 'own', 'a/a.c'), call('l', 'twice', 'a/a.c')], [define('own', 'a/b.c')]));
    s.add('b', part([], [define('own', 'b/b.c', 'm'), define('twice', 'b/b.c', 'm')]));
    s.add('c', part([], [define('twice', 'c/c.c', 'n')]));
    expect(said(s)).toEqual([]);
  });

  it('counts a definition in a header two directories include once', () => {
    const s = new CallStitcher();
    s.add('a', part([call('l', 'hdr', 'a/a.c')], []));
    s.add('b', part([], [define('hdr', 'include/h.h', 'm')]));
    s.add('c', part([], [define('hdr', 'include/h.h', 'm')]));
    expect(said(s)).toEqual(['l>m a,b: a/a.c:1 a/a.c:2 include/h.h:7']);
  });

  it("goes to the caller's own architecture's definition, else the generic one; from outside arch/, to no architecture's", () => {
    const s = new CallStitcher();
    s.add('arch/x86/kernel', part([call('l', 'arch_fn', 'arch/x86/kernel/a.c'), call('l', 'weak_fn', 'arch/x86/kernel/a.c')], []));
    s.add('arch/arm/kernel', part([], [define('arch_fn', 'arch/arm/kernel/b.c', 'arm.lock')]));
    s.add('arch/x86/mm', part([], [define('arch_fn', 'arch/x86/mm/c.c', 'x86.lock')]));
    s.add('kernel', part([call('k', 'arch_fn', 'kernel/k.c'), call('k', 'weak_fn', 'kernel/k.c')], [define('weak_fn', 'kernel/w.c', 'generic.lock')]));
    s.add('mm', part([call('m', 'weak_fn', 'mm/m.c')], []));
    expect(said(s)).toEqual([
      'l>x86.lock arch/x86/kernel,arch/x86/mm: arch/x86/kernel/a.c:1 arch/x86/kernel/a.c:2 arch/x86/mm/c.c:7',
      'l>generic.lock arch/x86/kernel,kernel: arch/x86/kernel/a.c:1 arch/x86/kernel/a.c:2 kernel/w.c:7',
      'm>generic.lock mm,kernel: mm/m.c:1 mm/m.c:2 kernel/w.c:7',
    ]);
  });

  it('orders nothing after a lock the callee takes again, or releases first', () => {
    const s = new CallStitcher();
    s.add('a', part([call('l', 'again', 'a/a.c'), call('l', 'drops', 'a/a.c'), call('l/1', 'nested', 'a/a.c')], []));
    s.add('b', part([], [define('again', 'b/b.c', 'l'), define('drops', 'b/b.c', 'm', ['l']), define('nested', 'b/b.c', 'l')]));
    expect(said(s)).toEqual([]);
  });

  it('says a sleep under a spinning lock held around a call into a function that may sleep, unless it lets that lock go first', () => {
    const s = new CallStitcher();
    const sleeper = (fn: string, after?: string[]): StoredDefinition => ({ fn, file: 'b/b.c', sleeps: { callee: 'msleep', steps: [{ function: fn, file: 'b/b.c', line: 9, op: 'call', callee: 'msleep' }], ...(after ? { after } : {}) } });
    s.add('a', part([call('spin', 'naps', 'a/a.c'), call('mtx', 'naps', 'a/a.c'), call('spin', 'drops', 'a/a.c')], []));
    s.add('b', part([], [sleeper('naps'), sleeper('drops', ['spin'])]));
    const found = s.sleeps({ spin: 'spinlock', mtx: 'mutex' });
    expect(found.map(({ finding: f, dirs }) => `${f.key} ${f.file}:${f.line} ${dirs.join(',')}: ${f.evidence.map((e) => e.steps.map((x) => `${x.file}:${x.line}`).join(' ')).join(' | ')}`)).toEqual([
      'sleep-in-atomic:caller:spin b/b.c:9 a,b: a/a.c:1 | a/a.c:2 b/b.c:9',
    ]);
  });

  it("renames a directory's inferred pair to the one class the lock call's definition returns holding, or drops it where that holds none", () => {
    const s = new CallStitcher();
    const holder = (fn: string, holds: string[], unnamed = false): StoredDefinition => ({ fn, file: 'core/c.c', ...(holds.length ? { holds } : {}), ...(unnamed ? { holdsUnnamed: true as const } : {}) });
    const inferred = { sb_lock: 'inferred', cnt_lock: 'inferred', two_lock: 'inferred', odd_lock: 'inferred', 'bl_lock(tbl)': 'inferred', 'x.m': 'mutex' } as const;
    s.add('fs', { edges: [], kinds: { ...inferred } });
    s.add('core', part([], [holder('sb_lock', ['sb.s_lock']), holder('cnt_lock', []), holder('two_lock', ['a', 'b']), holder('odd_lock', [], true), holder('bl_lock', ['bl.first'])]));
    const fs = s.aliases().get('fs');
    // One class: that class; none at all: no lock; two, or one without a class here: left as it is.
    expect([...(fs ?? [])]).toEqual([['sb_lock', 'sb.s_lock'], ['cnt_lock', null]]);
    expect(aliasedKey('sb_lock/1', fs)).toBe('sb.s_lock/1');
    expect(aliasedKey('cnt_lock', fs)).toBeNull();
    expect(aliasedKey('two_lock', fs)).toBe('two_lock');
    expect(s.aliases().get('core')).toBeUndefined();
  });

  it("names what a callee takes by its own directory's aliases, and the caller's lock by the caller's", () => {
    const s = new CallStitcher();
    s.add('a', { ...part([call('a_lock', 'b_take', 'a/a.c')], []), kinds: { a_lock: 'inferred' } });
    s.add('b', { ...part([], [define('b_take', 'b/b.c', 'b_lock')]), kinds: { b_lock: 'inferred' } });
    s.add('c', part([], [{ fn: 'b_lock', file: 'c/c.c', holds: ['real.lock'] }, { fn: 'a_lock', file: 'c/c.c', holds: ['outer.lock'] }]));
    expect(said(s)).toEqual(['outer.lock>real.lock a,b: a/a.c:1 a/a.c:2 b/b.c:7']);
  });
});
