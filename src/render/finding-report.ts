/**
 * A finding other than a lock-order cycle, written in the layout of the report that kind
 * mirrors, so it reads like the kernel's own output:
 *   irq-inconsistent  lockdep's "inconsistent lock state" with the two usages
 *   irq-inversion     lockdep's "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected" with the
 *                     new dependency and where each lock became safe and unsafe
 *   sleep-in-atomic   "BUG: sleeping function called from invalid context" with the lock held
 *                     and the chain down to the sleeping call
 *   lock-leak         sparse's "context imbalance" warning, where the lock was taken and the
 *                     return that keeps it
 *   flush-under-lock  lockdep's circular report over the work-completion pseudo-lock
 *                     (`(work_completion)(...)`), the way lockdep reports a flush under a lock
 *                     the work takes
 * and any other kind as its title and evidence. The words come from the finding (its title and
 * evidence labels, written by the checker); this only lays them out. Plain text lines.
 * Lock-order inversions and recursive locking are lockdep-report.ts.
 */
import type { ChainStep, EvidenceJson, FindingJson } from '../analyzers/report-types.ts';
import type { LockdepNames } from './lockdep-names.ts';
import { banner, stackLines } from './lockdep-report.ts';
import { oneLine } from './one-line.ts';
import { circularScenario, irqOrderScenario, usageScenario } from './unsafe-scenario.ts';

/** The contexts a sleep-in-atomic finding names instead of a lock (analysis-json.ts REGIONS). */
const REGIONS = new Set(['irqs-disabled', 'softirqs-disabled', 'preemption-disabled', 'rcu_read_lock', 'hardirq-context', 'softirq-context']);

const last = (e: EvidenceJson | undefined): ChainStep | undefined => e?.chain[e.chain.length - 1];
const first = (e: EvidenceJson | undefined): ChainStep | undefined => e?.chain[0];
const at = (s: ChainStep | undefined): string => (s ? `${oneLine(s.file)}:${s.line}` : 'an unknown line');
const fn = (s: ChainStep | undefined, fallback: string): string => `${oneLine(s?.function ?? fallback)}()`;

/** Text after the first ": " of a title (the part after lockdep's words). */
const detailOf = (title: string): string => {
  const i = title.indexOf(': ');
  return i < 0 ? title : title.slice(i + 2);
};

function section(label: string, e: EvidenceJson | undefined, maxSteps: number | undefined): string[] {
  return [`${oneLine(label)}:`, ...stackLines(e?.chain, maxSteps)];
}

/** The irq ("HARDIRQ" or "SOFTIRQ") a finding's title names. */
const irqOf = (title: string): 'HARDIRQ' | 'SOFTIRQ' => (/SOFTIRQ/.test(title) ? 'SOFTIRQ' : 'HARDIRQ');

function inconsistent(f: FindingJson, names: LockdepNames, maxSteps?: number): string[] {
  const usage = /\{IN-[A-Z]+-[RW]\} -> \{[A-Z]+-ON-[RW]\}/.exec(f.title)?.[0] ?? detailOf(f.title);
  const [inUse, onUse] = f.evidence;
  const lock = f.locks[0] ?? '';
  return [
    ...banner('WARNING: inconsistent lock state'),
    `inconsistent ${usage} usage.`,
    `${fn(last(onUse), f.function)} takes:`,
    ` ${names.label(lock)}, at: ${at(last(onUse))}`,
    ...section(inUse?.label ?? 'the irq usage', inUse, maxSteps),
    ...section(onUse?.label ?? 'the usage with irqs enabled', onUse, maxSteps),
    '',
    'other info that might help us debug this:',
    ' Possible unsafe locking scenario:',
    '',
    ...usageScenario(names.short(lock)),
    '',
    ' *** DEADLOCK ***',
  ];
}

function irqInversion(f: FindingJson, names: LockdepNames, maxSteps?: number): string[] {
  const irq = irqOf(f.title);
  const [dep, safe, unsafe] = f.evidence;
  const [a = '', b = ''] = f.locks;
  return [
    ...banner(`WARNING: ${irq}-safe -> ${irq}-unsafe lock order detected`),
    `${fn(last(dep), f.function)} is trying to acquire:`,
    ` ${names.label(b)}, at: ${at(last(dep))}`,
    '',
    'and this task is already holding:',
    ` ${names.label(a)}, at: ${at(first(dep))}`,
    'which would create a new lock dependency:',
    ` (${names.short(a)}) -> (${names.short(b)})`,
    ...stackLines(dep?.chain, maxSteps),
    '',
    `but this new dependency connects a ${irq}-irq-safe lock:`,
    ` ${names.label(a)}`,
    `... which became ${irq}-irq-safe at:`,
    ...(safe?.label ? [`  (${oneLine(safe.label)})`] : []),
    ...stackLines(safe?.chain, maxSteps),
    '',
    `to a ${irq}-irq-unsafe lock:`,
    ` ${names.label(b)}`,
    `... which became ${irq}-irq-unsafe at:`,
    ...(unsafe?.label ? [`  (${oneLine(unsafe.label)})`] : []),
    ...stackLines(unsafe?.chain, maxSteps),
    '',
    'other info that might help us debug this:',
    '',
    ' Possible interrupt unsafe locking scenario:',
    '',
    ...irqOrderScenario(names.short(a), names.short(b), irq),
    '',
    ' *** DEADLOCK ***',
  ];
}

