/**
 * The Checker interface: how a kind of finding plugs into the lock core without touching the
 * walk. While one function is analyzed, a checker's Recorder sees every lock taken (with what
 * is held at that point), every call (with what lockscope knows of the callee) and every way
 * out of the function; it returns its part of the function's summary, which callers' recorders
 * see at their call sites. When every function is done, the checker turns the parts into
 * findings. Lock order (checkers/lock-order.ts) is one checker; irq-safety, sleep in atomic
 * context, lock leaks and flush-under-lock are others.
 */
import type { WorkqueueGates } from '../order/workqueue-gates.ts';
import type { CallEvent } from '../c/ir.ts';
import type { FunctionEntry, Program } from '../c/program.ts';
import type { Exit } from '../flow/interpreter.ts';
import type { Disjunct } from '../flow/state.ts';
import type { Catalogue, LockEffect } from '../locks/catalogue.ts';
import { baseKey, type Acquisition, type Held } from '../locks/held-set.ts';
import type { Facts } from '../flow/facts.ts';
import type { LockClasses } from '../locks/lock-classes.ts';
import { refKey, refOfKey, type LockRef } from '../locks/lock-ref.ts';
import type { Summary } from '../locks/summary.ts';
import type { Chain } from '../locks/witness.ts';
import type { ChainStep, FindingKind } from '../report-types.ts';

/** What a recorder may ask while a function is analyzed. */
export interface RecorderEnv {
  entry: FunctionEntry;
  program: Program;
  classes: LockClasses;
  catalogue: Catalogue;
}

/** A call as a recorder sees it. */
export interface CallInfo {
  ev: CallEvent;
  /** The call step of the caller (`calls foo`, with `via` for pointers and macros). */
  step: ChainStep;
  /** The catalogue entry of the callee, if it is a known API. */
  effect?: LockEffect;
  /** The callee's summary, if it has a body (or several: a call through a pointer). */
  summary?: Summary;
  callee?: FunctionEntry;
  /** Maps a callee's lock reference to the caller's terms. */
  instantiate(ref: LockRef): LockRef | null;
  /**
   * A callee path's member constants (`l->type:=LK_MUTEX`) in the caller's terms, kept for the
   * caller's own parameters; null when no object here can be in that state (c/created-values.ts).
   */
  whenHere?(when: Facts): Facts | undefined | null;
  /** The member constants of the caller's parameters this path knows (for what it passes up). */
  pathWhen?(): Facts | undefined;
  /** What this path knows that its function's callers could test (an exit's facts), for what it passes up. */
  pathFacts?(): Facts;
  /** A callee path's such facts in the caller's terms, with this path's; null where they contradict it. */
  factsHere?(facts: Facts): Facts | null;
  /** Whether this path knows the state a callee's conditional assertion was made in (conditional-requirements.ts). */
  bindsHere?(when: Facts): boolean;
  /** The lock the call drops while it sleeps and takes again (`wait_event_lock_irq(wq, c, lock)`): not held at its sleep. */
  cycled?: string;
}

export interface Recorder {
  /**
   * A lock taken on a path: `taken.chain` starts in this function (a call step first when it is
   * taken inside a callee); `held` is what it is ordered after (the caller's locks the callee
   * released first are already left out).
   */
  acquire?(held: readonly Held[], taken: Acquisition, pathFacts?: () => Facts): void;
  /** A call on a path. */
  call?(d: Disjunct, info: CallInfo): void;
  /** A lock released on a path (`found`: this function held it), at `at`. */
  release?(d: Disjunct, key: string, found: boolean, at: ChainStep): void;
  /**
   * Hardirqs turned on whatever they were (`spin_unlock_irq`, `local_irq_enable`) on a path (`d`:
   * just after), at `at`; `released`: the lock that unlock let go, which this path had taken.
   */
  irqsOn?(d: Disjunct, at: ChainStep, released?: LockRef): void;

  /** A path leaving the function. */
  exit?(exit: Exit): void;
  /** This checker's part of the function's summary. */
  part(): unknown;
}

/** A finding before it is written out: lock keys are internal (class-names.ts names them). */
export interface Finding {
  kind: FindingKind;
  /** Internal lock keys, in the order the report names them. */
  locks: string[];
  /** The function it happens in (for inversions: where the closing lock is taken). */
  function: string;
  file: string;
  line: number;
  /** One line in lockdep's words, with lock keys as `{key}` placeholders the writer names. */
  title: string;
  evidence: { label: string; chain: Chain; lock?: string }[];
  /** The identity across before/after: kind, lock classes, and the function where it matters. */
  key: string;
  notes?: string[];
  /**
   * Every known way to it (inversions and recursions): per edge index, a path id
   * (`heldFn>takenFn`, see order-graph.ts pathOf) and its witness. A path the base did not have
   * is a new way to an old finding.
   */
  paths?: { edge: number; path: string; chain: Chain }[];
  /** Set by the comparison: an unchanged finding the patch adds a new path to. */
  newPath?: { added: string[]; removed: string[]; moved?: boolean; established?: boolean };
  /** Judged safe by a maintainer: shown, never counted for a verdict. */
  suppressed?: Suppression;
}

