/**
 * A switch without `default:` whose cases cover every value its subject can still have on a
 * path: `if (type > MSG_LAST) goto reject; switch (type) { case 0: .. case MSG_LAST: }` with an
 * unsigned type leaves no way past the switch that matched no case (each case released the lock
 * it took before). The bounds come from the comparisons with constants the path has tested, and
 * from the subject's type (unsigned: never below 0).
 */
import { comparisonSides, valueOf, type ConstantNames } from '../c/comparison.ts';
import { N, P, Z, type Cond, type FunctionIR, type Mask } from '../c/ir.ts';
import type { Facts } from './facts.ts';

/** Past this many values a range is not checked case by case. */
const MAX_RANGE = 256;

/** The subject and case values of a switch's tests (`subject == label` atoms), when all are known. */
export function switchCases(tests: readonly (Cond | null)[] | undefined, names: ConstantNames | undefined): { subject: string; values: ReadonlySet<number> } | undefined {
  if (!tests?.length) return undefined;
  let subject: string | undefined;
  const values = new Set<number>();
  for (const t of tests) {
    if (!t || t.k !== 'atom' || t.test !== Z) return undefined;
    const sides = comparisonSides(t.key);
    if (!sides) return undefined;
    const [a, b] = sides;
    const va = valueOf(a, names);
    const vb = valueOf(b, names);
    const side = va === undefined && vb !== undefined ? a : vb === undefined && va !== undefined ? b : undefined;
    const v = side === a ? vb : va;
    if (side === undefined || v === undefined || !Number.isInteger(v) || (subject !== undefined && side !== subject)) return undefined;
    subject = side;
    values.add(v);
  }
  return subject === undefined ? undefined : { subject, values };
}

/** Unsigned integer types as the kernel spells them. */
const UNSIGNED = /^(?:unsigned\b.*|u8|u16|u32|u64|__u8|__u16|__u32|__u64|uint\d+_t|size_t|__be\d+|__le\d+)$/;

export function isUnsigned(fn: FunctionIR, name: string): boolean {
  const t = Object.hasOwn(fn.vars, name) ? fn.vars[name] : undefined;
  return !!t && !t.ptr && UNSIGNED.test(t.name.trim());
}

/** Whether the path's facts leave the subject only values among the cases'. */
export function casesCover(facts: Facts, cases: { subject: string; values: ReadonlySet<number> }, unsigned: boolean, names: ConstantNames | undefined): boolean {
  let lo = unsigned ? 0 : -Infinity;
  let hi = Infinity;
  const bound = (x: Mask, c: number): void => {
    // x: the signs of subject - c.
    if (!(x & P)) hi = Math.min(hi, x & Z ? c : c - 1);
    if (!(x & N)) lo = Math.max(lo, x & Z ? c : c + 1);
  };
  for (const f of facts) {
    if (f.key === cases.subject) {
      bound(f.mask, 0);
      continue;
    }
    const sides = comparisonSides(f.key);
    if (!sides || !sides.includes(cases.subject)) continue;
    const [a, b] = sides;
    if (a === cases.subject) {
      const c = valueOf(b, names);
      if (c !== undefined && Number.isInteger(c)) bound(f.mask, c);
    } else {
      const c = valueOf(a, names);
      // The signs of c - subject, mirrored.
      if (c !== undefined && Number.isInteger(c)) bound((f.mask & Z) | (f.mask & P ? N : 0) | (f.mask & N ? P : 0), c);
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi - lo > MAX_RANGE) return false;
  for (let v = lo; v <= hi; v++) if (!cases.values.has(v)) return false;
  return true;
}
