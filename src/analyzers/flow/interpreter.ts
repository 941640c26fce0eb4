/**
 * The walk over one function's statement tree (c/ir.ts), generic over what a call does: the
 * client (locks/function-analysis.ts) applies calls and sees the paths that leave the function.
 * The walk owns control flow and facts: branches split the paths by what they test, loops and
 * goto labels run to a fixpoint, and guards end with their frame.
 *
 * Frames: every block and scoped_guard body is a frame (its scope number). A path leaving frames
 * by falling off the end, `break`, `continue`, `goto` or `return` drops the guards of every frame
 * it leaves:
 *
 *   { guard(mutex)(&a);            frame 1 holds a (scope 1)
 *     scoped_guard(spinlock, &b) { frame 2 holds b
 *       if (x) break;              -> leaves frames 2.. of the loop: b dropped, a kept
 *       if (y) goto out;           -> leaves every frame not around `out`
 *     }                            -> b dropped
 *   }                              -> a dropped
 *
 * Facts: an atom tested on a path is remembered there until an assignment to what it reads; at
 * a loop's back edge, facts read from memory are forgotten (the next iteration may read
 * another value). A call's result assigned to a variable becomes a fact about the variable.
 */
import { INDEXED_MEMBER, TESTED_MEMBER } from '../c/unset-members.ts';
import { tableAddress } from '../c/ops-tables.ts';
import { ANY, MEMBER_PATH, NEVER_NULL, N, P, Z, type CallEvent, type Cond, type FunctionIR, type Mask, type Op, type Stmt } from '../c/ir.ts';
import { unrooted, withoutScopes } from '../locks/held-set.ts';
import { ERROR_CODES, factOf, forget, forgetMemory, heldConstant, HOLDS, joinFacts, memberPaths, NO_FACTS, objectFacts, RETURNED, storeMayChange, storedIntoZeroed, storedPath, storedMember, withFact, zeroedFact, type Fact, type Facts, type MemberPath } from './facts.ts';
import { compoundFact } from './compound-conditions.ts';
import { copiedAtom, copiedRoot, copyFact, pointsToFact } from './copies.ts';
import { casesCover, isUnsigned, switchCases } from './switch-coverage.ts';
import { afterListCall, localLists, walkingList } from './local-lists.ts';
import { andSigns, comparisonSides, constantSign, constantSigns, differenceSigns, errorCode, integerValue, isConstantName, isFlagName, mirrorSigns, type ConstantNames } from '../c/comparison.ts';
import { atomKeys, opsOf } from '../c/call-graph.ts';
import { COUNTED } from '../c/counted-releases.ts';
import { BOTTOM, join, leq, mapPaths, normalize, type Disjunct, type State } from './state.ts';

/** One way a call can return: the path after it and the values its result may have. */
export interface Outcome {
  d: Disjunct;
  ret: Mask;
  /** The call returned zeroed memory (c/zeroing.ts): the variable assigned it has every member 0. */
  zeroed?: boolean;
  /** What the callee's way out knew of the object it returned, rooted at RETURNED (ExitCase.returned). */
  returned?: Facts;
  /** The error codes (`-EINVAL`) the call returns where it returns a negative value, when all are known (ExitCase.codes). */
  codes?: readonly string[];
}

export interface FlowClient {
  /**
   * A call on one path. No outcome: the call does not return (BUG(), panic()). `tested`: its
   * result is tested or kept, so a conditional acquisition is worth splitting.
   */
  call(d: Disjunct, ev: CallEvent, scope: number, tested: boolean): Outcome[];
  /** `scoped_guard(T, &l) { ... }`: the path entering its body, holding l in frame `scope`. */
  enterScoped(d: Disjunct, st: Extract<Stmt, { k: 'scoped' }>): Disjunct;
  /** A path where `variable` was tested NULL: nothing reached through it can be held. */
  nulled(d: Disjunct, variable: string): Disjunct;
  /** The program's constant names beyond the upper-case ones (enumerators). */
  constants?: ConstantNames;
  /**
   * A call of a function that only reads (`port_live(p)`, `efx_dev_registered(efx)`): the atom
   * its result is, so a second test of the same call follows the branch the first one took.
   */
  pureCall?: (ev: CallEvent) => { key: string; reads: string[] } | undefined;
  /** Members nothing in the program or its tree sets (c/unset-members.ts): `if (c->cansleep)` is false. */
  unsetMembers?: ReadonlySet<string>;
  /** Members every store gives a constant flag set, with the names stored (c/unset-members.ts): `m & OTHER` is 0. */
  flagMembers?: ReadonlyMap<string, ReadonlySet<string>>;
  /** What the program's member value sets say of an atom (c/member-values.ts); ANY if nothing. */
  memberAnswer?: (key: string) => Mask;
  /** What the path's held set says of an atom (`in_interrupt()` under spin_lock_bh()); ANY if nothing. */
  heldAnswer?: (d: Disjunct, key: string) => Mask;
  /** A global initialised with functions (`static const struct foo_ops revoke_ops = { .add = f }`): an ops table. */
  isOpsTable?: (name: string) => boolean;
  /**
   * A call that may write what the addresses it is handed point to, and says nothing of what it
   * wrote (`memcpy(&p->desc, ..)`: a function the program has no body for, no lock operation).
   */
  mayFill?: (ev: CallEvent) => boolean;
}

/** A path leaving the function: what it holds and what it returns. */
export interface Exit {
  d: Disjunct;
  ret: Mask;
  line: number;
  /** `return bp;`: the local returned, whose locks the caller now holds through the result. */
  retVar?: string;
  /** `return make_foo(x);`: what the callee's way out knew of the object it returned (Outcome.returned). */
  returned?: Facts;
  /**
   * `return -EINVAL;` (or `return err;` with err holding it, or holding a call's result whose
   * error codes are all known): the error codes returned where negative.
   */
  codes?: readonly string[];
}

export interface WalkResult {
  exits: Exit[];
  /** Fixpoints that stopped at their round cap before converging ("loop", "goto"). */
  capped: string[];
}

/** Rounds a loop or a function's goto labels get to settle before the walk stops and says so. */
export const MAX_ROUNDS = 6;

/** The `retVar` of `return f(x);`: what f returned is what this function returns. */
export const RESULT = '@result';

interface LoopCtx {
  breaks: State;
  continues: State;
  /** frames.length when the loop (or switch) was entered. */
  depth: number;
}

const IDENT = /^[A-Za-z_]\w*$/;

/** `container_of(p, ...)` of a p with these values: inside a real object where p is one, an error where p is, never NULL. */
const insideOf = (m: Mask): Mask => (m & P) | (m & N) | (m & Z ? P | N : 0);

/**
 * `x == Y` or `x < 8` where the path stored a constant in x: decided as a caller's constant
 * argument decides `param == LABEL` (see constantSigns). The atom is the sign of a - b.
 */
