/**
 * The kernel APIs lockscope knows, as data: a table from function name to LockEffect (Infer's
 * lock_effect), generated from the kernel's naming families, plus the guard types of
 * `guard(T)` / `scoped_guard(T, ...)`. Lock effects (acquire, release, atomic regions,
 * no-return) are applied by the lock core (locks/transfer.ts); the others (sleep, flush,
 * register) are read by the checkers that need them. Not an interpreter.
 */
import type { CommandArguments } from '../c/command-arguments.ts';
import { N, P, Z, type Mask } from '../c/ir.ts';
import type { LockFunctionConfig } from './catalogue-config.ts';
import { kernelVersion } from '../c/version-tests.ts';
import { HARDIRQ_OFF, NO_FAULT, NO_FS_RECLAIM, PREEMPT_OFF, RCU_READ, SOFTIRQ_OFF, type Region } from './held-set.ts';
import type { LockKind } from '../report-types.ts';

interface LockOperand {
  /** Index of the argument naming the lock. */
  arg: number;
  /** `lock_sock(sk)` takes `sk->sk_lock`: the fields appended to the argument's path (`sighand.siglock`: two). */
  field?: string;
  /** A fixed class for functions whose lock is one for all callers (`rtnl_lock()`). */
  fixedClass?: string;
}

/**
 * lockdep's own annotations, called with a `struct lockdep_map *` (`lock_map_acquire(&h->map)`,
 * `rwsem_acquire(&sd->dep_map, subclass, trylock, ip)`): lockdep orders such a map as a lock.
 * Called on a lock's own map (`&l->dep_map`, `&sk->sk_lock.dep_map`, `&lock->dep_map` with
 * `lock` a lock) they are lockdep's bookkeeping of a lock lockscope follows by its real calls:
 * the lowering leaves those calls out (c/lower-expressions.ts, ownLockMap).
 */
export const LOCK_MAP_CALLS: ReadonlySet<string> = new Set([
  'lock_map_acquire', 'lock_map_acquire_read', 'lock_map_acquire_tryread', 'lock_map_release',
  'rwsem_acquire', 'rwsem_acquire_read', 'rwsem_release', 'mutex_acquire', 'mutex_acquire_nest', 'mutex_release',
  'spin_acquire', 'spin_acquire_nest', 'spin_release', 'rwlock_acquire', 'rwlock_acquire_read', 'rwlock_release',
  'lock_acquire', 'lock_release',
]);

export type LockEffect =
  /** `flagsArg`: the argument the irq state is saved into (`spin_lock_irqsave(l, flags)`). */
  | ({ k: 'acquire'; kind: LockKind; read: boolean; nested: boolean; subclassArg?: number; region?: Region; flagsArg?: number; onZero?: true } & LockOperand)
  /** May fail, never waits (every *_trylock*): no order edge against locks already held. */
  | ({ k: 'tryAcquire'; kind: LockKind; read: boolean; success: Mask; failure: Mask; region?: Region; flagsArg?: number } & LockOperand)
  /**
   * Waits, then may fail (mutex_lock_interruptible, atomic_dec_and_lock): edges count. `onZero`:
   * taken only when a reference count drops to zero (atomic_dec_and_lock), which no analysis of
   * the code around it can tell: its witnesses are of low confidence (order/confidence.ts).
   */
  | ({ k: 'condAcquire'; kind: LockKind; read: boolean; nested: boolean; success: Mask; failure: Mask; subclassArg?: number; onZero?: true; failsWith?: string; region?: Region; flagsArg?: number } & LockOperand)
  /**
   * `kind`: what an unlock of a lock lockscope cannot name may only end (raw_spin_unlock: a raw
   * spinlock). `enables`: turns hardirqs on whatever they were (`spin_unlock_irq`), not back to a
   * saved state.
   */
  | ({ k: 'release'; read: boolean; region?: Region; kind?: LockKind; flagsArg?: number; enables?: true } & LockOperand)
  /**
   * sparse's `__acquire(x)` / `__release(x)`: context markers with no lock behind them, kept for
   * balance only. `handed`: `__cond_lock(x, ..)` where it succeeded (c/lower-statements.ts
   * bindReturn), a context its function hands its caller, as a get hands a reference.
   */
  | ({ k: 'phantom'; enter: boolean; handed?: true; restore?: true } & LockOperand)
  /**
   * The lock argument is dropped and taken again inside (cond_resched_lock(), a
   * wait_event_lock_irq() that sleeps with it released): no net change for the caller, but
   * the retake is ordered after everything else held.
   */
  | ({ k: 'cycle'; sleeps: boolean } & LockOperand)
  /** Enters or leaves an atomic region: local_irq_disable(), preempt_disable(), rcu_read_lock(); `enables` as for a release (local_irq_enable()). */
  | { k: 'region'; region: Region; enter: boolean; enables?: true; flagsArg?: number }
  /**
   * Sets the address limit user accesses are checked against (set_fs(fs)): the kernel's
   * (KERNEL_DS, get_ds()) enters NO_FAULT, any other (the old limit restored) leaves it.
   */
  | { k: 'addressLimit'; arg: number }
  /**
   * May sleep (msleep, schedule, wait_for_completion); with `gfpArg`, only for sleeping GFP flags.
   * `fault`: a user-memory access, which may fault; outside atomic context the fault takes the
   * task's mmap lock for read (lockdep's might_fault()). `reschedules`: an entry to the scheduler
   * (schedule(), schedule_timeout()), which checks the preemption count and not the irq state:
   * with irqs off and nothing else atomic it is legal (sleep_on(); schedule() enables irqs).
   * `waits`: an allocation from a reserve that, allowed to sleep, waits for memory rather than
   * return NULL (mempool_alloc, bio_alloc with __GFP_WAIT).
   */
  | { k: 'sleep'; gfpArg?: number; fault?: true; reschedules?: true; waits?: true }
  /** lockdep's might_lock(l) / might_lock_read(l): ordered as taking l here, nothing held after. */
  | ({ k: 'mightLock'; read: boolean } & LockOperand)
  /** Frees the object the argument points to: a lock inside it is held by no one after. */
  | { k: 'free'; arg: number }
  /** Never returns: BUG(), panic(), do_exit(). */
  | { k: 'noreturn' }
  /** Waits for a work item, timer, workqueue or thread the argument names to finish. */
  | { k: 'flush'; arg: number; what: 'work' | 'timer' | 'workqueue' | 'kthread' }
  /** Registers `fnArg` to run in another context, for the object `objArg` (request_irq, INIT_WORK). */
  | { k: 'register'; ctx: 'hardirq' | 'softirq' | 'process'; fnArg: number; objArg?: number; what: 'irq' | 'timer' | 'tasklet' | 'work' | 'napi' | 'rcu' | 'kthread' | 'urb' | 'ipi' }
  /**
   * Drops a reference; the last one calls `fnArg(objArg)` there and returns 1, any other returns 0
   * (kref_put(ref, release)). With `lock`, that lock is taken before the release, which must drop
   * it (kref_put_mutex(ref, release, lock)).
   */
  | { k: 'lastPut'; fnArg: number; objArg: number; lock?: { arg: number; kind: LockKind } }
  /** lockdep_assert_held(l), WARN_ON(!mutex_is_locked(l)): the function runs with l held. */
  | ({ k: 'assertHeld' } & LockOperand)
  /**
   * Whether a lock is held (mutex_is_locked(l), rtnl_is_locked()): true where this path holds it,
   * whoever else might; otherwise either.
   */
  | ({ k: 'heldQuery' } & LockOperand)
  /** Named like a lock operation but not one for lockscope (spin_lock_init, lockdep_set_class). */
  | { k: 'none' };

export type Catalogue = ReadonlyMap<string, LockEffect>;

/** trylock: 1 when taken; mutex_lock_interruptible: 0 when taken, -EINTR when not; down_trylock: 0 when taken. */
const TAKEN_ON_ONE = { success: P, failure: Z };
/** Interrupted by a signal or killed: the one code these fail with (`== -EINTR` tests it). */
const TAKEN_ON_ZERO_ELSE_ERROR = { success: Z, failure: N, failsWith: '-EINTR' };
/** down_timeout(): -ETIME when the time ran out. */
const TAKEN_ON_ZERO_ELSE_TIMEOUT = { success: Z, failure: N, failsWith: '-ETIME' };
const TAKEN_ON_ZERO_ELSE_ONE = { success: Z, failure: P };

const acquire = (kind: LockKind, opts: Partial<{ read: boolean; nested: boolean; arg: number; field: string; subclassArg: number; region: Region; fixedClass: string; flagsArg: number }> = {}): LockEffect => ({
  k: 'acquire', kind, read: opts.read ?? false, nested: opts.nested ?? false, arg: opts.arg ?? 0,
  ...(opts.field ? { field: opts.field } : {}), ...(opts.subclassArg !== undefined ? { subclassArg: opts.subclassArg } : {}),
  ...(opts.region ? { region: opts.region } : {}), ...(opts.fixedClass ? { fixedClass: opts.fixedClass } : {}),
  ...(opts.flagsArg !== undefined ? { flagsArg: opts.flagsArg } : {}),
});
const tryAcquire = (kind: LockKind, result: { success: Mask; failure: Mask }, read = false, region?: Region, flagsArg?: number): LockEffect => ({
  k: 'tryAcquire', kind, read, ...result, arg: 0, ...(region ? { region } : {}), ...(flagsArg !== undefined ? { flagsArg } : {}),
});
const condAcquire = (kind: LockKind, result: { success: Mask; failure: Mask; failsWith?: string }, opts: Partial<{ read: boolean; nested: boolean; arg: number; subclassArg: number; onZero: true }> = {}): LockEffect => ({
  k: 'condAcquire', kind, ...result, read: opts.read ?? false, nested: opts.nested ?? false, arg: opts.arg ?? 0, ...(opts.subclassArg !== undefined ? { subclassArg: opts.subclassArg } : {}),
  ...(opts.onZero ? { onZero: true } : {}),
});
const release = (opts: Partial<{ read: boolean; arg: number; field: string; region: Region; fixedClass: string; flagsArg: number; enables: true }> = {}): LockEffect => ({
  k: 'release', read: opts.read ?? false, arg: opts.arg ?? 0, ...(opts.field ? { field: opts.field } : {}), ...(opts.region ? { region: opts.region } : {}), ...(opts.fixedClass ? { fixedClass: opts.fixedClass } : {}),
  ...(opts.flagsArg !== undefined ? { flagsArg: opts.flagsArg } : {}), ...(opts.enables ? { enables: true } : {}),
});