function sleepInAtomic(f: FindingJson, names: LockdepNames, maxSteps?: number): string[] {
  const [atomic, sleeper] = f.evidence;
  const lock = f.locks[0] ?? '';
  const region = REGIONS.has(lock) || lock === '';
  const out = [`BUG: sleeping function called from invalid context at ${at(last(sleeper))}`, `${oneLine(f.function)}(): ${oneLine(detailOf(f.title))}`];
  if (!region) out.push(`1 lock held by ${oneLine(f.function)}():`, ` #0:  ${names.label(lock)}, at: ${at(last(atomic))}`);
  out.push(...section(atomic?.label ?? 'atomic context entered at', atomic, maxSteps), ...section(sleeper?.label ?? 'the sleeping call', sleeper, maxSteps));
  return out;
}

function lockLeak(f: FindingJson, names: LockdepNames, maxSteps?: number): string[] {
  const [taken, ret] = f.evidence;
  const exit = last(ret) ?? { file: f.file, line: f.line };
  return [
    `${oneLine(exit.file)}:${exit.line}: warning: context imbalance in '${oneLine(f.function)}' - wrong count at exit`,
    ` ${oneLine(f.function)}() returns holding ${names.label(f.locks[0] ?? '')} on some paths only.`,
    ...section(taken?.label ?? 'taken at', taken, maxSteps),
    ...section(ret?.label ?? 'returns still holding it at', ret, maxSteps),
  ];
}

function heldLockFreed(f: FindingJson, names: LockdepNames, maxSteps?: number): string[] {
  const [taken, freed] = f.evidence;
  return [
    ...banner('BUG: held lock freed!'),
    `${oneLine(f.function)}() is freeing memory at ${at(last(freed))}, with a lock still held there!`,
    ` ${names.label(f.locks[0] ?? '')}, at: ${at(first(taken))}`,
    ...section(taken?.label ?? 'taken at', taken, maxSteps),
    ...section(freed?.label ?? 'freed while still held at', freed, maxSteps),
  ];
}

/**
 * lockdep's circular dependency through a pseudo-lock (a work's completion, `fs_reclaim`): the
 * finding's evidence is [the lock held, the wait that takes the pseudo-lock, what runs under the
 * pseudo-lock and takes the held lock].
 */
function pseudoLockCycle(f: FindingJson, pseudo: string, names: LockdepNames, maxSteps?: number): string[] {
  const [held, wait, under] = f.evidence;
  const lock = f.locks[0] ?? '';
  return [
    ...banner('WARNING: possible circular locking dependency detected'),
    `${fn(last(wait), f.function)} is trying to acquire lock:`,
    ` (${pseudo}), at: ${at(last(wait))}`,
    '',
    'but task is already holding lock:',
    ` ${names.label(lock)}, at: ${at(first(held))}`,
    '',
    'which lock already depends on the new lock.',
    '',
    'the existing dependency chain (in reverse order) is:',
    '',
    `-> #1 ${names.label(lock)}:`,
    ...stackLines(under?.chain, maxSteps),
    '',
    `-> #0 (${pseudo}):`,
    ...stackLines([...(held?.chain ?? []).slice(0, 1), ...(wait?.chain ?? [])], maxSteps),
    '',
    'other info that might help us debug this:',
    '',
    ' Possible unsafe locking scenario:',
    '',
    ...circularScenario(pseudo, pseudo, names.short(lock)),
    '',
    ' *** DEADLOCK ***',
  ];
}

/** "waiting for fn() (work foo.work) while holding L, which it takes": lockdep's pseudo-lock for the work. */
function flushUnderLock(f: FindingJson, names: LockdepNames, maxSteps?: number): string[] {
  const m = /\((work|delayed work|timer|\w+) ([^)\s]+)\) while holding/.exec(f.title);
  const pseudo = m ? (m[1] === 'timer' ? `(${m[2]})` : `(work_completion)(${m[2]})`) : '(work_completion)';
  return pseudoLockCycle(f, oneLine(pseudo), names, maxSteps);
}

function generic(f: FindingJson, maxSteps?: number): string[] {
  return [...banner(`WARNING: ${oneLine(f.title)}`), ...f.evidence.flatMap((e) => section(e.label, e, maxSteps))];
}

/** The report block for one finding, as lines (no trailing blank line); notes follow it. */
export function findingReport(f: FindingJson, names: LockdepNames, maxSteps?: number): string[] {
  let lines: string[];
  switch (f.kind) {
    case 'irq-inconsistent':
      lines = inconsistent(f, names, maxSteps);
      break;
    case 'irq-inversion':
      lines = irqInversion(f, names, maxSteps);
      break;
    case 'sleep-in-atomic':
      lines = sleepInAtomic(f, names, maxSteps);
      break;
    case 'lock-leak':
      lines = lockLeak(f, names, maxSteps);
      break;
    case 'held-lock-freed':
      lines = heldLockFreed(f, names, maxSteps);
      break;
    case 'flush-under-lock':
      lines = flushUnderLock(f, names, maxSteps);
      break;
    case 'reclaim-under-lock':
      // lockdep's splat since 4.14: the allocation takes the `fs_reclaim` pseudo-lock the shrinker runs under.
      lines = pseudoLockCycle(f, 'fs_reclaim', names, maxSteps);
      break;
    default:
      lines = generic(f, maxSteps);
  }
  return [...lines, ...(f.notes ?? []).map((n) => `Note: ${oneLine(n)}`)];
}
