/**
 * Summaries at call sites (locks/summary.ts, lock-ref.ts): a callee's parameter references are
 * made concrete through the caller's arguments (`instantiate`), lock references survive a trip
 * through their keys (summaries are compared and cached by key), and the fixpoint's fingerprint
 * (`summaryShape`) ignores witnesses, so a new way to the same lock does not re-run the
 * analysis of every caller.
 */
import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/analyzers/c/ir.ts';
import type { Acquisition, Held } from '../../src/analyzers/locks/held-set.ts';
import { LockClasses } from '../../src/analyzers/locks/lock-classes.ts';
import { isClass, refKey, refOfKey, staticKey, withSubclass, type LockRef } from '../../src/analyzers/locks/lock-ref.ts';
import { baseKey } from '../../src/analyzers/locks/held-set.ts';
import { acquisitionKey, instantiate, summaryShape, widenSummary, type Summary } from '../../src/analyzers/locks/summary.ts';
import { chainOf, prepend } from '../../src/analyzers/locks/witness.ts';
import { callTo, entryOf, programOf } from './c-snippets.ts';

const CALLER = [
  'struct nbq_queue { spinlock_t qlock; };',
  'struct nbd { struct nbq_queue *q; struct mutex m; spinlock_t lock; int n; };',
  'struct sb_info { struct rw_semaphore sem; };',
  'struct sb_info *sb_info(struct super_block *sb);',
  'void caller(struct nbd *d, void *v, struct super_block *sb, struct list_head *n, spinlock_t *pl)',
  '{',
  '\tspinlock_t *loose;',
  '\tloose = pick(d);',
  '\tby_queue(d->q);',
  '\tby_lock(&d->lock);',
  '\tby_cast((struct nbd *)v);',
  '\tby_call(sb_info(sb));',
  '\tby_container(container_of(n, struct nbd, node));',
  '\tby_param(pl);',
  '\tby_dev(d);',
  '\tby_sum(d->n * 2);',
  '\tby_loose(loose);',
  '\tby_nothing();',
  '}',
  '',
].join('\n');

/** Instantiates `ref` at the caller's call to `callee`. */
async function at(callee: string, ref: LockRef): Promise<LockRef | null> {
  const program = await programOf({ 'drivers/x/a.c': CALLER });
  const entry = entryOf(program, 'caller');
  const call: CallEvent = callTo(entry.fn, callee);
  return instantiate(ref, call, entry, new LockClasses(program));
}

const param = (p: number, fields: string[] = [], sub?: string): LockRef => ({ p, fields, text: `$${p}`, ...(sub ? { sub } : {}) });

describe('instantiate', () => {
  it('a class reference is the callee\'s and the caller\'s alike: returned unchanged', async () => {
    const ref: LockRef = { c: 'rtnl_mutex', provenance: 'fixed', kind: 'mutex', text: 'rtnl_lock()' };
    expect(await at('by_dev', ref)).toBe(ref);
  });

  const cases: { situation: string; callee: string; ref: LockRef; want: LockRef | null }[] = [
    // `void lock_queue(struct nbq_queue *q) { spin_lock(&q->qlock); }` called as lock_queue(d->q).
    { situation: 'fields are appended to the argument\'s path', callee: 'by_queue', ref: param(0, ['qlock']), want: { c: 'nbq_queue.qlock', provenance: 'field', kind: 'spinlock', text: 'd->q->qlock' } },
    { situation: 'a lock passed by address', callee: 'by_lock', ref: param(0), want: { c: 'nbd.lock', provenance: 'field', kind: 'spinlock', text: 'd->lock' } },
    { situation: 'the argument\'s call root is kept', callee: 'by_call', ref: param(0, ['sem']), want: { c: 'sb_info.sem', provenance: 'field', kind: 'rwsem', text: 'sb_info(sb)->sem' } },
    { situation: 'container_of in the argument names the struct', callee: 'by_container', ref: param(0, ['lock']), want: { c: 'nbd.lock', provenance: 'field', kind: 'spinlock', text: 'container_of(n,nbd,node)->lock' } },
    // A wrapper calling a wrapper: still the outer caller's argument.
    { situation: 'the caller\'s own parameter stays a parameter reference', callee: 'by_param', ref: param(0), want: { p: 4, fields: [], text: 'pl' } },
    { situation: 'a subclass on a class: the class with its subclass', callee: 'by_dev', ref: param(0, ['lock'], '1'), want: { c: 'nbd.lock/1', provenance: 'field', kind: 'spinlock', text: 'd->lock' } },
    { situation: 'a subclass on a parameter passed through', callee: 'by_param', ref: param(0, [], 'SINGLE_DEPTH_NESTING'), want: { p: 4, fields: [], text: 'pl', sub: 'SINGLE_DEPTH_NESTING' } },
    { situation: 'subclass 0 is the class itself', callee: 'by_dev', ref: param(0, ['lock'], '0'), want: { c: 'nbd.lock', provenance: 'field', kind: 'spinlock', text: 'd->lock' } },
    { situation: 'an argument that is no access path', callee: 'by_sum', ref: param(0, ['lock']), want: null },
    { situation: 'an argument the caller cannot name', callee: 'by_loose', ref: param(0), want: null },
    { situation: 'a parameter the call does not pass', callee: 'by_nothing', ref: param(0), want: null },
  ];
  for (const c of cases) {
    it(c.situation, async () => {
      expect(await at(c.callee, c.ref)).toEqual(c.want);
    });
  }

  // The text is display only (a cast's loses its blanks: see lower.test.ts).
  it('the argument\'s cast is kept', async () => {
    expect(await at('by_cast', param(0, ['m']))).toMatchObject({ c: 'nbd.m', provenance: 'field', kind: 'mutex' });
  });

  it('the second parameter is the second argument', async () => {
    const program = await programOf({ 'drivers/x/a.c': 'struct nbd { spinlock_t lock; struct mutex m; };\nvoid caller(struct nbd *a, struct nbd *b)\n{\n\tpair(&a->m, &b->lock);\n}\n' });
    const entry = entryOf(program, 'caller');
    const r = instantiate(param(1), callTo(entry.fn, 'pair'), entry, new LockClasses(program));
    expect(r).toEqual({ c: 'nbd.lock', provenance: 'field', kind: 'spinlock', text: 'b->lock' });
  });
});

