/**
 * What a struct member can ever hold, from every store the program makes into it: a kind
 * (`o->kind = kind` in an init whose callers hand it `OBJ_DEVICE` or a local set to one of two
 * enumerators) or a flag word (`p->flags = flags` with the caller's local built by `|=` of two
 * flags, plus `|= F_SWAPPED` and `&= ~F_SWAPPED` elsewhere). A test of a value no store gives
 * (`case OBJ_USER:`, `if (p->flags & F_USER)`) is false wherever it is read, and the locks behind
 * it are never taken. Members are told apart by the struct holding them (`obj.kind`, not every
 * `kind`), and a store whose struct is not known counts for every struct with that member.
 *
 * A parameter's values are those every call hands it, so only functions whose calls the program
 * sees all of count (static ones never used as values; others the tree never names outside the
 * program): anything else, a value read from elsewhere (another member, a call's result, a
 * global) or a counter step, leaves the member open. So does a store the program cannot see: a
 * struct copied or filled whole (`*o = *tmpl`, `copy_from_user(&o, ..)`), the member's address
 * handed to a call, an initialiser by position, and any write outside the program (the front end
 * asks the tree; without one, only structs a `.c` file of the program declares are safe).
 * Every member also holds 0 (zeroed allocations, before the first store).
 *
 * Stores and calls in branches the sets already decide false do not count (the call handing on
 * `flags | F_USER` in a `case OBJ_USER:` no store makes): the sets are recomputed until they
 * stop shrinking, each round sound because the last one was.
 */
import { atomKeys, equalityKeys, opsOf } from './call-graph.ts';
import { comparisonSides, integerValue, type ConstantNames } from './comparison.ts';
import { ANY, N, P, Z, type CallEvent, type Cond, type FileFacts, type FunctionIR, type Mask, type Op, type SetEvent, type Stmt } from './ir.ts';
import type { FunctionEntry, Program } from './program.ts';
import { FILLS, structWritten } from './unset-members.ts';

/** A member's values: a few, exactly; or, past MAX_VALUES, every bit any of them may have. */
export type Possible = { values: ReadonlySet<number> } | { bits: number };

/** Values a set keeps before it becomes the bits they may have. */
export const MAX_VALUES = 32;
/** Rounds of pruning branches the last round's sets decide (each only shrinks the sets). */
const MAX_ROUNDS = 4;

export interface MemberValueInputs {
  /** Functions that run (not dead code). */
  live(e: FunctionEntry): boolean;
  /** Whether code outside the program may write this member of this struct. */
  writableOutside(tag: string, member: string): boolean;
  /** Whether every call of the function is one the program shows (for its parameters' values). */
  callersKnown(e: FunctionEntry): boolean;
}

/** The sets, keyed `tag.member`: only members every store of which is known. */
export type MemberValues = ReadonlyMap<string, Possible>;

const ZERO_ONLY: Possible = { values: new Set([0]) };

export function union(a: Possible | undefined, b: Possible | undefined): Possible | undefined {
  if (!a || !b) return undefined;
  if ('values' in a && 'values' in b) {
    const values = new Set([...a.values, ...b.values]);
    return values.size <= MAX_VALUES ? { values } : { bits: bitsOf(values) };
  }
  return { bits: bitsOf2(a) | bitsOf2(b) };
}

const bitsOf = (values: Iterable<number>): number => {
  let b = 0;
  for (const v of values) b |= v;
  return b;
};
const bitsOf2 = (p: Possible): number => ('values' in p ? bitsOf(p.values) : p.bits);

/** `m |= K` (set) or `m &= ~K` (clear) applied to every value, closed: the result holds both. */
function closeUnder(p: Possible, ops: readonly { bits: number; set: boolean }[]): Possible {
  const withSet = (bits: number): number => ops.reduce((b, o) => (o.set ? b | o.bits : b), bits);
  if (!('values' in p)) return { bits: withSet(p.bits) };
  const out = new Set(p.values);
  for (let grew = true; grew && out.size <= MAX_VALUES; ) {
    grew = false;
    for (const v of [...out]) {
      for (const o of ops) {
        const w = o.set ? v | o.bits : v & ~o.bits;
        if (!out.has(w)) {
          out.add(w);
          grew = true;
        }
      }
    }
  }
  return out.size <= MAX_VALUES ? { values: out } : { bits: withSet(bitsOf(out)) };
}

