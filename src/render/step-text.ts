/**
 * A witness step in words, the one place a structured step becomes prose:
 *   { op: 'acquire', lock: 'device_domain_lock' }            -> "acquires device_domain_lock"
 *   { op: 'call', callee: 'lock_dev', via: 'd->ops->lock' }  -> "calls lock_dev (through d->ops->lock)"
 *   { op: 'acquire', via: 'fault', callee: 'copy_to_user' }  -> "may fault in copy_to_user(), and the fault takes ..."
 *   { op: 'acquire', via: 'on-zero', callee: 'atomic_dec_and_lock' } -> "acquires X if the count drops to zero (atomic_dec_and_lock())"
 */
import { ON_ZERO, type ChainStep } from '../analyzers/report-types.ts';

/** A region a callback runs in, entered by its caller (`hold` of `@softirq-off`). */
const REGION_STATE: Record<string, string> = {
  '@softirq-off': 'with softirqs disabled', '@hardirq-off': 'with hardirqs disabled', '@preempt-off': 'with preemption disabled', '@rcu': 'in an RCU read-side section',
  // The same regions as the analysis JSON names them (analysis-json.ts).
  'softirqs-disabled': 'with softirqs disabled', 'irqs-disabled': 'with hardirqs disabled', 'preemption-disabled': 'with preemption disabled', rcu_read_lock: 'in an RCU read-side section',
};

/** Entering a region, by either spelling; anything else turned hardirqs off. */
const REGION_ENTERED: Record<string, string> = {
  '@softirq-off': 'disables softirqs', '@preempt-off': 'disables preemption', '@rcu': 'enters an RCU read-side section',
  'softirqs-disabled': 'disables softirqs', 'preemption-disabled': 'disables preemption', rcu_read_lock: 'enters an RCU read-side section',
};

export function stepText(step: ChainStep): string {
  // Reviews stored before steps were structured carry their sentence.
  const legacy = (step as { what?: unknown }).what;
  if (typeof legacy === 'string' && !step.op) return legacy;
  const lock = step.lock ?? 'a lock';
  const via = step.via ? (step.via === 'macro' ? ' (a macro)' : ` (through ${step.via})`) : '';
  switch (step.op) {
    case 'acquire':
      // Not taken here, but lockdep orders it here: a page fault, a might_lock() annotation.
      if (step.via === 'fault') return `may fault in ${step.callee ?? 'a user copy'}(), and the fault takes ${lock}`;
      if (step.via === 'might_lock') return `may take ${lock} (${step.callee ?? 'might_lock'}())`;
      if (step.via === ON_ZERO) return `acquires ${lock} if the count drops to zero (${step.callee ?? 'atomic_dec_and_lock'}())`;
      return `acquires ${lock}${via}`;
    case 'trylock':
      return `trylocks ${lock}${via}`;
    case 'call':
      return `calls ${step.callee ?? 'a function'}${via}`;
    case 'release':
      return `releases ${lock}`;
    case 'sleep':
      return `may sleep: calls ${step.callee ?? 'a sleeping function'}${via}`;
    case 'flush':
      return `waits for ${step.lock ?? step.callee ?? 'a work item'} to finish (${step.callee ?? 'flush'})`;
    case 'irq-off':
      return (step.lock !== undefined ? REGION_ENTERED[step.lock] : undefined) ?? 'disables hardirqs';
    case 'irq-on':
      return `enables hardirqs (${step.callee ?? 'local_irq_enable'}())`;
    case 'hold': {
      // A context the function asserts (`asserts irqs_disabled()`), else the callback it is called as.
      const called = step.via ? (step.via.startsWith('asserts ') ? ` (${step.via})` : ` (called as ${step.via})`) : '';
      const region = REGION_STATE[lock];
      if (region) return `runs ${region}${called}`;
      return `runs with ${lock} held${called}`;
    }
    case 'return':
      return step.lock ? `returns holding ${step.lock}` : 'returns';
    case 'enter':
      return `runs ${step.callee ? `${step.callee} ` : ''}${step.lock ?? ''}`.trim();
    default:
      return String(step.op);
  }
}

/** The JSON of `lockscope.review/1` and `analysis/1` promised each step a `what`: added on the way out. */
export function withWhat<T extends ChainStep>(step: T): T & { what: string } {
  return { ...step, what: stepText(step) };
}
