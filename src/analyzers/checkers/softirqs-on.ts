/**
 * Which roots of the program are known to run with softirqs enabled. A root's callers are
 * outside the program, so its context is a guess. For hardirqs "enabled" is the rule: only an
 * irq handler, or a caller under spin_lock_irq(), has them off. Softirqs are another matter:
 * packet, protocol and notifier callbacks and much exported code run in softirq context or under
 * local_bh_disable(), called from elsewhere. lockdep marks a lock SOFTIRQ-ON only where it saw
 * softirqs on, and so does lockscope, where the root shows it: it may sleep (nothing sleeps
 * with softirqs off), or a function stored into the same member may (the core calls that member
 * where sleeping is allowed), or the member is one the core calls from process context
 * (catalogue PROCESS_CALLBACKS). A function stored into such a member is an entry in process
 * context also where the program calls it too (`lcd_write(NULL, s, n, NULL)` beside
 * `.write = lcd_write`): the system call reaches it with softirqs on all the same.
 */
import type { FunctionEntry } from '../c/program.ts';
import { HELD_ON_ENTRY_CALLBACKS, PROCESS_CALLBACKS } from '../locks/catalogue.ts';
import { SLEEPING } from './contexts.ts';
import { maySleep } from './sleep-in-atomic.ts';
import type { ProgramView } from './types.ts';

export interface SoftirqsOn {
  /** Whether a root runs with softirqs on. */
  at(root: FunctionEntry): boolean;
  /** The functions stored into members the core calls from process context: entries with softirqs on, called here or not. */
  entries: readonly FunctionEntry[];
}

const cache = new WeakMap<ProgramView, SoftirqsOn>();

export function softirqsOn(view: ProgramView): SoftirqsOn {
  const hit = cache.get(view);
  if (hit) return hit;
  // A member the core calls with a mutex held (rtnl around ethtool's) is one of process context too.
  const underMutex = HELD_ON_ENTRY_CALLBACKS.filter((c) => 'lock' in c && (c.lock === 'mmap' || SLEEPING.has(c.lock.kind)));
  const members = [...PROCESS_CALLBACKS, ...underMutex];
  const inProcess = new Set(members.flatMap((c) => (c.members === '*' ? [`${c.tag}.*`] : c.members.map((m) => `${c.tag}.${m}`))));
  const sleeps = (e: FunctionEntry): boolean => {
    const s = view.summaries.get(e.id);
    return s !== undefined && maySleep(s);
  };
  const byMember = new Map<string, boolean>();
  const memberSleeps = (tag: string, member: string): boolean => {
    const key = `${tag}.${member}`;
    let known = byMember.get(key);
    if (known === undefined) {
      known = inProcess.has(key) || inProcess.has(`${tag}.*`) || view.program.storedInto(tag, [member]).some((s) => sleeps(s.entry));
      byMember.set(key, known);
    }
    return known;
  };
  const entries = [...new Set(members.flatMap((c) => view.program.storedInto(c.tag, c.members).map((s) => s.entry)))].filter((e) => !e.fn.isMacro);
  const out: SoftirqsOn = {
    at: (root) => sleeps(root) || view.program.storesOf(root.fn.name, root.file).some((s) => s.tag !== undefined && memberSleeps(s.tag, s.member)),
    entries,
  };
  cache.set(view, out);
  return out;
}