const IRQ_VARIANT: Record<string, Region | undefined> = { '': undefined, _irq: HARDIRQ_OFF, _irqsave: HARDIRQ_OFF, _irqrestore: HARDIRQ_OFF, _bh: SOFTIRQ_OFF };

/** A variant's region, and for `_irqsave` / `_irqrestore` the flags argument after the lock. */
const variant = (v: string): { region: Region; flagsArg?: number } => ({ region: IRQ_VARIANT[v] as Region, ...(v === '_irqsave' || v === '_irqrestore' ? { flagsArg: 1 } : {}) });
/** An unlock variant's: `_irq` turns hardirqs on unconditionally (lockdep marks every lock still held HARDIRQ-ON). */
const unlockVariant = (v: string): { region: Region; flagsArg?: number; enables?: true } => ({ ...variant(v), ...(v === '_irq' ? { enables: true } : {}) });

function spinFamily(t: Map<string, LockEffect>, prefix: 'spin' | 'raw_spin', kind: LockKind): void {
  for (const v of ['', '_irq', '_irqsave', '_bh']) {
    t.set(`${prefix}_lock${v}`, acquire(kind, variant(v)));
    t.set(`${prefix}_trylock${v}`, tryAcquire(kind, TAKEN_ON_ONE, false, IRQ_VARIANT[v], variant(v).flagsArg));
  }
  for (const v of ['', '_irq', '_irqrestore', '_bh']) t.set(`${prefix}_unlock${v}`, release(unlockVariant(v)));
  t.set(`${prefix}_lock_nested`, acquire(kind, { subclassArg: 1 }));
  t.set(`${prefix}_lock_irqsave_nested`, acquire(kind, { subclassArg: 2, region: HARDIRQ_OFF, flagsArg: 1 }));
  t.set(`${prefix}_lock_bh_nested`, acquire(kind, { subclassArg: 1, region: SOFTIRQ_OFF }));
  t.set(`${prefix}_lock_nest_lock`, acquire(kind, { nested: true }));
}

/**
 * `arch_spin_lock()`: the architecture's spinlock under the raw one. Lockdep does not see it, but
 * it deadlocks all the same (the tracing code's dump locks are of this kind); a raw spinlock's kind.
 */
function archLocks(t: Map<string, LockEffect>): void {
  t.set('arch_spin_lock', acquire('raw_spinlock'));
  t.set('arch_spin_lock_flags', acquire('raw_spinlock'));
  t.set('arch_spin_trylock', tryAcquire('raw_spinlock', TAKEN_ON_ONE));
  t.set('arch_spin_unlock', release());
  for (const mode of ['read', 'write'] as const) {
    t.set(`arch_${mode}_lock`, acquire('raw_spinlock', { read: mode === 'read' }));
    t.set(`arch_${mode}_trylock`, tryAcquire('raw_spinlock', TAKEN_ON_ONE, mode === 'read'));
    t.set(`arch_${mode}_unlock`, release({ read: mode === 'read' }));
  }
}

function rwlockFamily(t: Map<string, LockEffect>): void {
  for (const mode of ['read', 'write'] as const) {
    const read = mode === 'read';
    for (const v of ['', '_irq', '_irqsave', '_bh']) t.set(`${mode}_lock${v}`, acquire('rwlock', { read, ...variant(v) }));
    for (const v of ['', '_irq', '_irqrestore', '_bh']) t.set(`${mode}_unlock${v}`, release({ read, ...unlockVariant(v) }));
    t.set(`${mode}_trylock`, tryAcquire('rwlock', TAKEN_ON_ONE, read));
    t.set(`${mode}_trylock_irqsave`, tryAcquire('rwlock', TAKEN_ON_ONE, read, HARDIRQ_OFF, 1));
  }
}

function sleepingFamilies(t: Map<string, LockEffect>): void {
  for (const v of ['mutex_lock', 'mutex_lock_io']) t.set(v, acquire('mutex'));
  for (const v of ['mutex_lock_nested', 'mutex_lock_io_nested']) t.set(v, acquire('mutex', { subclassArg: 1 }));
  t.set('mutex_lock_nest_lock', acquire('mutex', { nested: true }));
  for (const v of ['mutex_lock_interruptible', 'mutex_lock_killable']) t.set(v, condAcquire('mutex', TAKEN_ON_ZERO_ELSE_ERROR));
  for (const v of ['mutex_lock_interruptible_nested', 'mutex_lock_killable_nested']) t.set(v, condAcquire('mutex', TAKEN_ON_ZERO_ELSE_ERROR, { subclassArg: 1 }));
  t.set('mutex_trylock', tryAcquire('mutex', TAKEN_ON_ONE));
  t.set('mutex_unlock', release());
  t.set('atomic_dec_and_mutex_lock', condAcquire('mutex', TAKEN_ON_ONE, { arg: 1, onZero: true }));
  t.set('refcount_dec_and_mutex_lock', condAcquire('mutex', TAKEN_ON_ONE, { arg: 1, onZero: true }));

  t.set('down', acquire('semaphore'));
  for (const v of ['down_interruptible', 'down_killable']) t.set(v, condAcquire('semaphore', TAKEN_ON_ZERO_ELSE_ERROR));
  t.set('down_timeout', condAcquire('semaphore', TAKEN_ON_ZERO_ELSE_TIMEOUT));
  t.set('down_trylock', tryAcquire('semaphore', TAKEN_ON_ZERO_ELSE_ONE));
  t.set('up', release());

  for (const mode of ['read', 'write'] as const) {
    const read = mode === 'read';
    t.set(`down_${mode}`, acquire('rwsem', { read }));
    t.set(`down_${mode}_nested`, acquire('rwsem', { read, subclassArg: 1 }));
    t.set(`down_${mode}_non_owner`, acquire('rwsem', { read }));
    t.set(`down_${mode}_killable`, condAcquire('rwsem', TAKEN_ON_ZERO_ELSE_ERROR, { read }));
    t.set(`down_${mode}_interruptible`, condAcquire('rwsem', TAKEN_ON_ZERO_ELSE_ERROR, { read }));
    t.set(`down_${mode}_trylock`, tryAcquire('rwsem', TAKEN_ON_ONE, read));
    t.set(`up_${mode}`, release({ read }));
    t.set(`up_${mode}_non_owner`, release({ read }));
  }
  t.set('downgrade_write', { k: 'none' });

  // Per-CPU rwsems (sb->s_writers): readers are cheap, a writer waits for all of them.
  for (const mode of ['read', 'write'] as const) {
    t.set(`percpu_down_${mode}`, acquire('rwsem', { read: mode === 'read' }));
    t.set(`percpu_up_${mode}`, release({ read: mode === 'read' }));
  }
  t.set('percpu_down_read_trylock', tryAcquire('rwsem', TAKEN_ON_ONE, true));

  t.set('rt_mutex_lock', acquire('rt_mutex'));
  t.set('rt_mutex_lock_nested', acquire('rt_mutex', { subclassArg: 1 }));
  t.set('rt_mutex_lock_interruptible', condAcquire('rt_mutex', TAKEN_ON_ZERO_ELSE_ERROR));
  t.set('rt_mutex_lock_killable', condAcquire('rt_mutex', TAKEN_ON_ZERO_ELSE_ERROR));
  t.set('rt_mutex_trylock', tryAcquire('rt_mutex', TAKEN_ON_ONE));
  t.set('rt_mutex_unlock', release());
}

function conditionalSpinners(t: Map<string, LockEffect>): void {
  // These spin on the lock when the count hits zero: they wait, so their edges count.
  for (const v of ['atomic_dec_and_lock', 'refcount_dec_and_lock', '_atomic_dec_and_lock']) t.set(v, condAcquire('spinlock', TAKEN_ON_ONE, { arg: 1, onZero: true }));
  for (const v of ['atomic_dec_and_lock_irqsave', 'refcount_dec_and_lock_irqsave']) t.set(v, condAcquire('spinlock', TAKEN_ON_ONE, { arg: 1, onZero: true }));
  t.set('atomic_dec_and_raw_lock', condAcquire('raw_spinlock', TAKEN_ON_ONE, { arg: 1, onZero: true }));
}

function seqlocks(t: Map<string, LockEffect>): void {
  // A seqlock_t's writers (and exclusive readers) take its spinlock: lockdep orders rename_lock
  // before d_lock. Plain readers retry instead of waiting, so they are not locks here.
  for (const v of ['', '_irq', '_irqsave', '_bh']) {
    t.set(`write_seqlock${v}`, acquire('spinlock', variant(v)));
    t.set(`read_seqlock_excl${v}`, acquire('spinlock', variant(v)));
  }
  for (const v of ['', '_irq', '_irqrestore', '_bh']) {
    t.set(`write_sequnlock${v}`, release(unlockVariant(v)));
    t.set(`read_sequnlock_excl${v}`, release(unlockVariant(v)));
  }
}

