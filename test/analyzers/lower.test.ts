/**
 * Lowering (c/lower.ts, lower-statements.ts, lower-expressions.ts): small C snippets parsed and
 * lowered as the analysis does, checked against the IR shapes the module headers draw. The lock
 * analysis only ever sees this IR, so a shape that drifts here is a lock it silently misreads.
 */
import { describe, expect, it } from 'vitest';
import { ANY, N, P, Z, type Cond, type Op, type ReturnValue, type Stmt } from '../../src/analyzers/c/ir.ts';
import { callsUnder, callTo, firstOf, fnNamed, lower, opsUnder, statements, topLevel } from './c-snippets.ts';

const call = (callee: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ callee, ...extra });
const path = (root: string, fields: string[], text: string): { root: string; fields: string[]; text: string } => ({ root, fields, text });

/** The only function of a one-function snippet. */
async function only(src: string): Promise<ReturnType<typeof fnNamed>> {
  const facts = await lower(src);
  expect(facts.skipped).toEqual([]);
  expect(facts.functions).toHaveLength(1);
  return facts.functions[0] as ReturnType<typeof fnNamed>;
}

describe('control flow', () => {
  it('if/else: the condition and both branches', async () => {
    const fn = await only('void f(int probe)\n{\n\tif (probe)\n\t\tattach();\n\telse\n\t\tdetach();\n}\n');
    expect(topLevel(fn)).toMatchObject([
      { k: 'if', cond: { k: 'atom', key: 'probe' }, then: { k: 'ops', ops: [call('attach')] }, else: { k: 'ops', ops: [call('detach')] } },
    ]);
  });

  it('a local declared as a choice of two constants, or as a test, is a branch storing one constant or the other', async () => {
    const fn = await only('int f(int mod)\n{\n\tint ins_len = mod < 0 ? -1 : 0;\n\tint cow = mod != 0;\n\treturn search(ins_len, cow);\n}\n');
    const store = (target: string, value: number, lit: string): Stmt => ({ k: 'ops', ops: [{ k: 'set', target, root: target, value, line: target === 'cow' ? 4 : 3, lit }] });
    expect(statements(fn.body).filter((x) => x.k === 'if')).toEqual([
      { k: 'if', cond: { k: 'atom', key: 'mod', reads: ['mod'], test: N, memory: false }, then: store('ins_len', N, '-1'), else: store('ins_len', Z, '0') },
      { k: 'if', cond: { k: 'atom', key: 'mod', reads: ['mod'], test: P | N, memory: false }, then: store('cow', P, '1'), else: store('cow', Z, '0') },
    ]);
  });

  it('a prefix step in a condition goes before the test, which reads the stepped value; not where the condition may skip it', async () => {
    const fn = await only('void f(struct s *s, int ok)\n{\n\tif (--s->depth == -1)\n\t\tput(s);\n\tif (ok && --s->depth == -1)\n\t\tput(s);\n}\n');
    const [stepped, skipped] = statements(fn.body).filter((x) => x.k === 'if');
    expect(stepped?.cond).toMatchObject({ k: 'atom', key: '-1<=>s->depth', test: Z });
    expect(topLevel(fn)[0]).toMatchObject({ k: 'block', body: [{ k: 'ops', ops: [{ k: 'set', target: 's->depth', step: -1 }] }, { k: 'if' }] });
    expect(JSON.stringify(skipped?.cond)).toContain('"step":-1');
  });

  it('an if without else has a null else', async () => {
    const fn = await only('void f(int probe)\n{\n\tif (probe)\n\t\tattach();\n}\n');
    expect(firstOf(fn, 'if').else).toBeNull();
  });

  const loops: { situation: string; body: string; want: Record<string, unknown> }[] = [
    { situation: 'while with a condition', body: 'while (more(d))\n\t\tstep(d);', want: { k: 'loop', cond: { k: 'call', ev: call('more') }, body: { k: 'ops', ops: [call('step')] }, doWhile: false } },
    { situation: 'do/while runs its body first', body: 'do {\n\t\tstep(d);\n\t} while (d->n);', want: { k: 'loop', cond: { k: 'atom', key: 'd->n' }, doWhile: true } },
    { situation: 'for (;;) loops until a break', body: 'for (;;) {\n\t\tif (step(d))\n\t\t\tbreak;\n\t}', want: { k: 'block', body: [{ k: 'ops', ops: [] }, { k: 'loop', cond: { k: 'const', value: true }, post: [] }] } },
    { situation: 'while (1) loops until a break', body: 'while (1)\n\t\tstep(d);', want: { k: 'loop', cond: { k: 'const', value: true } } },
    { situation: 'while (true) too', body: 'while (true)\n\t\tstep(d);', want: { k: 'loop', cond: { k: 'const', value: true } } },
    { situation: 'do { } while (0) runs once', body: 'do {\n\t\tstep(d);\n\t} while (0);', want: { k: 'loop', cond: { k: 'const', value: false }, doWhile: true } },
  ];
  for (const c of loops) {
    it(`loop: ${c.situation}`, async () => {
      const fn = await only(`void f(struct dev *d)\n{\n\t${c.body}\n}\n`);
      expect(topLevel(fn)).toMatchObject([c.want]);
    });
  }

  it('for: the initializer before the loop, the update as its post ops, all in a scope of its own', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tint i;\n\tfor (i = first(d); i < d->n; i++)\n\t\tstep(d, i);\n}\n');
    const [stmt] = topLevel(fn);
    expect(stmt).toMatchObject({
      k: 'block',
      body: [
        { k: 'ops', ops: [call('first', { assignTo: 'i' })] },
        { k: 'loop', cond: { k: 'atom', key: 'd->n<=>i', reads: ['d', 'i'] }, body: { k: 'ops', ops: [call('step')] }, post: [{ k: 'set', target: 'i', value: ANY }], doWhile: false },
      ],
    });
    expect(stmt?.k === 'block' && stmt.scope).toBeGreaterThan(1);
  });

  it('break and continue', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\twhile (d->n) {\n\t\tif (skip(d))\n\t\t\tcontinue;\n\t\tbreak;\n\t}\n}\n');
    expect(statements(fn.body).map((s) => s.k).filter((k) => k === 'break' || k === 'continue')).toEqual(['continue', 'break']);
  });

  it('an iterator macro with a brace body is a loop over its cursor', async () => {
    const fn = await only('void f(struct list_head *h)\n{\n\tstruct item *p;\n\tlist_for_each_entry(p, h, node) {\n\t\tuse(p);\n\t}\n}\n');
    expect(topLevel(fn)).toMatchObject([{ k: 'loop', cursor: 'p', body: { k: 'block', body: [{ k: 'ops', ops: [call('use')] }] }, doWhile: false, post: [] }]);
    // Zero or more times: never a constant.
    expect(firstOf(fn, 'loop').cond?.k).not.toBe('const');
  });

  it('an iterator macro without braces loops over the next statement; calls in its arguments run', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tstruct item *p;\n\tlist_for_each_entry(p, head_of(d), node)\n\t\tuse(p);\n\tafter();\n}\n');
    expect(topLevel(fn)).toMatchObject([
      { k: 'loop', cursor: 'p', cond: { k: 'other', ops: [call('head_of')] }, body: { k: 'ops', ops: [call('use')] } },
      { k: 'ops', ops: [call('after')] },
    ]);
  });

  it('a for_each macro over a plain variable has it as cursor', async () => {
    const fn = await only('void f(void)\n{\n\tint cpu;\n\tfor_each_online_cpu(cpu)\n\t\tkick(cpu);\n}\n');
    expect(firstOf(fn, 'loop').cursor).toBe('cpu');
  });

  // A list iterator the rewrite does not know by name (no `for_each`): a call missing its ';'
  // followed by the body, joined by the block binder.
  it('an iterator named only by its list_ prefix is still a loop', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tstruct item *p;\n\tllist_walk_each(p, &d->head) {\n\t\tuse(p);\n\t}\n}\n');
    expect(topLevel(fn)).toMatchObject([{ k: 'loop', cond: null, cursor: 'p', body: { k: 'block' } }]);
  });

  it('a queue walk is a loop whose cursor is its second argument, and a continue in it is its own', async () => {
    const fn = await only('void f(struct sock *sk)\n{\n\tstruct sk_buff *skb;\n\tskb_queue_walk(&sk->q, skb) {\n\t\tif (skb->len)\n\t\t\tcontinue;\n\t\tuse(skb);\n\t}\n}\n');
    expect(topLevel(fn)).toMatchObject([{ k: 'loop', cursor: 'skb', body: { k: 'block' } }]);
    const body = topLevel(fn)[0];
    expect(body?.k === 'loop' && statements(body.body).some((x) => x.k === 'continue')).toBe(true);
  });

  // A driver's own wrapper with a body (`my_iterate(p, h) { ... }`): the body may run, once.
  it('an unknown macro with a body runs it maybe', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tstruct item *p;\n\tmy_iterate(p, d) {\n\t\tuse(p);\n\t}\n\tafter();\n}\n');
    expect(topLevel(fn)).toMatchObject([
      { k: 'if', cond: { k: 'other', ops: [call('my_iterate')] }, then: { k: 'block', body: [{ k: 'ops', ops: [call('use')] }] }, else: null },
      { k: 'ops', ops: [call('after')] },
    ]);
  });

  it('scoped_guard: the lock, the guard type, and a scope of its own around the body', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tscoped_guard(spinlock_irqsave, &d->lock) {\n\t\td->n++;\n\t}\n\tafter();\n}\n');
    const s = firstOf(fn, 'scoped');
    expect(s).toMatchObject({ guard: 'spinlock_irqsave', lock: path('d', ['lock'], '&d->lock'), line: 3, body: { k: 'block' } });
    const scopes = statements(fn.body).flatMap((x) => (x.k === 'block' || x.k === 'scoped' ? [x.scope] : []));
    // The function's block, the guard's frame, the body's block: three different frames.
    expect(new Set(scopes).size).toBe(3);
    expect(fn.body.k === 'block' && fn.body.scope).not.toBe(s.scope);
  });

  it('scoped_guard without braces guards the next statement', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tscoped_guard(mutex, &d->m)\n\t\tbump(d);\n\tafter();\n}\n');
    expect(topLevel(fn)).toMatchObject([{ k: 'scoped', guard: 'mutex', lock: path('d', ['m'], '&d->m'), body: { k: 'ops', ops: [call('bump')] } }, { k: 'ops', ops: [call('after')] }]);
  });

  // scoped_cond_guard(T, fail, &l) has its lock third (the second is what to do on failure).
  it('scoped_cond_guard names its lock (the third argument)', async () => {
    const fn = await only('int f(struct dev *d)\n{\n\tscoped_cond_guard(mutex_intr, return -EINTR, &d->m) {\n\t\td->n++;\n\t}\n\treturn 0;\n}\n');
    expect(firstOf(fn, 'scoped')).toMatchObject({ guard: 'mutex_intr', lock: path('d', ['m'], '&d->m') });
  });

  it('guard(T)(&l) is a call to `guard` carrying the type, held to the end of the block', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tguard(spinlock_irqsave)(&d->lock);\n\td->n++;\n}\n');
    expect(topLevel(fn)).toMatchObject([{ k: 'ops', ops: [{ callee: 'guard', guard: 'spinlock_irqsave', args: [path('d', ['lock'], '&d->lock')] }] }, { k: 'ops', ops: [{ k: 'set', target: 'd->n' }] }]);
  });

  it('switch: the scrutinee\'s calls, cases in order with fallthrough kept, and default', async () => {
    const fn = await only([
      'void f(struct dev *d)',
      '{',
      '\tswitch (state_of(d)) {',
      '\tcase ST_IDLE:',
      '\tcase ST_RUN:',
      '\t\trun(d);',
      '\tcase ST_STOP:',
      '\t\tstop(d);',
      '\t\tbreak;',
      '\tdefault:',
      '\t\tbad(d);',
      '\t}',
      '}',
      '',
    ].join('\n'));
    const s = firstOf(fn, 'switch');
    expect(s.pre).toMatchObject([call('state_of')]);
    expect(s.hasDefault).toBe(true);
    expect(s.cases.map((c) => c.map((x) => (x.k === 'ops' ? x.ops.map((o) => (o.k === undefined ? o.callee : o.k)).join(',') : x.k)))).toEqual([[], ['run'], ['stop', 'break'], ['bad']]);
  });

  it('switch without default', async () => {
    const fn = await only('void f(int x)\n{\n\tswitch (x) {\n\tcase 1:\n\t\tone();\n\t}\n}\n');
    expect(firstOf(fn, 'switch')).toMatchObject({ hasDefault: false, cases: [[{ k: 'ops', ops: [call('one')] }]] });
  });

  it('goto and its label: the label starts a block with the statement it labels', async () => {
    const fn = await only('int f(struct dev *d)\n{\n\tif (setup(d))\n\t\tgoto out;\n\twork(d);\nout:\n\tteardown(d);\n\treturn 0;\n}\n');
    expect(topLevel(fn)).toMatchObject([
      { k: 'if', then: { k: 'goto', label: 'out' } },
      { k: 'ops', ops: [call('work')] },
      { k: 'block', scope: -1, body: [{ k: 'label', name: 'out' }, { k: 'ops', ops: [call('teardown')] }] },
      { k: 'return' },
    ]);
  });

  it('#ifdef in a body: either configuration may be the compiled one, one atom per macro for the build', async () => {
    const fn = await only('void f(struct dev *d)\n{\n#ifdef CONFIG_DEBUG\n\tcheck(d);\n#endif\n#ifndef CONFIG_DEBUG\n\tquiet(d);\n#endif\n\twork(d);\n}\n');
    expect(topLevel(fn)).toMatchObject([
      { k: 'if', cond: { k: 'atom', key: '#CONFIG_DEBUG', reads: [], test: P | N, memory: false }, then: { k: 'block', body: [{ k: 'ops', ops: [call('check')] }] }, else: null },
      { k: 'if', cond: { k: 'atom', key: '#CONFIG_DEBUG', test: Z } },
      { k: 'ops', ops: [call('work')] },
    ]);
  });

  it('#ifdef A #else B #endif: exactly one of A and B runs', async () => {

    const fn = await only('void f(struct dev *d)\n{\n#ifdef CONFIG_X\n\tfast(d);\n#else\n\tslow(d);\n#endif\n}\n');
    const s = firstOf(fn, 'if');
    expect(s.else).not.toBeNull();
    expect(s.else?.k).not.toBe('if');
    expect(callsUnder(s.else as Stmt).map((c) => c.callee)).toEqual(['slow']);
  });

  // `DBG(list_for_each_entry(p, &l, n) { ... });`: the loop's statements are bound as
  // statements, and what follows the wrapper is not merged into it.
  it('a statement wrapped in a macro call is bound as statements', async () => {
    const facts = await lower('void f(struct list_head *head)\n{\n\tstruct item *p;\n\tDBG(list_for_each_entry(p, head, node) { use(p); });\n\tafter();\n}\n');
    const fn = fnNamed(facts, 'f');
    expect(topLevel(fn)).toMatchObject([
      { k: 'block', scope: -1, body: [{ k: 'loop', cursor: 'p', body: { k: 'block', body: [{ k: 'ops', ops: [call('use')] }] } }] },
      { k: 'ops', ops: [call('after')] },
    ]);
    // The ERROR tree-sitter leaves around the inner statement is reported.
    expect(facts.skipped).toEqual([{ line: 4, reason: 'unparsed code in f() (1 line): skipped' }]);
  });

  it('reports an unparsed line once, however many error nodes it holds', async () => {
    const facts = await lower('#define RPC(k, m) RPC_##k##_##m\nenum\n{\n\tRPC(A, A)\n\t,RPC(A, B)\n};\n');
    expect(facts.skipped).toEqual([
      { line: 4, reason: 'unparsed code (1 line): skipped' },
      { line: 5, reason: 'unparsed code (1 line): skipped' },
    ]);
  });
});

