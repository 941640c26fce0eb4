/**
 * Facts deserialised from a worker or the disk store hold a fresh string per occurrence;
 * interning keeps one per distinct string and changes no value.
 */
import { describe, expect, it } from 'vitest';
import { internStrings, type StringPool } from '../../src/analyzers/c/intern-strings.ts';
import { factsOf } from '../../src/analyzers/c/extract-facts.ts';

describe('internStrings', () => {
  it('leaves the facts equal and pools each distinct string once, across files', async () => {
    const text = 'struct dev { spinlock_t lock; int n; };\nvoid f(struct dev *d) { spin_lock(&d->lock); d->n++; spin_unlock(&d->lock); }\n';
    const a = await factsOf({ path: 'a.c', text });
    const b = await factsOf({ path: 'b.c', text });
    const copies = structuredClone([a, b]);
    const pool: StringPool = new Map();
    const interned = copies.map((f) => internStrings(f, pool));
    expect(interned).toEqual([a, b]);
    const distinct = new Set<string>();
    const collect = (v: unknown): void => {
      if (typeof v === 'string') distinct.add(v);
      else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
    };
    collect([a, b]);
    expect([...pool.keys()].sort()).toEqual([...distinct].sort());
    expect(pool.get('spin_lock')).toBe('spin_lock');
  });

  it('makes every empty list one frozen array', async () => {
    const facts = structuredClone(await factsOf({ path: 'c.c', text: 'void g(void);\nvoid f(void) { g(); g(); }\n' }));
    const empties: unknown[][] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v) && v.length === 0) empties.push(v);
      else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
    };
    collect(internStrings(facts, new Map()));
    // The two calls' argument lists at least, and the file's empty tables.
    expect(empties.length).toBeGreaterThan(2);
    expect(new Set(empties).size).toBe(1);
    expect(Object.isFrozen(empties[0])).toBe(true);
  });
});
