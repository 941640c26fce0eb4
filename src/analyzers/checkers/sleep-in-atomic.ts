/**
 * "BUG: sleeping function called from invalid context": a call that may sleep while a spinning
 * lock is held, irqs or preemption are disabled, or inside an RCU read-side section, directly or
 * through any chain of calls; and a sleep reachable from a hardirq or softirq callback.
 *
 * May sleep: sleeping locks (mutex, rwsem, semaphore), the catalogue's sleepers (msleep,
 * schedule, wait_for_completion, copy_to_user, flush_work...), allocations with sleeping GFP
 * flags (GFP_KERNEL, GFP_NOFS, GFP_NOIO, GFP_USER; never GFP_ATOMIC or GFP_NOWAIT; a flags
 * variable is not judged), and functions whose summary says they may sleep. A function that
 * sleeps with nothing atomic of its own held passes the sleep up to its callers (with the
 * caller's locks it released first, so `spin_unlock(&l); schedule(); spin_lock(&l);` in a helper
 * is not a sleep under l).
 */
import { P, type CallEvent, type FunctionIR } from '../c/ir.ts';
import { RCU_READ, HARDIRQ_OFF, SOFTIRQ_OFF, PREEMPT_OFF, NO_FAULT, baseKey, countedHere, isPseudo, releaseUnnamedOfKind, tookItself, type Acquisition, type Held } from '../locks/held-set.ts';
import { countedKeys } from '../c/counted-releases.ts';
import { CONTEXT_QUERIES, sleepingFlags, type LockEffect } from '../locks/catalogue.ts';
import { gfpAt } from './gfp-flags.ts';
import { refOfKey } from '../locks/lock-ref.ts';
import { chainOf, prepend, step, type Chain } from '../locks/witness.ts';
import { contextsOf, SLEEPING, SPINNING } from './contexts.ts';
import { releasedHere, releasesPassedUp, type CallInfo, type Checker, type Finding, type ProgramView, type Recorder, type RecorderEnv } from './types.ts';
import { factsKey, joinFacts, type Facts } from '../flow/facts.ts';
import type { Disjunct } from '../flow/state.ts';
import type { Summary } from '../locks/summary.ts';
import type { SleepOut } from '../order/open-calls.ts';
import type { LockKind } from '../report-types.ts';

export const SLEEP_IN_ATOMIC = 'sleep-in-atomic';

interface Sleep {
  chain: Chain;
  /** The caller's locks released before it (keys in this function's terms). */
  after: readonly string[];
  callee: string;
  /** An entry to the scheduler: irqs off alone do not make it a bug (see LockEffect `reschedules`). */
  reschedules?: true;
  /** A user access that sleeps only by faulting: never where it cannot fault (NO_FAULT). */
  fault?: true;
  /**
   * The member constants of the parameters' objects on its path (`l->type:=LK_MUTEX` in a lock
   * wrapper's mutex arm): a caller whose object was created another way never gets there.
   */
  when?: Facts;
  /**
   * Caller's locks kept on its path only because a nesting count below was not yet zero
   * (c/counted-releases.ts): a caller that took one of them itself never goes that way.
   */
  counted?: readonly string[];
  /**
   * What its path knew that a caller could test (`pub->info->threads_only` Z in a lock
   * wrapper's spinlock arm): a caller whose path knows otherwise never gets there.
   */
  facts?: Facts;
  /**
   * An allocation whose flags the caller passes in this parameter (gfp-flags.ts): a sleep only
   * where the caller's argument there lets it sleep. Never reported here, only passed up.
   */
  gfpParam?: number;
}

interface SleepPart {
  /** The nearest sleep; the others, one per distinct `when`, are in `more`. */
  sleep?: Sleep;
  more?: Sleep[];
  findings: Finding[];
  /**
   * Per finding (same index), what its path knew of the context queries (`in_interrupt()`
   * false), null for none: the function run as a hardirq or softirq callback reaches only those
   * its context allows.
   */
  knew?: (Facts | null)[];
}

/**
 * Context queries true in a callback's context: all of them in hardirq context; in softirq
 * context those that softirqs off answers (in_interrupt(), in_softirq()).
 */
const TRUE_IN: Readonly<Record<'hardirq' | 'softirq', ReadonlySet<string>>> = {
  hardirq: new Set([...CONTEXT_QUERIES.keys(), 'in_irq()']),
  softirq: new Set([...CONTEXT_QUERIES].filter(([, r]) => r === SOFTIRQ_OFF).map(([k]) => k)),
};