/** Locks the kernel does not spell as locks, each with the class lockdep gives it. */
function namedLocks(t: Map<string, LockEffect>): void {
  // lock_sock() takes the socket's owner lock; lockdep calls the class sk_lock-AF_xxx.
  t.set('lock_sock', acquire('mutex', { field: 'sk_lock' }));
  t.set('lock_sock_nested', acquire('mutex', { field: 'sk_lock', subclassArg: 1 }));
  t.set('release_sock', release({ field: 'sk_lock' }));
  // lock_task_sighand(tsk, &flags) returns tsk's sighand with its siglock taken and irqs saved
  // off (__lock_task_sighand's local_irq_save), or NULL (the task is exiting) with nothing taken
  // and irqs as they were; unlock_task_sighand() is the spin_unlock_irqrestore().
  t.set('lock_task_sighand', { k: 'condAcquire', kind: 'spinlock', read: false, nested: false, success: P | N, failure: Z, arg: 0, field: 'sighand.siglock', region: HARDIRQ_OFF, flagsArg: 1 });
  t.set('unlock_task_sighand', release({ field: 'sighand.siglock', region: HARDIRQ_OFF, flagsArg: 1 }));
  // Host claims serialize a bus like a mutex: one class for every host, as for a lockdep key.
  // The task that holds a claim may claim again (a count, `host->claimer == current`): nesting, no recursion.
  for (const [lock, unlock] of [['sdio_claim_host', 'sdio_release_host'], ['mmc_claim_host', 'mmc_release_host'], ['__mmc_claim_host', 'mmc_release_host']] as const) {
    t.set(lock, acquire('mutex', { fixedClass: 'mmc_host.claim', nested: true }));
    t.set(unlock, release({ fixedClass: 'mmc_host.claim' }));
  }
  // A device's address lists: netif_addr_lock_bh(dev) is spin_lock_bh(&dev->addr_list_lock).
  t.set('netif_addr_lock', acquire('spinlock', { field: 'addr_list_lock' }));
  t.set('netif_addr_lock_bh', acquire('spinlock', { field: 'addr_list_lock', region: SOFTIRQ_OFF }));
  t.set('netif_addr_unlock', release({ field: 'addr_list_lock' }));
  t.set('netif_addr_unlock_bh', release({ field: 'addr_list_lock', region: SOFTIRQ_OFF }));
  // netif_tx_lock_bh(dev): the device's tx_global_lock (then every queue's lock), softirqs off.
  t.set('netif_tx_lock', acquire('spinlock', { field: 'tx_global_lock' }));
  t.set('netif_tx_lock_bh', acquire('spinlock', { field: 'tx_global_lock', region: SOFTIRQ_OFF }));
  t.set('netif_tx_unlock', release({ field: 'tx_global_lock' }));
  t.set('netif_tx_unlock_bh', release({ field: 'tx_global_lock', region: SOFTIRQ_OFF }));
  t.set('wiphy_lock', acquire('mutex', { fixedClass: 'wiphy.mtx' }));
  t.set('wiphy_unlock', release({ fixedClass: 'wiphy.mtx' }));
  t.set('rtnl_lock', acquire('mutex', { fixedClass: 'rtnl_mutex', arg: -1 }));
  t.set('rtnl_unlock', release({ fixedClass: 'rtnl_mutex', arg: -1 }));
  t.set('rtnl_trylock', { k: 'tryAcquire', kind: 'mutex', read: false, ...TAKEN_ON_ONE, arg: -1, fixedClass: 'rtnl_mutex' });
  // lglocks and big-reader locks (lglock.h, 2.6.38 on): a per-CPU spinlock each reader takes on
  // its own CPU, every one of which a writer takes; lockdep has one map per lglock, read
  // (recursive) for the local lock, write for the global one. Named by the lglock, written bare
  // to 3.7 (`br_read_lock(vfsmount_lock)`: a name DEFINE_BRLOCK made) or by address from 3.8.
  for (const [lock, unlock] of [['lg_local_lock', 'lg_local_unlock'], ['lg_local_lock_cpu', 'lg_local_unlock_cpu'], ['br_read_lock', 'br_read_unlock']] as const) {
    t.set(lock, acquire('rwlock', { read: true, region: PREEMPT_OFF }));
    t.set(unlock, release({ read: true, region: PREEMPT_OFF }));
  }
  for (const [lock, unlock] of [['lg_global_lock', 'lg_global_unlock'], ['lg_global_lock_online', 'lg_global_unlock_online'], ['br_write_lock', 'br_write_unlock']] as const) {
    t.set(lock, acquire('rwlock', { region: PREEMPT_OFF }));
    t.set(unlock, release({ region: PREEMPT_OFF }));
  }
  t.set('console_lock', acquire('semaphore', { fixedClass: 'console_lock', arg: -1 }));
  t.set('console_unlock', release({ fixedClass: 'console_lock', arg: -1 }));
  // The hotplug lock's readers: get_online_cpus() took a count no queued writer waits behind (to
  // 4.12; lockdep's recursive read from 3.15), so its readers nest and never wait for each other.
  // cpus_read_lock() (4.13 on) is a percpu rwsem's reader: it waits behind a queued writer.
  t.set('cpus_read_lock', acquire('rwsem', { read: true, fixedClass: 'cpu_hotplug_lock', arg: -1 }));
  t.set('cpus_read_unlock', release({ read: true, fixedClass: 'cpu_hotplug_lock', arg: -1 }));
  t.set('get_online_cpus', acquire('rwsem', { read: true, nested: true, fixedClass: 'cpu_hotplug_lock', arg: -1 }));
  t.set('put_online_cpus', release({ read: true, fixedClass: 'cpu_hotplug_lock', arg: -1 }));
  // The mm's mmap lock behind its API (5.8 on): mmap_read_lock(mm) is down_read(&mm->mmap_lock).
  for (const mode of ['read', 'write'] as const) {
    const read = mode === 'read';
    t.set(`mmap_${mode}_lock`, acquire('rwsem', { read, field: 'mmap_lock' }));
    t.set(`mmap_${mode}_unlock`, release({ read, field: 'mmap_lock' }));
    t.set(`mmap_${mode}_trylock`, { k: 'tryAcquire', kind: 'rwsem', read, ...TAKEN_ON_ONE, arg: 0, field: 'mmap_lock' });
    t.set(`mmap_${mode}_lock_killable`, { k: 'condAcquire', kind: 'rwsem', read, nested: false, ...TAKEN_ON_ZERO_ELSE_ERROR, arg: 0, field: 'mmap_lock' });
  }
  t.set('mmap_write_lock_nested', acquire('rwsem', { field: 'mmap_lock', subclassArg: 1 }));
  t.set('mmap_write_downgrade', { k: 'none' });
  t.set('device_lock', acquire('mutex', { field: 'mutex' }));
  t.set('device_unlock', release({ field: 'mutex' }));
  t.set('device_trylock', { k: 'tryAcquire', kind: 'mutex', read: false, ...TAKEN_ON_ONE, arg: 0, field: 'mutex' });
}

/**
 * lockdep's annotations on a map that is no lock of its own (LOCK_MAP_CALLS), a pseudo-lock
 * with one static key: a journal handle's (`jbd2_handle`, taken in jbd2_journal_start(), let go
 * in jbd2_journal_stop()), a workqueue's while its work runs. A map's read by
 * lock_map_acquire_read() is a recursive read (lockdep's read == 2). The lock-shaped forms
 * (`rwsem_acquire(&sd->dep_map, subclass, trylock, ip)`, `mutex_acquire()`) are what a lock-like
 * object of its own uses, each instance keyed apart (sysfs's active reference per attribute, a
 * cluster lock per type): classes lockscope cannot split, whose cycles it would leave out, and
 * whose holds only cost the paths around them. They stay unknown calls.
 */
function lockdepMaps(t: Map<string, LockEffect>): void {
  t.set('lock_map_acquire', acquire('lockdep_map'));
  t.set('lock_map_acquire_read', acquire('lockdep_map', { read: true, nested: true }));
  t.set('lock_map_acquire_tryread', tryAcquire('lockdep_map', TAKEN_ON_ONE, true));
  t.set('lock_map_release', release());
}

/** The lowering's mark of a `__cond_lock(x, c)` whose c was 0 (no C function has this name). */
export const COND_LOCK_FAILED = '__cond_lock failed';

/**
 * APIs that drop a lock they are given and take it again before returning: the caller still
 * holds it afterwards, but it was released in between (so what the callee waits on is not
 * ordered after it). wait_event_lock_irq and friends are macros in headers a patch's snapshot
 * rarely holds.
 */
function lockCyclers(t: Map<string, LockEffect>): void {
  t.set('cond_resched_lock', { k: 'cycle', arg: 0, sleeps: true });
  for (const v of ['wait_event_lock_irq', 'wait_event_interruptible_lock_irq', 'wait_event_lock_irq_cmd', 'wait_event_interruptible_lock_irq_cmd', 'wait_event_interruptible_lock_irq_timeout', 'wait_event_lock_irq_timeout']) {
    t.set(v, { k: 'cycle', arg: 2, sleeps: true });
  }
  t.set('wait_event_interruptible_locked', { k: 'cycle', arg: 0, sleeps: true, field: 'lock' });
  t.set('wait_event_interruptible_locked_irq', { k: 'cycle', arg: 0, sleeps: true, field: 'lock' });
  t.set('wait_event_interruptible_exclusive_locked', { k: 'cycle', arg: 0, sleeps: true, field: 'lock' });
  t.set('wait_event_interruptible_exclusive_locked_irq', { k: 'cycle', arg: 0, sleeps: true, field: 'lock' });
}

/**
 * Waits whose body runs some of their arguments as statements (`cmd`), by index in the body's
 * order (c/command-arguments.ts). `drops`: the lock argument the body releases around them and
 * takes again before it returns (`spin_unlock_irq(&lock); cmd; schedule(); spin_lock_irq(&lock);`),
 * with the unlock and lock it uses: the commands run with that lock dropped. md's 3.0
 * `wait_event_lock_irq(wq, condition, lock, cmd)` is today's `wait_event_lock_irq_cmd`; the
 * `_timeout` variants' fourth argument is a timeout, no command.
 */
export const WAIT_COMMANDS: ReadonlyMap<string, CommandArguments> = new Map<string, CommandArguments>([
  ...['wait_event_lock_irq', 'wait_event_lock_irq_cmd', 'wait_event_interruptible_lock_irq', 'wait_event_interruptible_lock_irq_cmd'].map(
    (n): [string, CommandArguments] => [n, { commands: [3], drops: { arg: 2, unlock: 'spin_unlock_irq', lock: 'spin_lock_irq' } }],
  ),
  // `cmd1; schedule(); cmd2;`: a caller's own unlock and lock around the sleep.
  ['wait_event_cmd', { commands: [2, 3] }],
]);

