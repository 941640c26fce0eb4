import { describe, expect, it } from 'vitest';
import { casesCover, switchCases } from '../../src/analyzers/flow/switch-coverage.ts';
import { comparisonAtom } from '../../src/analyzers/c/comparison.ts';
import { N, P, Z, type Cond, type Mask } from '../../src/analyzers/c/ir.ts';
import type { Fact } from '../../src/analyzers/flow/facts.ts';

const names = { value: (n: string): number | undefined => ({ A: 0, B: 1, C: 2, LAST: 3 })[n] };
const test = (label: string): Cond => {
  const atom = comparisonAtom('t', label, Z);
  return { k: 'atom', key: atom.key, reads: ['t'], test: atom.truth, memory: false };
};
/** The path learnt `t OP k` as the signs of t - k. */
const knows = (k: string, signs: Mask): Fact => {
  const atom = comparisonAtom('t', k, signs);
  return { key: atom.key, mask: atom.truth, reads: ['t'], memory: false };
};

describe('switch coverage', () => {
  const cases = switchCases([test('A'), test('B'), test('C'), test('LAST')], names);

  it('reads the subject and the case values', () => {
    expect(cases?.subject).toBe('t');
    expect([...(cases?.values ?? [])].sort()).toEqual([0, 1, 2, 3]);
  });

  it('an unsigned subject checked against the last case leaves no value unmatched', () => {
    expect(cases && casesCover([knows('LAST', Z | N)], cases, true, names)).toBe(true);
  });

  it('a signed subject may still be negative', () => {
    expect(cases && casesCover([knows('LAST', Z | N)], cases, false, names)).toBe(false);
  });

  it('a lower bound the path tested counts as the type would', () => {
    expect(cases && casesCover([knows('LAST', Z | N), knows('0', Z | P)], cases, false, names)).toBe(true);
  });

  it('a gap in the cases leaves a value unmatched', () => {
    const gap = switchCases([test('A'), test('C'), test('LAST')], names);
    expect(gap && casesCover([knows('LAST', Z | N)], gap, true, names)).toBe(false);
  });

  it('without an upper bound nothing is covered', () => {
    expect(cases && casesCover([], cases, true, names)).toBe(false);
  });

  it('a case label of unknown value gives no coverage', () => {
    expect(switchCases([test('A'), test('UNKNOWN_X')], names)).toBeUndefined();
  });

  it('P alone bounds from above the other way round', () => {
    // t > LAST is false and t < 1 is false: t in [1, 3], cases B, C, LAST.
    const upper = switchCases([test('B'), test('C'), test('LAST')], names);
    expect(upper && casesCover([knows('LAST', Z | N), knows('1', Z | P)], upper, false, names)).toBe(true);
    expect(upper && casesCover([knows('LAST', Z | N), knows('0', P)], upper, false, names)).toBe(true);
  });
});