export function comparedToHeld(facts: Facts, [a, b]: readonly [string, string], names: ConstantNames | undefined): Mask {
  // `ret == -EAGAIN` where ret came from a call that, when negative, returns only other codes.
  for (const [side, other] of [[a, b], [b, a]] as const) {
    const codes = errorCodesOf(facts, side);
    const code = errorCode(other);
    if (codes && code && !codes.some((c) => sameErrorCode(c, code))) return P | N;
  }
  for (const side of [a, b]) {
    const value = heldConstant(facts, side) ?? maskedHeld(facts, side, names);
    if (value === undefined) continue;
    // `err == -EAGAIN` after `err = -ENOMEM`: two error codes.
    const codes = errorCode(value) && errorCode(side === a ? b : a);
    if (codes) return sameErrorCode(value, side === a ? b : a) ? Z : P | N;
    const signs = side === a ? constantSigns(value, b, names) : constantSigns(a, value, names);
    if (signs !== undefined) return signs;
  }
  // `rc == -ENOENT` where the path knows rc is 0 (a callee's success exit): decided by signs. So
  // is `t->class == T_INIT` (0) where it knows t->class is not 0, of one of two later stages.
  for (const side of [a, b]) {
    if (!(IDENT.test(side) || MEMBER_PATH.test(side)) || isConstantName(side, names)) continue;
    const k = constantSign(side === a ? b : a, names);
    const x = factOf(facts, side);
    if (k === undefined || x === ANY) continue;
    const signs = differenceSigns(x, k);
    if (signs !== ANY) return side === a ? signs : mirrorSigns(signs);
  }
  return unequalByBits(facts, a, b, names) ?? unequalByBits(facts, b, a, names) ?? ANY;
}

/** The codes a path knows `v` may hold where it is negative, if it knows. */
function errorCodesOf(facts: Facts, v: string): string[] | undefined {
  const prefix = `${v}${ERROR_CODES}`;
  for (const f of facts) if (f.mask === P && f.key.startsWith(prefix)) return f.key.slice(prefix.length).split('|');
  return undefined;
}

/** Two names of one error code in Linux's errno headers. */
const ERRNO_ALIASES: ReadonlyMap<string, string> = new Map([['-EWOULDBLOCK', '-EAGAIN'], ['-EDEADLOCK', '-EDEADLK']]);
export const sameErrorCode = (a: string, b: string): boolean => (ERRNO_ALIASES.get(a) ?? a) === (ERRNO_ALIASES.get(b) ?? b);

/**
 * `iolock == XFS_IOLOCK_SHARED` where the path knows `iolock & XFS_IOLOCK_EXCL` is set (a
 * callee's way out that took the exclusive lock): a bit the constant lacks, so not equal; or
 * clear where the constant has it. Flags of different names are different bits, as in a
 * caller's flag set, unless the program gives both values.
 */
function unequalByBits(facts: Facts, side: string, other: string, names: ConstantNames | undefined): Mask | undefined {
  if (!(IDENT.test(side) || MEMBER_PATH.test(side)) || isConstantName(side, names) || !isFlagName(other, names)) return undefined;
  const prefix = `${side}&`;
  for (const f of facts) {
    if (!f.key.startsWith(prefix) || f.mask === ANY) continue;
    const flag = f.key.slice(prefix.length);
    if (!isFlagName(flag, names)) continue;
    const has = andSigns(other, flag, names) ?? (flag === other ? P | N : /^_*GFP_/.test(other) ? undefined : Z);
    if (has === undefined) continue;
    if ((f.mask & Z) === 0 && has === Z) return P | N;
    if (f.mask === Z && has !== Z) return P | N;
  }
  return undefined;
}

/** A number or a name the program gives an integer value. */
function numberOf(s: string, names: ConstantNames | undefined): number | undefined {
  const v = integerValue(s) ?? names?.value(s);
  return typeof v === 'number' ? v : undefined;
}

/**
 * `verdict&NF_VERDICT_MASK` where the path knows the constant verdict holds and both values are
 * known (`switch (verdict & NF_VERDICT_MASK)` with NF_DROP passed): the masked value, as a number.
 */
function maskedHeld(facts: Facts, side: string, names: ConstantNames | undefined): string | undefined {
  const m = /^([A-Za-z_][\w.>-]*)&(\w+)$/.exec(side);
  const held = m ? heldConstant(facts, m[1] as string) : undefined;
  if (!m || held === undefined) return undefined;
  const x = numberOf(held, names);
  const mask = numberOf(m[2] as string, names);
  return x !== undefined && mask !== undefined ? String(x & mask) : undefined;
}

/**
 * The sign of `x++` / `x--` from the sign of x: an index that starts at 0 and only counts up
 * is never -1 (`while (index == INVALID)` after a search loop). Counting down from 0 is
 * negative, or for an unsigned type the largest value: only known not to be 0.
 */
export function steppedSign(was: Mask, step: 1 | -1): Mask {
  if (was === ANY) return ANY;
  let out = 0;
  if (was & Z) out |= step > 0 ? P : N | P;
  if (was & P) out |= step > 0 ? P : Z | P;
  if (was & N) out |= step > 0 ? N | Z : N;
  return out as Mask;
}

/** The signs one of several constants can have; unknown if one of them is. */
function oneOfSign(constants: readonly string[], names: ConstantNames | undefined): Mask {
  let out = 0;
  for (const c of constants) {
    const sign = constantSign(c, names);
    if (sign === undefined) return ANY;
    out |= sign;
  }
  return out as Mask;
}

/** `mpath->flags&PATH_ACTIVE`: the variable or member path and the constant it is and'ed with. */
const ANDED = /^([A-Za-z_]\w*(?:(?:->|\.)\w+)*)&([A-Za-z_]\w*|0[xX][0-9a-fA-F]+|\d+)$/;
const andedKeys = new Map<string, readonly [string, string] | null>();

function andedParts(key: string): readonly [string, string] | undefined {
  let parts = andedKeys.get(key);
  if (parts === undefined) {
    const m = key.includes('&') ? ANDED.exec(key) : null;
    parts = m ? [m[1] as string, m[2] as string] : null;
    if (andedKeys.size > 100_000) andedKeys.clear();
    andedKeys.set(key, parts);
  }
  return parts ?? undefined;
}

/**
 * `mpath->flags & PATH_ACTIVE` where the path stored 0 in the member (`mpath->flags = 0;` just
 * before the call), knows it 0 (a test, zeroed memory), or stored a constant whose bits are
 * known: the test is decided, as a caller's constant flag set decides `param & FLAG`.
 */
function andedWithKnown(facts: Facts, [x, flag]: readonly [string, string], names: ConstantNames | undefined): Mask {
  if (factOf(facts, x) === Z) return Z;
  const held = heldConstant(facts, x);
  return (held !== undefined ? andSigns(held, flag, names) : undefined) ?? ANY;
}

