/**
 * Kind tags: a member that says what kind of object a struct is (`mtd->type = MTD_UBIVOLUME`,
 * set beside `mtd->erase = gluebi_erase`), and pointer members that never hold an object of
 * some kind, because every store into them comes after a test that turns that kind away
 * (`if (mtd->type == MTD_UBIVOLUME) return -EINVAL; ... ubi->mtd = mtd;`). A call through
 * `ubi->mtd->erase` reaches no function stored only beside a kind `ubi->mtd` never holds: the
 * device emulated on top of a layer is never the one that layer sits on (Program.pointerTargets).
 */
import { opsOf } from './call-graph.ts';
import { Z, type AccessPath, type Cond, type FunctionIR, type SetEvent, type Stmt } from './ir.ts';

/** `type == MTD_UBIVOLUME`: a member and a constant it holds. */
export interface Kind {
  member: string;
  value: string;
}

const CONSTANT = /^(?:[A-Z][A-Z0-9_]*|\d+|0x[0-9a-fA-F]+)$/;

/** The object's text and the member written, of `a->b.c` (`a->b`, `c`). */
export function memberWritten(target: string): { object: string; member: string } | undefined {
  const m = /^(.*?)(?:->|\.)(\w+)$/.exec(target);
  return m ? { object: m[1] as string, member: m[2] as string } : undefined;
}

/**
 * The kinds the function `fn` gives the object it stores into `path` (`mtd->erase = f`): each
 * member of that object it sets to constants only, with those constants.
 */
export function kindsBeside(path: AccessPath, fn: FunctionIR): Map<string, Set<string>> {
  const object = memberWritten(path.text)?.object;
  const kinds = new Map<string, Set<string>>();
  const unknown = new Set<string>();
  if (!object) return kinds;
  opsOf(fn.body, (o) => {
    if (o.k !== 'set') return;
    const t = memberWritten(o.target);
    if (!t || t.object !== object) return;
    if (o.lit === undefined || !CONSTANT.test(o.lit)) {
      unknown.add(t.member);
      return;
    }
    const values = kinds.get(t.member) ?? new Set<string>();
    values.add(o.lit);
    kinds.set(t.member, values);
  });
  for (const m of unknown) kinds.delete(m);
  return kinds;
}

/** `v->type == K`, `K == v->type`, or an `||` of them: the kinds of `v` it tests for. */
function testedKinds(c: Cond, variable: string): Kind[] | undefined {
  if (c.k === 'or') {
    const a = testedKinds(c.a, variable);
    const b = a && testedKinds(c.b, variable);
    return a && b ? [...a, ...b] : undefined;
  }
  if (c.k !== 'atom' || c.test !== Z) return undefined;
  const sides = c.key.split('<=>');
  if (sides.length !== 2) return undefined;
  const prefix = `${variable}->`;
  for (const [a, b] of [[sides[0], sides[1]], [sides[1], sides[0]]] as [string, string][]) {
    if (a.startsWith(prefix) && /^\w+$/.test(a.slice(prefix.length)) && CONSTANT.test(b)) return [{ member: a.slice(prefix.length), value: b }];
  }
  return undefined;
}

/** Every path through `st` leaves the function (its last statement returns or jumps away). */
function leaves(st: Stmt): boolean {
  if (st.k === 'return' || st.k === 'goto') return true;
  if (st.k === 'block') {
    const last = st.body[st.body.length - 1];
    return last !== undefined && leaves(last);
  }
  if (st.k === 'if') return st.else !== null && leaves(st.then) && leaves(st.else);
  return false;
}

/**
 * The kinds a store of a variable into a member (`ubi->mtd = mtd`) turns away: the tests of
 * that variable's kind (`if (mtd->type == MTD_UBIVOLUME) return -EINVAL;`) that leave the
 * function, among the statements that run before the store on every path to it.
 */
export function refusedBefore(body: Stmt, set: SetEvent): Kind[] {
  const variable = set.from;
  if (!variable || !/^\w+$/.test(variable)) return [];
  const out: Kind[] = [];
  const holds = (st: Stmt): boolean => {
    let found = false;
    opsOf(st, (o) => {
      found ||= o === set;
    });
    return found;
  };
  // The statements in order, into blocks only: an `if` or loop around the store ends the walk.
  const walk = (st: Stmt): boolean => {
    if (st.k === 'block') {
      for (const b of st.body) if (!walk(b)) return false;
      return true;
    }
    if (holds(st)) return false;
    if (st.k === 'if' && !st.else && leaves(st.then)) out.push(...(testedKinds(st.cond, variable) ?? []));
    return true;
  };
  return walk(body) ? [] : out;
}
