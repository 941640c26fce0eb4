/**
 * What a function means to its callers, built bottom-up by function-analysis.ts:
 *   - `acquires`: the locks it may take, each with its witness and the caller's locks it surely
 *     released first (no order from those);
 *   - `exits`: the ways it returns: the values returned (so `if (!grab_super(s))` and
 *     `if (IS_ERR(obj))` split like a trylock), the locks still held (lock wrappers), and the
 *     caller's locks released (unlock wrappers, error paths that drop the caller's lock);
 *     no exit at all: it never returns;
 *   - `requires`: the locks it asserts held on entry (lockdep_assert_held, __must_hold);
 *   - `parts`: each checker's own part (order edges between parameters, where it may sleep...).
 * `instantiate` maps a callee's parameter references onto a call's arguments.
 */
import { isUnitClassOf } from './unit-classes.ts';
import { ANY, type AccessPath, type CallEvent, type Mask } from '../c/ir.ts';
import type { FunctionEntry } from '../c/program.ts';
import type { Acquisition, Held } from './held-set.ts';
import type { LockClasses } from './lock-classes.ts';
import { refKey, withSubclass, type LockRef } from './lock-ref.ts';
import type { LockKind } from '../report-types.ts';
import type { Chain } from './witness.ts';
import { comparisonAtom, comparisonSides } from '../c/comparison.ts';
import { factsKey, TASK, type Fact, type Facts } from '../flow/facts.ts';




export interface ExitCase {
  /** The values returned on these paths. */
  ret: Mask;
  /** Locks (and atomic regions) still held on return, in the callee's terms. */
  held: readonly Held[];
  /** Caller-held locks released on every path of this case (keys in the callee's terms). */
  gone: readonly string[];
  /**
   * What these paths know of the parameters (never assigned in the callee) and the build
   * configuration: `obj_lock(o, type)` holds o->io where `type & EXCL`, so a caller's later
   * obj_unlock(o, type) releases it on the same paths, not on the others.
   */
  facts?: Facts;
  /**
   * Caller locks these paths keep only because a nesting count the callee stepped down was not
   * yet zero (c/counted-releases.ts); its other ways out release them. A caller holding one
   * from its own acquisition added the count that reaches zero: these ways are not its.
   */
  counted?: readonly string[];
  /** Locks every path of this case took exclusively (took-locks.ts): a caller holding one hangs in the callee. */
  took?: readonly string[];
  /**
   * What these paths know of the object they return, rooted at RETURNED (`@ret->*!cpu!attr`: a
   * constructor's fresh zeroed object with the members it stored): the caller's variable
   * assigned the result knows it too.
   */
  returned?: Facts;
  /** Where these paths return a negative value, the error codes they return (`-EINVAL`), when every one is known. */
  codes?: string[];
}

export interface Summary {
  acquires: ReadonlyMap<string, Acquisition>;
  exits: readonly ExitCase[];
  requires: readonly Requirement[];
  parts: ReadonlyMap<string, unknown>;
  /** The kind of each lock it releases, for a caller that cannot name one of them. */
  releasedKinds?: ReadonlyMap<string, LockKind>;
}

/** A lock a function needs held on entry, and the witness of the assertion that says so. */
export interface Requirement {
  ref: LockRef;
  chain: Chain;
  /**
   * The assertion is made only on a state of the lock's own object the path tested
   * (`if (!test_bit(BLOCKING, &eb->bflags)) assert_spin_locked(&eb->lock)`: a lock with modes):
   * it binds a caller only where the caller's path knows that state (see requirementHere).
   */
  when?: Facts;
}

/** What a call passes for one parameter, as far as a specialised summary can use it. */
export interface ArgValue {
  mask: Mask;
  /** A constant flag set: `XFS_ILOCK_EXCL | XFS_IOLOCK_SHARED` is ['XFS_ILOCK_EXCL', 'XFS_IOLOCK_SHARED']. */
  flags?: readonly string[];
  /** The constant as written (`1`, `SINGLE_DEPTH_NESTING`): a lockdep subclass the callee passes on. */
  lit?: string;
  /** One of these numbers (`1029 + base` with base only ever 0 or 16): decides the comparisons all of them decide alike. */
  oneOf?: readonly number[];
  /** `flags` are bits the value holds among others not known (`flags | NO_LOCKING`): a test of one of them is decided, of any other bit not. */
  atLeast?: true;
  /** Flag sets the value was masked with on the way (`gfp & GFP_RECLAIM_MASK`): it holds a bit only if each of them does too. */
  within?: readonly (readonly string[])[];
  /** What the caller's path knows of the object's members, in the callee's words: `it->owner` non-NULL. */
  fields?: readonly { key: string; mask: Mask }[];
  /** `mask` is what the caller's path knew of a variable, not a constant written in the call. */
  learnt?: boolean;
  /** The functions in the object's members (`process_func=replay_one`), from the caller's own local: calls through them reach these. */
  fnptrs?: readonly string[];
}

