/** Constants against constants: what a caller's literal or a stored constant tells a test. */
import { describe, expect, it } from 'vitest';
import { andSigns, constantSign, constantSigns, differenceSigns, integerValue } from '../../src/analyzers/c/comparison.ts';
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

  it('orders one name plus different offsets, whatever the name is worth', () => {
    expect(constantSigns('SIOCDEVPRIVATE', 'SIOCDEVPRIVATE+1')).toBe(N);
    expect(constantSigns('(IOC_BASE+2)', 'IOC_BASE + 0x1')).toBe(P);
    expect(constantSigns('IOC_BASE-1', 'IOC_BASE-1')).toBe(Z);
    expect(constantSigns('IOC_BASE+1', 'OTHER+1')).toBeUndefined();
    expect(constantSigns('len+1', 'len')).toBeUndefined();
    const names = { value: (n: string) => (n === 'BASE' ? 16 : undefined) };
    expect(constantSigns('BASE+1', '17', names)).toBe(Z);
  });
});

describe('a variable of known sign against a constant', () => {
  it('reads the sign of a literal or a negated error name, never of a bare name', () => {
    expect(constantSign('-ENOENT')).toBe(N);
    expect(constantSign('-(EAGAIN)')).toBe(N);
    expect(constantSign('0')).toBe(Z);
    expect(constantSign('8')).toBe(P);
    expect(constantSign('FLAG_NONE')).toBeUndefined();
    expect(constantSign('-len')).toBeUndefined();
  });

  it('decides x - k where the signs allow it and leaves it open where they do not', () => {
    // rc == 0 or rc > 0 against -ENOENT: always above it.
    expect(differenceSigns(Z, N)).toBe(P);
    expect(differenceSigns(Z | P, N)).toBe(P);
    // a negative rc may be -ENOENT or any other code.
    expect(differenceSigns(N, N)).toBe(Z | P | N);
    // n <= 0 against 8: below it.
    expect(differenceSigns(Z | N, P)).toBe(N);
    expect(differenceSigns(P, P)).toBe(Z | P | N);
    expect(differenceSigns(N | P, Z)).toBe(N | P);
  });
});

describe('enumerators as constants', () => {
  const names = { value: (n: string): number | null | undefined => ({ eRfOn: 0, eRfOff: 2, eRfOther: null } as Record<string, number | null>)[n] };

  it('compares enumerators by their declared values, with numbers too', () => {
    expect(constantSigns('eRfOn', 'eRfOff', names)).toBe(N);
    expect(constantSigns('eRfOff', '2', names)).toBe(Z);
    expect(constantSigns('eRfOn', '8', names)).toBe(N);
    expect(constantSign('eRfOff', names)).toBe(P);
    expect(constantSign('eRfOn', names)).toBe(Z);
  });

  it('treats an enumerator of unknown value as a name equal only to itself', () => {
    expect(constantSigns('eRfOther', 'eRfOther', names)).toBe(Z);
    expect(constantSigns('eRfOther', 'eRfOn', names)).toBe(P | N);
    expect(constantSigns('eRfOther', '3', names)).toBeUndefined();
    // Without the program's enumerators, a mixed-case name is no constant at all.
    expect(constantSigns('eRfOn', 'eRfOff')).toBeUndefined();
    expect(constantSigns('some_global', 'eRfOn', names)).toBeUndefined();
  });
});

describe('andSigns', () => {
  it('decides x & FLAG from a held constant and the flag value', () => {
    expect(andSigns('0', 'PATH_ACTIVE')).toBe(Z);
    expect(andSigns('0x6', '0x1')).toBe(Z);
    expect(andSigns('0x6', '2')).toBe(P | N);
    expect(andSigns('-1', '0x80000000')).toBe(P | N);
    // A flag whose value the program does not give leaves a non-zero constant undecided.
    expect(andSigns('4', 'PATH_ACTIVE')).toBeUndefined();
    expect(andSigns('4', 'PATH_ACTIVE', { value: (n) => (n === 'PATH_ACTIVE' ? 1 : undefined) })).toBe(Z);
    expect(andSigns('4', 'HALF', { value: () => 0.5 })).toBeUndefined();
  });
});
