/**
 * `#if` groups whose branches cannot be parsed together (c/conditional-branches.ts): one branch
 * is kept, the directives and the other branches become blanks, and lines and columns stay.
 * Balanced groups at statement level are left to the lowering, which keeps both configurations.
 */
import { describe, expect, it } from 'vitest';
import { chooseParseableBranches } from '../../src/analyzers/c/conditional-branches.ts';
import { loadCParser } from '../../src/analyzers/c/parser.ts';

const newlines = (s: string): number[] => [...s.matchAll(/\n/g)].map((m) => m.index);
const squeeze = (s: string): string => s.replace(/\s+/g, ' ').trim();

async function hasErrors(text: string): Promise<boolean> {
  const tree = (await loadCParser()).parse(text);
  try {
    return tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

describe('branches that do not parse together', () => {
  const cases: { situation: string; src: string; kept: string; dropped: { line: number; directive: string }[] }[] = [
    {
      situation: 'each branch opens the block the code after the group closes',
      src: 'void f(int w)\n{\n#ifdef WIDE\n\tif (w) {\n\t\ta();\n\t} else {\n#else\n\t{\n#endif\n\t\tb();\n\t}\n}\n',
      kept: 'void f(int w) { if (w) { a(); } else { b(); } }',
      dropped: [{ line: 7, directive: '#else' }],
    },
    {
      situation: 'twin one-branch groups open and close an else: both kept, directives gone',
      src: 'void f(int w)\n{\n#ifdef Q\n\tif (w) {\n\t\ta();\n\t} else {\n#endif\n\t\tb();\n#ifdef Q\n\t}\n#endif\n}\n',
      kept: 'void f(int w) { if (w) { a(); } else { b(); } }',
      dropped: [],
    },
    {
      situation: 'a directive inside a parameter list',
      src: 'int f(int a\n#if OLD\n\t, void *regs\n#endif\n\t)\n{\n\treturn a;\n}\n',
      kept: 'int f(int a , void *regs ) { return a; }',
      dropped: [],
    },
    {
      situation: 'a directive inside an initializer, with an #else',
      src: 'static struct ops o = {\n\t.a = f,\n#ifdef X\n\t.b = g,\n#else\n\t.b = h,\n#endif\n};\n',
      kept: 'static struct ops o = { .a = f, .b = g, };',
      dropped: [{ line: 5, directive: '#else' }],
    },
    {
      situation: 'a branch that is the else of an if outside the group',
      src: 'void f(int w)\n{\n\tif (w) {\n\t\ta();\n\t}\n#ifdef SECURE\n\telse {\n\t\tb();\n\t}\n#endif\n\tc();\n}\n',
      kept: 'void f(int w) { if (w) { a(); } else { b(); } c(); }',
      dropped: [],
    },
    {
      situation: 'two loop headers for the block after the group, in a function',
      src: 'void f(struct t *t)\n{\n#if OLD\n\tread_lock(&l);\n\tfor (sk = t->chain; sk; sk = sk->next)\n#else\n\tspin_lock(&t->lock);\n\tfor (sk = first(&t->head); sk; sk = next(sk))\n#endif\n\t{\n\t\tif (!sk->live)\n\t\t\tcontinue;\n\t}\n}\n',
      kept: 'void f(struct t *t) { read_lock(&l); for (sk = t->chain; sk; sk = sk->next) { if (!sk->live) continue; } }',
      dropped: [{ line: 6, directive: '#else' }],
    },
    {
      situation: 'two headers for one body',
      src: 'int\n#ifdef SID\nlookup(struct base *b, sid_t h)\n#else\nlookup(struct base *b, void *h)\n#endif\n{\n\treturn 0;\n}\n',
      kept: 'int lookup(struct base *b, sid_t h) { return 0; }',
      dropped: [{ line: 4, directive: '#else' }],
    },
    {
      situation: 'a branch ending in else, alone in its #ifdef group: kept (under its condition), the block after the group its else',
      src: 'void f(int w)\n{\n#ifdef EXTRA\n\tif (w) {\n\t\ta();\n\t}\n\telse\n#endif\n\t{\n\t\tb();\n\t}\n}\n',
      kept: 'void f(int w) { if (w) { a(); } else { b(); } }',
      dropped: [],
    },
    {
      situation: 'a branch ending in else beside other code: the block after the group stands alone',
      src: 'void f(int w)\n{\n#ifdef EXTRA\n\tif (w) {\n\t\ta();\n\t}\n\telse\n#else\n\tc();\n#endif\n\t{\n\t\tb();\n\t}\n}\n',
      kept: 'void f(int w) { c(); { b(); } }',
      dropped: [{ line: 3, directive: '#ifdef EXTRA' }],
    },
    {
      situation: 'alternative specifiers of the function after the group',
      src: 'int x;\n#ifdef EXPORTED\nint\n#else\nstatic int\n#endif\nset_addr(int a)\n{\n\treturn a;\n}\nint later(void)\n{\n\treturn 0;\n}\n',
      kept: 'int x; int set_addr(int a) { return a; } int later(void) { return 0; }',
      dropped: [{ line: 4, directive: '#else' }],
    },
    {
      situation: 'an #if 0 first branch gives way to the next',
      src: 'void f(int w)\n{\n#if 0\n\tif (w) {\n#else\n\tif (!w) {\n#endif\n\t\tb();\n\t}\n}\n',
      kept: 'void f(int w) { if (!w) { b(); } }',
      dropped: [{ line: 3, directive: '#if 0' }],
    },
    {
      situation: 'a C++ only guard around the file (extern "C" {): a C compiler never defines __cplusplus',
      src: '#ifdef __cplusplus\n#if __cplusplus\nextern "C" {\n#endif\n#endif\nvoid f(int *p)\n{\n\tif (*p) {\n\t\t(*p)--;\n\t}\n\tg(p);\n}\n#ifdef __cplusplus\n#if __cplusplus\n}\n#endif\n#endif\n',
      kept: 'void f(int *p) { if (*p) { (*p)--; } g(p); }',
      dropped: [{ line: 1, directive: '#ifdef __cplusplus' }, { line: 13, directive: '#ifdef __cplusplus' }],
    },
  ];
  for (const c of cases) {
    it(c.situation, async () => {
      expect(await hasErrors(c.src)).toBe(true);
      const { text, dropped } = chooseParseableBranches(c.src);
      expect(text).toHaveLength(c.src.length);
      expect(newlines(text)).toEqual(newlines(c.src));
      expect(squeeze(text)).toBe(c.kept);
      expect(dropped).toEqual(c.dropped);
      expect(await hasErrors(text)).toBe(false);
    });
  }

  it('nested groups inside a dropped branch are not reported on their own', () => {
    const src = 'void f(int w)\n{\n#ifdef A\n\tif (w) {\n#ifdef B\n\t\tx();\n#else\n\t\ty();\n#endif\n\t} else {\n#else\n\t{\n#endif\n\t\tz();\n\t}\n}\n';
    const { text, dropped } = chooseParseableBranches(src);
    expect(dropped).toEqual([{ line: 11, directive: '#else' }]);
    expect(squeeze(text)).toBe('void f(int w) { if (w) { #ifdef B x(); #else y(); #endif } else { z(); } }');
  });

  it('says which lines the kept branch of a reduced group holds, and under which directive', () => {
    const twins = 'void f(int w)\n{\n#ifdef Q\n\tif (w) {\n\t\ta();\n\t} else {\n#endif\n\t\tb();\n#ifdef Q\n\t}\n#endif\n}\n';
    expect(chooseParseableBranches(twins).guarded).toEqual([
      { line: 3, toLine: 7, directive: '#ifdef Q' },
      { line: 9, toLine: 11, directive: '#ifdef Q' },
    ]);
    // A kept `#else` after `#if 0` is no condition; a group left alone guards nothing.
    const off = 'void f(int w)\n{\n#if 0\n\tif (w) {\n#else\n\t{\n#endif\n\t\tb();\n\t}\n#ifdef A\n\ta();\n#endif\n}\n';
    expect(chooseParseableBranches(off).guarded).toEqual([]);
    const dangling = 'void f(int w)\n{\n#ifdef X\n\tif (w)\n\t\ta();\n\telse\n#endif\n\tb();\n}\n';
    expect(chooseParseableBranches(dangling).guarded).toEqual([{ line: 3, toLine: 7, directive: '#ifdef X' }]);
  });
});

describe('groups the parser handles are left alone', () => {
  const untouched = [
    'void f(void)\n{\n#ifdef A\n\ta();\n#else\n\tb();\n#endif\n}\n',
    'struct s {\n\tint a;\n#ifdef B\n\tint b;\n#endif\n};\n',
    '#if 0\nvoid f(void) { }\n#endif\n',
    '#define OPEN {\n#ifdef A\nint x; /* { */\nchar *s = "{";\n#endif\n',
    'int x;\n',
    'void f(int a)\n{\n#ifdef X\n\tif (a)\n#endif\n\t\tg();\n#ifdef X\n\telse\n\t\th();\n#endif\n}\n',
    '#ifdef A\nint f(int a);\n#else\nint f(long a);\n#endif\nint g(void) { return 0; }\n',
    // Two macro definitions per group; the next group's multi-line bodies open braces on their
    // continuation lines, which are still the directive, not a body for the first group to head.
    '#if DBG\n#define A(x) x\n#else\n#define A(x) y\n#endif\n#if DBG\n#define B(p) \\\n  { \\\n  }\n#else\n#define B(p) \\\n  { \\\n  }\n#endif\n',
  ];
  for (const src of untouched) {
    it(JSON.stringify(src.slice(0, 40)), () => {
      expect(chooseParseableBranches(src)).toEqual({ text: src, dropped: [], guarded: [] });
    });
  }
});
