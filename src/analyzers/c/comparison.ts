/**
 * A comparison of two expressions as one atom: the sign of `left - right`. `a <= b` is the atom
 * `a<=>b` tested for N|Z, `a < b` for N and `a != b` for N|P, so a path that took `a <= b` and
 * not `a < b` knows `a == b` and follows only the matching branch of a later `a != b`, also when
 * the tests are in different functions (double_lock(a, b) / double_unlock(a, b)). Total orders
 * only need trichotomy, so unsigned and pointer comparisons fit too.
 */
import { N, P, Z, type Mask } from './ir.ts';

const SEP = '<=>';

/** The sign set of `x - 0` that makes `x OP 0` true. */
export const COMPARE_ZERO: Readonly<Record<string, Mask>> = { '==': Z, '!=': P | N, '<': N, '>=': Z | P, '>': P, '<=': Z | N };

/** The same sign set seen from the other side: the sign of b - a. */
export const mirrorSigns = (m: Mask): Mask => (m & Z) | (m & P ? N : 0) | (m & N ? P : 0);

/** The atom for `left` compared with `right`: sides in a canonical order, `truth` mirrored to match. */
export function comparisonAtom(left: string, right: string, truth: Mask): { key: string; truth: Mask } {
  return left <= right ? { key: `${left}${SEP}${right}`, truth } : { key: `${right}${SEP}${left}`, truth: mirrorSigns(truth) };
}

/** The sides of a comparison atom, or null for any other atom. */
export function comparisonSides(key: string): [string, string] | null {
  const i = key.indexOf(SEP);
  return i < 0 ? null : [key.slice(0, i), key.slice(i + SEP.length)];
}

/** The value of an integer literal (`42`, `0x1f`, `-1`, `8UL`), or undefined. */
export function integerValue(s: string): number | undefined {
  const m = /^(-?)(0x[0-9a-f]+|\d+)[ul]*$/i.exec(s);
  return m ? (m[1] ? -1 : 1) * Number(m[2]) : undefined;
}

/** `1<<4`, `1UL<<31` (spaces and parentheses already gone): a flag bit's value, or undefined. */
export function shiftedValue(s: string): number | undefined {
  const m = /^(\d+)[uUlL]*<<(\d+)$/.exec(s);
  return m && Number(m[2]) < 31 ? Number(m[1]) << Number(m[2]) : undefined;
}

/**
 * Names the program declares constant beyond the upper-case convention: enumerators (`eRfOn`),
 * with their value where the declaration gives it (null: a constant of unknown value).
 */
export interface ConstantNames {
  value(name: string): number | null | undefined;
}

const UPPER_NAME = /^[A-Z][A-Z0-9_]*$/;

/** A constant name: upper-case by convention, or an enumerator the program declares. */
export const isConstantName = (s: string, names?: ConstantNames): boolean => UPPER_NAME.test(s) || (names?.value(s) !== undefined && /^[A-Za-z_]\w*$/.test(s));

/** A flag's name: a constant name, also behind leading underscores (`__GFP_WAIT`). */
export const isFlagName = (s: string, names?: ConstantNames): boolean => isConstantName(s, names) || isConstantName(s.replace(/^_+/, ''), names);

/** The value of a constant as written: a number, an enumerator whose value is declared, or an `|` or `+` of those. */
export function valueOf(s: string, names?: ConstantNames): number | undefined {
  return integerValue(s) ?? names?.value(s) ?? BOOLEAN.get(s) ?? compositeValue(s, names);
}

/**
 * `PH_DATA|REQUEST`, `(BASE+4)`: an `|` (or a `+`, not both) of integers and names of known
 * value, as the number it makes; undefined when a part is not known.
 */
function compositeValue(s: string, names?: ConstantNames): number | undefined {
  const t = s.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
  const or = t.includes('|');
  if (!or && !t.includes('+')) return undefined;
  if (or && t.includes('+')) return undefined;
  const parts = t.split(or ? '|' : '+').map((p) => integerValue(p) ?? names?.value(p));
  if (parts.some((p) => p === undefined || !Number.isSafeInteger(p))) return undefined;
  const values = parts as number[];
  return or ? Number(values.reduce((a, b) => BigInt.asUintN(64, BigInt(a) | BigInt(b)), 0n)) : values.reduce((a, b) => a + b, 0);
}