/** A store of a bare zero: `= 0`, `= NULL`, `= false`. */
const ZERO_LITERAL = /^(?:0+[uUlL]*|0[xX]0+|NULL|false)$/;

/** A member path (`o->kind`, `bo->mem.mem_type`): its root and fields; undefined through arrays or calls. */
const MEMBER_PATH = /^[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)+$/;

/** `((struct obj*)p)->kind`: a member path from a pointer cast to a struct. */
const CAST_PATH = /^\(\((?:struct\s+)?(\w+)\s*\*\)\w+\)((?:(?:->|\.)\w+|\[[^\][]*\])+)$/;

/** Array indices in a member path (`rdev->pm.power_state[i].type`): one element is as good as another. */
const INDEX = /\[[^\][]*\]/g;

/** The struct tag holding the path's last member, and that member. */
export function memberOf(program: Program, path: string, fn: FunctionIR, file: string): { tag: string; member: string } | undefined {
  // `((struct obj *)p)->kind`: the cast says the struct.
  const cast = CAST_PATH.exec(path);
  if (cast) {
    const fields = (cast[2] as string).replace(INDEX, '').split(/->|\./).slice(1);
    const tag = fields.length === 1 ? cast[1] : program.structOfPath({ root: '', cast: cast[1] as string, fields: fields.slice(0, -1), text: path }, fn, file);
    return tag ? { tag, member: fields[fields.length - 1] as string } : undefined;
  }
  const plain = path.includes('[') ? path.replace(INDEX, '') : path;
  if (!MEMBER_PATH.test(plain)) return undefined;
  const [root, ...fields] = plain.split(/->|\./) as [string, ...string[]];
  const member = fields[fields.length - 1] as string;
  const tag = program.structOfPath({ root, fields: fields.slice(0, -1), text: path }, fn, file);
  return tag ? { tag, member } : undefined;
}

/** The value of a constant as the program knows it: a number, an enumerator or macro of known value. */
function constantValue(s: string, names: ConstantNames): number | undefined {
  const n = integerValue(s) ?? names.value(s);
  return typeof n === 'number' ? n : undefined;
}

/** `a<=>b`, `m&K`: what a member's set says of the atom (ANY when it says nothing). */
export function memberAtomSigns(key: string, sets: MemberValues, owner: (path: string) => { tag: string; member: string } | undefined, names: ConstantNames): Mask {
  const sides = comparisonSides(key);
  if (sides) {
    for (const [i, side] of sides.entries()) {
      const set = possibleAt(side, sets, owner);
      const k = set && constantValue(sides[1 - i] as string, names);
      if (!set || k === undefined) continue;
      // Signs of (side - k), mirrored when the member is on the right.
      let m = 0;
      if ('values' in set) for (const v of set.values) m |= v === k ? Z : (v > k) === (i === 0) ? P : N;
      else m = (k & ~set.bits) === 0 ? ANY : P | N;
      return m as Mask;
    }
    return ANY;
  }
  const amp = key.indexOf('&');
  if (amp > 0 && key.indexOf('&', amp + 1) < 0) {
    const set = possibleAt(key.slice(0, amp), sets, owner);
    const k = set && constantValue(key.slice(amp + 1), names);
    if (!set || k === undefined) return ANY;
    if ('values' in set) {
      let m = 0;
      for (const v of set.values) m |= (v & k) === 0 ? Z : P | N;
      return m as Mask;
    }
    return (set.bits & k) === 0 ? Z : ANY;
  }
  const set = possibleAt(key, sets, owner);
  if (!set || !('values' in set)) return ANY;
  let m = 0;
  for (const v of set.values) m |= v === 0 ? Z : P | N;
  return m as Mask;
}

