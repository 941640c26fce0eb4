import { describe, expect, it } from 'vitest';
import { endMacroStatements } from '../../src/analyzers/c/macro-statements.ts';

const body = (...lines: string[]): string => ['void f(void)', '{', ...lines, '}', ''].join('\n');

describe('endMacroStatements', () => {
  it('ends a block macro used as a statement with the next line\'s first blank, keeping every offset', () => {
    const text = body('\tspin_lock(&l);', '\tQUEUE_INSERT_TAIL(&q->list, &(e)->node)', '\tspin_unlock(&l);');
    const out = endMacroStatements(text);
    expect(out).toBe(body('\tspin_lock(&l);', '\tQUEUE_INSERT_TAIL(&q->list, &(e)->node)', ';spin_unlock(&l);'));
    expect(out.length).toBe(text.length);
  });

  it('ends each of several in a row, after a comment or an else', () => {
    expect(endMacroStatements(body('\t/* put back */', '\tLIST_ADD(a, b)', '\tLIST_DEL(c)', '\tcount++;'))).toBe(body('\t/* put back */', '\tLIST_ADD(a, b)', ';LIST_DEL(c)', ';count++;'));
    expect(endMacroStatements(body('\tif (x)', '\t\tfoo();', '\telse', '\t\tBAR(y)', '\tbaz();'))).toBe(body('\tif (x)', '\t\tfoo();', '\telse', '\t\tBAR(y)', ';baz();'));
  });

  it('leaves alone what is no whole statement', () => {
    const kept = [
      body('\tx = a ||', '\t    check(b)', '\t    && c;'), // continued after
      body('\tx = a ||', '\t    check(b)', '\t    next(c);'), // continued before
      body('\tfoo(a,', '\t    b)', '\tbar();'), // split over lines
      body('\tif (ready(x))', '\t\tgo();'), // a keyword
      body('\tfoo(a) || bar(b)', '\tbaz();'), // not one call
      body('\tFOO(x)', '\t{', '\t\ty();', '\t}'), // a block follows
      'EXPORT_SYMBOL(f)\nint g(void);\n', // not indented: file scope
    ];
    for (const t of kept) expect(endMacroStatements(t)).toBe(t);
  });
});