/**
 * Why a finding is suppressed: an in-source `lockscope: safe-order` annotation (where it was
 * written), or a baseline file that recorded it as known.
 */
export interface Suppression {
  by: 'annotation' | 'baseline';
  reason: string;
  file?: string;
  line?: number;
}



/** Every function's final result, for the program-level part of a checker. */
export interface ProgramView {
  program: Program;
  classes: LockClasses;
  catalogue: Catalogue;
  /** The summary of each function (the unspecialised one), by function id. */
  summaries: ReadonlyMap<number, Summary>;
  functions: readonly FunctionEntry[];
  /** Callers of each function id (direct calls and calls through pointers). */
  callers: ReadonlyMap<number, readonly { caller: FunctionEntry; line: number }[]>;
  /** Kind of each lock class seen. */
  kindOf(key: string): string | undefined;
  /** Classes some function both takes and releases itself (so a semaphore is used as a lock). */
  pairedClasses: ReadonlySet<string>;
  /** Semaphores initialised with a count other than 1: counters, never locks. */
  countingSemaphores: ReadonlySet<string>;
  /**
   * Semaphores and mutexes a callback nothing here calls releases without having taken them:
   * signals to a waiter elsewhere, or the end of an operation another task began. Events, not locks.
   */
  signalledLocks: ReadonlySet<string>;
  /** Of those, the mutexes, each with the registered callbacks that release it for another task (unlock-imbalance.ts). */
  tokenCallbacks?: ReadonlyMap<string, readonly number[]>;
  /** Classes whose instances lockdep_set_class*() gives other classes somewhere. */
  reclassed: ReadonlySet<string>;
  /** Functions nothing here calls that files outside the program call (the front end asks the tree). */
  calledOutside?: ReadonlySet<string>;
  /** Non-static functions only the program calls, by name, and no file outside names (the front end asks the tree). */
  calledOnlyByName?: ReadonlySet<string>;
  /** Gates of a queue's life around an edge made at a function's line (order/workqueue-gates.ts); absent where no queue is destroyed. */
  workqueueGates?: WorkqueueGates;
}

export interface Checker {
  readonly id: string;
  recorder(env: RecorderEnv): Recorder;
  /** A fingerprint of a part, for fixpoints over recursion: what changes the result, not witnesses. */
  shape(part: unknown): string;
  /**
   * The part as a specialised summary keeps it: only what callers read at a call. What only the
   * program-level view reads (from the generic summaries) is dropped: thousands of specialised
   * summaries live until the analysis ends.
   */
  forCallers?(part: unknown): unknown;
  findings(view: ProgramView): Finding[];
}

/**
 * `held` (the caller's locks at a call) less those the callee released before what it passes up
 * (`releasedKeys`, releasedHere's): those are not held there. Flush and reclaim alike.
 */
export function heldPastReleases(held: readonly Held[], releasedKeys: readonly string[]): readonly Held[] {
  const released = releasedKeys.map(baseKey);
  return released.length ? held.filter((h) => !released.includes(baseKey(h.key))) : held;
}

/** The callee's releases before what it passes up (`after`, in its terms), in this function's terms. */
export function releasedHere(after: readonly string[] | undefined, info: CallInfo): string[] {
  return (after ?? []).flatMap((k) => {
    const r = info.instantiate(refOfKey(k));
    return r === null ? [] : [refKey(r)];
  });
}

/**
 * What a function passes up as released before a callee's flush or allocation: its own releases
 * (`gone`), and the callee's of locks it did not take itself, which are its caller's too (the
 * helper two calls below the holder that drops the holder's mutex around the wait).
 */
export function releasesPassedUp(d: { held: readonly Held[]; gone: readonly string[] }, releasedKeys: readonly string[]): readonly string[] {
  const passed = releasedKeys.filter((k) => !d.gone.includes(k) && !d.held.some((h) => !h.entry && baseKey(h.key) === baseKey(k)));
  return passed.length ? [...d.gone, ...passed] : d.gone;
}

/** The findings a checker kept in each function's part (`{ findings }`), over every summary. */
export function partFindings(view: ProgramView, id: string): Finding[] {
  const out: Finding[] = [];
  for (const s of view.summaries.values()) out.push(...((s.parts.get(id) as { findings?: Finding[] } | undefined)?.findings ?? []));
  return out;
}