describe('return values', () => {
  const cases: { src: string; value: ReturnValue; ops?: string[] }[] = [
    { src: 'return 0;', value: { k: 'const', mask: Z } },
    { src: 'return NULL;', value: { k: 'const', mask: Z } },
    { src: 'return false;', value: { k: 'const', mask: Z } },
    { src: 'return 1;', value: { k: 'const', mask: P } },
    { src: 'return true;', value: { k: 'const', mask: P } },
    { src: 'return -EINVAL;', value: { k: 'const', mask: N, text: '-EINVAL' } },
    { src: 'return - 1;', value: { k: 'const', mask: N } },
    { src: 'return ERR_PTR(-ENOMEM);', value: { k: 'const', mask: N }, ops: ['ERR_PTR'] },
    { src: 'return err;', value: { k: 'var', name: 'err' } },
    { src: 'return (err);', value: { k: 'var', name: 'err' } },
    { src: 'return mutex_trylock(&d->m);', value: { k: 'call' }, ops: ['mutex_trylock'] },
    { src: 'return;', value: { k: 'none' } },
    { src: 'return d->n + 1;', value: { k: 'none' } },
    // A pure test of its argument says nothing a caller's test can split on.
    { src: 'return IS_ERR(d);', value: { k: 'none' }, ops: ['IS_ERR'] },
  ];
  for (const c of cases) {
    it(`\`${c.src}\``, async () => {
      const fn = await only(`int f(struct dev *d, int err)\n{\n\t${c.src}\n}\n`);
      const r = firstOf(fn, 'return');
      expect(r.value).toEqual(c.value);
      expect(r.line).toBe(3);
      expect(r.ops.map((o) => (o.k === undefined ? o.callee : o.k))).toEqual(c.ops ?? []);
    });
  }

  // tree-sitter reads `-1` as one number literal: still negative, for a caller's `if (f() < 0)`.
  it('`return -1;` is negative', async () => {
    const fn = await only('int f(void)\n{\n\treturn -1;\n}\n');
    expect(firstOf(fn, 'return').value).toEqual({ k: 'const', mask: N });
  });
});

