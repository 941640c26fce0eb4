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

/** Are two constants the same value: numbers by value, names by name; undefined when unknowable. */
export function sameConstant(a: string, b: string): boolean | undefined {
  const num = (s: string): number | undefined => (/^(?:0x[0-9a-f]+|\d+)$/i.test(s) ? Number(s) : undefined);
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x === y;
  const name = /^[A-Z][A-Z0-9_]*$/;
  if (name.test(a) && name.test(b)) return a === b;
  return undefined;
}
