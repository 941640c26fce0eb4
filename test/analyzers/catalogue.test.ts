/**
 * The catalogue of kernel APIs (locks/catalogue.ts): what each function does to locks, atomic
 * regions, sleeping and contexts, as data. A wrong row here is wrong everywhere the function is
 * called, so the families are checked row by row against what the kernel's own implementation
 * does, plus a project's own lock functions and the helpers that name macros and lock pairs.
 */
import { describe, expect, it } from 'vitest';
import { N, P, Z } from '../../src/analyzers/c/ir.ts';
import { buildCatalogue, DEFINE_MACROS, effectOf, GUARD_TYPES, inferredPairStem, isIteratorMacro, LOCK_TYPES, NOT_LOCKS, type LockEffect } from '../../src/analyzers/locks/catalogue.ts';
import { HARDIRQ_OFF, PREEMPT_OFF, RCU_READ, SOFTIRQ_OFF } from '../../src/analyzers/locks/held-set.ts';

const catalogue = buildCatalogue();
const effect = (name: string): LockEffect | undefined => catalogue.get(name);

/** Rows checked with toMatchObject: only the fields that matter for the row are listed. */
type Row = [name: string, want: Record<string, unknown>];

function rows(title: string, table: Row[]): void {
  describe(title, () => {
    for (const [name, want] of table) {
      it(name, () => {
        expect(effect(name)).toMatchObject(want);
      });
    }
  });
}

const acquire = (kind: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ k: 'acquire', kind, read: false, nested: false, arg: 0, ...extra });
const release = (kind: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ k: 'release', read: false, arg: 0, ...(kind ? { kind } : {}), ...extra });

rows('lock families', [
  ['spin_lock', acquire('spinlock')],
  ['spin_lock_irq', acquire('spinlock', { region: HARDIRQ_OFF })],
  ['spin_lock_irqsave', acquire('spinlock', { region: HARDIRQ_OFF })],
  ['spin_lock_bh', acquire('spinlock', { region: SOFTIRQ_OFF })],
  ['spin_unlock', release('spinlock')],
  ['spin_unlock_irqrestore', release('spinlock', { region: HARDIRQ_OFF })],
  ['spin_unlock_bh', release('spinlock', { region: SOFTIRQ_OFF })],
  ['raw_spin_lock_irqsave', acquire('raw_spinlock', { region: HARDIRQ_OFF })],
  ['raw_spin_unlock', release('raw_spinlock')],
  ['read_lock', acquire('rwlock', { read: true })],
  ['read_lock_bh', acquire('rwlock', { read: true, region: SOFTIRQ_OFF })],
  ['write_lock_irqsave', acquire('rwlock', { region: HARDIRQ_OFF })],
  ['read_unlock', release('rwlock', { read: true })],
  ['write_unlock_irq', release('rwlock', { region: HARDIRQ_OFF })],
  ['mutex_lock', acquire('mutex')],
  ['mutex_lock_io', acquire('mutex')],
  ['mutex_unlock', release('mutex')],
  ['down_read', acquire('rwsem', { read: true })],
  ['down_write', acquire('rwsem')],
  ['down_read_non_owner', acquire('rwsem', { read: true })],
  ['up_read', release('rwsem', { read: true })],
  ['up_write', release('rwsem')],
  ['down', acquire('semaphore')],
  ['up', release('semaphore')],
  ['percpu_down_read', acquire('rwsem', { read: true })],
  ['percpu_down_write', acquire('rwsem')],
  ['percpu_up_read', release('rwsem', { read: true })],
  ['rt_mutex_lock', acquire('rt_mutex')],
  ['rt_mutex_unlock', release('rt_mutex')],
  // A seqlock_t's writers take its spinlock: lockdep orders rename_lock before d_lock.
  ['write_seqlock', acquire('spinlock')],
  ['read_seqlock_excl_bh', acquire('spinlock', { region: SOFTIRQ_OFF })],
  ['write_sequnlock_irqrestore', release('spinlock', { region: HARDIRQ_OFF })],
]);

