/**
 * The text rewrite before parsing (c/macro-rewrite.ts): statement macros tree-sitter cannot
 * know become `while`, annotations that derail a definition become blanks, and sparse's lock
 * annotations are collected by function. Every change keeps each line and column, because the
 * lines of the rewritten text are the lines a finding cites in the patch.
 */
import { describe, expect, it } from 'vitest';
import { rewriteStatementMacros } from '../../src/analyzers/c/macro-rewrite.ts';

const newlines = (s: string): number[] => [...s.matchAll(/\n/g)].map((m) => m.index);

/** The rewrite moved nothing: same length, newlines where they were. */
function expectLayoutKept(before: string, after: string): void {
  expect(after).toHaveLength(before.length);
  expect(newlines(after)).toEqual(newlines(before));
}

/** The use of `name` at its first occurrence was turned into `while` padded to the name's length. */
function expectLoopAt(src: string, name: string, at = src.indexOf(name)): void {
  const { text, macros } = rewriteStatementMacros(src);
  expectLayoutKept(src, text);
  expect(text.slice(at, at + name.length)).toBe(`while${' '.repeat(name.length - 5)}`);
  expect(macros.get(at)).toBe(name);
}

describe('iterator macros become while loops', () => {
  const cases: { situation: string; src: string; name: string }[] = [
    { situation: 'a list walk with a brace body', name: 'list_for_each_entry', src: 'void f(struct list_head *h)\n{\n\tstruct item *p;\n\tlist_for_each_entry(p, h, node) {\n\t\tuse(p);\n\t}\n}\n' },
    { situation: 'a per-cpu loop whose body is the next statement', name: 'for_each_online_cpu', src: 'void f(void)\n{\n\tint cpu;\n\tfor_each_online_cpu(cpu)\n\t\tflush_cpu(cpu);\n}\n' },
    { situation: 'an hlist walk with a cursor and a spare', name: 'hlist_for_each_entry_safe', src: 'void f(struct hlist_head *h)\n{\n\thlist_for_each_entry_safe(obj, tmp, h, hnode) {\n\t\tdrop(obj);\n\t}\n}\n' },
    { situation: 'an xarray walk', name: 'xa_for_each', src: 'void f(struct xarray *xa)\n{\n\txa_for_each(xa, idx, entry)\n\t\tput(entry);\n}\n' },
    { situation: 'the body of an if', name: 'for_each_cpu', src: 'void f(int all)\n{\n\tif (all)\n\t\tfor_each_cpu(cpu, mask)\n\t\t\tkick(cpu);\n}\n' },
    { situation: 'right after else', name: 'list_for_each_entry', src: 'void f(int a)\n{\n\tif (a)\n\t\tskip();\n\telse list_for_each_entry(p, h, node)\n\t\tuse(p);\n}\n' },
    { situation: 'after a label', name: 'for_each_cpu', src: 'void f(void)\n{\nagain: for_each_cpu(c, m) { poke(c); }\n}\n' },
    { situation: 'after a comment', name: 'list_for_each', src: 'void f(void)\n{\n\t/* every entry */ list_for_each(pos, h) touch(pos);\n}\n' },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.situation}`, () => expectLoopAt(c.src, c.name));
  }

  // perf's `foo_for_each_sibling(ev, fn);` calls fn for each sibling: a call, not a loop head.
  it('a for_each name followed by `;` stays a call', () => {
    const src = 'void f(struct ev *ev)\n{\n\tevent_for_each_sibling(ev, reset_one);\n}\n';
    const r = rewriteStatementMacros(src);
    expect(r.text).toBe(src);
    expect(r.macros.size).toBe(0);
  });

  // `n = count_for_each(a)` is an expression, not a statement head.
  it('a for_each name inside an expression stays', () => {
    const src = 'void f(void)\n{\n\tn = count_for_each(a) + 1;\n\tif (walk_for_each(a) > 0)\n\t\tx();\n}\n';
    expect(rewriteStatementMacros(src).text).toBe(src);
  });

  // A helper named like an iterator, defined with its return type on the line before and an
  // attribute ending in `)`: rewriting it would turn the definition into a top-level `while`.
  it('a name the same file defines as a function is not rewritten (name on the type line)', () => {
    const src = 'static int dev_for_each_child(struct device *dev, int (*fn)(struct device *))\n{\n\treturn fn(dev);\n}\nvoid g(struct device *d)\n{\n\tif (d) dev_for_each_child(d, probe_one) || fail();\n}\n';
    const r = rewriteStatementMacros(src);
    expect(r.text).toBe(src);
    expect(r.macros.size).toBe(0);
  });

  // Kernel style puts the type on the line before: a definition whose name starts its line.
  it('a name the same file defines as a function is not rewritten (name starting its line)', () => {
    const src = 'static int __attribute__((unused))\ndev_for_each_child(struct device *dev, int (*fn)(struct device *))\n{\n\treturn fn(dev);\n}\n';
    expect(rewriteStatementMacros(src).text).toBe(src);
  });

  it('a `#define` line is untouched, even when it uses iterators', () => {
    const src = [
      '#define for_each_dev(d) list_for_each_entry(d, &devs, node)',
      '#define walk(d) { list_for_each_entry(d, &devs, node) touch(d); }',
      '#define walk_all(d) do {\t\t\\',
      '\tlist_for_each_entry(d, &devs, node)\t\\',
      '\t\ttouch(d);\t\t\t\\',
      '} while (0)',
      '',
    ].join('\n');
    const r = rewriteStatementMacros(src);
    expect(r.text).toBe(src);
    expect(r.macros.size).toBe(0);
  });

  it('several macros in one body are each recorded at their own index', () => {
    const src = 'void f(void)\n{\n\tfor_each_cpu(c, m)\n\t\tlist_for_each_entry(p, &per_cpu(h, c), node) {\n\t\t\tuse(p);\n\t\t}\n}\n';
    const { text, macros } = rewriteStatementMacros(src);
    expectLayoutKept(src, text);
    expect([...macros.values()]).toEqual(['for_each_cpu', 'list_for_each_entry']);
    expect([...macros.keys()]).toEqual([src.indexOf('for_each_cpu'), src.indexOf('list_for_each_entry')]);
  });
});