function possibleAt(path: string, sets: MemberValues, owner: (path: string) => { tag: string; member: string } | undefined): Possible | undefined {
  if (!MEMBER_PATH.test(path)) return undefined;
  const o = owner(path);
  return o ? sets.get(`${o.tag}.${o.member}`) : undefined;
}

/** Whether a condition can hold, given the sets (false only when they decide it). */
function condCan(c: Cond, want: boolean, decide: (key: string) => Mask): boolean {
  switch (c.k) {
    case 'not':
      return condCan(c.c, !want, decide);
    case 'and':
      return want ? condCan(c.a, true, decide) && condCan(c.b, true, decide) : condCan(c.a, false, decide) || condCan(c.b, false, decide);
    case 'or':
      return want ? condCan(c.a, true, decide) || condCan(c.b, true, decide) : condCan(c.a, false, decide) && condCan(c.b, false, decide);
    case 'const':
      return Boolean(c.value) === want;
    case 'atom': {
      const m = decide(c.key);
      return (want ? m & c.test : m & ~c.test & ANY) !== 0;
    }
    default:
      return true;
  }
}

/** The ops a body runs, leaving out branches `can` says no path enters. */
function liveOps(st: Stmt, can: (c: Cond, want: boolean) => boolean, visit: (o: Op) => void): void {
  const cond = (c: Cond): void => opsOf({ k: 'if', cond: c, then: { k: 'block', body: [], scope: 0 }, else: null }, visit);
  switch (st.k) {
    case 'block':
      for (const b of st.body) liveOps(b, can, visit);
      return;
    case 'if':
      cond(st.cond);
      if (can(st.cond, true)) liveOps(st.then, can, visit);
      if (st.else && can(st.cond, false)) liveOps(st.else, can, visit);
      return;
    case 'switch': {
      for (const o of st.pre) visit(o);
      let fallsIn = false;
      for (const [i, body] of st.cases.entries()) {
        const test = st.tests?.[i];
        const enters: boolean = fallsIn || !test || can(test, true);
        if (enters) for (const b of body) liveOps(b, can, visit);
        const last = body[body.length - 1];
        fallsIn = enters && !(last && (last.k === 'break' || last.k === 'return' || last.k === 'goto'));
      }
      return;
    }
    default:
      opsOf(st, visit);
  }
}

interface Site {
  caller: FunctionEntry;
  ev: CallEvent;
}

export function memberValueSets(program: Program, inputs: MemberValueInputs): MemberValues {
  const names = program.constants;
  const fixed = storesOutsideBodies(program);
  let sets: Map<string, Possible> = new Map();
  let last = '';
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = oneRound(program, inputs, names, sets, fixed);
    // A round only prunes stores, so what it no longer keeps (a member left with only its zero
    // stores) the last round's set still bounds.
    for (const [key, p] of sets) if (!next.has(key)) next.set(key, p);
    sets = next;
    const shape = [...sets].map(([k, p]) => `${k}=${'values' in p ? [...p.values].sort().join(',') : `b${p.bits}`}`).sort().join(';');
    if (shape === last) break;
    last = shape;
  }
  return sets;
}

/** What no round's pruning changes: the program's own struct members, and the writes outside function bodies' ops. */
interface FixedStores {
  /** `tag.member` the program's struct declarations give (not learnt from use). */
  declared: ReadonlySet<string>;
  /** `tag.member`, `tag.*` or `*.member` some write the program cannot follow leaves open. */
  open: ReadonlySet<string>;
  /** Designated initialisers: the member and the value text. */
  inits: readonly { key: string; value: string }[];
}

