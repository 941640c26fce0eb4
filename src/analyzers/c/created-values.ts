/**
 * What an object keeps from its creation. An OS layer's lock object records the kind its
 * constructor chose from the flags it was created with (`l->type = LK_SPIN` where `flags &
 * LKF_SPIN`), and its wait and signal wrappers switch on that record. The objects one member
 * (`session.lock`) or one global pointer holds all come from the creation calls that store
 * there (`s->lock = oslock_create(LKF_ORDERED)`): evaluating each constructor on the constant
 * arguments of its call gives the values those objects can hold in each member. A wrapper's way
 * out that needs another value (its spinlock arm, for an object created a semaphore) is not one
 * a caller holding such an object can take.
 *
 * Kept only where it is sure: every store into the holder is a creation call evaluated here or
 * a NULL, and the member is written nowhere but in constructors on the object they return. Any
 * other store into the holder (a copy from a local, its address handed to a call, an initialiser
 * of that member) or write of the member leaves the values unknown. Pure: built from the
 * program's IR once per analysis.
 */
import { eachReturn, opsOf } from './call-graph.ts';
import { constantSigns, integerValue } from './comparison.ts';
import { Z, type CallEvent, type Cond, type FunctionIR, type Op, type Stmt } from './ir.ts';
import { liveOps } from './live-branches.ts';
import { evalPreprocCondition } from './preproc-expr.ts';
import type { FunctionEntry, Program } from './program.ts';

export interface CreatedValues {
  /**
   * The constants `x` (a member path, `s->lock->type`) can hold, from the creations of the
   * object it belongs to; undefined where not all of them are known.
   */
  valuesOf(x: string, fn: FunctionIR, file: string): readonly string[] | undefined;
  /** Whether `x` can hold `constant`, as far as its object's creations say. */
  canHold(x: string, constant: string, fn: FunctionIR, file: string): boolean;
}

/** Member values of the objects a holder's creations return: member -> values. */
type Made = Map<string, Set<string>>;

const UNKNOWN = '?';
/** Paths a constructor explores before it gives up, and steps it takes. */
const MAX_STATES = 64;
const MAX_STEPS = 4000;
/** Argument combinations a creation call is evaluated with. */
const MAX_COMBINATIONS = 8;
const PATH = /^[A-Za-z_]\w*(?:(?:->|\.)\w+)*$/;

