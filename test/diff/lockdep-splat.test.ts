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

describe('parseLockdepSplat', () => {
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
    expect(parseLockdepSplat(OLD_FORMAT)).toEqual({
      kind: 'circular',
      locks: ['&port->notifier', '&bus->list_lock'],
      chains: [
        { index: 1, lock: '&port->notifier', functions: ['demo_port_scan', 'demo_bus_rescan'] },
        { index: 0, lock: '&bus->list_lock', functions: ['demo_bus_add', 'notifier_call_chain'] },
      ],
    });
  });

  // A modern report pasted with printk timestamps, three locks in the cycle.
  it('reads the WARNING: format with timestamps and a 3-lock chain', () => {
    expect(parseLockdepSplat(fixture('lockdep-circular-new.txt'))).toEqual({
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
    expect(parseLockdepSplat(RECURSIVE)).toEqual({
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