describe('conditions', () => {
  const atom = (key: string, reads: string[], test: number, memory: boolean): Cond => ({ k: 'atom', key, reads, test, memory });
  const cases: { src: string; want: Cond }[] = [
    { src: 'probe', want: atom('probe', ['probe'], P | N, false) },
    { src: '!probe', want: atom('probe', ['probe'], Z, false) },
    { src: '!!probe', want: atom('probe', ['probe'], P | N, false) },
    { src: 'p == NULL', want: atom('p', ['p'], Z, false) },
    { src: 'NULL != p', want: atom('p', ['p'], P | N, false) },
    { src: 'ret < 0', want: atom('ret', ['ret'], N, false) },
    { src: '0 > ret', want: atom('ret', ['ret'], N, false) },
    { src: 'ret >= 0', want: atom('ret', ['ret'], Z | P, false) },
    { src: 'ret > 0', want: atom('ret', ['ret'], P, false) },
    { src: 'ret != 0', want: atom('ret', ['ret'], P | N, false) },
    { src: 'IS_ERR(p)', want: atom('p', ['p'], N, false) },
    { src: '!IS_ERR(p)', want: atom('p', ['p'], Z | P, false) },
    { src: 'IS_ERR_OR_NULL(p)', want: atom('p', ['p'], Z | N, false) },
    { src: 'unlikely(ret)', want: atom('ret', ['ret'], P | N, false) },
    // A member or a global reads memory: it is forgotten when anything may write it.
    { src: 'd->flags & DEV_BUSY', want: atom('d->flags&DEV_BUSY', ['d'], P | N, true) },
    { src: 'list_empty(&d->list)', want: atom('list_empty(&d->list)', ['d'], P | N, true) },
    // A comparison is the sign of left - right, sides in canonical order: `a <= b`, `a < b`,
    // `b > a` and `a != b` are one atom tested for different signs.
    { src: 'probe != ret', want: atom('probe<=>ret', ['probe', 'ret'], P | N, false) },
    { src: 'probe == ret', want: atom('probe<=>ret', ['probe', 'ret'], Z, false) },
    { src: 'probe <= ret', want: atom('probe<=>ret', ['probe', 'ret'], N | Z, false) },
    { src: 'ret > probe', want: atom('probe<=>ret', ['probe', 'ret'], N, false) },
    { src: 'ret >= probe', want: atom('probe<=>ret', ['probe', 'ret'], N | Z, false) },
    { src: '!(probe < ret)', want: atom('probe<=>ret', ['probe', 'ret'], Z | P, false) },


    { src: '1', want: { k: 'const', value: true } },
    { src: '0', want: { k: 'const', value: false } },
    { src: '!probe && d->n > 0', want: { k: 'and', a: atom('probe', ['probe'], Z, false), b: atom('d->n', ['d'], P, true) } },
    { src: 'probe || ret', want: { k: 'or', a: atom('probe', ['probe'], P | N, false), b: atom('ret', ['ret'], P | N, false) } },
    { src: '!(probe && ret)', want: { k: 'not', c: { k: 'and', a: atom('probe', ['probe'], P | N, false), b: atom('ret', ['ret'], P | N, false) } } },
  ];
  const inIf = async (cond: string): Promise<Cond> => firstOf(await only(`void f(struct dev *d, int probe, int ret, void *p)\n{\n\tif (${cond})\n\t\thit();\n}\n`), 'if').cond;
  for (const c of cases) {
    it(`\`if (${c.src})\``, async () => {
      expect(await inIf(c.src)).toEqual(c.want);
    });
  }

  // `d->owner != current` and `d->owner == current` are one atom: a fact learnt from one decides the other.
  it('`!=` and `==` meet when an operand is a member', async () => {
    expect(await inIf('d->owner != current')).toEqual(atom('current<=>d->owner', ['d'], P | N, true));
    expect(await inIf('d->owner == current')).toEqual(atom('current<=>d->owner', ['d'], Z, true));
  });


  it('a condition reading a parameter makes it a condParam', async () => {
    const fn = await only('void f(struct dev *d, int flags, int unused)\n{\n\tif (flags & F_X)\n\t\tx();\n\tif (d->dead)\n\t\ty();\n}\n');
    expect(fn.condParams).toEqual([0, 1]);
  });

  it('a function whose conditions read no parameter has no condParams', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tif (global_flag)\n\t\tx(d);\n}\n');
    expect(fn.condParams).toBeUndefined();
  });
});

