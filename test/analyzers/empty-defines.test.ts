import { describe, expect, it } from 'vitest';
import { unswallowEmptyDefines } from '../../src/analyzers/c/empty-defines.ts';
import { functionRanges, loadCParser } from '../../src/analyzers/c/parser.ts';

const SOURCE = ['#define DBG(fmt, args...) ', 'void first(void)', '{', '}', '#define OFF\t', 'int second(int x)', '{', '\treturn x;', '}', ''].join('\n');

describe('empty #define followed by blanks', () => {
  it('keeps the length, the lines and the offset of every line after the define', () => {
    const mended = unswallowEmptyDefines(SOURCE);
    expect(mended.length).toBe(SOURCE.length);
    expect(mended.split('\n').length).toBe(SOURCE.split('\n').length);
    expect(mended.split('\n').map((l) => l.trim())).toEqual(SOURCE.split('\n').map((l) => l.trim()));
    expect(mended.indexOf('{')).toBe(SOURCE.indexOf('{'));
    expect(mended.indexOf('return x;')).toBe(SOURCE.indexOf('return x;'));
  });

  it('leaves defines with a body, and continued ones, as they are', () => {
    const text = '#define ONE 1 \n#define TWO(a) (a) \t\n#define LONG(a) \\\n\tfoo(a)\n';
    expect(unswallowEmptyDefines(text)).toBe(text);
  });

  it('lets the parser see both functions on their own lines', async () => {
    const parser = await loadCParser();
    const tree = parser.parse(SOURCE);
    try {
      expect(functionRanges(tree).map((r) => [r.name, r.startLine])).toEqual([
        ['first', 2],
        ['second', 6],
      ]);
    } finally {
      tree.delete();
    }
  });
});