/** What a path knew of the context queries (`in_interrupt()` false): part of a sleep's identity. */
function contextKey(facts: Facts | undefined): string {
  let out = '';
  for (const f of facts ?? []) if (TRUE_IN.hardirq.has(f.key)) out += `|${f.key}=${f.mask}`;
  return out;
}

/** Can a sleep whose path knew `facts` happen in a callback of this context? */
function possibleIn(ctx: 'hardirq' | 'softirq' | 'process', facts: Facts | undefined): boolean {
  if (ctx === 'process' || !facts) return true;
  return !facts.some((f) => TRUE_IN[ctx].has(f.key) && (f.mask & P) === 0);
}

/** Sleeps a summary keeps, each under other member constants. */
const MAX_SLEEPS = 8;
/** Of those, the allocations whose flags the caller passes (`gfpParam`). */
const MAX_GFP_SLEEPS = 2;

/**
 * Does this call of a catalogue API sleep? Allocations only with flags that say so; one whose
 * flags are a parameter of `fn` sleeps as its caller says (`{ param }`).
 */
function catalogueSleeps(effect: LockEffect, ev: CallEvent, fn: FunctionIR): boolean | { param: number } {
  switch (effect.k) {
    case 'sleep': {
      if (effect.gfpArg === undefined) return true;
      const gfp = gfpAt(ev, effect.gfpArg, fn);
      return !gfp ? false : 'param' in gfp ? gfp : sleepingFlags(gfp.flags);
    }
    case 'flush':
      // Waiting for work or a thread sleeps; del_timer_sync() and hrtimer_cancel() spin.
      return effect.what !== 'timer';

    case 'cycle':
      return effect.sleeps;
    default:
      return false;
  }
}

/**
 * What is held while a call that drops `key` sleeps (`wait_event_lock_irq(wq, c, lock)`): not
 * that lock, nor the region its `_irq`/`_irqsave`/`_bh` entered with it (the same step).
 */
function withoutCycled(held: readonly Held[], key: string): readonly Held[] {
  let i = held.length - 1;
  while (i >= 0 && baseKey((held[i] as Held).key) !== baseKey(key)) i--;
  if (i < 0) return held;
  const step = (held[i] as Held).chain.step;
  return held.filter((h, j) => j !== i && !(isPseudo(h.key) && h.chain.step.line === step.line && h.chain.step.file === step.file && h.chain.step.function === step.function));
}

/**
 * The atomic context a path is in, with how it was entered: the innermost spinning lock, else the
 * innermost region. A lock names the context better than the region its own `_irqsave`/`_bh`
 * entered, and keeps the finding's identity when a patch turns spin_lock() into spin_lock_bh().
 */
function atomicOf(held: readonly Held[], irqsOffAllowed: boolean): Held | undefined {
  let region: Held | undefined;
  for (let i = held.length - 1; i >= 0; i--) {
    const h = held[i] as Held;
    if (h.phantom || (irqsOffAllowed && h.key === HARDIRQ_OFF)) continue;
    if (h.kind && SPINNING.has(h.kind)) return h;
    if (!region && (h.key === HARDIRQ_OFF || h.key === SOFTIRQ_OFF || h.key === PREEMPT_OFF || h.key === RCU_READ)) region = h;
  }
  return region;
}

const LOCK_CALL: Record<string, string> = { mutex: 'mutex_lock', rwsem: 'down_read/down_write', semaphore: 'down', rt_mutex: 'rt_mutex_lock' };
const REGION_WORDS: Record<string, string> = {
  [HARDIRQ_OFF]: 'with irqs disabled', [SOFTIRQ_OFF]: 'with softirqs disabled', [PREEMPT_OFF]: 'with preemption disabled', [RCU_READ]: 'inside an RCU read-side critical section',
};

/**
 * How a report words a sleep in `fn` while `atomic` (a spinning lock's key, or a region) makes
 * the context atomic: its identity, title and evidence labels. A sleep made through a call into
 * another directory (order/stitch-calls.ts) is worded the same.
 */