describe('guards and do-while macros', () => {
  it('scoped_guard becomes a while over its arguments', () => {
    expectLoopAt('void f(struct dev *d)\n{\n\tscoped_guard(spinlock_irqsave, &d->lock) {\n\t\td->n++;\n\t}\n}\n', 'scoped_guard');
  });

  it('scoped_cond_guard is rewritten too', () => {
    expectLoopAt('int f(struct dev *d)\n{\n\tscoped_cond_guard(mutex_intr, return -EINTR, &d->m) {\n\t\td->n++;\n\t}\n\treturn 0;\n}\n', 'scoped_cond_guard');
  });

  // `guard(mutex)(&m);` parses as a call of a call: it needs no rewrite.
  it('guard(T)(&l) is left alone', () => {
    const src = 'void f(struct dev *d)\n{\n\tguard(mutex)(&d->m);\n\td->n++;\n}\n';
    expect(rewriteStatementMacros(src).text).toBe(src);
  });

  // Without the keyword the parser loses the do loop and everything after it in the file.
  it('`do { } while_each_thread(g, t);` gets its while back, columns kept', () => {
    const src = 'void f(void)\n{\n\tdo {\n\t\tpoke(t);\n\t} while_each_thread(g, t);\n\tafter();\n}\n';
    const { text, macros } = rewriteStatementMacros(src);
    expectLayoutKept(src, text);
    const at = src.indexOf('while_each_thread');
    expect(text.slice(at, at + 'while_each_thread'.length)).toBe(`while${' '.repeat(12)}`);
    expect(text.slice(at + 'while_each_thread'.length)).toBe('(g, t);\n\tafter();\n}\n');
    // The loop is a real do-while now, not a macro the binder must know.
    expect(macros.size).toBe(0);
  });
});