/**
 * The waits that test a condition before they sleep (`wait_event(wq, condition)`: `if
 * (condition) break;` first), by the index of the condition argument: where the path knows it
 * holds, the call returns without sleeping (and a lock-dropping one drops nothing).
 */
export const WAIT_CONDITIONS: ReadonlyMap<string, number> = new Map(
  [
    'wait_event', 'wait_event_timeout', 'wait_event_interruptible', 'wait_event_interruptible_timeout', 'wait_event_killable',
    'wait_event_killable_timeout', 'wait_event_freezable', 'wait_event_freezable_timeout', 'wait_event_idle', 'wait_event_idle_timeout',
    'wait_event_interruptible_exclusive', 'io_wait_event', ...WAIT_COMMANDS.keys(),
    'wait_event_lock_irq_timeout', 'wait_event_interruptible_lock_irq_timeout', 'wait_event_interruptible_locked', 'wait_event_interruptible_locked_irq',
    'wait_event_interruptible_exclusive_locked', 'wait_event_interruptible_exclusive_locked_irq',
  ].map((n) => [n, 1]),
);

function regions(t: Map<string, LockEffect>): void {
  const pair = (enter: string[], exit: string[], region: Region): void => {
    for (const n of enter) t.set(n, { k: 'region', region, enter: true });
    for (const n of exit) t.set(n, { k: 'region', region, enter: false });
  };
  pair(['local_irq_disable', 'local_irq_save', 'raw_local_irq_save', 'raw_local_irq_disable'], ['local_irq_enable', 'local_irq_restore', 'raw_local_irq_restore', 'raw_local_irq_enable'], HARDIRQ_OFF);
  // The saves and restores name the variable the state is kept in (local_irq_save(flags)).
  for (const n of ['local_irq_save', 'raw_local_irq_save', 'local_irq_restore', 'raw_local_irq_restore']) t.set(n, { k: 'region', region: HARDIRQ_OFF, enter: n.endsWith('save'), flagsArg: 0 });
  // local_irq_enable() turns hardirqs on; local_irq_restore() puts back what was saved.
  for (const n of ['local_irq_enable', 'raw_local_irq_enable']) t.set(n, { k: 'region', region: HARDIRQ_OFF, enter: false, enables: true });
  // A build with lockdep (the one lockscope speaks for) turns irqs off with the line:
  // `disable_irq_nosync_lockdep(irq)` is disable_irq_nosync() then local_irq_disable().
  pair(['disable_irq_lockdep', 'disable_irq_nosync_lockdep', 'disable_irq_nosync_lockdep_irqsave'], ['enable_irq_lockdep', 'enable_irq_lockdep_irqrestore'], HARDIRQ_OFF);
  // irq_enter() .. irq_exit(): hardirq context, which an IPI handler enters itself (with irqs
  // off, as the architecture calls it): nothing between them runs with irqs on.
  pair(['irq_enter', '__irq_enter', 'nmi_enter'], ['irq_exit', '__irq_exit', 'nmi_exit'], HARDIRQ_OFF);
  // rcu_read_lock_bh() is local_bh_disable() and an RCU read side: softirqs off, which says more
  // (a lock taken there is no softirq-on usage; a sleep there is as atomic either way).
  // _local_bh_enable() and local_bh_enable_ip() turn them back on too (without running pending ones).
  pair(['local_bh_disable', 'rcu_read_lock_bh'], ['local_bh_enable', 'rcu_read_unlock_bh', '_local_bh_enable', 'local_bh_enable_ip'], SOFTIRQ_OFF);
  pair(['preempt_disable', 'get_cpu', 'get_cpu_var', 'preempt_disable_notrace'], ['preempt_enable', 'put_cpu', 'put_cpu_var', 'preempt_enable_no_resched', 'preempt_enable_notrace', 'preempt_enable_no_resched_notrace', 'sched_preempt_enable_no_resched'], PREEMPT_OFF);

  pair(['rcu_read_lock', 'rcu_read_lock_sched', 'rcu_read_lock_sched_notrace'], ['rcu_read_unlock', 'rcu_read_unlock_sched', 'rcu_read_unlock_sched_notrace'], RCU_READ);
  pair(['pagefault_disable'], ['pagefault_enable'], NO_FAULT);
  pair(['memalloc_nofs_save', 'memalloc_noio_save'], ['memalloc_nofs_restore', 'memalloc_noio_restore'], NO_FS_RECLAIM);
  t.set('set_fs', { k: 'addressLimit', arg: 0 });
}

/** The address limits that let a user access reach kernel memory (`set_fs(KERNEL_DS)`). */
export const KERNEL_ADDRESS_LIMITS: ReadonlySet<string> = new Set(['KERNEL_DS', 'get_ds()', 'get_ds']);

/** GFP flag sets that let an allocation sleep (they hold the reclaim bit), and those that never do. */
export const SLEEPING_GFP = /^(GFP_KERNEL|GFP_NOFS|GFP_NOIO|GFP_USER|GFP_HIGHUSER\w*|GFP_TEMPORARY|GFP_KERNEL_ACCOUNT|__GFP_WAIT|__GFP_RECLAIM|__GFP_DIRECT_RECLAIM)$/;
export const ATOMIC_GFP = /^(GFP_ATOMIC|GFP_NOWAIT|GFP_NOIO_ATOMIC|__GFP_ATOMIC|__GFP_HIGH)$/;
/** The GFP bits a test for "may this allocation sleep" reads. */
/** Allocators from a reserve: allowed to sleep, they wait for an element to come back rather than fail. */
const RESERVE_ALLOCATORS: ReadonlySet<string> = new Set(['mempool_alloc', 'bio_alloc']);
export const GFP_SLEEP_BITS = /^(__GFP_WAIT|__GFP_RECLAIM|__GFP_DIRECT_RECLAIM)$/;

/** Flag sets that let an allocation sleep, with none that forbids it. */
export const sleepingFlags = (flags: readonly string[]): boolean => flags.some((f) => SLEEPING_GFP.test(f)) && !flags.some((f) => ATOMIC_GFP.test(f));

/**
 * Does the flag set `name` (a caller's constant) contain the bit `tested` (what the callee tests:
 * `gfp & __GFP_WAIT`)? The same name does. A GFP set does or does not hold the sleep bits
 * (GFP_KERNEL holds __GFP_WAIT, GFP_NOWAIT does not); another GFP set is not known (undefined).
 * Other names are taken as distinct bits (XFS_ILOCK_EXCL is not XFS_IOLOCK_SHARED).
 */
export function flagContains(name: string, tested: string): boolean | undefined {
  if (name === tested) return true;
  if (GFP_SLEEP_BITS.test(tested)) {
    if (SLEEPING_GFP.test(name)) return true;
    if (ATOMIC_GFP.test(name)) return false;
    return name.includes('GFP') ? undefined : false;
  }
  return name.startsWith('GFP_') && tested.startsWith('__GFP_') ? undefined : false;
}

const RESCHEDULERS = new Set([
  'schedule', 'schedule_timeout', 'schedule_timeout_interruptible', 'schedule_timeout_uninterruptible', 'schedule_timeout_killable',
  'schedule_hrtimeout', 'io_schedule', 'io_schedule_timeout',
]);

/** Calls that may sleep, by name; allocation APIs sleep only with sleeping GFP flags (gfpArg). */
function sleepers(t: Map<string, LockEffect>): void {
  for (const n of [
    'msleep', 'msleep_interruptible', 'ssleep', 'usleep_range', 'usleep_range_state', 'fsleep', 'schedule', 'schedule_timeout',
    'schedule_timeout_interruptible', 'schedule_timeout_uninterruptible', 'schedule_timeout_killable', 'schedule_hrtimeout', 'io_schedule',
    'io_schedule_timeout', 'might_sleep', 'might_sleep_if', 'cond_resched', 'wait_for_completion', 'wait_for_completion_timeout',
    'wait_for_completion_interruptible', 'wait_for_completion_interruptible_timeout', 'wait_for_completion_killable',
    'wait_for_completion_killable_timeout', 'wait_for_completion_io', 'wait_for_completion_io_timeout', 'wait_event', 'wait_event_timeout',
    'wait_event_interruptible', 'wait_event_interruptible_timeout', 'wait_event_killable', 'wait_event_freezable', 'wait_event_idle', 'wait_event_cmd',
    'wait_on_bit', 'wait_on_bit_lock', 'wait_on_page_locked', 'wait_on_page_writeback', 'lock_page', 'wait_on_buffer', 'lock_buffer',
    'synchronize_rcu', 'synchronize_sched', 'synchronize_net', 'synchronize_srcu', 'synchronize_irq', 'synchronize_rcu_expedited', 'rcu_barrier',
    'vmalloc', 'vzalloc', 'vfree', 'kthread_stop', 'kthread_park', 'request_firmware', 'firmware_request_nowarn', 'flush_scheduled_work',
    'interruptible_sleep_on', 'sleep_on', 'interruptible_sleep_on_timeout', 'sleep_on_timeout', 'filemap_fdatawait', 'filemap_write_and_wait',
    'sync_blockdev', 'blkdev_issue_flush', 'usb_control_msg', 'usb_bulk_msg', 'usb_interrupt_msg', 'i2c_transfer', 'i2c_smbus_read_byte_data',
    'i2c_smbus_write_byte_data', 'i2c_smbus_read_word_data', 'i2c_smbus_write_word_data', 'i2c_master_send', 'i2c_master_recv',
    'regulator_enable', 'regulator_disable', 'clk_prepare', 'clk_unprepare', 'clk_prepare_enable', 'clk_disable_unprepare',
    'device_add', 'device_register', 'device_unregister', 'free_irq', 'request_irq', 'request_threaded_irq', 'disable_irq',
    'kobject_uevent', 'sysfs_create_group', 'debugfs_create_file', 'proc_create', 'kfree_rcu_sleep', 'sock_create', 'kernel_recvmsg', 'kernel_sendmsg',
  ]) {
    t.set(n, RESCHEDULERS.has(n) ? { k: 'sleep', reschedules: true } : { k: 'sleep' });
  }
  for (const [n, gfp] of [
    ['kmalloc', 1], ['kzalloc', 1], ['kcalloc', 2], ['kmalloc_array', 2], ['krealloc', 2], ['kmem_cache_alloc', 1], ['kmem_cache_zalloc', 1],
    ['kmalloc_node', 1], ['kzalloc_node', 1], ['kstrdup', 1], ['kmemdup', 2], ['alloc_pages', 0], ['__get_free_pages', 0], ['get_zeroed_page', 0],
    ['__get_free_page', 0], ['alloc_page', 0], ['alloc_skb', 1], ['dev_alloc_skb', -1], ['__netdev_alloc_skb', 2], ['skb_clone', 1], ['skb_copy', 1],
    ['pskb_expand_head', 3], ['dma_alloc_coherent', 3], ['dma_pool_alloc', 1], ['mempool_alloc', 1], ['idr_pre_get', 1], ['radix_tree_preload', 0],
    ['usb_alloc_urb', 1], ['usb_submit_urb', 1], ['kobject_get_path', 1], ['devm_kzalloc', 2], ['devm_kmalloc', 2], ['bio_alloc', 0],
    // The rest of the slab and page allocators' front doors, and the formatting and duplicating ones.
    ['__kmalloc', 1], ['kmem_cache_alloc_node', 1], ['kmalloc_array_node', 2], ['kcalloc_node', 2], ['alloc_pages_node', 1], ['__get_dma_pages', 0],
    ['kvmalloc', 1], ['kvzalloc', 1], ['kvmalloc_array', 2], ['kvcalloc', 2], ['kvmalloc_node', 1], ['kvzalloc_node', 1],
    ['kasprintf', 0], ['kvasprintf', 0], ['kstrndup', 2], ['kmemdup_nul', 2], ['devm_kasprintf', 1], ['devm_kstrdup', 2], ['devm_kcalloc', 3], ['devm_kmalloc_array', 3],
    ['sk_alloc', 2], ['idr_alloc', 4], ['idr_alloc_cyclic', 4], ['ida_simple_get', 3], ['ida_alloc_range', 3], ['ida_alloc', 1], ['ida_alloc_min', 2], ['ida_alloc_max', 2],
  ] as const) {
    if (gfp >= 0) t.set(n, { k: 'sleep', gfpArg: gfp, ...(RESERVE_ALLOCATORS.has(n) ? { waits: true as const } : {}) });
  }
}

