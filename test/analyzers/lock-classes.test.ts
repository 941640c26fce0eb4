/**
 * Lock class resolution (locks/lock-classes.ts) over a Program of lowered snippets, and the
 * names reports give the classes (classNames in analysis-json.ts). Two expressions get one class
 * exactly when lockdep would give them one; a class wrongly split hides an inversion, a class
 * wrongly merged invents one.
 */
import { describe, expect, it } from 'vitest';
import { classNames } from '../../src/analyzers/analysis-json.ts';
import type { Program } from '../../src/analyzers/c/program.ts';
import { LockClasses } from '../../src/analyzers/locks/lock-classes.ts';
import type { LockRef } from '../../src/analyzers/locks/lock-ref.ts';
import { callsUnder, entryOf, programOf } from './c-snippets.ts';

const HEADER = [
  'struct nbq_queue { spinlock_t qlock; };',
  'typedef struct nbq_queue nbq_t;',
  'typedef spinlock_t my_lock_t;',
  'struct nbd { struct nbq_queue *q; nbq_t *tq; struct mutex m; spinlock_t lock; my_lock_t tl; };',
  'typedef struct nbd nbd_t;',
  'struct sb_info { struct rw_semaphore sem; };',
  'struct sb_info *sb_info(struct super_block *sb);',
  'struct only_here { struct rw_semaphore uniq_sem; };',
  'static DEFINE_SPINLOCK(file_lock);',
  'DEFINE_MUTEX(glob_mutex);',
  'static spinlock_t stat_lock;',
  'spinlock_t glob_lock;',
  'struct nbd the_nbd;',
  'static struct nbd stat_nbd;',
].join('\n');

const PARAMS = 'struct nbd *d, spinlock_t *pl, nbd_t *td, void *v, struct unknown *u, struct list_head *n';

/**
 * Resolves `expr` as the lock argument of a call in a function with the parameters above, in
 * drivers/x/a.c, next to other files of the program.
 */
async function resolveIn(exprs: string[], locals = '', others: Record<string, string> = {}): Promise<(LockRef | null)[]> {
  const body = exprs.map((e) => `\ttake(${e});`).join('\n');
  const program = await programOf({ 'drivers/x/a.c': `${HEADER}\nvoid f(${PARAMS})\n{\n${locals}${body}\n}\n`, ...others });
  const entry = entryOf(program, 'f');
  const classes = new LockClasses(program);
  return callsUnder(entry.fn.body)
    .filter((c) => c.callee === 'take')
    .map((c) => (c.args[0] ? classes.resolve(c.args[0], entry) : null));
}

async function resolveOne(expr: string, locals = '', others: Record<string, string> = {}): Promise<LockRef | null> {
  const [r] = await resolveIn([expr], locals, others);
  return r ?? null;
}

const cls = (c: string, provenance: string, kind: string | undefined, text: string): LockRef => ({ c, provenance, kind, text }) as LockRef;

describe('globals', () => {
  const cases: { situation: string; expr: string; want: LockRef }[] = [
    // One class per file: two drivers' `static DEFINE_SPINLOCK(lock)` are two locks.
    { situation: 'a file-static DEFINE_SPINLOCK is keyed by its file', expr: '&file_lock', want: cls('file_lock@drivers:x:a.c', 'static', 'spinlock', 'file_lock') },
    { situation: 'a global DEFINE_MUTEX is its name', expr: '&glob_mutex', want: cls('glob_mutex', 'global', 'mutex', 'glob_mutex') },
    { situation: 'a static spinlock_t variable is keyed by its file', expr: '&stat_lock', want: cls('stat_lock@drivers:x:a.c', 'static', 'spinlock', 'stat_lock') },
    { situation: 'a global spinlock_t variable is its name', expr: '&glob_lock', want: cls('glob_lock', 'global', 'spinlock', 'glob_lock') },
    { situation: 'a global declared in another file of the program', expr: '&other_lock', want: cls('other_lock', 'global', 'spinlock', 'other_lock') },
    // Declared in a header outside the snapshot: the name is the class, its kind unknown.
    { situation: 'a name declared nowhere in the snapshot', expr: '&undeclared_lock', want: cls('undeclared_lock', 'global', undefined, 'undeclared_lock') },
  ];
  for (const c of cases) {
    it(c.situation, async () => {
      expect(await resolveOne(c.expr, '', { 'drivers/y/b.c': 'spinlock_t other_lock;\n' })).toEqual(c.want);
    });
  }

  it('a file static shadows a global of the same name only in its own file', async () => {
    const program = await programOf({
      'drivers/x/a.c': 'static DEFINE_SPINLOCK(dup);\nvoid fa(void) { spin_lock(&dup); }\n',
      'drivers/y/b.c': 'DEFINE_SPINLOCK(dup);\nvoid fb(void) { spin_lock(&dup); }\n',
    });
    const classes = new LockClasses(program);
    const at = (fn: string): LockRef | null => {
      const e = entryOf(program, fn);
      const [ev] = callsUnder(e.fn.body);
      return ev?.args[0] ? classes.resolve(ev.args[0], e) : null;
    };
    expect(at('fa')).toEqual(cls('dup@drivers:x:a.c', 'static', 'spinlock', 'dup'));
    expect(at('fb')).toEqual(cls('dup', 'global', 'spinlock', 'dup'));
  });
});

