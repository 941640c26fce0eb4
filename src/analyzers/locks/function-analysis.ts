/**
 * The lock analysis of one function: the flow walk (flow/interpreter.ts) with calls applied
 * through the catalogue (kernel lock APIs), callee summaries (functions with bodies, calls
 * through pointers, macros), sparse annotations and inferred lock/unlock pairs (bodiless
 * ones). Every lock taken, call made and way out is shown to the checkers' recorders. Output:
 * the function's Summary and what could not be followed. No I/O; odd code degrades to
 * "unknown" entries, never an exception.
 */
import { tableAddress } from '../c/ops-tables.ts';
import { isAtomicQuery } from './held-queries.ts';
import { ANY, MEMBER_PATH, N, P, Z, pathText, type AccessPath, type CallEvent, type FunctionIR, type Mask, type Stmt } from '../c/ir.ts';
import { comparisonSides, integerValue, isConstantName } from '../c/comparison.ts';
import type { FunctionEntry, Program } from '../c/program.ts';
import type { Checker, CallInfo, Recorder } from '../checkers/types.ts';
import type { CreatedValues } from '../c/created-values.ts';
import { factOf, factsKey, forget, heldConstant, HOLDS, joinFacts, NO_FACTS, objectFacts, RETURNED, storedMember, TASK, taskMember, withFact, ZEROED, zeroedExcept, zeroedFact, type Fact, type Facts } from '../flow/facts.ts';
import { pointedBy } from '../flow/copies.ts';
import { PURE_CALLS } from '../c/lower-expressions.ts';
import { assignedRoots, atomKeys, callEvents, equalityKeys, opsOf, reassignedRoots } from '../c/call-graph.ts';
import type { ParamMembers } from '../c/param-members.ts';
import { zeroingCallees } from '../c/zeroing.ts';
import { coherentTargets, linkedTargets, handedIn, isAbove, makesObjectsOf, ownTargets } from '../c/module-context.ts';

import { comparedToHeld, RESULT, sameErrorCode, walkFunction, type Exit, type FlowClient, type Outcome } from '../flow/interpreter.ts';
import { heldSignature, type Disjunct } from '../flow/state.ts';
import { ON_ZERO, type ChainStep, type LockKind } from '../report-types.ts';
import { ATOMIC_QUERIES, CONTEXT_QUERIES, effectOf, GFP_SLEEP_BITS, GUARD_TYPES, KERNEL_ADDRESS_LIMITS, sleepingFlags, type Catalogue, type HeldCallback, type LockEffect } from './catalogue.ts';
import type { InferredPairs } from './inferred-pairs.ts';
import { lockPointerParams } from './lock-pointer-params.ts';
import { setupPhase } from './setup-phase.ts';
import { COUNTED, countedCallKey, countedKeys } from '../c/counted-releases.ts';

import { acquisitionWith, baseKey, gatesOf, heldOnError, heldWith, instanceId, isLookedUp, isMarker, lookedUpKey, onUnnamedObject, recursesOn, singleLock, withGone, HARDIRQ_OFF,
 configFacts, countedHere, faultTakesNothing, hangsOn, inAtomic, PREEMPT_OFF, IRQ_HARD, NO_FAULT, pathFrom, IRQ_SOFT, irqBits, isPseudo, lockInside, popRegion, releaseHeld, releaseLatestOfKind, releaseUnnamedOfKind, SOFTIRQ_OFF, tookItself, withoutRoot, type Acquisition, type Held, type Region } from './held-set.ts';
import type { LockClasses } from './lock-classes.ts';
import { isClass, refKey, refOfKey, staticKey, withSubclass, type ClassRef, type LockRef } from './lock-ref.ts';
import { hangsAHolder, holderHangsOn, tookKeys, withTook } from './took-locks.ts';
import { givenAtCall, paramTests } from './param-conditions.ts';
import { memberAnswers, type MemberValues } from '../c/member-values.ts';
import { bitsSetThrough } from '../c/bits-through-pointer.ts';
import { noteRequirement, ownStateTests, requirementHere } from './conditional-requirements.ts';
import { acquisitionKey, addressedPath, instantiate, isWrittenConstant, translateFact, type ArgValue, type ExitCase, type Requirement, type Summary } from './summary.ts';


import { chainOf, chainVisits, lastStep, prepend, prependOnce, renameLast, sameStepsAs, step } from './witness.ts';

export interface FunctionDeps {
  program: Program;
  classes: LockClasses;
  catalogue: Catalogue;
  checkers: readonly Checker[];
  /**
   * The summary of a callee; `args` gives the values the call passes for the callee's tested
   * parameters, for a summary specialised on them. Undefined: no summary yet (recursion).
   */
  summaryOf(callee: FunctionEntry, args: readonly ArgValue[] | undefined, module?: string, held?: readonly string[]): Summary | undefined;
  /**
   * Single-instance locks the callee, or a function below it, asks whether they are held
   * (`rtnl_is_locked()`): a caller holding one gets a summary specialised on that (`held`).
   */
  queriedBelow?: (callee: FunctionEntry) => ReadonlySet<string> | undefined;
  /** The modules whose context changes what the callee reaches through pointers (c/module-context.ts). */
  moduleSensitive?: (callee: FunctionEntry) => ReadonlySet<string>;
  /** Classes seen, with the expression they were seen as and their kind. */
  noteClass(ref: ClassRef, kind: LockKind | undefined): void;
  /** Rounds a loop or the goto labels get to settle (interpreter's MAX_ROUNDS by default). */
  maxRounds?: number;
  /** Bodiless lock/unlock pairs of the whole program. */
  inferred: InferredPairs;
  /** Parameters worth specialising a callee on: tested by it, or passed on to a callee that tests them. */
  condParams?: (callee: FunctionEntry) => readonly number[] | undefined;
  /** Does the callee, or a function a few calls below it, test a member of this name? */
  testsMemberBelow?: (callee: FunctionEntry, member: string) => boolean;
  /** Does the callee, or a function a few calls below it, test this variable of the program's files? */
  testsGlobalBelow?: (callee: FunctionEntry, name: string) => boolean;
  /** Per parameter, the members of the object handed in that the callee (or one it hands it to) stores into. */
  writesThrough?: (callee: FunctionEntry) => ParamMembers;
  /** Per parameter, the members of the object handed in that the callee (or one it hands it to) tests. */
  readsThrough?: (callee: FunctionEntry) => ParamMembers;
  /** A callback the kernel calls with locks held (`catalogue.ts`, HELD_ON_ENTRY_CALLBACKS): which, how (read) and as what (`vm_operations_struct.fault`). */
  heldOnEntry?: (entry: FunctionEntry) => readonly (HeldCallback & { via: string })[] | undefined;
  /** Whether the kernel calls the function with its first argument its own item (a work function's work_struct): never NULL. */
  handedItsItem?: (entry: FunctionEntry) => boolean;
  /** Members nothing sets (c/unset-members.ts): a truth test of one is false. */
  unsetMembers?: ReadonlySet<string>;
  /** Members every store gives a constant flag set (c/unset-members.ts): a test of a bit none names is false. */
  flagMembers?: ReadonlyMap<string, ReadonlySet<string>>;
  /** What members can hold, from every store (c/member-values.ts): a test of a value none gives is false. */
  memberValues?: MemberValues;
  /** What objects hold from their creation (c/created-values.ts): `s->lock->type` is LK_MUTEX. */
  created?: CreatedValues;
}

/** A callee's acquisition seen from one call site, before the path's own state is added. */
interface PreparedAcquisition {
  base: Acquisition;
  inner: string[];
  innerBases: string[];
  /** Acquisition.counted in our terms. */
  counted: string[];
  /**
   * Classes the callee released first on an object it looked up (`~class` in `after`): our lock
   * of that class on an object we cannot name either (a helper looked it up and locked it).
   */
  lookedUp?: string[];
  /** The callee's chain comes back through this function: its own acquisition stands for it in the summary. */
  reentry?: true;
}

export interface FunctionResult {

  summary: Summary;
  /** Lock operations whose lock expression could not be followed. */
  unknownLocks: { line: number; callee: string }[];
  /** Calls to functions with no body in the program (not lock primitives). */
  unknownCalls: number;
  /** Calls through pointers lockscope did not follow, and why. */
  unresolved: { line: number; via: string; reason: string }[];
  /** Fixpoints that stopped at their cap ("loop", "goto"). */
  capped: string[];
  /** Classes this function both takes and releases itself (a semaphore used as a lock). */
  pairedHere: string[];
}

type Operand = { arg: number; field?: string; fixedClass?: string };

/**
 * Analyzes one function against the current summaries of its callees; `module`, the directory
 * of the caller it is analysed for (see c/module-context.ts).
 */