export function createdValues(program: Program): CreatedValues {
  const made = new Map<string, Made | null>();
  // The struct the objects of a holder are, as the creating function types it.
  const holderTags = new Map<string, string>();
  const noteTag = (holder: string, root: string, fields: readonly string[], e: FunctionEntry): void => {
    const tag = program.structOfPath({ root, fields: [...fields], text: '' }, e.fn, e.file);
    if (tag && !holderTags.has(holder)) holderTags.set(holder, tag);
  };
  // Members written outside the constructors that return their object: struct.member.
  const mutated = new Set<string>();
  const merge = (holder: string, m: Made | null): void => {
    const old = made.get(holder);
    if (old === null) return;
    if (m === null) {
      made.set(holder, null);
      return;
    }
    if (!old) {
      made.set(holder, new Map([...m].map(([k, v]) => [k, new Set(v)])));
      return;
    }
    // A member one creation sets and another leaves alone is unknown in the union.
    for (const k of new Set([...old.keys(), ...m.keys()])) {
      const a = old.get(k);
      const b = m.get(k);
      old.set(k, a && b ? new Set([...a, ...b]) : new Set([UNKNOWN]));
    }
  };
  const memo = new Map<string, Made | null>();
  const creation = (ev: CallEvent, e: FunctionEntry): Made | null => {
    if (ev.indirect) return null;
    const callee = program.resolveCallee(ev.callee, e.file);
    if (!callee || callee.fn.isMacro) return null;
    // Each argument's possible constants (a local set to `F_A | F_B` in each #if branch has two).
    let combos: (number | undefined)[][] = [[]];
    for (let i = 0; i < callee.fn.params.length; i++) {
      const values = argValues(ev, i, e, program);
      combos = combos.flatMap((c) => values.map((v) => [...c, v]));
      if (combos.length > MAX_COMBINATIONS) combos = [callee.fn.params.map((_, j) => argValue(ev, j, program))];
    }
    let out: Made | null | undefined;
    for (const args of combos) {
      const key = `${callee.id}:${args.join(',')}`;
      let r = memo.get(key);
      if (r === undefined) memo.set(key, (r = evaluateConstructor(callee.fn, args, program)));
      out = out === undefined ? r : unionOf(out, r);
    }
    return out ?? null;
  };

  for (const e of program.functions) {
    const returned = returnedLocals(e.fn);
    let prev: Op | undefined;
    opsOf(e.fn.body, (o) => {
      const before = prev;
      prev = o;
      if (o.k !== 'set') {
        // `g_lock = oslock_create(F)`: a global pointer filled by a constructor.
        const global = o.assignTo ? holderKey(program, o.assignTo, [], e.fn, e.file) : undefined;
        if (global !== undefined) {
          merge(global, creation(o, e));
          noteTag(global, o.assignTo as string, [], e);
        }
        // `fill(&h->lock)`: the callee may store anything there.
        for (const a of o.args) {
          const holder = a?.text.startsWith('&') ? holderKey(program, a.root, a.fields, e.fn, e.file) : undefined;
          if (holder !== undefined) merge(holder, null);
        }
        return;
      }
      const path = parsePath(o.target);
      if (!path) return;
      const { root, fields } = path;
      // A member written through something other than a constructor's own new object.
      if (fields.length >= 1 && !(returned.has(root) && fields.length === 1)) {
        const tag = program.structOfPath({ root, fields: fields.slice(0, -1), text: '' }, e.fn, e.file);
        mutated.add(`${tag ?? '*'}.${fields[fields.length - 1]}`);
      }
      const holder = holderKey(program, root, fields, e.fn, e.file);
      if (holder === undefined) return;
      if (o.value === Z && !o.byCall) return;
      const created = before && before.k !== 'set' && before.line === o.line && !o.byCall && o.from === undefined && o.lit === undefined && o.addr === undefined && o.copy === undefined;
      merge(holder, created ? creation(before, e) : null);
      noteTag(holder, root, fields, e);
    });
  }
  // An initialiser may point a holder at an object of its own (`{ .lock = &fixed }`). Objects a
  // constructor returns are made at run time: no initialiser writes into them.
  const initialised = new Set<string>();
  for (const f of program.files) for (const m of f.initialisedMembers ?? []) initialised.add(`*.${m}`);
  for (const f of program.files) for (const tag of f.positionalInits ?? []) initialised.add(`${tag}.*`);

  const valuesOf = (x: string, fn: FunctionIR, file: string): readonly string[] | undefined => {
    const path = parsePath(x);
    if (!path || path.fields.length === 0) return undefined;
    const { root, fields } = path;
    const member = fields[fields.length - 1] as string;
    // A global is looked up by name alone: a macro's body (in a header) names its user's static.
    const holder = fields.length === 1 ? (root in fn.vars ? undefined : `@${root}`) : holderKey(program, root, fields.slice(0, -1), fn, file);
    const m = holder === undefined ? undefined : made.get(holder);
    if (!m || holder === undefined) return undefined;
    const dot = holder.lastIndexOf('.');
    if (dot > 0 && (initialised.has(`*${holder.slice(dot)}`) || initialised.has(`${holder.slice(0, dot)}.*`))) return undefined;
    const tag = program.structOfPath({ root, fields: fields.slice(0, -1), text: '' }, fn, file) ?? holderTags.get(holder);
    if (!tag || mutated.has(`${tag}.${member}`) || mutated.has(`*.${member}`)) return undefined;
    const values = m.get(member);
    return values && !values.has(UNKNOWN) ? [...values] : undefined;
  };
  return {
    valuesOf,
    canHold: (x, constant, fn, file) => {
      const values = valuesOf(x, fn, file);
      // Equal unless the two are known to differ (two numbers, two enumerators of known values).
      return values === undefined || values.some((v) => ((constantSigns(v, constant, program.constants) ?? Z) & Z) !== 0);
    },
  };
}

/** `s->lock` -> `session.lock` (the struct s points to, and the member); a global `g` -> `@g`. */
function holderKey(program: Program, root: string, fields: readonly string[], fn: FunctionIR, file: string): string | undefined {
  if (fields.length === 0) return !(root in fn.vars) && program.isGlobalVariable(root, file) ? `@${root}` : undefined;
  const owner = program.structOfPath({ root, fields: fields.slice(0, -1), text: '' }, fn, file);
  return owner ? `${owner}.${fields[fields.length - 1]}` : undefined;
}

function parsePath(text: string): { root: string; fields: string[] } | undefined {
  if (!PATH.test(text)) return undefined;
  const [root, ...fields] = text.split(/->|\./);
  return { root: root as string, fields };
}

/** The locals a function returns (`return l;`): the objects it makes. */
function returnedLocals(fn: FunctionIR): Set<string> {
  const out = new Set<string>();
  eachReturn(fn.body, (v) => {
    if (v.k === 'var' && !fn.params.some((p) => p.name === v.name)) out.add(v.name);
  });
  return out;
}