rows('lockdep subclasses and nest locks', [
  ['spin_lock_nested', acquire('spinlock', { subclassArg: 1 })],
  ['spin_lock_irqsave_nested', acquire('spinlock', { subclassArg: 2, region: HARDIRQ_OFF })],
  ['spin_lock_bh_nested', acquire('spinlock', { subclassArg: 1, region: SOFTIRQ_OFF })],
  ['raw_spin_lock_nested', acquire('raw_spinlock', { subclassArg: 1 })],
  ['mutex_lock_nested', acquire('mutex', { subclassArg: 1 })],
  ['down_read_nested', acquire('rwsem', { read: true, subclassArg: 1 })],
  ['down_write_nested', acquire('rwsem', { subclassArg: 1 })],
  ['rt_mutex_lock_nested', acquire('rt_mutex', { subclassArg: 1 })],
  ['mutex_lock_interruptible_nested', { k: 'condAcquire', kind: 'mutex', subclassArg: 1 }],
  // `*_nest_lock(l, outer)`: the same class again is sanctioned under its outer lock.
  ['spin_lock_nest_lock', acquire('spinlock', { nested: true })],
  ['mutex_lock_nest_lock', acquire('mutex', { nested: true })],
]);

rows('trylocks: held only where the result says so', [
  ['spin_trylock', { k: 'tryAcquire', kind: 'spinlock', success: P, failure: Z }],
  ['spin_trylock_irqsave', { k: 'tryAcquire', kind: 'spinlock', success: P, failure: Z, region: HARDIRQ_OFF }],
  ['raw_spin_trylock', { k: 'tryAcquire', kind: 'raw_spinlock', success: P, failure: Z }],
  ['read_trylock', { k: 'tryAcquire', kind: 'rwlock', read: true, success: P, failure: Z }],
  ['write_trylock', { k: 'tryAcquire', kind: 'rwlock', read: false, success: P, failure: Z }],
  ['mutex_trylock', { k: 'tryAcquire', kind: 'mutex', success: P, failure: Z }],
  ['down_read_trylock', { k: 'tryAcquire', kind: 'rwsem', read: true, success: P, failure: Z }],
  ['down_write_trylock', { k: 'tryAcquire', kind: 'rwsem', read: false, success: P, failure: Z }],
  ['percpu_down_read_trylock', { k: 'tryAcquire', kind: 'rwsem', read: true, success: P, failure: Z }],
  ['rt_mutex_trylock', { k: 'tryAcquire', kind: 'rt_mutex', success: P, failure: Z }],
  // down_trylock() returns 0 when it got the semaphore.
  ['down_trylock', { k: 'tryAcquire', kind: 'semaphore', success: Z, failure: P }],
]);

rows('waits, then may fail', [
  ['mutex_lock_interruptible', { k: 'condAcquire', kind: 'mutex', success: Z, failure: N, arg: 0 }],
  ['mutex_lock_killable', { k: 'condAcquire', kind: 'mutex', success: Z, failure: N }],
  ['down_interruptible', { k: 'condAcquire', kind: 'semaphore', success: Z, failure: N }],
  ['down_timeout', { k: 'condAcquire', kind: 'semaphore', success: Z, failure: N }],
  ['down_read_killable', { k: 'condAcquire', kind: 'rwsem', read: true, success: Z, failure: N }],
  ['down_write_interruptible', { k: 'condAcquire', kind: 'rwsem', read: false, success: Z, failure: N }],
  ['rt_mutex_lock_interruptible', { k: 'condAcquire', kind: 'rt_mutex', success: Z, failure: N }],
  // The count's last reference takes the lock (argument 1) and returns 1.
  ['atomic_dec_and_lock', { k: 'condAcquire', kind: 'spinlock', arg: 1, success: P, failure: Z }],
  ['refcount_dec_and_lock_irqsave', { k: 'condAcquire', kind: 'spinlock', arg: 1, success: P, failure: Z }],
  ['atomic_dec_and_mutex_lock', { k: 'condAcquire', kind: 'mutex', arg: 1, success: P, failure: Z }],
  ['atomic_dec_and_raw_lock', { k: 'condAcquire', kind: 'raw_spinlock', arg: 1 }],
]);

