/**
 * What a path has learnt from the conditions it took: atom key -> the values the atom can still
 * have there (a Mask over Z, P, N; see c/ir.ts). `if (!probe) mutex_lock(&a); ... if (!probe)
 * mutex_unlock(&a);` is one path with probe = Z and one with probe = P|N, so the second test
 * follows only the branch consistent with the first. Facts are sorted arrays: few per path,
 * compared often. Immutable.
 */
import { comparisonSides, constantSign, differenceSigns, errorCode, mirrorSigns } from '../c/comparison.ts';
import { ANY, N, P, Z, type Mask } from '../c/ir.ts';

export interface Fact {
  key: string;
  mask: Mask;
  /** Variables the atom reads: assigning one forgets the fact. */
  reads: readonly string[];
  /** The atom reads memory (a member, a global): a loop's next iteration may see another value. */
  memory: boolean;
  /**
   * Which function the path called through a pointer member (`s->variant->kadt:=list_kadt`):
   * paths that called different ones stay apart (state.ts normalize), so a later call through
   * the same member, and what the path learnt of the first one's result, follow each.
   */
  through?: true;
  /**
   * The line of the call whose callee said it, of a local handed to it by address (`fill(&h)`
   * leaving `h.type:=T`): that call's own "may have written h" does not forget it.
   */
  call?: number;
  /**
   * Stored on the path (`busy = 0`, `x = f()`), not learnt by a test: a callee's such fact is
   * what its caller holds after the call, never a condition on the way the callee went.
   */
  assigned?: true;
}

export type Facts = readonly Fact[];

/** `x:=QUEUE_DIRECT`: the path stored that constant in x (a fact key, mask P). */
export const HOLDS = ':=';

/** `v!<0:-EINVAL|-ENOMEM`: where v is negative, it holds one of these error codes (a call's result). */
export const ERROR_CODES = '!<0:';

export const NO_FACTS: Facts = [];

/**
 * The running task (`current`): its members are per-task state (a transaction's
 * `current->journal_info`), set by one call and tested by a later one, as a file's globals are;
 * summaries carry what they store there and specialisations start from what the caller knows.
 */
export const TASK = 'current';

/** `current->journal_info` (or `current->flags:=F`): the task member a fact is about, if it is one. */
export function taskMember(f: Fact): string | undefined {
  if (!f.memory || f.reads.length !== 1 || f.reads[0] !== TASK) return undefined;
  return /^current->(\w+)(?::=|$)/.exec(f.key)?.[1];
}

/** The constant the path stored in `x` (its `x:=LIT` fact), if it knows one. */
export function heldConstant(facts: Facts, x: string): string | undefined {
  const prefix = `${x}${HOLDS}`;
  for (const f of facts) if (f.mask === P && f.key.startsWith(prefix)) return f.key.slice(prefix.length);
  return undefined;
}

/**
 * `p->*`: p points to zeroed memory (c/zeroing.ts), so `p->m` is 0 for any member m, except
 * those listed after it (`p->*!slot!next`), which something has stored into since.
 */
export const ZEROED = '->*';

/** The fact that `variable` points to memory just zeroed. */
export const zeroedFact = (variable: string): Fact => ({ key: `${variable}${ZEROED}`, mask: Z, reads: [variable], memory: true });

/** The root facts about a function's returned object are written with (ExitCase.returned). */
export const RETURNED = '@ret';

/**
 * What a path knows of the memory `variable` points to, its name replaced by `to`: the facts
 * about a returned object in the callee's terms (`p->*!a!b`, `p->state`) become `@ret->...`,
 * and those in turn the caller's variable assigned the result.
 */
export function objectFacts(facts: Facts, variable: string, to: string): Facts {
  const prefix = `${variable}->`;
  let out: Fact[] | undefined;
  for (const f of facts) {
    if (!f.memory || !f.key.startsWith(prefix) || f.reads.some((r) => r !== variable)) continue;
    (out ??= []).push({ ...f, key: `${to}${f.key.slice(variable.length)}`, reads: [to] });
  }
  return out ?? NO_FACTS;
}