export function analyzeFunction(entry: FunctionEntry, deps: FunctionDeps, entryFacts?: Facts, entryArgs?: readonly ArgValue[], module?: string, heldByCaller?: readonly string[]): FunctionResult {

  const { program, classes, catalogue } = deps;
  const fn: FunctionIR = entry.fn;
  const file = entry.file;
  const recorders: Recorder[] = deps.checkers.map((c) => c.recorder({ entry, program, classes, catalogue }));
  const acquires = new Map<string, Acquisition>();
  const requires = new Map<string, Requirement>();
  const unknownLocks = new Map<string, { line: number; callee: string }>();
  const unresolved = new Map<string, { line: number; via: string; reason: string }>();
  const taken = new Set<string>();
  const released = new Set<string>();
  const releasedKinds = new Map<string, LockKind>();
  let unknownCalls = 0;
  // `ci = ceph_inode(inode)` is the object around inode, not a new one: its caller's is the same.
  const fresh = new Set((fn.fresh ?? []).filter((v) => {
    const maker = fn.freshFrom?.[v];
    return !(maker && program.resolveCallee(maker, file)?.fn.containerAccessor);
  }));
  const setupOf = setupPhase(fn, catalogue);
  const retaken = fresh.size ? droppedAndRetaken(fn, (n) => effectOf(catalogue, n, (x) => program.hasFunction(x))) : new Set<number>();
  const inferred = deps.inferred;

  const unknownLock = (line: number, callee: string): void => {
    unknownLocks.set(`${line}:${callee}`, { line, callee });
  };
  const at = (line: number, op: ChainStep['op'], extra: { lock?: string; callee?: string; via?: string } = {}): ChainStep => step(op, fn.name, file, line, extra);

  /**
   * Remembers a lock this function may take; `after` keeps only what every path released first.
   * Taken in two builds that released different caller locks first (a helper that releases the
   * caller's pm_lock only `#ifndef CONFIG_PM_RUNTIME`), the two are kept apart by build: a caller
   * known to be in one build (it took pm_lock in the same `#ifndef`) gets that build's. So are two
   * builds apart on a macro the Makefile passes only with some objects (`-DWL_CFG80211` with
   * wl_cfg80211.o): a chain from one of those objects is in that build only (order/one-build.ts).
   */
  const noteAcquire = (a: Acquisition): void => {
    const base = acquisitionKey(a);
    const byBuild = a.config?.length ? `${base}@${factsKey(a.config)}` : undefined;
    const apart = byBuild !== undefined && acquires.has(byBuild);
    const k = apart ? (byBuild as string) : base;
    const old = acquires.get(k);
    if (!old) {
      acquires.set(k, a);
      return;
    }
    if (byBuild && !apart && old.config && a.config && otherBuild(old.config, a.config) && ((old.after ?? []).join() !== (a.after ?? []).join() || otherBuild(old.config, a.config, program.objectMacroNames()))) {
      acquires.set(byBuild, a);
      return;
    }
    const behind = (old.behind ?? []).filter((x) => a.behind?.includes(x));
    // A caller's lock one path released first and the other is behind (a holder hangs before
    // it) is one neither path takes this after: released first, for the merge.
    const after = mergedAfter(old, a, behind);
    // The witness must be one that orders the lock after the caller's locks the merged `after`
    // leaves out: the path that released fewer of them first (then, that is behind fewer
    // locks); of two such, the shorter.
    const oldAfter = old.after?.length ?? 0;
    const newAfter = a.after?.length ?? 0;
    const oldBehind = old.behind?.length ?? 0;
    const newBehind = a.behind?.length ?? 0;
    let best = newAfter < oldAfter || (newAfter === oldAfter && (newBehind < oldBehind || (newBehind === oldBehind && old.chain.len > a.chain.len))) ? a : old;
    // A shorter path that lost only on what it is behind or released first is kept beside, as
    // itself: a caller holding none of those gets its witness, with fewer frames for a condition
    // to rule out (a wake-up under a trylock, against a send whose message type never gets there).
    if (best === old && a.chain.len < old.chain.len && !a.nested) {
      const shortKey = `${k}~short`;
      const short = acquires.get(shortKey);
      if (!short || a.chain.len < short.chain.len) acquires.set(shortKey, a);
    }
    // Sanctioned nesting only if every path to it is (one plain acquisition of it is recursion).
    // A path that released the lock itself before taking it again (a callee dropping its
    // caller's lock to wait) is no recursion for a holder either.
    if (best.nested && !(reentersFreely(old) && reentersFreely(a))) best = { ...best, nested: false };
    // Taken in two builds: only what both know of the configuration (and of the objects).
    const config = old.config && a.config ? configFacts(joinFacts(old.config, a.config)) : undefined;
    const sameConfig = config === old.config || (config !== undefined && old.config !== undefined && factsKey(config) === factsKey(old.config));
    const { facts: when, same: sameWhen } = bothSay(old.when, a.when);
    // Decided by a parameter only where every path to it tests it so.
    const { facts: given, same: sameGiven } = bothSay(old.given, a.given);
    // Which object: only where every path reaches the same one.
    const sameObject = old.root === a.root && old.path === a.path;
    if (best === old && after.length === oldAfter && behind.length === oldBehind && sameConfig && sameWhen && sameGiven && sameObject) return;
    const merged = after.length || behind.length || best.after || best.behind || best.config !== config || best.when !== when || best.given !== given || !sameObject ? acquisitionWith(best, after, best.irq, behind) : best;
    if (!sameObject) {
      delete merged.root;
      delete merged.path;
    }
    if (merged !== best) {
      if (config) merged.config = config;
      else delete merged.config;
      if (when) merged.when = when;
      else delete merged.when;
      if (given) merged.given = given;
      else delete merged.given;
    }
    acquires.set(k, merged);
  };

  /** Shows an acquisition to the recorders: ordered after `held` (minus what `skip` names). */
  // Parameters the function never points elsewhere: a lock reached through one is the same
  // object for the whole call, and a caller's (held-set.ts gatesOf).
  const stableParams = new Set(fn.params.map((p) => p.name).filter((p) => !reassignedRoots(fn.body).has(p)));
  /**
   * What an acquisition on this path is behind: the locks it holds (gatesOf) and those it took
   * and let go again (took-locks.ts). A caller holding one hangs there, before it gets here.
   */
  const behindOf = (d: Disjunct): readonly string[] => {
    const gates = gatesOf(d.held, stableParams);
    const took = tookKeys(d.facts);
    return took.length ? [...new Set([...gates, ...took])] : gates;
  };
  const announce = (held: readonly Held[], a: Acquisition, skipBases?: readonly string[], d?: Disjunct): void => {
    // The caller's locks a callee released first, matched by base class as an unlock matches them.
    let order = skipBases?.length ? held.filter((h) => !skipBases.includes(baseKey(h.key))) : held;
    // Taking a lock of a class the task holds is the recursion lockdep reports there, not an
    // order after the other locks held: the task never gets a single lock, and lockdep records
    // nothing after its report (a lock of the class held by a nest_lock or read is no recursion).
    if (!a.tryLock && (singleLock(a) || recursesOn(a)) && order.some((h) => h.key === a.key && !(h.read && a.read) && !h.nested)) order = order.filter((h) => h.key === a.key);
    // What the path knows that callers could test (`in_interrupt()` false): for a lock taken here.
    const facts = d ? (): Facts => d.facts.filter(exported) : undefined;
    for (const r of recorders) r.acquire?.(order, a, facts);
  };

  const lockRefOf = (effect: Operand, call: CallEvent, facts?: Facts): LockRef | null => {
    if (effect.fixedClass) return { c: effect.fixedClass, provenance: 'fixed', kind: undefined, text: effect.fixedClass };
    const arg = call.args[effect.arg];
    if (!arg) return null;
    const path = effect.field ? { ...arg, fields: [...arg.fields, ...effect.field.split('.')], text: `${arg.text.replace(/^&/, '')}->${effect.field.replace(/\./g, '->')}` } : arg;
    const ref = classes.resolve(path, entry);
    if (ref || !facts || path !== arg || arg.fields.length || arg.rootCall !== undefined || !(arg.root in fn.vars)) return ref;
    // `write_lock(lock_p)` where this path stored `lock_p = &ch->obuf_lock` (another path another lock's address).
    const to = pointedBy(facts, arg.root);
    if (to === undefined) return null;
    const root = /^\w+/.exec(to)?.[0] as string;
    return classes.resolve({ root, fields: to.slice(root.length).split(/->|\./).filter(Boolean), text: to }, entry);
  };

  const subclassOf = (call: CallEvent, index: number | undefined): string | undefined => {
    if (index === undefined) return undefined;
    let text = call.args[index]?.text ?? call.lits?.[index];
    // Written, but neither a path nor a number (`MAX_LEVEL - level(eb)`): a subclass not known here.
    if (text === undefined && index < call.args.length) return '(expression)';
    // A parameter the caller passed a constant for (a specialised summary): that constant.
    const p = text !== undefined ? fn.params.findIndex((x) => x.name === text) : -1;
    if (p >= 0 && entryArgs?.[p]?.lit !== undefined) text = entryArgs[p]?.lit;
    return text && text !== '0' ? text : undefined;
  };

  // Members of the parameters' objects the path knows the constant of (`l->type:=LK_SPIN`).
  const pointingParams = new Set(fn.params.map((p) => p.name).filter((p) => !reassignedRoots(fn.body).has(p)));
  const memberConstants = (facts: Facts): Facts | undefined => {
    const out = facts.filter((f) => f.mask === P && f.memory && pointingParams.has(f.reads[0] as string) && memberHolds(f));
    return out.length ? out : undefined;
  };

  /** Takes a lock on a path: recorders see it against what is held (unless it is a trylock); then it is held. */
  const take = (d: Disjunct, ref: LockRef, line: number, o: { kind: LockKind | undefined; read: boolean; nested: boolean; tryLock: boolean; scope: number; root?: string | undefined; region?: Region | undefined; via?: string; callee?: string; reentrant?: boolean; setupUntil?: number | undefined }): Disjunct => {
    const kind = (isClass(ref) ? ref.kind : undefined) ?? o.kind;
    if (isClass(ref)) deps.noteClass(ref, kind);
    const label = isClass(ref) ? ref.c : ref.text;
    // spin_lock_irqsave() takes the lock with irqs already off: the acquisition is irq-safe.
    const irq = irqBits(d.held) | (o.region === HARDIRQ_OFF ? IRQ_HARD | IRQ_SOFT : o.region === SOFTIRQ_OFF ? IRQ_SOFT : 0);
    const acq: Held = {
      ref, key: refKey(ref), kind, read: o.read, nested: o.nested, scope: o.scope,
      chain: chainOf(at(line, o.tryLock ? 'trylock' : 'acquire', { lock: label, ...(o.via ? { via: o.via } : {}), ...(o.callee ? { callee: o.callee } : {}) })),
      ...(d.gone.length ? { after: [...new Set(d.gone)] } : {}),
      ...(o.tryLock ? { tryLock: true } : {}),
      ...(irq ? { irq } : {}),
      ...(o.root && fn.vars[o.root] ? { root: o.root } : {}),
      ...(o.setupUntil !== undefined ? { setupUntil: o.setupUntil } : {}),
    };
    const path = acq.root ? pathFrom(ref.text, acq.root) : undefined;
    if (path !== undefined) acq.path = path;
    const behind = behindOf(d);
    if (behind.length) acq.behind = behind;
    const config = configFacts(d.facts);
    if (config) acq.config = config;
    // The path's member constants go with what recorders and the summary see, not the held entry.
    const when = memberConstants(d.facts);
    // Under a reentrant lock's owner guard: the owner never takes it again (the held entry
    // stays plain: a lock call outside the guard, while owned, is recursion).
    const shown = o.reentrant ? { ...acq, nested: true } : acq;
    announce(d.held, when ? { ...shown, when } : shown, undefined, d);
    const counted = countedKeys(d.facts);
    const given = paramTests(d.facts, stableParams);
    noteAcquire({ ...withoutScope(shown, stableParams), ...(when ? { when } : {}), ...(counted.length ? { counted } : {}), ...(given ? { given } : {}) });
    taken.add(acq.key);
    let held: readonly Held[] = [...d.held, acq];
    if (!o.reentrant && hangsAHolder(acq)) d = { ...d, facts: withTook(d.facts, [acq.key], d.gone) };
    if (o.region) held = [...held, regionEntry(o.region, line)];
    // `mutex_lock(&root->mutex)` dereferences root: from here it is not NULL.
    const root = acq.root;
    if (root && factOf(d.facts, root) !== P) {
      // Replaces what was known of root itself (not what is known of expressions reading it).
      const facts = withFact(d.facts.filter((f) => f.key !== root), { key: root, mask: fn.vars[root]?.ptr ? P : P | N, reads: [root], memory: false });

      return { ...d, held, facts };
    }
    return { ...d, held };
  };

  // Regions entered and left here are balanced here, as locks are (see exitCases).
  const regionEntry = (region: Region, line: number): Held => {
    taken.add(region);
    return {
      ref: { c: region, provenance: 'pseudo', kind: undefined, text: region }, key: region, kind: undefined, read: false, nested: false, scope: 0,
      chain: chainOf(at(line, 'irq-off', { lock: region })),
    };
  };
  /** Leaves a region on a path; one this function did not enter is its caller's (gone, like a lock). */
  const leave = (d: Disjunct, region: Region): Disjunct => {
    released.add(region);
    const held = popRegion(d.held, region);
    // One held on entry (a summary specialised for a caller in the region) is the caller's too.
    const left = [...d.held].reverse().find((h) => h.key === region);
    if (left && !left.entry) return { ...d, held };
    // Counted like a lock: two regions left (irqs restored twice) are two of the caller's ended.
    return { ...d, held, gone: withGone(d.gone, region) };
  };

  /**
   * `spin_unlock_irqrestore(qc->ap->lock, flags)` naming, through structs whose layout is not
   * here (or a pointer member the struct's known part does not declare), a lock no entry of the
   * path holds, while the path holds one this function took with `spin_lock_irqsave(&host->lock,
   * flags)`, the only one saved into that flags variable: the saved flags pair the two
   * (`ap->lock` points to `host->lock`). Not when the unlock's class is known, or another held
   * lock was saved in the same variable.
   */
  const flagsPartner = (d: Disjunct, ref: LockRef, lock: AccessPath | null | undefined, flags: string | undefined): Held | undefined => {
    if (!flags || !isClass(ref) || d.held.some((h) => h.key === refKey(ref))) return undefined;
    if (ref.provenance !== 'path' && !undeclaredPointer(lock)) return undefined;
    const saved = (irqsaveFlags ??= savedFlagsByLine(fn.body, catalogue));
    const partners = d.held.filter((h) => !h.entry && !h.phantom && h.chain.step.function === fn.name && h.chain.step.op === 'acquire' && saved.get(h.chain.step.line) === flags);
    return partners.length === 1 ? partners[0] : undefined;
  };
  let irqsaveFlags: Map<number, string> | undefined;
  /** `qc->ap->lock` (a pointer, not `&x->lock`) where the struct it is read from does not declare the member here. */
  const undeclaredPointer = (a: AccessPath | null | undefined): boolean => {
    if (!a || a.text.startsWith('&') || a.rootCall || a.fields.length === 0) return false;
    const tag = program.structOfPath({ ...a, fields: a.fields.slice(0, -1) }, fn, file);
    return !tag || program.structs.get(tag)?.[a.fields[a.fields.length - 1] as string] === undefined;
  };

  /** Releases a lock on a path; a lock not held here is the caller's (gone), unless it lives in a new object. */
  const drop = (d: Disjunct, ref: LockRef, line: number, root: string | undefined, region?: Region, effectKind?: LockKind): Disjunct => {
    const key = refKey(ref);
    const r = releaseHeld(d.held, key, root);
    for (const rec of recorders) rec.release?.(d, r.key ?? key, r.found, at(line, 'release', { lock: isClass(ref) ? ref.c : ref.text }));
    const held = r.held;
    // Balanced only when what is released is a lock this function took (see exitCases).
    if (r.found && !r.entry) released.add(r.key ?? key);

    const kind = (isClass(ref) ? ref.kind : undefined) ?? d.held.find((h) => h.key === key)?.kind ?? effectKind;
    if (kind && !releasedKinds.has(key)) releasedKinds.set(key, kind);
    // A release of a lock this path released already, with an unnamed lock of its kind held: the
    // pointer was pointed at that lock since (`pte_offset_map_lock(.., &ptl)` after
    // `pte_unmap_unlock(pte, ptl)` dropped the caller's), as one lock is not released twice.
    if (!r.found && kind && d.gone.includes(key)) {
      const after = releaseUnnamedOfKind(held, kind);
      if (after !== held) return { ...d, held: after };
    }
    let gone = d.gone;
    // Unlocking a fresh object's lock (`obj = foo_alloc(); ... spin_unlock(&obj->lock)`) is not
    // the caller's, unless this function takes it again afterwards: then it is dropping its
    // caller's lock around something (`rq = cpu_rq(cpu); unlock(&rq->lock); ...; lock(&rq->lock)`).
    const lookedUp = !r.found && root !== undefined && fresh.has(root) && !retaken.has(line);
    // A lock this path took itself and let go already (a callee's error way out released it) is
    // released twice here, not its caller's lock released: nothing to pass up.
    // An object looked up here still passes up `~class`, as before this rule (dropping that too
    // brought a false jffs2 report back on the whole tree).
    const again = !r.found && !r.entry && tookKeys(d.facts).includes(key);
    if (((!r.found && !lookedUp) || r.entry) && !again) gone = withGone(gone, key);
    else if (lookedUp && isClass(ref)) gone = withGone(gone, lookedUpKey(key));
    // Released again after a re-locking helper: surely released now.
    const relocked = d.relocked?.includes(key) ? d.relocked.filter((k) => k !== key) : d.relocked;
    const out = held === d.held && gone === d.gone && relocked === d.relocked ? d : { ...d, held, gone, ...(relocked ? { relocked } : {}) };
    return region ? leave(out, region) : out;
  };

  /** `cond_resched_lock(&l)`: l is dropped and taken again, after everything else held. */
  const cycle = (d: Disjunct, ref: LockRef, line: number): Disjunct => {
    const key = refKey(ref);
    const mine = d.held.find((h) => h.key === key && !h.entry);
    const acq: Acquisition = {
      ref, key, kind: isClass(ref) ? ref.kind : undefined, read: false, nested: false,
      chain: chainOf(at(line, 'acquire', { lock: isClass(ref) ? ref.c : ref.text })),
      after: [...new Set([...d.gone, ...(mine ? [] : [key])])].sort(),
    };
    announce(d.held, acq, [baseKey(key)], d);

    if (!mine) noteAcquire(acq);
    return d;
  };

  /**
   * might_lock(l), or a fault taking the mmap lock: ordered as taking the lock here (edges from
   * what is held, an acquisition for callers), and held no longer than the call.
   */
  const momentary = (d: Disjunct, ref: LockRef, line: number, o: { kind: LockKind; read: boolean; callee: string; fault: boolean }): void => {
    const kind = (isClass(ref) ? ref.kind : undefined) ?? o.kind;
    if (isClass(ref)) deps.noteClass(ref, kind);
    const irq = irqBits(d.held);
    const acq: Acquisition = {
      ref, key: refKey(ref), kind, read: o.read, nested: false,
      chain: chainOf(at(line, 'acquire', { lock: isClass(ref) ? ref.c : ref.text, callee: o.callee, via: o.fault ? 'fault' : 'might_lock' })),
    };
    if (d.gone.length) acq.after = [...new Set(d.gone)];
    if (irq) acq.irq = irq;
    if (o.fault) acq.fault = true;
    const behind = behindOf(d);
    if (behind.length) acq.behind = behind;
    announce(d.held, acq, undefined, d);
    noteAcquire(acq);
  };

  /** The task's mmap lock, as this function names `&current->mm->mmap_sem` (or `mmap_lock`). */
  let faultRef: LockRef | null | undefined;
  const faultLock = (): LockRef | null => {
    if (faultRef !== undefined) return faultRef;
    const member = program.mmapLockMember();
    return (faultRef = classes.resolve({ root: 'current', fields: ['mm', member], text: `current->mm->${member}` }, entry));
  };

  /** A lock the kernel names (`rtnl_mutex`): the program's own definition of it when it has one (a static of net/core), else the catalogue's class. */
  const namedLock = (name: string, kind: LockKind): LockRef => {
    if (program.lockDefs.has(name)) return { c: name, provenance: 'global', kind, text: name };
    const units = [...program.staticLockDefs].filter(([, defs]) => defs.has(name)).map(([unit]) => unit);
    if (units.length === 1) return { c: staticKey(name, units[0] as string), provenance: 'static', kind, text: name };
    return { c: name, provenance: 'fixed', kind, text: name };
  };

  const region = (d: Disjunct, r: Region, enter: boolean, line: number): Disjunct => (enter ? { ...d, held: [...d.held, regionEntry(r, line)] } : leave(d, r));

  const assertHeld = (d: Disjunct, ref: LockRef, line: number, object?: string): Disjunct => {
    const key = refKey(ref);
    if (d.held.some((h) => h.key === key)) return d;
    const chain = chainOf(at(line, 'hold', { lock: isClass(ref) ? ref.c : ref.text }));
    const when = ownStateTests(d.facts, object);
    noteRequirement(requires, key, { ref, chain, ...(when.length ? { when } : {}) });
    const h: Held = { ref, key, kind: isClass(ref) ? ref.kind : undefined, read: false, nested: false, scope: 0, entry: true, chain };
    return { ...d, held: [...d.held, h] };
  };

  /**
   * After an op that turns hardirqs on unconditionally: the recorders see what is still held.
   * Not a `spin_unlock_irq()` of the caller's lock (`own` false): a function that drops its
   * caller's lock and takes it again (`spin_unlock_irq(q->lock); ...; spin_lock_irq(q->lock)`)
   * leaves irqs as that lock's section has them, by its caller's contract.
   */
  const enabling = (effect: LockEffect, ev: CallEvent, after: Disjunct, own: boolean, released?: LockRef): Disjunct => {
    if (own && 'enables' in effect && effect.enables) for (const r of recorders) r.irqsOn?.(after, at(ev.line, 'irq-on', { callee: ev.callee }), released);
    return after;
  };

  const tell = (d: Disjunct, info: CallInfo): void => {
    info.pathWhen ??= () => memberConstants(d.facts);
    info.pathFacts ??= () => d.facts.filter(exported);
    for (const r of recorders) r.call?.(d, info);
  };

  /** A conditional lock's failure: with the one code it fails with, for a later `== -EINTR`. */
  const failed = (d: Disjunct, effect: Extract<LockEffect, { k: 'tryAcquire' | 'condAcquire' }>): Outcome =>
    effect.k === 'condAcquire' && effect.failsWith ? { d, ret: effect.failure, codes: [effect.failsWith] } : { d, ret: effect.failure };

  /** A catalogue entry applied on one path. */
  const applyEffect = (d: Disjunct, effect: LockEffect, ev: CallEvent, tested: boolean): Outcome[] | undefined => {
    switch (effect.k) {
      case 'acquire':
      case 'tryAcquire':
      case 'condAcquire': {
        let ref = lockRefOf(effect, ev, d.facts);
        if (!ref) {
          unknownLock(ev.line, ev.callee);
          // Held all the same, unnamed: it orders nothing, but the unlock that follows ends it and
          // not some lock the caller holds, and a spinning one still makes the context atomic.
          // Keyed by function and expression, not line: a patch that moves it keeps its findings' identity.
          const key = `?${effect.kind}#${fn.name}:${ev.args[effect.arg]?.text ?? ev.callee}`;
          const placeholder: Held = {
            ref: { c: key, provenance: 'pseudo', kind: effect.kind, text: ev.callee }, key,

            kind: effect.kind, read: effect.read, nested: false, scope: 0, unnamed: true, chain: chainOf(at(ev.line, 'acquire', { lock: '(unnamed)' })),
          };
          let held: readonly Held[] = [...d.held, placeholder];
          if (effect.region) held = [...held, regionEntry(effect.region, ev.line)];
          // A trylock's failure holds nothing, named or not: `if (!spin_trylock(l)) return;` leaks no lock.
          if (effect.k === 'acquire' || !tested) return [{ d: { ...d, held }, ret: ANY }];
          return [{ d: { ...d, held }, ret: effect.success }, failed(d, effect)];
        }
        // A subclass that is a variable (`mutex_lock_nested(&b->m, for_part)`) is not known here:
        // the base class, with the nesting sanctioned.
        const subclass = effect.k !== 'tryAcquire' ? subclassOf(ev, effect.subclassArg) : undefined;
        const variableSubclass = subclass !== undefined && !/^(\d+|[A-Z][A-Z0-9_]*)$/.test(subclass);
        if (subclass && !variableSubclass) ref = withSubclass(ref, subclass);
        const root = ev.args[effect.arg]?.root;
        // A trylock of a lock this path already holds fails: it is not recursion, it is a no.
        const key = refKey(ref);
        if (effect.k === 'tryAcquire' && !effect.read && d.held.some((h) => h.key === key && !h.read && !h.phantom)) return [{ d, ret: effect.failure }];
        const nested = variableSubclass || (effect.k !== 'tryAcquire' && effect.nested);
        const reentrant = root !== undefined && ev.ownerGuarded === root && !ev.ownerStore;
        // Taken only when a count drops to zero: the witness says so (`via: 'count'`).
        const counted = effect.k !== 'tryAcquire' && effect.onZero ? { via: ON_ZERO, callee: ev.callee } : {};
        const setupUntil = setupOf(ev.args[effect.arg]?.text ?? '', ev.line);
        const ok = take(d, ref, ev.line, { kind: effect.kind, read: effect.read, nested, tryLock: effect.k === 'tryAcquire', scope: 0, root, region: effect.region, reentrant, setupUntil, ...counted });
        // The very lock this path holds: the task hangs here (the recursion is recorded), unless
        // the block is guarded so that the holder never gets here (owner or held-query guard).
        const from = root && fn.vars[root] ? root : undefined;
        if (effect.k === 'acquire' && !reentrant && d.held.some((h) => hangsOn(h, { key, root: from, path: from ? pathFrom(ref.text, from) : undefined, read: effect.read, kind: effect.kind }))) return [];
        if (effect.k === 'acquire') return [{ d: ok, ret: ANY }];
        // Split only where the result is looked at: an unchecked trylock is taken to succeed.
        if (!tested) return [{ d: ok, ret: ANY }];
        return [{ d: ok, ret: effect.success }, failed(d, effect)];
      }
      case 'release': {
        const ref = lockRefOf(effect, ev, d.facts);
        if (!ref) {
          unknownLock(ev.line, ev.callee);
          // Whatever it unlocks, it is a lock of this kind: the latest one held ends here, not at
          // some later leak; with none held here, the latest one the caller holds (`?kind`).
          const held = effect.kind ? releaseLatestOfKind(d.held, effect.kind) : d.held;
          let gone = d.gone;
          if (effect.kind && held === d.held && !gone.includes(`?${effect.kind}`)) gone = [...gone, `?${effect.kind}`].sort();
          const out = held === d.held && gone === d.gone ? d : { ...d, held, gone };
          return [{ d: enabling(effect, ev, effect.region ? leave(out, effect.region) : out, gone === d.gone), ret: ANY }];
        }
        const partner = effect.flagsArg !== undefined ? flagsPartner(d, ref, ev.args[effect.arg], ev.args[effect.flagsArg]?.text) : undefined;
        const dropped = partner ? partner.ref : ref;
        const out = drop(d, dropped, ev.line, ev.args[effect.arg]?.root, effect.region, effect.kind);
        return [{ d: enabling(effect, ev, out, out.gone.length === d.gone.length, dropped), ret: ANY }];
      }
      case 'cycle': {
        const ref = lockRefOf(effect, ev, d.facts);
        if (!ref) {
          unknownLock(ev.line, ev.callee);
          return [{ d, ret: ANY }];
        }
        return [{ d: cycle(d, ref, ev.line), ret: ANY }];
      }
      case 'mightLock': {
        const ref = lockRefOf(effect, ev, d.facts);
        if (!ref) unknownLock(ev.line, ev.callee);
        else momentary(d, ref, ev.line, { kind: 'unknown', read: effect.read, callee: ev.callee, fault: false });
        return [{ d, ret: ANY }];
      }
      case 'sleep': {
        // A fault in atomic context takes nothing (in_atomic(): the access fails instead), nor
        // one that cannot happen (NO_FAULT).
        if (!effect.fault || faultTakesNothing(d.held)) return undefined;
        const ref = faultLock();
        if (ref) momentary(d, ref, ev.line, { kind: 'rwsem', read: true, callee: ev.callee, fault: true });
        return undefined;
      }
      case 'region':
        return [{ d: enabling(effect, ev, region(d, effect.region, effect.enter, ev.line), true), ret: ANY }];
      case 'addressLimit': {
        const a = ev.args[effect.arg];
        const kernel = a ? KERNEL_ADDRESS_LIMITS.has(a.text) || (a.rootCall !== undefined && KERNEL_ADDRESS_LIMITS.has(a.rootCall)) : false;
        return [{ d: region(d, NO_FAULT, kernel, ev.line), ret: ANY }];
      }
      case 'phantom': {
        // `__release(local)`: a bare name that is no variable here is a context's name, the same
        // in a macro's body (where a free name would be its caller's variable) as anywhere.
        const arg = ev.args[effect.arg];
        const named = arg && arg.fields.length === 0 && !arg.rootCall && arg.text === arg.root && !(arg.root in fn.vars) && !fn.staticLocks?.[arg.root] && !program.isGlobalVariable(arg.root, file);
        const ref: LockRef | null = named ? { c: arg.root, provenance: 'fixed', kind: undefined, text: arg.root } : lockRefOf(effect, ev, d.facts);
        if (!ref) return [{ d, ret: ANY }];
        // `__cond_lock(x, c)` where c was 0: what c did to the context stays inside it (a get that
        // puts its own reference on failure), as sparse, which sees c as one call, has it.
        if (effect.restore) return [{ d: d.gone.includes(refKey(ref)) ? { ...d, gone: d.gone.filter((k) => k !== refKey(ref)) } : d, ret: ANY }];
        if (!effect.enter) return [{ d: drop(d, ref, ev.line, undefined), ret: ANY }];
        const h: Held = { ref, key: refKey(ref), kind: undefined, read: false, nested: false, scope: 0, phantom: true, ...(effect.handed ? { handed: true as const } : {}), chain: chainOf(at(ev.line, 'hold', { lock: isClass(ref) ? ref.c : ref.text })) };
        return [{ d: { ...d, held: [...d.held, h] }, ret: ANY }];
      }
      case 'noreturn':
        return [];
      case 'assertHeld': {
        const ref = lockRefOf(effect, ev, d.facts);
        return [{ d: ref ? assertHeld(d, ref, ev.line, effect.fixedClass ? undefined : ev.args[effect.arg]?.root) : d, ret: ANY }];
      }
      case 'heldQuery': {
        // Held on this path (or by the caller this summary is for): the answer is yes.
        const ref = lockRefOf(effect, ev, d.facts);
        const key = ref ? refKey(ref) : undefined;
        return [{ d, ret: key !== undefined && d.held.some((h) => h.key === key) ? P : P | Z }];
      }
      default:
        return undefined;
    }
  };

  /**
   * What the path knows of the running task's members, and of the files' variables, that the
   * callee (or a function below it) tests (`if (current->journal_info)` inside a transaction
   * this path began): one more value after the parameters', its fields in `current->m` and
   * `polling:=1` terms (see entryFacts).
   */
  const taskValue = (d: Disjunct, callee: FunctionEntry): ArgValue | undefined => {
    let fields: { key: string; mask: Mask }[] | undefined;
    for (const f of d.facts) {
      if (f.mask === ANY) continue;
      const member = TASK in fn.vars ? undefined : taskMember(f);
      if (member !== undefined && deps.testsMemberBelow?.(callee, member)) (fields ??= []).push({ key: f.key, mask: f.mask });
      // A variable of the files the callee sees too (`polling = TRUE;` before a call whose
      // interrupt routine locks `if (!polling)`): a static only in its own unit.
      const g = sharedGlobal(f, callee);
      if (g !== undefined && deps.testsGlobalBelow?.(callee, g)) (fields ??= []).push({ key: f.key, mask: f.mask });
    }
    return fields ? { mask: ANY, fields } : undefined;
  };
  const sharedGlobal = (f: Fact, callee: FunctionEntry): string | undefined => {
    const g = f.reads.length === 1 && !f.memory ? f.reads[0] : undefined;
    if (g === undefined || g in fn.vars || g in callee.fn.vars || !(f.key === g || f.key.startsWith(`${g}${HOLDS}`))) return undefined;
    if (!program.isGlobalVariable(g, file)) return undefined;
    // One unit sees one variable of a name; across units only a global no static there hides.
    const unit = program.unitOf(file);
    const calleeUnit = program.unitOf(callee.file);
    if (unit === calleeUnit) return g;
    return program.globals.has(g) && !program.statics.get(unit)?.has(g) && !program.statics.get(calleeUnit)?.has(g) ? g : undefined;
  };

  /**
   * The values a call passes for the callee's tested parameters: constants, flag sets
   * (`XFS_ILOCK_EXCL | XFS_IOLOCK_SHARED`), or what the path knows of a variable.
   */
  const isOpsTable = (name: string): boolean => program.isOpsTable(name);
  // bitsAddedByCalls, once per variable of this function.
  const addedBits = new Map<string, string[] | undefined>();
  const argValues = (d: Disjunct, ev: CallEvent, callee: FunctionEntry): ArgValue[] | undefined => {
    const wanted = deps.condParams?.(callee) ?? callee.fn.condParams;
    const task = taskValue(d, callee);
    if (!wanted) return task ? [...callee.fn.params.map((): ArgValue => ({ mask: ANY })), task] : undefined;
    let any = false;
    const values = callee.fn.params.map((_, i): ArgValue => {
      if (!wanted.includes(i)) return { mask: ANY };
      const value = argValue(d, ev, callee, i);
      const fnptrs = pointersPassed(d, ev.args[i], ev.choices?.[i]);
      if (!fnptrs) return value;
      any = true;
      return { ...value, fnptrs };
    });
    if (task) return [...values, task];
    return any ? values : undefined;

    /** `A | B` of names whose values the program declares: their or; undefined if any is not known. */
    function flagsValue(flags: readonly string[]): number | undefined {
      let v = 0;
      for (const f of flags) {
        const x = program.constants.value(f);
        if (typeof x !== 'number') return undefined;
        v |= x;
      }
      return v;
    }

    /** The bits the calls handed `&root` may set in it, when those calls are its only writes; else undefined. Once per root. */
    function bitsAddedByCalls(root: string): string[] | undefined {
      if (addedBits.has(root)) return addedBits.get(root);
      const found = bitsSetByCalls(root);
      addedBits.set(root, found);
      return found;
    }

    function bitsSetByCalls(root: string): string[] | undefined {
      const bits = new Set<string>();
      let ok = true;
      opsOf(fn.body, (o) => {
        if (!ok) return;
        if (o.k === 'set') {
          // The call's own "may have written root" (byCall): what it may write, its callee says.
          if (o.root === root && !o.byCall) ok = false;
          return;
        }
        if (o.assignTo === root) ok = false;
        o.args.forEach((a, i) => {
          if (!ok || !a || a.root !== root || a.fields.length > 0 || a.text.replace(/\s+/g, '') !== `&${root}`) return;
          const callee = o.indirect ? undefined : program.resolveCallee(o.callee, file);
          const set = callee ? bitsSetThrough(callee.fn).get(i) : undefined;
          if (set) for (const b of set) bits.add(b);
          else ok = false;
        });
      });
      return ok ? [...bits] : undefined;
    }

    function argValue(d: Disjunct, ev: CallEvent, callee: FunctionEntry, i: number): ArgValue {
      const c = ev.consts?.[i];
      // `init_le(le, &revoke_ops)`: which ops table, for a callee that points a member at it.
      const table = c === undefined && ev.args[i] ? tableAddress(ev.args[i] as AccessPath, fn, isOpsTable) : undefined;
      if (table !== undefined) {
        any = true;
        return { mask: P, lit: `&${table}` };
      }
      const flags = ev.flags?.[i];
      // A local this path stored a constant in (`ins_len = mod < 0 ? -1 : 0` with mod 0): that
      // constant, as if written in the call, not a value merely learnt by a test.
      const local = ev.args[i];
      if (c === undefined && !flags && local && local.fields.length === 0 && !local.rootCall && local.text === local.root && !fn.params.some((x) => x.name === local.root)) {
        const prefix = `${local.root}${HOLDS}`;
        const stored = d.facts.find((f) => f.key.startsWith(prefix) && f.mask === P);
        const mask = factOf(d.facts, local.root);
        if (stored && mask !== ANY && constantDecides(callee, i)) {
          any = true;
          return { mask, lit: stored.key.slice(prefix.length) };
        }
      }
      // `read_reg(st, 1029 + base)` with `base` a local only ever assigned numbers: one of their sums.
      const offset = ev.offsets?.[i];
      const sums = offset && c === undefined && constantDecides(callee, i) ? localNumbers(offset.root)?.map((v) => v + offset.add) : undefined;
      if (sums?.length) {
        any = true;
        const mask = sums.reduce((m, v) => m | (v < 0 ? N : v > 0 ? P : Z), 0);
        return sums.length === 1 ? { mask, lit: String(sums[0]) } : { mask, oneOf: sums };
      }
      if ((c !== undefined || flags) && constantDecides(callee, i)) {
        any = true;
        const lit = ev.lits?.[i] ?? (flags?.length === 1 ? flags[0] : undefined);
        // A flag name may stand for 0: only the `param & FLAG` tests learn from it, not `if (param)`,
        // unless the program says what each name is (`#define FALSE 0`).
        const known = c === undefined && flags ? flagsValue(flags) : undefined;
        const mask = c ?? (known === undefined ? ANY : known < 0 ? N : known > 0 ? P : Z);
        return { mask, ...(flags ? { flags } : {}), ...(lit !== undefined ? { lit } : {}) };
      }
      // `find(name, flags | NO_LOCKING)`: whatever else it holds, it holds NO_LOCKING.
      const ored = ev.ored?.[i];
      if (ored && constantDecides(callee, i)) {
        any = true;
        const known = flagsValue(ored);
        return { mask: known !== undefined && known !== 0 ? P | N : ANY, flags: ored, atLeast: true };
      }
      const a = ev.args[i];
      // `set_state(p, eRfOn)`: an enumerator is a constant as much as an upper-case name.
      const named = a && c === undefined && !flags && a.fields.length === 0 && !a.rootCall && a.text === a.root && !(a.root in fn.vars) ? program.constants.value(a.root) : undefined;
      if (named !== undefined && a && constantDecides(callee, i)) {
        any = true;
        return { mask: named === null ? ANY : named < 0 ? N : named > 0 ? P : Z, lit: a.root };
      }
      // A parameter this specialisation was given a flag set or constant for, passed on unchanged
      // (`add_to_cache(gfp) { return do_charge(gfp); }`): the callee gets the same; passed masked
      // (`charge(gfp & GFP_RECLAIM_MASK)`), the same flags, limited to the mask.
      const masked = ev.masked?.[i];
      const root = masked ? masked.root : a && a.fields.length === 0 && !a.rootCall && a.text === a.root ? a.root : undefined;
      const p = root !== undefined ? fn.params.findIndex((x) => x.name === root) : -1;
      const given = p >= 0 ? entryArgs?.[p] : undefined;
      if (given && isWrittenConstant(given) && !assignedRoots(fn.body).has(root ?? '')) {
        if (!masked) {
          any = true;
          return given;
        }
        if (given.flags) {
          any = true;
          return { mask: ANY, flags: given.flags, within: [...(given.within ?? []), masked.mask], ...(given.atLeast ? { atLeast: true as const } : {}) };
        }
      }
      // `ack(d, !error)` with error known: the opposite truth (a constant when error was given one).
      const negated = ev.negated?.[i];
      if (negated !== undefined && constantDecides(callee, i)) {
        const m = factOf(d.facts, negated);
        const mask = m === Z ? P : (m & Z) === 0 ? Z : ANY;
        const q = fn.params.findIndex((x) => x.name === negated);
        const written = q >= 0 && !assignedRoots(fn.body).has(negated) && entryArgs?.[q] !== undefined && isWrittenConstant(entryArgs[q] as ArgValue);
        if (mask !== ANY) {
          any = true;
          return { mask, ...(written ? {} : { learnt: true }) };
        }
      }
      // `lookup(.., trans != NULL)` with trans known (still the NULL it was set to): 0 or 1.
      const cmp = ev.conds?.[i];
      if (cmp && constantDecides(callee, i)) {
        const known = d.facts.find((f) => f.key === cmp.key);
        const m = known?.mask ?? ANY;
        const truth = (m & cmp.test) === 0 ? Z : (m & ~cmp.test & ANY) === 0 ? P : ANY;
        if (m !== ANY && truth !== ANY) {
          any = true;
          return { mask: truth, lit: truth === P ? '1' : '0', ...(known?.assigned ? {} : { learnt: true }) };
        }
      }
      // `dpms(c, choose_dpms(c))` under `if (choose_dpms(c))`: a read-only call's result the path
      // already tested (its call atom, FlowClient.pureCall) is what it hands on. As firm as a
      // constant written there (not `learnt`): past the callee's cap it still picks the arm.
      if (a?.rootCall && constantDecides(callee, i)) {
        const text = a.text.replace(/\s+/g, '');
        const tested = d.facts.find((f) => f.key.includes('(') && f.key.replace(/\s+/g, '') === text);
        if (tested && tested.mask !== ANY) {
          any = true;
          return { mask: tested.mask };
        }
      }
      // Written only by callees that set constant bits through its address (`recalc(l, &changed)`):
      // the flags given, with those bits.
      const added = given?.flags && !masked && root !== undefined ? bitsAddedByCalls(root) : undefined;
      if (given?.flags && added && isWrittenConstant(given)) {
        any = true;
        const flags = [...new Set([...given.flags, ...added])].sort();
        return { mask: given.mask === P ? P : ANY, flags, ...(given.within ? { within: given.within } : {}), ...(given.atLeast ? { atLeast: true as const } : {}) };
      }
      // `bus->pub`: a member path handed on, whose own members the callee may test through.
      const memberArg = !!a && !a.rootCall && a.fields.length > 0 && /^[A-Za-z_]\w*(?:(?:->|\.)\w+)+$/.test(a.text);
      if (a && !a.rootCall && (a.fields.length === 0 || a.text.startsWith('&') || memberArg)) {
        // What the path knows of the value itself, for a callee that tests it (or passes it on
        // to one that does), not one that only reads through it. An address (`check(sk, &tw)`)
        // is never NULL.
        const param = callee.fn.params[i]?.name ?? '';
        // `&ev` or `&dhd->pub`: the callee's `p->m` is our `ev.m`, `dhd->pub.m`; `bus->pub`:
        // its `p->m` is our `bus->pub->m`.
        const address = addressedPath(a.text);
        const byAddress = address !== undefined;
        const member = memberArg ? a.text : undefined;
        const mask = !valueTested(callee, i) ? ANY : a.text.startsWith('&') ? P : (d.facts.find((x) => x.key === (member ?? a.root))?.mask ?? ANY);
        const own = a.text === a.root || byAddress || member ? fieldFacts(d.facts, a.root, address ?? member ?? a.root, param, callee, deps.testsMemberBelow, deps.readsThrough?.(callee)[i], byAddress) : undefined;
        // `hc = data; if (hc->autostop) resume(hc)`: a typed copy of a whole variable is tested as
        // that variable (member-copies.ts), so what the path knows of hc's members is data's.
        const copied = a.text === a.root ? fn.aliases?.[a.root] : undefined;
        const viaCopy = copied && copied.fields.length === 0 && !copied.rootCall && copied.root !== a.root ? fieldFacts(d.facts, copied.root, copied.root, param, callee, deps.testsMemberBelow, deps.readsThrough?.(callee)[i]) : undefined;
        const known = own && viaCopy ? [...own, ...viaCopy.filter((f) => !own.some((o) => o.key === f.key))] : (own ?? viaCopy);
        const made = a.text === a.root || member ? createdFields(a.text, param, callee, known) : undefined;
        const pointee = a.text === `&${a.root}` ? pointeeFact(d, a.root, param, callee) : undefined;
        const fields = made || pointee ? [...(known ?? []), ...(made ?? []), ...(pointee ? [pointee] : [])] : known;
        if (mask !== ANY || fields) {
          any = true;
          // An address is written in the call as much as a constant is: not learnt on the path.
          const learnt = mask !== ANY && !a.text.startsWith('&');
          // Field by field, in the order spreads of them gave (at every call on every path).
          const value: ArgValue = { mask };
          if (fields) value.fields = fields;
          if (learnt) value.learnt = true;
          return value;
        }
      }
      return { mask: ANY };
    }
  };

  /**
   * `switch_session(c, &session)` to a callee that tests what it finds there (`s = *psession;
   * if (!s)`): what the path knows of our variable is its `*psession`. A lock held through the
   * variable (`mutex_lock(&session->m)` here, or a lock a callee handed back in it) says it is
   * not NULL.
   */
  const pointeeFact = (d: Disjunct, variable: string, param: string, callee: FunctionEntry): { key: string; mask: Mask } | undefined => {
    if (!param || !Object.values(callee.fn.pointeeCopies ?? {}).includes(param)) return undefined;
    const known = factOf(d.facts, variable);
    const mask = known === ANY && d.held.some((h) => h.root === variable && !h.phantom) ? P : known;
    return mask === ANY ? undefined : { key: `*${param}`, mask };
  };

  /**
   * `lk_signal(sched_lock)`, `lk_signal(group->lock)` with every creation of the objects it
   * holds storing one type (c/created-values.ts): `l->type:=LT_SPIN_IRQ` for a callee comparing
   * `l->type` with constants, as a caller's constant would be (its `switch (l->type)` takes that
   * arm alone).
   */
  const createdFields = (holder: string, param: string, callee: FunctionEntry, known: readonly { key: string }[] | undefined): { key: string; mask: Mask }[] | undefined => {
    const created = deps.created;
    if (!created || !param) return undefined;
    let out: { key: string; mask: Mask }[] | undefined;
    for (const m of comparedMembers(callee, param)) {
      const key = `${param}->${m}`;
      if (known?.some((f) => f.key === key || f.key.startsWith(`${key}${HOLDS}`))) continue;
      const values = created.valuesOf(`${holder}->${m}`, fn, file);
      if (values?.length === 1) (out ??= []).push({ key: `${key}${HOLDS}${values[0] as string}`, mask: P });
    }
    return out;
  };

  /**
   * The functions in the members of the object an argument hands on: this function's own local
   * (`&wc`, with `wc.process_func = f` here), or what its caller said of a parameter passed on
   * unchanged. Sorted `member=function` pairs.
   */
  const pointersPassed = (d: Disjunct, a: AccessPath | null | undefined, choices?: readonly string[]): readonly string[] | undefined => {
    // `in_kernel ? (dump_t)copy_k : (dump_t)copy_u`: one of those functions.
    if (choices?.every((c) => !(c in fn.vars) && program.hasFunction(c))) return choices.map((c) => `=${c}`);
    // `(dump_t)copy_k`: the function, whatever type it is cast to.
    if (a?.cast && a.text !== a.root && program.namesFunction({ ...a, cast: undefined }, fn)) return [`=${a.root}`];
    const isFunction = (name: string): boolean => program.hasFunction(name);
    // `&bd->le`: the tables this path pointed that embedded object's members at (`bd->le.ops:=&t`).
    const embedded = a && !a.rootCall && !a.cast && a.fields.length > 0 ? /^&(\w+(?:(?:->|\.)\w+)+)$/.exec(a.text.replace(/\s+/g, ''))?.[1] : undefined;
    if (embedded) return pathPointers(d.facts, `${embedded}.`, () => false, isOpsTable);
    if (!a || a.fields.length > 0 || a.rootCall || a.cast) return undefined;
    const known = a.text === a.root ? pathPointers(d.facts, `${a.root}->`, isFunction, isOpsTable) : undefined;
    const p = fn.params.findIndex((x) => x.name === a.root);
    if (p >= 0) return withPointers(a.text === a.root && !reassignedRoots(fn.body).has(a.root) ? unstored(entryArgs?.[p]?.fnptrs, a.root) : undefined, known);
    // A function itself (`each_msg(m, &route_msg)`): the pointer is that function (`=route_msg`).
    if ((a.text === a.root || a.text === `&${a.root}`) && program.namesFunction(a, fn)) return [`=${a.root}`];
    const local = program.localPointers(fn, a.root) ?? ((a.text === a.root || a.text === `&${a.root}`) ? program.globalPointers(fn, a.root) : undefined);
    return withPointers(local ? [...local].map(([m, f]) => `${m}=${f}`).sort() : undefined, known);
  };

  /** What the caller said of the object's pointer members, less those this function stores into (`map->lock = ..`). */
  const unstored = (fnptrs: readonly string[] | undefined, root: string): readonly string[] | undefined => {
    if (!fnptrs) return undefined;
    const stored = storedMembersOf(fn.body, root);
    const kept = fnptrs.filter((x) => !stored.has(x.slice(0, x.indexOf('='))));
    return kept.length ? kept : undefined;
  };

  /** A callee's summary at a call: its acquisitions order after what we hold; each way it returns is an outcome. */
  /**
   * A callee's references in our terms at one call, memoized per call and summary: a call in a
   * loop, or on several paths, is instantiated once (resolving lock paths is the costly part).
   */
  const instantiations = new Map<CallEvent, { byRef: Map<LockRef, LockRef | null>; byKey: Map<string, LockRef | null>; acquires: Map<Summary, PreparedAcquisition[]>; facts: Map<Facts, Fact[]> }>();
  const callMemo = (ev: CallEvent): NonNullable<ReturnType<typeof instantiations.get>> => {
    let m = instantiations.get(ev);
    if (!m) instantiations.set(ev, (m = { byRef: new Map(), byKey: new Map(), acquires: new Map(), facts: new Map() }));

    return m;
  };

  /** Our variable handed for the callee's parameter `name` (`kill(dev)`), where the callee never points that parameter elsewhere. */
  const ourVariable = (name: string | undefined, ev: CallEvent, callee: FunctionEntry | undefined): string | undefined => {
    if (name === undefined || !callee || reassignedRoots(callee.fn.body).has(name)) return undefined;
    const i = callee.fn.params.findIndex((p) => p.name === name);
    const arg = i >= 0 ? ev.args[i] : undefined;
    return arg && arg.fields.length === 0 && !arg.rootCall && arg.text === arg.root && arg.root in fn.vars ? arg.root : undefined;
  };
  const applySummary = (d: Disjunct, summary: Summary, ev: CallEvent, callStep: ChainStep, callee: FunctionEntry | undefined): Outcome[] => {
    const memo = callMemo(ev);
    const inst = (ref: LockRef): LockRef | null => {
      let r = memo.byRef.get(ref);
      if (r === undefined) memo.byRef.set(ref, (r = instantiate(ref, ev, entry, classes)));
      return r;
    };
    const instKey = (k: string): LockRef | null => {
      let r = memo.byKey.get(k);
      if (r === undefined) memo.byKey.set(k, (r = instantiate(refOfKey(k), ev, entry, classes)));
      return r;
    };
    // A callee path's member constants in our terms: null where no object of ours can be so.
    const whenHere = (when: Facts): Facts | undefined | null => {
      if (!callee) return undefined;
      const here = when.map((f) => translateFact(f, callee.fn.params.map((p) => p.name), ev, entry)).filter((f): f is Fact => f !== null);
      return here.some((f) => !canHoldHere(f)) ? null : memberConstants(here);
    };
    // A callee path's facts in our terms, with this path's: null where they contradict it.
    const factsHere = (facts: Facts): Facts | null => {
      const both = callee ? withCalleeFacts(d.facts, facts, callee, ev, memo) : d.facts;
      return both && both.filter(exported);
    };
    const bindsHere = (when: Facts): boolean => requirementHere(when, callee, ev, entry, d.facts) === 'binds';
    // Two literals, not a spread of a throwaway object: at every call on every path.
    tell(d, callee ? { ev, step: callStep, summary, callee, instantiate: inst, whenHere, factsHere, bindsHere } : { ev, step: callStep, summary, instantiate: inst, whenHere, factsHere, bindsHere });
    const callerIrq = irqBits(d.held);
    let prepared = memo.acquires.get(summary);
    if (!prepared) {
      prepared = [];
      // Handed the object a reentrant lock's owner guard is on: its lock, the owner does not take again.
      const guarded = ev.ownerGuarded !== undefined && !ev.ownerStore && ev.args.some((x) => x?.root === ev.ownerGuarded);
      // The guard's owner store is in what the branch calls: a lock taken where the owner is stored is the owner's.
      const ownersLock = (a: Acquisition): boolean => {
        if (!ev.ownerStore) return false;
        const at = lastStep(a.chain);
        const taker = program.storedFunction(at.function, at.file);
        return taker !== undefined && storesOwner(taker.fn, ev.ownerStore);
      };
      const throughGuarded = (ref: LockRef): boolean => MEMBER_ROOT.exec(ref.text)?.[1] === ev.ownerGuarded;
      for (const a of summary.acquires.values()) {
        // A chain back through this function is a recursive path: the direct acquisition stands
        // for it in our summary. Only the very lock object this path holds is looked at (below).
        const reentry = chainVisits(a.chain, fn.name);
        if (reentry && a.root === undefined) continue;
        const ref = inst(a.ref);
        if (!ref) continue;
        const inner = (a.after ?? []).map(instKey).filter((r): r is LockRef => r !== null).map(refKey);
        // The callee's path to it, in our terms: an object of ours created another way never
        // takes it; one our caller passes may not (said again in our summary).
        const here = a.when && callee ? a.when.map((f) => translateFact(f, callee.fn.params.map((p) => p.name), ev, entry)).filter((f): f is Fact => f !== null) : undefined;
        if (here?.some((f) => !canHoldHere(f))) continue;
        // Decided by a parameter of the callee: a constant we pass for it may say it is not taken.
        const given = a.given && callee ? givenAtCall(a.given, callee.fn.params.map((p) => p.name), ev, stableParams, program.constants) : undefined;
        if (given === null) continue;
        const when = here ? memberConstants(here) : undefined;
        // Which object it is, and the locks of one object it is behind, in our terms: where the
        // callee reached it through a parameter we handed one of our variables.
        const root = ourVariable(a.root, ev, callee);
        const behind = a.behind?.flatMap((k) => {
          const [key, via, path] = k.split('|');
          if (via === undefined) return [k];
          const ours = ourVariable(via, ev, callee);
          const r = ours ? instKey(key as string) : null;
          return r && ours ? [`${refKey(r)}|${ours}|${path}`] : [];
        });
        // Field by field, as acquisitionWith: spread and rest copies each make a hidden class of
        // their own, and the summaries they go into make every reader of them megamorphic.
        const base: Acquisition = { ref, key: refKey(ref), kind: a.kind, read: a.read, nested: a.nested || (guarded && throughGuarded(ref)) || ownersLock(a), chain: prepend(callStep, renameLast(a.chain, ref)) };
        if (a.tryLock !== undefined) base.tryLock = a.tryLock;
        if (a.irq !== undefined) base.irq = a.irq;
        if (a.fault) base.fault = a.fault;
        if (a.config) base.config = a.config;
        if (when) base.when = when;
        if (given) base.given = given;
        if (behind?.length) base.behind = behind;
        if (root && a.path !== undefined) {
          base.root = root;
          base.path = a.path;
        }
        if (isClass(ref)) deps.noteClass(ref, base.kind);
        const lookedUp = a.after?.filter(isLookedUp).map((k) => k.slice(1));
        prepared.push({ base, inner, innerBases: inner.map(baseKey), counted: countedHere(a.counted ?? [], instKey), ...(lookedUp?.length ? { lookedUp } : {}), ...(reentry ? { reentry } : {}) });
      }
      memo.acquires.set(summary, prepared);
    }
    const noFault = faultTakesNothing(d.held);
    const gates = behindOf(d);
    const pathConfig = configFacts(d.facts);
    const countedOnPath = countedKeys(d.facts);
    for (const p of prepared) {
      const { base, counted, reentry } = p;
      const ours = p.lookedUp?.filter((k) => d.held.some((h) => onUnnamedObject(h, k)));
      const inner = ours?.length ? [...p.inner, ...ours] : p.inner;
      const innerBases = ours?.length ? [...p.innerBases, ...ours.map(baseKey)] : p.innerBases;
      if (base.fault && noFault) continue;
      // Come back into this function through the callee, still holding the lock object it takes
      // again (`ring_lock()` -> ... -> a lockup check -> `ring_lock()`): the task hangs there, the
      // recursion lockdep reports. Nothing else of a re-entry counts; nor does one that released
      // that lock first (a resume of the parent dropping what is, in there, its own lock to wait).
      if (reentry) {
        const hung = d.held.filter((h) => hangsOn(h, { key: base.key, root: base.root, path: base.path, read: base.read, kind: base.kind }) && !innerBases.includes(baseKey(h.key)));
        if (hung.length && !base.tryLock && !base.behind?.some((k) => d.held.some((h) => h.key === k))) announce(hung, base);
        continue;
      }
      // Past a release the count kept from happening, of a lock this path took itself: not its way.
      // Its locks only, where a way out (below) is skipped for a region of ours too: as when added.
      if (tookItself(d.held, counted.filter((k) => !isPseudo(k)))) continue;
      // Taken in a build this path is not in (`#if SMP` around the wrapper's lock, `#if !SMP` here).
      if (base.config && pathConfig && base.config.some((f) => (factOf(pathConfig, f.key) & f.mask) === 0)) continue;
      // Behind a single lock this path holds, and the callee did not release it first: the
      // callee deadlocks on it before it gets here.
      if (base.behind?.some((k) => !inner.includes(k) && d.held.some((h) => h.key === k || (!h.read && instanceId(h) === k)))) continue;
      const after = inner.length || d.gone.length ? [...new Set([...inner.filter((k) => !d.held.some((h) => h.key === k && !h.entry)), ...d.gone])].sort() : [];
      const irq = (base.irq ?? 0) | callerIrq;
      const behind = gates.length ? [...new Set([...(base.behind ?? []), ...gates])] : base.behind;
      let acq: Acquisition = after.length || irq !== (base.irq ?? 0) || behind !== base.behind ? acquisitionWith(base, after.length ? after : base.after, irq, behind) : base;
      if (pathConfig) {
        const config = (base.config ?? []).reduce((facts, f) => withFact(facts, f), pathConfig);
        if (acq === base) acq = acquisitionWith(base, base.after, base.irq, base.behind);
        acq.config = config;
      }
      // The very lock object this path holds, handed down: the callee hangs there, the recursion
      // lockdep reports, and orders nothing after the other locks held.
      const hung = base.root !== undefined && d.held.some((h) => hangsOn(h, { key: base.key, root: base.root, path: base.path, read: base.read, kind: base.kind }));
      if (!base.tryLock) announce(hung ? d.held.filter((h) => h.key === base.key) : d.held, acq, innerBases);
      // A callee dropping and re-taking a lock this path took itself: the summary has that
      // acquisition already (as guarded or not as it was); the re-take adds nothing to it.
      if (inner.includes(base.key) && d.held.some((h) => h.key === base.key && !h.entry)) continue;
      const stillCounted = counted.length || countedOnPath.length ? [...new Set([...counted, ...countedOnPath])].sort() : [];
      if (stillCounted.length) {
        const counted = acquisitionWith(acq, acq.after, acq.irq);
        counted.counted = stillCounted;
        noteAcquire(counted);
      } else noteAcquire(acq);
    }
    // A callee that asserts a lock held: where we do not hold it, our callers must.
    for (const r of summary.requires) {
      // A chain back through this function is a recursive path: the direct requirement stands for it.
      if (chainVisits(r.chain, fn.name)) continue;
      const ref = inst(r.ref);
      if (!ref || d.held.some((h) => baseKey(h.key) === baseKey(refKey(ref))) || d.relocked?.includes(refKey(ref))) continue;
      const here = r.when ? requirementHere(r.when, callee, ev, entry, d.facts) : 'binds';
      if (here === 'void') continue;
      noteRequirement(requires, refKey(ref), { ref, chain: prepend(callStep, r.chain), ...(here === 'binds' ? {} : { when: here }) });
    }
    const out: Outcome[] = [];
    let hung = 0;
    // Ways out kept only because a nesting count was not yet zero, of a lock our caller took:
    // told apart from the others by a fact on each, so our own ways out past this call are
    // counted too (countedKeeps), for a caller that took the lock itself and never goes them.
    const countedAt = countedCall(summary, ev.line, instKey);
    for (const c of summary.exits) {
      // Kept only because a nesting count was not yet zero, of a lock this path took itself: not its way.
      if (c.counted && tookItself(d.held, countedHere(c.counted, instKey))) continue;
      // Its way out holds, newly taken, the very lock this path holds: the task hung in the callee.
      if (c.held.some((h) => {
        const ref = isPseudo(h.key) || h.returned ? null : inst(h.ref);
        const a = ref ? { key: refKey(ref), root: localRoot(h, ev), path: h.path, read: h.read, kind: h.kind } : undefined;
        return a !== undefined && d.held.some((x) => hangsOn(x, a));
      })) {
        hung++;
        continue;
      }
      // Its way out took, on every path, a lock this path holds (took-locks.ts): the task hung there.
      if (c.took && holderHangsOn(d.held, c.took)) {
        hung++;
        continue;
      }
      const known = callee && c.facts ? withCalleeFacts(d.facts, c.facts, callee, ev, memo) : d.facts;
      // The callee's way out contradicts what this path knows: not a way this path can go.
      if (known === null) continue;
      const counted = countedAt ? withFact(known, { key: countedAt, mask: c.counted?.length ? P : Z, reads: [], memory: false }) : known;
      const facts = c.took ? withTook(counted, c.took, d.gone) : counted;
      const applied = applyExit(d, c, inst, instKey, callStep, summary.releasedKinds, ev);
      // Field by field (the keys in the order a spread of them would give).
      const o: Outcome = { d: facts === d.facts ? applied : { ...applied, facts }, ret: c.ret };
      if (c.returned) o.returned = c.returned;
      if (c.codes) o.codes = c.codes;
      out.push(o);
    }
    // Every way out contradicts what this path knows (a callee reading through a pointer the
    // path holds NULL): the path's knowledge failed, not the callee's, so each way out keeps
    // its own facts over ours, and a lock it took on one branch is released on that branch.
    if (out.length === 0 && hung === 0) {
      for (const c of summary.exits) {
        const facts = callee && c.facts ? overriddenByCallee(d.facts, c.facts, callee, ev, memo) : d.facts;
        const applied = applyExit(d, c, inst, instKey, callStep, summary.releasedKinds, ev);
        out.push({ d: facts === d.facts ? applied : { ...applied, facts }, ret: c.ret });
      }
    }
    return retakenRelocked(out, summary, inst);
  };

  /**
   * A callee that may take again a lock this path released, without releasing it first (a
   * helper that re-locks, in a loop or under the test that said it was dropped, what an earlier
   * helper dropped): on its ways out that took nothing, the lock is not known released either
   * (as far as the summary can tell, those are the ways that had nothing to take). It stays
   * released for the summary (gone, so no caller orders its later locks after it) and is
   * marked relocked: an assertion of it there is not reported, nor passed up to callers. A
   * mark, not a held lock, so the paths stay as many as their lock states.
   */
  const retakenRelocked = (out: Outcome[], summary: Summary, inst: (r: LockRef) => LockRef | null): Outcome[] => {
    if (!out.some((o) => o.d.gone.length)) return out;
    const retaken = new Set<string>();
    for (const c of summary.exits) {
      for (const h of c.held) {
        if (isPseudo(h.key) || h.returned || h.entry || h.phantom) continue;
        const ref = inst(h.ref);
        if (ref) retaken.add(refKey(ref));
      }
    }
    if (!retaken.size) return out;
    return out.map((o) => {
      const open = o.d.gone.filter((k) => retaken.has(k) && !o.d.relocked?.includes(k) && !o.d.held.some((h) => baseKey(h.key) === baseKey(k)));
      if (!open.length) return o;
      return { ...o, d: { ...o.d, relocked: [...new Set([...(o.d.relocked ?? []), ...open])].sort() } };
    });
  };

  /** Whether a `x->m:=C` fact in our terms can hold, by what the object's creations stored (c/created-values.ts). */
  const canHoldHere = (f: Fact): boolean => {
    const at = f.mask === P && deps.created ? f.key.indexOf(HOLDS) : -1;
    return at <= 0 || (deps.created as CreatedValues).canHold(f.key.slice(0, at), f.key.slice(at + HOLDS.length), fn, file);
  };

  /** A callee's facts in our terms, memoized per call. */
  const calleeFactsHere = (calleeFacts: Facts, callee: FunctionEntry, ev: CallEvent, memo: ReturnType<typeof callMemo>): Fact[] => {
    let translated = memo.facts.get(calleeFacts);
    if (!translated) {
      const params = callee.fn.params.map((p) => p.name);
      translated = calleeFacts.map((f) => translateFact(f, params, ev, entry)).filter((f): f is Fact => f !== null);
      // Of a local handed by address (`fill(&h, type)`): the call's own "may have written h" keeps them.
      const addressed = new Set(ev.args.flatMap((a) => (addressedLocal(a) ? [a.root] : [])));
      if (addressed.size) translated = translated.map((f) => ((f.memory || f.key === f.reads[0]) && addressed.has(f.reads[0] as string) ? { ...f, call: ev.line } : f));
      memo.facts.set(calleeFacts, translated);
    }
    return translated;
  };

  /** Our facts with the callee's in place of any of ours on the same value. */
  const overriddenByCallee = (facts: Facts, calleeFacts: Facts, callee: FunctionEntry, ev: CallEvent, memo: ReturnType<typeof callMemo>): Facts => {
    let out = facts;
    for (const f of calleeFactsHere(calleeFacts, callee, ev, memo)) out = withFact(out.filter((x) => x.key !== f.key), f);
    return out;
  };

  /** The path's facts with an exit case's facts added (in our terms); null where they contradict. */
  const withCalleeFacts = (facts: Facts, calleeFacts: Facts, callee: FunctionEntry, ev: CallEvent, memo: ReturnType<typeof callMemo>): Facts | null => {
    const here = calleeFactsHere(calleeFacts, callee, ev, memo);
    // What the callee stored on that way (`busy = 0`, `s->owner = NULL`) is what holds after it,
    // whatever held before: also what this path knew the member held (`s->owner:=current`) or
    // how it compared.
    let out = facts;
    for (const f of here) if (f.assigned) out = forgetStored(out, f.key);
    for (const f of here) {
      if (f.assigned) {
        out = withFact(out.filter((x) => x.key !== f.key), f);
        continue;
      }
      if ((factOf(out, f.key) & f.mask) === 0) return null;
      // `ge_owner == current` where this path knows what ge_owner holds (a lock wrapper stored it).
      const sides = comparisonSides(f.key);
      if (sides && (comparedToHeld(out, sides, program.constants) & f.mask) === 0) return null;
      // `l->type:=LK_SPIN` for an object created with another type (c/created-values.ts).
      if (!canHoldHere(f)) return null;
      out = withFact(out, f);
    }
    return out;
  };

  const applyExit = (d: Disjunct, c: ExitCase, inst: (r: LockRef) => LockRef | null, instKey: (k: string) => LockRef | null, callStep: ChainStep, calleeKinds: ReadonlyMap<string, LockKind> | undefined, ev: CallEvent): Disjunct => {
    let held = d.held;
    let gone = d.gone;
    const heldKeys = new Set<string>();
    const added: Held[] = [];
    for (const h of c.held) {
      if (isPseudo(h.key)) {
        added.push({ ...h, scope: 0, chain: prependOnce(callStep, h.chain) });
        continue;
      }
      // An ownerless lock on the object the callee returns, and the result is dropped: handed off.
      if (h.returned && ev.discarded && h.kind && OWNERLESS.has(h.kind)) continue;
      const ref = inst(h.ref);
      if (!ref) continue;
      const key = refKey(ref);
      heldKeys.add(key);
      if (isClass(ref)) deps.noteClass(ref, h.kind);
      added.push(heldWith(h, { ref, key, scope: 0, chain: prependOnce(callStep, renameLast(h.chain, ref)), root: localRoot(h, ev) }));
      // Held here now: if this function releases it too, it is balanced here (see exitCases).
      taken.add(key);
    }
    // Regions whose leaving is cancelled by their re-entry with a lock dropped and retaken inside (below).
    const reentered = new Map<string, number>();
    // Locks before regions: a lock found dropped and retaken says which region went with it.
    for (const k of c.gone.some(isPseudo) ? [...c.gone.filter((g) => !isPseudo(g)), ...c.gone.filter(isPseudo)] : c.gone) {
      if (k.startsWith('?')) {
        // With none of that kind held here, it is our caller's, as an unlock here would be.
        const after = releaseLatestOfKind(held, k.slice(1) as LockKind);
        if (after === held) gone = withGone(gone, k);
        held = after;
        continue;
      }
      if (isLookedUp(k)) {
        // Released on an object looked up again: our lock of that class on an object we cannot
        // name (a helper looked it up and kept it locked); else our caller's, maybe.
        let i = held.length - 1;
        while (i >= 0 && !onUnnamedObject(held[i] as Held, k.slice(1))) i--;
        if (i >= 0) {
          held = [...held.slice(0, i), ...held.slice(i + 1)];
          released.add(k.slice(1));
        } else gone = withGone(gone, k);
        continue;
      }
      if (isPseudo(k)) {
        const n = reentered.get(k) ?? 0;
        if (n > 0) {
          reentered.set(k, n - 1);
          continue;
        }
        // perf_output_put_handle() re-enables the preemption its caller's caller disabled.
        const popped = popRegion(held, k as Region);
        // Ours unless held on entry (a summary specialised for a caller in it): then our caller's.
        const left = [...held].reverse().find((h) => h.key === k);
        if (popped === held || left?.entry) gone = withGone(gone, k);
        held = popped;
        continue;
      }

      const ref = instKey(k);
      if (!ref) {
        // finish_task_switch(this_rq(), prev) unlocks a lock its caller cannot name: the latest of that kind.
        const kind = calleeKinds?.get(k);
        if (kind) held = releaseLatestOfKind(held, kind);
        continue;
      }
      const key = refKey(ref);
      // Dropped and taken again inside (d_wait_lookup): the caller still holds its own. One we do
      // not hold is our caller's, dropped and retaken just the same: nothing changes here (and
      // it must not become a lock of our own, which would order our next callee's acquisitions
      // after it, as if that callee had not released it first).
      if (heldKeys.has(key)) {
        const i = added.findIndex((h) => h.key === key);
        if (i >= 0 && (held.some((h) => h.key === key) || !d.gone.includes(key))) {
          const [retaken] = added.splice(i, 1);
          // Our caller's, and the region its irqsave/_bh entered again: that too is as it was
          // (one we hold is swapped for the callee's, its leaving and entering both applied).
          const leftToo = (r: string): boolean => c.gone.filter((g) => g === r).length > (reentered.get(r) ?? 0);
          const j = retaken && !held.some((h) => h.key === key) ? added.findIndex((h) => isPseudo(h.key) && leftToo(h.key) && sameStepsAs(h.chain, retaken.chain)) : -1;
          if (j >= 0) {
            const [region] = added.splice(j, 1);
            if (region) reentered.set(region.key, (reentered.get(region.key) ?? 0) + 1);
          }
          continue;
        }
      }
      // The callee released a lock we hold: it is gone here too; one our caller holds is gone for it.
      const r = releaseHeld(held, key);
      // Its kind, for our own callers who cannot name it either (`pte_unmap_unlock(pte, ptl)` of a `ptl` handed down).
      const kind = calleeKinds?.get(k);
      // Released twice on this path: the unnamed one its pointer now names (as in drop).
      if (!r.found && kind && gone.includes(key)) {
        const after = releaseUnnamedOfKind(held, kind);
        if (after !== held) {
          held = after;
          continue;
        }
      }
      if (r.found) {
        held = r.held;
        // Released here, through a wrapper: as balanced as a direct unlock (see exitCases).
        if (!r.entry) released.add(r.key ?? key);

      }
      if (kind && !releasedKinds.has(key)) releasedKinds.set(key, kind);
      if (!r.found || r.entry) gone = withGone(gone, key);
    }
    if (added.length) held = [...held, ...added];
    return held === d.held && gone === d.gone ? d : { ...d, held, gone };
  };

  /** The local a callee's lock is reached through here: the one its result lands in, or the argument it came through. */
  const localRoot = (h: Held, ev: CallEvent): string | undefined => {
    if (h.returned) return ev.assignTo && ev.assignTo in fn.vars ? ev.assignTo : ev.returned ? RESULT : ev.storedTo !== undefined ? `${OUT}${ev.storedTo}` : undefined;
    const arg = h.arg !== undefined ? ev.args[h.arg] : null;
    return arg && !arg.rootCall && arg.root in fn.vars ? arg.root : undefined;
  };

  /** Bodiless: a sparse annotation, an inferred lock/unlock pair, or unknown. */
  const applyBodiless = (d: Disjunct, ev: CallEvent, tested: boolean): Outcome[] => {
    const annotations = program.prototypes.get(ev.callee)?.find((p) => p.annotations)?.annotations;
    if (annotations) {
      let cur = d;
      const proto = program.prototypes.get(ev.callee)?.find((p) => p.annotations);
      for (const a of annotations) {
        const ref = annotationRef(a.arg, proto?.params.map((p) => p.name) ?? [], ev);
        if (!ref) continue;
        if (a.k === 'acquires') cur = take(cur, ref, ev.line, { kind: isClass(ref) ? ref.kind : undefined, read: false, nested: false, tryLock: false, scope: 0 });
        else if (a.k === 'releases') cur = drop(cur, ref, ev.line, undefined);
        else if (a.k === 'cond_acquires' && tested) {
          const ok = take(cur, ref, ev.line, { kind: isClass(ref) ? ref.kind : undefined, read: false, nested: false, tryLock: true, scope: 0 });
          return [{ d: ok, ret: P | N }, { d: cur, ret: Z }];
        }
      }
      tell(d, { ev, step: at(ev.line, 'call', { callee: ev.callee }), instantiate: () => null });
      return [{ d: cur, ret: ANY }];
    }
    const pair = inferred.get(ev.callee);
    const released = pair?.defined ? releaseWhatLockHolds(d, ev, pair.cls) : undefined;
    if (released) return [{ d: released, ret: ANY }];
    if (pair && !pair.defined) {
      // Handed a lock (`hw_spin_lock(&a)`), one class per lock; handed an object (`lock_vol(v)`,
      // `lock_vol(inode->i_vol)`), the lock inside it: one parameter type, one class.
      const arg = ev.args[0] ? classes.resolve(ev.args[0], entry) : null;
      const perLock = arg && isClass(arg) && (arg.kind !== undefined || ev.args[0]?.text.startsWith('&'));
      const cls = perLock ? `${pair.cls}(${arg.c})` : pair.cls;
      const ref: LockRef = { c: cls, provenance: 'inferred', kind: 'inferred', text: `${ev.callee}()` };
      if (pair.role === 'unlock') return [{ d: drop(d, ref, ev.line, ev.args[0]?.root), ret: ANY }];
      const ok = take(d, ref, ev.line, { kind: 'inferred', read: false, nested: pair.nested === true, tryLock: false, scope: 0, root: ev.args[0]?.root });
      // A tested lock call may fail: `if (hw_sem_lock(a)) return -EIO;` (int: 0 is success),
      // `if (!lock_sighand(t))` (a pointer: non-NULL is success). Without a prototype, only a
      // test for zero says it (`if (!lock_fb_info(info)) return -ENODEV;`: zero is failure).
      // Kept in a plain int (`ret = ttm_read_lock(l, true); if (ret) return ret;`): the kernel's
      // int convention, 0 is success, as a prototype returning int would say.
      const into = ev.assignTo === undefined ? undefined : fn.vars[ev.assignTo];
      const returns = program.prototypes.get(ev.callee)?.[0]?.returns ?? (into?.k === 'other' && into.name === '' && !into.ptr ? into : undefined);
      if (tested && !returns && ev.failsOnZero) return [{ d: ok, ret: P | N }, { d, ret: Z }];
      if (!tested || !returns) return [{ d: ok, ret: ANY }];
      const pointer = returns.k === 'struct' || returns.k === 'typedef';
      return pointer ? [{ d: ok, ret: P }, { d, ret: Z }] : [{ d: ok, ret: Z }, { d, ret: P | N }];
    }
    unknownCalls++;
    tell(d, { ev, step: at(ev.line, 'call', { callee: ev.callee }), instantiate: () => null });
    return [{ d, ret: ANY }];
  };

  /** A bodiless `unlock_foo(x)`: releases the locks `lock_foo(x)`, defined here, holds on return. */
  const releaseWhatLockHolds = (d: Disjunct, ev: CallEvent, lockName: string): Disjunct | undefined => {
    const lock = program.resolveCallee(lockName, file);
    if (!lock || lock.fn.params.length !== ev.args.length) return undefined;
    const summary = deps.summaryOf(lock, undefined);
    const refs = new Map<string, { ref: LockRef; root: string | undefined }>();
    for (const e of summary?.exits ?? []) {
      for (const h of e.held) {
        if (isPseudo(h.key) || h.phantom || h.unnamed) continue;
        const ref = instantiate(h.ref, ev, entry, classes);
        if (ref) refs.set(refKey(ref), { ref, root: 'p' in h.ref ? ev.args[h.ref.p]?.root : undefined });
      }
    }
    if (refs.size === 0) return undefined;
    let out = d;
    for (const { ref, root } of refs.values()) out = drop(out, ref, ev.line, root);
    return out;
  };

  /** `__acquires(&p->lock)` on a prototype: the lock it names, in the caller's terms. */
  const annotationRef = (text: string, params: string[], ev: CallEvent): LockRef | null => {
    const m = /^&?\(?([A-Za-z_]\w*)\)?((?:(?:->|\.)[A-Za-z_]\w*)*)$/.exec(text.replace(/\s+/g, ''));
    if (!m) return null;
    const root = m[1] as string;
    const fields = (m[2] ?? '').split(/->|\./).filter(Boolean);
    const p = params.indexOf(root);
    if (p >= 0) return instantiate({ p, fields, text }, ev, entry, classes);
    return classes.resolve({ root, fields, text }, entry);
  };

  const callOne = (d: Disjunct, ev: CallEvent, scope: number, tested: boolean): Outcome[] => {
    if (ev.guard !== undefined) {
      const g = GUARD_TYPES.get(ev.guard);
      if (!g) return [{ d, ret: ANY }];
      if (!('kind' in g)) return [{ d: { ...d, held: [...d.held, { ...regionEntry(g.region, ev.line), scope }] }, ret: ANY }];
      const arg = ev.args[0];
      const ref = arg ? classes.resolve(arg, entry) : null;
      if (!ref) {
        unknownLock(ev.line, `guard(${ev.guard})`);
        return [{ d, ret: ANY }];
      }
      let next = take(d, ref, ev.line, { kind: g.kind, read: g.read, nested: false, tryLock: false, scope, root: arg?.root });
      if (g.region) next = { ...next, held: [...next.held, { ...regionEntry(g.region, ev.line), scope }] };
      return [{ d: next, ret: ANY }];
    }
    if (ev.indirect) return callIndirect(d, ev);
    // `func(data)` where func is a parameter (a typedef'd function pointer): a call through it.
    if (fn.params.some((p) => p.name === ev.callee) && !program.hasFunction(ev.callee)) return callIndirect(d, { ...ev, indirect: { object: null, member: ev.callee } });

    // `preempt_count()` tested (`if (!preempt_count() && need_resched())`): not 0 where the path is atomic.
    if (isAtomicQuery(program, ev)) return [{ d, ret: atomicHere(d.held) ? P : ANY }];
    const effect = effectOf(catalogue, ev.callee, (n) => program.resolveCallee(n, file) !== undefined);
    // kfree(p) holding p's own lock (a teardown): the lock goes with the object. The free's own
    // body, when the snapshot has the allocator, is followed as any call.
    if (effect?.k === 'free') return freed(callBody(d, ev, tested), ev.args[effect.arg]);
    if (effect?.k === 'lastPut') return lastPut(d, effect, ev, tested);
    if (effect) {
      const out = applyEffect(d, effect, ev, tested);
      const cycled = effect.k === 'cycle' && effect.sleeps ? lockRefOf(effect, ev, d.facts) : null;
      tell(d, { ev, step: at(ev.line, 'call', { callee: ev.callee }), effect, instantiate: () => null, ...(cycled ? { cycled: refKey(cycled) } : {}) });
      if (out) return out;
      return [{ d, ret: waitsForMemory(d, effect, ev) ? P : ANY }];
    }
    return callBody(d, ev, tested);
  };

  /**
   * `mempool_alloc(pool, gfp)` allowed to sleep: written with sleeping flags, or on a path that
   * knows the flags hold a sleeping bit (`if (gfp & __GFP_WAIT) mutex_lock(..)` before it). It
   * never returns NULL there.
   */
  const waitsForMemory = (d: Disjunct, effect: LockEffect, ev: CallEvent): boolean => {
    if (effect.k !== 'sleep' || !effect.waits || effect.gfpArg === undefined) return false;
    const flags = ev.flags?.[effect.gfpArg];
    if (flags) return sleepingFlags(flags);
    const a = ev.args[effect.gfpArg];
    if (!a || a.rootCall) return false;
    const prefix = `${a.text}&`;
    return d.facts.some((f) => f.key.startsWith(prefix) && GFP_SLEEP_BITS.test(f.key.slice(prefix.length)) && (f.mask & Z) === 0);
  };

  /**
   * The module a callee in another directory is analysed for: ours, where that changes what it
   * reaches. A context above our own directory (the core at the program's root calling a
   * driver's callback) says less than our own: the driver's objects are what we hand on.
   */
  const own = program.moduleOf(file);
  const outgoing = module !== undefined && !isAbove(module, own) ? module : own;
  const moduleFor = (callee: FunctionEntry): string | undefined =>
    program.moduleOf(callee.file) !== outgoing && deps.moduleSensitive?.(callee).has(outgoing) ? outgoing : undefined;
  /** The locks this path holds that the callee asks about (queriedBelow). */
  const heldFor = (d: Disjunct, callee: FunctionEntry): string[] | undefined => {
    const asked = deps.queriedBelow?.(callee);
    if (!asked) return undefined;
    const keys = [...new Set(d.held.filter((h) => asked.has(h.key)).map((h) => h.key))];
    // A callee asking `preempt_count()` or `in_atomic()` below: whether this path is atomic.
    if (asked.has(PREEMPT_OFF) && !keys.includes(PREEMPT_OFF) && atomicHere(d.held)) keys.push(PREEMPT_OFF);
    return keys.length ? keys.sort() : undefined;
  };

  /** A call of a function that is not a catalogue primitive: its summary, or what a call without a body does. */
  const callBody = (d: Disjunct, ev: CallEvent, tested: boolean, through?: string): Outcome[] => {
    const callee = program.resolveCallee(ev.callee, file);
    if (!callee) return handedToBodiless(applyBodiless(d, ev, tested), ev);
    const summary = deps.summaryOf(callee, argValues(d, ev, callee), moduleFor(callee), heldFor(d, callee));
    if (!summary) return [{ d, ret: ANY }];
    const via = through ? { via: through } : callee.fn.isMacro ? { via: 'macro' } : {};
    return keptThroughCall(handedZeroed(sameFlavour(d, applySummary(d, summary, ev, at(ev.line, 'call', { callee: ev.callee, ...via }), callee)), ev, callee), ev, callee);
  };

  /** `&h` with h a local of this function: the callee may write h, and what it says of h is ours. */
  const addressedLocal = (a: AccessPath | null | undefined): a is AccessPath => !!a && a.fields.length === 0 && !a.rootCall && a.text.replace(/\s+/g, '') === `&${a.root}` && a.root in fn.vars;

  /**
   * `notify(&params)` may write params, so the call's own "may have written params" forgets what
   * the path knew of it; but not the members the callee never stores through that parameter
   * (nor hands on to be stored): those facts are marked as the call's, which it keeps.
   * (`params.event = RECOVERY; notify(&params); ...; notify(&params);` the second call knows too.)
   */
  const keptThroughCall = (outs: Outcome[], ev: CallEvent, callee: FunctionEntry): Outcome[] => {
    const writes = deps.writesThrough?.(callee);
    if (!writes) return outs;
    const unwritten = new Map<string, ReadonlySet<string>>();
    ev.args.forEach((a, j) => {
      const w = writes[j];
      if (w && addressedLocal(a)) unwritten.set(a.root, w);
    });
    if (unwritten.size === 0) return outs;
    const keep = (f: Fact): boolean => {
      const root = f.reads[0] as string;
      const w = f.memory ? unwritten.get(root) : undefined;
      if (!w || !f.key.startsWith(`${root}.`)) return false;
      const member = /^\w+/.exec(f.key.slice(root.length + 1))?.[0];
      return member !== undefined && !w.has(member);
    };
    return outs.map((o) => (o.d.facts.some(keep) ? { ...o, d: { ...o.d, facts: o.d.facts.map((f) => (keep(f) ? { ...f, call: ev.line } : f)) } } : o));
  };

  /**
   * kref_put(ref, release): either not the last reference (0, nothing happens) or the last, and
   * release(ref) runs here (1), after taking the put's lock for kref_put_mutex. Only where the
   * code is written for the last reference going here: the put's result is looked at (tested,
   * returned, stored), or the put takes a lock for the release. A put whose result is dropped
   * under a lock is the common discipline of a caller holding a reference of its own (a local
   * copy taken first, the device's reference): its release is taken not to run there.
   */
  const lastPut = (d: Disjunct, effect: Extract<LockEffect, { k: 'lastPut' }>, ev: CallEvent, tested: boolean): Outcome[] => {
    if (!effect.lock && !tested && !ev.assignTo && !ev.returned && ev.storedTo === undefined) return [{ d, ret: ANY }];
    const release = program.functionArgument(ev.args[effect.fnArg], file);
    if (!release) return [{ d, ret: ANY }];
    const call: CallEvent = { callee: release.fn.name, args: [ev.args[effect.objArg] ?? null], line: ev.line };
    const locked = effect.lock ? applyEffect(d, { k: 'acquire', kind: effect.lock.kind, read: false, nested: false, arg: effect.lock.arg, onZero: true }, ev, false) : [{ d, ret: ANY }];
    const last = (locked ?? []).flatMap((o) => callBody(o.d, call, false, ev.callee)).map((o) => ({ ...o, ret: tested ? P : ANY }));
    return [...last, { d, ret: tested ? Z : ANY }];
  };

  const freed = (outs: Outcome[], object: AccessPath | null | undefined): Outcome[] => {
    if (!object || object.fields.length > 0 || object.rootCall) return outs;
    return outs.map((o) => {
      if (!o.d.held.some((h) => lockInside(h, object.root))) return o;
      return { ...o, d: { ...o.d, held: o.d.held.filter((h) => !lockInside(h, object.root)) } };
    });
  };

  /**
   * Handed to a function whose body is not here, zeroed memory may come back with any member
   * set; not to one that only reads (`IS_ERR(p)`).
   */
  const handedToBodiless = (outs: Outcome[], ev: CallEvent): Outcome[] => {
    if (PURE_CALLS.has(ev.callee)) return outs;
    const handed = (v: string): boolean => ev.args.some((x) => x && x.fields.length === 0 && x.root === v);
    return outs.map((o) => {
      const facts = zeroedExcept(o.d.facts, (v) => (handed(v) ? undefined : []));
      return facts === o.d.facts ? o : { ...o, d: { ...o.d, facts } };
    });
  };

  /**
   * Zeroed memory handed to a callee may come back with members set (`init_foo(p)`): those the
   * callee stores through that parameter, or hands on to be stored, are no longer known to be 0.
   */
  const handedZeroed = (outs: Outcome[], ev: CallEvent, callee: FunctionEntry): Outcome[] => {
    const writes = deps.writesThrough?.(callee);
    const more = (variable: string): readonly string[] | undefined => {
      const handed = ev.args.flatMap((a, j) => (a && a.root === variable ? [{ a, j }] : []));
      if (handed.length === 0) return [];
      if (!writes) return undefined;
      const out: string[] = [];
      for (const { a, j } of handed) {
        const w = writes[j];
        if (!w) continue;
        if (a.fields.length === 0) out.push(...w);
        else if (w.size > 0) out.push(a.fields[0] as string);
      }
      return out;
    };
    return outs.map((o) => {
      const facts = zeroedExcept(o.d.facts, more);
      return facts === o.d.facts ? o : { ...o, d: { ...o.d, facts } };
    });
  };

  /**
   * The function outside the program a local's object came from (`file = filp_open(path, ..)`),
   * when the object is no allocation and this function stores nothing into it: its function
   * pointers are whatever the outside put there (another driver's file operations), not the
   * functions this program stores into members of that type.
   */
  const madeOutside = (root: string): string | undefined => {
    const maker = fn.freshFrom?.[root];
    if (!maker || program.hasFunction(maker) || zeroing.has(maker)) return undefined;
    const effect = catalogue.get(maker);
    if (effect?.k === 'sleep' && effect.gfpArg !== undefined) return undefined;
    let stored = false;
    opsOf(fn.body, (op) => {
      if (op.k === 'set' && op.root === root && op.target !== root) stored = true;
    });
    return stored ? undefined : maker;
  };

  /**
   * The numbers a local of this function is ever assigned, when it is assigned nothing else (no
   * other value, no write through its address): what it may hold wherever it is read. Once per local.
   */
  const numbersOf = new Map<string, number[] | undefined>();
  const localNumbers = (root: string): number[] | undefined => {
    if (numbersOf.has(root)) return numbersOf.get(root);
    let out: Set<number> | undefined = new Set();
    if (!(root in fn.vars) || fn.params.some((p) => p.name === root)) out = undefined;
    else {
      opsOf(fn.body, (o) => {
        if (!out) return;
        if (o.k === 'set' && o.root === root) {
          // Into the local itself, written here: a number (`base = 16`) or 0 (`base = NULL`).
          const v = o.target !== root || o.byCall ? undefined : o.lit !== undefined ? integerValue(o.lit) : o.value === Z ? 0 : undefined;
          if (v === undefined) out = undefined;
          else out.add(v);
        } else if (o.k !== 'set' && o.assignTo === root) out = undefined;
      });
    }
    const found = out?.size ? [...out].sort((a, b) => a - b) : undefined;
    numbersOf.set(root, found);
    return found;
  };

  /**
   * A call through a pointer as a direct call of one of its targets: one per call and target for
   * the analysis, so that callMemo's instantiation of the target's summary is made once, as a
   * direct call's is, not again on every path and every round of a loop.
   */
  const directCalls = new Map<CallEvent, Map<FunctionEntry, CallEvent>>();
  const directCall = (ev: CallEvent, target: FunctionEntry): CallEvent => {
    let byTarget = directCalls.get(ev);
    if (!byTarget) directCalls.set(ev, (byTarget = new Map()));
    let direct = byTarget.get(target);
    if (!direct) {
      direct = { ...ev, callee: target.fn.name };
      delete (direct as { indirect?: unknown }).indirect;
      byTarget.set(target, direct);
    }
    return direct;
  };

  /** `d->ops->lock_dev(d)`: the functions stored into that member, each a possible callee. */
  const callIndirect = (d: Disjunct, ev: CallEvent): Outcome[] => {
    const ind = ev.indirect as NonNullable<CallEvent['indirect']>;
    // A local or parameter named like a known API is still a pointer: only member stores count.
    // Through a parameter whose object the caller filled itself, the function it put there.
    // Through a callback parameter (`cb(m)`), the function this caller passed for it.
    const given = ind.object
      ? ind.object.fields.length === 0 ? entryArgs?.[fn.params.findIndex((x) => x.name === ind.object?.root)]?.fnptrs : undefined
      : assignedRoots(fn.body).has(ind.member) ? undefined : entryArgs?.[fn.params.findIndex((x) => x.name === ind.member)]?.fnptrs;
    const member = ind.object ? ind.member : '';
    const chosen = given?.filter((x) => x.startsWith(`${member}=`)).map((x) => program.storedFunction(x.slice(member.length + 1), file));
    // One of several the caller may pass (`c ? f : g`): each.
    const targets = chosen?.length && chosen.every((e) => e !== undefined) ? (chosen as FunctionEntry[]) : undefined;
    const target = targets?.[0];
    const via = `${ind.object ? `${ind.object.text}->` : ''}${ind.member}`;
    // The function this path already called through the same member of the same object.
    const slot = ind.object ? pointerSlot(ind.object, ind.member) : undefined;
    const called = slot && !target ? heldConstant(d.facts, slot) : undefined;
    const again = called ? program.storedFunction(called, file) : undefined;
    const maker = !target && !again && ind.object ? madeOutside(ind.object.root) : undefined;
    if (maker) {
      unresolved.set(`${ev.line}:${via}`, { line: ev.line, via, reason: `the object comes from ${maker}(), outside the analyzed files: its functions are not the program's` });
      return [{ d, ret: ANY }];
    }
    const all = targets ? { targets, via } : again ? { targets: [again], via } : program.pointerTargets(ind.object, ind.member, fn, file, ev.args, ind.dot);
    // Analysed for a caller in a driver's directory, through an object that caller handed in:
    // that driver's callbacks, where it has any. Not through a list of registered callbacks
    // (`lf->func(..)` with lf from a global list): every one registered runs.
    // Else a driver's own call through an object it did not get from its caller (a global, a
    // lookup) reaches its own callbacks (ownTargets); one handed in may be a library's
    // (a task whose done callback the library that made it stored). In a macro, its user's
    // object is the one the caller's module handed on; with no caller's module, a macro's free
    // name says nothing of where the object came from.
    const handed = !!ind.object && handedIn(ind.object, fn);
    const fromCaller = handed || (!!ind.object && !!module && handedIn(ind.object, fn, (n) => program.hasVariable(n, fn, file)));
    const found0 = all && module && !target && fromCaller ? { ...all, targets: coherentTargets(program, all.targets, module, file, (m) => makesObjectsOf(program, all.targets, ind.member, m), (t, m) => [...program.storeFilesOf(t.fn.name, ind.member)].some((f) => program.moduleOf(f) === m)) } : all && !target && !again && !handed ? { ...all, targets: ownTargets(program, all.targets, file) } : all;
    // Of the caller's directory, the functions of files its file is linked with; and through a
    // member this path pointed at one ops table (`le->ops = &revoke_ops`), that table's.
    const linked = found0 && !target && !again ? linkedTargets(program, found0.targets, file) : undefined;
    const found = found0 && linked ? inPathTable(d, linked === found0.targets ? found0 : { ...found0, targets: linked }, ind.object) : found0;
    if (!found) {
      unresolved.set(`${ev.line}:${via}`, { line: ev.line, via, reason: 'too many possible targets' });
      return [{ d, ret: ANY }];
    }
    if (found.targets.length === 0) {
      unresolved.set(`${ev.line}:${via}`, { line: ev.line, via, reason: all?.targets.length ? `the calling driver (${module ?? ''}) stores no function into it` : 'no function stored into it in the analyzed files' });
      return [{ d, ret: ANY }];
    }
    const out: Outcome[] = [];
    const byTarget: { releasesHeld: boolean; releasesOther: boolean; outs: Outcome[] }[] = [];
    const tables = ind.object && found.targets.length > 1 ? opsTables(found.targets, program) : undefined;
    const reached: { target: FunctionEntry; td: Disjunct; summary: Summary | undefined }[] = [];
    for (const target of found.targets) {
      // One ops table per object on a path: `hw->phy.ops.acquire` and a later
      // `hw->phy.ops.release` come from the same initialised table.
      const td = tables && ind.object ? withTable(d, ind.object.text, tables, program.tablesOf(target.fn.name)) : d;
      // Specialised on the constants passed, as a direct call is (`->reg(call, REG_OFF)`).
      if (td) reached.push({ target, td, summary: deps.summaryOf(target, argValues(td, ev, target), moduleFor(target), heldFor(td, target)) });
    }
    // A lock this path holds from a call through a pointer (a `prep_lock()` op returning locked),
    // which some target of this call releases (its `submit_unlock()` op): the implementation that
    // took it is the one that releases it, not a sibling implementation that never took it.
    const paired = d.held.filter((h) => !h.entry && heldFromPointer(h) && reached.some((c) => c.summary && releasesKey(c.summary, h.key))).map((h) => h.key);
    for (const { target, td, summary } of reached) {
      if (paired.length && !(summary && paired.every((k) => releasesKey(summary, k)))) continue;
      if (!summary) {
        out.push({ d: td, ret: ANY });
        continue;
      }
      const outs = handedZeroed(applySummary(td, summary, directCall(ev, target), at(ev.line, 'call', { callee: target.fn.name, via }), target), ev, target);
      // One of several: the member holds that function on this path, for the next call through it here or in a callee handed the object.
      const mine = slot && found.targets.length > 1 ? outs.map((o) => ({ ...o, d: { ...o.d, facts: withFact(o.d.facts, calledThrough(slot, target.fn.name)) } })) : outs;
      byTarget.push({
        releasesHeld: mine.some((o) => td.held.some((h) => !h.entry && !o.d.held.some((x) => x.key === h.key))),
        releasesOther: mine.some((o) => o.d.gone.some((k) => !td.gone.includes(k))),
        outs: mine,
      });
    }
    // An unlock through a pointer releases what the path holds: with one target that does, a
    // target releasing only locks this path never took (the other lock flavour's unlock) is not
    // the function the object holds.
    const matching = byTarget.some((t) => t.releasesHeld);
    for (const t of byTarget) if (!(matching && !t.releasesHeld && t.releasesOther)) out.push(...t.outs);
    return out.length ? sameFlavour(d, out) : [{ d, ret: ANY }];
  };

  /**
   * `p = kzalloc(...)` (or a wrapper of it): p's members are all 0; `memset(p, 0, ...)` makes
   * them so, forgetting what was known of them.
   */
  const zeroing = zeroingCallees(program);
  const withZeroing = (outs: Outcome[], ev: CallEvent): Outcome[] => {
    if (ev.indirect) return outs;
    if (zeroing.has(ev.callee)) return outs.map((o) => ({ ...o, zeroed: true }));
    const a = ev.args[0];
    if (ev.callee !== 'memset' || ev.consts?.[1] !== Z || !a || a.fields.length > 0 || a.text !== a.root) return outs;
    return outs.map((o) => {
      const kept = o.d.facts.filter((f) => !(f.memory && (f.key.startsWith(`${a.root}->`) || f.key.startsWith(`${a.root}${ZEROED}`))));
      return { ...o, d: { ...o.d, facts: withFact(kept, zeroedFact(a.root)) } };
    });
  };

  /** Of a call's targets, those in the ops table the path knows the object points to (FlowClient.isOpsTable); all when it knows none, or none is there. */
  const inPathTable = <T extends { targets: readonly FunctionEntry[] }>(d: Disjunct, found: T, object: AccessPath | null): T => {
    const table = object ? tableOfObject(d, object) : undefined;
    if (table === undefined) return found;
    const targets = found.targets.filter((t) => program.tablesOf(t.fn.name)?.has(table));
    return targets.length && targets.length < found.targets.length ? { ...found, targets } : found;
  };

  /**
   * The ops table `object` (`le->ops`) points to: as this path stored it, or as the caller that
   * handed the object (`le`) stored it (ArgValue.fnptrs `ops=&t`), where we store no such member.
   */
  const tableOfObject = (d: Disjunct, object: AccessPath): string | undefined => {
    if (object.rootCall || object.cast) return undefined;
    const held = heldConstant(d.facts, object.text);
    if (held !== undefined) return held.startsWith('&') ? held.slice(1) : undefined;
    const p = object.fields.length === 1 && object.text === `${object.root}->${object.fields[0]}` ? fn.params.findIndex((x) => x.name === object.root) : -1;
    if (p < 0 || reassignedRoots(fn.body).has(object.root)) return undefined;
    const given = unstored(entryArgs?.[p]?.fnptrs, object.root)?.find((x) => x.startsWith(`${object.fields[0]}=&`));
    return given?.slice(given.indexOf('=&') + 2);
  };

  const client: FlowClient = {
    call: (d, ev, scope, tested) => withZeroing(callOne(d, ev, scope, tested), ev),
    mayFill: (ev) => !ev.indirect && !program.hasFunction(ev.callee) && !catalogue.has(ev.callee),
    pureCall(ev) {
      // `in_interrupt()`: the context a task runs in does not change under it (see STABLE_CONTEXT).
      if (ev.args.length === 0 && STABLE_CONTEXT.has(ev.callee) && !program.hasFunction(ev.callee)) return { key: `${ev.callee}()`, reads: [] };
      if (ev.indirect || ev.args.some((a) => !a || a.rootCall || a.cast)) return undefined;
      const callee = program.resolveCallee(ev.callee, file);
      if (!callee || !readsOnly(callee.fn)) return undefined;
      return { key: `${ev.callee}(${ev.args.map((a) => (a as AccessPath).text).join(',')})`, reads: [...new Set(ev.args.map((a) => (a as AccessPath).root))] };
    },
    enterScoped(d, st) {
      const g = GUARD_TYPES.get(st.guard);
      if (!g) return d;
      if (!('kind' in g)) return { ...d, held: [...d.held, { ...regionEntry(g.region, st.line), scope: st.scope }] };
      if (!st.lock) return d;
      const ref = classes.resolve(st.lock, entry);
      if (!ref) {
        unknownLock(st.line, `scoped_guard(${st.guard})`);
        return d;
      }
      const next = take(d, ref, st.line, { kind: g.kind, read: g.read, nested: false, tryLock: false, scope: st.scope, root: st.lock.root });
      return g.region ? { ...next, held: [...next.held, { ...regionEntry(g.region, st.line), scope: st.scope }] } : next;
    },
    constants: program.constants,
    isOpsTable,
    ...(deps.unsetMembers?.size ? { unsetMembers: deps.unsetMembers } : {}),
    ...(deps.flagMembers?.size ? { flagMembers: deps.flagMembers } : {}),
    ...(deps.memberValues ? { memberAnswer: memberAnswers(deps.memberValues, program, fn, file) } : {}),
    heldAnswer(d, key) {
      // `if (!preempt_count() && ..)`, `if (!in_atomic())`: not 0 where the path is atomic.
      if (ATOMIC_QUERIES.has(key)) return atomicHere(d.held) ? P : ANY;
      const region = CONTEXT_QUERIES.get(key);
      return region !== undefined && d.held.some((h) => h.key === region) ? P : ANY;
    },
    nulled(d, variable) {
      const held = withoutRoot(d.held, variable);
      return held === d.held ? d : { ...d, held };
    },
  };

  // `__must_hold(l)` on the definition: l is held on entry.
  let facts = buildConfiguration(entryFacts ?? NO_FACTS, fn, file, program);
  for (const p of lockPointerParams(fn, catalogue)) {
    const name = (fn.params[p] as { name: string }).name;
    if (factOf(facts, name) === ANY) facts = withFact(facts, { key: name, mask: P | N, reads: [name], memory: false });
  }
  // A work function's `work`, a timer's `t`: the item the kernel runs it for, never NULL (a
  // defensive `if (!work) goto out;` that unlocks on the way out is no path it takes).
  const item = fn.params[0]?.name;
  if (item && fn.vars[item]?.ptr === true && deps.handedItsItem?.(entry)) facts = withFact(facts, { key: item, mask: P, reads: [item], memory: false });
  let start: Disjunct = { facts, held: [], gone: [] };
  for (const a of fn.annotations ?? []) {
    if (a.k !== 'must_hold') continue;
    const ref = annotationRefInside(a.arg, fn, entry, classes);
    if (ref) start = assertHeld(start, ref, fn.line);
  }
  // A fault handler, an ->mmap, a net_device_ops ->ndo_open: the lock is held on entry, taken by the kernel's caller.
  for (const cb of deps.heldOnEntry?.(entry) ?? []) {
    if ('region' in cb) {
      const region: Held = {
        ref: { c: cb.region, provenance: 'pseudo', kind: undefined, text: cb.region }, key: cb.region, kind: undefined, read: false, nested: false, scope: 0, entry: true,
        chain: chainOf(at(fn.line, 'hold', { lock: cb.region, via: cb.via })),
      };
      // Outermost: a lock the caller took inside the region is the innermost atomic context.
      if (!start.held.some((h) => h.key === cb.region)) start = { ...start, held: [region, ...start.held] };
      continue;
    }
    const ref: LockRef | null = cb.lock === 'mmap' ? faultLock() : namedLock(cb.lock.class, cb.lock.kind);
    if (!ref || start.held.some((h) => h.key === refKey(ref))) continue;
    const h: Held = {
      ref, key: refKey(ref), kind: (isClass(ref) ? ref.kind : undefined) ?? (cb.lock === 'mmap' ? 'rwsem' : cb.lock.kind), read: cb.read, nested: false, scope: 0, entry: true,
      chain: chainOf(at(fn.line, 'hold', { lock: isClass(ref) ? ref.c : ref.text, via: cb.via })),
    };
    start = { ...start, held: [...start.held, h] };
  }
  // A summary for a caller holding locks this function asks about: held on entry, ordering
  // nothing here (the caller orders them), released as the caller's.
  for (const key of heldByCaller ?? []) {
    if (start.held.some((h) => h.key === key)) continue;
    const h: Held = { ref: { c: key, provenance: 'fixed', kind: undefined, text: key }, key, kind: undefined, read: false, nested: false, scope: 0, entry: true, phantom: true, chain: chainOf(at(fn.line, 'hold', { lock: key })) };
    start = { ...start, held: [...start.held, h] };
  }

  const assigned = assignedRoots(fn.body);
  const params = new Set(fn.params.map((p) => p.name).filter((p) => !assigned.has(p)));
  // Facts a caller can use: about the build configuration, the parameters it passed, and a
  // member of the object one points to, the parameter itself never reassigned: a constant stored
  // into it (`sb->owner = current` in a lock wrapper, for the caller's later `sb->owner !=
  // current`) or its test (`if (pub->info)` deciding the lock, for the unlock wrapper's same test).
  const pointing = pointingParams;
  // And a variable of the program's files the function itself sets (`ge_owner = current` in a
  // semaphore wrapper, for the unlock wrapper's `if (ge_owner == current)`).
  const setGlobal = (r: string): boolean => !(r in fn.vars) && assigned.has(r) && program.isGlobalVariable(r, file);
  const globalTest = (key: string): boolean => {
    const sides = comparisonSides(key);
    return sides !== null && sides.some(setGlobal) && sides.every((x) => setGlobal(x) || isConstantName(x, program.constants));
  };
  const exported = (f: Fact): boolean =>
    f.key.startsWith('#') ||
    // The lock wrapper's `in_interrupt()` test, for the unlock wrapper's same test.
    (f.reads.length === 0 && STABLE_CONTEXT.has(f.key.slice(0, -2)) && f.key.endsWith('()')) ||
    (f.reads.length === 0 && globalTest(f.key)) ||
    // `if (!busy) return;` of a file's variable the function sets: the caller's to know too.
    (f.reads.length <= 1 && /^[A-Za-z_]\w*$/.test(f.key) && (f.reads.length === 0 || f.reads[0] === f.key) && setGlobal(f.key)) ||
    // The running task's members: per-task state a later call of the caller's may test.
    (taskMember(f) !== undefined && !(TASK in fn.vars)) ||
    (f.reads.length > 0 && (f.memory ? (memberHolds(f) || paramMember(f.key, f.reads) || comparedParamMember(f) || f.key === `*${f.reads[0]}`) && pointing.has(f.reads[0] as string) : f.reads.every((r) => params.has(r) || setGlobal(r))));
  const walk = walkFunction(fn, start, client, deps.maxRounds);

  for (const e of walk.exits) for (const r of recorders) r.exit?.(e);

  const parts = new Map<string, unknown>();
  deps.checkers.forEach((c, i) => parts.set(c.id, (recorders[i] as Recorder).part()));
  const paired = [...taken].filter((k) => released.has(k));
  const summary: Summary = { acquires, exits: exitCases(walk.exits, new Set(paired), exported, fn, assigned), requires: [...requires.values()], parts, ...(releasedKinds.size ? { releasedKinds } : {}) };

  return {
    summary,
    unknownLocks: [...unknownLocks.values()],
    unknownCalls,
    unresolved: [...unresolved.values()],
    capped: walk.capped,
    pairedHere: paired,
  };
}

