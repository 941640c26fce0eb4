/**
 * Members nothing ever sets: a flag a driver tests (`if (c->cansleep) mutex_lock(...)`), copies
 * into a local it tests (`ndev = g.mon_if[i].mon_ndev; if (ndev)`) or compares with a variable
 * (`if (g.mon_if[i].mon_ndev == ndev)`, false for an ndev the path knows non-NULL), that no live code, no
 * initialiser and no other file of the kernel tree gives a value is 0 wherever it is read
 * (objects are zeroed or static). Its tested branch never runs, and the locks there are
 * never taken. The writers counted: assignments other than of 0 (`c->cansleep = true`, `|=`,
 * `++`), its address handed to a call (`set_bit(F, &c->flags)`), a designated initialiser of a
 * value other than 0, a positional initialiser of its struct, and a whole object filled by a call
 * the program has no body for (`copy_from_user(&args, ...)`, `memcpy(cfg, src, len)`). A writer
 * in dead code (analyze-program's deadFunctions) does not count.
 */
import { atomKeys, eachReturn, opsOf } from './call-graph.ts';
import { comparisonSides, isFlagName } from './comparison.ts';
import { Z, type AccessPath, type FileFacts } from './ir.ts';
import type { FunctionEntry, Program } from './program.ts';

/** `c->cansleep`, `dev.flags`: a member path whose last member is read as a truth value. */
export const TESTED_MEMBER = /^[A-Za-z_]\w*(?:(?:->|\.)\w+)*(?:->|\.)(\w+)$/;

/** `ieee->softmac_features&IEEE_SOFTMAC_BEACONS`: a member tested for a named bit; its last member. */
const ANDED_MEMBER = /^[A-Za-z_]\w*(?:(?:->|\.)\w+)*(?:->|\.)(\w+)&[A-Za-z_]\w*$/;

/** `g.mon_if[i].mon_ndev`: a member path through arrays too (a side of a comparison); its last member. */
export const INDEXED_MEMBER = /^[A-Za-z_]\w*(?:(?:->|\.)\w+|\[[^\]]*\])*(?:->|\.)(\w+)$/;

/**
 * The members some condition tests for truth, compares with a variable or tests through a
 * local's copy, that a struct of the files declares, and that no initialiser of the files gives
 * a value: those the front end asks the rest of the tree about.
 */
export function unsetCandidates(files: readonly FileFacts[]): string[] {
  const declared = new Set<string>();
  const positional = new Set<string>();
  const initialised = new Set<string>();
  for (const f of files) {
    for (const s of f.structs) for (const m of Object.keys(s.fields)) declared.add(m);
    for (const m of f.initialisedMembers ?? []) initialised.add(m);
    for (const t of f.positionalInits ?? []) positional.add(t);
    // A device or another CPU writes a volatile member (a flag in a board's shared memory).
    for (const m of f.volatileMembers ?? []) initialised.add(m);
  }
  for (const f of files) for (const s of f.structs) if (positional.has(s.tag)) for (const m of Object.keys(s.fields)) initialised.add(m);
  const out = new Set<string>();
  const noteMember = (m: string): void => {
    if (declared.has(m) && !initialised.has(m)) out.add(m);
  };
  const note = (path: string): void => {
    const m = TESTED_MEMBER.exec(path)?.[1];
    if (m) noteMember(m);
  };
  for (const f of files) {
    for (const fn of f.functions) {
      const tested = atomKeys(fn.body);
      for (const key of tested) {
        note(key);
        // `ieee->features & F_BEACONS`: a member tested for a bit (flag-set members, below).
        const anded = ANDED_MEMBER.exec(key)?.[1];
        if (anded) noteMember(anded);
        // `g.mon_if[i].mon_ndev == ndev`: compared with a variable.
        for (const side of comparisonSides(key) ?? []) {
          const m = INDEXED_MEMBER.exec(side)?.[1];
          if (m) noteMember(m);
        }
      }
      // `return c->cansleep;`: an accessor a condition calls (`if (clk_cansleep(c))`).
      eachReturn(fn.body, (v) => {
        if (v.k === 'var') note(v.name);
      });
      // `ndev = g.mon_if[i].mon_ndev; if (ndev)`: a tested local's copy of a member.
      opsOf(fn.body, (o) => {
        if (o.k === 'set' && o.member !== undefined && tested.has(o.target)) noteMember(o.member);
      });
    }
  }
  return [...out].sort();
}