describe('fields', () => {
  const cases: { situation: string; expr: string; want: LockRef | null; locals?: string }[] = [
    { situation: 'a member of a global struct', expr: '&the_nbd.lock', want: cls('nbd.lock', 'field', 'spinlock', 'the_nbd.lock') },
    { situation: 'a member of a file-static struct is still the struct\'s class', expr: '&stat_nbd.m', want: cls('nbd.m', 'field', 'mutex', 'stat_nbd.m') },
    { situation: 'a member through a struct pointer parameter', expr: '&d->lock', want: cls('nbd.lock', 'field', 'spinlock', 'd->lock') },
    { situation: 'through member types', expr: '&d->q->qlock', want: cls('nbq_queue.qlock', 'field', 'spinlock', 'd->q->qlock') },
    { situation: 'through a typedef\'d parameter', expr: '&td->m', want: cls('nbd.m', 'field', 'mutex', 'td->m') },
    { situation: 'through a typedef\'d member', expr: '&d->tq->qlock', want: cls('nbq_queue.qlock', 'field', 'spinlock', 'd->tq->qlock') },
    { situation: 'a member of a typedef\'d lock type has the lock\'s kind', expr: '&d->tl', want: cls('nbd.tl', 'field', 'spinlock', 'd->tl') },

    { situation: 'container_of names the struct', expr: '&container_of(n, struct nbd, node)->lock', want: cls('nbd.lock', 'field', 'spinlock', 'container_of(n,nbd,node)->lock') },
    { situation: 'a local assigned container_of has its declared type', expr: '&c->m', locals: '\tstruct nbd *c = container_of(n, struct nbd, node);\n', want: cls('nbd.m', 'field', 'mutex', 'c->m') },
    // The owner's layout is known by tag only: the last hop needs no more.
    { situation: 'a member of a struct whose layout the snapshot lacks', expr: '&u->lock', want: cls('unknown.lock', 'field', undefined, 'u->lock') },
  ];
  for (const c of cases) {
    it(c.situation, async () => {
      expect(await resolveOne(c.expr, c.locals)).toEqual(c.want);
    });
  }

  // The text of a cast path is display only (and loses its blanks: see lower.test.ts).
  it('a cast names the struct', async () => {
    expect(await resolveOne('&((struct nbd *)v)->m')).toMatchObject({ c: 'nbd.m', provenance: 'field', kind: 'mutex' });
  });

  it('a cast of the whole value leaves the holder its own: `(struct semaphore *)d->q` is nbd.q', async () => {
    expect(await resolveOne('(struct semaphore *)d->q')).toMatchObject({ c: 'nbd.q', provenance: 'field' });
    expect(await resolveOne('(struct semaphore *)((struct nbd *)v)->q')).toMatchObject({ c: 'nbd.q', provenance: 'field' });
  });
});

describe('call results', () => {
  it('the prototype\'s return type names the struct', async () => {
    expect(await resolveOne('&sb_info(sb)->sem')).toEqual(cls('sb_info.sem', 'field', 'rwsem', 'sb_info(sb)->sem'));
  });

  it('without a prototype, the one struct having the member chain owns it (inferred)', async () => {
    expect(await resolveOne('&nbd_of(x)->q->qlock')).toEqual(cls('nbq_queue.qlock', 'inferred', 'spinlock', 'nbd_of(x)->q->qlock'));
  });

  // A lone `->uniq_sem` is never pinned on a guess, even when one struct has such a member.
  it('without a prototype, a single member names no class', async () => {
    expect(await resolveOne('&get_thing(x)->uniq_sem')).toBeNull();
  });

  it('a call result itself (no member) is no class', async () => {
    expect(await resolveOne('lock_of(x)')).toBeNull();
  });
});