const NOTHING_UNSET = { unset: ANY, side: -1 } as const;

/**
 * `ieee->features & F_BEACONS` where every store of `features` names its bits and none names
 * F_BEACONS (nor, where the values are known, a bit of it): 0. Flags are distinct bits, as in a
 * caller's flag set.
 */
function bitNeverStored(members: ReadonlyMap<string, ReadonlySet<string>>, [x, flag]: readonly [string, string], names: ConstantNames | undefined): Mask {
  const stored = members.get(/(?:->|\.)(\w+)$/.exec(x)?.[1] ?? '');
  if (!stored || stored.has(flag) || !isFlagName(flag, names)) return ANY;
  const bit = names?.value(flag);
  if (typeof bit === 'number') {
    for (const n of stored) {
      const v = names?.value(n);
      if (typeof v !== 'number' || (v & bit) !== 0) return ANY;
    }
  }
  return Z;
}
const unsetAtoms = new WeakMap<ReadonlySet<string>, Map<string, { unset: Mask; side: number }>>();

/**
 * What the members nothing sets say of an atom, once per atom key: Z when it tests one for truth
 * (`if (c->cansleep)`), and which side of a comparison is one (`g.mon_if[i].mon_ndev == ndev`).
 */
function unsetIn(members: ReadonlySet<string>, key: string, sides: readonly [string, string] | null): { unset: Mask; side: number } {
  let byKey = unsetAtoms.get(members);
  if (!byKey) unsetAtoms.set(members, (byKey = new Map()));
  let r = byKey.get(key);
  if (!r) {
    const unset = members.has(TESTED_MEMBER.exec(key)?.[1] ?? '') ? Z : ANY;
    const side = sides ? sides.findIndex((s) => members.has(INDEXED_MEMBER.exec(s)?.[1] ?? '')) : -1;
    byKey.set(key, (r = { unset, side }));
  }
  return r;
}

/**
 * `g.mon_if[i].mon_ndev == ndev` with the member nothing sets (0): the signs of the difference,
 * from what the path knows of the other side when it is a variable (non-NULL: never equal).
 */
function comparedToZero(facts: Facts, sides: readonly [string, string], zero: number, names: ConstantNames | undefined): Mask {
  const other = sides[1 - zero] as string;
  if (!IDENT.test(other) || isConstantName(other, names)) return ANY;
  const x = factOf(facts, other);
  if (x === ANY) return ANY;
  const signs = differenceSigns(x, Z);
  return zero === 1 ? signs : mirrorSigns(signs);
}

/** The program's constant names, without the variables an atom reads (a local `idle` beside an enumerator `idle`). */
function variablesAreNotConstants(names: ConstantNames | undefined, reads: readonly string[]): ConstantNames | undefined {
  if (!names || reads.length === 0) return names;
  return { value: (n) => (reads.includes(n) ? undefined : names.value(n)) };
}

/** `rc == -EAGAIN` held: past it, rc has the constant's sign. */
function equalSideSign([a, b]: readonly [string, string], names: ConstantNames | undefined): { variable: string; mask: Mask } | undefined {
  for (const side of [a, b]) {
    const k = IDENT.test(side) && !isConstantName(side, names) ? constantSign(side === a ? b : a, names) : undefined;
    if (k !== undefined) return { variable: side, mask: k };
  }
  return undefined;
}

/** `x == NAME` with x a variable or a member path and NAME a constant: which side is which. */
function heldSide([a, b]: readonly [string, string], names: ConstantNames | undefined): { variable: string; constant: string } | undefined {
  for (const [v, k] of [[a, b], [b, a]] as const) {
    if ((IDENT.test(v) || MEMBER_PATH.test(v)) && !isConstantName(v, names) && (isConstantName(k, names) || /^-?\d+$/.test(k))) return { variable: v, constant: k };
  }
  return undefined;
}

/** The member paths a call is handed the address of (`&p->desc`, `&s.cfg.rx`), as stores see them. */
function addressedMembers(ev: CallEvent): MemberPath[] | undefined {
  let out: MemberPath[] | undefined;
  for (const a of ev.args) {
    if (!a || a.fields.length === 0 || a.rootCall || a.cast || !a.text.startsWith('&') || a.text.includes('[')) continue;
    const path = storedPath(a.text.slice(1).replace(/\s+/g, ''));
    if (path) (out ??= []).push(path);
  }
  return out;
}

/**
 * `d` without the facts it had before the call (`before`) about the fields of a member struct
 * whose address the call was handed. Not the member itself: `dd->unit = -1;
 * idr_get_new(.., &dd->unit)` writes an out-parameter only where it succeeds, and the caller's
 * failure path tests the -1 it stored.
 */
function forgetWrittenThrough(d: Disjunct, before: Facts, written: readonly MemberPath[]): Disjunct {
  const gone = (f: Fact): boolean => f.memory && before.includes(f) && memberPaths(f.key).some((p) => written.some((t) => p.root === t.root && p.chain.length > t.chain.length && storeMayChange(p, t)));
  return d.facts.some(gone) ? { ...d, facts: d.facts.filter((f) => !gone(f)) } : d;
}

/**
 * The memory facts every entry path of a loop holds, that its own condition does not test and
 * that its back edge would otherwise forget (only for those does keeping them change a walk).
 */
function stableMemory(s: State, st: Extract<Stmt, { k: 'loop' }>): ReadonlySet<string> {
  const first = s[0];
  if (!first || !first.facts.some((f) => f.memory)) return new Set();
  const memory = loopMemory(st);
  const own = new Set<string>();
  const visit = (c: Cond | null): void => {
    if (!c) return;
    if (c.k === 'not') visit(c.c);
    else if (c.k === 'and' || c.k === 'or') {
      visit(c.a);
      visit(c.b);
    } else if (c.k === 'atom') own.add(c.key);
  };
  visit(st.cond);
  const out = new Set<string>();
  for (const f of first.facts) {
    if (!f.memory || f.assigned || own.has(f.key) || forgetMemory([f], memory.keys, memory.tested, []).length > 0) continue;
    if (s.every((d) => d.facts.some((g) => g.key === f.key))) out.add(f.key);
  }
  return out;
}

interface LoopMemory {
  keys: ReadonlySet<string>;
  tested: readonly MemberPath[];
  stored: readonly MemberPath[];
}
const loopMemories = new WeakMap<Stmt, LoopMemory>();

/** What a loop tests, and the member paths its tests read and its stores write. */
function loopMemory(st: Stmt): LoopMemory {
  let m = loopMemories.get(st);
  if (!m) {
    const keys = atomKeys(st);
    const tested = [...keys].flatMap(memberPaths);
    const stored: MemberPath[] = [];
    opsOf(st, (o) => {
      const path = o.k === 'set' ? storedPath(o.target) : undefined;
      if (path) stored.push(path);
    });
    loopMemories.set(st, (m = { keys, tested, stored }));
  }
  return m;
}