export function sleepWords(fn: string, atomic: string, callee: string): { key: string; title: string; entered: string; sleeps: string } {
  return {
    key: `${SLEEP_IN_ATOMIC}:${fn}:${atomic}`,
    title: `sleeping function called from invalid context: ${callee} ${REGION_WORDS[atomic] ?? 'with {0} held'}`,
    entered: 'atomic context entered at',
    sleeps: `${callee}() may sleep`,
  };
}


function recorder(env: RecorderEnv): Recorder {

  // The sleep that speaks for the function per member-constant state of its path: one that irqs
  // off alone make a bug, else the shortest.
  const best = new Map<string, Sleep>();
  const findings = new Map<string, { finding: Finding; facts: Facts | undefined }>();
  const fn = env.entry.fn.name;
  const better = (a: Sleep | undefined, s: Sleep): boolean => !a || (a.reschedules === true && !s.reschedules) || (!a.reschedules === !s.reschedules && a.chain.len > s.chain.len);

  const sleepAt = (held: readonly Held[], gone: readonly string[], s: { chain: Chain; callee: string; reschedules?: true; fault?: true; when?: Facts | undefined; counted?: readonly string[]; facts?: Facts | undefined; gfpParam?: number }): void => {
    if (s.fault && held.some((h) => h.key === NO_FAULT)) return;
    const atomic = atomicOf(held, s.reschedules === true);
    // Whether it sleeps at all is the caller's to say: nothing to report here, in atomic context or not.
    if (atomic && s.gfpParam !== undefined) return;
    if (!atomic) {
      const { when, counted, facts, ...rest } = s;
      // Kept apart by what the path knew of the context too: a sleep behind `if (in_interrupt())
      // return;` must not lose that test by meeting an unguarded one (a hardirq caller reaches
      // only the second, whose witness the report must show).
      const key = `${s.gfpParam !== undefined ? `g${s.gfpParam}` : ''}${s.fault ? 'f' : ''}${when ? factsKey(when) : ''}${counted?.length ? `#${counted.join(',')}` : ''}${contextKey(facts)}`;
      const old = best.get(key);
      if (!old && s.gfpParam !== undefined && [...best.values()].filter((x) => x.gfpParam !== undefined).length >= MAX_GFP_SLEEPS) return;
      // A sleep of its own displaces one its callers' flags decide.
      if (!old && best.size >= MAX_SLEEPS && s.gfpParam === undefined) for (const [k, x] of best) if (x.gfpParam !== undefined && best.size >= MAX_SLEEPS) best.delete(k);
      if (!old && best.size >= MAX_SLEEPS) return;
      // What every path to a sleep of this key knew: a caller contradicting it reaches none.
      const known = old ? (old.facts && facts?.length ? joinFacts(old.facts, facts) : undefined) : facts;
      const { facts: _f, ...kept } = old && !better(old, s as Sleep) ? old : { ...rest, after: gone, ...(when ? { when } : {}), ...(counted?.length ? { counted } : {}) };
      best.set(key, { ...kept, ...(known?.length ? { facts: known } : {}) });
      return;
    }
    const words = sleepWords(fn, atomic.key, s.callee);
    // Kept apart by what the path knew of the context: if the function turns out to be an
    // interrupt callback, a sleep behind `if (!in_interrupt())` is not its own.
    const key = `${words.key}${contextKey(s.facts)}`;
    const old = findings.get(key);
    if (old && (old.finding.evidence[1]?.chain.len ?? 0) <= s.chain.len) return;
    let last = s.chain;
    while (last.next) last = last.next;
    const finding: Finding = {
      kind: 'sleep-in-atomic', locks: [atomic.key], function: fn, file: last.step.file, line: last.step.line,
      title: words.title,
      evidence: [
        { label: words.entered, chain: atomic.chain, lock: atomic.key },
        { label: words.sleeps, chain: s.chain },
      ],
      key: words.key,
    };
    findings.set(key, { finding, facts: contextKey(s.facts) ? s.facts : undefined });
  };

  return {
    acquire(held: readonly Held[], taken: Acquisition, pathFacts?: () => Facts): void {
      // A sleeping lock waits: taking one is sleeping. (Callee acquisitions arrive here too, already filtered.)
      if (taken.tryLock || !taken.kind || !SLEEPING.has(taken.kind)) return;
      if (taken.chain.next) return; // inside a callee: its summary's sleep speaks for it
      // With what the path knew of the context queries: `if (!in_interrupt()) down(&sem);` is
      // none in an irq callback. Only those: the lock's order edge stays whatever else the path
      // knew, and so must the sleep it is folded into (order/sleep-folded.ts).
      const context = pathFacts?.().filter((f) => TRUE_IN.hardirq.has(f.key));
      sleepAt(held, taken.after ?? [], { chain: taken.chain, callee: LOCK_CALL[taken.kind] ?? 'a sleeping lock', ...(taken.fault ? { fault: true } : {}), when: taken.when, ...(context?.length ? { facts: context } : {}) });
    },
    call(d, info): void {
      const sleeps = info.effect ? catalogueSleeps(info.effect, info.ev, env.entry.fn) : false;
      if (info.effect && sleeps) {
        const gfp = sleeps === true ? {} : { gfpParam: sleeps.param };
        sleepAt(info.cycled ? withoutCycled(d.held, info.cycled) : d.held, d.gone, { chain: chainOf(info.step), callee: info.ev.callee, ...(info.effect.k === 'sleep' && info.effect.reschedules ? { reschedules: true } : {}), ...(info.effect.k === 'sleep' && info.effect.fault ? { fault: true } : {}), when: info.pathWhen?.(), counted: countedKeys(d.facts), facts: info.pathFacts?.(), ...gfp });
        return;
      }
      const part = info.summary?.parts.get(SLEEP_IN_ATOMIC) as SleepPart | undefined;
      if (!part?.sleep) return;
      for (const s of [part.sleep, ...(part.more ?? [])]) calleeSleep(d, info, s);
    },
    part(): SleepPart {
      // A sleep of the function's own first: one its callers' flags decide comes after any.
      const all = [...best.values()].sort((a, b) => (a.gfpParam !== undefined) !== (b.gfpParam !== undefined) ? (a.gfpParam !== undefined ? 1 : -1) : better(a, b) ? 1 : better(b, a) ? -1 : 0);
      const [sleep, ...more] = all;
      const found = [...findings.values()];
      const knew = found.some((f) => f.facts) ? found.map((f) => f.facts ?? null) : undefined;
      return { ...(sleep ? { sleep } : {}), ...(more.length ? { more } : {}), findings: found.map((f) => f.finding), ...(knew ? { knew } : {}) };
    },
  };

  function calleeSleep(d: Disjunct, info: CallInfo, s: Sleep): void {
    // An allocation with the flags we pass: a sleep if they let it sleep, ours to pass up if they are our parameter.
    let gfpParam: number | undefined;
    if (s.gfpParam !== undefined) {
      const gfp = gfpAt(info.ev, s.gfpParam, env.entry.fn);
      if (!gfp || ('flags' in gfp && !sleepingFlags(gfp.flags))) return;
      if ('param' in gfp) gfpParam = gfp.param;
    }
    // Only where an object of ours can be in the state the callee's path needs.
    const when = s.when ? info.whenHere?.(s.when) : undefined;
    if (when === null) return;
    // Past a release the count kept from happening, of a lock this path took itself: not its way.
    const counted = countedHere(s.counted ?? [], (k) => info.instantiate(refOfKey(k)));
    if (tookItself(d.held, counted.filter((k) => !isPseudo(k)))) return;
    // On a way this path cannot go (the wrapper's semaphore arm, where this path took its spinlock arm).
    const facts = s.facts ? info.factsHere?.(s.facts) : info.pathFacts?.();
    if (facts === null) return;
    // The caller's locks the callee released before sleeping do not make this sleep atomic.
    const refs = s.after.map((k) => ({ k, ref: info.instantiate(refOfKey(k)) }));
    const releasedKeys = releasedHere(s.after, info);
    const released = releasedKeys.map(baseKey);
    let held = released.length ? d.held.filter((h) => !released.includes(baseKey(h.key))) : d.held;
    // One we cannot name (a lock pointer handed down, the lock taken through an accessor's
    // result): the latest unnamed one of that kind we hold, as an unlock of it here would be.
    for (const { k, ref } of refs) {
      const kind = k.startsWith('?') ? (k.slice(1) as LockKind) : ref === null ? info.summary?.releasedKinds?.get(k) : undefined;
      if (kind) held = releaseUnnamedOfKind(held, kind);
    }
    // What the callee released and this function did not take is its caller's too: a sleep
    // passed further up keeps it (`spin_unlock_irq()` two calls below the caller's irqsave).
    sleepAt(held, releasesPassedUp(d, releasedKeys), { chain: prepend(info.step, s.chain), callee: s.callee, ...(s.reschedules ? { reschedules: true } : {}), ...(s.fault ? { fault: true } : {}), when, counted: [...new Set([...counted, ...countedKeys(d.facts)])].sort(), facts, ...(gfpParam !== undefined ? { gfpParam } : {}) });
  }
}