describe('lock references and their keys', () => {
  it('keys of parameter references: index, fields, subclass', () => {
    expect(refKey(param(0))).toBe('$0');
    expect(refKey(param(1, ['lock']))).toBe('$1.lock');
    expect(refKey(param(2, ['q', 'qlock'], '1'))).toBe('$2.q.qlock/1');
    expect(refKey({ c: 'nbd.lock', provenance: 'field', kind: 'spinlock', text: 'd->lock' })).toBe('nbd.lock');
  });

  it('every key survives refOfKey then refKey', () => {
    const keys = ['$0', '$1.lock', '$2.q.qlock', '$0/1', '$3.sk_lock/SINGLE_DEPTH_NESTING', '$0.bd_mutex^block_device.bd_mutex/1', '$1.spinlock~<spin_s a.c>.spinlock/2', 'nbd.lock', 'nbd.lock/1', 'lock@drivers:x:a.c', 'lock@drivers:x:a.c#probe', 'sighand->siglock', 'hw_lock(lock@drivers:x:a.c)', '@hardirq-off'];
    for (const k of keys) expect(refKey(refOfKey(k))).toBe(k);
  });

  it('a subclass goes last in a parameter key, so the key without it is the same lock unnested', () => {
    const nested = withSubclass({ p: 0, fields: ['bd_mutex'], text: '&bdev->bd_mutex', orClass: 'block_device.bd_mutex' }, '1');
    expect(refKey(nested)).toBe('$0.bd_mutex^block_device.bd_mutex/1');
    expect(baseKey(refKey(nested))).toBe(refKey({ p: 0, fields: ['bd_mutex'], text: '&bdev->bd_mutex', orClass: 'block_device.bd_mutex' }));
  });

  it('a parameter reference survives refKey then refOfKey', () => {
    for (const r of [param(0), param(1, ['lock']), param(2, ['q', 'qlock'], '1'), param(3, [], 'I_MUTEX_PARENT')]) {
      const back = refOfKey(refKey(r));
      expect(isClass(back)).toBe(false);
      expect(back).toMatchObject({ p: (r as { p: number }).p, fields: (r as { fields: string[] }).fields });
      expect((back as { sub?: string }).sub).toBe((r as { sub?: string }).sub);
    }
  });

  it('a class key comes back as a fixed class of unknown kind', () => {
    expect(refOfKey('nbd.lock')).toEqual({ c: 'nbd.lock', provenance: 'fixed', kind: undefined, text: 'nbd.lock' });
  });

  it('withSubclass: none or 0 changes nothing; a class gets /n in its key; a parameter carries it', () => {
    const c: LockRef = { c: 'inode.i_mutex', provenance: 'field', kind: 'mutex', text: 'inode->i_mutex' };
    expect(withSubclass(c, undefined)).toBe(c);
    expect(withSubclass(c, '0')).toBe(c);
    expect(withSubclass(c, 'I_MUTEX_PARENT')).toEqual({ ...c, c: 'inode.i_mutex/I_MUTEX_PARENT' });
    expect(withSubclass(param(0, ['i_mutex']), '1')).toEqual(param(0, ['i_mutex'], '1'));
  });

  // The file path's slashes are coded so that `/` in a key only ever starts a subclass.
  it('static keys code the path and name the function', () => {
    expect(staticKey('lock', 'drivers/x/a.c')).toBe('lock@drivers:x:a.c');
    expect(staticKey('once', 'drivers/x/a.c', 'probe')).toBe('once@drivers:x:a.c#probe');
    expect(refKey(withSubclass({ c: staticKey('lock', 'drivers/x/a.c'), provenance: 'static', kind: 'spinlock', text: 'lock' }, '1')).split('/')).toEqual(['lock@drivers:x:a.c', '1']);
  });
});

