import { describe, expect, it } from 'vitest';
import { evalPreprocCondition, type MacroAnswers } from '../../src/analyzers/c/preproc-expr.ts';

/** A build where A=y, M=m, OFF is not set, NR is 4 and nothing is known of the rest. */
const build: MacroAnswers = {
  defined: (n) => ({ A: true, M: false, M_MODULE: true, A_MODULE: false, OFF: false, OFF_MODULE: false, NR: true })[n],
  value: (n) => ({ A: 1, M: 0, OFF: 0, NR: 4 })[n],
};
const ev = (text: string): number | undefined => evalPreprocCondition(text.replace(/\s+/g, ''), build);

describe('#if expressions over what the build decides', () => {
  it('defined(), IS_ENABLED(), IS_BUILTIN(), IS_MODULE(), and `defined X`', () => {
    expect([ev('defined(A)'), ev('!defined(OFF)'), ev('defined OFF'), ev('IS_ENABLED(M)'), ev('IS_BUILTIN(M)'), ev('IS_MODULE(M)'), ev('IS_ENABLED(OFF)')]).toEqual([1, 1, 0, 1, 0, 1, 0]);
  });
  it('&& and || decide where one side does, as the preprocessor would; unknown otherwise', () => {
    expect([ev('defined(OFF) && defined(UNKNOWN)'), ev('defined(A) || defined(UNKNOWN)'), ev('defined(A) && defined(UNKNOWN)'), ev('defined(OFF) || defined(UNKNOWN)')]).toEqual([0, 1, undefined, undefined]);
    expect(ev('(defined(A) || defined(OFF)) && !(NR < 2)')).toBe(1);
  });
  it('arithmetic and comparisons on values; integer suffixes', () => {
    expect([ev('NR > 1'), ev('NR == 4'), ev('NR * 2 >= 9'), ev('NR - 4'), ev('NR != 4UL'), ev('(1 << 2) == NR')]).toEqual([1, 1, 0, 0, 0, 1]);
  });
  it('bitwise operators, with C precedence (a flag set tested against one flag)', () => {
    expect([ev('(NR | 1) & 1'), ev('NR & 1'), ev('~NR & 4'), ev('NR ^ 4'), ev('NR & 4 == 4'), ev('(NR & 4) == 4'), ev('A || NR & UNKNOWN')]).toEqual([1, 0, 0, 0, 0, 1, 1]);
  });
  it('what it cannot read is unknown, never a guess', () => {
    expect([ev('LINUX_VERSION_CODE >= KERNEL_VERSION(3,0,0)'), ev('defined(A) &&'), ev('A ? 1 : 0'), ev('sizeof(long) == 8')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