/** Walks `fn` from the entry path; the client's callbacks see every call, many times in loops. */
export function walkFunction(fn: FunctionIR, entry: Disjunct, client: FlowClient, maxRounds = MAX_ROUNDS): WalkResult {
  const labels = new Map<string, State>();
  // The lists the function declares itself (flow/local-lists.ts).
  const lists = localLists(fn);
  const loops: LoopCtx[] = [];
  const frames: number[] = [];
  const capped = new Set<string>();
  let exits: Exit[] = [];
  // A goto to a label not yet passed this round is a forward jump: no re-run needed for it.
  let labelsGrew = false;
  const passed = new Set<string>();
  let labelFrames: Map<string, ReadonlySet<number>> | undefined;

  const currentScope = (): number => frames[frames.length - 1] ?? 0;

  const dropFrames = (s: State, scopes: readonly number[]): State => {
    if (scopes.length === 0) return s;
    const set = new Set(scopes);
    return mapPaths(s, (d) => {
      const held = withoutScopes(d.held, set);
      return held === d.held ? d : { ...d, held };
    });
  };

  const setFact = (d: Disjunct, variable: string, mask: Mask): Disjunct => {
    let facts = forget(d.facts, variable, variable);
    // `*out = f()`: a fact about memory, read through `out` (reassigning out forgets it).
    const deref = variable.startsWith('*');
    if (mask !== ANY) facts = withFact(facts, { key: variable, mask, reads: [deref ? variable.slice(1) : variable], memory: deref, assigned: true });
    return facts === d.facts ? d : { ...d, facts };
  };

  const callOutcomes = (d: Disjunct, ev: CallEvent, tested = ev.assignTo !== undefined): Outcome[] => {
    let outs = client.call(d, ev, currentScope(), tested);
    // A call handed a whole object may change what a read-only call of it answers (`add(q)`
    // between two `empty(q)`); one handed a member's address (`spin_lock(&q->lock)`) that member.
    if (d.facts.some(isCallAtom) && !client.pureCall?.(ev)) {
      const roots = ev.args.flatMap((a) => (a && a.fields.length === 0 ? [a.root] : []));
      outs = outs.map((o) => ({ ...o, d: withoutCallAtoms(o.d, roots) }));
    }
    // `memcpy(&p->desc, src, n)`: the call may write the member struct whose address it is
    // handed; what the path knew of its fields before the call is gone.
    const written = d.facts.some((f) => f.memory) && client.mayFill?.(ev) ? addressedMembers(ev) : undefined;
    if (written) outs = outs.map((o) => ({ ...o, d: forgetWrittenThrough(o.d, d.facts, written) }));
    if (!ev.assignTo) return outs;
    // `buf = list_first_entry(&q, ...)`: container_of of a member address is never NULL.
    if (NEVER_NULL.has(ev.callee)) outs = outs.map((o) => (o.ret & (P | N) ? { ...o, ret: o.ret & (P | N) } : o));
    const v = ev.assignTo;
    // `p = make_foo()`: what make_foo's ways out knew of the object they made (the members it
    // left 0). A way that returns no object (NULL, an error pointer) may say the same of it, so
    // that joining the two paths before `if (IS_ERR(p))` keeps it.
    let made: Facts | undefined;
    for (const o of outs) if (o.ret & P) made = made ? joinFacts(made, o.returned ?? NO_FACTS) : (o.returned ?? NO_FACTS);
    return outs.map((o) => {
      const d1 = setFact(o.d, v, o.ret);
      // What error codes it may hold where it is negative: a later `v == -EAGAIN` of one it never returns is false.
      const d2 = o.codes && IDENT.test(v) ? { ...d1, facts: withFact(d1.facts, { key: `${v}${ERROR_CODES}${o.codes.join('|')}`, mask: P, reads: [v], memory: false, assigned: true }) } : d1;
      const returned = o.ret & P ? o.returned : made;
      if (!IDENT.test(v) || (!o.zeroed && !returned?.length)) return { d: d2, ret: o.ret };
      let facts = o.zeroed ? withFact(d2.facts, zeroedFact(v)) : d2.facts;
      for (const f of objectFacts(returned ?? NO_FACTS, RETURNED, v)) facts = withFact(facts, f);
      return { d: { ...d2, facts }, ret: o.ret };
    });
  };

  const applyOp = (s: State, op: Op): State => {
    if (op.k === 'set') {
      return mapPaths(s, (d) => {
        const nd = stored(d, op);
        // `t = seq->private; t->class = T_UNSPEC`: stored into seq->private->class too, where a
        // callee handed seq (and testing its own copy, member-copies.ts) looks, and its caller.
        // Only a copy of a member: a copy of a whole variable (`p = (void *)data`) may be of an
        // integer, whose members are no path.
        // And only a member this function tests (as seq->private->class, member-copies.ts): each
        // mirrored store is one more fact its exits differ by.
        const copied = MEMBER_PATH.test(op.target) ? copiedRoot(d.facts, op.root) : undefined;
        const via = copied !== undefined && MEMBER_PATH.test(copied) ? `${copied}${op.target.slice(op.root.length)}` : undefined;
        return via && testedSides().has(via) ? stored(nd, { ...op, target: via, root: /^\w+/.exec(via)?.[0] as string }) : nd;
      });
    }
    if (s.length === 0) return s;
    return applyCall(s, op);
  };

  /** Every expression the function's tests read: atom keys, and each side of a comparison. */
  let sides: Set<string> | undefined;
  const testedSides = (): ReadonlySet<string> => {
    if (!sides) {
      sides = new Set<string>();
      for (const k of atomKeys(fn.body)) {
        sides.add(k);
        for (const x of comparisonSides(k) ?? []) sides.add(x);
      }
    }
    return sides;
  };

  /** What a store does on one path. */
  const stored = (d: Disjunct, op: Extract<Op, { k: 'set' }>): Disjunct => {
    let facts = forget(d.facts, op.root, op.target);
    // Kept for lock pointers only: each fact is one more a path carries through every join.
    const points = op.addr && op.target === op.root && fn.vars[op.target]?.k === 'lock' ? pointsToFact(op.target, op.addr) : undefined;
    if (points) facts = withFact(facts, points);
    // `fill(&h)` may have written h: what the callee itself said of h stays.
    if (op.byCall && facts !== d.facts) for (const f of d.facts) if (f.call === op.line && f.reads[0] === op.root) facts = withFact(facts, f);
    // `flag |= F_START` keeps what was known of its other bits (`flag & F_ACQUIRE` still clear).
    if (op.bits) for (const f of d.facts) if (otherBit(f.key, op.target, op.bits.names)) facts = withFact(facts, f);
    const member = op.target === op.root ? undefined : storedMember(op.target);
    if (member) facts = storedIntoZeroed(facts, member);
    // The target now holds the constant, or what the path knew of the variable stored.
    // `st = eRfOff`: an enumerator is a constant, of its declared value's sign.
    // A capitalised name is kept as written (`lit`, for `== OTHER`) but is as much an enumerator (`held = IMG_TRUE`).
    const written = op.name ?? (op.lit !== undefined && IDENT.test(op.lit) ? op.lit : undefined);
    const named = written !== undefined && client.constants?.value(written) !== undefined ? written : undefined;
    const namedSign = named !== undefined ? constantSign(named, client.constants) : undefined;
    // `ndev = g.mon_if[i].mon_ndev` of a member nothing sets: NULL, as the member is.
    const unset = op.member !== undefined && client.unsetMembers?.has(op.member) === true;
    // `i++` from what the path knew of i; `x = c ? 0 : K` from the constants' signs.
    const derived = op.step !== undefined && IDENT.test(op.target) ? steppedSign(factOf(d.facts, op.target), op.step) : op.oneOf ? oneOfSign(op.oneOf, client.constants) : ANY;
    const value = unset ? Z : op.value !== ANY ? op.value : namedSign !== undefined ? namedSign : op.from !== undefined ? factOf(d.facts, op.from) : derived;
    if (value !== ANY) {
      if (IDENT.test(op.target)) facts = withFact(facts, { key: op.target, mask: value, reads: [op.target], memory: false, assigned: true });
      // `pAd->irq_disabled |= 1` (a lock macro raising a flag), `handle->nmi = nmi`: a later `if (pAd->irq_disabled)`, here or in a callee handed pAd, knows it.
      else if (MEMBER_PATH.test(op.target)) facts = withFact(facts, { key: op.target, mask: value, reads: [op.root], memory: true, assigned: true });
      // `*psession = session`: what the caller's variable handed by address holds after the call.
      else if (op.target === op.root && op.root.startsWith('*') && IDENT.test(op.root.slice(1))) facts = withFact(facts, { key: op.target, mask: value, reads: [op.root.slice(1)], memory: true, assigned: true });
    }
    // `ev.queue = QUEUE_DIRECT`: which constant it holds, for a later `ev.queue == OTHER`; and
    // `cmd.command = event` with event holding one (a constant the caller passed), that one.
    const lit = op.lit ?? named ?? (op.from !== undefined ? heldConstant(d.facts, op.from) : undefined);
    if (lit !== undefined && (IDENT.test(op.target) || MEMBER_PATH.test(op.target))) {
      facts = withFact(facts, { key: `${op.target}${HOLDS}${lit}`, mask: P, reads: [op.root], memory: op.target !== op.root, assigned: true });
    }
    // `le->ops = &revoke_ops`: which ops table the member points to, so a later call through it
    // (`le->ops->add(..)`, here or in a callee handed le) reaches that table's function only.
    const table = op.addr && lit === undefined && client.isOpsTable ? tableAddress(op.addr, fn, client.isOpsTable) : undefined;
    if (table !== undefined && MEMBER_PATH.test(op.target)) facts = withFact(facts, { key: `${op.target}${HOLDS}&${table}`, mask: P, reads: [op.root], memory: true, assigned: true });
    // `flag &= ~F_ACQUIRE`: a later `if (flag & F_ACQUIRE)` is false; `flag |= F_DONE`: `flag & F_DONE` true.
    // (The atoms on its other bits went with the assignment.)
    for (const n of op.bits?.names ?? []) facts = withFact(facts, { key: `${op.target}&${n}`, mask: op.bits?.set ? P | N : Z, reads: [op.root], memory: op.target !== op.root, assigned: true });
    // `function = hdr->Function`: a later test of either is a test of both (flow/copies.ts).
    const copy = op.from !== undefined && op.target === op.root ? copyFact(op.target, op.from) : undefined;
    if (copy) facts = withFact(facts, copy);
    // A call that writes x through &x told its caller which of its locks are on x (see localRoot).
    const held = op.target === op.root && !op.byCall ? unrooted(d.held, op.root) : d.held;
    return facts === d.facts && held === d.held ? d : { ...d, facts, held };
  };

  const applyCall = (s: State, op: Exclude<Op, { k: 'set' }>): State => {
    const out: Disjunct[] = [];
    for (const d of s) {
      // A wait whose condition this path knows holds returns at once: no sleep, no lock dropped.
      if (op.until && evalCond([d], op.until).f.length === 0) {
        out.push(op.assignTo ? stored(d, { k: 'set', target: op.assignTo, root: op.assignTo, value: ANY, line: op.line }) : d);
        continue;
      }
      const facts = lists.size ? afterListCall(d.facts, op, lists) : d.facts;
      for (const o of callOutcomes(facts === d.facts ? d : { ...d, facts }, op)) out.push(o.d);
    }
    return normalize(out);
  };

  const applyOps = (s: State, ops: readonly Op[]): State => {
    let cur = s;
    for (const op of ops) {
      if (cur.length === 0) return cur;
      cur = applyOp(cur, op);
    }
    return cur;
  };

  /**
   * The split of a compound test, keeping only the paths consistent with an earlier test of the
   * same whole condition, and remembering its outcome on each side (flow/compound-conditions.ts).
   */
  const remembered = (c: Cond, r: { t: State; f: State }): { t: State; f: State } => {
    const whole = compoundFact(c);
    if (!whole) return r;
    const side = (ds: State, mask: Mask): State => normalize(ds.flatMap((d) => (factOf(d.facts, whole.key) & mask ? [{ ...d, facts: withFact(d.facts, { ...whole, mask }) }] : [])));
    return { t: side(r.t, P), f: side(r.f, Z) };
  };

  /** Splits the paths by a condition into those where it is true and false. */
  const evalCond = (s: State, c: Cond): { t: State; f: State } => {
    if (s.length === 0) return { t: BOTTOM, f: BOTTOM };
    switch (c.k) {
      case 'not': {
        const r = evalCond(s, c.c);
        return { t: r.f, f: r.t };
      }
      case 'and': {
        const a = evalCond(s, c.a);
        const b = evalCond(a.t, c.b);
        return remembered(c, { t: b.t, f: join(a.f, b.f) });
      }
      case 'or': {
        const a = evalCond(s, c.a);
        const b = evalCond(a.f, c.b);
        return remembered(c, { t: join(a.t, b.t), f: b.f });
      }
      case 'const':
        return c.value ? { t: s, f: BOTTOM } : { t: BOTTOM, f: s };
      case 'atom': {
        const t: Disjunct[] = [];
        const f: Disjunct[] = [];
        const plainVar = c.reads.length === 1 && c.reads[0] === c.key;
        // `if (p->parent)` reads through p: past the test, either way, p is not NULL.
        const through = /^([A-Za-z_]\w*)->/.exec(c.key)?.[1];
        const deref = through !== undefined && c.reads.includes(through) && fn.vars[through]?.ptr === true ? through : undefined;
        // A pointer tested against NULL: non-NULL is a valid object, not an ERR_PTR (that is IS_ERR's test).
        const nullTest = plainVar && fn.vars[c.key]?.ptr === true && (c.test === Z || c.test === (P | N));
        const sides = comparisonSides(c.key);
        // A side the atom reads as a variable is no constant, even named like an enumerator.
        const names = sides ? variablesAreNotConstants(client.constants, c.reads) : undefined;
        const anded = sides ? undefined : andedParts(c.key);
        const { unset, side: unsetSide } = client.unsetMembers ? unsetIn(client.unsetMembers, c.key, sides) : NOTHING_UNSET;
        const unstored = (anded && client.flagMembers ? bitNeverStored(client.flagMembers, anded, client.constants) : ANY) & (client.memberAnswer?.(c.key) ?? ANY);
        for (const d of s) {
          // `if (function == TM)` after `function = hdr->Function` and a test of hdr->Function: one test.
          const copied = copiedAtom(d.facts, c.key, client.constants);
          const m = (copied ? copied.map(factOf(d.facts, copied.key)) : ANY) & factOf(d.facts, c.key) & (anded ? andedWithKnown(d.facts, anded, client.constants) : ANY) & (sides ? comparedToHeld(d.facts, sides, names) : ANY) & unset & unstored & (unsetSide < 0 || !sides ? ANY : comparedToZero(d.facts, sides, unsetSide, names)) & (client.heldAnswer?.(d, c.key) ?? ANY);
          let tm = m & c.test;
          let fm = m & ~c.test & ANY;
          if (nullTest && c.test === Z && fm & P) fm &= ~N;
          if (nullTest && c.test !== Z && tm & P) tm &= ~N;


          const narrow = (mask: Mask): Disjunct => {
            let facts = withFact(d.facts, { key: c.key, mask, reads: c.reads, memory: c.memory });
            if (copied) facts = withFact(facts, { key: copied.key, mask: copied.map(mask), reads: copied.reads, memory: copied.memory });
            const equal = mask === Z && sides ? equalSideSign(sides, names) : undefined;
            if (equal) facts = withFact(facts, { key: equal.variable, mask: equal.mask, reads: [equal.variable], memory: false });
            // Past `log_point == AUD_LOG_PCMIN`, log_point holds that constant: a later
            // `log_point == AUD_LOG_PCMOUT` is false (comparedToHeld), as after a store of it.
            const holds = mask === Z && sides ? heldSide(sides, names) : undefined;
            if (holds) facts = withFact(facts, { key: `${holds.variable}${HOLDS}${holds.constant}`, mask: P, reads: c.reads, memory: c.memory });
            if (deref) facts = withFact(facts, { key: deref, mask: P | N, reads: [deref], memory: false });
            let nd = facts === d.facts ? d : { ...d, facts };
            // `if (!inode)`: where the pointer is NULL, nothing reached through it is held.
            if (plainVar && mask === Z) nd = client.nulled(nd, c.key);
            return nd;
          };
          if (tm) t.push(narrow(tm));
          if (fm) f.push(narrow(fm));
        }
        return { t: normalize(t), f: normalize(f) };
      }
      case 'call': {
        const pre = applyOps(s, c.pre);
        const t: Disjunct[] = [];
        const f: Disjunct[] = [];
        const called = c.pre.length === 0 ? client.pureCall?.(c.ev) : undefined;
        // `foo_get_type() == FOO_IOMMU`: what is known is whether that result equals the constant (P) or not (Z).
        const pure = called && c.equals !== undefined ? { ...called, key: `${called.key}==${c.equals}` } : called;
        // `if (FALSE == obtain())` with FALSE a constant 0: the callee's result (always TRUE) decides too.
        const equalsValue = c.equals === undefined ? undefined : /^\d+$/.test(c.equals) ? Number(c.equals) : client.constants?.value(c.equals);
        for (const d of pre) {
          // What an earlier test of the same read-only call left: its result cannot differ now.
          const known = pure ? factOf(d.facts, pure.key) : ANY;
          for (const o of callOutcomes(d, c.ev, true)) {
            const code = errorCode(c.equals);
            const ret = (c.equals === undefined ? o.ret : code ? codeEqualityMask(o.ret, code, o.codes) : typeof equalsValue === 'number' ? equalityMask(o.ret, equalsValue) : P | Z) & known;
            const tm = ret & c.test;
            const fm = ret & ~c.test & ANY;
            const narrow = (mask: Mask): Disjunct => {
              const out = c.ev.assignTo && mask !== o.ret ? setFact(o.d, c.ev.assignTo, mask) : o.d;
              return pure && mask !== known ? { ...out, facts: withFact(out.facts.filter((x) => x.key !== pure.key), { key: pure.key, mask, reads: pure.reads, memory: true }) } : out;
            };
            if (tm) t.push(narrow(tm));
            if (fm) f.push(narrow(fm));
          }
        }
        return { t: normalize(t), f: normalize(f) };
      }
      case 'other': {
        const after = applyOps(s, c.ops);
        return { t: after, f: after };
      }
    }
  };

  /** The frames around each label, for gotos leaving guarded frames. */
  const framesOfLabel = (label: string): ReadonlySet<number> => {
    if (!labelFrames) {
      labelFrames = new Map();
      const visit = (st: Stmt, around: number[]): void => {
        switch (st.k) {
          case 'block': {
            const inner = st.scope > 0 ? [...around, st.scope] : around;
            for (const b of st.body) visit(b, inner);
            break;
          }
          case 'label':
            (labelFrames as Map<string, ReadonlySet<number>>).set(st.name, new Set(around));
            break;
          case 'if':
            visit(st.then, around);
            if (st.else) visit(st.else, around);
            break;
          case 'loop':
            visit(st.body, around);
            break;
          case 'switch':
            for (const cs of st.cases) for (const b of cs) visit(b, around);
            break;
          case 'scoped':
            visit(st.body, [...around, st.scope]);
            break;
        }
      };
      visit(fn.body, []);
    }
    return labelFrames.get(label) ?? new Set();
  };

  /** `flag&F_ACQUIRE`, for a target and none of `names`: a bit an assignment of those bits leaves alone. */
  const otherBit = (key: string, target: string, names: readonly string[]): boolean =>
    key.startsWith(`${target}&`) && /^[A-Za-z_]\w*$/.test(key.slice(target.length + 1)) && !names.includes(key.slice(target.length + 1));

  const counted = (s: State, member: string, mask: Mask): State =>
    mapPaths(s, (d) => ({ ...d, facts: withFact(d.facts, { key: `${COUNTED}${member}`, mask, reads: [], memory: false }) }));

  const exitWith = (s: State, ret: (d: Disjunct) => Mask, line: number, retVar?: string, returned?: Facts, codes?: (d: Disjunct) => readonly string[] | undefined): void => {
    for (const d of dropFrames(s, frames)) {
      const c = codes?.(d);
      exits.push({ d, ret: ret(d), line, ...(retVar ? { retVar } : {}), ...(returned?.length ? { returned } : {}), ...(c ? { codes: c } : {}) });
    }
  };

  const exec = (s: State, st: Stmt): State => {
    switch (st.k) {
      case 'block': {
        if (st.scope > 0) frames.push(st.scope);
        let cur = s;
        for (const child of st.body) {
          if (child.k === 'label') {
            passed.add(child.name);
            cur = join(cur, labels.get(child.name) ?? BOTTOM);
            continue;
          }
          // Dead code still runs (with bottom): a label inside it can make it live.
          cur = exec(cur, child);
        }
        if (st.scope > 0) {
          frames.pop();
          cur = dropFrames(cur, [st.scope]);
        }
        return cur;
      }
      case 'label':
        passed.add(st.name);
        return join(s, labels.get(st.name) ?? BOTTOM);
      case 'ops':
        return applyOps(s, st.ops);
      case 'if': {
        const r = evalCond(s, st.cond);
        // A nesting count's last release (c/counted-releases.ts): which way each path went.
        const t = st.counted ? counted(r.t, st.counted, Z) : r.t;
        const f = st.counted ? counted(r.f, st.counted, P) : r.f;
        return join(exec(t, st.then), st.else ? exec(f, st.else) : f);
      }
      case 'loop':
        return execLoop(s, st);
      case 'switch': {
        const entry = applyOps(s, st.pre);
        const ctx: LoopCtx = { breaks: BOTTOM, continues: BOTTOM, depth: frames.length };
        loops.push(ctx);
        let fall: State = BOTTOM;
        // `default:` is entered where no case matched: every case test failed (an unlock
        // wrapper's `switch (l->type)` for a type the lock wrapper's way out named).
        let unmatched = entry;
        for (const t of st.tests ?? []) if (t) unmatched = evalCond(unmatched, t).f;
        for (const [i, body] of st.cases.entries()) {
          const test = st.tests?.[i];
          let cur = join(test ? evalCond(entry, test).t : unmatched, fall);
          for (const child of body) cur = child.k === 'label' || cur.length > 0 ? exec(cur, child) : cur;
          fall = cur;
        }
        loops.pop();
        // `continue` inside a switch belongs to the enclosing loop.
        const outer = loops[loops.length - 1];
        if (outer) outer.continues = join(outer.continues, ctx.continues);
        // Without a `default:`, the way past the switch matched no case: every case test failed
        // (`switch (lock->type)` in an unlock wrapper the lock wrapper already decided).
        // Unless the path's tests left the subject only values the cases name.
        const cases = st.hasDefault ? undefined : switchCases(st.tests, client.constants);
        const past = cases ? unmatched.filter((d) => !casesCover(d.facts, cases, isUnsigned(fn, cases.subject), client.constants)) : unmatched;
        return join(join(fall, ctx.breaks), st.hasDefault ? BOTTOM : past);
      }
      case 'break': {
        const ctx = loops[loops.length - 1];
        if (ctx) ctx.breaks = join(ctx.breaks, dropFrames(s, frames.slice(ctx.depth)));
        return BOTTOM;
      }
      case 'continue': {
        const ctx = loops[loops.length - 1];
        if (ctx) ctx.continues = join(ctx.continues, dropFrames(s, frames.slice(ctx.depth)));
        return BOTTOM;
      }
      case 'return': {
        if (s.length === 0) return BOTTOM;
        if (st.value.k === 'call') {
          // `return mutex_trylock(&m);`: each way the last call returns is a way out.
          const last = st.ops[st.ops.length - 1];
          const before = applyOps(s, st.ops.slice(0, -1));
          if (last && last.k !== 'set') {
            for (const d of before) for (const o of callOutcomes(d, last, true)) exitWith([o.d], () => o.ret, st.line, RESULT, o.returned, () => o.codes);
            return BOTTOM;
          }
          exitWith(applyOps(s, st.ops), () => ANY, st.line);
          return BOTTOM;
        }
        const after = applyOps(s, st.ops);
        const value = st.value;
        // `return c->cansleep;` of a member nothing sets (an accessor's): 0.
        const unset = value.k === 'var' && client.unsetMembers?.has(TESTED_MEMBER.exec(value.name)?.[1] ?? '') ? Z : ANY;
        // `return gcvSTATUS_OK;`: an enumerator or constant of known value, not a variable: its sign.
        const named = value.k === 'var' && !(value.name in fn.vars) ? constantSign(value.name, client.constants) : undefined;
        // `return c->cansleep;` of a parameter's member: each way out says which it returned, so a
        // caller testing `if (clk_cansleep(c))` learns `c->cansleep` as its own test would (and the
        // lock and unlock wrappers that both ask it agree).
        const root = value.k === 'var' && named === undefined && MEMBER_PATH.test(value.name) ? /^\w+/.exec(value.name)?.[0] : undefined;
        if (value.k === 'var' && root !== undefined && fn.params.some((p) => p.name === root)) {
          for (const d of after) {
            const m = factOf(d.facts, value.name) & unset;
            for (const part of [m & Z, m & (P | N)]) {
              if (part === 0) continue;
              const told = part === m ? d : { ...d, facts: withFact(d.facts, { key: value.name, mask: part, reads: [root], memory: true }) };
              exitWith([told], () => part, st.line, value.name);
            }
          }
          return BOTTOM;
        }
        if (value.k === 'var' && value.inside) {
          exitWith(after, (d) => insideOf(factOf(d.facts, value.name)), st.line);
          return BOTTOM;
        }
        // `return -EINVAL;`, `return err;` after `err = -ENOMEM;`, or after `err = alloc(..)` whose
        // error codes are known (`err!<0:-ENOMEM`): which error codes.
        const codes = (d: Disjunct): readonly string[] | undefined => {
          if (value.k === 'const') return value.text !== undefined ? [value.text] : undefined;
          if (value.k !== 'var') return undefined;
          const code = errorCode(heldConstant(d.facts, value.name));
          return code ? [code] : errorCodesOf(d.facts, value.name);
        };
        exitWith(after, (d) => (value.k === 'const' ? value.mask : named !== undefined ? named : value.k === 'var' ? factOf(d.facts, value.name) & unset : ANY), st.line, value.k === 'var' && named === undefined ? value.name : undefined, undefined, codes);
        return BOTTOM;
      }
      case 'goto': {
        const around = framesOfLabel(st.label);
        const target = dropFrames(s, frames.filter((f) => !around.has(f)));
        const old = labels.get(st.label) ?? BOTTOM;
        const next = join(old, target);
        if (!leq(next, old)) {
          labels.set(st.label, next);
          if (passed.has(st.label)) labelsGrew = true;
        }
        return BOTTOM;
      }
      case 'scoped': {
        if (s.length === 0) return exec(s, st.body);
        const inside = normalize(s.map((d) => client.enterScoped(d, st)));
        frames.push(st.scope);
        const out = exec(inside, st.body);
        frames.pop();
        return dropFrames(out, [st.scope]);
      }
    }
  };

  // What every path knew of memory on entry (`if (!polling) spin_lock(..)` before the loop), the
  // loop's own condition aside, stays known round the loop unless it stores there: the body's
  // `if (!polling) { unlock; return; }` is the test the entry made. Another thread changing it
  // would break the function's own lock pairing. A loop that then never ends (`if (!x->ready)
  // { while (!x->ready) ...` through a body test) is walked again forgetting it: it waits for
  // another thread to change the value.
  const execLoop = (s: State, st: Extract<Stmt, { k: 'loop' }>): State => {
    const stable = stableMemory(s, st);
    if (stable.size === 0) return walkLoop(s, st, stable);
    const out = walkLoop(s, st, stable);
    return out.length > 0 ? out : walkLoop(s, st, new Set());
  };

  const walkLoop = (s: State, st: Extract<Stmt, { k: 'loop' }>, stable: ReadonlySet<string>): State => {
    let head = s;
    // Ways out: without running the body (a `while`/`for` whose condition fails at once), and
    // after at least one iteration. A body that releases a lock held on entry (unlocking the
    // items of a list the lock's object was put on, a transaction commit) is taken to run: the
    // zero-trip path would keep the lock "held" after the loop and order everything after it.
    let zeroTrip: State = BOTTOM;
    let exitState: State = BOTTOM;
    const entryHeld = new Set(s.flatMap((d) => d.held.map((h) => h.key)));
    const entryGone = new Set(s.flatMap((d) => d.gone));
    let releases = false;
    let converged = false;
    for (let round = 0; round < maxRounds; round++) {
      const ctx: LoopCtx = { breaks: BOTTOM, continues: BOTTOM, depth: frames.length };
      loops.push(ctx);
      let bodyIn: State;
      if (st.doWhile) {
        bodyIn = head;
      } else {
        const c = st.cond ? evalCond(head, st.cond) : { t: head, f: head };
        bodyIn = c.t;
        if (round === 0) zeroTrip = c.f;
      }
      // Inside `list_for_each_entry(pos, ...)`, pos is an element: never NULL.
      const cursor = st.cursor;
      if (cursor) bodyIn = mapPaths(bodyIn, (d) => setFact(d, cursor, P | N));
      // Walking a list the function built: what every element had when added; an empty one runs no body.
      const over = st.over;
      if (cursor && over && lists.has(over)) {
        const walked: Disjunct[] = [];
        for (const d of bodyIn) {
          const facts = walkingList(d.facts, over, cursor);
          if (facts) walked.push(facts === d.facts ? d : { ...d, facts });
        }
        bodyIn = normalize(walked);
      }

      const bodyOut = applyOps(join(exec(bodyIn, st.body), ctx.continues), st.post);
      loops.pop();
      exitState = join(exitState, ctx.breaks);
      if (!releases) releases = bodyOut.some((d) => releasedSince(d, entryHeld, entryGone));
      let back = bodyOut;
      if (st.doWhile) {
        const c = st.cond ? evalCond(bodyOut, st.cond) : { t: bodyOut, f: bodyOut };
        back = c.t;
        exitState = join(exitState, c.f);
      }
      // The next iteration may read other values from the memory the loop reads and writes.
      const memory = loopMemory(st);
      back = mapPaths(back, (d) => {
        const facts = forgetMemory(d.facts, memory.keys, memory.tested, memory.stored, stable);
        return facts === d.facts ? d : { ...d, facts };
      });
      if (!st.doWhile) exitState = join(exitState, st.cond ? evalCond(back, st.cond).f : back);
      const next = join(head, back);
      if (leq(next, head)) {
        converged = true;
        break;
      }
      head = next;
    }
    if (!converged) capped.add('loop');
    return releases && exitState.length > 0 ? exitState : join(zeroTrip, exitState);
  };

  let end: State = BOTTOM;
  let converged = false;
  for (let round = 0; round < maxRounds; round++) {
    labelsGrew = false;

    passed.clear();
    exits = [];
    frames.length = 0;
    end = exec([entry], fn.body);
    if (!labelsGrew) {
      converged = true;
      break;
    }
  }
  if (!converged) capped.add('goto');
  // Falling off the end of the body returns nothing a caller can test.
  for (const d of end) exits.push({ d, ret: ANY, line: fn.endLine });
  return { exits, capped: [...capped] };
}

