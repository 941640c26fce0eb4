import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLockdepSplat, reduceLockName } from '../../src/diff/lockdep-splat.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/patches/${name}`, import.meta.url), 'utf8');

/** An old-format (2.6-era) report as a mail client mangles it: addresses wrapped after `[<`. */
const OLD_FORMAT = `Fix the AB-BA below.

 =======================================================
 [ INFO: possible circular locking dependency detected ]
 3.2.0-demo #2
 -------------------------------------------------------
 insmod/412 is trying to acquire lock:
  (&(&bus->list_lock)->rlock){+.....}, at: [<
ffffffffa0012345>] demo_bus_add+0x45/0x90 [demo]
 but task is already holding lock:
  (&(&port->notifier)->rwsem){.+.+.+}, at: [<ffffffff81089abc>] __blocking_notifier_call_chain+0x5f/0xb0
 which lock already depends on the new lock.
 the existing dependency chain (in reverse order) is:
 -> #1 (&(&port->notifier)->rwsem){.+.+.+}:
        [<
ffffffff8109ca9d>] lock_acquire+0x9d/0x130
        [<ffffffff8157100a>] down_read+0x4a/0x60
        [<ffffffffa0012400>] demo_port_scan+0x30/0x80 [demo]
        [<ffffffffa0012500>] demo_bus_rescan+0x20/0x40 [demo]
 -> #0 (&(&bus->list_lock)->rlock){+.....}:
        [<ffffffff8109bf3e>] __lock_acquire+0x195e/0x1e10
        [<ffffffff8109ca9d>] lock_acquire+0x9d/0x130
        [<ffffffff81571475>] _raw_spin_lock+0x35/0x50
        [<ffffffffa0012345>] demo_bus_add+0x45/0x90 [demo]
        [<ffffffff8108a000>] notifier_call_chain+0x8c/0xc0
 other info that might help us debug this:
 stack backtrace:
 Pid: 412, comm: insmod Not tainted 3.2.0-demo #2
 Call Trace:
  [<ffffffff810993a7>] print_circular_bug+0xf7/0x100
  [<ffffffffa0012345>] ? demo_bus_add+0x45/0x90 [demo]

Signed-off-by: Dana Developer <dana@example.org>
`;

const RECURSIVE = `demo: do not take the lock twice

============================================
WARNING: possible recursive locking detected
6.1.0-demo #1 Not tainted
--------------------------------------------
modprobe/77 is trying to acquire lock:
ffff88810aaa0000 (&hub->lock#2){+.+.}-{3:3}, at: demo_hub_attach+0x20/0x80 [demo]

but task is already holding lock:
ffff88810aaa0000 (&hub->lock#2){+.+.}-{3:3}, at: demo_hub_probe+0x44/0x100 [demo]

other info that might help us debug this:
 Possible unsafe locking scenario:

       CPU0
       ----
  lock(&hub->lock#2);
  lock(&hub->lock#2);

 *** DEADLOCK ***

stack backtrace:
Call Trace:
 <TASK>
 dump_stack_lvl+0x55/0x70
 __lock_acquire+0x1234/0x2000
 lock_acquire+0xc4/0x2d0
 __mutex_lock+0x90/0x900
 demo_hub_attach+0x20/0x80 [demo]
 demo_hub_probe+0x60/0x100 [demo]
 ? demo_hub_probe+0x10/0x100 [demo]
 really_probe+0xde/0x390
`;