rows('locks the kernel does not spell as locks', [
  ['lock_sock', acquire('mutex', { field: 'sk_lock' })],
  ['lock_sock_nested', acquire('mutex', { field: 'sk_lock', subclassArg: 1 })],
  ['release_sock', { k: 'release', field: 'sk_lock', arg: 0 }],
  ['rtnl_lock', acquire('mutex', { fixedClass: 'rtnl_mutex', arg: -1 })],
  ['rtnl_unlock', release('mutex', { fixedClass: 'rtnl_mutex', arg: -1 })],
  ['rtnl_trylock', { k: 'tryAcquire', kind: 'mutex', fixedClass: 'rtnl_mutex', arg: -1, success: P, failure: Z }],
  ['console_lock', acquire('semaphore', { fixedClass: 'console_lock', arg: -1 })],
  ['console_unlock', release('semaphore', { fixedClass: 'console_lock', arg: -1 })],
  // A percpu rwsem's reader (4.13 on): it waits behind a queued writer.
  ['cpus_read_lock', acquire('rwsem', { read: true, fixedClass: 'cpu_hotplug_lock', arg: -1 })],
  ['get_online_cpus', acquire('rwsem', { read: true, nested: true, fixedClass: 'cpu_hotplug_lock', arg: -1 })],
  ['put_online_cpus', release('rwsem', { read: true, fixedClass: 'cpu_hotplug_lock', arg: -1 })],
  ['mmc_claim_host', acquire('mutex', { fixedClass: 'mmc_host.claim', nested: true })],
  ['sdio_release_host', release('mutex', { fixedClass: 'mmc_host.claim' })],
  ['wiphy_lock', acquire('mutex', { fixedClass: 'wiphy.mtx' })],
  ['device_lock', acquire('mutex', { field: 'mutex' })],
  ['device_trylock', { k: 'tryAcquire', kind: 'mutex', field: 'mutex', success: P, failure: Z }],
  ['device_unlock', release('mutex', { field: 'mutex' })],
]);

rows('lock cyclers: released and retaken inside', [
  ['cond_resched_lock', { k: 'cycle', arg: 0, sleeps: true }],
  ['wait_event_lock_irq', { k: 'cycle', arg: 2, sleeps: true }],
  ['wait_event_interruptible_lock_irq_timeout', { k: 'cycle', arg: 2, sleeps: true }],
  ['wait_event_interruptible_locked', { k: 'cycle', arg: 0, field: 'lock', sleeps: true }],
]);

rows('atomic regions', [
  ['local_irq_save', { k: 'region', region: HARDIRQ_OFF, enter: true }],
  ['local_irq_restore', { k: 'region', region: HARDIRQ_OFF, enter: false }],
  ['raw_local_irq_disable', { k: 'region', region: HARDIRQ_OFF, enter: true }],
  ['local_bh_disable', { k: 'region', region: SOFTIRQ_OFF, enter: true }],
  ['preempt_enable_no_resched_notrace', { k: 'region', region: PREEMPT_OFF, enter: false }],
  ['local_bh_enable', { k: 'region', region: SOFTIRQ_OFF, enter: false }],
  ['preempt_disable', { k: 'region', region: PREEMPT_OFF, enter: true }],
  ['get_cpu', { k: 'region', region: PREEMPT_OFF, enter: true }],
  ['put_cpu', { k: 'region', region: PREEMPT_OFF, enter: false }],
  ['rcu_read_lock', { k: 'region', region: RCU_READ, enter: true }],
  ['rcu_read_unlock_bh', { k: 'region', region: SOFTIRQ_OFF, enter: false }],
]);

