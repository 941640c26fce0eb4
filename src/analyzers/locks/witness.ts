/**
 * Witness chains: the steps from the analyzed function down to the line that acquires a lock
 * (or sleeps, or flushes). Every fact the analysis reports carries one. A chain is a linked list
 * in program order whose tails are shared, so putting a caller's call step in front of a
 * callee's chain costs one node, not a copy: summaries are applied at every call site.
 *
 *   [calls iommu_support_dev_iotlb @ dmar.c:126] -> [acquires device_domain_lock @ dmar.c:31]
 */
import type { ChainStep, StepOp } from '../report-types.ts';

export interface Chain {
  readonly step: ChainStep;
  readonly next: Chain | null;
  readonly len: number;
}

export function chainOf(step: ChainStep): Chain {
  return { step, next: null, len: 1 };
}

/** `step` followed by `rest`. */
export function prepend(step: ChainStep, rest: Chain): Chain {
  return { step, next: rest, len: rest.len + 1 };
}

/** `a` from its start to its end, then on along `b` (a held lock's witness, then what happened under it). */
export function followedBy(a: Chain, b: Chain): Chain {
  const steps = chainSteps(a);
  let out = b;
  for (let i = steps.length - 1; i >= 0; i--) out = prepend(steps[i] as ChainStep, out);
  return out;
}

export function chainSteps(chain: Chain | null): ChainStep[] {
  const out: ChainStep[] = [];
  for (let c = chain; c; c = c.next) out.push(c.step);
  return out;
}

export function lastStep(chain: Chain): ChainStep {
  let c = chain;
  while (c.next) c = c.next;
  return c.step;
}

/**
 * `step` followed by `rest`, unless `rest` already passes through the function `step` sits in
 * (a lock held on return through a recursive path): then the part of `rest` from that
 * function's last frame is the witness, the same code at a deeper level, so no chain repeats
 * a frame.
 */
export function prependOnce(step: ChainStep, rest: Chain): Chain {
  let last: Chain | null = null;
  for (let c: Chain | null = rest; c; c = c.next) if (c.step.function === step.function) last = c;
  return last ?? prepend(step, rest);
}

/**
 * Whether two chains go the same way to the same place: step by step the same function and
 * line, whatever each does last (an irqsave's `acquire` and its `irq-off` are one call).
 */
export function sameStepsAs(a: Chain, b: Chain): boolean {
  if (a.len !== b.len) return false;
  for (let x: Chain | null = a, y: Chain | null = b; x && y; x = x.next, y = y.next) {
    if (x.step.function !== y.step.function || x.step.line !== y.step.line) return false;
  }
  return true;
}

/** Does any step of the chain sit in `fn`? A chain that re-enters a frame is a recursive path. */
export function chainVisits(chain: Chain, fn: string): boolean {
  for (let c: Chain | null = chain; c; c = c.next) if (c.step.function === fn) return true;
  return false;
}

export function step(op: StepOp, fn: string, file: string, line: number, extra: { lock?: string; callee?: string; via?: string } = {}): ChainStep {
  return { function: fn, file, line, op, ...extra };
}

/** A parameter became a class at a call: the chain's acquiring (last) step names the class. */
export function renameLast(chain: Chain, ref: { c: string } | { p: number }): Chain {
  if (!('c' in ref)) return chain;
  if (!chain.next) return chain.step.lock === ref.c ? chain : chainOf({ ...chain.step, lock: ref.c });
  const rest = renameLast(chain.next, ref);
  return rest === chain.next ? chain : prepend(chain.step, rest);
}