export function factOf(facts: Facts, key: string): Mask {
  for (const f of facts) if (f.key === key) return f.mask;
  // Hot: a miss looks further only for a member read (`p->m`), the one zeroed memory answers.
  return key.includes('->') ? zeroedMember(facts, key) : ANY;
}

/** `p->m` read from zeroed memory m was not stored into since: 0. */
function zeroedMember(facts: Facts, key: string): Mask {
  const m = /^(\w+)->(\w+)$/.exec(key);
  if (!m) return ANY;
  const prefix = `${m[1]}${ZEROED}`;
  const f = facts.find((x) => x.key === prefix || x.key.startsWith(`${prefix}!`));
  if (!f) return ANY;
  return exceptions(f.key, prefix).includes(m[2] as string) ? ANY : f.mask;
}

/**
 * A store into member `member` of any object (it may be the zeroed one): the zeroed facts no
 * longer speak for that member.
 */
export function storedIntoZeroed(facts: Facts, member: string): Facts {
  return zeroedExcept(facts, () => [member]);
}

/**
 * The zeroed facts with more members excepted: those `more` names for the fact's variable, or
 * undefined to drop the fact (nothing is known of what was stored).
 */
export function zeroedExcept(facts: Facts, more: (variable: string) => readonly string[] | undefined): Facts {
  if (!facts.some((f) => f.key.includes(ZEROED))) return facts;
  let out = facts;
  for (const f of facts) {
    const at = f.key.indexOf(ZEROED);
    if (at < 0) continue;
    const prefix = f.key.slice(0, at + ZEROED.length);
    const added = more(f.key.slice(0, at));
    if (!added) {
      out = out.filter((x) => x !== f);
      continue;
    }
    const except = new Set(exceptions(f.key, prefix));
    const before = except.size;
    for (const m of added) except.add(m);
    if (except.size === before) continue;
    out = withFact(out.filter((x) => x !== f), { ...f, key: `${prefix}!${[...except].sort().join('!')}` });
  }
  return out;
}

/** The member a store writes: `p->next`, `p->slots[i]` and `p->a.b` write next, slots and b. */
export const storedMember = (target: string): string | undefined => /(?:->|\.)(\w+)(?:\[[^\]]*\])*$/.exec(target)?.[1];

/** The facts with `key` narrowed to `mask` (intersected with what was known). */
export function withFact(facts: Facts, fact: Fact): Facts {
  const i = facts.findIndex((f) => f.key >= fact.key);
  const old = i >= 0 && facts[i]?.key === fact.key ? (facts[i] as Fact) : undefined;
  const mask = old ? old.mask & fact.mask : fact.mask;
  if (mask === ANY) return old ? facts.filter((f) => f.key !== fact.key) : facts;
  const assigned = old?.assigned || fact.assigned;
  if (old && old.mask === mask && old.assigned === assigned) return facts;
  // A copy, then stores: the same fact as `{ ...fact, mask, ...(assigned ? { assigned } : {}) }`,
  // key for key and in order, without a second spread of a throwaway object (the hottest line of
  // a path's facts).
  const next: Fact = { ...fact };
  next.mask = mask;
  if (assigned) next.assigned = assigned;
  if (old) return facts.map((f) => (f.key === fact.key ? next : f));
  if (i < 0) return [...facts, next];
  return [...facts.slice(0, i), next, ...facts.slice(i)];
}

/**
 * Forgets what an assignment to `target` (rooted at `variable`) may change. A variable: every
 * fact that reads it. A member (`it->n = 0`, `dc->blend.flags[i] = 0`): every fact that reads a
 * member of that name through another variable (another pointer may alias this one), or through
 * the same variable by the same path; what was learnt of it->owner, or of dc->out->flags, holds.
 */