function storesOutsideBodies(program: Program): FixedStores {
  const declared = new Set(program.files.flatMap((f) => f.structs.flatMap((st) => Object.keys(st.fields).map((m) => `${st.tag}.${m}`))));
  const open = new Set<string>();
  // Writes through a call's result (`OCFS2_I(inode)->ip_flags |= F`): their struct's member, or any.
  for (const f of program.files) {
    for (const w of f.callWrites ?? []) {
      const at = program.resolveCallee(w.in, f.path);
      const member = w.path.fields[w.path.fields.length - 1] as string;
      const tag = at && program.structOfPath({ ...w.path, fields: w.path.fields.slice(0, -1) }, at.fn, at.file);
      open.add(tag ? `${tag}.${member}` : `*.${member}`);
    }
  }
  // Initialisers: by position, any member; designated, the value given or, for a member whose
  // struct is not known, every struct's member of that name.
  const inits: { key: string; value: string }[] = [];
  for (const f of program.files) {
    for (const tag of f.positionalInits ?? []) open.add(`${tag}.*`);
    for (const v of f.initialisedValues ?? []) {
      const member = v.fields[v.fields.length - 1] as string;
      const tag = initialisedTag(program, v.tag, v.fields.slice(0, -1), f.path);
      if (tag) inits.push({ key: `${tag}.${member}`, value: v.value });
      else open.add(`*.${member}`);
    }
  }
  return { declared, open, inits };
}

