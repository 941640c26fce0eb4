/**
 * The lock primitives lockscope knows, as data: a table from function name to LockEffect
 * (Infer's lock_effect), generated from the kernel's naming families, plus the guard types of
 * `guard(T)` / `scoped_guard(T, ...)`. Not an interpreter: held-locks.ts applies the effects.
 */
import type { LockFunctionConfig } from './catalogue-config.ts';
import type { LockKind } from '../report-types.ts';

/** How a tested result signals success: mutex_trylock() is 1 on success, mutex_lock_interruptible() 0. */
export type Success = 'nonzero' | 'zero';

interface LockOperand {
  /** Index of the argument naming the lock. */
  arg: number;
  /** `lock_sock(sk)` takes `sk->sk_lock`: the field appended to the argument's path. */
  field?: string;
  /** A fixed class for argument-less project functions (`lock_kernel()`). */
  fixedClass?: string;
}

export type LockEffect =
  | ({ k: 'acquire'; kind: LockKind; read: boolean; nested: boolean } & LockOperand)
  /** May fail, never waits (every *_trylock*): no order edge against locks already held. */
  | ({ k: 'tryAcquire'; kind: LockKind; read: boolean; success: Success } & LockOperand)
  /** Waits, then may fail (mutex_lock_interruptible, atomic_dec_and_lock): edges count. */
  | ({ k: 'condAcquire'; kind: LockKind; read: boolean; nested: boolean; success: Success } & LockOperand)
  | ({ k: 'release'; read: boolean } & LockOperand)
  /** rcu_read_lock(), preempt_disable(), spin_lock_init(): look like locks, are not for ordering. */
  | { k: 'none' };

export type Catalogue = ReadonlyMap<string, LockEffect>;

const acquire = (kind: LockKind, opts: Partial<{ read: boolean; nested: boolean; arg: number; field: string }> = {}): LockEffect => ({
  k: 'acquire', kind, read: opts.read ?? false, nested: opts.nested ?? false, arg: opts.arg ?? 0, ...(opts.field ? { field: opts.field } : {}),
});
const tryAcquire = (kind: LockKind, success: Success, read = false): LockEffect => ({ k: 'tryAcquire', kind, read, success, arg: 0 });
const condAcquire = (kind: LockKind, success: Success, opts: Partial<{ read: boolean; nested: boolean; arg: number }> = {}): LockEffect => ({
  k: 'condAcquire', kind, success, read: opts.read ?? false, nested: opts.nested ?? false, arg: opts.arg ?? 0,
});
const release = (read = false, arg = 0, field?: string): LockEffect => ({ k: 'release', read, arg, ...(field ? { field } : {}) });

function spinFamily(t: Map<string, LockEffect>, prefix: 'spin' | 'raw_spin', kind: LockKind): void {
  for (const v of ['', '_irq', '_irqsave', '_bh']) {
    t.set(`${prefix}_lock${v}`, acquire(kind));
    t.set(`${prefix}_trylock${v}`, tryAcquire(kind, 'nonzero'));
  }
  for (const v of ['', '_irq', '_irqrestore', '_bh']) t.set(`${prefix}_unlock${v}`, release());
  t.set(`${prefix}_lock_nested`, acquire(kind, { nested: true }));
  t.set(`${prefix}_lock_irqsave_nested`, acquire(kind, { nested: true }));
  t.set(`${prefix}_lock_bh_nested`, acquire(kind, { nested: true }));
  t.set(`${prefix}_lock_nest_lock`, acquire(kind, { nested: true }));
}

function rwlockFamily(t: Map<string, LockEffect>): void {
  for (const mode of ['read', 'write'] as const) {
    const read = mode === 'read';
    for (const v of ['', '_irq', '_irqsave', '_bh']) t.set(`${mode}_lock${v}`, acquire('rwlock', { read }));
    for (const v of ['', '_irq', '_irqrestore', '_bh']) t.set(`${mode}_unlock${v}`, release(read));
    t.set(`${mode}_trylock`, tryAcquire('rwlock', 'nonzero', read));
    t.set(`${mode}_trylock_irqsave`, tryAcquire('rwlock', 'nonzero', read));
  }
}