/**
 * Text that writes one of `names` (`.cansleep = 1`, `->cansleep |= x`, `x->cnt++`, `&c->flags`
 * handed on; not `a && c->flags` or `a & c->flags`): for the files outside the program.
 */
export function memberWrites(names: readonly string[]): MemberWrites {
  const n = `(?:${names.join('|')})`;
  // Every write names the member after `.` or `->`: a file without one is skipped by a cheap test.
  const named = new RegExp(`(?:\\.|->)\\s*${n}\\b`);
  const full = new RegExp(`(?:\\.|->)\\s*(${n})\\s*(?:[-+*/%&|^]?=(?!=)|\\+\\+|--)|(?:\\+\\+|--)\\s*[\\w.>\\-]*?(?:\\.|->)\\s*(${n})\\b|(?<![\\w)\\]&]\\s*)&(?!&)\\s*[\\w.>\\-\\[\\]]*?(?:\\.|->)\\s*(${n})\\b`, 'g');
  return { named, full };
}

/** The writes of some members: `named` finds a file that may hold one, `full` the writes. */
export interface MemberWrites {
  named: RegExp;
  full: RegExp;
}

/** Which of `names` a text writes. */
export function writtenMembers(text: string, pattern: MemberWrites): Set<string> {
  const out = new Set<string>();
  if (!pattern.named.test(text)) return out;
  for (const m of text.matchAll(pattern.full)) out.add((m[1] ?? m[2] ?? m[3]) as string);
  return out;
}

/**
 * Of `candidates` (members no file outside the program writes), those no live function of the
 * program writes either.
 */
export function unsetMembers(program: Program, candidates: readonly string[], live: (e: FunctionEntry) => boolean): Set<string> {
  const left = new Set(candidates);
  if (left.size === 0) return left;
  const last = (p: AccessPath | string): string | undefined => {
    const fields = typeof p === 'string' ? p.split(/->|\./) : p.fields;
    return fields.length > (typeof p === 'string' ? 1 : 0) ? fields[fields.length - 1] : undefined;
  };
  const membersOf = (tag: string | undefined): readonly string[] => (tag ? Object.keys(program.structs.get(tag) ?? {}) : []);
  for (const e of program.functions) {
    if (!live(e)) continue;
    opsOf(e.fn.body, (o) => {
      if (o.k === 'set') {
        const m = last(o.target);
        if (m && left.has(m) && !(o.value === Z && o.from === undefined && o.name === undefined && !o.byCall)) left.delete(m);
        // `d->cfg = *pdata`, `*d = *tmpl`: a whole struct written, every member of it.
        for (const member of membersOf(structWritten(program, o.target, e))) left.delete(member);
        return;
      }
      const bodiless = !program.hasFunction(o.callee) && !o.indirect;
      o.args.forEach((a, i) => {
        if (!a) return;
        const m = last(a);
        // `set_bit(F, &c->flags)`: the callee may write it.
        if (a.text.startsWith('&') && m && left.has(m)) left.delete(m);
        // `copy_from_user(&args, ...)`, `memcpy(cfg, src, len)`: the whole object filled by code the program does not have.
        if (bodiless && (a.text.startsWith('&') || (i === 0 && o.args.length >= 3))) {
          for (const member of membersOf(program.structOfPath({ ...a, text: a.text.replace(/^&/, '') }, e.fn, e.file))) left.delete(member);
        }
      });
    });
  }
  return left;
}

