/**
 * One inversion written the way lockdep reports it, so kernel developers can read the evidence
 * the way they read a splat: the banner, "X is trying to acquire lock: B / but task is already
 * holding lock: A" for the dependency the patch adds or removes (A -> B), "the existing dependency
 * chain (in reverse order) is:" with one entry per edge (#0 is that dependency), "Chain exists of:"
 * for three or more locks, lockdep's CPU0/CPU1 table (CPU0 takes the held lock first) and
 * "*** DEADLOCK ***". A one-lock cycle is lockdep's recursive locking report instead.
 *
 * The cycle is rotated so the dependency in focus (the edge the patch changes) is the one being
 * acquired, as lockdep would have caught it. Unlike lockdep's stacks (innermost frame first),
 * each entry lists the edge's witness in program order: where the held lock was taken, the calls
 * made under it, where the next lock is taken:
 *   -> #0 (&iommu->lock) [intel_iommu.lock]:
 *          domain_remove_one_dev_info (drivers/iommu/dmar.c:81) acquires device_domain_lock
 *          domain_remove_one_dev_info (drivers/iommu/dmar.c:93) acquires intel_iommu.lock
 * A cycle through a semaphore used as a lock ends with a line saying lockdep would not see it.
 * Plain text lines; it neither wraps nor escapes for markup (fenced blocks keep it verbatim).
 */
import type { ChainStep, EdgeJson, InversionJson } from '../analyzers/report-types.ts';
import type { LockLabeler } from './lock-labeler.ts';
import type { LockdepNames } from './lockdep-names.ts';
import { oneLine } from './one-line.ts';
import { stepText } from './step-text.ts';
import { circularScenario, recursiveScenario } from './unsafe-scenario.ts';

const STACK_INDENT = '       ';

export interface ReportOptions {
  /** Index in `inversion.edges` of the dependency being acquired (#0); default the last edge. */
  focal?: number;
  /** Longer witnesses keep their first and last steps around a count of the rest (mail). */
  maxSteps?: number;
}

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

/** A witness as indented lines; past `maxSteps`, the first steps, "... N more steps ...", the last two. */
export function stackLines(steps: readonly ChainStep[] | undefined, maxSteps = Number.POSITIVE_INFINITY): string[] {
  const list = steps ?? [];
  if (list.length === 0) return [`${STACK_INDENT}(no witness recorded)`];
  if (list.length <= maxSteps) return list.map((s) => STACK_INDENT + chainStepLine(s));
  const tail = 2;
  const head = Math.max(1, maxSteps - tail - 1);
  const skipped = list.length - head - tail;
  return [
    ...list.slice(0, head).map((s) => STACK_INDENT + chainStepLine(s)),
    `${STACK_INDENT}... ${skipped} more ${skipped === 1 ? 'step' : 'steps'} ...`,
    ...list.slice(-tail).map((s) => STACK_INDENT + chainStepLine(s)),
  ];
}

function stack(edge: EdgeJson | undefined, maxSteps?: number): string[] {
  return stackLines(edge?.chain, maxSteps);
}

/** lockdep's banner: the title between two rules of its length ("=====", "-----"). */
export function banner(title: string): string[] {
  return ['='.repeat(title.length), title, '-'.repeat(title.length)];
}

/** A LockLabeler (one name for everything) or LockdepNames (short and labelled forms). */
function namesOf(names: LockdepNames | LockLabeler): LockdepNames {
  return typeof names === 'function' ? { short: names, label: (c) => `(${names(c)})` } : names;
}

/** The inversion rotated so edge `focal` closes it: locks[0] is the lock being acquired. */
export function rotateTo(inversion: InversionJson, focal: number): InversionJson {
  const n = inversion.locks.length;
  if (n === 0 || focal === n - 1 || focal < 0 || focal >= n) return inversion;
  const start = (focal + 1) % n;
  const turn = <T>(list: readonly T[]): T[] => [...list.slice(start), ...list.slice(0, start)];
  return { locks: turn(inversion.locks), edges: turn(inversion.edges) };
}

/** The lockdep-style block for one inversion, as lines (no trailing blank line). */
export function lockdepReport(inversion: InversionJson, namer: LockdepNames | LockLabeler, options: ReportOptions = {}): string[] {
  const names = namesOf(namer);
  const inv = rotateTo(inversion, options.focal ?? inversion.edges.length - 1);
  const locks = inv.locks;
  const n = locks.length;
  if (n === 0) return ['(empty cycle)'];
  // The closing edge goes locks[n-1] -> locks[0]: its last step takes locks[0] while locks[n-1] is held.
  const closing = inv.edges[n - 1];
  const taken = closing?.chain[closing.chain.length - 1];
  const held = closing?.chain[0];
  const lock = (i: number): string => locks[i] as string;
  const header = [
    `${by(taken)} is trying to acquire lock:`,
    ` ${names.label(lock(0))}, at: ${at(taken)}`,
    '',
    'but task is already holding lock:',
    ` ${names.label(lock(n - 1))}, at: ${at(held)}${held && held.function !== taken?.function ? ` (${by(held)})` : ''}`,
    '',
  ];
  const untracked = (inversion.untracked ?? []).map((l) => ` ${names.label(l)} is a semaphore taken and released like a lock: lockdep does not track semaphores and would not report this; it deadlocks as a mutex would.`);
  if (n === 1) {
    return [
      ...banner('WARNING: possible recursive locking detected'),
      ...header,
      'the acquisitions:',
      ...stack(closing, options.maxSteps),
      '',
      'other info that might help us debug this:',
      ' Possible unsafe locking scenario:',
      '',
      ...recursiveScenario(names.short(lock(0))),
      '',
      ' *** DEADLOCK ***',
      '',
      ' May be due to missing lock nesting notation',
      ...(untracked.length ? ['', ...untracked] : []),
    ];
  }
  const lines = [
    ...banner('WARNING: possible circular locking dependency detected'),
    ...header,
    'which lock already depends on the new lock.',
    '',
    'the existing dependency chain (in reverse order) is:',
  ];
  // Entry #k is edge k-1 (locks[k-1] -> locks[k]), named after the lock it takes; #0 is the closing edge, as in lockdep.
  for (let k = n - 1; k >= 0; k--) {
    const edge = inv.edges[(k + n - 1) % n];
    lines.push('', `-> #${k} ${names.label(lock(k))}:`, ...stack(edge, options.maxSteps));
  }
  lines.push('', 'other info that might help us debug this:', '');
  // lockdep names three locks: the one acquired, the chain's last before the held one, the held one.
  if (n > 2) lines.push('Chain exists of:', `  ${names.short(lock(0))} --> ${names.short(lock(n - 2))} --> ${names.short(lock(n - 1))}`, '');
  lines.push(' Possible unsafe locking scenario:', '', ...circularScenario(names.short(lock(0)), names.short(lock(n - 2)), names.short(lock(n - 1))), '', ' *** DEADLOCK ***');
  if (untracked.length) lines.push('', ...untracked);
  return lines;
}