/**
 * A value written in the call (`NULL`, `0`, `CS_VERBOSE`, `A | B`), not one a path learnt by a
 * test: the same at every call, so worth a specialisation inside a recursive cycle and when a
 * wrapper passes its parameter on unchanged.
 */
export const isWrittenConstant = (a: ArgValue): boolean =>
  a.lit !== undefined || a.flags !== undefined || a.oneOf !== undefined || (a.mask !== ANY && a.learnt !== true && a.fields === undefined);

export const EMPTY_SUMMARY: Summary
 = { acquires: new Map(), exits: [{ ret: 7, held: [], gone: [] }], requires: [], parts: new Map() };

/** The key of an acquisition in `acquires`: one witness per lock, mode, trylock and irq state. */
export const acquisitionKey = (a: Acquisition): string => `${a.key}|${a.read ? 'r' : 'w'}${a.tryLock ? 't' : ''}${a.fault ? 'f' : ''}${a.irq ?? 0}${a.counted ? `#${a.counted.join(',')}` : ''}`;

/** An exit as fixpoints compare it: return values, locks held and released, facts. */
const exitShape = (e: ExitCase): string => `${e.ret}:${e.held.map((h) => h.key).sort().join(',')}/${e.gone.join(',')}/${e.facts ? factsKey(e.facts) : ''}/${e.counted?.join(',') ?? ''}/${e.took?.join(',') ?? ''}`;

/** A fingerprint for fixpoint checks: which locks and exits, not which witnesses. */
export function summaryShape(s: Summary, partShape: (id: string, part: unknown) => string): string {
  const exits = s.exits.map(exitShape).sort();
  const parts = [...s.parts].map(([id, p]) => `${id}=${partShape(id, p)}`);
  return [[...s.acquires.keys()].sort().join(','), exits.join(';'), s.requires.map((r) => `${refKey(r.ref)}${r.when ? `?${factsKey(r.when)}` : ''}`).join(','), ...parts].join('|');
}

/**
 * The caller-side reference for a callee's lock reference at a call: class references stay,
 * parameter references are resolved through the argument expression in the caller.
 */
export function instantiate(ref: LockRef, call: CallEvent, caller: FunctionEntry, classes: LockClasses): LockRef | null {
  if ('c' in ref) return ref;
  if (ref.free !== undefined) {
    // A macro's free variable is the user's variable of that name.
    const r = classes.resolve({ root: ref.free, fields: ref.fields, text: [ref.free, ...ref.fields].join('->') }, caller);
    return r ? withSubclass(r, ref.sub) : null;
  }
  const arg = call.args[ref.p];

  if (!arg) return null;
  if (ref.holderSplit && ref.orClass) return withSubclass(classes.throughArgument(ref.orClass, arg, caller, ref), ref.sub);
  const path: AccessPath = {
    root: arg.root,
    fields: [...arg.fields, ...ref.fields],
    text: ref.fields.length ? `${arg.text.replace(/^&/, '')}->${ref.fields.join('->')}` : arg.text,
  };
  if (arg.cast) path.cast = arg.cast;
  if (arg.rootCall) path.rootCall = arg.rootCall;
  const r = classes.resolve(path, caller);
  const found = ref.fallback ? orFallback(r, ref.fallback, classes) : ref.orClass ? orClass(r, ref.orClass) : r;
  return found ? withSubclass(found, ref.sub) : null;
}

/** An embedded struct's lock in the caller's terms: the class its path names, else the struct member's own. */
function orClass(r: LockRef | null, c: string): LockRef {
  if (!r) return { c, provenance: 'field', kind: undefined, text: c };
  return 'c' in r ? r : { ...r, orClass: r.orClass ?? c };
}

/**
 * A per-unit lock (unit-classes.ts) in the caller's terms: the unit class its path names, or
 * the caller's own parameter still carrying the callee's class, else the one unit that makes
 * such locks, else unknown.
 */
function orFallback(r: LockRef | null, fallback: string, classes: LockClasses): LockRef | null {
  if (r && !('c' in r)) return { ...r, fallback: r.fallback ?? fallback };
  if (r && isUnitClassOf(r.c, fallback)) return r;
  return classes.unitFallback(fallback);
}