/**
 * `x & FLAG` for x holding the constant `held`: 0 when either is 0 or their bits do not meet,
 * non-zero when they do; undefined when a value is unknown.
 */
export function andSigns(held: string, flag: string, names?: ConstantNames): Mask | undefined {
  const a = valueOf(held, names);
  if (a === 0) return Z;
  const b = valueOf(flag, names);
  if (b === 0) return Z;
  if (a === undefined || b === undefined || !Number.isInteger(a) || !Number.isInteger(b)) return undefined;
  return (BigInt.asUintN(64, BigInt(a)) & BigInt.asUintN(64, BigInt(b))) === 0n ? Z : P | N;
}

/** C's `true`/`false`, and the TRUE/FALSE every vendor header defines as 1 and 0 (when the program does not say). */
const BOOLEAN: ReadonlyMap<string, number> = new Map([['true', 1], ['TRUE', 1], ['false', 0], ['FALSE', 0]]);

/**
 * The signs `a - b` can have, for two constants: exactly one for two numbers (or enumerators of
 * known value), Z or P|N for two names (equal only to themselves); undefined when unknowable (a
 * name of unknown value and a number).
 */
export function constantSigns(a: string, b: string, names?: ConstantNames): Mask | undefined {
  const x = valueOf(a, names);
  const y = valueOf(b, names);
  if (x !== undefined && y !== undefined) return x < y ? N : x > y ? P : Z;
  if (isConstantName(a, names) && isConstantName(b, names)) return a === b ? Z : P | N;
  // `SIOCDEVPRIVATE` against `SIOCDEVPRIVATE+1`: one name plus different offsets, whatever its value.
  const l = offsetFrom(a, names);
  const r = offsetFrom(b, names);
  if (l && r && l.base === r.base) return l.offset < r.offset ? N : l.offset > r.offset ? P : Z;
  return undefined;
}

/** `NAME+1`, `(NAME - 2)`, `NAME`: a constant name and an integer offset; a known value folds in (base ''). */
function offsetFrom(s: string, names?: ConstantNames): { base: string; offset: number } | undefined {
  const m = /^\(?([A-Za-z_]\w*|0x[0-9a-f]+|\d+)(?:([+-])(0x[0-9a-f]+|\d+))?\)?$/i.exec(s.replace(/\s+/g, ''));
  if (!m) return undefined;
  const k = m[3] === undefined ? 0 : (m[2] === '-' ? -1 : 1) * Number(m[3]);
  const head = m[1] as string;
  const value = valueOf(head, names);
  if (value !== undefined) return { base: '', offset: value + k };
  return isConstantName(head, names) ? { base: head, offset: k } : undefined;
}

/** A kernel error code's name (`EINVAL`): returned negated. */
export const ERRNO_NAME = /^E[A-Z0-9]+$/;

/** `-EINVAL` as written: a negated kernel error code; undefined for anything else. */
export const errorCode = (s: string | undefined): string | undefined => (s !== undefined && s.startsWith('-') && ERRNO_NAME.test(s.slice(1)) ? s : undefined);

/**
 * The sign of a constant side of a comparison: a literal's, or negative for a negated upper-case
 * name (`-ENOENT`: kernel error codes are positive names returned negated); undefined otherwise
 * (a bare NAME may well be 0).
 */
export function constantSign(s: string, names?: ConstantNames): Mask | undefined {
  const v = valueOf(s, names);
  if (v !== undefined) return v < 0 ? N : v > 0 ? P : Z;
  return /^-\s*\(?[A-Z][A-Z0-9_]*\)?$/.test(s) ? N : undefined;
}

/**
 * The signs `x - k` can have when x has the signs `x` and k the sign `k`: `rc == -ENOENT` is
 * false where rc is 0, and `n < 8` true where n is 0 or negative.
 */
export function differenceSigns(x: Mask, k: Mask): Mask {
  if (k === Z) return x;
  let out = 0;
  // x on the far side of k from 0 may land anywhere relative to k; on k's other side (or at 0) never.
  const far = k === N ? N : P;
  for (const s of [Z, P, N]) if (x & s) out |= s === far ? Z | P | N : k === N ? P : N;
  return out;
}