describe('aliases, parameters and locals', () => {
  it('a local assigned &s->lock is that lock', async () => {
    expect(await resolveOne('l', '\tspinlock_t *l = &d->lock;\n')).toEqual(cls('nbd.lock', 'field', 'spinlock', 'd->lock'));
  });

  it('an alias of a struct pointer parameter, followed by a member', async () => {
    expect(await resolveOne('&o->lock', '\tstruct nbd *o = d;\n')).toEqual(cls('nbd.lock', 'field', 'spinlock', 'o->lock'));
  });

  // The caller's argument decides: `void put_locked(spinlock_t *l)` takes whatever it is given.
  it('a lock pointer parameter is a parameter reference', async () => {
    expect(await resolveOne('pl')).toEqual({ p: 1, fields: [], text: 'pl' });
  });

  it('a member chain under an untyped parameter is a parameter reference with fields', async () => {
    expect(await resolveOne('&v->q->qlock')).toEqual({ p: 3, fields: ['q', 'qlock'], text: 'v->q->qlock' });
  });

  it('an alias of a parameter is a parameter reference', async () => {
    expect(await resolveOne('l', '\tspinlock_t *l = pl;\n')).toEqual({ p: 1, fields: [], text: 'pl' });
  });

  // Never a class named after a local: reported as unknown instead.
  it('a local lock pointer of unknown origin is null', async () => {
    expect(await resolveOne('loose', '\tspinlock_t *loose;\n\tloose = pick_lock(d);\n')).toBeNull();
  });

  it('a local assigned two different locks is null', async () => {
    expect(await resolveOne('l', '\tspinlock_t *l = &d->lock;\n\tif (d->n)\n\t\tl = &the_nbd.lock;\n')).toBeNull();
  });

  it('a function-static lock is keyed by file and function', async () => {
    expect(await resolveOne('&once', '\tstatic DEFINE_MUTEX(once);\n')).toEqual(cls('once@drivers:x:a.c#f', 'static', 'mutex', 'once'));
  });
});

describe('current and unknown layouts', () => {
  // task_struct lives in a header the snapshot rarely has: the last two members name the class.
  it('current->files->file_lock without task_struct\'s layout is the two-member suffix', async () => {
    expect(await resolveOne('&current->files->file_lock')).toEqual(cls('files->file_lock', 'path', undefined, 'current->files->file_lock'));
  });

  // The members lockscope knows of the kernel's core structs name the class without the headers.
  it('current->sighand->siglock without the layouts is sighand_struct\'s siglock', async () => {
    expect(await resolveOne('&current->sighand->siglock')).toEqual(cls('sighand_struct.siglock', 'field', 'spinlock', 'current->sighand->siglock'));
  });

  it('current is a task_struct: with the layouts, the class is the member\'s', async () => {
    const layouts = 'struct sighand_struct { spinlock_t siglock; };\nstruct task_struct { struct sighand_struct *sighand; };\n';
    expect(await resolveOne('&current->sighand->siglock', '', { 'include/sched.h': layouts })).toEqual(cls('sighand_struct.siglock', 'field', 'spinlock', 'current->sighand->siglock'));
  });

  // `struct sighand_struct *sh = tsk->sighand;` somewhere in the program completes task_struct.
  it('a member type learnt from an assignment completes a layout', async () => {
    const learnt = 'struct sighand_struct { spinlock_t siglock; };\nvoid g(struct task_struct *tsk)\n{\n\tstruct sighand_struct *sh = tsk->sighand;\n\tuse(sh);\n}\n';
    expect(await resolveOne('&current->sighand->siglock', '', { 'kernel/signal.c': learnt })).toEqual(cls('sighand_struct.siglock', 'field', 'spinlock', 'current->sighand->siglock'));
  });

  // `&base->cpu_base->lock` and `&timer->base->cpu_base->lock` are both `cpu_base->lock` to lockdep.
  it('a longer chain through unknown layouts keeps its last two members', async () => {
    expect(await resolveOne('&u->a->b->lock')).toEqual(cls('b->lock', 'path', undefined, 'u->a->b->lock'));
  });

  it('a chain under an undeclared root is kept as written', async () => {
    expect(await resolveOne('&undeclared->x.lock')).toEqual(cls('undeclared.x.lock', 'path', undefined, 'undeclared->x.lock'));
  });

  it('an unknown owner with a member chain one struct has is that struct\'s (inferred)', async () => {
    expect(await resolveOne('&u->inner->q->qlock')).toEqual(cls('nbq_queue.qlock', 'inferred', 'spinlock', 'u->inner->q->qlock'));
  });
});