describe('tested calls', () => {
  const cases: { src: string; callee: string; test: number; pre?: string[] }[] = [
    { src: '!mutex_trylock(&d->m)', callee: 'mutex_trylock', test: Z },
    { src: 'unlikely(!spin_trylock(&d->lock))', callee: 'spin_trylock', test: Z },
    { src: 'mutex_lock_interruptible(&d->m)', callee: 'mutex_lock_interruptible', test: P | N },
    { src: 'down_trylock(&d->sem) == 0', callee: 'down_trylock', test: Z },
    { src: 'grab(lookup(d))', callee: 'grab', test: P | N, pre: ['lookup'] },
  ];
  for (const c of cases) {
    it(`\`if (${c.src})\` tests the call's result`, async () => {
      const fn = await only(`void f(struct dev *d)\n{\n\tif (${c.src})\n\t\treturn;\n}\n`);
      const cond = firstOf(fn, 'if').cond;
      expect(cond).toMatchObject({ k: 'call', ev: { callee: c.callee, line: 3 }, test: c.test });
      expect(cond.k === 'call' && cond.pre.map((o) => (o.k === undefined ? o.callee : o.k))).toEqual(c.pre ?? []);
    });
  }

  it('the lock argument of a tested call is an access path', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tif (!mutex_trylock(&d->q->m))\n\t\treturn;\n}\n');
    expect(callTo(fn, 'mutex_trylock').args).toEqual([path('d', ['q', 'm'], '&d->q->m')]);
  });

  // The call carries assignTo (no `set ret` op after it): the condition still tests the call.
  it('`if ((ret = f()))` tests the call\'s result, remembered in ret', async () => {
    const fn = await only('int f(struct dev *d)\n{\n\tint ret;\n\tif ((ret = mutex_lock_interruptible(&d->m)))\n\t\treturn ret;\n\treturn 0;\n}\n');
    expect(firstOf(fn, 'if').cond).toMatchObject({ k: 'call', ev: { callee: 'mutex_lock_interruptible', assignTo: 'ret' }, test: P | N });
  });
});