/**
 * User-memory accesses: each may fault, and the fault handler takes the task's mmap lock for
 * read. lockdep knows it through might_fault() in these (arch headers a snapshot rarely holds).
 * The `_inatomic` variants, and copies under pagefault_disable() or set_fs(KERNEL_DS) (NO_FAULT), never take it.
 */
function faulters(t: Map<string, LockEffect>): void {
  for (const n of [
    'copy_from_user', 'copy_to_user', '__copy_from_user', '__copy_to_user', 'copy_in_user', 'get_user', 'put_user', '__get_user', '__put_user',
    'clear_user', '__clear_user', 'strncpy_from_user', 'strnlen_user', 'strlen_user', 'copy_struct_from_user', 'might_fault',
    // Faulting the user pages in before a copy under pagefault_disable() (the write paths).
    'fault_in_pages_readable', 'fault_in_pages_writeable', 'iov_iter_fault_in_readable', 'fault_in_readable', 'fault_in_writeable',
    'fault_in_iov_iter_readable', 'fault_in_iov_iter_writeable',
  ]) {
    t.set(n, { k: 'sleep', fault: true });
  }
  t.set('might_lock', { k: 'mightLock', read: false, arg: 0 });
  t.set('might_lock_read', { k: 'mightLock', read: true, arg: 0 });
  t.set('might_lock_nested', { k: 'mightLock', read: false, arg: 0 });
}

/** Allocator frees (vfree() may sleep, so it stays a sleeper). */
function frees(t: Map<string, LockEffect>): void {
  for (const n of ['kfree', 'kvfree', 'kzfree', 'kfree_sensitive', 'kfree_rcu', 'kvfree_rcu']) t.set(n, { k: 'free', arg: 0 });
  t.set('kmem_cache_free', { k: 'free', arg: 1 });
}

function noReturns(t: Map<string, LockEffect>): void {
  for (const n of ['BUG', 'panic', 'do_exit', 'do_group_exit', 'complete_and_exit', 'kthread_exit', 'unreachable', '__builtin_unreachable', 'machine_halt', 'machine_power_off', 'machine_restart', 'emergency_restart', 'make_task_dead', '__module_put_and_exit', 'kernel_halt', 'kernel_power_off']) {
    t.set(n, { k: 'noreturn' });
  }
}

function waiters(t: Map<string, LockEffect>): void {
  for (const n of ['flush_work', 'cancel_work_sync', 'flush_work_sync']) t.set(n, { k: 'flush', arg: 0, what: 'work' });
  for (const n of ['cancel_delayed_work_sync', 'flush_delayed_work', 'flush_delayed_work_sync', '__cancel_delayed_work_sync']) t.set(n, { k: 'flush', arg: 0, what: 'work' });
  for (const n of ['flush_workqueue', 'drain_workqueue', 'destroy_workqueue']) t.set(n, { k: 'flush', arg: 0, what: 'workqueue' });
  for (const n of ['del_timer_sync', 'timer_delete_sync', 'timer_shutdown_sync', 'hrtimer_cancel', 'tasklet_kill']) t.set(n, { k: 'flush', arg: 0, what: 'timer' });
  t.set('kthread_stop', { k: 'flush', arg: 0, what: 'kthread' });
  t.set('cancel_delayed_work', { k: 'none' });
}

function registrations(t: Map<string, LockEffect>): void {
  for (const n of ['request_irq', 'devm_request_irq', 'request_any_context_irq', 'devm_request_any_context_irq', 'request_percpu_irq']) {
    t.set(n, { k: 'register', ctx: 'hardirq', fnArg: n.startsWith('devm') ? 2 : 1, what: 'irq' });
  }
  // The primary handler runs in hardirq context, the thread function in process context.
  t.set('request_threaded_irq', { k: 'register', ctx: 'hardirq', fnArg: 1, what: 'irq' });
  t.set('devm_request_threaded_irq', { k: 'register', ctx: 'hardirq', fnArg: 2, what: 'irq' });
  // An irq line's flow handler (handle_level_irq(), a chained demultiplexer): generic_handle_irq() runs it in hardirq context.
  for (const [n, fnArg] of [['irq_set_handler', 1], ['irq_set_chained_handler', 1], ['irq_set_chip_and_handler', 2], ['irq_set_chip_and_handler_name', 2],
    ['set_irq_handler', 1], ['set_irq_chained_handler', 1], ['set_irq_chip_and_handler', 2], ['set_irq_chip_and_handler_name', 2], ['__irq_set_handler', 1]] as const) {
    t.set(n, { k: 'register', ctx: 'hardirq', fnArg, what: 'irq' });
  }
  // A URB's completion: the host controller gives it back from its irq handler (usb_hcd_giveback_urb(),
  // "in_interrupt()"; from 3.12 some from a tasklet, always with irqs off). The fill helpers are
  // inline in <linux/usb.h>: (urb, dev, pipe, [setup,] buffer, length, complete, context).
  t.set('usb_fill_control_urb', { k: 'register', ctx: 'hardirq', fnArg: 6, objArg: 0, what: 'urb' });
  t.set('usb_fill_bulk_urb', { k: 'register', ctx: 'hardirq', fnArg: 5, objArg: 0, what: 'urb' });
  t.set('usb_fill_int_urb', { k: 'register', ctx: 'hardirq', fnArg: 5, objArg: 0, what: 'urb' });
  // A cross-CPU call's function: the other CPUs run it from the IPI, in hardirq context (the
  // calling CPU runs it too, with irqs saved off). Its `info` may be NULL: no item handed.
  for (const [n, fnArg] of [['on_each_cpu', 0], ['smp_call_function', 0], ['smp_call_function_single', 1], ['smp_call_function_many', 1],
    ['smp_call_function_any', 1], ['on_each_cpu_mask', 1], ['on_each_cpu_cond', 1]] as const) {
    t.set(n, { k: 'register', ctx: 'hardirq', fnArg, what: 'ipi' });
  }
  t.set('setup_timer', { k: 'register', ctx: 'softirq', fnArg: 1, objArg: 0, what: 'timer' });
  t.set('timer_setup', { k: 'register', ctx: 'softirq', fnArg: 1, objArg: 0, what: 'timer' });
  t.set('tasklet_init', { k: 'register', ctx: 'softirq', fnArg: 1, objArg: 0, what: 'tasklet' });
  // An hrtimer whose function a tasklet runs (2.6.31-4.x): softirq, not the hrtimer's hardirq.
  t.set('tasklet_hrtimer_init', { k: 'register', ctx: 'softirq', fnArg: 1, objArg: 0, what: 'timer' });
  t.set('tasklet_setup', { k: 'register', ctx: 'softirq', fnArg: 1, objArg: 0, what: 'tasklet' });
  // Every way to add a NAPI poll function: (dev, napi, poll[, weight or config]).
  for (const n of ['netif_napi_add', 'netif_napi_add_weight', 'netif_tx_napi_add', 'netif_threaded_napi_add', 'netif_napi_add_tx', 'netif_napi_add_tx_weight', 'netif_napi_add_config', 'netif_threaded_napi_add_weight']) {
    t.set(n, { k: 'register', ctx: 'softirq', fnArg: 2, what: 'napi' });
  }

  t.set('call_rcu', { k: 'register', ctx: 'softirq', fnArg: 1, what: 'rcu' });
  t.set('call_rcu_bh', { k: 'register', ctx: 'softirq', fnArg: 1, what: 'rcu' });
  t.set('call_rcu_sched', { k: 'register', ctx: 'softirq', fnArg: 1, what: 'rcu' });
  for (const n of ['INIT_WORK', 'INIT_DELAYED_WORK', 'INIT_WORK_ONSTACK', 'INIT_DEFERRABLE_WORK', 'PREPARE_WORK', 'PREPARE_DELAYED_WORK', 'INIT_RCU_WORK']) {
    t.set(n, { k: 'register', ctx: 'process', fnArg: 1, objArg: 0, what: 'work' });
  }
  t.set('kthread_run', { k: 'register', ctx: 'process', fnArg: 0, what: 'kthread' });
  t.set('kthread_create', { k: 'register', ctx: 'process', fnArg: 0, what: 'kthread' });
  // Not a registration: the release runs in the put, in its caller's context and under its locks.
  t.set('kref_put', { k: 'lastPut', fnArg: 1, objArg: 0 });
  t.set('kref_sub', { k: 'lastPut', fnArg: 2, objArg: 0 });
  t.set('kref_put_mutex', { k: 'lastPut', fnArg: 1, objArg: 0, lock: { arg: 2, kind: 'mutex' } });
  t.set('kref_put_lock', { k: 'lastPut', fnArg: 1, objArg: 0, lock: { arg: 2, kind: 'spinlock' } });
}