export function forget(facts: Facts, variable: string, target: string): Facts {
  if (facts.length === 0) return facts;
  const stored = target === variable ? undefined : storedPath(target);
  const kept = stored
    ? facts.filter((f) => f.key !== target && !memberPaths(f.key).some((p) => storeMayChange(p, stored)))
    : facts.filter((f) => f.key !== target && !f.reads.includes(variable) && !(f.memory && (f.key.startsWith(`${target}->`) || mentionsVariable(f.key, variable))));
  return kept.length === facts.length ? facts : kept;
}

/**
 * A remembered test of a variable the function does not own (`ge_owner == current` with
 * `ge_owner` a file's variable: no local reads it), or what it holds (`ge_owner:=current`).
 */
function mentionsVariable(key: string, variable: string): boolean {
  if (key.startsWith(`${variable}${HOLDS}`)) return true;
  return comparisonSides(key)?.includes(variable) === true;
}

/** A member path as an atom reads it: `dc->out->flags` is root `dc`, chain out, flags. */
export interface MemberPath {
  root: string;
  chain: readonly string[];
}

/** The member path a store writes (`dc->blend.flags[i]`: dc, blend, flags), if it is one. */
export const storedPath = (target: string): MemberPath | undefined => memberPaths(target.replace(/(?:\[[^\]]*\])+$/, ''))[0];

/** The member paths an atom's key reads (`dc->out->flags&1<=>x->n`: two). Frozen: shared by every asker of that key. */
export function memberPaths(key: string): readonly MemberPath[] {
  let out = memberPathsOf.get(key);
  if (out) return out;
  const found: MemberPath[] = [];
  for (const m of key.matchAll(/(?<![\w.>])([A-Za-z_]\w*)((?:(?:->|\.)\w+)+)/g)) {
    found.push(Object.freeze({ root: m[1] as string, chain: Object.freeze([...(m[2] as string).matchAll(/(?:->|\.)(\w+)/g)].map((x) => x[1] as string)) }));
  }
  // Asked again for the same keys at every store a path meets: parsed once (a bound on a whole tree).
  if (memberPathsOf.size >= MEMBER_PATHS_KEPT) memberPathsOf.clear();
  memberPathsOf.set(key, (out = Object.freeze(found)));
  return out;
}
const memberPathsOf = new Map<string, readonly MemberPath[]>();
const MEMBER_PATHS_KEPT = 1 << 18;

/**
 * May a store to `t` change what `p` reads? Through another variable, any member of that name
 * may be the one stored (aliasing); through the same variable, only the same path or what lies
 * beyond it (`dc->blend.flags` is not `dc->out->flags`).
 */
export function storeMayChange(p: MemberPath, t: MemberPath): boolean {
  const member = t.chain[t.chain.length - 1];
  for (let k = 0; k < p.chain.length; k++) {
    if (p.chain[k] !== member) continue;
    if (p.root !== t.root) return true;
    if (k + 1 === t.chain.length && t.chain.every((m, i) => p.chain[i] === m)) return true;
  }
  return false;
}

/** Does the atom read a member called `member` (`x->member`, `x.member`, not `x->member_count`)? */
export function mentionsMember(key: string, member: string): boolean {
  for (let i = key.indexOf(member); i >= 0; i = key.indexOf(member, i + 1)) {
    const before = key[i - 1];
    const after = key.charCodeAt(i + member.length);
    const word = (after >= 48 && after <= 57) || (after >= 65 && after <= 90) || (after >= 97 && after <= 122) || after === 95;
    if ((before === '.' || before === '>') && !word) return true;
  }
  return false;
}

/**
 * Forgets what was read from memory that a loop reads or writes again: the next iteration may
 * read another value (`while (!dev->ready)`). `keys` it tests, and the same member path through
 * another variable (`p->ready`, p may be dev); `stored`, the member paths it stores into (see
 * storeMayChange). What was learnt before the loop of other members (`out->nmi`, `dc->out->flags`
 * beside a loop testing `w->flags`) still holds after it, and so does what it learnt of memory
 * in `stable` (keys), unless a store of the loop may change it.
 */