describe('sleepers', () => {
  const sleeps: [string, number | undefined][] = [
    ['msleep', undefined], ['wait_for_completion', undefined], ['synchronize_rcu', undefined], ['vmalloc', undefined],
    // Allocations sleep only with a sleeping GFP mask, at this argument.
    ['kmalloc', 1], ['kzalloc', 1], ['kcalloc', 2], ['kmalloc_array', 2], ['kmem_cache_alloc', 1], ['alloc_pages', 0], ['__get_free_pages', 0], ['devm_kzalloc', 2], ['usb_submit_urb', 1],
  ];
  for (const [name, gfpArg] of sleeps) {
    it(`${name}${gfpArg === undefined ? '' : ` (gfp argument ${gfpArg})`}`, () => {
      expect(effect(name)).toEqual(gfpArg === undefined ? { k: 'sleep' } : { k: 'sleep', gfpArg });
    });
  }

  // Entries to the scheduler check the preemption count only: irqs off alone do not forbid them.
  for (const name of ['schedule', 'schedule_timeout', 'schedule_timeout_interruptible', 'io_schedule']) {
    it(`${name} reschedules`, () => {
      expect(effect(name)).toEqual({ k: 'sleep', reschedules: true });
    });
  }

  // A user copy sleeps and may fault; the fault takes the mmap lock (lockdep's might_fault()).
  for (const name of ['copy_from_user', 'copy_to_user', 'get_user', 'put_user', '__copy_to_user', 'clear_user', 'strncpy_from_user', 'might_fault', 'iov_iter_fault_in_readable', 'fault_in_pages_writeable']) {
    it(`${name} may fault`, () => {
      expect(effect(name)).toEqual({ k: 'sleep', fault: true });
    });
  }
  it('an _inatomic copy never faults into the mmap lock', () => {
    expect(effect('__copy_from_user_inatomic')).toBeUndefined();
  });
  it('kfree() and kmem_cache_free() free the object their argument points to', () => {
    expect(effect('kfree')).toEqual({ k: 'free', arg: 0 });
    expect(effect('kmem_cache_free')).toEqual({ k: 'free', arg: 1 });
    // vfree() may sleep: it stays a sleeper.
    expect(effect('vfree')).toEqual({ k: 'sleep' });
  });
  it('might_lock() and might_lock_read() order their argument without holding it', () => {
    expect(effect('might_lock')).toEqual({ k: 'mightLock', read: false, arg: 0 });
    expect(effect('might_lock_read')).toEqual({ k: 'mightLock', read: true, arg: 0 });
  });
  it("the mmap lock's API (5.8 on) takes mm->mmap_lock", () => {
    expect(effect('mmap_read_lock')).toEqual({ k: 'acquire', kind: 'rwsem', read: true, nested: false, arg: 0, field: 'mmap_lock' });
    expect(effect('mmap_write_unlock')).toEqual({ k: 'release', read: false, arg: 0, field: 'mmap_lock', kind: 'rwsem' });
  });

  // dev_alloc_skb() allocates with GFP_ATOMIC inside: it never sleeps, and has no mask to read.
  it('an allocation with no GFP argument is not a sleeper', () => {
    expect(effect('dev_alloc_skb')).toBeUndefined();
  });
});

rows('never return', [
  ['BUG', { k: 'noreturn' }],
  ['panic', { k: 'noreturn' }],
  ['do_exit', { k: 'noreturn' }],
  ['__builtin_unreachable', { k: 'noreturn' }],
]);

rows('waits for another context to finish', [
  ['flush_work', { k: 'flush', arg: 0, what: 'work' }],
  ['cancel_work_sync', { k: 'flush', arg: 0, what: 'work' }],
  ['cancel_delayed_work_sync', { k: 'flush', arg: 0, what: 'work' }],
  ['flush_workqueue', { k: 'flush', arg: 0, what: 'workqueue' }],
  ['destroy_workqueue', { k: 'flush', arg: 0, what: 'workqueue' }],
  ['del_timer_sync', { k: 'flush', arg: 0, what: 'timer' }],
  ['tasklet_kill', { k: 'flush', arg: 0, what: 'timer' }],
  // Listed among the sleepers too: the flush row is the one kept.
  ['kthread_stop', { k: 'flush', arg: 0, what: 'kthread' }],
  // Does not wait: not a flush.
  ['cancel_delayed_work', { k: 'none' }],
]);

rows('registrations of code for other contexts', [
  // Also a sleeper by name: the registration row is the one kept.
  ['request_irq', { k: 'register', ctx: 'hardirq', fnArg: 1, what: 'irq' }],
  ['devm_request_irq', { k: 'register', ctx: 'hardirq', fnArg: 2, what: 'irq' }],
  ['devm_request_threaded_irq', { k: 'register', ctx: 'hardirq', fnArg: 2, what: 'irq' }],
  ['timer_setup', { k: 'register', ctx: 'softirq', fnArg: 1, objArg: 0, what: 'timer' }],
  ['tasklet_init', { k: 'register', ctx: 'softirq', fnArg: 1, objArg: 0, what: 'tasklet' }],
  ['netif_tx_napi_add', { k: 'register', ctx: 'softirq', fnArg: 2, what: 'napi' }],
  ['netif_threaded_napi_add', { k: 'register', ctx: 'softirq', fnArg: 2, what: 'napi' }],
  ['netif_napi_add_tx', { k: 'register', ctx: 'softirq', fnArg: 2, what: 'napi' }],
  ['netif_napi_add', { k: 'register', ctx: 'softirq', fnArg: 2, what: 'napi' }],
  ['call_rcu', { k: 'register', ctx: 'softirq', fnArg: 1, what: 'rcu' }],
  ['INIT_WORK', { k: 'register', ctx: 'process', fnArg: 1, objArg: 0, what: 'work' }],
  ['INIT_DELAYED_WORK', { k: 'register', ctx: 'process', fnArg: 1, objArg: 0, what: 'work' }],
  ['kthread_run', { k: 'register', ctx: 'process', fnArg: 0, what: 'kthread' }],
]);

