/**
 * lockdep's reclaim dependency: an allocation that may enter direct reclaim with the file
 * system allowed (`GFP_KERNEL`, not `GFP_NOFS` or `GFP_ATOMIC`) can run every registered
 * shrinker before it returns; if the allocating task holds L and a shrinker takes L, the
 * allocation waits on itself. lockdep calls it "inconsistent {RECLAIM_FS-ON-W} ->
 * {IN-RECLAIM_FS-W} usage" (2.6.33 to 4.13) and, since 4.14, a circular dependency through its
 * `fs_reclaim` pseudo-lock. Here the shrinkers are the functions the program stores into a
 * `struct shrinker`'s callbacks (catalogue RECLAIM_CALLBACKS), and an allocation inside a
 * callee counts for the caller's locks too, as a flush does (flush-under-lock.ts).
 *
 * Only sleeping locks count: a spinning lock held across a sleeping allocation is already a
 * sleep in atomic context (sleep-in-atomic.ts), the bug to fix first. A shrinker's trylock never
 * waits (the usual way out: `if (!mutex_trylock(&l)) return 0;`), and two readers do not conflict.
 * Inside the task's no-fs scope (`memalloc_nofs_save()` to `memalloc_nofs_restore()`, here or in
 * a caller) nothing reclaims into the file system. An allocation with the flags a caller passes
 * (`kmalloc(n, gfp)`, gfp-flags.ts) is decided at each call by what is passed. Not seen:
 * `PF_MEMALLOC` set by hand, and shrinkers registered in another directory's program.
 */
import type { CallEvent, FunctionIR } from '../c/ir.ts';
import { ATOMIC_GFP, RECLAIM_CALLBACKS, type LockEffect } from '../locks/catalogue.ts';
import { gfpAt, type Gfp } from './gfp-flags.ts';
import { isPseudo, NO_FS_RECLAIM, type Acquisition, type Held } from '../locks/held-set.ts';
import { isClass } from '../locks/lock-ref.ts';
import { chainOf, prepend, step, type Chain } from '../locks/witness.ts';
import { heldPastReleases, releasedHere, releasesPassedUp, type Checker, type Finding, type ProgramView, type Recorder, type RecorderEnv } from './types.ts';

export const RECLAIM_UNDER_LOCK = 'reclaim-under-lock';

/** Flag sets that let an allocation reclaim with the file system allowed (__GFP_FS and the reclaim bit). */
const FS_RECLAIM_GFP = /^(GFP_KERNEL|GFP_KERNEL_ACCOUNT|GFP_USER|GFP_HIGHUSER\w*|GFP_TEMPORARY)$/;
/** Flag sets that take __GFP_FS (or reclaim) away, whatever else is or'ed in. */
const NO_FS_RECLAIM_GFP = /^(GFP_NOFS|GFP_NOIO|GFP_NOWAIT|GFP_NOIO_ATOMIC)$/;
/** Allocators that always allocate with GFP_KERNEL. */
const KERNEL_ALLOCATORS: ReadonlySet<string> = new Set(['vmalloc', 'vzalloc', 'vmalloc_user', 'vmalloc_node', 'vzalloc_node', 'vmalloc_32']);
/** Lock kinds lockdep tracks that a task sleeps holding (a journal handle too): what a reclaim can wait on. */
const SLEEPING_TRACKED: ReadonlySet<string> = new Set(['mutex', 'rwsem', 'rt_mutex', 'lockdep_map']);

interface Alloc {
  /** From this function to the allocating call. */
  chain: Chain;
  /** Locks held (here or in the callees on the way) while it allocates. */
  held: readonly Held[];
  /** The caller's locks released before the allocation (keys in this function's terms). */
  after?: readonly string[];
  fn: string;
  /** Its flags are the caller's, passed in this parameter: decided at each call (gfp-flags.ts). */
  gfpParam?: number;
}

interface AllocPart {
  allocs: Alloc[];
}

/** Flag sets that reclaim into the file system. */
const fsFlags = (flags: readonly string[]): boolean => flags.some((f) => FS_RECLAIM_GFP.test(f)) && !flags.some((f) => NO_FS_RECLAIM_GFP.test(f) || ATOMIC_GFP.test(f));

/**
 * Does this call of a catalogue API, made in `fn`, allocate with reclaim into the file system
 * allowed? `{ param }`: as the flags `fn`'s caller passes there say.
 */
function fsReclaims(effect: LockEffect | undefined, ev: CallEvent, fn: FunctionIR): boolean | { param: number } {
  if (effect?.k !== 'sleep') return false;
  if (effect.gfpArg === undefined) return KERNEL_ALLOCATORS.has(ev.callee);
  return decided(gfpAt(ev, effect.gfpArg, fn));
}

const decided = (gfp: Gfp | undefined): boolean | { param: number } => (!gfp ? false : 'param' in gfp ? gfp : fsFlags(gfp.flags));

