/**
 * A nesting count's last release: `--s->counter; if (s->counter == 0) { s->owner = 0;
 * unlock(s->lock); }`, the release half of a reentrant lock wrapper (the acquire half takes the
 * lock only when the caller does not own it yet, and counts up). The `if` is marked with the
 * counter, so the analysis can tell a caller which way out skipped the release only because the
 * count was not yet zero: for a caller that took the lock itself through the acquire half, the
 * count it added is the one that reaches zero (function-analysis.ts, countedKeeps).
 */
import type { Facts } from '../flow/facts.ts';
import { MEMBER_PATH, P, Z, type Cond, type Op, type Stmt } from './ir.ts';
import { comparisonSides, integerValue } from './comparison.ts';

/** The fact a path past a counted test carries: `%zero:s->counter`, Z where the count reached zero, P where not. */
export const COUNTED = '%zero:';

/**
 * The fact a caller's path carries past a call with such ways out: `%zero:@LINE:KEYS`, P on the
 * ways the callee kept KEYS (its caller's locks, in the caller's terms) only because the count
 * was not yet zero, Z on its others.
 */
export const countedCallKey = (line: number, keys: readonly string[]): string => `${COUNTED}@${line}:${keys.join(',')}`;

/** The locks a path keeps only because a count below it was not yet zero (facts of countedCallKey). */
export function countedKeys(facts: Facts): string[] {
  const out: string[] = [];
  for (const f of facts) if (f.mask === P && f.key.startsWith(`${COUNTED}@`)) out.push(...f.key.slice(f.key.indexOf(':', COUNTED.length) + 1).split(','));
  return out;
}

/**
 * The member a test for the count's bottom tests: `s->counter == 0`, `!s->counter`, or a count
 * that rests at a number (`--s->depth == -1`: -1 while no one holds the lock).
 */
function zeroTested(c: Cond): string | undefined {
  if (c.k !== 'atom' || c.test !== Z) return undefined;
  if (MEMBER_PATH.test(c.key)) return c.key;
  const sides = comparisonSides(c.key);
  const member = sides?.find((x) => MEMBER_PATH.test(x));
  return member !== undefined && sides?.some((x) => x !== member && integerValue(x) !== undefined) ? member : undefined;
}

const steppedDown = (ops: readonly Op[], member: string): boolean => ops.some((o) => o.k === 'set' && o.target === member && o.step === -1);

export function markCountedReleases(st: Stmt): void {
  switch (st.k) {
    case 'block':
      st.body.forEach((child, i) => {
        const before = st.body[i - 1];
        if (child.k === 'if' && before?.k === 'ops') {
          const member = zeroTested(child.cond);
          if (member && steppedDown(before.ops, member)) child.counted = member;
        }
        markCountedReleases(child);
      });
      return;
    case 'if':
      markCountedReleases(st.then);
      if (st.else) markCountedReleases(st.else);
      return;
    case 'loop':
    case 'scoped':
      markCountedReleases(st.body);
      return;
    case 'switch':
      for (const c of st.cases) for (const b of c) markCountedReleases(b);
      return;
    default:
      return;
  }
}