/** The statements that run after `label:` in a list (its block's rest, then the list's), if it is there. */
function afterLabel(list: readonly Stmt[], label: string): Stmt[] | undefined {
  for (let i = 0; i < list.length; i++) {
    const st = list[i] as Stmt;
    if (st.k === 'label' && st.name === label) return list.slice(i + 1);
    const inner = st.k === 'block' ? afterLabel(st.body, label) : undefined;
    if (inner) return [...inner, ...list.slice(i + 1)];
  }
  return undefined;
}

/** The union of two creations' member values: a member only one of them sets is unknown. */
function unionOf(a: Made | null, b: Made | null): Made | null {
  if (a === null || b === null) return null;
  const out: Made = new Map();
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    out.set(k, x && y ? new Set([...x, ...y]) : new Set([UNKNOWN]));
  }
  return out;
}

/**
 * The constants argument i can be: its own (argValue), or those of a local it names when every
 * assignment of that local in the function is a constant (`flags = F_A | F_B;` under `#if`,
 * `flags = F_A;` under `#else`); an assignment under an `#if` branch the build leaves out is
 * none (c/live-branches.ts). [undefined] when unknown.
 */
function argValues(ev: CallEvent, i: number, e: FunctionEntry, program: Program): (number | undefined)[] {
  const fn = e.fn;
  const own = argValue(ev, i, program);
  const a = ev.args[i];
  if (own !== undefined || !a || a.fields.length > 0 || a.rootCall || a.text !== a.root || !(a.root in fn.vars) || fn.params.some((p) => p.name === a.root)) return [own];
  const values = new Set<number>();
  let known = true;
  liveOps(fn.body, (key) => program.configHolds(key, e.file, fn.line), (o) => {
    if (!known) return;
    if (o.k !== 'set') {
      if (o.args.some((x) => x?.root === a.root && x.text.startsWith('&'))) known = false;
      return;
    }
    if (o.target !== a.root) return;
    const v = setValue(o, program);
    if (v === undefined) known = false;
    else values.add(v);
  });
  return known && values.size > 0 && values.size <= MAX_COMBINATIONS ? [...values] : [undefined];
}

/** The constant an assignment stores (`= 5`, `= F_A`, `= F_A | F_B`), or undefined. */
function setValue(o: Op & { k: 'set' }, program: Program): number | undefined {
  if (o.byCall || o.from !== undefined || o.bits || o.step) return undefined;
  const names = o.orOf ?? (o.lit !== undefined ? [o.lit] : o.name !== undefined ? [o.name] : undefined);
  return names ? orValue(names, program) : undefined;
}

/** `F_A | F_B | 4` as a number, when every operand is a number or a constant of known value. */
function orValue(names: readonly string[], program: Program): number | undefined {
  let v = 0;
  for (const n of names) {
    const x = integerValue(n) ?? program.constants.value(n);
    if (typeof x !== 'number') return undefined;
    v |= x;
  }
  return v;
}

/** A call's constant argument i as a number (`5`, `F_A | F_B` with known values, NULL), or undefined. */
function argValue(ev: CallEvent, i: number, program: Program): number | undefined {
  const lit = ev.lits?.[i];
  if (lit !== undefined) return integerValue(lit);
  const flags = ev.flags?.[i];
  if (flags) return orValue(flags, program);
  return ev.consts?.[i] === Z ? 0 : undefined;
}

interface State {
  /** member -> the constant stored in the new object on this path; `*` stands for every member. */
  members: Map<string, string>;
  /** The allocation failed on this path (`if (!l)`): returning the local returns no object. */
  null?: true;
}

/** Which branch of a test of `v` itself has it NULL (`if (!l)`, `if (NULL == l)`), if the test is one. */
function nullOn(c: Cond, v: string): 'then' | 'else' | undefined {
  if (c.k === 'not') {
    const inner = nullOn(c.c, v);
    return inner === 'then' ? 'else' : inner === 'else' ? 'then' : undefined;
  }
  if (c.k !== 'atom' || c.key !== v) return undefined;
  return c.test === Z ? 'then' : (c.test & Z) === 0 ? 'else' : undefined;
}

/**
 * Runs a constructor on known argument values: the members of the local it returns, per member
 * the constants stored on the ways out that return it. Null when it is no constructor (it
 * returns something else) or does what this does not follow (a loop or switch that stores into
 * the object or returns, too many paths).
 */