const counts = (h: Held): boolean => !isPseudo(h.key) && !h.phantom && !h.unnamed && !h.entry && h.kind !== undefined && SLEEPING_TRACKED.has(h.kind) && isClass(h.ref);

function recorder(env: RecorderEnv): Recorder {
  // One record per lock held while allocating (the shortest witness), and one with nothing
  // held, to pass on to callers: as flush-under-lock.ts, never one per combination of locks.
  const allocs = new Map<string, Alloc>();
  // `a.held` counts already: this path's locks filtered at the call, a callee's when it kept them.
  const note = (a: Alloc): void => {
    for (const h of a.held.length ? a.held.map((x) => [x]) : [[]]) {
      const k = `${a.gfpParam ?? ''}|${h[0]?.key ?? ''}`;
      const old = allocs.get(k);
      if (!old || old.chain.len > a.chain.len) allocs.set(k, { ...a, held: h });
    }
  };
  return {
    call(d, info): void {
      if (d.held.some((h) => h.key === NO_FS_RECLAIM)) return;
      const held = d.held.filter(counts);
      const fn = env.entry.fn.name;
      const after = d.gone.length ? { after: d.gone } : {};
      const reclaims = fsReclaims(info.effect, info.ev, env.entry.fn);
      if (reclaims) {
        note({ chain: chainOf({ ...info.step, op: 'call' }), held, fn, ...after, ...(reclaims === true ? {} : { gfpParam: reclaims.param }) });
        return;
      }
      const part = info.summary?.parts.get(RECLAIM_UNDER_LOCK) as AllocPart | undefined;
      for (const a of part?.allocs ?? []) {
        // With the flags we pass: reclaiming, ours to pass up, or neither.
        const passed = a.gfpParam === undefined ? true : decided(gfpAt(info.ev, a.gfpParam, env.entry.fn));
        if (!passed) continue;
        // The caller's locks the callee let go before it allocates are not held there.
        const released = releasedHere(a.after, info);
        const passedUp = releasesPassedUp(d, released);
        note({ chain: prepend(info.step, a.chain), held: [...heldPastReleases(held, released), ...a.held], fn, ...(passedUp.length ? { after: passedUp } : {}), ...(passed === true ? {} : { gfpParam: passed.param }) });
      }
    },
    part(): AllocPart {
      return { allocs: [...allocs.values()] };
    },
  };
}

export function reclaimUnderLockChecker(): Checker {
  return {
    id: RECLAIM_UNDER_LOCK,
    recorder,
    shape(part: unknown): string {
      return (part as AllocPart).allocs.map((a) => `${a.gfpParam ?? ''}|${a.held[0]?.key ?? ''}`).sort().join(',');
    },
    findings(view: ProgramView): Finding[] {
      // What each shrinker may wait for: its locks taken by a blocking acquisition.
      const taken = new Map<string, { shrinker: string; file: string; line: number; acq: Acquisition }>();
      for (const { tag, members } of RECLAIM_CALLBACKS) {
        for (const { entry } of view.program.storedInto(tag, members)) {
          for (const a of view.summaries.get(entry.id)?.acquires.values() ?? []) {
            if (a.tryLock || !isClass(a.ref) || view.signalledLocks.has(a.key)) continue;
            const old = taken.get(a.key);
            if (!old || old.acq.chain.len > a.chain.len) taken.set(a.key, { shrinker: entry.fn.name, file: entry.file, line: entry.fn.line, acq: a });
          }
        }
      }
      if (!taken.size) return [];
      const out = new Map<string, Finding>();
      for (const s of view.summaries.values()) {
        for (const a of (s.parts.get(RECLAIM_UNDER_LOCK) as AllocPart | undefined)?.allocs ?? []) {
          if (a.gfpParam !== undefined) continue;
          for (const h of a.held) {
            const t = taken.get(h.key);
            // Two readers do not wait for each other.
            if (!t || (h.read && t.acq.read)) continue;
            const key = `${RECLAIM_UNDER_LOCK}:${h.key}`;
            const old = out.get(key);
            if (old && (old.evidence[1]?.chain.len ?? 0) <= a.chain.len) continue;
            let last = a.chain;
            while (last.next) last = last.next;
            out.set(key, {
              kind: 'reclaim-under-lock', locks: [h.key], function: a.fn, file: last.step.file, line: last.step.line,
              title: `allocating with reclaim into the file system (${last.step.callee ?? 'an allocation'}) while holding {0}, which the shrinker ${t.shrinker}() takes`,
              evidence: [
                { label: '{0} held from', chain: h.chain, lock: h.key },
                { label: 'may enter direct reclaim at', chain: a.chain },
                { label: `the shrinker ${t.shrinker}() takes {0}`, chain: prepend(step('enter', t.shrinker, t.file, t.line, { callee: t.shrinker }), t.acq.chain), lock: h.key },
              ],
              key,
            });
          }
        }
      }
      return [...out.values()];
    },
  };
}