/** lockdep's "inconsistent lock state" for a timer callback and process context (own example). */
const INCONSISTENT = `gizmo: take stat_lock with bh disabled

================================
WARNING: inconsistent lock state
6.8.0-gizmo #1 Not tainted
--------------------------------
inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage.
swapper/0/0 [HC0[0]:SC1[1]:HE1:SE0] takes:
ffff888101234560 (&gdev->stat_lock){+.?.}-{2:2}, at: gizmo_timer_fn+0x20/0x60 [gizmo]
{SOFTIRQ-ON-W} state was registered at:
  lock_acquire+0xc4/0x2d0
  _raw_spin_lock+0x2f/0x40
  gizmo_stat_reset+0x14/0x40 [gizmo]
  gizmo_ioctl+0x90/0x120 [gizmo]
irq event stamp: 1234
other info that might help us debug this:
 Possible unsafe locking scenario:

       CPU0
       ----
  lock(&gdev->stat_lock);
  <Interrupt>
    lock(&gdev->stat_lock);

 *** DEADLOCK ***
`;

/** "SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", old banner, timestamps (own example). */
const IRQ_ORDER = `[   52.100000] ======================================================
[   52.100001] [ INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected ]
[   52.100002] ------------------------------------------------------
[   52.100003] gizmoctl/77 [HC0[0]:SC0[2]:HE1:SE0] is trying to acquire:
[   52.100004]  (&gdev->cfg_lock){+.+...}, at: [<c0a01234>] gizmo_cfg_apply+0x20/0x80 [gizmo]
[   52.100005]
[   52.100006] and this task is already holding:
[   52.100007]  (&(&gdev->evt_lock)->rlock){+.-...}, at: [<c0a01200>] gizmo_cfg_apply+0x10/0x80 [gizmo]
[   52.100008] which would create a new lock dependency:
[   52.100009]  (&(&gdev->evt_lock)->rlock){+.-...} -> (&gdev->cfg_lock){+.+...}
[   52.100010]
[   52.100011] but this new dependency connects a SOFTIRQ-irq-safe lock:
[   52.100012]  (&(&gdev->evt_lock)->rlock){+.-...}
[   52.100013] ... which became SOFTIRQ-irq-safe at:
[   52.100014]   [<c0272beb>] __lock_acquire+0x96b/0x1960
[   52.100015]   [<c0a01300>] gizmo_timer_fn+0x10/0x40 [gizmo]
[   52.100016]
[   52.100017] to a SOFTIRQ-irq-unsafe lock:
[   52.100018]  (&gdev->cfg_lock){+.+...}
[   52.100019] ... which became SOFTIRQ-irq-unsafe at:
[   52.100020] ...  [<c0272c3b>] __lock_acquire+0x9bb/0x1960
[   52.100021]   [<c0a01400>] gizmo_cfg_update+0x10/0x40 [gizmo]
[   52.100022]
[   52.100023] other info that might help us debug this:
`;

/** "possible irq lock inversion dependency detected" (own example). */
const IRQ_INVERSION = ` =========================================================
 [ INFO: possible irq lock inversion dependency detected ]
 ---------------------------------------------------------
 gizmoctl/567 just changed the state of lock:
  (&(&gdev->evt_lock)->rlock){+.-...}, at: [<ffffffffc0a01300>] gizmo_timer_fn+0x10/0x40 [gizmo]
 but this lock took another, SOFTIRQ-unsafe lock in the past:
  (&(&gdev->cmd_lock)->rlock){+.+...}

 and interrupts could create inverse lock ordering between them.
`;

/** might_sleep's report as a mail client quotes it with "|", ARM-style backtrace (own example). */
const SLEEP = `gizmo: allocate atomically under the address lock

|BUG: sleeping function called from invalid context at mm/slab.c:3101
|in_atomic(): 1, irqs_disabled(): 0, pid: 859, name: gizmoctl
|2 locks held by gizmoctl/859:
| #0:  (gizmo_cfg_mutex){--..}, at: [<c0239ccc>] gizmo_ioctl+0x18/0x20
| #1:  (&gdev->fifo_lock){-...}, at: [<c022d094>] gizmo_fifo_fill+0x1c/0x30
|[<c029f118>] (dump_stack+0x0/0x14) from [<c003df28>] (__might_sleep+0x11c/0x13c)
|[<c00a8824>] (kmem_cache_alloc+0x0/0xd4) from [<c01a5fd0>] (gizmo_fifo_fill+0x70/0x188)
|[<c01a5f60>] (gizmo_fifo_fill+0x0/0x188) from [<c022ced0>] (gizmo_ioctl+0x40/0xac)

Signed-off-by: Kim Doe <kim@example.org>
`;