export function forgetMemory(facts: Facts, keys: ReadonlySet<string>, tested: readonly MemberPath[], stored: readonly MemberPath[], stable: ReadonlySet<string> = new Set()): Facts {
  const sameChain = (p: MemberPath, t: MemberPath): boolean => p.chain.length === t.chain.length && p.chain.every((m, i) => t.chain[i] === m);
  const changed = (p: MemberPath): boolean => stored.some((t) => storeMayChange(p, t));
  // Known on entry and not stored by the loop: the loop only reads it again (see execLoop).
  const gone = (f: Fact): boolean => f.memory && (stable.has(f.key) ? memberPaths(f.key).some(changed) : keys.has(f.key) || memberPaths(f.key).some((p) => tested.some((t) => sameChain(p, t)) || changed(p)));
  if (!facts.some(gone)) return facts;
  return facts.filter((f) => !gone(f));
}

/** What holds on both paths: per key the union of values; a key one side does not know is unknown. */
export function joinFacts(a: Facts, b: Facts): Facts {
  if (a === b) return a;
  const out: Fact[] = [];
  let merged = false;
  for (const f of a) {
    const g = b.find((x) => x.key === f.key);
    // The error codes a variable may hold on either path: those of both (interpreter.ts ERROR_CODES).
    const codes = g ? -1 : f.key.indexOf(ERROR_CODES);
    if (!g && codes > 0) {
      const prefix = f.key.slice(0, codes + ERROR_CODES.length);
      const h = b.find((x) => x.key.startsWith(prefix));
      if (h) {
        out.push({ ...f, key: `${prefix}${[...new Set([...f.key.slice(prefix.length).split('|'), ...h.key.slice(prefix.length).split('|')])].sort().join('|')}` });
        merged = true;
      }
      continue;
    }
    if (!g) {
      // Zeroed on both paths, with other members stored into: zeroed except for any of them.
      const z = f.key.indexOf(ZEROED);
      const prefix = z < 0 ? '' : f.key.slice(0, z + ZEROED.length);
      const h = z < 0 ? undefined : b.find((x) => x.key === prefix || x.key.startsWith(`${prefix}!`));
      if (h) {
        const except = new Set([...exceptions(f.key, prefix), ...exceptions(h.key, prefix)]);
        out.push({ ...f, key: except.size ? `${prefix}!${[...except].sort().join('!')}` : prefix, mask: f.mask | h.mask });
        merged = true;
      } else if (vacuousIn(b, f.key)) out.push(f);
      else {
        const other = decidedBy(b, f.key);
        if (other !== undefined && (f.mask | other) !== ANY) out.push({ ...f, mask: f.mask | other });
      }
      continue;
    }
    const mask = f.mask | g.mask;
    // Stored on either path: after the join it is no condition on the way taken.
    if (mask === ANY) continue;
    if (mask === f.mask && (f.assigned || !g.assigned)) {
      out.push(f);
      continue;
    }
    // As withFact: a copy, then stores (keys in the same order as a spread with them).
    const joined: Fact = { ...f };
    joined.mask = mask;
    if (f.assigned || g.assigned) joined.assigned = true;
    out.push(joined);
  }
  // What every element of a list had holds of a list the other path left empty (flow/local-lists.ts).
  for (const g of b) {
    if (a.some((x) => x.key === g.key)) continue;
    if (vacuousIn(a, g.key)) {
      out.push(g);
      merged = true;
      continue;
    }
    const other = decidedBy(a, g.key);
    if (other !== undefined && (g.mask | other) !== ANY) {
      out.push({ ...g, mask: g.mask | other });
      merged = true;
    }
  }
  for (const f of joinedErrorCodes(a, b, out)) {
    out.push(f);
    merged = true;
  }
  if (merged) return out.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return out.length === a.length && out.every((f, i) => f === a[i]) ? a : out;
}

/**
 * The error codes a variable may hold where negative, after a join where one path knew them and
 * the other knew its value an error code (`err = -EIO`), other codes, or not negative at all (a
 * callee's success way, `if (err) goto out;` not taken): `err == -ENOMEM` at the joined label
 * stays decided. Those `out` already has are left.
 */