describe('operations', () => {
  const set = (target: string, root: string, value: number): Record<string, unknown> => ({ k: 'set', target, root, value });
  const cases: { situation: string; src: string; ops: Record<string, unknown>[] }[] = [
    { situation: 'a constant assigned', src: 'got = 1;', ops: [set('got', 'got', P)] },
    { situation: 'NULL assigned', src: 'owner = NULL;', ops: [set('owner', 'owner', Z)] },
    { situation: 'an error code into a member', src: 'd->state = -EBUSY;', ops: [set('d->state', 'd', N)] },
    { situation: 'an increment', src: 'got++;', ops: [set('got', 'got', ANY)] },
    { situation: 'a decrement', src: '--got;', ops: [set('got', 'got', ANY)] },
    { situation: 'a compound assignment', src: 'got += 2;', ops: [set('got', 'got', ANY)] },
    { situation: 'a non-constant', src: 'got = d->n;', ops: [set('got', 'got', ANY)] },
    { situation: 'a call result (assignTo, no blind write)', src: 'ret = mutex_lock_interruptible(&d->m);', ops: [call('mutex_lock_interruptible', { assignTo: 'ret' })] },
    { situation: 'a cast call result', src: 'ret = (int)probe_dev(d);', ops: [call('probe_dev', { assignTo: 'ret' })] },
    { situation: '&v passed to a call may write v', src: 'fill(&got);', ops: [call('fill'), set('got', 'got', ANY)] },
    { situation: 'arguments are evaluated before the call', src: 'outer(inner(d), d);', ops: [call('inner'), call('outer')] },
    { situation: 'a call through a member evaluates its object first', src: 'ops_of(d)->start(d);', ops: [call('ops_of'), call('start')] },
  ];
  for (const c of cases) {
    it(c.situation, async () => {
      const src = `void f(struct dev *d)\n{\n\tint got = 0, ret;\n\tvoid *owner;\n\t${c.src}\n}\n`;
      const fn = await only(src);
      const stmts = topLevel(fn);
      const last = stmts[stmts.length - 1];
      expect(last?.k).toBe('ops');
      expect((last as { ops: Op[] }).ops).toMatchObject(c.ops.map((o) => ({ ...o, line: 5 })));
    });
  }

  it('declarations with initializers: a constant is a set, a call result an assignTo', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tint got = 0;\n\tint ret = setup(d);\n}\n');
    expect(opsUnder(fn.body)).toMatchObject([set('got', 'got', Z), call('setup', { assignTo: 'ret' })]);
  });

  // A stack lock passed by address is locked, not written as a value.
  it('&lock passed to a call is no write of it', async () => {
    const fn = await only('void f(void)\n{\n\tstruct mutex m;\n\tmutex_lock(&m);\n}\n');
    expect(opsUnder(fn.body)).toEqual([{ callee: 'mutex_lock', args: [path('m', [], '&m')], line: 4, discarded: true }]);
  });

  it('constant, literal and flag arguments', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tcfg(d, 1, NULL, -EINVAL, XFS_ILOCK_EXCL | XFS_IOLOCK_SHARED, 0x10, GFP_KERNEL, 0);\n}\n');
    const ev = callTo(fn, 'cfg');
    expect(ev.consts).toEqual({ 1: P, 2: Z, 3: N, 5: P, 7: Z });
    expect(ev.lits).toEqual({ 1: '1', 5: '0x10', 7: '0' });
    expect(ev.flags).toEqual({ 4: ['XFS_ILOCK_EXCL', 'XFS_IOLOCK_SHARED'], 6: ['GFP_KERNEL'] });
    // An identifier is an access path like any other: GFP_KERNEL could be a lock as far as lowering knows.
    expect(ev.args).toEqual([path('d', [], 'd'), null, null, null, null, null, path('GFP_KERNEL', [], 'GFP_KERNEL'), null]);
  });

  it('a lockdep subclass argument is kept as written', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tmutex_lock_nested(&d->m, SINGLE_DEPTH_NESTING);\n\tspin_lock_nested(&d->lock, 2);\n}\n');
    expect(callTo(fn, 'mutex_lock_nested').flags).toEqual({ 1: ['SINGLE_DEPTH_NESTING'] });
    expect(callTo(fn, 'spin_lock_nested').lits).toEqual({ 1: '2' });
  });

  it('a call without constant arguments carries no consts, lits or flags', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tspin_lock(&d->lock);\n}\n');
    expect(callTo(fn, 'spin_lock')).toEqual({ callee: 'spin_lock', args: [path('d', ['lock'], '&d->lock')], line: 3, discarded: true });
  });

  it('a call as a statement drops its result; one assigned, tested or nested does not', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tint r;\n\tget_buf(d);\n\t(void)get_buf2(d);\n\tr = get_buf3(d);\n\tif (get_buf4(d))\n\t\tr = 0;\n\tput(get_buf5(d));\n}\n');
    expect(callTo(fn, 'get_buf').discarded).toBe(true);
    expect(callTo(fn, 'get_buf2').discarded).toBe(true);
    for (const name of ['get_buf3', 'get_buf4', 'get_buf5']) expect(callTo(fn, name).discarded).toBeUndefined();
    expect(callTo(fn, 'put').discarded).toBe(true);
  });

  it('access paths: subscripts dropped, casts and call roots kept', async () => {
    const fn = await only([
      'void f(struct dev *d, void *v, int i)',
      '{',
      '\ta(&d->q[i].lock);',
      '\tb(&((struct dev *)v)->lock);',
      '\tc(&sb_info(d)->sem);',
      '\te(&container_of(v, struct dev, node)->lock);',
      '\tg(d->n * 2);',
      '\th(d->q + i - 1);',
      '\tk(i + 1);',
      '}',
      '',
    ].join('\n'));
    expect(callTo(fn, 'a').args[0]).toEqual(path('d', ['q', 'lock'], '&d->q[i].lock'));
    expect(callTo(fn, 'b').args[0]).toMatchObject({ root: 'v', fields: ['lock'], cast: 'dev' });
    expect(callTo(fn, 'c').args[0]).toEqual({ ...path('', ['sem'], '&sb_info(d)->sem'), rootCall: 'sb_info', rootArg: path('d', [], 'd') });
    expect(callTo(fn, 'e').args[0]).toMatchObject({ root: '', fields: ['lock'], cast: 'dev', rootCall: 'container_of' });
    expect(callTo(fn, 'g').args[0]).toBeNull();
    // Pointer arithmetic on a member is an element of it, as `&d->q[i - 1]` is; on a local, a number.
    expect(callTo(fn, 'h').args[0]).toEqual(path('d', ['q'], 'd->q+i-1'));
    expect(callTo(fn, 'k').args[0]).toBeNull();
  });

  // Paths keep one blank between words, for the names reports show.
  it('the text of a cast path keeps `struct` apart from its tag', async () => {
    const fn = await only('void f(void *v)\n{\n\tb(&((struct dev *)v)->lock);\n}\n');
    expect(callTo(fn, 'b').args[0]?.text).toContain('struct dev');
  });

  it('a negative number literal argument is negative', async () => {
    const fn = await only('void f(struct dev *d)\n{\n\tset_err(d, -1);\n}\n');
    expect(callTo(fn, 'set_err').consts).toEqual({ 1: N });
  });
});

describe('calls through pointers', () => {
  const src = [
    'struct dev_ops { int (*lock_dev)(struct dev *); };',
    'void f(struct dev *d, int (*cb)(struct dev *))',
    '{',
    '\td->ops->lock_dev(d);',
    '\td->ops_inline.start(d);',
    '\tcb(d);',
    '\t(*cb)(d);',
    '\thelper(d);',
    '}',
    '',
  ].join('\n');

  it('a call through a struct member names the object and the member, and whether the member is read with `.`', async () => {
    const fn = fnNamed(await lower(src), 'f');
    expect(callTo(fn, 'lock_dev').indirect).toEqual({ object: path('d', ['ops'], 'd->ops'), member: 'lock_dev' });
    expect(callTo(fn, 'start').indirect).toEqual({ object: path('d', ['ops_inline'], 'd->ops_inline'), member: 'start', dot: true });
  });

  it('a call through a function-pointer parameter has no object', async () => {
    const fn = fnNamed(await lower(src), 'f');
    expect(callsUnder(fn.body).filter((c) => c.callee === 'cb').map((c) => c.indirect)).toEqual([
      { object: null, member: 'cb' },
      { object: null, member: 'cb' },
    ]);
  });

  it('a direct call is not indirect', async () => {
    expect(callTo(fnNamed(await lower(src), 'f'), 'helper').indirect).toBeUndefined();
  });
});

