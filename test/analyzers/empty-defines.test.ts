import { describe, expect, it } from 'vitest';
import { unnameVariadics, unswallowEmptyDefines } from '../../src/analyzers/c/empty-defines.ts';
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

describe('unnameVariadics', () => {
  const LOGS = '#define LOG(lvl, fmt...) \\\n\tif (lvl) printk(fmt)\n#define WARN_LOG(_Fmt...) xlog(_Fmt)\n#define ALL(...) f(__VA_ARGS__)\nint g(void) { return 0; }\n';

  it("makes GCC's named variadic parameter an unnamed one, keeping every offset", () => {
    const out = unnameVariadics(LOGS);
    expect(out.length).toBe(LOGS.length);
    expect(out.split('\n').slice(0, 4)).toEqual(['#define LOG(lvl, ...   ) \\', '\tif (lvl) printk(fmt)', '#define WARN_LOG(...    ) xlog(_Fmt)', '#define ALL(...) f(__VA_ARGS__)']);
  });

  it('lets the parser read the defines and what follows them without an error', async () => {
    const tree = (await loadCParser()).parse(LOGS);
    try {
      expect(tree.rootNode.hasError).toBe(false);
      expect(functionRanges(tree).map((r) => r.name)).toEqual(['g']);
    } finally {
      tree.delete();
    }
  });
});