/**
 * A function's sleeps under its own atomic sections, as it runs in `ctx`: not one behind a
 * context test that context answers the other way (`if (!in_interrupt()) msleep()` in an
 * interrupt handler), and per report the shortest witness left.
 */
function ownFindings(part: SleepPart, ctx: 'hardirq' | 'softirq' | 'process'): Finding[] {
  if (!part.knew) return part.findings;
  const best = new Map<string, Finding>();
  part.findings.forEach((f, i) => {
    if (!possibleIn(ctx, part.knew?.[i] ?? undefined)) return;
    const old = best.get(f.key);
    if (!old || (f.evidence[1]?.chain.len ?? 0) < (old.evidence[1]?.chain.len ?? 0)) best.set(f.key, f);
  });
  return [...best.values()];
}

/** Whether some path of the function sleeps, not only by the allocation flags a caller passes. */
export function maySleep(summary: Summary): boolean {
  const p = summary.parts.get(SLEEP_IN_ATOMIC) as SleepPart | undefined;
  return p !== undefined && [p.sleep, ...(p.more ?? [])].some((s) => s !== undefined && s.gfpParam === undefined);
}

/**
 * The sleep a function's callers outside the program can rely on (a join of directories,
 * order/stitch-calls.ts): its nearest one, unless that needs a state of the caller's objects, a
 * nesting count or a test of the context the caller could decide (`when`, `counted`, `facts`).
 */