function oneRound(program: Program, inputs: MemberValueInputs, names: ConstantNames, known: MemberValues, fixed: FixedStores): Map<string, Possible> {
  const ownerCache = new Map<FunctionEntry, Map<string, { tag: string; member: string } | undefined>>();
  const ownerIn = (e: FunctionEntry, path: string): { tag: string; member: string } | undefined => {
    let byPath = ownerCache.get(e);
    if (!byPath) ownerCache.set(e, (byPath = new Map()));
    if (!byPath.has(path)) byPath.set(path, memberOf(program, path, e.fn, e.file));
    return byPath.get(path);
  };
  const decided = (e: FunctionEntry) => (c: Cond, want: boolean): boolean =>
    known.size === 0 || condCan(c, want, (key) => memberAtomSigns(key, known, (p) => ownerIn(e, p), names));

  // One walk: per function, its live ops; calls to each function; stores to each member.
  const opsByFn = new Map<FunctionEntry, Op[]>();
  const sites = new Map<number, Site[]>();
  const open = new Set(fixed.open);
  const stores: { e: FunctionEntry; key: string; o: SetEvent }[] = [];
  for (const e of program.functions) {
    if (!inputs.live(e)) continue;
    const ops: Op[] = [];
    liveOps(e.fn.body, decided(e), (o) => ops.push(o));
    opsByFn.set(e, ops);
    for (const o of ops) {
      if (o.k === 'set') {
        const whole = wholeWrite(program, o, e, (p) => ownerIn(e, p), fixed.declared);
        if (whole) open.add(`${whole}.*`);
        if (o.target.startsWith('*') || !/->|\./.test(o.target)) continue;
        const m = ownerIn(e, o.target);
        // A store whose struct is not known counts for every struct's member of that name, unless
        // its root is a struct: then it is a member of a struct whose layout the program lacks
        // (`info->fix.type` through a header's `struct fb_info`), taken to be none it tests.
        if (m) stores.push({ e, key: `${m.tag}.${m.member}`, o });
        else if (!structTyped(program, o.root, e)) open.add(`*.${/(\w+)$/.exec(o.target)?.[1] ?? ''}`);
        continue;
      }
      const callee = o.indirect ? undefined : program.resolveCallee(o.callee, e.file);
      if (callee) {
        const list = sites.get(callee.id);
        if (list) list.push({ caller: e, ev: o });
        else sites.set(callee.id, [{ caller: e, ev: o }]);
      }
      // `copy_from_user(&args, ..)`, `memcpy(cfg, src, n)`: filled whole by code the program lacks.
      const fills = !callee && !o.indirect && FILLS.test(o.callee);
      for (const [i, a] of o.args.entries()) {
        if (!a) continue;
        const path = a.text.replace(/^&/, '');
        // `set_bit(F, &o->flags)`: the callee may write it.
        if (a.text.startsWith('&') && a.fields.length > 0) {
          const member = a.fields[a.fields.length - 1] as string;
          // `set_bit(F, &OCFS2_I(inode)->ip_flags)`: through a call's result, its return type says the struct.
          const viaCall = a.rootCall !== undefined ? program.structOfPath({ ...a, fields: a.fields.slice(0, -1) }, e.fn, e.file) : undefined;
          const m = a.rootCall !== undefined ? (viaCall ? { tag: viaCall, member } : undefined) : ownerIn(e, path);
          if (m) open.add(`${m.tag}.${m.member}`);
          else if (a.rootCall !== undefined || !structTyped(program, a.root, e)) open.add(`*.${member}`);
        }
        if (fills && (a.text.startsWith('&') || i === 0)) {
          const tag = program.structOfPath({ ...a, text: path }, e.fn, e.file);
          if (tag) open.add(`${tag}.*`);
        }
      }
    }
  }
  // Values of a function's variable: every store into it, and for a parameter every call's argument.
  const varMemo = new Map<string, Possible | undefined | 'busy'>();
  const varValues = (e: FunctionEntry, name: string): Possible | undefined => {
    const id = `${e.id}:${name}`;
    const was = varMemo.get(id);
    if (was === 'busy') return undefined;
    if (varMemo.has(id)) return was as Possible | undefined;
    varMemo.set(id, 'busy');
    let out: Possible | undefined = { values: new Set() };
    const param = e.fn.params.findIndex((p) => p.name === name);
    if (param >= 0) {
      out = inputs.callersKnown(e) ? (sites.get(e.id) ?? []).reduce<Possible | undefined>((acc, s) => union(acc, argValues(s, param)), out) : undefined;
    } else if (!(name in e.fn.vars)) out = undefined;
    const bits: { bits: number; set: boolean }[] = [];
    // A local with no store of its own is written some way the ops do not say (a loop cursor, a macro).
    let stores = param >= 0 ? 1 : 0;
    for (const o of opsByFn.get(e) ?? []) {
      if (!out) break;
      if (o.k !== 'set') {
        // `p = kzalloc(..)`, `foo(&x)`: what a call returns or leaves there.
        if (o.assignTo === name || o.args.some((a) => a?.text === `&${name}`)) out = undefined;
        continue;
      }
      if (o.target !== name) continue;
      stores++;
      const stored = storedValues(e, o, bits);
      if (stored !== 'bits') out = union(out, stored);
    }
    if (stores === 0) out = undefined;
    if (out && bits.length) out = closeUnder(out, bits);
    varMemo.set(id, out);
    return out;
  };
  // What a store writes: a set, or 'bits' when it is `|= K` / `&= ~K` (noted in `bits`).
  const storedValues = (e: FunctionEntry, o: SetEvent, bits: { bits: number; set: boolean }[]): Possible | undefined | 'bits' => {
    if (o.byCall || o.step || o.addr || o.copy) return undefined;
    if (o.bits) {
      const vs = o.bits.names.map((n) => constantValue(n, names));
      if (vs.some((v) => v === undefined)) return undefined;
      bits.push({ bits: bitsOf(vs as number[]), set: o.bits.set });
      return 'bits';
    }
    if (o.orOf) {
      const vs = o.orOf.map((n) => constantValue(n, names));
      return vs.some((v) => v === undefined) ? undefined : { values: new Set([bitsOf(vs as number[])]) };
    }
    if (o.oneOf) {
      const vs = o.oneOf.map((n) => constantValue(n, names));
      return vs.some((v) => v === undefined) ? undefined : { values: new Set(vs as number[]) };
    }
    const lit = o.lit ?? o.name;
    if (lit !== undefined) {
      const v = constantValue(lit, names);
      return v === undefined ? undefined : { values: new Set([v]) };
    }
    if (o.from !== undefined) return /^[A-Za-z_]\w*$/.test(o.from) ? varValues(e, o.from) : undefined;
    return o.value === Z ? ZERO_ONLY : undefined;
  };
  // What one call hands parameter i.
  const argValues = ({ caller, ev }: Site, i: number): Possible | undefined => {
    const lit = ev.lits?.[i];
    if (lit !== undefined) {
      const v = constantValue(lit, names);
      return v === undefined ? undefined : { values: new Set([v]) };
    }
    const flags = ev.flags?.[i];
    if (flags) {
      const vs = flags.map((n) => constantValue(n, names));
      return vs.some((v) => v === undefined) ? undefined : { values: new Set([bitsOf(vs as number[])]) };
    }
    const a = ev.args[i];
    if (!a || a.fields.length > 0 || a.text !== a.root) return ev.consts?.[i] === Z ? ZERO_ONLY : undefined;
    if (a.root in caller.fn.vars) return varValues(caller, a.root);
    if (program.isGlobalVariable(a.root, caller.file)) return undefined;
    const v = constantValue(a.root, names);
    return v === undefined ? undefined : { values: new Set([v]) };
  };

  const out = new Map<string, Possible>();
  // Members some store gives more than a bare 0 or NULL (an enumerator of value 0 counts).
  const named = new Set<string>();
  const bitsOfKey = new Map<string, { bits: number; set: boolean }[]>();
  const dropped = new Set<string>();
  for (const { e, key, o } of stores) {
    if (dropped.has(key)) continue;
    const bits = bitsOfKey.get(key) ?? [];
    bitsOfKey.set(key, bits);
    const zero = o.value === Z && (o.lit === undefined || ZERO_LITERAL.test(o.lit)) && o.name === undefined && o.from === undefined;
    if (!zero && o.bits?.set !== false) named.add(key);
    const stored = storedValues(e, o, bits);
    if (stored === 'bits') continue;
    const next = union(out.get(key) ?? ZERO_ONLY, stored);
    if (next) out.set(key, next);
    else {
      out.delete(key);
      dropped.add(key);
    }
  }
  for (const [key, bits] of bitsOfKey) {
    if (dropped.has(key)) continue;
    const p = out.get(key) ?? ZERO_ONLY;
    out.set(key, bits.length ? closeUnder(p, bits) : p);
  }
  for (const { key, value } of fixed.inits) {
    if (dropped.has(key)) continue;
    named.add(key);
    const k = constantValue(value, names);
    const next = k === undefined ? undefined : union(out.get(key) ?? ZERO_ONLY, { values: new Set([k]) });
    if (next) out.set(key, next);
    else {
      out.delete(key);
      dropped.add(key);
    }
  }
  for (const key of [...out.keys()]) {
    const dot = key.lastIndexOf('.');
    const tag = key.slice(0, dot);
    const member = key.slice(dot + 1);
    // Only ever a bare 0 or NULL is a member nothing sets, which unset-members.ts asks the tree
    // about more carefully (a pointer the program only clears is set where it cannot see); a
    // pointer member is an object, not a value.
    if (!named.has(key) || program.structs.get(tag)?.[member]?.ptr || open.has(key) || open.has(`${tag}.*`) || open.has(`*.${member}`) || inputs.writableOutside(tag, member)) out.delete(key);
  }
  return out;
}