/**
 * Callbacks the kernel calls with a lock held or in an atomic region, by the struct member they
 * are stored into. lockdep learns these from the call; a snapshot without the core sees only the
 * member.
 * - The task's mmap lock (`lock: 'mmap'`): the page fault handlers read-held (the fault path's
 *   down_read), `->mmap` write-held (mmap_region() under the mmap write lock).
 * - rtnl_mutex: the net_device_ops the core calls from dev_open()/dev_close()/dev_ifsioc()/
 *   register_netdevice() and the feature and MTU setters, all under rtnl_lock() (ASSERT_RTNL), and
 *   every ethtool_ops member (dev_ethtool() runs under rtnl_lock()).
 * - A device's address-list spinlock: ->ndo_set_rx_mode and the older ->ndo_set_multicast_list run
 *   under netif_addr_lock_bh() (__dev_set_rx_mode()), so they may not sleep.
 * - ->ndo_start_xmit runs with softirqs off (dev_queue_xmit() under rcu_read_lock_bh()).
 * - A USB gadget request's ->complete runs with hardirqs off: include/linux/usb/gadget.h says
 *   "The function will always be called with interrupts disabled, and it must not sleep" (the
 *   UDC driver gives it back from its irq handler or under its irqsave lock).
 * - A gadget driver's ->setup, ->disconnect, ->suspend, ->resume and ->reset: gadget.h says each
 *   is "called in_interrupt" (->setup "may not sleep"); the UDC driver calls them from its irq
 *   handler or under its irqsave lock, and the composite driver hands them on to its functions
 *   (->set_alt, ->disable, ->setup) from there.
 * - An ALSA PCM's ->trigger and ->pointer run under the stream's lock with hardirqs off
 *   (snd_pcm_stream_lock_irq() around them; from the irq handler too, through
 *   snd_pcm_period_elapsed()): Documentation/sound says they are atomic.
 * - An irq chip's callbacks run under the line's descriptor lock, taken irqsave
 *   (irq_set_affinity(), __irq_set_trigger(), the flow handlers' mask/ack/eoi), so with hardirqs
 *   off; not ->irq_bus_lock and ->irq_bus_sync_unlock, which a slow-bus chip's sleeping lock is
 *   taken in, around them.
 * - A perf PMU's ->add, ->del, ->start, ->stop and ->pmu_enable/->pmu_disable run with hardirqs
 *   off: the perf core calls them under the context's raw lock, from the IPI that installs an
 *   event, from the scheduler's switch hooks and the tick, and from the PMI (later kernels'
 *   perf_event.h says "Called with IRQs disabled").
 * - A net device's ->ndo_poll_controller runs with hardirqs off: netpoll calls it from
 *   netpoll_poll_dev() inside netpoll_send_skb's local_irq_save(). Its common body,
 *   disable_irq() of the device's line around the irq handler, waits in synchronize_irq(): a sleep
 *   with irqs off from 3.19, where might_sleep() is in wait_event(), and reported as one there.
 */
export type HeldCallback = {
  tag: string;
  /** The members, or every member of the table (`'*'`). */
  members: readonly string[] | '*';
} & ({ lock: 'mmap' | { class: string; kind: LockKind }; read: boolean } | { region: Region });

const RTNL = { class: 'rtnl_mutex', kind: 'mutex' } as const;

export const HELD_ON_ENTRY_CALLBACKS: readonly HeldCallback[] = [
  { tag: 'vm_operations_struct', members: ['fault', 'huge_fault', 'page_mkwrite', 'pfn_mkwrite', 'map_pages'], lock: 'mmap', read: true },
  { tag: 'file_operations', members: ['mmap'], lock: 'mmap', read: false },
  {
    tag: 'net_device_ops',
    members: [
      'ndo_init', 'ndo_uninit', 'ndo_open', 'ndo_stop', 'ndo_do_ioctl', 'ndo_eth_ioctl', 'ndo_siocdevprivate', 'ndo_siocwandev', 'ndo_set_config',
      'ndo_change_mtu', 'ndo_set_mac_address', 'ndo_change_rx_flags', 'ndo_fix_features', 'ndo_set_features', 'ndo_vlan_rx_add_vid', 'ndo_vlan_rx_kill_vid',
    ],
    lock: RTNL,
    read: false,
  },
  { tag: 'ethtool_ops', members: '*', lock: RTNL, read: false },
  { tag: 'net_device_ops', members: ['ndo_set_rx_mode', 'ndo_set_multicast_list'], lock: { class: 'net_device.addr_list_lock', kind: 'spinlock' }, read: false },
  { tag: 'net_device_ops', members: ['ndo_set_rx_mode', 'ndo_set_multicast_list', 'ndo_start_xmit'], region: SOFTIRQ_OFF },
  { tag: 'usb_request', members: ['complete'], region: HARDIRQ_OFF },
  { tag: 'usb_gadget_driver', members: ['setup', 'disconnect', 'suspend', 'resume', 'reset'], region: HARDIRQ_OFF },
  { tag: 'snd_pcm_ops', members: ['trigger', 'pointer'], region: HARDIRQ_OFF },
  { tag: 'net_device_ops', members: ['ndo_poll_controller'], region: HARDIRQ_OFF },
  {
    tag: 'irq_chip',
    members: [
      'irq_startup', 'irq_shutdown', 'irq_enable', 'irq_disable', 'irq_ack', 'irq_mask', 'irq_mask_ack', 'irq_unmask', 'irq_eoi', 'irq_set_affinity',
      'irq_retrigger', 'irq_set_type', 'irq_set_wake', 'irq_cpu_online', 'irq_cpu_offline',
      // The names before 2.6.39's irq_ prefix, which 3.0's chips still use.
      'startup', 'shutdown', 'enable', 'disable', 'ack', 'mask', 'mask_ack', 'unmask', 'eoi', 'end', 'set_affinity', 'retrigger', 'set_type', 'set_wake',
    ],
    region: HARDIRQ_OFF,
  },
  { tag: 'pmu', members: ['add', 'del', 'start', 'stop', 'pmu_enable', 'pmu_disable'], region: HARDIRQ_OFF },
];

/**
 * Callbacks the core runs in a context of its own, by the struct member they are stored into
 * (checkers/contexts.ts registers them as `request_irq()` or `setup_timer()` would):
 * - a timer's ->function runs in the timer softirq, an hrtimer's in hardirq context (unless it is
 *   a _SOFT one, which a store cannot tell; hardirq is lockdep's default there), a tasklet's
 *   ->func (set without tasklet_init()) in the tasklet softirq;
 * - a net device's ->ndo_tx_timeout runs in the netdev watchdog's timer (dev_watchdog());
 * - a USB host controller driver's ->irq is called by usb_hcd_irq(), the line's handler, and a
 *   URB's ->complete by usb_hcd_giveback_urb() from there;
 * - protocol receive and error handlers run in the NET_RX softirq: a packet_type's ->func
 *   (__netif_receive_skb()), an IPv4 or IPv6 protocol's ->handler (ip_local_deliver_finish(),
 *   ip6_input_finish()) and ->err_handler (icmp_unreach(), icmpv6_notify()), a route's
 *   ->input (dst_input() from ip_rcv_finish(): ip_forward(), ip_local_deliver()) and an xfrm
 *   type's ->input (xfrm_input(), on the receive path);
 * - a neighbour table's ->proxy_redo runs in its proxy timer (neigh_proxy_process()), and an IP
 *   fragment table's ->frag_expire is its queues' timer function (inet_frag_alloc()'s
 *   setup_timer(), in another directory than most of the tables);
 * - a bio's ->bi_end_io runs where bio_endio() is called: the block softirq for most devices.
 */
export const CONTEXT_CALLBACKS: readonly { tag: string; members: readonly string[]; ctx: 'hardirq' | 'softirq'; what: string }[] = [
  { tag: 'timer_list', members: ['function'], ctx: 'softirq', what: 'timer' },
  { tag: 'tasklet_struct', members: ['func'], ctx: 'softirq', what: 'tasklet' },
  { tag: 'hrtimer', members: ['function'], ctx: 'hardirq', what: 'hrtimer' },
  { tag: 'net_device_ops', members: ['ndo_tx_timeout'], ctx: 'softirq', what: 'netdev watchdog timer' },
  { tag: 'hc_driver', members: ['irq'], ctx: 'hardirq', what: 'USB host controller irq' },
  { tag: 'urb', members: ['complete'], ctx: 'hardirq', what: 'URB completion' },
  // blk_complete_request()'s softirq for most devices, a driver's irq handler for some: softirq is the one every kernel sees.
  { tag: 'bio', members: ['bi_end_io'], ctx: 'softirq', what: 'bio completion' },
  { tag: 'packet_type', members: ['func'], ctx: 'softirq', what: 'packet receive' },
  { tag: 'net_protocol', members: ['handler', 'err_handler'], ctx: 'softirq', what: 'protocol receive' },
  { tag: 'inet6_protocol', members: ['handler', 'err_handler'], ctx: 'softirq', what: 'protocol receive' },
  { tag: 'dst_entry', members: ['input'], ctx: 'softirq', what: 'route input' },
  { tag: 'xfrm_type', members: ['input'], ctx: 'softirq', what: 'xfrm input' },
  { tag: 'neigh_table', members: ['proxy_redo'], ctx: 'softirq', what: 'timer' },
  { tag: 'inet_frags', members: ['frag_expire'], ctx: 'softirq', what: 'timer' },
];