export function sleepForCallersElsewhere(summary: Summary): SleepOut | undefined {
  const s = (summary.parts.get(SLEEP_IN_ATOMIC) as SleepPart | undefined)?.sleep;
  if (!s || s.when?.length || s.counted?.length || s.facts?.length || s.gfpParam !== undefined) return undefined;
  return { callee: s.callee, chain: s.chain, after: s.after, ...(s.fault ? { fault: true as const } : {}) };
}

export function sleepInAtomicChecker(): Checker {
  return {
    id: SLEEP_IN_ATOMIC,
    recorder,
    shape(part: unknown): string {
      return (part as SleepPart).sleep ? 'sleeps' : '';
    },
    findings(view: ProgramView): Finding[] {
      const out: Finding[] = [];
      const { registered } = contextsOf(view);
      for (const [id, s] of view.summaries) {
        const part = s.parts.get(SLEEP_IN_ATOMIC) as SleepPart | undefined;
        if (part) out.push(...ownFindings(part, registered.get(id)?.find((r) => r.ctx !== 'process')?.ctx ?? 'process'));
      }
      // A callback run in hardirq or softirq context is atomic from its first line.
      for (const [id, regs] of registered) {
        const reg = regs.find((r) => r.ctx !== 'process');
        const part = view.summaries.get(id)?.parts.get(SLEEP_IN_ATOMIC) as SleepPart | undefined;
        // Not a sleep behind `if (!in_interrupt())`: in this context the test is true.
        const sleep = reg && part?.sleep ? [part.sleep, ...(part.more ?? [])].find((s) => s.gfpParam === undefined && possibleIn(reg.ctx, s.facts)) : undefined;
        if (!reg || !sleep) continue;
        const ctx = reg.ctx === 'hardirq' ? '@hardirq' : '@softirq';
        let last = sleep.chain;
        while (last.next) last = last.next;
        out.push({
          kind: 'sleep-in-atomic', locks: [ctx], function: reg.fn.fn.name, file: last.step.file, line: last.step.line,
          title: `sleeping function called from invalid context: ${sleep.callee} in a ${reg.ctx} ${reg.what} callback`,
          evidence: [
            { label: `${reg.fn.fn.name}() runs in ${reg.ctx} context, registered at`, chain: chainOf(reg.at) },
            { label: `${sleep.callee}() may sleep`, chain: prepend(step('enter', reg.fn.fn.name, reg.fn.file, reg.fn.fn.line, { callee: reg.fn.fn.name }), sleep.chain) },
          ],
          key: `${SLEEP_IN_ATOMIC}:${reg.fn.fn.name}:${ctx}`,
        });
      }
      return out;
    },
  };
}