describe('brace macro pairs', () => {
  const src = [
    '#define walk_all(t) {\t\\',
    '\tint i; for (i = 0; i < (t)->n; i++)',
    '#define endwalk_all(t) }',
    'void f(struct table *t)',
    '{',
    '\tlock(t);',
    '\twalk_all(t) {',
    '\t\tuse(t, i);',
    '\t} endwalk_all(t)',
    '\tunlock(t);',
    '}',
    '',
  ].join('\n');

  it('the opener becomes `{while`, the closer a lone `}`, columns kept; the defines stay', () => {
    const { text } = rewriteStatementMacros(src);
    expectLayoutKept(src, text);
    expect(text).toContain('\t{while  (t) {\n');
    expect(text).toContain('\t} }             \n\tunlock(t);');
    expect(text).toContain('#define walk_all(t) {');
    expect(text).toContain('#define endwalk_all(t) }');
  });

  it('without both halves defined in the file, nothing changes', () => {
    const alone = src.replace('#define endwalk_all(t) }', '#define endwalk(t) done()');
    expect(rewriteStatementMacros(alone).text).toBe(alone);
  });
});

describe('annotations', () => {
  const blanked: { situation: string; src: string; gone: string }[] = [
    { situation: 'a section annotation on a definition', src: 'static int __init foo_init(void)\n{\n\treturn 0;\n}\n', gone: '__init' },
    { situation: 'the locking-functions section on a definition', src: 'void __lockfunc big_lock(void)\n{\n\tmutex_lock(&big);\n}\n', gone: '__lockfunc' },
    { situation: 'an address-space annotation on a parameter', src: 'long rd(void __user *buf, size_t n);\n', gone: '__user' },
    { situation: 'an iomem pointer', src: 'void wr(void __iomem *base);\n', gone: '__iomem' },
    { situation: 'a lock annotation on a prototype', src: 'void lock_dev(struct dev *d) __acquires(x);\n', gone: '__acquires(x)' },
    { situation: 'a lock annotation naming a member', src: 'void unlock_dev(struct dev *p) __releases(&p->lock);\n', gone: '__releases(&p->lock)' },
    { situation: 'a lock annotation with a call inside', src: 'void lk(struct dev *d) __acquires(&dev_of(d)->lock);\n', gone: '__acquires(&dev_of(d)->lock)' },
  ];
  for (const c of blanked) {
    it(`blanks ${c.gone}: ${c.situation}`, () => {
      const { text } = rewriteStatementMacros(c.src);
      expectLayoutKept(c.src, text);
      const at = c.src.indexOf(c.gone);
      expect(text.slice(at, at + c.gone.length)).toBe(' '.repeat(c.gone.length));
      expect(text.slice(0, at)).toBe(c.src.slice(0, at));
      expect(text.slice(at + c.gone.length)).toBe(c.src.slice(at + c.gone.length));
    });
  }

  it('a multi-line annotation keeps its newline', () => {
    const src = 'void f(struct dev *d)\n\t__releases(&d->a)\n\t__acquires(&d->b)\n{\n}\n';
    const { text } = rewriteStatementMacros(src);
    expectLayoutKept(src, text);
    expect(text).toBe('void f(struct dev *d)\n\t' + ' '.repeat(17) + '\n\t' + ' '.repeat(17) + '\n{\n}\n');
  });

  it('sparse lock annotations are returned by function, from prototypes and definitions', () => {
    const src = [
      'void lock_dev(struct dev *d) __acquires(&d->lock);',
      'void unlock_dev(struct dev *d)',
      '\t__releases(&d->lock)',
      '{',
      '\tspin_unlock(&d->lock);',
      '}',
      'void swap_locks(struct dev *d) __releases(&d->a) __acquires(&d->b);',
      'int try_dev(struct dev *d) __cond_acquires(&d->lock);',
      'void work_locked(struct dev *d) __must_hold(&d->lock);',
      '',
    ].join('\n');
    expect(Object.fromEntries(rewriteStatementMacros(src).annotations)).toEqual({
      lock_dev: [{ k: 'acquires', arg: '&d->lock' }],
      unlock_dev: [{ k: 'releases', arg: '&d->lock' }],
      swap_locks: [{ k: 'releases', arg: '&d->a' }, { k: 'acquires', arg: '&d->b' }],
      try_dev: [{ k: 'cond_acquires', arg: '&d->lock' }],
      work_locked: [{ k: 'must_hold', arg: '&d->lock' }],
    });
  });

  // The annotation in a macro's body belongs to whatever the macro expands into, not to a function here.
  it('an annotation on a #define line is not attributed to a function', () => {
    const src = '#define locked_op(x) do_op(x) __acquires(x)\n';
    expect(rewriteStatementMacros(src).annotations.size).toBe(0);
  });

  it('a function without annotations has no entry', () => {
    expect(rewriteStatementMacros('void plain(void);\nvoid lk(void) __acquires(big);\n').annotations.has('plain')).toBe(false);
  });
});

