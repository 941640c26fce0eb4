import { describe, expect, it } from 'vitest';
import { blankDeclarationAttributes } from '../../src/analyzers/c/declaration-attributes.ts';

describe('attributes before an initialiser', () => {
  it('turn into blanks of the same length, newlines kept', () => {
    const text = 'const u8 h[] __aligned(2) =\n\t{ 1, 2 };\nstatic int t[] __attribute__((aligned(8)))\n\t__initdata = { 3 };\n';
    const out = blankDeclarationAttributes(text);
    expect(out.length).toBe(text.length);
    expect(out.split('\n').length).toBe(text.split('\n').length);
    expect(out).toBe('const u8 h[]              =\n\t{ 1, 2 };\nstatic int t[]                            \n            = { 3 };\n');
  });

  it('leave a declared name, a comparison and an attribute with no initialiser alone', () => {
    for (const text of ['static struct pair __spare = { 1, 2 };\n', 'if (x __LINE__ == 3)\n', 'int f(void) __acquires(l);\n', 'static int x __read_mostly;\n']) {
      expect(blankDeclarationAttributes(text)).toBe(text);
    }
  });

  it('after a name, blank only call-like attributes', () => {
    expect(blankDeclarationAttributes('int x __section(".data") = 3;')).toBe('int x                    = 3;');
  });
});
