import { describe, expect, it } from 'vitest';
import { unnameVariadics } from '../../src/analyzers/c/named-variadics.ts';
import { functionRanges, loadCParser } from '../../src/analyzers/c/parser.ts';

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