/**
 * A callee's fact in the caller's terms at one call: each parameter it reads becomes the
 * argument's text (`type & EXCL` read as `flags & EXCL`), so the caller's own tests of that
 * expression and other callees' facts about it meet under one key. Null when an argument is
 * not a plain access path (a call's result, a cast): nothing the caller could test again.
 * Configuration facts (`#CONFIG_X`) are the same everywhere.
 */
/** `&ev` -> `ev`, `&dhd->pub` -> `dhd->pub`: the object an address argument points to; else undefined. */
export function addressedPath(text: string): string | undefined {
  return /^&\(?([A-Za-z_]\w*(?:(?:->|\.)\w+)*)\)?$/.exec(text.replace(/\s+/g, ''))?.[1];
}

export function translateFact(f: Fact, params: readonly string[], call: CallEvent, caller: FunctionEntry): Fact | null {
  if (f.key.startsWith('#')) return f;
  const bySide = new Map<string, string>();
  const members = new Map<string, string>();
  const reads = new Set<string>();
  // A member of the object passed (`sb->owner`) stays memory in the caller's terms.
  let memory = f.memory;
  for (const r of f.reads) {
    const i = params.indexOf(r);
    // Not a parameter: a variable of the program the callee sets (see `exported`), or the
    // running task's member, the same here.
    if (i < 0 && (!f.memory || r === TASK)) {
      bySide.set(r, r);
      reads.add(r);
      continue;
    }
    const arg = i >= 0 ? call.args[i] : null;
    if (!arg || arg.rootCall || arg.cast) return null;
    // `(s)->lock` in a macro body is `s->lock`.
    const text = arg.text.replace(/\s+/g, '').replace(/^(&?)\((\w+)\)/, '$1$2');
    bySide.set(r, text);
    // `start(&dhd->pub)`: the callee's `pub->info` is our `dhd->pub.info`.
    const address = addressedPath(text);
    if (address) members.set(r, address);
    // A global passed (`lk_wait(sched_lock)`) is read here as a local is: the next call handed it
    // gets what this one said of its members (`sched_lock->type:=LT_SPIN_IRQ`).
    if (arg.root in caller.fn.vars || /^[A-Za-z_]\w*$/.test(arg.root)) reads.add(arg.root);
    if (arg.fields.length > 0 || !(arg.root in caller.fn.vars) || text.startsWith('&')) memory = true;
  }
  const rename = (text: string): string =>
    text.replace(/(?<![\w.>])([A-Za-z_]\w*)(->)?/g, (all, id: string, arrow?: string) => (arrow && members.has(id) ? `${members.get(id)}.` : `${bySide.get(id) ?? id}${arrow ?? ''}`));
  const sides = comparisonSides(f.key);
  let key: string;
  let mask = f.mask;
  if (sides) {
    const atom = comparisonAtom(rename(sides[0]), rename(sides[1]), f.mask);
    key = atom.key;
    mask = atom.truth;
  } else key = rename(f.key);
  // `*psession` of `&session`: our variable itself.
  const pointee = /^\*&([A-Za-z_]\w*)$/.exec(key)?.[1];
  if (pointee !== undefined && pointee in caller.fn.vars) return { key: pointee, mask, reads: [pointee], memory: false, ...(f.assigned ? { assigned: true as const } : {}) };
  return { key, mask, reads: [...reads].sort(), memory, ...(f.assigned ? { assigned: true as const } : {}) };
}

/**
 * `next` with what `prev` had and it lost: acquisitions, ways out and requirements of either.
 * A recursive cycle whose summaries keep trading one exit for another (a lock held on return
 * one round, gone the next) settles once each round can only add; the summaries over-cover
 * both rounds, which is what a caller of an unsettled cycle can rely on.
 */
export function widenSummary(prev: Summary, next: Summary): Summary {
  const nextExits = new Set(next.exits.map(exitShape));
  const lostExits = prev.exits.filter((e) => !nextExits.has(exitShape(e)));
  const lostAcquires = [...prev.acquires].filter(([k]) => !next.acquires.has(k));
  const nextRequires = new Set(next.requires.map((r) => refKey(r.ref)));
  const lostRequires = prev.requires.filter((r) => !nextRequires.has(refKey(r.ref)));
  if (!lostExits.length && !lostAcquires.length && !lostRequires.length) return next;
  return {
    ...next,
    acquires: lostAcquires.length ? new Map([...next.acquires, ...lostAcquires]) : next.acquires,
    exits: lostExits.length ? [...next.exits, ...lostExits] : next.exits,
    requires: lostRequires.length ? [...next.requires, ...lostRequires] : next.requires,
  };
}
