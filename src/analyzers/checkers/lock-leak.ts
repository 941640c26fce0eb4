/**
 * sparse's "context imbalance", as lockscope can prove it: a function that takes a lock and
 * releases it itself, but returns still holding it on some paths ("unlock on the error path"
 * fixes). Not a finding: a lock held on every return (a lock wrapper); held or not according to
 * the value returned (a trylock-like wrapper: `return 0` with it, `return -EBUSY` without; an
 * iterator returning an entry with one of several locks, NULL with none); a
 * function annotated __acquires / __cond_acquires / __releases; a lock it only takes (the caller
 * unlocks) or only releases. The evidence is where the lock was taken and the return that leaks it.
 */
import type { Exit } from '../flow/interpreter.ts';
import { baseKey, heldOnError, isMarker, isPseudo, type Held } from '../locks/held-set.ts';
import { refKey, refOfKey, type LockRef } from '../locks/lock-ref.ts';
import { chainOf, step } from '../locks/witness.ts';
import { partFindings, type Checker, type Finding, type ProgramView, type Recorder, type RecorderEnv } from './types.ts';

export const LOCK_LEAK = 'lock-leak';

interface LeakPart {
  findings: Finding[];
}

function recorder(env: RecorderEnv): Recorder {
  const exits: Exit[] = [];
  const taken = new Set<string>();
  const releasedHere = new Set<string>();
  // Counting by class cannot follow these: a lock released before this function took it (its
  // caller's, dropped and taken again), a class taken twice under `_nested` (double_lock()).
  const unsure = new Set<string>();
  return {
    acquire(_held, acq): void {
      if (!acq.chain.next) taken.add(acq.key);
      if (acq.nested || baseKey(acq.key) !== acq.key) unsure.add(baseKey(acq.key));
    },
    release(_d, key, found): void {
      if (found) releasedHere.add(key);
      else unsure.add(baseKey(key));
    },
    // Taken and released through helpers (`foo_lock(d)` / `foo_unlock(d)`, static inline
    // wrappers): a lock a callee returns holding on every path is taken here, one it releases
    // while this path holds it is released here.
    call(d, info): void {
      const exits = info.summary?.exits ?? [];
      if (exits.length === 0) return;
      const keyOf = (ref: LockRef): string | undefined => {
        const r = info.instantiate(ref);
        return r ? refKey(r) : undefined;
      };
      for (const e of exits) {
        for (const h of e.held) {
          if (isPseudo(h.key)) continue;
          const k = keyOf(h.ref);
          if (!k) continue;
          if (h.nested || baseKey(k) !== k) unsure.add(baseKey(k));
          if (exits.every((x) => x.held.some((y) => y.key === h.key))) taken.add(k);
        }
      }
      for (const e of exits) {
        for (const g of e.gone) {
          if (isPseudo(g) || isMarker(g)) continue;
          const k = keyOf(refOfKey(g));
          if (!k) continue;
          if (d.held.some((h) => h.key === k && !h.entry)) releasedHere.add(k);
          else unsure.add(baseKey(k));
        }
      }
    },
    exit(e: Exit): void {
      exits.push(e);
    },
    part(): LeakPart {
      const fn = env.entry.fn;
      if (fn.annotations?.some((a) => a.k !== 'must_hold') || fn.isMacro) return { findings: [] };
      // A lock held on return that the path released as its caller's first is the caller's,
      // dropped and taken again (to sleep on another lock): balanced, not kept.
      const heldAt = (e: Exit): Held[] => e.d.held.filter((h) => h.scope === 0 && !h.entry && !h.phantom && !isPseudo(h.key) && !e.d.gone.includes(h.key));
      const findings: Finding[] = [];
      const kept = [...taken].filter((key) => releasedHere.has(key) && !unsure.has(baseKey(key)));
      // An iterator handing back one of several locks (a seq_file start: the hash chain's lock
      // with an entry of the table, the unresolved queue's with one of the queue, NULL with
      // none): by the value returned, as a trylock-like wrapper of one lock is.
      let withSome = 0;
      let withNone = 0;
      let someOnError = false;
      for (const e of exits) {
        const held = heldAt(e).some((h) => kept.includes(h.key));
        if (held) withSome |= e.ret;
        else withNone |= e.ret;
        if (held && heldOnError(e.ret, fn)) someOnError = true;
      }
      if (kept.length > 1 && withSome && withNone && (withSome & withNone) === 0 && !someOnError) return { findings };
      for (const key of kept) {
        let withRet = 0;
        let withoutRet = 0;
        let onError = false;
        let leak: { exit: Exit; h: Held } | undefined;
        for (const e of exits) {
          const h = heldAt(e).find((x) => x.key === key);
          if (h) {
            withRet |= e.ret;
            if (heldOnError(e.ret, fn)) onError = true;
            if (!leak || leak.h.chain.len > h.chain.len) leak = { exit: e, h };
          } else withoutRet |= e.ret;
        }
        // A trylock-like wrapper: held exactly when it returns success (0, 1, a pointer; a value
        // of unknown sign, `return e->object;`), never with an error (`return -EBUSY;`).
        if (!leak || !withoutRet || ((withRet & withoutRet) === 0 && !onError)) continue;
        findings.push({
          kind: 'lock-leak', locks: [key], function: fn.name, file: env.entry.file, line: leak.exit.line,
          title: `context imbalance in ${fn.name}(): returns holding {0} on some paths`,
          evidence: [
            { label: '{0} taken at', chain: leak.h.chain, lock: key },
            { label: 'returns still holding it at', chain: chainOf(step('return', fn.name, env.entry.file, leak.exit.line, { lock: key })) },
          ],
          key: `lock-leak:${fn.name}:${key}`,
        });
      }
      return { findings };
    },
  };
}

export function lockLeakChecker(): Checker {
  return {
    id: LOCK_LEAK,
    recorder,
    shape: () => '',
    // A semaphore or mutex another task's callback gives back is held past the return on purpose.
    findings: (view: ProgramView): Finding[] => partFindings(view, LOCK_LEAK).filter((f) => !f.locks.some((k) => view.signalledLocks.has(k))),
  };
}