rows('assertions and sparse markers', [
  ['lockdep_assert_held', { k: 'assertHeld', arg: 0 }],
  ['lockdep_assert_held_write', { k: 'assertHeld', arg: 0 }],
  ['assert_spin_locked', { k: 'assertHeld', arg: 0 }],
  ['__acquire', { k: 'phantom', enter: true, arg: 0 }],
  ['__release', { k: 'phantom', enter: false, arg: 0 }],
]);

describe('not locks', () => {
  // Initialisers, lockdep annotations and seqcount readers are named like locks.
  it('asking whether a lock is held is a held query, not a lock operation', () => {
    expect(effect('mutex_is_locked')).toEqual({ k: 'heldQuery', arg: 0 });
    expect(effect('rtnl_is_locked')).toEqual({ k: 'heldQuery', arg: -1, fixedClass: 'rtnl_mutex' });
  });

  it('every name in NOT_LOCKS has no effect', () => {
    for (const n of NOT_LOCKS) expect(effect(n), n).toEqual({ k: 'none' });
    expect(NOT_LOCKS).toEqual(expect.arrayContaining(['spin_lock_init', 'lockdep_set_class', 'srcu_read_lock', 'read_seqbegin', 'lockdep_assert_not_held']));
  });

  it('downgrade_write changes no lock for ordering', () => {
    expect(effect('downgrade_write')).toEqual({ k: 'none' });
  });

  it('an ordinary function is not in the table', () => {
    expect(effect('printk')).toBeUndefined();
    expect(effect('my_driver_lock')).toBeUndefined();
  });
});

describe('the table as a whole', () => {
  // An unlock of a lock lockscope cannot name may only end a held lock of its own kind.
  const pairs: [string, string][] = [
    ['spin_lock', 'spin_unlock'], ['raw_spin_lock', 'raw_spin_unlock_irqrestore'], ['read_lock', 'read_unlock'], ['write_lock', 'write_unlock_bh'],
    ['mutex_lock', 'mutex_unlock'], ['down', 'up'], ['down_read', 'up_read'], ['down_write', 'up_write_non_owner'], ['percpu_down_write', 'percpu_up_write'],
    ['rt_mutex_lock', 'rt_mutex_unlock'], ['write_seqlock', 'write_sequnlock'], ['read_seqlock_excl', 'read_sequnlock_excl'], ['rtnl_lock', 'rtnl_unlock'],
    ['console_lock', 'console_unlock'], ['cpus_read_lock', 'cpus_read_unlock'], ['get_online_cpus', 'put_online_cpus'], ['wiphy_lock', 'wiphy_unlock'],
    ['device_lock', 'device_unlock'], ['mmc_claim_host', 'mmc_release_host'], ['sdio_claim_host', 'sdio_release_host'],
  ];
  it('each release has the kind of the lock its family takes', () => {
    for (const [lock, unlock] of pairs) {
      const a = effect(lock);
      const r = effect(unlock);
      expect(r?.k, unlock).toBe('release');
      expect(a && 'kind' in a ? a.kind : undefined, lock).toBeDefined();
      expect(r && r.k === 'release' ? r.kind : undefined, unlock).toBe(a && 'kind' in a ? a.kind : undefined);
    }
  });

  // A socket lock lockscope cannot name is still ended by release_sock (lock_sock takes a mutex).
  it('release_sock ends the mutex lock_sock takes', () => {
    const r = effect('release_sock');
    expect(r && r.k === 'release' ? r.kind : undefined).toBe('mutex');
  });

  it('every trylock and conditional acquire has disjoint, non-empty success and failure', () => {
    for (const [name, e] of catalogue) {
      if (e.k !== 'tryAcquire' && e.k !== 'condAcquire') continue;
      expect(e.success & e.failure, name).toBe(0);
      expect(e.success, name).not.toBe(0);
      expect(e.failure, name).not.toBe(0);
    }
  });

  it('every irq variant of a lock has an unlock that leaves the same region', () => {
    for (const [prefix, v, u] of [['spin', '_irq', '_irq'], ['spin', '_irqsave', '_irqrestore'], ['spin', '_bh', '_bh'], ['raw_spin', '_irqsave', '_irqrestore'], ['read', '_irq', '_irq'], ['write', '_bh', '_bh']] as const) {
      const a = effect(`${prefix}_lock${v}`);
      const r = effect(`${prefix}_unlock${u}`);
      expect(a && 'region' in a ? a.region : undefined, `${prefix}_lock${v}`).toBeDefined();
      expect(r && 'region' in r ? r.region : undefined, `${prefix}_unlock${u}`).toBe(a && 'region' in a ? a.region : undefined);
    }
  });
});