function sleepingFamilies(t: Map<string, LockEffect>): void {
  for (const v of ['mutex_lock', 'mutex_lock_io']) t.set(v, acquire('mutex'));
  for (const v of ['mutex_lock_nested', 'mutex_lock_io_nested', 'mutex_lock_nest_lock']) t.set(v, acquire('mutex', { nested: true }));
  for (const v of ['mutex_lock_interruptible', 'mutex_lock_killable']) t.set(v, condAcquire('mutex', 'zero'));
  for (const v of ['mutex_lock_interruptible_nested', 'mutex_lock_killable_nested']) t.set(v, condAcquire('mutex', 'zero', { nested: true }));
  t.set('mutex_trylock', tryAcquire('mutex', 'nonzero'));
  t.set('mutex_unlock', release());
  t.set('atomic_dec_and_mutex_lock', condAcquire('mutex', 'nonzero', { arg: 1 }));
  t.set('refcount_dec_and_mutex_lock', condAcquire('mutex', 'nonzero', { arg: 1 }));

  t.set('down', acquire('semaphore'));
  for (const v of ['down_interruptible', 'down_killable', 'down_timeout']) t.set(v, condAcquire('semaphore', 'zero'));
  t.set('down_trylock', tryAcquire('semaphore', 'zero'));
  t.set('up', release());

  for (const mode of ['read', 'write'] as const) {
    const read = mode === 'read';
    t.set(`down_${mode}`, acquire('rwsem', { read }));
    t.set(`down_${mode}_nested`, acquire('rwsem', { read, nested: true }));
    t.set(`down_${mode}_non_owner`, acquire('rwsem', { read }));
    t.set(`down_${mode}_killable`, condAcquire('rwsem', 'zero', { read }));
    t.set(`down_${mode}_interruptible`, condAcquire('rwsem', 'zero', { read }));
    t.set(`down_${mode}_trylock`, tryAcquire('rwsem', 'nonzero', read));
    t.set(`up_${mode}`, release(read));
    t.set(`up_${mode}_non_owner`, release(read));
  }
  t.set('downgrade_write', { k: 'none' });

  // Per-CPU rwsems (sb->s_writers): readers are cheap, a writer waits for all of them.
  for (const mode of ['read', 'write'] as const) {
    t.set(`percpu_down_${mode}`, acquire('rwsem', { read: mode === 'read' }));
    t.set(`percpu_up_${mode}`, release(mode === 'read'));
  }
  t.set('percpu_down_read_trylock', tryAcquire('rwsem', 'nonzero', true));

  t.set('rt_mutex_lock', acquire('rt_mutex'));
  t.set('rt_mutex_lock_nested', acquire('rt_mutex', { nested: true }));
  t.set('rt_mutex_lock_interruptible', condAcquire('rt_mutex', 'zero'));
  t.set('rt_mutex_lock_killable', condAcquire('rt_mutex', 'zero'));
  t.set('rt_mutex_trylock', tryAcquire('rt_mutex', 'nonzero'));
  t.set('rt_mutex_unlock', release());
}

function conditionalSpinners(t: Map<string, LockEffect>): void {
  // These spin on the lock when the count hits zero: they wait, so their edges count.
  for (const v of ['atomic_dec_and_lock', 'atomic_dec_and_lock_irqsave', 'refcount_dec_and_lock', 'refcount_dec_and_lock_irqsave'])
    t.set(v, condAcquire('spinlock', 'nonzero', { arg: 1 }));
  t.set('atomic_dec_and_raw_lock', condAcquire('raw_spinlock', 'nonzero', { arg: 1 }));
}