/** Does this path no longer hold a lock held on entry to the loop, or has it dropped a caller's lock since? */
function releasedSince(d: Disjunct, entryHeld: ReadonlySet<string>, entryGone: ReadonlySet<string>): boolean {
  const held = new Set(d.held.map((h) => h.key));
  for (const k of entryHeld) if (!held.has(k)) return true;
  return d.gone.some((k) => !entryGone.has(k) && !held.has(k));
}

/** A fact about the result of a read-only call (`port_live(p)`: FlowClient.pureCall). */
const isCallAtom = (f: { key: string }): boolean => /^\w+\(.*\)$/.test(f.key);

/** The path without what it knew of read-only calls reading any of `roots`. */
function withoutCallAtoms(d: Disjunct, roots: readonly string[]): Disjunct {
  const facts = d.facts.filter((f) => !(isCallAtom(f) && f.reads.some((r) => roots.includes(r))));
  return facts.length === d.facts.length ? d : { ...d, facts };
}

/**
 * Whether a result of sign `ret` can equal the constant `value` (P) or differ from it (Z):
 * a result that is never 0 never equals 0; one that is positive may still differ from 1.
 */
/**
 * As equalityMask, of a result compared with an error code (`== -EINTR`): equal only where it is
 * negative, and there as the codes the call fails with say, when it says.
 */
function codeEqualityMask(ret: Mask, code: string, codes: readonly string[] | undefined): Mask {
  const negative = (ret & N) !== 0;
  const canEqual = negative && (!codes || codes.some((c) => sameErrorCode(c, code)));
  const canDiffer = (ret & (Z | P)) !== 0 || (negative && (!codes || codes.some((c) => !sameErrorCode(c, code))));
  return (canEqual ? P : 0) | (canDiffer ? Z : 0);
}

function equalityMask(ret: Mask, value: number): Mask {
  const sign = value > 0 ? P : value < 0 ? N : Z;
  const canEqual = (ret & sign) !== 0;
  const canDiffer = value === 0 ? (ret & (P | N)) !== 0 : true;
  return (canEqual ? P : 0) | (canDiffer ? Z : 0);
}
