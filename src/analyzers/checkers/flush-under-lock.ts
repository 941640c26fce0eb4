/**
 * lockdep's work-completion dependency: `flush_work(&w)`, `cancel_work_sync(&w)`,
 * `del_timer_sync(&t)` (and their delayed and sync variants) wait for the callback to finish; if
 * the caller holds L and the callback takes L, neither can proceed. lockdep models the work as
 * a pseudo-lock (`(work_completion)(&w->work)`); here the work or timer object's class
 * (`foo_dev.reset_work`) is matched with what `INIT_WORK(&x->reset_work, fn)` / `setup_timer`
 * registered for it. A flush inside a callee counts for the caller's locks too.
 */
import type { Acquisition, Held } from '../locks/held-set.ts';
import { isPseudo } from '../locks/held-set.ts';
import { isClass, refKey, type LockRef } from '../locks/lock-ref.ts';
import { chainOf, prepend, step, type Chain } from '../locks/witness.ts';
import { contextsOf } from './contexts.ts';
import { heldPastReleases, releasedHere, releasesPassedUp, type Checker, type Finding, type ProgramView, type Recorder, type RecorderEnv } from './types.ts';

export const FLUSH_UNDER_LOCK = 'flush-under-lock';

interface Flush {
  /** The work or timer flushed, in this function's terms (a parameter's member, or a class). */
  object: LockRef;
  chain: Chain;
  /** Locks held (here) while it was flushed. */
  held: readonly Held[];
  /** The caller's locks released before the flush (keys in this function's terms). */
  after?: readonly string[];
  fn: string;
}

interface FlushPart {
  flushes: Flush[];
}

function recorder(env: RecorderEnv): Recorder {
  const flushes = new Map<string, Flush>();
  // One record per (object, lock held while waiting), and one per object with nothing held (to
  // pass it on to callers): a set of held locks per record would grow with every combination
  // of locks the callers hold (seen: 31 of 70 s of a review of fs/super.c's neighbourhood).
  const note = (f: Flush): void => {
    for (const held of f.held.length ? f.held.map((h) => [h]) : [[]]) {
      const k = `${refKey(f.object)}|${held[0]?.key ?? ''}`;
      const old = flushes.get(k);
      if (!old || old.chain.len > f.chain.len) flushes.set(k, { ...f, held });
    }
  };

  return {
    call(d, info): void {
      const held = d.held.filter((h) => !isPseudo(h.key) && !h.phantom);
      if (info.effect?.k === 'flush' && info.effect.what !== 'workqueue' && info.effect.what !== 'kthread') {
        const arg = info.ev.args[info.effect.arg];
        const object = arg ? env.classes.resolve(arg, env.entry) : null;
        if (object) note({ object, chain: chainOf({ ...info.step, op: 'flush', lock: isClass(object) ? object.c : object.text }), held, ...(d.gone.length ? { after: d.gone } : {}), fn: env.entry.fn.name });
        return;
      }
      const part = info.summary?.parts.get(FLUSH_UNDER_LOCK) as FlushPart | undefined;
      for (const f of part?.flushes ?? []) {
        const object = info.instantiate(f.object);
        if (!object) continue;
        // The caller's locks the callee released before waiting (dropped and taken again around
        // the flush) are not held while it waits.
        const released = releasedHere(f.after, info);
        const after = releasesPassedUp(d, released);
        note({ object, chain: prepend(info.step, f.chain), held: [...heldPastReleases(held, released), ...f.held], ...(after.length ? { after } : {}), fn: env.entry.fn.name });
      }

    },
    part(): FlushPart {
      return { flushes: [...flushes.values()] };
    },
  };
}

export function flushUnderLockChecker(): Checker {
  return {
    id: FLUSH_UNDER_LOCK,
    recorder,
    shape(part: unknown): string {
      return (part as FlushPart).flushes.map((f) => refKey(f.object)).sort().join(',');
    },
    findings(view: ProgramView): Finding[] {
      const { byObject } = contextsOf(view);
      const out = new Map<string, Finding>();
      for (const s of view.summaries.values()) {
        for (const f of (s.parts.get(FLUSH_UNDER_LOCK) as FlushPart | undefined)?.flushes ?? []) {
          if (!isClass(f.object) || f.held.length === 0) continue;
          for (const reg of byObject.get(f.object.c) ?? []) {
            const work = view.summaries.get(reg.fn.id);
            for (const h of f.held) {
              // Held only as a token another task's callback gives back: nothing waits on it.
              if (view.signalledLocks.has(h.key)) continue;
              const taken = [...(work?.acquires.values() ?? [])].find((a: Acquisition) => a.key === h.key && !a.tryLock);
              if (!taken) continue;
              const key = `${FLUSH_UNDER_LOCK}:${h.key}:${f.object.c}`;
              let last = f.chain;
              while (last.next) last = last.next;
              if (out.has(key)) continue;
              out.set(key, {
                kind: 'flush-under-lock', locks: [h.key], function: f.fn, file: last.step.file, line: last.step.line,
                title: `waiting for ${reg.fn.fn.name}() (${reg.what} ${f.object.c}) while holding {0}, which it takes`,
                evidence: [
                  { label: '{0} held from', chain: h.chain, lock: h.key },
                  { label: `waits for the ${reg.what} to finish at`, chain: f.chain },
                  { label: `the ${reg.what} function takes {0}`, chain: prepend(step('enter', reg.fn.fn.name, reg.fn.file, reg.fn.fn.line, { callee: reg.fn.fn.name }), taken.chain), lock: h.key },
                ],
                key,
              });
            }
          }
        }
      }
      return [...out.values()];
    },
  };
}