describe('names a pasting macro makes', () => {
  const src = [
    '#define FNAME(name) paging64_##name',
    'static int FNAME(walk_addr)(struct walker *w, int addr);',
    'static int FNAME(fetch)(struct vcpu *v, int addr)',
    '{',
    '\tint r = FNAME(walk_addr)(&v->w, addr);',
    '\tPASTE(a, b)(v);',
    '\tREAD_ONCE(hook)(v);',
    '\tguard(mutex)(&v->lock);',
    '\treturn r;',
    '}',
    'static int *PASTE(a, b)(struct vcpu *v) { return 0; }',
    'void g(struct vcpu *v, int (*hook)(struct vcpu *)) { READ_ONCE(hook)(v); (*hook)(v); }',
    '',
  ].join('\n');

  it('a definition and a call through `FNAME(fetch)` are named by the macro and its words, without spaces', async () => {
    const facts = await lower(src);
    expect(facts.functions.map((f) => f.name)).toEqual(['FNAME(fetch)', 'PASTE(a,b)', 'g']);
    expect(facts.functions[0]?.params.map((p) => p.name)).toEqual(['v', 'addr']);
    expect(facts.prototypes.map((p) => p.name)).toContain('FNAME(walk_addr)');
    const calls = callsUnder(fnNamed(facts, 'FNAME(fetch)').body);
    expect(calls.map((c) => c.callee)).toEqual(['FNAME(walk_addr)', 'PASTE(a,b)', 'READ_ONCE(hook)', 'guard']);
    expect(callTo(fnNamed(facts, 'FNAME(fetch)'), 'FNAME(walk_addr)').args.map((a) => a?.text)).toEqual(['&v->w', 'addr']);
  });

  it('a macro of a variable reads a pointer: its call is the macro\'s as before, and `(*fn)(x)` is through the pointer', async () => {
    const calls = callsUnder(fnNamed(await lower(src), 'g').body);
    expect(calls.map((c) => [c.callee, c.indirect?.member ?? null])).toEqual([['READ_ONCE', null], ['hook', 'hook']]);
  });
});

describe('pointer stores', () => {
  it('designated initializers, nested ones, GNU `member: value`, and `&fn`, with the global they initialize', async () => {
    const facts = await lower([
      'struct dev_ops { int (*lock_dev)(struct dev *); void (*unlock_dev)(struct dev *); struct { void (*irq)(int); } hw; };',
      'static const struct dev_ops my_ops = {',
      '\t.lock_dev = my_lock,',
      '\t.unlock_dev = &my_unlock,',
      '\t.hw = { .irq = my_irq },',
      '};',
      'static struct dev_ops old_ops = { lock_dev: old_lock };',
      'static struct dev_ops positional = { pos_lock, pos_unlock };',
      '',
    ].join('\n'));
    expect(facts.pointerStores).toEqual([
      { tag: 'dev_ops', fields: ['lock_dev'], fn: 'my_lock', variable: 'my_ops' },
      { tag: 'dev_ops', fields: ['unlock_dev'], fn: 'my_unlock', variable: 'my_ops' },
      { tag: 'dev_ops', fields: ['hw', 'irq'], fn: 'my_irq', variable: 'my_ops' },
      { tag: 'dev_ops', fields: ['lock_dev'], fn: 'old_lock', variable: 'old_ops' },
    ]);
  });

  it('an initializer of a typedef\'d struct is stored under the typedef name', async () => {
    const facts = await lower('typedef struct dev_ops dev_ops_t;\nstatic dev_ops_t t_ops = { .lock_dev = t_lock };\n');
    expect(facts.pointerStores).toEqual([{ tag: 'dev_ops_t', fields: ['lock_dev'], fn: 't_lock', variable: 't_ops' }]);

  });

  it('a local initializer and `x->m = fn` in a function', async () => {
    const facts = await lower('void setup(struct dev *d)\n{\n\tstruct dev_ops o = { .lock_dev = local_lock };\n\td->ops.lock_dev = my_lock;\n\td->timer.function = on_timer;\n\td->n = count;\n}\n');
    expect(facts.pointerStores).toEqual([
      { tag: 'dev_ops', fields: ['lock_dev'], fn: 'local_lock', local: 'o', in: 'setup' },
      { path: path('d', ['ops', 'lock_dev'], 'd->ops.lock_dev'), in: 'setup', fn: 'my_lock' },
      { path: path('d', ['timer', 'function'], 'd->timer.function'), in: 'setup', fn: 'on_timer' },
      // An identifier that is no function is recorded too; the program keeps only stores of functions it has.
      { path: path('d', ['n'], 'd->n'), in: 'setup', fn: 'count' },
    ]);
  });
});

describe('function-like macros', () => {
  it('a #define that makes a call is a function over its parameters', async () => {
    const facts = await lower('#define dev_lock(d) spin_lock(&(d)->lock)\n#define dev_unlock(d) spin_unlock(&(d)->lock)\n');
    const fn = fnNamed(facts, 'dev_lock');
    expect(fn).toMatchObject({ isMacro: true, isStatic: false, line: 1, params: [{ name: 'd', type: { k: 'other' } }] });
    expect(opsUnder(fn.body)).toEqual([{ callee: 'spin_lock', args: [path('d', ['lock'], '&(d)->lock')], line: 1, returned: true }]);
    expect(facts.functions.map((f) => f.name)).toEqual(['dev_lock', 'dev_unlock']);
  });

  it('a multi-line do/while(0) macro keeps the lines of its calls', async () => {
    const facts = await lower('#define lock_both(a, b) do {\t\\\n\tspin_lock(a);\t\t\\\n\tspin_lock(b);\t\t\\\n} while (0)\n');
    const fn = fnNamed(facts, 'lock_both');
    expect(fn.params.map((p) => p.name)).toEqual(['a', 'b']);
    expect(callsUnder(fn.body).map((c) => [c.callee, c.args[0]?.text, c.line])).toEqual([['spin_lock', 'a', 2], ['spin_lock', 'b', 3]]);
  });

  // A macro body after a `\` continuation is lowered at its own line.
  it('a macro whose body starts on a continuation line cites the call\'s own line', async () => {
    const facts = await lower('int x;\n#define dev_unlock(d) \\\n\tspin_unlock(&(d)->lock)\n');
    expect(callTo(fnNamed(facts, 'dev_unlock'), 'spin_unlock').line).toBe(3);
  });

  it('a macro\'s endLine is its last line', async () => {
    const facts = await lower('#define dev_lock(d) spin_lock(&(d)->lock)\nint x;\n');
    expect(fnNamed(facts, 'dev_lock').endLine).toBe(1);
  });

  it('variadic macros name their arguments __VA_ARGS__', async () => {
    const facts = await lower('#define dbg_lock(...) trace_lock(__VA_ARGS__)\n');
    expect(fnNamed(facts, 'dbg_lock').params.map((p) => p.name)).toEqual(['__VA_ARGS__']);
  });

  const leftOut: { situation: string; src: string }[] = [
    { situation: 'no call in the body', src: '#define dev_index(d) ((d)->id + 1)\n' },
    { situation: 'token pasting', src: '#define DEV_LOCK(x) x##_lock(dev)\n' },
    { situation: 'a body that opens a block it does not close', src: '#define begin_locked(l) spin_lock(l); do {\n' },
    { situation: 'a body that closes a block it did not open', src: '#define end_locked(l) } while (0); spin_unlock(l)\n' },
    { situation: 'an object-like macro', src: '#define DEV_LOCK spin_lock(&dev_lock)\n' },
  ];
  for (const c of leftOut) {
    it(`left out: ${c.situation}`, async () => {
      expect((await lower(c.src)).functions).toEqual([]);
    });
  }
});