/**
 * The ways out, grouped by what they hold and release: returned values are joined per group.
 *
 * A function that takes a lock and releases it itself is taken to be balanced for its callers:
 * a path out still holding it is a leak (the lock-leak checker reports it) or a path the
 * analysis cannot rule out (`if (KDB_STATE(X) && got_lock) unlock`), and letting it escape would
 * order everything its callers do afterwards after that lock. Unless the returned value tells the
 * paths apart (a trylock-like wrapper: held when it returns 0, not held when it returns -EBUSY).
 */
function exitCases(exits: readonly Exit[], paired: ReadonlySet<string>, exported: (f: Fact) => boolean, fn: FunctionIR, assigned: ReadonlySet<string>): ExitCase[] {
  // A parameter the function assigns (`&agflbp` passed to a getter) holds its own object, not the caller's.
  const params = fn.params.map((p) => (assigned.has(p.name) ? '' : p.name));
  const handedOff = handOff(fn, params);
  // A phantom balances only inside the function, unless `__cond_lock()` entered it for the caller.
  const heldByExit = new Map(exits.map((e) => [e, e.d.held.filter((h) => h.scope === 0 && !h.entry && (!h.phantom || h.handed) && !handedOff(e, h))]));
  const heldOf = (e: Exit): Held[] => heldByExit.get(e) ?? [];
  const balanced = new Set<string>();
  for (const k of paired) {
    let withRet = 0;
    let withoutRet = 0;
    let onError = false;
    for (const e of exits) {
      if (e.d.gone.includes(k)) continue;
      if (heldOf(e).some((h) => h.key === k)) {
        withRet |= e.ret;
        if (heldOnError(e.ret, fn)) onError = true;
      } else withoutRet |= e.ret;
    }
    // Told apart by the value returned, as a trylock-like wrapper is: held on success, never on an error.
    if (withRet && ((withRet & withoutRet) !== 0 || onError)) balanced.add(k);


  }
  // A member constant the function stored (`s->lock = 0` on the way that unlocks) is carried to
  // the caller, but it tells no ways out apart: the caller does not test it to learn whether
  // the lock went (releasedOnUntoldPaths).
  const testable = new Map(exits.map((e) => [e, factsKey(e.d.facts.filter((f) => exported(f) && !f.memory))]));
  const alsoGone = releasedOnUntoldPaths(exits, heldOf, (e) => testable.get(e) ?? '');
  const keeps = countedKeeps(exits);
  const groups = new Map<string, { ret: Mask; held: Held[]; gone: readonly string[]; facts: Facts; counted: readonly string[]; took: readonly string[]; returned: Facts | undefined; codes: string[] | null }>();
  for (const e of exits) {
    const kept = (h: Held): boolean => !balanced.has(h.key) || e.d.gone.includes(h.key);
    const dropped = heldOf(e).filter((h) => !kept(h));
    // The region an irqsave lock entered (`spin_lock_irqsave`, the same step of the same chain)
    // is left with it: a balanced lock's irqs come back on the ways out it is taken as released on.
    const held = heldOf(e).filter((h) => kept(h) && !(isPseudo(h.key) && dropped.some((x) => sameStepsAs(x.chain, h.chain))));
    const facts = e.d.facts.some(exported) ? e.d.facts.filter(exported) : NO_FACTS;
    let gone = e.d.gone;
    const counted = keeps.get(e) ?? [];
    // A way kept only because a count was not yet zero is told apart by that (ExitCase.counted).
    for (const k of alsoGone.get(e) ?? []) if (!held.some((h) => h.key === k) && !counted.includes(k)) gone = withGone(gone, k);
    // `return c->cansleep;` told the caller which it returned (the interpreter split that exit):
    // kept apart, so the caller's test of the result learns the member.
    const told = e.retVar !== undefined && MEMBER_PATH.test(e.retVar) ? facts.find((f) => f.key === e.retVar && f.mask !== ANY) : undefined;
    // What a way took stays apart too: a caller holding it hangs on that way (an early `return
    // false` before a hang check that takes the lock), and not on the other.
    const took = tookKeys(e.d.facts);
    // What it knows of the object it returns (a constructor's fresh one: the members it left 0).
    // A way that returns no object (NULL, an error) says anything of it: it joins as nothing.
    const returned = (e.ret & P) === 0 ? undefined : (e.returned ?? (e.retVar !== undefined && e.retVar in fn.vars && !params.includes(e.retVar) ? objectFacts(e.d.facts, e.retVar, RETURNED) : NO_FACTS));
    // `if (atomic_read(&d->count) <= 1) return 1; return 0;`: ways that return apart and know
    // apart how a parameter's member compares stay apart, so the caller's test of the result learns it.
    const apart = facts.some((f) => f.memory && comparedParamMember(f)) ? `/r${e.ret}` : '';
    const key = `${heldSignature(held).join(',')}/${gone.join(',')}/${counted.join(',')}/${took.join(',')}${told ? `/${told.key}=${told.mask}` : ''}${apart}`;
    const g = groups.get(key);
    // The error codes of its negative returns: null once one is not known.
    const codes = (e.ret & N) === 0 ? [] : e.codes ? [...e.codes] : null;
    if (g) {
      g.codes = g.codes && codes ? [...new Set([...g.codes, ...codes])].sort() : null;
      g.ret |= e.ret;
      g.facts = joinFacts(g.facts, facts);
      g.took = g.took.filter((k) => took.includes(k));
      g.returned = g.returned && returned ? joinFacts(g.returned, returned) : (g.returned ?? returned);
    } else groups.set(key, { ret: e.ret, held: dedupe(held).map((h) => throughWhat(h, e, fn, params)), gone, facts, counted, took, returned, codes });
  }
  return [...groups.values()].map(({ facts, counted, took, returned, codes, ...c }) => ({ ...c, ...(facts.length ? { facts } : {}), ...(counted.length ? { counted } : {}), ...(took.length ? { took } : {}), ...(returned?.length ? { returned } : {}), ...(codes && (c.ret & N) !== 0 ? { codes } : {}) }));
}