describe('a project\'s own lock functions', () => {
  it('without extras, the built-in table', () => {
    expect(buildCatalogue([])).toBe(buildCatalogue());
  });

  it('acquire, acquireRead, tryAcquire, release and releaseRead with a lock argument', () => {
    const c = buildCatalogue([
      { name: 'hw_sem_get', effect: 'acquire', arg: 1 },
      { name: 'cfg_read_lock', effect: 'acquireRead', arg: 0 },
      { name: 'hw_sem_try', effect: 'tryAcquire', arg: 0 },
      { name: 'hw_sem_put', effect: 'release', arg: 1 },
      { name: 'cfg_read_unlock', effect: 'releaseRead', arg: 0 },
    ]);
    expect(c.get('hw_sem_get')).toEqual({ k: 'acquire', kind: 'unknown', read: false, nested: false, arg: 1 });
    expect(c.get('cfg_read_lock')).toEqual({ k: 'acquire', kind: 'unknown', read: true, nested: false, arg: 0 });
    expect(c.get('hw_sem_try')).toEqual({ k: 'tryAcquire', kind: 'unknown', read: false, success: P, failure: Z, arg: 0 });
    expect(c.get('hw_sem_put')).toEqual({ k: 'release', read: false, arg: 1 });
    expect(c.get('cfg_read_unlock')).toEqual({ k: 'release', read: true, arg: 0 });
    // The built-in rows are still there.
    expect(c.get('spin_lock')).toEqual(catalogue.get('spin_lock'));
  });

  // `lock_kernel()` takes no argument: it stands for one class, named by `class` (else its own name).
  it('a function taking no lock argument stands for a fixed class', () => {
    const c = buildCatalogue([
      { name: 'lock_kernel', effect: 'acquire', class: 'big_kernel_lock' },
      { name: 'unlock_kernel', effect: 'release', class: 'big_kernel_lock' },
      { name: 'fw_lock', effect: 'acquire' },
    ]);
    expect(c.get('lock_kernel')).toMatchObject({ k: 'acquire', arg: -1, fixedClass: 'big_kernel_lock' });
    expect(c.get('unlock_kernel')).toMatchObject({ k: 'release', arg: -1, fixedClass: 'big_kernel_lock' });
    expect(c.get('fw_lock')).toMatchObject({ k: 'acquire', arg: -1, fixedClass: 'fw_lock' });
  });

  it('a project entry overrides a built-in one without changing the default table', () => {
    const c = buildCatalogue([{ name: 'down', effect: 'tryAcquire', arg: 0 }]);
    expect(c.get('down')).toMatchObject({ k: 'tryAcquire', kind: 'unknown' });
    expect(buildCatalogue().get('down')).toMatchObject({ k: 'acquire', kind: 'semaphore' });
  });
});

describe('effectOf', () => {
  // In Linux 3.0 console_lock() is `down(&console_sem)`: its body says more than the table.
  it('a named lock whose body the program has: the body wins', () => {
    expect(effectOf(catalogue, 'console_lock', (n) => n === 'console_lock')).toBeUndefined();
    expect(effectOf(catalogue, 'rtnl_unlock', () => true)).toBeUndefined();
  });

  it('a named lock without a body: the table', () => {
    expect(effectOf(catalogue, 'console_lock', () => false)).toEqual(catalogue.get('console_lock'));
  });

  it('a primitive keeps its row even when the snapshot defines it', () => {
    expect(effectOf(catalogue, 'spin_lock', () => true)).toEqual(catalogue.get('spin_lock'));
    expect(effectOf(catalogue, 'mutex_unlock', () => true)).toEqual(catalogue.get('mutex_unlock'));
  });

  it('a name not in the table has no effect', () => {
    expect(effectOf(catalogue, 'my_helper', () => false)).toBeUndefined();
  });
});