function seqlocks(t: Map<string, LockEffect>): void {
  // A seqlock_t's writers (and exclusive readers) take its spinlock: lockdep orders rename_lock
  // before d_lock. Plain readers retry instead of waiting, so they are not locks here.
  for (const v of ['', '_irq', '_irqsave', '_bh']) {
    t.set(`write_seqlock${v}`, acquire('spinlock'));
    t.set(`read_seqlock_excl${v}`, acquire('spinlock'));
  }
  for (const v of ['', '_irq', '_irqrestore', '_bh']) {
    t.set(`write_sequnlock${v}`, release());
    t.set(`read_sequnlock_excl${v}`, release());
  }
}

function socketLocks(t: Map<string, LockEffect>): void {
  // lock_sock() takes the socket's owner lock; lockdep calls the class sk_lock-AF_xxx.
  t.set('lock_sock', acquire('mutex', { field: 'sk_lock' }));
  t.set('lock_sock_nested', acquire('mutex', { field: 'sk_lock', nested: true }));
  t.set('release_sock', release(false, 0, 'sk_lock'));
}

/** Named like locks, but not locks for ordering (RCU, preemption, irq and bh disabling, initialisers). */
export const NOT_LOCKS: readonly string[] = [
  'rcu_read_lock', 'rcu_read_unlock', 'rcu_read_lock_bh', 'rcu_read_unlock_bh', 'rcu_read_lock_sched', 'rcu_read_unlock_sched',
  'srcu_read_lock', 'srcu_read_unlock', 'preempt_disable', 'preempt_enable', 'local_irq_disable', 'local_irq_enable',
  'local_irq_save', 'local_irq_restore', 'local_bh_disable', 'local_bh_enable', 'spin_lock_init', 'raw_spin_lock_init',
  'rwlock_init', 'mutex_init', 'init_rwsem', 'sema_init', 'rt_mutex_init', 'lockdep_assert_held', 'lockdep_assert_not_held',
  'spin_is_locked', 'mutex_is_locked', 'rwsem_is_locked', 'lockdep_set_class', 'lockdep_set_subclass',
  'read_seqbegin', 'read_seqretry', 'read_seqbegin_or_lock', 'done_seqretry', 'cpus_read_lock', 'cpus_read_unlock',
];

function buildDefault(): Map<string, LockEffect> {
  const t = new Map<string, LockEffect>();
  spinFamily(t, 'spin', 'spinlock');
  spinFamily(t, 'raw_spin', 'raw_spinlock');
  rwlockFamily(t);
  sleepingFamilies(t);
  conditionalSpinners(t);
  seqlocks(t);
  socketLocks(t);
  for (const n of NOT_LOCKS) t.set(n, { k: 'none' });
  return t;
}

const DEFAULT = buildDefault();

/** The built-in table, extended (and overridable) by a project's own lock functions. */
export function buildCatalogue(extra: readonly LockFunctionConfig[] = []): Catalogue {
  if (extra.length === 0) return DEFAULT;
  const t = new Map(DEFAULT);
  for (const f of extra) {
    const operand = f.arg === undefined ? { arg: -1, fixedClass: f.class ?? f.name } : { arg: f.arg };
    const read = f.effect === 'acquireRead' || f.effect === 'releaseRead';
    switch (f.effect) {
      case 'acquire':
      case 'acquireRead':
        t.set(f.name, { k: 'acquire', kind: 'unknown', read, nested: false, ...operand });
        break;
      case 'tryAcquire':
        t.set(f.name, { k: 'tryAcquire', kind: 'unknown', read: false, success: 'nonzero', ...operand });
        break;
      case 'release':
      case 'releaseRead':
        t.set(f.name, { k: 'release', read, ...operand });
        break;
    }
  }
  return t;
}