/**
 * The fact that tells a call's counted ways out from its others (`%zero:@LINE:KEYS`, P on a way
 * the callee kept its caller's lock only because the count was not yet zero), KEYS what those
 * ways keep, in the caller's terms; undefined when the callee has no such way.
 */
function countedCall(summary: Summary, line: number, here: (key: string) => LockRef | null): string | undefined {
  // On every call applied: most summaries have no counted way at all.
  if (!summary.exits.some((c) => c.counted)) return undefined;
  const keys = countedHere([...new Set(summary.exits.flatMap((c) => c.counted ?? []))], here);
  return keys.length ? countedCallKey(line, [...new Set(keys)].sort()) : undefined;
}

/**
 * Per way out past a counted test that found the count not yet zero: the caller locks the ways
 * past the same test that found it zero release and this one does not (ExitCase.counted).
 */
function countedKeeps(exits: readonly Exit[]): Map<Exit, string[]> {
  const out = new Map<Exit, string[]>();
  const tests = new Set(exits.flatMap((e) => e.d.facts.filter((f) => f.key.startsWith(COUNTED)).map((f) => f.key)));
  for (const t of tests) {
    const released = new Set(exits.filter((e) => factOf(e.d.facts, t) === Z).flatMap((e) => e.d.gone));
    if (released.size === 0) continue;
    for (const e of exits) {
      if (factOf(e.d.facts, t) !== P) continue;
      const kept = [...released].filter((k) => !e.d.gone.includes(k));
      if (kept.length) out.set(e, [...new Set([...(out.get(e) ?? []), ...kept])].sort());
    }
  }
  return out;
}