describe('parseLockdepSplat', () => {
  // Each report kind the analyzer has a finding for is recognised, so it can be cross-checked.
  it('reads an inconsistent lock state: the lock, the usage, where the state was registered', () => {
    expect(parseLockdepSplat(INCONSISTENT)).toMatchObject({
      kind: 'inconsistent',
      locks: ['&gdev->stat_lock'],
      irq: 'SOFTIRQ',
      usage: '{SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W}',
      chains: [{ index: 1, lock: '&gdev->stat_lock', functions: ['gizmo_stat_reset', 'gizmo_ioctl'] }],
    });
  });

  it('reads a SOFTIRQ-safe -> SOFTIRQ-unsafe order: the safe and unsafe locks and the new dependency', () => {
    expect(parseLockdepSplat(IRQ_ORDER)).toMatchObject({
      kind: 'irq-inversion',
      irq: 'SOFTIRQ',
      locks: ['&gdev->evt_lock', '&gdev->cfg_lock'],
      dependency: { from: '&gdev->evt_lock', to: '&gdev->cfg_lock' },
    });
  });

  it('reads a possible irq lock inversion: the lock that changed state and the unsafe one it took', () => {
    expect(parseLockdepSplat(IRQ_INVERSION)).toMatchObject({ kind: 'irq-inversion', irq: 'SOFTIRQ', locks: ['&gdev->evt_lock', '&gdev->cmd_lock'] });
  });

  it('reads a sleeping-in-atomic report quoted with "|": the locks held and the ARM call trace', () => {
    const splat = parseLockdepSplat(SLEEP);
    expect(splat).toMatchObject({ kind: 'sleep', locks: ['gizmo_cfg_mutex', '&gdev->fifo_lock'] });
    expect(splat?.trace).toEqual(['kmem_cache_alloc', 'gizmo_fifo_fill', 'gizmo_ioctl']);
  });

  // Commit messages often quote the body only, from "X is trying to acquire lock:" on.
  it('reads a circular report without its banner', () => {
    const body = OLD_FORMAT.split('\n').filter((l) => !/=====|INFO: possible circular|-----|3\.2\.0-demo/.test(l)).join('\n');
    expect(parseLockdepSplat(body)).toMatchObject({ kind: 'circular', dependency: { from: '&port->notifier', to: '&bus->list_lock' } });
  });

  it('reads a report quoted with "> " and timestamps, addresses wrapped after "[<"', () => {
    const text = readFileSync(new URL('../fixtures/review/kinds/splat-fix.patch', import.meta.url), 'utf8');
    expect(parseLockdepSplat(text)).toMatchObject({
      kind: 'circular',
      locks: ['&gdev->stat_lock', '&gdev->reg_lock'],
      dependency: { from: '&gdev->stat_lock', to: '&gdev->reg_lock' },
      chains: [
        { index: 1, lock: '&gdev->stat_lock', functions: ['gizmo_stat_bump', 'gizmo_reg_write', 'gizmo_ioctl'] },
        { index: 0, lock: '&gdev->reg_lock', functions: ['gizmo_stat_dump', 'gizmo_ioctl'] },
      ],
    });
  });

  it('reduces lockdep class names to what the code spells', () => {
    expect(reduceLockName('&(&iommu->lock)->rlock')).toBe('&iommu->lock');
    expect(reduceLockName('(&(&priv->bus_notifier)->rwsem)')).toBe('&priv->bus_notifier');
    expect(reduceLockName('&(&(&a->b)->rlock)->x')).toBe('&a->b');
    expect(reduceLockName('s_active#3')).toBe('s_active');
    expect(reduceLockName('&rq->__lock/1')).toBe('&rq->__lock');
    expect(reduceLockName('device_domain_lock{-.-...}')).toBe('device_domain_lock');
    expect(reduceLockName('(wq_completion)events')).toBe('(wq_completion)events');
  });

  // A fix for an old report quoted from a 2.6/3.x mail, wrapped addresses and all.
  it('reads the old [ INFO: ] format with wrapped addresses', () => {
    expect(parseLockdepSplat(OLD_FORMAT)).toMatchObject({
      kind: 'circular',
      locks: ['&port->notifier', '&bus->list_lock'],
      // "insmod is trying to acquire list_lock while holding the notifier": the new dependency.
      dependency: { from: '&port->notifier', to: '&bus->list_lock' },
      chains: [
        { index: 1, lock: '&port->notifier', functions: ['demo_port_scan', 'demo_bus_rescan'] },
        { index: 0, lock: '&bus->list_lock', functions: ['demo_bus_add', 'notifier_call_chain'] },
      ],
    });
  });

  // A modern report pasted with printk timestamps, three locks in the cycle.
  it('reads the WARNING: format with timestamps and a 3-lock chain', () => {
    expect(parseLockdepSplat(fixture('lockdep-circular-new.txt'))).toMatchObject({
      kind: 'circular',
      locks: ['&dev->state_lock', 's_active', '&ctx->queue_mutex'],
      chains: [
        { index: 2, lock: '&dev->state_lock', functions: ['demo_stats_read', 'demo_ioctl', '__x64_sys_ioctl'] },
        { index: 1, lock: 's_active', functions: ['kernfs_get_active', 'demo_sysfs_store'] },
        { index: 0, lock: '&ctx->queue_mutex', functions: ['demo_flush_queue', 'demo_worker', 'process_one_work'] },
      ],
    });
  });

  it('reads a recursive-locking report: one lock, the backtrace as chain 0', () => {
    expect(parseLockdepSplat(RECURSIVE)).toMatchObject({
      kind: 'recursive',
      locks: ['&hub->lock'],
      chains: [{ index: 0, lock: '&hub->lock', functions: ['demo_hub_attach', 'demo_hub_probe', 'really_probe'] }],
    });
  });

  it('reads a report quoted with "> " in a reply', () => {
    const quoted = RECURSIVE.split('\n').map((l) => `> ${l}`).join('\n');
    expect(parseLockdepSplat(quoted)?.locks).toEqual(['&hub->lock']);
  });

  it('returns null without a report, and stays linear on a 50 MB line', () => {
    expect(parseLockdepSplat('demo: fix a typo\n\nSigned-off-by: x\n')).toBeNull();
    expect(parseLockdepSplat('WARNING: possible circular locking dependency detected\n')).toBeNull();
    expect(parseLockdepSplat(`${'('.repeat(50 * 1024 * 1024)}`)).toBeNull();
  });

  const seed = '/work/shared/seed/intel-iommu-ab-ba.txt';
  it.skipIf(!existsSync(seed))('reads the intel-iommu AB-BA report from the shared seed (skipped when the seed is absent)', () => {
    const splat = parseLockdepSplat(readFileSync(seed, 'utf8'));
    expect(splat?.kind).toBe('circular');
    expect(splat?.locks).toEqual(['device_domain_lock', '&iommu->lock']);
    expect(splat?.chains.map((c) => [c.index, c.lock, c.functions[0]])).toEqual([
      [1, 'device_domain_lock', 'domain_context_mapping_one'],
      [0, '&iommu->lock', 'domain_remove_one_dev_info'],
    ]);
    expect(splat?.chains[0]!.functions).toContain('intel_iommu_init');
    expect(splat?.chains[1]!.functions).toContain('device_notifier');
    expect(splat?.chains.flatMap((c) => c.functions)).not.toContain('_raw_spin_lock_irqsave');
  });
});