describe('included .c files', () => {
  const src = '#include <linux/sched.h>\n#include "sched_fair.c"\n#ifdef CONFIG_RT\n# include "../lib/rt.c"\n#endif\n#include "sched.h"\n';

  it('are resolved against the including file, relative paths staying relative', async () => {
    expect((await lower(src, 'kernel/sched.c')).includesC).toEqual(['kernel/sched_fair.c', 'lib/rt.c']);
  });

  it('and absolute ones absolute (the benchmark reads a tree by absolute paths)', async () => {
    expect((await lower(src, '/src/linux/kernel/sched.c')).includesC).toEqual(['/src/linux/kernel/sched_fair.c', '/src/linux/lib/rt.c']);
  });

  it('a file that includes no .c file says nothing', async () => {
    expect((await lower('#include "sched.h"\nint x;\n', 'kernel/a.c')).includesC).toBeUndefined();
  });
});

describe('file-level facts', () => {
  it('prototypes and definitions with their return types and parameters', async () => {
    const facts = await lower([
      'struct sb_info *sb_info(struct super_block *sb);',
      'dev_t *get_dev(int id);',
      'int plain(void);',
      'static inline spinlock_t *dev_lockp(struct dev *d)',
      '{',
      '\treturn &d->lock;',
      '}',
      'void take_cb(void (*fn)(int), struct mutex *m);',
      '',
    ].join('\n'));
    expect(facts.prototypes).toEqual([
      { name: 'sb_info', returns: { k: 'struct', name: 'sb_info' }, params: [{ name: 'sb', type: { k: 'struct', name: 'super_block', ptr: true } }] },
      { name: 'get_dev', returns: { k: 'typedef', name: 'dev_t' }, params: [{ name: 'id', type: { k: 'other', name: '' } }] },
      { name: 'plain', returns: { k: 'other', name: '' }, params: [] },
      { name: 'dev_lockp', returns: { k: 'lock', name: 'spinlock' }, params: [{ name: 'd', type: { k: 'struct', name: 'dev', ptr: true } }] },
      { name: 'take_cb', returns: { k: 'other', name: '' }, params: [{ name: 'fn', type: { k: 'fn', name: '' } }, { name: 'm', type: { k: 'lock', name: 'mutex', ptr: true } }] },
    ]);
    expect(fnNamed(facts, 'dev_lockp')).toMatchObject({ isStatic: true, line: 4, endLine: 7 });
  });

  it('a prototype carries its sparse annotations; so does the definition', async () => {
    const facts = await lower('void lock_dev(struct dev *d) __acquires(&d->lock);\nvoid unlock_dev(struct dev *d) __releases(&d->lock)\n{\n\tspin_unlock(&d->lock);\n}\n');
    expect(facts.prototypes.find((p) => p.name === 'lock_dev')?.annotations).toEqual([{ k: 'acquires', arg: '&d->lock' }]);
    expect(fnNamed(facts, 'unlock_dev').annotations).toEqual([{ k: 'releases', arg: '&d->lock' }]);
    expect(facts.skipped).toEqual([]);
  });

  it('globals: static or not, lock types, structs, function pointers', async () => {
    const facts = await lower([
      'static spinlock_t stat_lock;',
      'spinlock_t glob_lock;',
      'struct bar the_bar;',
      'extern struct bar ext_bar;',
      'static void (*hook)(void);',
      'static struct mutex m1, m2;',
      '',
    ].join('\n'));
    expect(facts.globals).toEqual({
      stat_lock: { type: { k: 'lock', name: 'spinlock' }, isStatic: true },
      glob_lock: { type: { k: 'lock', name: 'spinlock' }, isStatic: false },
      the_bar: { type: { k: 'struct', name: 'bar' }, isStatic: false },
      ext_bar: { type: { k: 'struct', name: 'bar' }, isStatic: false },
      hook: { type: { k: 'fn', name: '' }, isStatic: true },
      m1: { type: { k: 'lock', name: 'mutex' }, isStatic: true },
      m2: { type: { k: 'lock', name: 'mutex' }, isStatic: true },
    });
  });

  it('DEFINE_* locks at file scope, static or not', async () => {
    const facts = await lower('static DEFINE_SPINLOCK(file_lock);\nDEFINE_MUTEX(global_mutex);\nstatic DECLARE_RWSEM(file_sem);\nstatic DEFINE_RAW_SPINLOCK(raw_lock);\nDEFINE_SEQLOCK(seq);\n');
    expect(facts.lockDefs).toEqual({
      file_lock: { kind: 'spinlock', isStatic: true },
      global_mutex: { kind: 'mutex', isStatic: false },
      file_sem: { kind: 'rwsem', isStatic: true },
      raw_lock: { kind: 'raw_spinlock', isStatic: true },
      seq: { kind: 'spinlock', isStatic: false },
    });
    expect(facts.globals).toEqual({});
  });

  it('a function-static DEFINE_* is the function\'s own lock', async () => {
    const facts = await lower('void f(void)\n{\n\tstatic DEFINE_MUTEX(once_lock);\n\tmutex_lock(&once_lock);\n}\n');
    expect(fnNamed(facts, 'f').staticLocks).toEqual({ once_lock: 'mutex' });
    expect(facts.lockDefs).toEqual({});
  });

  it('struct layouts: lock members, pointers to structs, function pointers, typedefs', async () => {
    const facts = await lower([
      'typedef struct nbq nbq_t;',
      'typedef spinlock_t my_lock_t;',
      'struct nbd {',
      '\tspinlock_t lock;',
      '\tstruct mutex m;',
      '\tstruct nbq *q;',
      '\tnbq_t *tq;',
      '\tmy_lock_t tl;',
      '\tint (*cb)(int);',
      '\tint n, k;',
      '};',
      '',
    ].join('\n'));
    expect(facts.typedefs).toEqual({ nbq_t: { k: 'struct', name: 'nbq' }, my_lock_t: { k: 'lock', name: 'spinlock' } });
    expect(facts.structs).toEqual([{
      tag: 'nbd',
      fields: {
        lock: { k: 'lock', name: 'spinlock' }, m: { k: 'lock', name: 'mutex' }, q: { k: 'struct', name: 'nbq', ptr: true }, tq: { k: 'typedef', name: 'nbq_t', ptr: true },
        tl: { k: 'typedef', name: 'my_lock_t' }, cb: { k: 'fn', name: '' }, n: { k: 'other', name: '' }, k: { k: 'other', name: '' },
      },
    }]);
  });

  it('anonymous structs are named by file and line; unnamed members are flattened; named ones get outer.member', async () => {
    const facts = await lower([
      'static struct {',
      '\tspinlock_t lock;',
      '} state;',
      'struct outer {',
      '\tstruct {',
      '\t\tspinlock_t ilock;',
      '\t};',
      '\tstruct {',
      '\t\tstruct mutex m;',
      '\t} inner;',
      '};',
      '',
    ].join('\n'), 'drivers/x/state.c');
    expect(facts.globals.state).toEqual({ type: { k: 'struct', name: '<anon state.c:1>' }, isStatic: true });
    const byTag = Object.fromEntries(facts.structs.map((s) => [s.tag, s.fields]));
    expect(byTag['<anon state.c:1>']).toEqual({ lock: { k: 'lock', name: 'spinlock' } });
    expect(byTag.outer).toEqual({ ilock: { k: 'lock', name: 'spinlock' }, inner: { k: 'struct', name: 'outer.inner' } });
    expect(byTag['outer.inner']).toEqual({ m: { k: 'lock', name: 'mutex' } });
  });

  it('#ifdef config on definitions: #ifdef, #ifndef, #else, #if defined(), #elif', async () => {
    const facts = await lower([
      '#ifdef CONFIG_SMP',
      'void g(void) { a(); }',
      '#else',
      'void g(void) { b(); }',
      '#endif',
      '#ifndef CONFIG_X',
      'void h(void) { a(); }',
      '#endif',
      '#if defined(CONFIG_Y)',
      'void i(void) { a(); }',
      '#elif CONFIG_Z',
      'void i(void) { b(); }',
      '#endif',
      '#ifdef CONFIG_OUTER',
      '#ifdef CONFIG_INNER',
      'void j(void) { a(); }',
      '#endif',
      '#endif',
      'void k(void) { a(); }',
      '',
    ].join('\n'));
    expect(facts.functions.map((f) => [f.name, f.config])).toEqual([
      ['g', ['CONFIG_SMP']],
      ['g', ['!CONFIG_SMP']],
      ['h', ['!CONFIG_X']],
      ['i', ['CONFIG_Y']],
      ['i', ['!CONFIG_Y', 'CONFIG_Z']],
      ['j', ['CONFIG_OUTER', 'CONFIG_INNER']],
      ['k', undefined],
    ]);
  });
});

