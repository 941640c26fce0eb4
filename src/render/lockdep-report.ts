/**
 * One inversion written the way lockdep reports it, so kernel developers can read the evidence
 * the way they read a splat: the warning line, the acquisition that closes the cycle and the
 * lock held at that point, "the existing dependency chain (in reverse order) is:" with one entry
 * per edge, "Chain exists of:", the unsafe scenario table and "*** DEADLOCK ***". A one-lock
 * cycle is lockdep's recursive locking report instead.
 *
 * Unlike lockdep's stacks (innermost frame first), each entry lists the edge's witness in program
 * order: where the held lock was taken, the calls made under it, where the next lock is taken:
 *   -> #0 (device_domain_lock):
 *          domain_context_mapping_one (drivers/iommu/dmar.c:120) acquires intel_iommu.lock
 *          domain_context_mapping_one (drivers/iommu/dmar.c:126) calls iommu_support_dev_iotlb
 *          iommu_support_dev_iotlb (drivers/iommu/dmar.c:31) acquires device_domain_lock
 * Plain text lines; it neither wraps nor escapes for markup (fenced blocks keep it verbatim).
 */
import type { ChainStep, EdgeJson, InversionJson } from '../analyzers/report-types.ts';
import type { LockLabeler } from './lock-labeler.ts';
import { oneLine } from './one-line.ts';
import { stepText } from './step-text.ts';
import { unsafeScenario } from './unsafe-scenario.ts';

const STACK_INDENT = '       ';

/** "domain_context_mapping_one (drivers/iommu/dmar.c:120) acquires intel_iommu.lock" */
export function chainStepLine(step: ChainStep): string {
  return `${oneLine(step.function)} (${oneLine(step.file)}:${step.line}) ${oneLine(stepText(step))}`;
}

function at(step: ChainStep | undefined): string {
  return step ? `${oneLine(step.file)}:${step.line}` : 'an unknown line';
}

function by(step: ChainStep | undefined): string {
  return step ? `${oneLine(step.function)}()` : 'an unknown function';
}

function stack(edge: EdgeJson | undefined): string[] {
  const steps = edge?.chain ?? [];
  return steps.length > 0 ? steps.map((s) => STACK_INDENT + chainStepLine(s)) : [`${STACK_INDENT}(no witness recorded)`];
}

function underline(title: string): string[] {
  return [title, '-'.repeat(title.length)];
}

/** lockdep's closing section: `chain` (the "Chain exists of" lines, if any), the CPU table, DEADLOCK. */
function otherInfo(chain: string[], locks: readonly string[], label: LockLabeler): string[] {
  return ['', 'other info that might help us debug this:', '', ...chain, ' Possible unsafe locking scenario:', '', ...unsafeScenario(locks, label), '', ' *** DEADLOCK ***'];
}

/** The lockdep-style block for one inversion, as lines (no trailing blank line). */
export function lockdepReport(inversion: InversionJson, label: LockLabeler): string[] {
  const locks = inversion.locks;
  const n = locks.length;
  if (n === 0) return ['(empty cycle)'];
  // The closing edge goes locks[n-1] -> locks[0]: its last step takes locks[0] while locks[n-1] is held.
  const closing = inversion.edges[n - 1];
  const taken = closing?.chain[closing.chain.length - 1];
  const held = closing?.chain[0];
  if (n === 1) {
    return [
      ...underline('WARNING: possible recursive locking detected'),
      `${by(taken)} may take lock:`,
      `  (${label(locks[0] as string)}) at ${at(taken)}`,
      '',
      'while it already holds a lock of the same class:',
      `  (${label(locks[0] as string)}) taken by ${by(held)} at ${at(held)}`,
      '',
      'the acquisitions:',
      ...stack(closing),
      ...otherInfo([], locks, label),
      '',
      ' If these are two instances of one class, annotate the nesting (a *_nested()',
      ' lock call or a lock subclass); if it is one instance, it deadlocks on itself.',
    ];
  }
  const lines = [
    ...underline('WARNING: possible circular locking dependency detected'),
    `${by(taken)} may take lock:`,
    `  (${label(locks[0] as string)}) at ${at(taken)}`,
    '',
    'while it holds lock:',
    `  (${label(locks[n - 1] as string)}) taken by ${by(held)} at ${at(held)}`,
    '',
    'and the lock it takes is already ordered before the lock it holds.',
    '',
    'the existing dependency chain (in reverse order) is:',
  ];
  // Entry #k is edge n-1-k, named after the lock it takes; #0 is the closing edge, as in lockdep.
  for (let k = n - 1; k >= 0; k--) {
    const edge = inversion.edges[n - 1 - k];
    lines.push('', `-> #${k} (${label(locks[(n - k) % n] as string)}):`, ...stack(edge));
  }
  lines.push(...otherInfo(['Chain exists of:', `  ${[...locks, locks[0] as string].map(label).join(' --> ')}`, ''], locks, label));
  return lines;
}