function joinedErrorCodes(a: Facts, b: Facts, out: Facts): Fact[] {
  const vars = new Set<string>();
  for (const side of [a, b]) for (const f of side) if (f.mask === P) {
    const v = errorVariable(f.key);
    if (v !== undefined) vars.add(v);
  }
  const made: Fact[] = [];
  for (const v of vars) {
    const prefix = `${v}${ERROR_CODES}`;
    if (out.some((f) => f.key.startsWith(prefix))) continue;
    const x = codesKnown(a, v);
    const y = codesKnown(b, v);
    if (!x || !y) continue;
    const codes = [...new Set([...x, ...y])].sort();
    if (codes.length) made.push({ key: `${prefix}${codes.join('|')}`, mask: P, reads: [v], memory: false, assigned: true });
  }
  return made;
}

/** The variable a fact gives error codes of (`err!<0:-EIO`, `err:=-EIO`), if it is one. */
function errorVariable(key: string): string | undefined {
  const c = key.indexOf(ERROR_CODES);
  if (c > 0) return key.slice(0, c);
  const h = key.indexOf(`${HOLDS}-E`);
  return h > 0 && isErrorCode(key.slice(h + HOLDS.length)) ? key.slice(0, h) : undefined;
}

/** What a path knows of the codes `v` holds where negative: none where it is not negative. */
function codesKnown(facts: Facts, v: string): string[] | undefined {
  const prefix = `${v}${ERROR_CODES}`;
  const held = `${v}${HOLDS}`;
  for (const f of facts) {
    if (f.mask !== P) continue;
    if (f.key.startsWith(prefix)) return f.key.slice(prefix.length).split('|');
    if (f.key.startsWith(held) && isErrorCode(f.key.slice(held.length))) return [f.key.slice(held.length)];
  }
  const sign = facts.find((f) => f.key === v)?.mask;
  return sign !== undefined && (sign & N) === 0 ? [] : undefined;
}

const isErrorCode = (s: string): boolean => errorCode(s) !== undefined;

/**
 * The signs a comparison with a literal (`true<=>ar->pending`, `ret<=>0`) has on a path that
 * tested it not, but knows the other side's sign: the one that stored `ar->pending = false`
 * where the other path tested `ar->pending == true` false. A join then keeps the test known
 * on both (`if (x) { ...; x = false; }` leaves x not true either way).
 */
function decidedBy(facts: Facts, key: string): Mask | undefined {
  const sides = comparisonSides(key);
  if (!sides) return undefined;
  for (let i = 0; i < 2; i++) {
    const k = constantSign(sides[1 - i] as string);
    if (k === undefined) continue;
    const x = facts.find((f) => f.key === sides[i])?.mask;
    if (x === undefined || x === ANY) continue;
    // The atom is the sign of sides[0] - sides[1].
    const signs = differenceSigns(x, k);
    if (signs !== ANY) return i === 0 ? signs : mirrorSigns(signs);
  }
  return undefined;
}

/** `msgs[]->user`, a fact of every element of a list, where `facts` know the list empty (`msgs[]` Z). */
function vacuousIn(facts: Facts, key: string): boolean {
  const at = key.indexOf('[]->');
  if (at < 0) return false;
  const marker = key.slice(0, at + 2);
  return facts.some((f) => f.key === marker && f.mask === Z);
}

const exceptions = (key: string, prefix: string): string[] => key.slice(prefix.length).split('!').filter(Boolean);

/** a knows at least as much as b: every fact of b holds in a. */
export function factsImply(a: Facts, b: Facts): boolean {
  for (const g of b) {
    const f = a.find((x) => x.key === g.key);
    if (!f || (f.mask & ~g.mask) !== 0) return false;
  }
  return true;
}

export function factsKey(facts: Facts): string {
  let s = '';
  for (const f of facts) s += `${f.key}=${f.mask};`;
  return s;
}