/**
 * The struct a store writes whole, when it may bring values from elsewhere: `*d = *s` from an
 * object of another type, `*d = x`, `d->cfg = c` with `cfg` a struct the program declares
 * embedded. A pointer stored through a pointer to it (`*p_bo = NULL`, `*out = bo`) writes no struct,
 * and a copy of another object of the same struct (`*fbo = *bo`) brings only values it had.
 */
function wholeWrite(program: Program, o: SetEvent, e: FunctionEntry, owner: (path: string) => { tag: string; member: string } | undefined, declared: ReadonlySet<string>): string | undefined {
  const whole = structWritten(program, o.target, e);
  if (!whole) return undefined;
  if (o.target.startsWith('*')) {
    if (o.value === Z || (o.from !== undefined && program.typeOfVariable(o.from, e.fn, e.file)?.ptr)) return undefined;
    if (o.wholeFrom !== undefined) {
      const t = program.typeOfVariable(o.wholeFrom, e.fn, e.file);
      const u = t && program.underlying(t, e.file);
      if (u && (u.k === 'struct' || u.k === 'typedef') && u.name === whole) return undefined;
    }
    return whole;
  }
  const m = owner(o.target);
  if (!m || !declared.has(`${m.tag}.${m.member}`)) return undefined;
  const copied = o.copy && program.structOfPath(o.copy, e.fn, e.file);
  return copied === whole ? undefined : whole;
}