describe('storage-class macros before a definition', () => {
  const cases: { situation: string; src: string; gone?: string }[] = [
    { situation: 'a vendor static-inline macro', src: 'MALI_STATIC_INLINE mali_bool has_vg(void)\n{\n}\n', gone: 'MALI_STATIC_INLINE' },
    { situation: 'an inline macro after static', src: 'static INLINE void g(void)\n{\n}\n', gone: 'INLINE' },
    { situation: 'a macro before a struct type, the name on the next line', src: 'EXPORT struct dev *\nfind_dev(int x)\n{\n}\n', gone: 'EXPORT' },
    { situation: 'an upper-case type', src: 'UINT32 f(void)\n{\n}\n' },
    { situation: 'an upper-case type after static', src: 'static const UINT32 f(void);\n' },
    { situation: 'an upper-case struct tag', src: 'struct FOO *mk(void)\n{\n}\n' },
    { situation: 'a definition macro', src: 'static DEFINE_SPINLOCK(y);\n' },
    { situation: 'an indented statement', src: 'int f(void)\n{\n\tFOO bar(x);\n}\n' },
  ];
  for (const c of cases) {
    it(`${c.gone ? `blanks ${c.gone}` : 'keeps'}: ${c.situation}`, () => {
      const { text } = rewriteStatementMacros(c.src);
      expectLayoutKept(c.src, text);
      if (!c.gone) return expect(text).toBe(c.src);
      const at = c.src.indexOf(c.gone);
      expect(text).toBe(`${c.src.slice(0, at)}${' '.repeat(c.gone.length)}${c.src.slice(at + c.gone.length)}`);
    });
  }
});

describe('struct in macro type arguments', () => {
  const cases: { situation: string; src: string; want: string }[] = [
    { situation: 'container_of', src: 'p = container_of(ptr, struct foo, node);', want: 'p = container_of(ptr,        foo, node);' },
    { situation: 'list_first_entry', src: 'p = list_first_entry(&h, struct foo, node);', want: 'p = list_first_entry(&h,        foo, node);' },
    { situation: 'offsetof as first argument', src: 'n = offsetof(struct foo, m);', want: 'n = offsetof(       foo, m);' },
  ];
  for (const c of cases) {
    it(`${c.situation}: \`struct\` becomes blanks`, () => {
      const { text } = rewriteStatementMacros(c.src);
      expect(text).toBe(c.want);
    });
  }

  // A cast keeps its tag: lock classes read it (`((struct foo *)x)->lock` is foo.lock).
  it('casts, declarations and parameters keep `struct`', () => {
    const src = 'void f(struct foo *p)\n{\n\tstruct foo *q = (struct foo *)p;\n\tuse(q);\n}\n';
    expect(rewriteStatementMacros(src).text).toBe(src);
  });
});

describe('a whole file', () => {
  // Every rewrite at once: the rewritten file still lines up with the patch byte for byte.
  it('keeps every line and column', () => {
    const src = [
      'static int __init setup(void) __acquires(big)',
      '{',
      '\tstruct item *p;',
      '\tlist_for_each_entry(p, &items, node) {',
      '\t\tscoped_guard(mutex, &p->m)',
      '\t\t\tp->n++;',
      '\t}',
      '\tdo { poke(t); } while_each_thread(g, t);',
      '\tq = container_of(p, struct item, node);',
      '\treturn 0;',
      '}',
      '',
    ].join('\n');
    const { text, macros } = rewriteStatementMacros(src);
    expectLayoutKept(src, text);
    expect([...macros.values()]).toEqual(['list_for_each_entry', 'scoped_guard']);
  });
});