describe('summaryShape', () => {
  const held = (key: string, line: number): Held => ({
    ref: { c: key, provenance: 'global', kind: 'spinlock', text: key }, key, kind: 'spinlock', read: false, nested: false, scope: 0,
    chain: chainOf({ function: 'f', file: 'a.c', line, op: 'acquire', lock: key }),
  });
  const acq = (key: string, line: number, via?: string): Acquisition => {
    const h = held(key, line);
    return via ? { ...h, chain: prepend({ function: via, file: 'a.c', line: 1, op: 'call', callee: 'f' }, h.chain) } : h;
  };
  const summary = (over: Partial<Summary> = {}): Summary => ({
    acquires: new Map([['a|w0', acq('a', 10)], ['b|w0', acq('b', 11)]]),
    exits: [{ ret: 1, held: [held('a', 10)], gone: [] }, { ret: 4, held: [], gone: ['c'] }],
    requires: [],
    parts: new Map(),
    ...over,
  });
  const noParts = (): string => '';

  // A second path to the same lock (another line, another call chain) changes no caller's view.
  it('ignores witnesses: other lines and chains, same shape', () => {
    const moved = summary({
      acquires: new Map([['a|w0', acq('a', 40, 'g')], ['b|w0', acq('b', 41)]]),
      exits: [{ ret: 4, held: [], gone: ['c'] }, { ret: 1, held: [held('a', 99)], gone: [] }],
    });
    expect(summaryShape(moved, noParts)).toBe(summaryShape(summary(), noParts));
  });

  it('differs when a lock is added, an exit holds another lock, or a requirement appears', () => {
    const base = summaryShape(summary(), noParts);
    const more = summary({ acquires: new Map([...summary().acquires, ['c|w0', acq('c', 12)]]) });
    const holds = summary({ exits: [{ ret: 1, held: [held('b', 10)], gone: [] }, { ret: 4, held: [], gone: ['c'] }] });
    const requires = summary({ requires: [{ ref: { p: 0, fields: ['lock'], text: 'd->lock' }, chain: chainOf({ function: 'f', file: 'a.c', line: 3, op: 'call' }) }] });
    const shapes = [base, summaryShape(more, noParts), summaryShape(holds, noParts), summaryShape(requires, noParts)];
    expect(new Set(shapes).size).toBe(4);
  });

  // A recursive cycle whose rounds trade one exit for another settles once rounds only add.
  it('widenSummary keeps what the previous round had and the next lost, and only that', () => {
    const prev = summary();
    const next = summary({
      acquires: new Map([['a|w0', acq('a', 10)], ['c|w0', acq('c', 12)]]),
      exits: [{ ret: 1, held: [held('b', 10)], gone: [] }, { ret: 4, held: [], gone: ['c'] }],
    });
    const wide = widenSummary(prev, next);
    expect([...wide.acquires.keys()].sort()).toEqual(['a|w0', 'b|w0', 'c|w0']);
    expect(wide.exits.map((e) => `${e.ret}:${e.held.map((h) => h.key).join(',')}`).sort()).toEqual(['1:a', '1:b', '4:']);
    // Widened again by the round that produced it, nothing moves: the cycle has settled.
    expect(summaryShape(widenSummary(wide, next), noParts)).toBe(summaryShape(wide, noParts));
    expect(widenSummary(prev, prev)).toBe(prev);
  });

  it('the return values of exits count', () => {
    const trylockLike = summary({ exits: [{ ret: 2, held: [held('a', 10)], gone: [] }, { ret: 4, held: [], gone: ['c'] }] });
    expect(summaryShape(trylockLike, noParts)).not.toBe(summaryShape(summary(), noParts));
  });

  it('checker parts count through their own shape function', () => {
    const withPart = (n: number): Summary => summary({ parts: new Map([['sleep', { sites: n }]]) });
    const partShape = (_id: string, p: unknown): string => String((p as { sites: number }).sites > 0);
    expect(summaryShape(withPart(1), partShape)).toBe(summaryShape(withPart(7), partShape));
    expect(summaryShape(withPart(0), partShape)).not.toBe(summaryShape(withPart(1), partShape));
  });

  it('acquisition keys tell mode, trylock and irq state apart', () => {
    const a = acq('a', 1);
    expect(acquisitionKey(a)).toBe('a|w0');
    expect(acquisitionKey({ ...a, read: true })).toBe('a|r0');
    expect(acquisitionKey({ ...a, tryLock: true, irq: 1 })).toBe('a|wt1');
  });
});