/** How a caller reaches a lock held on the way out: on the object returned, or through a parameter. */
function throughWhat(h: Held, e: Exit, fn: FunctionIR, params: readonly string[]): Held {
  if (!h.root) return h;
  if (h.root === e.retVar) return heldWith(h, { root: h.root, returned: true });
  // On a parameter's object, or given back through one (`*bpp = bp`): the caller's argument names it.
  const i = h.root.startsWith(OUT) ? Number(h.root.slice(OUT.length)) : fn.givenBack?.[h.root] ?? memberGivenBack(h, fn) ?? params.indexOf(h.root);
  if (i >= 0) return heldWith(h, { root: h.root, arg: i });
  // `d = (struct info *)pub->info; spin_lock(&d->lock)`: on the object the parameter leads to.
  const alias = memberOfParameter(h.root, fn, params);
  return alias && h.path !== undefined ? heldWith(h, { root: alias.param, arg: alias.index, path: `${alias.path}${h.path}` }) : h;
}

/** A local the function sets once, from a member chain of a parameter it never reassigns (`d = pub->info`). */
function memberOfParameter(local: string, fn: FunctionIR, params: readonly string[]): { param: string; index: number; path: string } | undefined {
  let from: string | undefined;
  let sets = 0;
  const assigned = new Set<string>();
  opsOf(fn.body, (o) => {
    if (o.k !== 'set' || o.target !== o.root) return;
    assigned.add(o.root);
    if (o.root === local) {
      sets++;
      from = o.from;
    }
  });
  const m = sets === 1 && from ? /^(\w+)((?:->|\.)[\w.>-]+)$/.exec(from) : null;
  const index = m ? params.indexOf(m[1] as string) : -1;
  return m && index >= 0 && !assigned.has(m[1] as string) ? { param: m[1] as string, index, path: m[2] as string } : undefined;
}