/** What `guard(T)` and `scoped_guard(T, ...)` take, by T; absent means not a lock (rcu, irq, preempt). */
export const GUARD_TYPES: ReadonlyMap<string, { kind: LockKind; read: boolean }> = new Map([
  ['mutex', { kind: 'mutex', read: false }],
  ['mutex_intr', { kind: 'mutex', read: false }],
  ['spinlock', { kind: 'spinlock', read: false }],
  ['spinlock_irq', { kind: 'spinlock', read: false }],
  ['spinlock_irqsave', { kind: 'spinlock', read: false }],
  ['spinlock_bh', { kind: 'spinlock', read: false }],
  ['raw_spinlock', { kind: 'raw_spinlock', read: false }],
  ['raw_spinlock_irq', { kind: 'raw_spinlock', read: false }],
  ['raw_spinlock_irqsave', { kind: 'raw_spinlock', read: false }],
  ['read_lock', { kind: 'rwlock', read: true }],
  ['read_lock_irq', { kind: 'rwlock', read: true }],
  ['read_lock_irqsave', { kind: 'rwlock', read: true }],
  ['write_lock', { kind: 'rwlock', read: false }],
  ['write_lock_irq', { kind: 'rwlock', read: false }],
  ['write_lock_irqsave', { kind: 'rwlock', read: false }],
  ['rwsem_read', { kind: 'rwsem', read: true }],
  ['rwsem_write', { kind: 'rwsem', read: false }],
  ['rt_mutex', { kind: 'rt_mutex', read: false }],
]);

/** Lock kinds of declared lock types (`spinlock_t`, `struct mutex`), for classes seen by declaration. */
export const LOCK_TYPES: ReadonlyMap<string, LockKind> = new Map([
  ['spinlock_t', 'spinlock'],
  ['raw_spinlock_t', 'raw_spinlock'],
  ['rwlock_t', 'rwlock'],
  ['mutex', 'mutex'],
  ['rw_semaphore', 'rwsem'],
  ['semaphore', 'semaphore'],
  ['rt_mutex', 'rt_mutex'],
]);

/** `static DEFINE_SPINLOCK(x);` and friends declare a global lock of this kind. */
export const DEFINE_MACROS: ReadonlyMap<string, LockKind> = new Map([
  ['DEFINE_SPINLOCK', 'spinlock'],
  ['DEFINE_RAW_SPINLOCK', 'raw_spinlock'],
  ['DEFINE_RWLOCK', 'rwlock'],
  ['DEFINE_MUTEX', 'mutex'],
  ['DECLARE_RWSEM', 'rwsem'],
  ['DEFINE_SEMAPHORE', 'semaphore'],
  ['DEFINE_RT_MUTEX', 'rt_mutex'],
  ['DEFINE_SEQLOCK', 'spinlock'],
  ['DEFINE_STATIC_SRCU', 'unknown'],
]);

/** Iterator macros (`list_for_each_entry`, `for_each_online_cpu`, `hlist_for_each...`) are loops. */
export function isIteratorMacro(name: string): boolean {
  return name.includes('for_each') || /^(hlist|list|llist|rb|xa|idr|radix_tree)_.*(each|iter)/.test(name);
}

/** Lock-like names that, with no body in the snapshot, may form an inferred lock/unlock pair. */
export function inferredPairStem(name: string): { stem: string; role: 'lock' | 'unlock' } | undefined {
  let m = /^(?:(.+)_)?unlock(?:_(.+))?$/.exec(name);
  if (m) {
    const stem = m[1] && !m[2] ? `${m[1]}_#` : !m[1] && m[2] ? `#_${m[2]}` : undefined;
    return stem ? { stem, role: 'unlock' } : undefined;
  }
  m = /^(?:(.+)_)?lock(?:_(.+))?$/.exec(name);
  if (m) {
    const stem = m[1] && !m[2] ? `${m[1]}_#` : !m[1] && m[2] ? `#_${m[2]}` : undefined;
    return stem ? { stem, role: 'lock' } : undefined;
  }
  return undefined;
}
