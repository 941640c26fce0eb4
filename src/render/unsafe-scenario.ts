/**
 * Lockdep's "Possible unsafe locking scenario" tables, laid out as lockdep prints them
 * (kernel/locking/lockdep.c: print_circular_lock_scenario, print_deadlock_scenario,
 * print_usage_bug_scenario, print_irq_lock_scenario), so a kernel developer reads them at a
 * glance: CPU0 at column 7, CPU1 at column 31, whatever the names' lengths. Plain text lines.
 */

const CPU1 = ' '.repeat(31);

/**
 * A circular dependency: the task holds `target` and is acquiring `source`; `parent` is the lock
 * on the existing chain that is taken right before `target` (the same as `source` for AB-BA).
 *   ("B", "B", "A") ->
 *          CPU0                    CPU1
 *          ----                    ----
 *     lock(A);
 *                                  lock(B);
 *                                  lock(A);
 *     lock(B);
 */
export function circularScenario(source: string, parent: string, target: string): string[] {
  return [
    '       CPU0                    CPU1',
    '       ----                    ----',
    `  lock(${target});`,
    `${CPU1}lock(${parent});`,
    `${CPU1}lock(${target});`,
    `  lock(${source});`,
  ];
}

/** A class taken while held: lockdep's single-CPU table. */
export function recursiveScenario(lock: string): string[] {
  return ['       CPU0', '       ----', `  lock(${lock});`, `  lock(${lock});`];
}

/** "inconsistent lock state": the lock is held with irqs enabled and the irq takes it too. */
export function usageScenario(lock: string): string[] {
  return ['       CPU0', '       ----', `  lock(${lock});`, '  <Interrupt>', `    lock(${lock});`];
}

/**
 * "irq-safe -> irq-unsafe lock order": CPU0 holds the unsafe lock with irqs on; CPU1 holds the
 * safe one and waits for the unsafe one; CPU0's interrupt waits for the safe one.
 */
export function irqOrderScenario(safe: string, unsafe: string, irq: 'HARDIRQ' | 'SOFTIRQ'): string[] {
  return [
    '       CPU0                    CPU1',
    '       ----                    ----',
    `  lock(${unsafe});`,
    `${CPU1}${irq === 'HARDIRQ' ? 'local_irq_disable();' : 'local_bh_disable();'}`,
    `${CPU1}lock(${safe});`,
    `${CPU1}lock(${unsafe});`,
    '  <Interrupt>',
    `    lock(${safe});`,
  ];
}
