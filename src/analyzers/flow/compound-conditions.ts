/**
 * A condition of several tests (`type == INIT2 || type == INIT3`) remembered as one fact. The
 * paths through `||` split into one where the first test held and one where it failed and the
 * second held; both then take the lock, hold the same locks, and merge into one path that keeps
 * only the facts both share: neither test's outcome. The whole condition's outcome is what both
 * share, so the later `if (type == INIT2 || type == INIT3) unlock` follows only the branch that
 * unlocks.
 */
import type { Cond } from '../c/ir.ts';
import type { Fact } from './facts.ts';

const cache = new WeakMap<Cond, Omit<Fact, 'mask'> | null>();

/** The fact naming `c`'s outcome (mask left to the caller), or undefined for a test with a call in it. */
export function compoundFact(c: Cond): Omit<Fact, 'mask'> | undefined {
  let hit = cache.get(c);
  if (hit === undefined) cache.set(c, (hit = factOf(c) ?? null));
  return hit ?? undefined;
}

function factOf(c: Cond): Omit<Fact, 'mask'> | undefined {
  const reads = new Set<string>();
  let memory = false;
  const keyOf = (x: Cond): string | undefined => {
    switch (x.k) {
      case 'atom':
        for (const r of x.reads) reads.add(r);
        memory ||= x.memory;
        return `${x.key}#${x.test}`;
      case 'const':
        return String(x.value);
      case 'not': {
        const inner = keyOf(x.c);
        return inner === undefined ? undefined : `!(${inner})`;
      }
      case 'and':
      case 'or': {
        const a = keyOf(x.a);
        const b = keyOf(x.b);
        return a === undefined || b === undefined ? undefined : `(${a}${x.k === 'and' ? '&&' : '||'}${b})`;
      }
      default:
        return undefined;
    }
  };
  const key = keyOf(c);
  return key === undefined ? undefined : { key, reads: [...reads].sort(), memory };
}