function evaluateConstructor(fn: FunctionIR, args: readonly (number | undefined)[], program: Program): Made | null {
  const locals = returnedLocals(fn);
  if (locals.size !== 1) return null;
  const v = [...locals][0] as string;
  const known = new Map<string, number>();
  fn.params.forEach((p, i) => {
    const a = args[i];
    if (a !== undefined) known.set(p.name, a);
  });
  const finished: State[] = [];
  let steps = 0;
  let failed = false;
  const top = fn.body.k === 'block' ? fn.body.body : [fn.body];

  const touches = (st: Stmt): boolean => {
    let hit = false;
    opsOf(st, (o) => {
      if (o.k === 'set' && (o.root === v || o.target === v)) hit = true;
      if (o.k !== 'set' && o.args.some((a) => a?.root === v && a.fields.length === 0)) hit = true;
    });
    const exits = (s: Stmt): boolean =>
      s.k === 'return' || s.k === 'goto' || (s.k === 'block' && s.body.some(exits)) || (s.k === 'if' && (exits(s.then) || (s.else !== null && exits(s.else)))) || ((s.k === 'loop' || s.k === 'scoped') && exits(s.body)) || (s.k === 'switch' && s.cases.some((c) => c.some(exits)));
    return hit || exits(st);
  };
  const applyOp = (s: State, o: Op): State => {
    if (o.k === 'set') {
      const path = parsePath(o.target);
      if (!path || path.root !== v || path.fields.length !== 1) return s;
      const value = o.lit ?? (o.name !== undefined && program.constants.value(o.name) !== undefined ? o.name : o.value === Z && o.from === undefined ? '0' : UNKNOWN);
      return { ...s, members: new Map(s.members).set(path.fields[0] as string, o.byCall ? UNKNOWN : value) };
    }
    // The object handed whole to a call: it may fill any member.
    if (o.args.some((a) => a?.root === v && a.fields.length === 0)) return { ...s, members: new Map([['*', UNKNOWN]]) };
    return s;
  };
  const cond = (c: Cond): boolean | undefined => {
    switch (c.k) {
      case 'const':
        return c.value;
      case 'not': {
        const x = cond(c.c);
        return x === undefined ? undefined : !x;
      }
      case 'and': {
        const a = cond(c.a);
        const b = cond(c.b);
        return a === false || b === false ? false : a === true && b === true ? true : undefined;
      }
      case 'or': {
        const a = cond(c.a);
        const b = cond(c.b);
        return a === true || b === true ? true : a === false && b === false ? false : undefined;
      }
      case 'atom': {
        const value = evalPreprocCondition(c.key, {
          defined: () => undefined,
          value: (name) => (c.reads.includes(name) ? known.get(name) : (program.constants.value(name) ?? undefined)),
        });
        if (value === undefined) return undefined;
        const sign = value === 0 ? Z : value > 0 ? 2 : 4;
        return (sign & c.test) !== 0;
      }
      default:
        return undefined;
    }
  };
  // Runs a list of statements on state s; returns the states that fall through.
  const run = (list: readonly Stmt[], s: State): State[] => {
    let states = [s];
    for (const st of list) {
      if (failed || states.length === 0) return [];
      const next: State[] = [];
      for (const x of states) next.push(...exec(st, x));
      if (next.length > MAX_STATES) failed = true;
      states = next;
    }
    return states;
  };
  const exec = (st: Stmt, s: State): State[] => {
    if (++steps > MAX_STEPS) failed = true;
    if (failed) return [];
    switch (st.k) {
      case 'block':
        return run(st.body, s);
      case 'scoped':
        return exec(st.body, s);
      case 'ops':
        return [st.ops.reduce(applyOp, s)];
      case 'if': {
        const c = cond(st.cond);
        // `if (NULL == l) return l;`: that way returns no object.
        const nulled = nullOn(st.cond, v);
        const out: State[] = [];
        if (c !== false) out.push(...exec(st.then, nulled === 'then' ? { ...s, null: true } : s));
        const other: State = nulled === 'else' ? { ...s, null: true } : s;
        if (c !== true) out.push(...(st.else ? exec(st.else, other) : [other]));
        return out;
      }
      case 'loop':
      case 'switch':
        if (touches(st)) failed = true;
        return [s];
      case 'return':
        if (st.value.k === 'var' && st.value.name === v) {
          if (!s.null) finished.push(s);
        }
        else if (!(st.value.k === 'const' && st.value.mask === Z)) failed = true;
        return [];
      case 'goto': {
        // Error paths jump to labels at the end of the body: run on from there (falling off
        // the end returns nothing a caller could store).
        const rest = afterLabel(top, st.label);
        if (!rest) failed = true;
        else run(rest, s);
        return [];
      }
      case 'label':
        return [s];
      default:
        failed = true;
        return [];
    }
  };
  run(top, { members: new Map() });
  if (failed || finished.length === 0) return null;
  // Per member, what each way out left in it (a member one way does not set is unknown).
  const out: Made = new Map();
  for (const m of new Set(finished.flatMap((s) => [...s.members.keys()]))) {
    if (m !== '*') out.set(m, new Set(finished.map((s) => s.members.get(m) ?? s.members.get('*') ?? UNKNOWN)));
  }
  return out;
}