/** Whether a variable is a struct (or a pointer to one), not `void *`, an integer or unknown. */
function structTyped(program: Program, name: string, e: FunctionEntry): boolean {
  const t = program.typeOfVariable(name, e.fn, e.file);
  const u = t && program.underlying(t, e.file);
  return u !== undefined && (u.k === 'struct' || u.k === 'typedef');
}

/** The struct an initialiser's member path ends in: `{ .inner = { .kind = K } }` of `struct outer` is `inner`'s struct. */
function initialisedTag(program: Program, tag: string, fields: readonly string[], file: string): string | undefined {
  let t = program.underlying({ k: 'typedef', name: tag }, file);
  for (const f of fields) {
    const next = t.k === 'struct' || t.k === 'typedef' ? program.structs.get(t.name)?.[f] : undefined;
    if (!next) return undefined;
    t = program.underlying(next, file);
  }
  return t.k === 'struct' || t.k === 'typedef' ? t.name : undefined;
}

/** The atom answers for one function's walk, once per atom key. */
export function memberAnswers(sets: MemberValues, program: Program, fn: FunctionIR, file: string): (key: string) => Mask {
  const seen = new Map<string, Mask>();
  const owners = new Map<string, { tag: string; member: string } | undefined>();
  const owner = (path: string): { tag: string; member: string } | undefined => {
    if (!owners.has(path)) owners.set(path, memberOf(program, path, fn, file));
    return owners.get(path);
  };
  return (key) => {
    let m = seen.get(key);
    if (m === undefined) seen.set(key, (m = memberAtomSigns(key, sets, owner, program.constants)));
    return m;
  };
}

/**
 * Member names some test of the files compares or ands with something (`o->kind == K`,
 * `p->flags & F`, `switch (o->kind)`): the front end asks the tree who outside writes them.
 */
export function valueCandidates(files: readonly FileFacts[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    for (const fn of f.functions) {
      // A constant: a number, or a name that is no variable of the function (a macro, an enumerator).
      const constant = (s: string): boolean => /^-?\d/.test(s) || (/^[A-Za-z_]\w*$/.test(s) && !(s in fn.vars));
      const note = (path: string, other: string): void => {
        const plain = path.replace(INDEX, '');
        if (MEMBER_PATH.test(plain) && constant(other)) out.add(/(\w+)$/.exec(plain)?.[1] as string);
      };
      for (const key of equalityKeys(fn.body)) {
        const sides = comparisonSides(key);
        if (sides) {
          note(sides[0], sides[1]);
          note(sides[1], sides[0]);
        }
      }
      for (const key of atomKeys(fn.body)) {
        const amp = key.indexOf('&');
        if (amp > 0 && !comparisonSides(key)) note(key.slice(0, amp), key.slice(amp + 1));
      }
    }
  }
  return [...out].sort();
}

/**
 * Non-static functions that store a parameter or hand one to a call: whether their calls are all
 * the program's is asked of the tree (a file outside naming one may call it with anything).
 */
export function valueCarriers(files: readonly FileFacts[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    for (const fn of f.functions) {
      if (fn.isStatic || fn.isMacro || fn.params.length === 0) continue;
      const params = new Set(fn.params.map((p) => p.name));
      let carries = false;
      opsOf(fn.body, (o) => {
        if (carries) return;
        if (o.k === 'set') carries = o.from !== undefined && params.has(o.from);
        else carries = o.args.some((a) => a !== null && a.fields.length === 0 && params.has(a.root));
      });
      if (carries) out.add(fn.name);
    }
  }
  return [...out].sort();
}

/**
 * Struct tags and typedef names the files name (declared, or some variable's type): what an
 * outside writer is searched for. A struct reached another way (`current->state`) is not among
 * them, and the analysis takes its members as written outside.
 */
export function namedTags(files: readonly FileFacts[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    for (const s of f.structs) out.add(s.tag);
    for (const fn of f.functions) for (const t of Object.values(fn.vars)) if (t.k === 'struct' || t.k === 'typedef') out.add(t.name);
  }
  return [...out].filter((t) => /^\w+$/.test(t)).sort();
}