describe('what locals hold', () => {
  const src = [
    'struct sess { spinlock_t lock; struct conn *c; };',
    'void f(struct sess *s, struct task_struct *tsk, struct list_head *n)',
    '{',
    '\tspinlock_t *l = &s->lock;',
    '\tstruct obj *obj;',
    '\tstruct conn *c = container_of(n, struct conn, node);',
    '\tstruct conn *both;',
    '\tstruct sighand_struct *sh = tsk->sighand;',
    '\tint count = 0;',
    '\tobj = obj_alloc();',
    '\tboth = s->c;',
    '\tboth = conn_new();',
    '\tspin_lock(l);',
    '}',
    '',
  ].join('\n');

  it('a local assigned one access path is an alias of it', async () => {
    const fn = fnNamed(await lower(src), 'f');
    expect(fn.aliases).toEqual({ l: path('s', ['lock'], '&s->lock'), sh: path('tsk', ['sighand'], 'tsk->sighand') });
  });

  // `obj = obj_alloc()`: a new object, whose locks are not the caller's.
  it('a local only assigned call results is fresh; an accessor result (container_of) is not', async () => {
    const fn = fnNamed(await lower(src), 'f');
    expect(fn.fresh).toEqual(['obj']);
  });

  it('parameters and locals are typed; pointers marked', async () => {
    const fn = fnNamed(await lower(src), 'f');
    expect(fn.vars).toMatchObject({
      s: { k: 'struct', name: 'sess', ptr: true },
      l: { k: 'lock', name: 'spinlock', ptr: true },
      c: { k: 'struct', name: 'conn', ptr: true },
      count: { k: 'other', name: '' },
    });
  });

  // A layout missing from the snapshot (task_struct lives in a header) learnt from use.
  it('member types learnt from assignments to struct-typed locals', async () => {
    const facts = await lower(src);
    expect(facts.memberTypes).toMatchObject([
      { path: path('tsk', ['sighand'], 'tsk->sighand'), in: 'f', type: { k: 'struct', name: 'sighand_struct' } },
      { path: path('s', ['c'], 's->c'), in: 'f', type: { k: 'struct', name: 'conn' } },
    ]);
  });

  it('no member type from a non-struct local', async () => {
    expect((await lower('void f(struct sess *s)\n{\n\tint n = s->count;\n\tuse(n);\n}\n')).memberTypes).toEqual([]);
  });
});

describe('enumerators', () => {
  it('records each enumerator with the value its declaration gives, or null where it cannot tell', async () => {
    const facts = await lower('typedef enum { eOn, eOff = 4, eDown, eAlias = eOff, eOdd = FOO, eAfter } state_t;\nenum other { LOW = -1, MID };\n');
    expect(facts.namedConstants).toEqual({ eOn: 0, eOff: 4, eDown: 5, eAlias: 4, eOdd: null, eAfter: null, LOW: -1, MID: 0 });
  });

  it('reads a null pointer macro as 0 and a cast all-ones macro as its unsigned value', async () => {
    const facts = await lower('#define IM_NULL NULL\n#define NIL ((void *)0)\n#define INFINITE ((gctUINT32) ~0U)\n#define ALL (~0UL)\n#define MINUS ((int) -1)\n');
    expect(facts.namedConstants).toEqual({ IM_NULL: 0, NIL: 0, INFINITE: 0xffffffff, ALL: 0xffffffff, MINUS: -1 });
  });

  it('records object-like macros of an integer value as constants, and every macro name as defined', async () => {
    const facts = await lower('#define OFF 0\n#define SLOTS (16) /* max */\n#define NO false\n#define NAME foo\n#define TWICE 1\n#define TWICE 2\n#define CALL(x) (0)\n#define EMPTY\n');
    expect(facts.namedConstants).toEqual({ OFF: 0, SLOTS: 16, NO: 0, TWICE: null });
    expect(facts.defines?.sort()).toEqual(['CALL', 'EMPTY', 'NAME', 'NO', 'OFF', 'SLOTS', 'TWICE']);
  });

  it('lowers a case label of any spelling as a constant, and a store of a name that is no variable as a name', async () => {
    const fn = await only('void f(int st)\n{\n\tint to = eOff;\n\tswitch (st) {\n\tcase eOn:\n\t\ton();\n\t\tbreak;\n\t}\n\tto = eDown;\n\tgo(to);\n}\n');
    const sw = firstOf(fn, 'switch');
    expect(sw.tests?.[0]).toMatchObject({ k: 'atom', key: 'eOn<=>st', reads: ['st'], memory: false });
    expect(opsUnder(fn.body).filter((o) => o.k === 'set')).toMatchObject([{ target: 'to', name: 'eOff' }, { target: 'to', name: 'eDown' }]);
  });
});
