/** Constants against constants: what a caller's literal or a stored constant tells a test. */
import { describe, expect, it } from 'vitest';
import { constantSigns, integerValue } from '../../src/analyzers/c/comparison.ts';
import { N, P, Z } from '../../src/analyzers/c/ir.ts';

describe('constantSigns', () => {
  it('orders two numbers in any C spelling', () => {
    expect(integerValue('0x1f')).toBe(31);
    expect(integerValue('-1')).toBe(-1);
    expect(integerValue('8UL')).toBe(8);
    expect(integerValue('MAX')).toBeUndefined();
    expect(constantSigns('-1', '0')).toBe(N);
    expect(constantSigns('64', '0')).toBe(P);
    expect(constantSigns('0x10', '16')).toBe(Z);
  });

  it('knows only equality between names, and nothing between a name and a number', () => {
    expect(constantSigns('MODE_A', 'MODE_A')).toBe(Z);
    expect(constantSigns('MODE_A', 'MODE_B')).toBe(P | N);
    expect(constantSigns('MODE_A', '3')).toBeUndefined();
    expect(constantSigns('len', '3')).toBeUndefined();
  });
});
