/**
 * lockdep's "WARNING: bad unlock balance detected!" for a mutex: a callback the kernel runs in a
 * task of its own (registered as a work function, a timer, a kthread: analyze-program.ts
 * signalledLocks) releases a mutex on a way on which it never took it, and waits for it nowhere.
 * Some other task took it, and held it past its return (a command sent to the firmware, the
 * answer's handler giving the mutex back): a mutex has an owner, and only the owner may unlock it
 * (DEBUG_MUTEXES warns; lockdep finds no such lock held by the releasing task, reports, and turns
 * itself off). The mutex orders nothing
 * elsewhere (it is a token, not a lock: lock-order.ts). A semaphore released so is a signal and
 * not reported. Only a release the callback reaches by direct calls counts: one reached through
 * an ops table's member (a driver's ->resume giving back what its ->suspend kept) is part of a
 * protocol between that table's members that lockscope does not see. The evidence: the
 * callback's way to the release, and where it is taken and held past a return.
 */
import type { Acquisition } from '../locks/held-set.ts';
import { refKey, refOfKey } from '../locks/lock-ref.ts';
import type { Summary } from '../locks/summary.ts';
import { chainOf, prepend, step, type Chain } from '../locks/witness.ts';
import type { Checker, Finding, ProgramView, Recorder } from './types.ts';

export const UNLOCK_IMBALANCE = 'bad-unlock-balance';

interface Release {
  key: string;
  chain: Chain;
}

interface ReleasePart {
  /**
   * Locks this function (or a callee it calls directly) releases on some path where the function
   * never took them: its caller's, one witness per key.
   */
  releases: Release[];
}

/** The locks a function releases for its caller through direct calls (its summary's part). */
export function directReleases(s: Summary | undefined): readonly Release[] {
  return (s?.parts.get(UNLOCK_IMBALANCE) as ReleasePart | undefined)?.releases ?? [];
}

function recorder(): Recorder {
  const releases = new Map<string, Chain>();
  return {
    release(_d, key, found, at): void {
      if (!found && !releases.has(key)) releases.set(key, chainOf(at));
    },
    call(d, info): void {
      // Through a pointer (an ops member): not this function's release to judge (see above).
      if (info.ev.indirect || (info.step.via !== undefined && info.step.via !== 'macro')) return;
      for (const r of directReleases(info.summary)) {
        const ref = info.instantiate(refOfKey(r.key));
        if (!ref) continue;
        const key = refKey(ref);
        // What the path holds, the callee releases for it.
        if (releases.has(key) || d.held.some((h) => h.key === key)) continue;
        releases.set(key, prepend(info.step, r.chain));
      }
    },
    part(): ReleasePart {
      return { releases: [...releases].map(([key, chain]) => ({ key, chain })) };
    },
  };
}

/** Where a function takes `key` and returns still holding it: the task that owns the mutex. */
function heldPastReturn(view: ProgramView, key: string): { fn: string; file: string; line: number; a: Acquisition } | undefined {
  for (const e of view.functions) {
    const s = view.summaries.get(e.id);
    if (!s?.exits.some((x) => x.held.some((h) => h.key === key))) continue;
    const a = [...s.acquires.values()].find((x) => x.key === key && !x.tryLock);
    if (a) return { fn: e.fn.name, file: e.file, line: e.fn.line, a };
  }
  return undefined;
}

export function unlockImbalanceChecker(): Checker {
  return {
    id: UNLOCK_IMBALANCE,
    recorder,
    shape: (part: unknown): string => ((part as ReleasePart).releases ?? []).map((r) => r.key).sort().join(','),
    findings(view: ProgramView): Finding[] {
      const out: Finding[] = [];
      const length = (c: Chain): number => (c.next ? 1 + length(c.next) : 1);
      const byId = new Map(view.functions.map((e) => [e.id, e]));
      for (const [key, ids] of [...(view.tokenCallbacks ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        // The callback with the shortest way to the release, as lockdep shows the shortest chain.
        let best: { e: ProgramView['functions'][number]; r: Release; n: number } | undefined;
        for (const id of ids) {
          const e = byId.get(id);
          const r = e ? directReleases(view.summaries.get(id)).find((x) => x.key === key) : undefined;
          const n = r ? length(r.chain) : 0;
          if (e && r && (!best || n < best.n || (n === best.n && e.fn.name < best.e.fn.name))) best = { e, r, n };
        }
        if (!best) continue;
        const { e, r } = best;
        let last = r.chain;
        while (last.next) last = last.next;
        const owner = heldPastReturn(view, key);
        out.push({
          kind: 'bad-unlock-balance', locks: [key], function: e.fn.name, file: last.step.file, line: last.step.line,
          title: `bad unlock balance detected: ${e.fn.name}() releases {0}, which its task does not hold`,
          evidence: [
            { label: `${e.fn.name}() runs in a task of its own and releases {0} at`, chain: prepend(step('enter', e.fn.name, e.file, e.fn.line, { callee: e.fn.name }), r.chain), lock: key },
            // Where some function keeps it past its return: what the release may be the end of.
            // Not a claim that this task did not take it on the path shown (mpt2sas's never did).
            ...(owner ? [{ label: '{0} is taken, and kept after the return, at', chain: prepend(step('enter', owner.fn, owner.file, owner.line, { callee: owner.fn }), owner.a.chain), lock: key }] : []),
          ],
          key: `${UNLOCK_IMBALANCE}:${e.fn.name}:${key}`,
        });
      }
      return out;
    },
  };
}