/**
 * Callbacks the core calls only in process context with softirqs enabled, by the struct member
 * they are stored into: what a function stored there takes counts as taken with softirqs on,
 * also where the program calls it too and where nothing it does sleeps
 * (checkers/softirqs-on.ts; so do the members HELD_ON_ENTRY_CALLBACKS calls with a mutex or the
 * mmap lock held). System calls reach a file's, a block device's, a socket's and an inode's
 * operations, a seq_file's ->start (from read()), a tty's open, close, ioctl and termios
 * calls, an ALSA PCM's and control's process-context calls; the driver core probes and
 * removes, a parallel port driver attaches under the port list mutex; sysfs reads and writes
 * attributes.
 */
export const PROCESS_CALLBACKS: readonly { tag: string; members: readonly string[] | '*' }[] = [
  { tag: 'file_operations', members: '*' },
  { tag: 'block_device_operations', members: '*' },
  { tag: 'proto_ops', members: '*' },
  { tag: 'inode_operations', members: '*' },
  // Only ->start: ->show, ->next and ->stop run under what ->start took (`spin_lock_bh()` of the table).
  { tag: 'seq_operations', members: ['start'] },
  { tag: 'tty_operations', members: ['open', 'close', 'ioctl', 'compat_ioctl', 'set_termios', 'hangup', 'tiocmget', 'tiocmset'] },
  { tag: 'snd_pcm_ops', members: ['open', 'close', 'ioctl', 'hw_params', 'hw_free', 'prepare'] },
  { tag: 'snd_kcontrol_new', members: ['info', 'get', 'put'] },
  { tag: 'parport_driver', members: ['attach', 'detach'] },
  { tag: 'device_attribute', members: ['show', 'store'] },
  ...['pci_driver', 'usb_driver', 'platform_driver', 'i2c_driver', 'spi_driver'].map((tag) => ({ tag, members: ['probe', 'remove', 'disconnect'] })),
];

/**
 * Callbacks direct reclaim runs, by struct tag and member: a shrinker's (`.shrink` to 3.11,
 * `.count_objects`/`.scan_objects` since). An allocation that may reclaim into the file system
 * waits for them (checkers/reclaim-under-lock.ts).
 */
export const RECLAIM_CALLBACKS: readonly { tag: string; members: readonly string[] }[] = [
  { tag: 'shrinker', members: ['shrink', 'count_objects', 'scan_objects'] },
];

/** Lock initialisers: lockdep keys a class by the site of one (a static key in each macro use). */
export const LOCK_INITS: ReadonlySet<string> = new Set([
  'spin_lock_init', 'raw_spin_lock_init', 'rwlock_init', 'mutex_init', 'init_rwsem', 'sema_init', 'rt_mutex_init', 'seqlock_init',
  '__mutex_init', '__init_rwsem', '__spin_lock_init', '__raw_spin_lock_init', '__rwlock_init',
]);

/** Named like locks, but not locks for ordering (initialisers, lockdep annotations, seqcount readers). */
export const NOT_LOCKS: readonly string[] = [
  'srcu_read_lock', 'srcu_read_unlock', 'spin_lock_init', 'raw_spin_lock_init', 'rwlock_init', 'mutex_init', 'init_rwsem', 'sema_init',
  'rt_mutex_init', 'lockdep_assert_not_held', 'lockdep_set_class',
  'lockdep_set_class_and_name', 'lockdep_set_class_and_subclass', 'lockdep_set_subclass', 'lockdep_set_novalidate_class',
  'read_seqbegin', 'read_seqretry', 'read_seqbegin_or_lock', 'done_seqretry', 'seqcount_init', 'write_seqcount_begin', 'write_seqcount_end',
];

/**
 * Which argument of these states a condition lockdep checks (`rcu_dereference_protected(p,
 * lockdep_is_held(&d->mutex))`, `lockdep_assert(lockdep_is_held(l))`,
 * `WARN_ON(!lockdep_is_held(l))`): when it is exactly one `lockdep_is_held(l)`, the code says it
 * runs with `l` held, as `lockdep_assert_held(l)` does. A disjunction (`rcu_read_lock_held() ||
 * lockdep_is_held(l)`) requires nothing.
 */
export const LOCKDEP_CONDITIONS: ReadonlyMap<string, { arg: number; negated: boolean }> = new Map(Object.entries({
  rcu_dereference_protected: { arg: 1, negated: false },
  rcu_replace_pointer: { arg: 2, negated: false },
  rcu_dereference_check: { arg: 1, negated: false },
  rcu_dereference_bh_check: { arg: 1, negated: false },
  rcu_dereference_sched_check: { arg: 1, negated: false },
  lockdep_assert: { arg: 0, negated: false },
  lockdep_assert_once: { arg: 0, negated: false },
  WARN_ON: { arg: 0, negated: true },
  WARN_ON_ONCE: { arg: 0, negated: true },
}));

/** Asking whether a lock is held: `if (rtnl_is_locked()) { rtnl_unlock(); relock = true; }`. */
export const HELD_QUERIES: ReadonlySet<string> = new Set(['mutex_is_locked', 'spin_is_locked', 'raw_spin_is_locked', 'rwsem_is_locked', 'rt_mutex_is_locked', 'lockdep_is_held']);

function heldQueries(t: Map<string, LockEffect>): void {
  for (const n of HELD_QUERIES) t.set(n, { k: 'heldQuery', arg: 0 });
  for (const n of ['rtnl_is_locked', 'lockdep_rtnl_is_held']) t.set(n, { k: 'heldQuery', arg: -1, fixedClass: 'rtnl_mutex' });
}

/**
 * Context queries, read as questions about the regions the held set keeps: softirqs off
 * (spin_lock_bh(), local_bh_disable(), a softirq callback) sets the preempt count's softirq bits,
 * so `in_interrupt()` and `in_softirq()` are true there; `irqs_disabled()` is true where hardirqs
 * are off. Elsewhere either answer. Keyed by the condition atom's text (they are pure calls).
 */
/** What in_atomic() sees: the preemption count, not 0 under a spinning lock or with preemption or softirqs off (held-set.ts inAtomic). */
export const ATOMIC_QUERIES: ReadonlySet<string> = new Set(['preempt_count()', 'in_atomic()']);

export const CONTEXT_QUERIES: ReadonlyMap<string, Region> = new Map([
  ['in_interrupt()', SOFTIRQ_OFF],
  ['in_softirq()', SOFTIRQ_OFF],
  ['irqs_disabled()', HARDIRQ_OFF],
]);

function assertions(t: Map<string, LockEffect>): void {
  for (const n of ['lockdep_assert_held', 'lockdep_assert_held_once', 'lockdep_assert_held_exclusive', 'lockdep_assert_held_write', 'lockdep_assert_held_read', 'assert_spin_locked', 'assert_raw_spin_locked']) {
    t.set(n, { k: 'assertHeld', arg: 0 });
  }
}

function buildDefault(): Map<string, LockEffect> {
  const t = new Map<string, LockEffect>();
  spinFamily(t, 'spin', 'spinlock');
  spinFamily(t, 'raw_spin', 'raw_spinlock');
  archLocks(t);
  rwlockFamily(t);
  sleepingFamilies(t);
  conditionalSpinners(t);
  seqlocks(t);
  namedLocks(t);
  lockdepMaps(t);
  lockCyclers(t);
  regions(t);
  sleepers(t);
  faulters(t);
  frees(t);
  noReturns(t);
  waiters(t);
  registrations(t);
  assertions(t);
  for (const n of NOT_LOCKS) t.set(n, { k: 'none' });
  heldQueries(t);
  t.set('__acquire', { k: 'phantom', enter: true, arg: 0 });
  t.set('__release', { k: 'phantom', enter: false, arg: 0 });
  t.set('__cond_lock', { k: 'phantom', enter: true, arg: 0, handed: true });
  // Not an API: the lowering's mark of `__cond_lock(x, c)` failing (c/lower-statements.ts bindReturn).
  t.set(COND_LOCK_FAILED, { k: 'phantom', enter: false, arg: 0, restore: true });
  for (const [name, e] of t) if (e.k === 'release' && !e.kind) t.set(name, { ...e, kind: releaseKind(name) });
  return t;
}

const RELEASE_KINDS: [RegExp, LockKind][] = [
  [/^(raw|arch)_spin/, 'raw_spinlock'], [/^spin|seq/, 'spinlock'], [/^(read|write)_unlock/, 'rwlock'], [/^mutex|^rtnl|^wiphy|^device_unlock|host$|^release_sock$/, 'mutex'],

  [/^rt_mutex/, 'rt_mutex'], [/^up$|^console/, 'semaphore'], [/^(percpu_)?up_|^cpus_read|^put_online|^mmap_/, 'rwsem'],
];

function releaseKind(name: string): LockKind | undefined {
  return RELEASE_KINDS.find(([re]) => re.test(name))?.[1];
}

const DEFAULT = buildDefault();

/**
 * Calls that warn as sleeping only from a kernel version on: disable_irq() and synchronize_irq()
 * wait for a threaded handler with wait_event(), which has called might_sleep() first since 3.19
 * (before, they sleep only while a threaded handler runs, and "may be called - with care - from
 * IRQ context"). free_irq() takes the descriptor's request_mutex since 4.13; before, it sleeps
 * only to stop a threaded handler's thread or on a slow-bus irq chip's bus lock. vfree() calls
 * might_sleep() since 4.10 ("mm: mark all calls into the vmalloc subsystem as potentially
 * sleeping"); before, it only refused interrupt context and purged with a trylock.
 */
