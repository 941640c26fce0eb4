/**
 * Before/after comparison of cycles: a cycle is added or removed by a patch only when one of its
 * edges is, not when the bounded enumeration happens to list it on one side only.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';
import { compareAnalyses, compareFindings } from '../../src/analyzers/order/compare.ts';

const RING = `
static DEFINE_MUTEX(a);
static DEFINE_MUTEX(b);
static DEFINE_MUTEX(c);
void ab(void) { mutex_lock(&a); mutex_lock(&b); mutex_unlock(&b); mutex_unlock(&a); }
void bc(void) { mutex_lock(&b); mutex_lock(&c); mutex_unlock(&c); mutex_unlock(&b); }
void ca(void) { mutex_lock(&c); mutex_lock(&a); mutex_unlock(&a); mutex_unlock(&c); }
`;

describe('comparing cycles before and after', () => {
  it('a cycle the enumeration lists on one side only, with all its edges on both, is unchanged', async () => {
    const files = [{ path: 'ring.c', text: RING }];
    // The same graph; only the enumeration bound differs (as a patch elsewhere can make it).
    const before = await analyzeSources(files, { cycles: { maxLength: 2, maxCycles: 500 } });
    const after = await analyzeSources(files, { cycles: { maxLength: 3, maxCycles: 500 } });
    expect(before.cycles).toHaveLength(0);
    expect(after.cycles).toHaveLength(1);
    const diff = compareAnalyses(before, after);
    expect(diff.added).toHaveLength(0);
    expect(diff.unchanged.map((c) => c.locks.length)).toEqual([3]);
    expect(compareFindings(before, after).added.filter((f) => f.kind === 'inversion')).toHaveLength(0);
    // And the other way round: not removed.
    expect(compareAnalyses(after, before).removed).toHaveLength(0);
    expect(compareFindings(after, before).removed.filter((f) => f.kind === 'inversion')).toHaveLength(0);
  });

  it('a cycle one of whose edges the patch adds is added', async () => {
    const before = await analyzeSources([{ path: 'ring.c', text: RING.replace('mutex_lock(&a); mutex_unlock(&a); mutex_unlock(&c);', 'mutex_unlock(&c);') }], { cycles: { maxLength: 2, maxCycles: 500 } });
    const after = await analyzeSources([{ path: 'ring.c', text: RING }], { cycles: { maxLength: 3, maxCycles: 500 } });
    expect(compareAnalyses(before, after).added.map((c) => c.locks.length)).toEqual([3]);
    expect(compareFindings(before, after).added.map((f) => f.kind)).toContain('inversion');
  });
});
