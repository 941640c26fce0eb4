/**
 * Bodiless lock/unlock pairs (`lock_foo()`/`unlock_foo()`, `foo_lock(x)`/`foo_unlock(x)`) used in
 * the program stand for an inferred lock class named after the lock call (and its argument's
 * class, when it has one: `arch_spin_lock(&a)` and `(&b)` are two locks). Paired over the whole
 * program, so a wrapper that only unlocks still releases what the lock call took.
 */
import { inferredPairStem, type Catalogue } from './catalogue.ts';

export type InferredPairs = ReadonlyMap<string, { cls: string; role: 'lock' | 'unlock' }>;

export function inferPairs(names: Iterable<string>, catalogue: Catalogue, known: (n: string) => boolean): InferredPairs {
  const byStem = new Map<string, { lock?: string; unlock?: string }>();
  for (const n of names) {
    if (catalogue.has(n) || known(n)) continue;
    const p = inferredPairStem(n);
    if (!p) continue;
    const e = byStem.get(p.stem) ?? {};
    e[p.role] = n;
    byStem.set(p.stem, e);
  }
  const out = new Map<string, { cls: string; role: 'lock' | 'unlock' }>();
  for (const e of byStem.values()) {
    if (!e.lock || !e.unlock) continue;
    out.set(e.lock, { cls: e.lock, role: 'lock' });
    out.set(e.unlock, { cls: e.lock, role: 'unlock' });
  }
  return out;
}