const SLEEPS_SINCE: readonly (readonly [string, number])[] = [
  ['disable_irq', kernelVersion(3, 19, 0)],
  ['synchronize_irq', kernelVersion(3, 19, 0)],
  ['free_irq', kernelVersion(4, 13, 0)],
  ['vfree', kernelVersion(4, 10, 0)],
];

/**
 * The default table for a kernel version: what sleeps only in later kernels does nothing
 * lockscope reports in earlier ones, its body included (a tree's own disable_irq() reaches
 * synchronize_irq()'s wait_event(), which 3.0 never flags: it sleeps only while a threaded
 * handler runs, and calls no might_sleep()).
 */
function defaultFor(version: number | undefined): Catalogue {
  if (version === undefined || SLEEPS_SINCE.every(([, since]) => version >= since)) return DEFAULT;
  const t = new Map(DEFAULT);
  for (const [name, since] of SLEEPS_SINCE) if (version < since) t.set(name, { k: 'none' });
  return t;
}

/**
 * The built-in table for the analysed tree's kernel version (the newest kernel's when not known),
 * extended (and overridable) by a project's own lock functions.
 */
export function buildCatalogue(extra: readonly LockFunctionConfig[] = [], version?: number): Catalogue {
  const base = defaultFor(version);
  if (extra.length === 0) return base;
  const t = new Map(base);
  for (const f of extra) {
    const operand = f.arg === undefined ? { arg: -1, fixedClass: f.class ?? f.name } : { arg: f.arg };
    const read = f.effect === 'acquireRead' || f.effect === 'releaseRead';
    switch (f.effect) {
      case 'acquire':
      case 'acquireRead':
        t.set(f.name, { k: 'acquire', kind: 'unknown', read, nested: false, ...operand });
        break;
      case 'tryAcquire':
        t.set(f.name, { k: 'tryAcquire', kind: 'unknown', read: false, ...TAKEN_ON_ONE, ...operand });
        break;
      case 'release':
      case 'releaseRead':
        t.set(f.name, { k: 'release', read, ...operand });
        break;
    }
  }
  return t;
}


/**
 * Named locks whose definition, when the snapshot has it, says more than the table: in Linux
 * 3.0 console_lock() is `down(&console_sem)` and console_unlock() ends in `up(&console_sem)`.
 * Lock primitives themselves (spin_lock, mutex_lock) always come from the table.
 */
const BODY_WINS: ReadonlySet<string> = new Set([
  'console_lock', 'console_unlock', 'console_trylock', 'rtnl_lock', 'rtnl_unlock', 'rtnl_trylock',
  'device_lock', 'device_unlock', 'device_trylock', 'wiphy_lock', 'wiphy_unlock',
]);

/** The table's entry for a call, unless the program's own definition of a named lock takes precedence. */
export function effectOf(catalogue: Catalogue, name: string, hasBody: (name: string) => boolean): LockEffect | undefined {
  const e = catalogue.get(name);
  if (e && BODY_WINS.has(name) && hasBody(name)) return undefined;
  return e;
}

/** What `guard(T)` and `scoped_guard(T, ...)` take, by T; regions for rcu, irq and preempt guards. */

export const GUARD_TYPES: ReadonlyMap<string, { kind: LockKind; read: boolean; region?: Region } | { region: Region }> = new Map<string, { kind: LockKind; read: boolean; region?: Region } | { region: Region }>([
  ['mutex', { kind: 'mutex', read: false }],
  ['mutex_intr', { kind: 'mutex', read: false }],
  ['spinlock', { kind: 'spinlock', read: false }],
  ['spinlock_irq', { kind: 'spinlock', read: false, region: HARDIRQ_OFF }],
  ['spinlock_irqsave', { kind: 'spinlock', read: false, region: HARDIRQ_OFF }],
  ['spinlock_bh', { kind: 'spinlock', read: false, region: SOFTIRQ_OFF }],
  ['raw_spinlock', { kind: 'raw_spinlock', read: false }],
  ['raw_spinlock_irq', { kind: 'raw_spinlock', read: false, region: HARDIRQ_OFF }],
  ['raw_spinlock_irqsave', { kind: 'raw_spinlock', read: false, region: HARDIRQ_OFF }],
  ['read_lock', { kind: 'rwlock', read: true }],
  ['read_lock_irq', { kind: 'rwlock', read: true, region: HARDIRQ_OFF }],
  ['read_lock_irqsave', { kind: 'rwlock', read: true, region: HARDIRQ_OFF }],
  ['write_lock', { kind: 'rwlock', read: false }],
  ['write_lock_irq', { kind: 'rwlock', read: false, region: HARDIRQ_OFF }],
  ['write_lock_irqsave', { kind: 'rwlock', read: false, region: HARDIRQ_OFF }],
  ['rwsem_read', { kind: 'rwsem', read: true }],
  ['rwsem_write', { kind: 'rwsem', read: false }],
  ['rt_mutex', { kind: 'rt_mutex', read: false }],
  ['rcu', { region: RCU_READ }],
  ['irq', { region: HARDIRQ_OFF }],
  ['irqsave', { region: HARDIRQ_OFF }],
  ['preempt', { region: PREEMPT_OFF }],
]);

/** Lock kinds of declared lock types (`spinlock_t`, `struct mutex`), for classes seen by declaration. */
export const LOCK_TYPES: ReadonlyMap<string, LockKind> = new Map([
  ['spinlock_t', 'spinlock'],
  ['raw_spinlock_t', 'raw_spinlock'],
  ['arch_spinlock_t', 'raw_spinlock'],
  ['arch_rwlock_t', 'raw_spinlock'],

  ['rwlock_t', 'rwlock'],
  ['mutex', 'mutex'],
  ['rw_semaphore', 'rwsem'],
  ['semaphore', 'semaphore'],
  ['rt_mutex', 'rt_mutex'],
  ['seqlock_t', 'spinlock'],
]);

/** `static DEFINE_SPINLOCK(x);` and friends declare a global lock of this kind. */
export const DEFINE_MACROS: ReadonlyMap<string, LockKind> = new Map([
  ['DEFINE_SPINLOCK', 'spinlock'],
  ['DEFINE_RAW_SPINLOCK', 'raw_spinlock'],
  ['DEFINE_RWLOCK', 'rwlock'],
  ['DEFINE_MUTEX', 'mutex'],
  ['DECLARE_RWSEM', 'rwsem'],
  ['DEFINE_SEMAPHORE', 'semaphore'],
  ['DECLARE_MUTEX', 'semaphore'],
  ['DEFINE_RT_MUTEX', 'rt_mutex'],
  ['DEFINE_SEQLOCK', 'spinlock'],
  ['DEFINE_STATIC_PERCPU_RWSEM', 'rwsem'],
  ['DEFINE_PERCPU_RWSEM', 'rwsem'],
]);

/**
 * Iterator macros (`list_for_each_entry`, `for_each_online_cpu`, `hlist_for_each...`, the socket
 * buffer queue's `skb_queue_walk(q, skb)` and `skb_walk_frags`) are loops: a `continue` in their
 * body is theirs, not the enclosing loop's.
 */
export function isIteratorMacro(name: string): boolean {
  // A vendor's own in capitals too: `CAM_OS_LIST_FOR_EACH_SAFE(pos, n, head) { .. }`, `LIST_FOREACH`.
  return /for_?each/i.test(name) || /^(hlist|list|llist|rb|xa|idr|radix_tree)_.*(each|iter)/i.test(name) || isWalkMacro(name);
}

/**
 * `skb_queue_walk(q, skb)`, `skb_queue_reverse_walk_safe`, `skb_walk_frags(skb, it)`: a walk
 * over a list as a statement, the list named first and the cursor second (an `_each` or `_iter`
 * name is one of the others, cursor first).
 */
export function isWalkMacro(name: string): boolean {
  return /^[a-z]\w*_walk(?:_\w+)?$/.test(name) && !/each|iter/i.test(name);
}

/** The lock call an unlock call pairs with by name (`unlock_fb_info` -> `lock_fb_info`, `foo_unlock` -> `foo_lock`). */
export function lockCounterpart(name: string): string | undefined {
  const p = inferredPairStem(name);
  return p?.role === 'unlock' ? p.stem.replace('#', 'lock') : undefined;
}

/**
 * Calls named like a lock that order nothing, and lockdep does not track them: Android's
 * wakelocks never wait (they keep the system awake while held); the big kernel lock of kernels
 * before 2.6.39 (`lock_kernel()`) nests for its holder and is dropped whenever the holder sleeps.
 */
const NEVER_ORDERS = new Set(['wake_lock', 'wake_unlock', 'wake_lock_timeout', 'lock_kernel', 'unlock_kernel']);

/** Lock-like names that, with no body in the snapshot, may form an inferred lock/unlock pair. */
export function inferredPairStem(name: string): { stem: string; role: 'lock' | 'unlock'; nested?: true } | undefined {
  // Tracepoints (`trace_foo_lock()`, generated by TRACE_EVENT) record an event; they never lock.
  if (name.startsWith('trace_') || NEVER_ORDERS.has(name)) return undefined;
  let m =
 /^(?:(.+)_)?unlock(?:_(.+))?$/.exec(name);
  if (m) {
    const stem = m[1] && !m[2] ? `${m[1]}_#` : !m[1] && m[2] ? `#_${m[2]}` : undefined;
    return stem ? { stem, role: 'unlock' } : undefined;
  }
  m = /^(?:(.+)_)?lock(?:_(.+))?$/.exec(name);
  // `state_lock_nested(sk)`: state_lock's lock under a nesting annotation, released by state_unlock.
  if (m?.[1] && m[2] === 'nested') return { stem: `${m[1]}_#`, role: 'lock', nested: true };
  if (m) {
    const stem = m[1] && !m[2] ? `${m[1]}_#` : !m[1] && m[2] ? `#_${m[2]}` : undefined;
    return stem ? { stem, role: 'lock' } : undefined;
  }
  return undefined;
}