/** A lock on a member of an object given back through a parameter (`*kp = w->key` and `w->key->sem` held). */
function memberGivenBack(h: Held, fn: FunctionIR): number | undefined {
  if (!fn.givenBack || !isClass(h.ref)) return undefined;
  const text = pathText(h.ref.text);
  for (const [member, i] of Object.entries(fn.givenBack)) {
    if ((member.startsWith(`${h.root}->`) || member.startsWith(`${h.root}.`)) && (text.startsWith(`${member}->`) || text.startsWith(`${member}.`))) return i;
  }
  return undefined;
}

/**
 * Context tests whose answer a task's code does not change between a lock wrapper and its unlock
 * wrapper (`if (in_interrupt()) spin_lock(..) else spin_lock_irqsave(..)`): they depend on the
 * context it was entered in. Not in_atomic() or irqs_disabled(), which the lock itself changes.
 */
const STABLE_CONTEXT: ReadonlySet<string> = new Set(['in_interrupt', 'in_irq', 'in_softirq', 'in_serving_softirq', 'in_nmi', 'in_task']);

/** Facts with what a store to the member path of `key` (`s->owner` of `s->owner:=NULL`) may change, forgotten. */
function forgetStored(facts: Facts, key: string): Facts {
  const at = key.indexOf(HOLDS);
  const target = at > 0 ? key.slice(0, at) : key;
  const root = MEMBER_PATH.test(target) ? /^\w+/.exec(target)?.[0] : undefined;
  return root === undefined ? facts : forget(facts, root, target);
}