describe('classNames', () => {
  const names = (keys: string[]): string[] => [...classNames(keys).values()];

  it('unique names are kept as they are', () => {
    expect(names(['nbd.lock', 'glob_mutex', 'file_lock@drivers:x:a.c', 'once@drivers:x:a.c#probe'])).toEqual(['nbd.lock', 'glob_mutex', 'file_lock', 'once']);
  });

  // Two drivers' `static DEFINE_SPINLOCK(lock)`: lockdep would print `lock` and `lock#2`.
  it('clashing file statics are qualified by file', () => {
    expect(names(['lock@drivers:x:debugfs.c', 'lock@drivers:x:core.c', 'other@drivers:x:core.c'])).toEqual(['lock (debugfs.c)', 'lock (core.c)', 'other']);
  });

  it('same file name in two directories: qualified by path', () => {
    expect(names(['lock@drivers:x:main.c', 'lock@drivers:y:main.c'])).toEqual(['lock (drivers/x/main.c)', 'lock (drivers/y/main.c)']);
  });

  it('a function static clashing with a file static is qualified by function', () => {
    expect(names(['lock@drivers:x:a.c', 'lock@drivers:x:a.c#probe'])).toEqual(['lock (a.c)', 'lock (probe())']);
  });

  it('a function static or unnamed lock of a pasted function (`FNAME(fetch)`) is qualified by that name', () => {
    expect(names(['lock@drivers:x:a.c', 'lock@drivers:x:a.c#FNAME(fetch)', '?spinlock#FNAME(fetch):&v->l'])).toEqual(['lock (a.c)', 'lock (FNAME(fetch)())', '&v->l (unnamed spinlock in FNAME(fetch)())']);
  });

  it('a global keeps its name next to a file static of the same name', () => {
    expect(names(['lock', 'lock@drivers:x:a.c'])).toEqual(['lock', 'lock (a.c)']);
  });

  it('subclasses keep their suffix and do not count as a clash', () => {
    expect(names(['inode.i_mutex', 'inode.i_mutex/1', 'inode.i_mutex/I_MUTEX_PARENT', 'lock@a.c', 'lock@a.c/1'])).toEqual([
      'inode.i_mutex', 'inode.i_mutex/1', 'inode.i_mutex/I_MUTEX_PARENT', 'lock', 'lock/1',
    ]);
    expect(names(['lock@a.c/1', 'lock@b.c'])).toEqual(['lock (a.c)/1', 'lock (b.c)']);
  });

  it('inferred keys over another class name the inner class by its plain name', () => {
    expect(names(['hw_lock(lockdep_lock@kernel:lockdep.c)', 'lockdep_lock@kernel:lockdep.c', 'hw_lock'])).toEqual(['hw_lock(lockdep_lock)', 'lockdep_lock', 'hw_lock']);
  });

  // Inferred keys over two files' statics (`hw_lock(&lock)` in x/a.c and in y/b.c) are two classes, two names.
  it('inferred keys over clashing statics are told apart', () => {
    const shown = names(['hw_lock(lock@p:x:a.c)', 'hw_lock(lock@p:y:b.c)']);
    expect(new Set(shown).size).toBe(2);
  });

  it('atomic regions and contexts are named in words', () => {
    expect(names(['@hardirq-off', '@softirq-off', '@preempt-off', '@rcu', '@hardirq', '@softirq'])).toEqual([
      'irqs-disabled', 'softirqs-disabled', 'preemption-disabled', 'rcu_read_lock', 'hardirq-context', 'softirq-context',
    ]);
  });

  it('a key given twice is named once', () => {
    expect([...classNames(['nbd.lock', 'nbd.lock']).entries()]).toEqual([['nbd.lock', 'nbd.lock']]);
  });

  // End to end: resolution keys from two files, named for a report.
  it('two files\' static locks of one name, resolved and named', async () => {
    const program: Program = await programOf({
      'drivers/x/core.c': 'static DEFINE_MUTEX(lock);\nvoid a(void) { mutex_lock(&lock); }\n',
      'drivers/x/debugfs.c': 'static DEFINE_MUTEX(lock);\nvoid b(void) { mutex_lock(&lock); }\n',
    });
    const classes = new LockClasses(program);
    const keys = ['a', 'b'].map((fn) => {
      const e = entryOf(program, fn);
      const [ev] = callsUnder(e.fn.body);
      const r = ev?.args[0] ? classes.resolve(ev.args[0], e) : null;
      return r && 'c' in r ? r.c : '';
    });
    expect(keys).toEqual(['lock@drivers:x:core.c', 'lock@drivers:x:debugfs.c']);
    expect(names(keys)).toEqual(['lock (core.c)', 'lock (debugfs.c)']);
  });
});