describe('guard types, lock types and DEFINE macros', () => {
  it('guard(T) and scoped_guard(T, ...) by T', () => {
    expect(GUARD_TYPES.get('mutex')).toEqual({ kind: 'mutex', read: false });
    expect(GUARD_TYPES.get('spinlock_irqsave')).toEqual({ kind: 'spinlock', read: false, region: HARDIRQ_OFF });
    expect(GUARD_TYPES.get('read_lock')).toEqual({ kind: 'rwlock', read: true });
    expect(GUARD_TYPES.get('rwsem_read')).toEqual({ kind: 'rwsem', read: true });
    // Guards of regions take no lock.
    expect(GUARD_TYPES.get('rcu')).toEqual({ region: RCU_READ });
    expect(GUARD_TYPES.get('preempt')).toEqual({ region: PREEMPT_OFF });
  });

  it('declared lock types and DEFINE_* macros give a kind', () => {
    expect(Object.fromEntries(['spinlock_t', 'raw_spinlock_t', 'rwlock_t', 'mutex', 'rw_semaphore', 'semaphore', 'seqlock_t'].map((t) => [t, LOCK_TYPES.get(t)]))).toEqual({
      spinlock_t: 'spinlock', raw_spinlock_t: 'raw_spinlock', rwlock_t: 'rwlock', mutex: 'mutex', rw_semaphore: 'rwsem', semaphore: 'semaphore', seqlock_t: 'spinlock',
    });
    expect(DEFINE_MACROS.get('DEFINE_SPINLOCK')).toBe('spinlock');
    expect(DEFINE_MACROS.get('DECLARE_RWSEM')).toBe('rwsem');
    expect(DEFINE_MACROS.get('DEFINE_STATIC_PERCPU_RWSEM')).toBe('rwsem');
    expect(DEFINE_MACROS.get('LIST_HEAD')).toBeUndefined();
  });
});

describe('isIteratorMacro', () => {
  const cases: [string, boolean][] = [
    ['list_for_each_entry', true], ['list_for_each_entry_safe', true], ['for_each_online_cpu', true], ['for_each_possible_cpu', true],
    ['hlist_for_each_entry_rcu', true], ['xa_for_each', true], ['radix_tree_for_each_slot', true], ['idr_for_each_entry', true],
    ['llist_walk_each', true],
    // Accessors and list operations are no loops.
    ['list_first_entry', false], ['list_add_tail', false], ['hlist_del', false], ['container_of', false], ['my_iterate', false],
  ];
  for (const [name, want] of cases) {
    it(`${name}: ${want ? 'a loop' : 'not a loop'}`, () => {
      expect(isIteratorMacro(name)).toBe(want);
    });
  }
});

describe('inferredPairStem', () => {
  // `hw_sem_lock()`/`hw_sem_unlock()` with no body in the snapshot: one inferred lock class.
  const cases: [string, ReturnType<typeof inferredPairStem>][] = [
    ['hw_sem_lock', { stem: 'hw_sem_#', role: 'lock' }],
    ['hw_sem_unlock', { stem: 'hw_sem_#', role: 'unlock' }],
    ['lock_sighand', { stem: '#_sighand', role: 'lock' }],
    ['unlock_sighand', { stem: '#_sighand', role: 'unlock' }],
    // Neither prefix nor suffix, or both: no stem to pair by.
    ['lock', undefined],
    ['unlock', undefined],
    ['foo_lock_bar', undefined],
    ['foo_unlock_bar', undefined],
    ['foo_locked', undefined],
    ['foo_lockdep', undefined],
    // Tracepoints record events, they never lock.
    ['trace_buf_lock', undefined],
    ['trace_buf_unlock', undefined],
  ];

  for (const [name, want] of cases) {
    it(name, () => {
      expect(inferredPairStem(name)).toEqual(want);
    });
  }

  it('the two halves of a pair share a stem', () => {
    expect(inferredPairStem('ctx_lock')?.stem).toBe(inferredPairStem('ctx_unlock')?.stem);
    expect(inferredPairStem('lock_page_map')?.stem).toBe(inferredPairStem('unlock_page_map')?.stem);
    expect(inferredPairStem('ctx_lock')?.stem).not.toBe(inferredPairStem('lock_ctx')?.stem);
  });
});