/**
 * `p->m:=X`, `p->a->m:=X`: a constant held in a member of what the one variable it reads points
 * to (stored there by the function, `sb->owner = current`, or known from a test of it).
 */
function memberHolds(f: Fact): boolean {
  const at = f.key.indexOf(HOLDS);
  return f.reads.length === 1 && at > 0 && f.key.startsWith(`${f.reads[0]}->`) && MEMBER_CHAIN.test(f.key.slice(`${f.reads[0]}->`.length, at));
}

/** `pub->info`, `pub->info->threads_only`: a member path from the one variable it reads. */
function paramMember(key: string, reads: readonly string[]): boolean {
  const prefix = `${reads[0]}->`;
  return reads.length === 1 && key.startsWith(prefix) && MEMBER_CHAIN.test(key.slice(prefix.length));
}
const MEMBER_CHAIN = /^\w+(?:->\w+)*$/;

/**
 * `1<=>atomic_read(&d->count)`: a parameter's member (or one read through a call given its
 * address) compared with a number, which a caller testing the same comparison knows too.
 */
function comparedParamMember(f: Fact): boolean {
  const sides = f.reads.length === 1 ? comparisonSides(f.key) : null;
  if (!sides) return false;
  // Against a number or `true`/`false` (`ar->pending == true`).
  const literal = (x: string): boolean => integerValue(x) !== undefined || x === 'true' || x === 'false';
  const other = literal(sides[0]) ? sides[1] : literal(sides[1]) ? sides[0] : undefined;
  if (other === undefined) return false;
  return paramMember(/^\w+\(&?([^()]*)\)$/.exec(other)?.[1] ?? other, f.reads);
}

/** The root of a lock on an object stored straight through parameter i (`*bpp = get_buf(..)`): `@out<i>`. */
const OUT = '@out';

/** The variable a lock's member path starts from (`&s->lock`, `(s)->lock`, `g.lock`: s, s, g). */
const MEMBER_ROOT = /^&?\(?([A-Za-z_]\w*)\)?(?:->|\.)/;

const ownerStoresSeen = new WeakMap<FunctionIR, Map<string, boolean>>();

/** Does the function store the owner (`owner=current`: `sbi->owner = current;`) into a member of that name? */
function storesOwner(fn: FunctionIR, store: string): boolean {
  const seen = ownerStoresSeen.get(fn) ?? new Map<string, boolean>();
  ownerStoresSeen.set(fn, seen);
  let found = seen.get(store);
  if (found !== undefined) return found;
  const eq = store.indexOf('=');
  const member = store.slice(0, eq);
  const value = store.slice(eq + 1);
  found = false;
  opsOf(fn.body, (o) => {
    if (o.k === 'set' && (o.target.endsWith(`->${member}`) || o.target.endsWith(`.${member}`)) && (o.from === value || o.name === value || o.lit === value)) found = true;
  });
  seen.set(store, found);
  return found;
}

/** Locks that are not the task's: a semaphore is released by whoever holds the object next (I/O completion). */
const OWNERLESS: ReadonlySet<string> = new Set(['semaphore']);

/**
 * An ownerless lock still held on the way out, on an object in a local the function neither
 * returns nor stores through a parameter: the object went elsewhere (a buffer queued for I/O and
 * unlocked by its completion, kept in a longer-lived structure), and with it the lock. The
 * callers do not hold it: kept, it would order everything they do afterwards after it.
 */
function handOff(fn: FunctionIR, params: readonly string[]): (e: Exit, h: Held) => boolean {
  return (e, h) => h.kind !== undefined && OWNERLESS.has(h.kind) && h.root !== undefined && h.root !== e.retVar && !params.includes(h.root) && fn.givenBack?.[h.root] === undefined && !h.root.startsWith(OUT);
}

/**
 * Two ways out a caller tells apart by the error code returned: where both may return the same
 * sign it is negative only, and the codes of either are all known and none is the other's
 * (`-ENOMEM` with the lock dropped, `-EAGAIN` with it kept: `while (ret == -EAGAIN)` retries
 * only on the second).
 */
function apartByCodes(a: Exit, b: Exit): boolean {
  if ((a.ret & b.ret) !== N || !a.codes || !b.codes) return false;
  const other = b.codes;
  return !a.codes.some((c) => other.some((x) => sameErrorCode(c, x)));
}

/**
 * The caller's locks released on some ways out and kept on others that the caller cannot tell
 * apart: the same values returned, the same facts it could test. The choice was made on state
 * the analysis does not see (`if (!(item->flags & HOLD)) unlock(item->buf)`: the object says
 * whether the transaction keeps its buffer locked), and keeping both would order everything the
 * caller does next after a lock that, on the path it runs, is gone. Taken as released on those
 * ways out too, as a lock taken and released here is taken as balanced (see exitCases).
 */
function releasedOnUntoldPaths(exits: readonly Exit[], heldOf: (e: Exit) => Held[], testable: (e: Exit) => string): Map<Exit, string[]> {
  const out = new Map<Exit, string[]>();
  const releasers = new Map<string, Exit[]>();
  // A way out that dropped the caller's lock and took it again released nothing.
  for (const e of exits) for (const k of e.d.gone) if (!isPseudo(k) && !isMarker(k) && !heldOf(e).some((h) => h.key === k)) (releasers.get(k) ?? releasers.set(k, []).get(k))?.push(e);
  for (const [k, rel] of releasers) {
    for (const e of exits) {
      if (e.d.gone.includes(k) || heldOf(e).some((h) => h.key === k)) continue;
      const key = testable(e);
      const told = rel.filter((r) => (r.ret & e.ret) !== 0 && testable(r) === key && !apartByCodes(r, e));
      if (told.length === 0) continue;
      const list = out.get(e) ?? out.set(e, []).get(e) ?? [];
      list.push(k);
      // The region its `_bh`/irqsave entered goes with it, as it went on every way that released it.
      for (const g of (told[0] as Exit).d.gone) if (isPseudo(g) && !e.d.gone.includes(g) && told.every((r) => r.d.gone.includes(g)) && !list.includes(g)) list.push(g);
    }
  }
  return out;
}

/**
 * The lines of unlocks whose lock the function takes again later in its body (same lock
 * expression): a drop-and-retake, of a lock it did not take first, is of its caller's lock.
 */
function droppedAndRetaken(fn: FunctionIR, effect: (name: string) => LockEffect | undefined): Set<number> {
  const out = new Set<number>();
  const released = new Map<string, number[]>();
  for (const ev of callEvents(fn.body)) {
    const e = effect(ev.callee);
    if (!e || !('arg' in e)) continue;
    const text = ev.args[e.arg]?.text.replace(/\s+/g, '');
    if (!text) continue;
    if (e.k === 'release') (released.get(text) ?? released.set(text, []).get(text))?.push(ev.line);
    else if (e.k === 'acquire' || e.k === 'condAcquire') for (const line of released.get(text) ?? []) out.add(line);
  }
  return out;
}