/** The struct a store writes whole: `d->cfg` with `cfg` a struct member (not a pointer), `*d`, a local struct. */
export function structWritten(program: Program, target: string, e: FunctionEntry): string | undefined {
  const whole = target.startsWith('*');
  const [root, ...fields] = target.replace(/^\*+/, '').split(/->|\./);
  let t = root ? program.typeOfVariable(root, e.fn, e.file) : undefined;
  for (const f of fields) {
    const u = t && program.underlying(t, e.file);
    t = u && (u.k === 'struct' || u.k === 'typedef') ? program.structs.get(u.name)?.[f] : undefined;
  }
  if (!t || (t.ptr && !whole)) return undefined;
  const u = program.underlying(t, e.file);
  return u.k === 'struct' || u.k === 'typedef' ? u.name : undefined;
}

/**
 * Of `candidates` (members no file outside the program writes), those every live store of the
 * program gives a constant flag set (`ieee->softmac_features = F_SCAN | F_ASSOC;`, or 0), with
 * the names ever stored: a feature word a driver fills once at probe. A test of a bit no store
 * names (`if (ieee->softmac_features & F_BEACONS)`) is false wherever it is read, and the
 * locks behind it are never taken. Any other write (`|=`, a variable, its address handed on, a
 * whole struct copied or filled) leaves the member out.
 */
export function flagSetMembers(program: Program, candidates: readonly string[], live: (e: FunctionEntry) => boolean): Map<string, ReadonlySet<string>> {
  const names = new Map<string, Set<string>>(candidates.map((m) => [m, new Set<string>()]));
  if (names.size === 0) return new Map();
  const stored = new Set<string>();
  const last = (p: string): string | undefined => {
    const fields = p.split(/->|\./);
    return fields.length > 1 ? fields[fields.length - 1] : undefined;
  };
  const membersOf = (tag: string | undefined): readonly string[] => (tag ? Object.keys(program.structs.get(tag) ?? {}) : []);
  for (const e of program.functions) {
    if (!live(e)) continue;
    opsOf(e.fn.body, (o) => {
      if (o.k === 'set') {
        const m = last(o.target);
        const set = m ? names.get(m) : undefined;
        if (m && set) {
          const zero = o.value === Z && o.from === undefined && o.name === undefined && !o.byCall && !o.orOf && (o.lit === undefined || /^0+[uUlL]*$/.test(o.lit));
          const written = o.orOf ?? (o.name !== undefined ? [o.name] : o.lit !== undefined && !/^\d/.test(o.lit) ? [o.lit] : undefined);
          if (!o.byCall && !o.bits && !o.step && written?.every((n) => isFlagName(n, program.constants))) {
            for (const n of written) set.add(n);
            stored.add(m);
          } else if (!zero) names.delete(m);
        }
        for (const member of membersOf(structWritten(program, o.target, e))) names.delete(member);
        return;
      }
      const bodiless = !program.hasFunction(o.callee) && !o.indirect;
      // `memset(ieee, 0, sizeof(*ieee))`: every member 0, a value a flag word may hold.
      if (o.callee === 'memset' && o.consts?.[1] === Z) return;
      o.args.forEach((a, i) => {
        if (!a) return;
        const m = a.fields[a.fields.length - 1];
        if (a.text.startsWith('&') && m) names.delete(m);
        // Filled whole by code the program lacks: `copy_from_user(&args, ..)`, `memcpy(cfg, src, len)`.
        if (bodiless && (a.text.startsWith('&') || (i === 0 && o.args.length >= 3 && FILLS.test(o.callee)))) {
          for (const member of membersOf(program.structOfPath({ ...a, text: a.text.replace(/^&/, '') }, e.fn, e.file))) names.delete(member);
        }
      });
    });
  }
  return new Map([...names].filter(([m]) => stored.has(m)));
}

/** Bodiless calls that fill their first argument's object: a copy from somewhere. */
export const FILLS = /mem(?:cpy|move)|copy/;