/**
 * `#ifdef DEBUG_MSGING` where nothing defines it, `#ifndef DHDTHREAD` where the Makefile passes
 * `-DDHDTHREAD`: the branch no build compiles is not taken (Program.macroDefined).
 */
function buildConfiguration(facts: Facts, fn: FunctionIR, file: string, program: Program): Facts {
  let out = facts;
  for (const key of atomKeys(fn.body)) {
    // `#NAME` is `#ifdef NAME`; `#if NAME`, `#if defined(CONFIG_A) && !IS_ENABLED(CONFIG_B)`: over what the build decides.
    if (key.startsWith('#')) {
      const value = program.configValue(key, file, fn.line);
      if (value !== undefined) out = withFact(out, { key, mask: value > 0 ? P : value < 0 ? N : Z, reads: [], memory: false });
      continue;
    }
    // A condition that is a constant of the program (`do { .. } while (gcvFALSE)`, `#define gcvFALSE 0`): its value.
    if (/^[A-Za-z_]\w*$/.test(key) && !Object.hasOwn(fn.vars, key)) {
      const v = program.constants.value(key);
      if (typeof v === 'number') out = withFact(out, { key, mask: v > 0 ? P : v < 0 ? N : Z, reads: [], memory: false });
    }
  }
  return out;
}

/** The members of `param` the callee compares with a constant (`switch (l->type)`, `l->type == LT_SPIN`). */
function comparedMembers(callee: FunctionEntry, param: string): string[] {
  let byParam = compared.get(callee.fn);
  if (!byParam) compared.set(callee.fn, (byParam = new Map()));
  let out = byParam.get(param);
  if (!out) {
    const found = new Set<string>();
    const prefix = `${param}->`;
    for (const key of atomKeys(callee.fn.body)) {
      for (const side of comparisonSides(key) ?? []) {
        if (side.startsWith(prefix) && /^\w+$/.test(side.slice(prefix.length))) found.add(side.slice(prefix.length));
      }
    }
    byParam.set(param, (out = [...found].sort()));
  }
  return out;
}

const compared = new WeakMap<FunctionIR, Map<string, string[]>>();

/**
 * What a path knows of the members of the object it passes as `root` (`if (child->owner)
 * release(child)`), renamed to the callee's parameter, for the member tests the callee makes
 * (`if (!it->owner)`), or a plain member (`out->nmi`) a function below it tests: the callee
 * then follows only the branch the caller's test allows. Only facts that read nothing but the
 * object itself carry over.
 */
/** `p->info` or `p->info->threads_only`: the member of p a function below may test through. */
const FIRST_MEMBER = new RegExp(`^\\w+->(\\w+)(?:(?:->|\\.)\\w+)*(?:${HOLDS}-?\\w+)?$`);

function fieldFacts(
  facts: Facts,
  root: string,
  path: string,
  param: string,
  callee: FunctionEntry,
  testedBelow: FunctionDeps['testsMemberBelow'],
  readBelow: ReadonlySet<string> | undefined,
  byAddress = false,
): { key: string; mask: Mask }[] | undefined {
  const through = byAddress ? `${path}.` : `${path}->`;
  if (!param || !facts.some((f) => f.memory && f.key.includes(through))) return undefined;
  let out: { key: string; mask: Mask }[] | undefined;
  const tests = atomKeys(callee.fn.body);
  // `release(child)`: child->owner is it->owner; `dispatch(&ev)`: ev.queue is e->queue;
  // `start(&dhd->pub)`: dhd->pub.info is pub->info.
  const member = memberPattern(path, byAddress);
  for (const f of facts) {
    if (!f.memory || f.reads.length !== 1 || f.reads[0] !== root || !f.key.includes(through)) continue;
    const key = f.key.replace(member, byAddress ? `${param}->` : param);
    // `p->pending<=>true`: a comparison of the member is as good as a fact of it.
    const plain = FIRST_MEMBER.exec(key)?.[1] ?? comparisonSides(key)?.map((side) => FIRST_MEMBER.exec(side)?.[1]).find((m) => m !== undefined);
    // Zeroed memory, for a callee that tests its members (or hands it on to one that does),
    // listing only the members it reads among those no longer 0: one specialisation for all
    // callers that differ only in what they set that it never reads.
    if (key.startsWith(`${param}${ZEROED}`)) {
      if (readBelow && readBelow.size > 0) (out ??= []).push({ key: zeroedKeyFor(key, `${param}${ZEROED}`, readBelow), mask: f.mask });
      continue;
    }
    if (tests.has(key) || (plain && testedBelow?.(callee, plain))) (out ??= []).push({ key, mask: f.mask });
  }
  return out;
}

/** fieldFacts' pattern of `path` as the root of a member read, per path: asked at every call on every path. */
const memberPatterns = [new Map<string, RegExp>(), new Map<string, RegExp>()] as const;
function memberPattern(path: string, byAddress: boolean): RegExp {
  const cache = memberPatterns[byAddress ? 1 : 0];
  let re = cache.get(path);
  if (!re) {
    const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // Global, for String.replace only (which starts each use at 0 and leaves lastIndex at 0).
    re = byAddress ? new RegExp(`(?<![\\w.>])${escaped}\\.`, 'g') : new RegExp(`(?<![\\w.>])${escaped}(?=->)`, 'g');
    // A bound on a whole tree's paths, as memberPaths has.
    if (cache.size >= 1 << 16) cache.clear();
    cache.set(path, re);
  }
  return re;
}

/**
 * Can a constant for parameter i decide one of the callee's tests: a truth, sign or equality
 * test of it (`if (p)`, `p > 0`, `p == LABEL`, `p & FLAG`, a switch case), an ordering against
 * a number (`p >= 3`), or any use other than a test (passed on, a lockdep subclass)? Not
 * `offset > MAX_PAGE` alone: a register name says nothing about which side it is on, and each
 * would be a specialisation of its own.
 */
function constantDecides(callee: FunctionEntry, i: number): boolean {
  return perParam(decides, callee, i, computeDecides);
}

const decides = new WeakMap<FunctionIR, Map<number, boolean>>();
const tested = new WeakMap<FunctionIR, Map<number, boolean>>();

/** A per-parameter answer about a callee, computed once: asked at every call on every path. */
function perParam(cache: WeakMap<FunctionIR, Map<number, boolean>>, callee: FunctionEntry, i: number, compute: (callee: FunctionEntry, i: number) => boolean): boolean {
  let byParam = cache.get(callee.fn);
  if (!byParam) cache.set(callee.fn, (byParam = new Map()));
  let v = byParam.get(i);
  if (v === undefined) byParam.set(i, (v = compute(callee, i)));
  return v;
}

function computeDecides(callee: FunctionEntry, i: number): boolean {
  const param = callee.fn.params[i]?.name;
  if (!param || !callee.fn.condParams?.includes(i)) return true;
  if (callEvents(callee.fn.body).some((ev) => ev.args.some((a) => a?.text === param) || Object.values(ev.masked ?? {}).some((m) => m.root === param))) return true;
  let tested = false;
  const operand = new RegExp(`(?<![\\w.>])${param}(?![\\w])`);
  for (const key of atomKeys(callee.fn.body)) {
    if (!operand.test(key)) continue;
    tested = true;
    // `p` itself compared with 0 (`if (p)`, `p > 0`): a constant's sign decides it. (A number
    // sorts first in a comparison atom, `3<=>p`, which `operand` does not match: decided too.)
    if (key === param || equalityKeys(callee.fn.body).has(key)) return true;
  }
  return !tested;
}

/** `p->*!a!b!c` seen by a callee that reads only b and d: `p->*!b`. */
function zeroedKeyFor(key: string, prefix: string, read: ReadonlySet<string>): string {
  const kept = key.slice(prefix.length).split('!').filter((m) => m && read.has(m));
  return kept.length ? `${prefix}!${kept.join('!')}` : prefix;
}

/** Does the callee test parameter i's value (`if (!p)`, `p == q`), or pass it on to be tested, rather than only read through it? */
function valueTested(callee: FunctionEntry, i: number): boolean {
  return perParam(tested, callee, i, computeValueTested);
}

function computeValueTested(callee: FunctionEntry, i: number): boolean {
  const param = callee.fn.params[i]?.name ?? '';
  if (!callee.fn.condParams?.includes(i)) return true;
  // Or a local that starts as a copy of it (`sk = cur; if (!sk)`).
  const names = new Set([param, ...Object.entries(callee.fn.paramCopies ?? {}).filter(([, p]) => p === param).map(([v]) => v)]);
  for (const key of atomKeys(callee.fn.body)) if (names.has(key) || comparisonSides(key)?.some((x) => names.has(x))) return true;
  return false;
}

function dedupe(held: readonly Held[]): Held[] {
  const seen = new Set<string>();
  const out: Held[] = [];
  for (const h of held) {
    const id = `${h.key}|${h.read}|${h.tryLock ?? false}`;
    if (h.key.startsWith('@') ? false : seen.has(id)) continue;
    seen.add(id);
    out.push(h);
  }
  return out;
}


/** The acquisition a summary keeps: which object it is only where `params` has its root (a caller can say which of its own that is). */
function withoutScope(h: Held, params?: ReadonlySet<string>): Acquisition {
  // setupUntil is this function's held entry's alone: callers order after the acquisition as ever.
  const { scope: _s, root, path, entry: _e, setupUntil: _u, ...a } = h;
  return root !== undefined && path !== undefined && params?.has(root) ? { ...a, root, path } : a;
}

function annotationRefInside(text: string, fn: FunctionIR, entry: FunctionEntry, classes: LockClasses): LockRef | null {
  const m = /^&?\(?([A-Za-z_]\w*)\)?((?:(?:->|\.)[A-Za-z_]\w*)*)$/.exec(text.replace(/\s+/g, ''));
  if (!m) return null;
  const fields = (m[2] ?? '').split(/->|\./).filter(Boolean);
  return classes.resolve({ root: m[1] as string, fields, text }, entry);
}

/** Every ops table the targets of one call through a pointer are stored in; undefined if none is known. */
function opsTables(targets: readonly FunctionEntry[], program: Program): string[] | undefined {
  const all = new Set<string>();
  for (const t of targets) for (const v of program.tablesOf(t.fn.name) ?? []) all.add(v);
  return all.size > 1 ? [...all].sort() : undefined;
}

/** Atomic as in_atomic() sees it, here or in the caller a summary is for (its preemption-off entry). */
const atomicHere = (held: readonly Held[]): boolean => inAtomic(held) || held.some((h) => h.key === PREEMPT_OFF);

const storedMembersCache = new WeakMap<Stmt, Map<string, ReadonlySet<string>>>();

/**
 * The caller's locks two paths to one acquisition both take it without holding: each path
 * released the lock first or is behind it (a holder hangs before), less those both are behind
 * (`behind`, kept as such). Only class keys: what a path is behind may name an instance.
 */
function mergedAfter(old: Acquisition, a: Acquisition, behind: readonly string[]): string[] {
  const both = (old.after ?? []).filter((k) => a.after?.includes(k));
  if (!old.behind?.length && !a.behind?.length) return both;
  const notHeld = (x: Acquisition, k: string): boolean => x.after?.includes(k) === true || x.behind?.includes(k) === true;
  for (const k of [...(old.after ?? []), ...(old.behind ?? [])]) {
    if (!k.includes('|') && !both.includes(k) && !behind.includes(k) && notHeld(old, k) && notHeld(a, k)) both.push(k);
  }
  return both;
}

/** What two paths' facts both say (none unless both say something), and whether `old` said just that. */
function bothSay(old: Facts | undefined, now: Facts | undefined): { facts: Facts | undefined; same: boolean } {
  const joined = old && now ? joinFacts(old, now) : undefined;
  const facts = joined?.length ? joined : undefined;
  return { facts, same: facts === old || (facts !== undefined && old !== undefined && factsKey(facts) === factsKey(old)) };
}

/** The members a body stores into through `root` (`root->lock = ..`, `root->ops.lock = ..`: lock); memoized per body. */
function storedMembersOf(body: Stmt, root: string): ReadonlySet<string> {
  let byRoot = storedMembersCache.get(body);
  if (!byRoot) {
    const all = new Map<string, Set<string>>();
    opsOf(body, (o) => {
      if (o.k !== 'set' || o.target === o.root) return;
      const m = storedMember(o.target);
      if (m) all.set(o.root, (all.get(o.root) ?? new Set()).add(m));
    });
    storedMembersCache.set(body, (byRoot = all));
  }
  return byRoot.get(root) ?? new Set();
}

const readsOnlyCache = new WeakMap<FunctionIR, boolean>();

/** A function that calls nothing and stores only into its own locals: its result depends on what it reads alone. */
function readsOnly(fn: FunctionIR): boolean {
  let r = readsOnlyCache.get(fn);
  if (r === undefined) {
    r = true;
    opsOf(fn.body, (o) => {
      if (o.k === undefined || (o.k === 'set' && (o.target !== o.root || !(o.root in fn.vars) || fn.params.some((p) => p.name === o.root)))) r = false;
    });
    readsOnlyCache.set(fn, r);
  }
  return r;
}

/** The fact key of a function-pointer member of an object a path names steadily (`t->lock`, `hw->ops->reset`), or undefined. */
function pointerSlot(object: AccessPath, member: string): string | undefined {
  return object.rootCall || object.cast || !/^\w+(?:(?:->|\.)\w+)*$/.test(object.text) ? undefined : `${object.text}->${member}`;
}

/** `t->lock:=tbl_lock_mutex`: the path called that function through the member (forgotten when t or the member is stored). */
const calledThrough = (slot: string, fnName: string): Fact => ({ key: `${slot}${HOLDS}${fnName}`, mask: P, reads: [/^\w+/.exec(slot)?.[0] ?? slot], memory: true, through: true });

/**
 * `member=function` of the members this path called through (`t->lock:=f`: `lock=f`), and
 * `member=&table` of those it pointed at an ops table (`t->ops:=&revoke_ops`), of the object
 * whose members' keys begin with `prefix` (`t->`, or `bd->le.` for `&bd->le`); not a constant
 * stored (`t->busy:=1`).
 */
function pathPointers(facts: Facts, prefix: string, isFunction: (name: string) => boolean, isTable: (name: string) => boolean): string[] | undefined {
  let out: string[] | undefined;
  for (const f of facts) {
    if (f.mask !== P || !f.key.startsWith(prefix)) continue;
    const m = /^(\w+):=(&?)(\w+)$/.exec(f.key.slice(prefix.length));
    if (m && (m[2] ? isTable : isFunction)(m[3] as string)) (out ??= []).push(`${m[1]}=${m[2]}${m[3]}`);
  }
  return out;
}

/** What the path knows of members over what the object says statically, member by member; sorted. */
function withPointers(given: readonly string[] | undefined, known: readonly string[] | undefined): readonly string[] | undefined {
  if (!known) return given;
  const members = new Set(known.map((k) => k.slice(0, k.indexOf('='))));
  return [...(given ?? []).filter((g) => !members.has(g.slice(0, g.indexOf('=')))), ...known].sort();
}

/**
 * The path that calls `target` through `object`, told which ops tables `object` may point to:
 * those `target` is stored in (`object@table` facts, Z for the others). Null when an earlier
 * call through the same object ruled out every table `target` is in. A target in no known
 * table says nothing.
 */
function withTable(d: Disjunct, object: string, tables: readonly string[], mine: ReadonlySet<string> | undefined): Disjunct | null {
  if (!mine || mine.size === 0) return d;
  const root = /^\w+/.exec(object)?.[0] ?? object;
  if (tables.filter((v) => mine.has(v)).every((v) => factOf(d.facts, `${object}@${v}`) === Z)) return null;
  let facts = d.facts;
  for (const v of tables) {
    const key = `${object}@${v}`;
    const was = factOf(facts, key);
    const now = mine.has(v) && was !== Z ? P : Z;
    if (was === now) continue;
    facts = withFact(facts.filter((f) => f.key !== key), { key, mask: now, reads: [root], memory: true });
  }
  return facts === d.facts ? d : { ...d, facts };
}

/**
 * Of a call's ways out, not those that release held locks but leave the path in an atomic region
 * another way out releasing the same locks ends: `lock_irq` and `unlock_irq` ops of two
 * implementations (one turns hardirqs off, the other softirqs) pair by flavour, so after the first
 * implementation's lock the unlock that leaves hardirqs off is the other implementation's.
 */
function sameFlavour(before: Disjunct, outs: Outcome[]): Outcome[] {
  if (outs.length < 2 || !before.held.some((h) => isPseudo(h.key))) return outs;
  const was = new Map<string, number>();
  for (const h of before.held) was.set(h.key, (was.get(h.key) ?? 0) + 1);
  const ended = outs.map((o) => {
    const left = new Map(was);
    for (const h of o.d.held) if (left.has(h.key)) left.set(h.key, (left.get(h.key) as number) - 1);
    const gone = [...left].filter(([, n]) => n > 0).map(([k]) => k);
    return { locks: gone.filter((k) => !isPseudo(k)).sort().join('|'), regions: gone.some(isPseudo) };
  });
  const ending = new Set(ended.filter((e) => e.regions && e.locks).map((e) => e.locks));
  if (ending.size === 0) return outs;
  const kept = outs.filter((_, i) => {
    const e = ended[i] as { locks: string; regions: boolean };
    return e.regions || !e.locks || !ending.has(e.locks);
  });
  return kept.length ? kept : outs;
}


/** Two builds no configuration has both of: some `#X` atom (of one of `names`, when given) known one way in each and not the other. */
function otherBuild(a: Facts, b: Facts, names?: ReadonlySet<string>): boolean {
  return a.some((x) => (!names || names.has(x.key.slice(1))) && b.some((y) => y.key === x.key && (x.mask & y.mask) === 0));
}

/** The flags variable each acquisition of a body saves the irq state into (`spin_lock_irqsave(l, flags)`), by line. */
function savedFlagsByLine(body: Stmt, catalogue: Catalogue): Map<number, string> {
  const out = new Map<number, string>();
  for (const ev of callEvents(body)) {
    const effect = catalogue.get(ev.callee);
    const flags = (effect?.k === 'acquire' || effect?.k === 'tryAcquire' || effect?.k === 'condAcquire') && effect.flagsArg !== undefined ? ev.args[effect.flagsArg]?.text : undefined;
    if (flags) out.set(ev.line, flags);
  }
  return out;
}

/** Taken where a holder of its class would not hang: nested, or only after releasing that very class. */
function reentersFreely(a: Acquisition): boolean {
  return a.nested || (a.after ?? []).some((k) => baseKey(k) === baseKey(a.key));
}

/** Whether some way out of the callee releases the caller's lock `key` (by its class, as an unlock matches it). */
function releasesKey(summary: Summary, key: string): boolean {
  const base = baseKey(key);
  return summary.exits.some((e) => e.gone.some((g) => g === key || baseKey(g) === base));
}

/** Held because a call made here through a function pointer returned holding it (`tx = ops->prep(c)`). */
function heldFromPointer(h: Held): boolean {
  const first = h.chain.step;
  return first.op === 'call' && first.via !== undefined && first.via !== 'macro' && h.chain.next !== null;
}
