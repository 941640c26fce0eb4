/**
 * `lockscope analyze --by-directory` (commands/analyze-tree.ts): a tree analysed directory by
 * directory reports each directory's own inversions as its analysis does (its filters kept) and
 * its findings of the other kinds, the
 * cycles whose orders are made in several directories (marked with them), and leaves out a
 * cycle only witnesses under two arch/ directories make. A second run reads the directories'
 * graphs from the cache and says the same.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countCFiles } from '../../src/commands/analyze-tree.ts';
import { wantsByDirectory } from '../../src/commands/analyze.ts';
import type { AnalysisJson } from '../../src/analyzers/report-types.ts';
import { cli } from './run-cli.ts';
import { writeTree } from './write-tree.ts';

// Exported: a function nothing in the tree mentions or exports is dead code, as analysing its directory alone says.
const nest = (fn: string, outer: string, inner: string, op = 'mutex'): string =>
  `void ${fn}(struct foo *f, struct bar *b, struct pix *p, struct quo *q, struct baz *z, struct qux *u)\n{\n\t${op}_lock(${outer});\n\t${op}_lock(${inner});\n\t${op}_unlock(${inner});\n\t${op}_unlock(${outer});\n}\nEXPORT_SYMBOL(${fn});\n`;

const TREE: Record<string, string> = {
  Makefile: 'obj-y += one/ two/ three/ four/ five/ six/ seven/ arch/\n',
  Kconfig: 'mainmenu "test"\n',
  'include/linux/shared.h': 'struct foo { struct mutex a; };\nstruct bar { struct mutex b; };\nstruct pix { spinlock_t x; };\nstruct quo { spinlock_t y; };\nstruct baz { struct mutex c; };\nstruct qux { struct mutex d; };\n',
  // foo.a -> bar.b here, bar.b -> foo.a there: neither directory sees a cycle.
  'one/Makefile': 'obj-y += x.o\n',
  'one/x.c': `#include <linux/shared.h>\n${nest('one_path', '&f->a', '&b->b')}`,
  'two/Makefile': 'obj-y += y.o\n',
  'two/y.c': `#include <linux/shared.h>\n${nest('two_path', '&b->b', '&f->a')}`,
  // A directory's own inversion.
  'three/Makefile': 'obj-y += z.o\n',
  'three/z.c': `#include <linux/shared.h>\nstatic DEFINE_MUTEX(m1);\nstatic DEFINE_MUTEX(m2);\n${nest('z_one', '&m1', '&m2')}${nest('z_two', '&m2', '&m1')}`,
  // One its analysis leaves out (two builds that exclude each other): the join must not say it.
  'four/Makefile': 'obj-y += w.o\n',
  'four/w.c': `#include <linux/shared.h>\nstatic DEFINE_MUTEX(w1);\nstatic DEFINE_MUTEX(w2);\n#ifdef CONFIG_W\n${nest('w_one', '&w1', '&w2')}#else\n${nest('w_two', '&w2', '&w1')}#endif\n`,
  // baz.c -> qux.d here and the other way there, but lockdep gives baz.c a class per key object.
  'five/Makefile': 'obj-y += v.o\n',
  'five/v.c': `#include <linux/shared.h>\nvoid baz_init(struct baz *z, struct lock_class_key *key)\n{\n\tmutex_init(&z->c);\n\tlockdep_set_class(&z->c, key);\n}\nEXPORT_SYMBOL(baz_init);\n${nest('five_path', '&z->c', '&u->d')}`,
  'six/Makefile': 'obj-y += u.o\n',
  'six/u.c': `#include <linux/shared.h>\n${nest('six_path', '&u->d', '&z->c')}`,
  // A finding of another kind: sleeping under a spinlock.
  'seven/Makefile': 'obj-y += s.o\n',
  'seven/s.c': `#include <linux/shared.h>\nvoid seven_path(struct pix *p)\n{\n\tspin_lock(&p->x);\n\tmsleep(10);\n\tspin_unlock(&p->x);\n}\nEXPORT_SYMBOL(seven_path);\n`,
  // pix.x -> quo.y in one architecture, the other way in another: never one build.
  'arch/Makefile': 'obj-y += a/ b/\n',
  'arch/a/Makefile': 'obj-y += k/\n',
  'arch/b/Makefile': 'obj-y += k/\n',
  'arch/a/k/Makefile': 'obj-y += p.o\n',
  'arch/a/k/p.c': `#include <linux/shared.h>\n${nest('a_path', '&p->x', '&q->y', 'spin')}`,
  'arch/b/k/Makefile': 'obj-y += q.o\n',
  'arch/b/k/q.c': `#include <linux/shared.h>\n${nest('b_path', '&q->y', '&p->x', 'spin')}`,
};

const inversionsOf = (j: AnalysisJson): string[] => j.inversions.map((i) => `${[...new Set(i.locks)].sort().join(' <-> ')}${i.acrossDirectories ? ` across ${i.acrossDirectories.join(',')}` : ''}`).sort();

async function analyze(dir: string, args: string[]): Promise<AnalysisJson> {
  const r = await cli(['analyze', '--by-directory', '--format', 'json', ...args, dir], { env: { HOME: dir } });
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as AnalysisJson;
}

/** A kbuild tree of two directories, one/x.c and two/y.c, sharing include/linux/shared.h. */
const twoDirectories = (prefix: string, header: string, x: string, y: string): string =>
  writeTree(prefix, {
    Makefile: 'obj-y += one/ two/\n', Kconfig: 'mainmenu "test"\n',
    'include/linux/shared.h': header,
    'one/Makefile': 'obj-y += x.o\n', 'one/x.c': x,
    'two/Makefile': 'obj-y += y.o\n', 'two/y.c': y,
  });

describe('analyze --by-directory', () => {
  it("reports each directory's own inversions and those across directories, never one of two architectures", async () => {
    const dir = writeTree('lockscope-bydir-', TREE);
    const json = await analyze(dir, ['--no-cache']);
    expect(inversionsOf(json)).toEqual(['bar.b <-> foo.a across one,two', 'm1 <-> m2']);
    expect(json.files).toBe(9);
    expect(json.functions).toBe(12);
    const others = json.findings.filter((f) => f.kind !== 'inversion' && f.kind !== 'recursive');
    expect(others.map((f) => `${f.kind} ${f.function} ${f.file}:${f.line} ${f.locks.join(',')}`)).toEqual(['sleep-in-atomic seven_path seven/s.c:5 pix.x']);
    const cross = json.inversions.find((i) => i.acrossDirectories);
    // Both witnesses, each in its own directory's file.
    expect(cross?.edges.map((e) => e.chain[0]?.file).sort()).toEqual(['one/x.c', 'two/y.c']);
    const reasons = json.skipped.map((s) => s.reason);
    expect(reasons.some((r) => r.startsWith('analysed directory by directory (9 directories'))).toBe(true);
    expect(reasons).toContain('1 cycle(s) across directories through locks split by lockdep_set_class() or a key object, or never validated, in some directory\'s analysis, not reported');
    expect(reasons).toContain('1 cycle(s) across directories whose orders are made only under two different arch/ directories (builds that never run together) not reported');
  });

  it('reports a sleeping lock another directory takes behind tests of its own, under a spinlock held here', async () => {
    // remove() takes a mutex only past its NULL tests: what that path knew is no reason for the
    // caller's directory to drop the sleep (only what it knew of the context queries is).
    const remove = '#include <linux/shared.h>\nvoid entry_remove(struct dentry *dentry)\n{\n\tstruct dentry *parent;\n\n\tif (IS_ERR_OR_NULL(dentry))\n\t\treturn;\n\tparent = dentry->d_parent;\n\tif (!parent || !parent->d_inode)\n\t\treturn;\n\tmutex_lock(&parent->d_inode->i_mutex);\n\tdentry->d_parent = NULL;\n\tmutex_unlock(&parent->d_inode->i_mutex);\n}\n';
    const register = '#include <linux/shared.h>\nint dbg_register(struct dbg *id, const char *name)\n{\n\tstruct dentry *pde;\n\tunsigned long flags;\n\tint i, rc = 0;\n\n\tpde = entry_create(name);\n\tif (!pde)\n\t\treturn -1;\n\tspin_lock_irqsave(&id->lock, flags);\n\tfor (i = 0; i < 4; i++)\n\t\tif (!id->views[i])\n\t\t\tbreak;\n\tif (i == 4) {\n\t\tentry_remove(pde);\n\t\trc = -1;\n\t} else {\n\t\tid->views[i] = pde;\n\t}\n\tspin_unlock_irqrestore(&id->lock, flags);\n\treturn rc;\n}\n';
    const dir = twoDirectories('lockscope-bydir-sleep-', 'struct inode { struct mutex i_mutex; };\nstruct dentry { struct dentry *d_parent; struct inode *d_inode; };\nstruct dbg { spinlock_t lock; struct dentry *views[4]; };\nvoid entry_remove(struct dentry *d);\nstruct dentry *entry_create(const char *name);\n', remove, register);
    const json = await analyze(dir, ['--no-cache']);
    expect(json.findings.map((f) => `${f.kind} ${f.function} ${f.locks.join(',')}`)).toEqual(['sleep-in-atomic dbg_register dbg.lock']);
  });

  it('under the lock of an object still being set up, a call into another directory orders nothing, and its sleep is still one', async () => {
    // police_create() initialises and takes its police's spinlock before anything lets the
    // police out, and calls est_replace() in another directory, which takes a mutex: no
    // police.lock -> est_mutex order (est_walk's est_mutex -> police.lock closes no cycle), but
    // the mutex is a sleep under a spinlock all the same.
    const create = '#include <linux/shared.h>\nint police_create(struct police *p)\n{\n\tint err;\n\n\tspin_lock_init(&p->lock);\n\tspin_lock_bh(&p->lock);\n\terr = est_replace(p);\n\tspin_unlock_bh(&p->lock);\n\treturn err;\n}\nvoid police_walk(struct police *p)\n{\n\tspin_lock_bh(&p->lock);\n\tp->rate = 0;\n\tspin_unlock_bh(&p->lock);\n}\n';
    const est = '#include <linux/shared.h>\nstatic DEFINE_MUTEX(est_mutex);\nint est_replace(struct police *p)\n{\n\tmutex_lock(&est_mutex);\n\tp->rate = 1;\n\tmutex_unlock(&est_mutex);\n\treturn 0;\n}\nvoid est_walk(struct police *p)\n{\n\tmutex_lock(&est_mutex);\n\tpolice_walk(p);\n\tmutex_unlock(&est_mutex);\n}\n';
    const dir = twoDirectories('lockscope-bydir-setup-', 'struct police { spinlock_t lock; int rate; };\nint est_replace(struct police *p);\nvoid police_walk(struct police *p);\n', create, est);
    const json = await analyze(dir, ['--no-cache']);
    expect(json.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual(['est_mutex -> police.lock']);
    expect(json.findings.map((f) => `${f.kind} ${f.function} ${f.locks.join(',')}`)).toEqual(['sleep-in-atomic police_create police.lock']);
  });

  it("leaves out a directory's own cycle through a class another directory exempts from lockdep's validation", async () => {
    const usb = `#include <linux/dev.h>\nvoid usb_walk(struct dev *parent, struct dev *child)\n{\n\tmutex_lock(&parent->mutex);\n\tmutex_lock(&child->mutex);\n\tmutex_unlock(&child->mutex);\n\tmutex_unlock(&parent->mutex);\n}\nEXPORT_SYMBOL(usb_walk);\n`;
    const base = `#include <linux/dev.h>\nvoid dev_init(struct dev *d)\n{\n\tmutex_init(&d->mutex);\n\tlockdep_set_novalidate_class(&d->mutex);\n}\nEXPORT_SYMBOL(dev_init);\n`;
    const tree = (withBase: boolean): Record<string, string> => ({
      Makefile: `obj-y += usb/${withBase ? ' base/' : ''}\n`, Kconfig: 'mainmenu "test"\n', 'arch/x/Makefile': '',
      'include/linux/dev.h': 'struct dev { struct mutex mutex; };\n',
      'usb/Makefile': 'obj-y += hub.o\n', 'usb/hub.c': usb,
      ...(withBase ? { 'base/Makefile': 'obj-y += core.o\n', 'base/core.c': base } : {}),
    });
    expect(inversionsOf(await analyze(writeTree('lockscope-novalidate-', tree(false)), ['--no-cache']))).toEqual(['dev.mutex']);
    const json = await analyze(writeTree('lockscope-novalidate-', tree(true)), ['--no-cache']);
    expect(inversionsOf(json)).toEqual([]);
    expect(json.skipped.map((s) => s.reason)).toContain("1 cycle(s) a directory reported through locks another directory's analysis found never validated (lockdep_set_novalidate_class()), not reported");
  });

  it('makes the orders of calls from one directory into another, to a definition a link would pick', async () => {
    const shared = 'struct foo { struct mutex a; };\nstruct bar { struct mutex b; };\nstruct baz { struct mutex c; };\nstruct qux { struct mutex d; };\nstruct cor { struct mutex e; };\nstruct dex { struct mutex f; };\nstruct iops { void (*take)(struct cor *c); };\nstruct pix { spinlock_t x; };\nstruct sops { void (*run)(void); };\n';
    const take = (fn: string, type: string, lock: string): string => `void ${fn}(struct ${type} *o)\n{\n\tmutex_lock(&o->${lock});\n\tmutex_unlock(&o->${lock});\n}\n`;
    const dir = writeTree('lockscope-bydir-', {
      Makefile: 'obj-y += alpha/ beta/ gamma/ delta/ epsilon/ zeta/ eta/ theta/ iota/ kappa/ lambda/ mu/\n',
      'include/linux/shared.h': shared,
      // foo.a held around a call two calls down into beta/, which takes bar.b; and the other way.
      'alpha/Makefile': 'obj-y += a.o\n',
      'alpha/a.c': `#include <linux/shared.h>\n${take('alpha_take', 'foo', 'a')}static void alpha_helper(struct bar *b)\n{\n\tbeta_take(b);\n}\nvoid alpha_path(struct foo *f, struct bar *b)\n{\n\tmutex_lock(&f->a);\n\talpha_helper(b);\n\tmutex_unlock(&f->a);\n}\n`,
      'beta/Makefile': 'obj-y += b.o\n',
      'beta/b.c': `#include <linux/shared.h>\n${take('beta_take', 'bar', 'b')}void beta_path(struct bar *b, struct foo *f)\n{\n\tmutex_lock(&b->b);\n\talpha_take(f);\n\tmutex_unlock(&b->b);\n}\n`,
      // Two drivers' dup_take (never linked together): a call to it goes nowhere.
      'gamma/Makefile': 'obj-m += g.o\n',
      'gamma/g.c': `#include <linux/shared.h>\n${take('dup_take', 'qux', 'd')}void gamma_path(struct qux *u, struct baz *z)\n{\n\tmutex_lock(&u->d);\n\tzeta_take(z);\n\tmutex_unlock(&u->d);\n}\n`,
      'delta/Makefile': 'obj-m += d.o\n',
      'delta/d.c': `#include <linux/shared.h>\n${take('dup_take', 'qux', 'd')}`,
      'epsilon/Makefile': 'obj-y += e.o\n',
      'epsilon/e.c': `#include <linux/shared.h>\nvoid eps_path(struct baz *z, struct qux *u)\n{\n\tmutex_lock(&z->c);\n\tdup_take(u);\n\tmutex_unlock(&z->c);\n}\n`,
      'zeta/Makefile': 'obj-y += z.o\n',
      'zeta/z.c': `#include <linux/shared.h>\n${take('zeta_take', 'baz', 'c')}`,
      // cor.e held around a call into theta/, which takes dex.f; theta/ calls back into eta/ only
      // after its helper has let go of its caller's dex.f: no order the other way.
      'eta/Makefile': 'obj-y += e.o\n',
      'eta/e.c': `#include <linux/shared.h>\n${take('eta_take', 'cor', 'e')}void eta_path(struct cor *c, struct dex *x)\n{\n\tmutex_lock(&c->e);\n\ttheta_take(x);\n\tmutex_unlock(&c->e);\n}\n`,
      'theta/Makefile': 'obj-y += t.o\n',
      'theta/t.c': `#include <linux/shared.h>\n${take('theta_take', 'dex', 'f')}static void theta_drop(struct dex *x, struct cor *c)\n{\n\tmutex_unlock(&x->f);\n\teta_take(c);\n\tmutex_lock(&x->f);\n}\nvoid theta_path(struct dex *x, struct cor *c)\n{\n\tmutex_lock(&x->f);\n\ttheta_drop(x, c);\n\tmutex_unlock(&x->f);\n}\n`,
      // dex.f held around a call into iota/, which takes cor.e only through an ops pointer its
      // own table fills: the caller hands its own ops, so no order the other way.
      'iota/Makefile': 'obj-y += i.o\n',
      'iota/i.c': `#include <linux/shared.h>\nstatic ${take('iota_impl', 'cor', 'e')}static struct iops iota_ops = { .take = iota_impl };\nvoid iota_call(struct iops *ops, struct cor *c)\n{\n\tops->take(c);\n}\nvoid iota_init(struct cor *c)\n{\n\tiota_call(&iota_ops, c);\n}\n`,
      'kappa/Makefile': 'obj-y += k.o\n',
      'kappa/k.c': `#include <linux/shared.h>\nvoid kappa_path(struct dex *x, struct iops *ops, struct cor *c)\n{\n\tmutex_lock(&x->f);\n\tiota_call(ops, c);\n\tmutex_unlock(&x->f);\n}\n`,
      // pix.x (a spinlock) held around a call into mu/, which may sleep.
      'lambda/Makefile': 'obj-y += l.o\n',
      // ...and around a call into mu/ that sleeps only through an ops pointer its own table fills.
      'lambda/l.c': `#include <linux/shared.h>\nvoid lambda_path(struct pix *p)\n{\n\tspin_lock(&p->x);\n\tmu_wait();\n\tspin_unlock(&p->x);\n}\nvoid lambda_ops(struct pix *p, struct sops *o)\n{\n\tspin_lock(&p->x);\n\tmu_run(o);\n\tspin_unlock(&p->x);\n}\n`,
      'mu/Makefile': 'obj-y += m.o\n',
      'mu/m.c': `#include <linux/shared.h>\nvoid mu_wait(void)\n{\n\tmsleep(10);\n}\nstatic void mu_nap(void)\n{\n\tmsleep(1);\n}\nstatic struct sops mu_ops = { .run = mu_nap };\nvoid mu_run(struct sops *o)\n{\n\to->run();\n}\nvoid mu_init(void)\n{\n\tmu_run(&mu_ops);\n}\n`,
    });
    const json = await analyze(dir, ['--no-cache']);
    expect(inversionsOf(json)).toEqual(['bar.b <-> foo.a across alpha,beta']);
    const chains = json.inversions[0]?.edges.map((e) => e.chain.map((s) => `${s.file}:${s.line} ${s.op}${s.callee ? ` ${s.callee}` : ''}`).join(' / ')).sort();
    expect(chains).toEqual([
      'alpha/a.c:13 acquire / alpha/a.c:14 call alpha_helper / alpha/a.c:9 call beta_take / beta/b.c:4 acquire',
      'beta/b.c:9 acquire / beta/b.c:10 call alpha_take / alpha/a.c:4 acquire',
    ]);
    expect(json.skipped.map((s) => s.reason).find((r) => r.startsWith('analysed directory by directory'))).toContain("an order through a call into another directory's function is made from that function's own summary");
    const sleeps = json.findings.filter((f) => f.kind === 'sleep-in-atomic');
    expect(sleeps.map((f) => `${f.function} ${f.locks.join(',')} ${f.file}:${f.line}: ${f.evidence.map((e) => e.chain.map((x) => `${x.file}:${x.line}`).join(' ')).join(' | ')}`)).toEqual([
      'lambda_path pix.x mu/m.c:4: lambda/l.c:4 | lambda/l.c:5 mu/m.c:4',
    ]);
    expect(sleeps[0]?.notes).toEqual(["across directories: lambda, mu (no one directory's analysis sees it)"]);
  });

  it('says in text which directories close a cycle across directories', async () => {
    const dir = writeTree('lockscope-bydir-', TREE);
    const r = await cli(['analyze', '--by-directory', '--no-cache', dir], { env: { HOME: dir } });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Inversion \d of 2: .*foo\.a.*\nacross directories: one, two \(no one directory's analysis makes it\)\n/m);
  });

  it('analyses the directories under a sub-directory of the tree, with paths from its root', async () => {
    const dir = writeTree('lockscope-bydir-', TREE);
    const json = await analyze(join(dir, 'three'), ['--no-cache']);
    expect(inversionsOf(json)).toEqual(['m1 <-> m2']);
    expect(json.inversions[0]?.edges[0]?.chain[0]?.file).toBe('three/z.c');
  });

  it('reads the directories back from the cache the second time, and says the same', async () => {
    const dir = writeTree('lockscope-bydir-', TREE);
    const cache = join(dir, '.cache');
    const cold = await analyze(dir, ['--cache', cache]);
    expect(readdirSync(join(cache, 'graphs', 'parts')).length).toBeGreaterThan(0);
    const warm = await analyze(dir, ['--cache', cache]);
    expect(warm).toEqual(cold);
  });

  it("names a directory's lock/unlock pair it has no body for after the lock another directory's definition returns holding", async () => {
    const shared = 'struct sb { struct mutex s_lock; };\nstruct foo { struct mutex a; };\n';
    const pair = (fn: string, mine: string): string => `void ${fn}(struct sb *s, struct foo *f)\n{\n\t${mine}_lock(s);\n\tmutex_lock(&f->a);\n\tmutex_unlock(&f->a);\n\t${mine}_unlock(s);\n}\n`;
    const dir = writeTree('lockscope-bydir-', {
      Makefile: 'obj-y += core/ fsx/ fsy/ fsz/\n',
      'include/linux/shared.h': shared,
      // sb_lock() returns holding s->s_lock; cnt_lock() takes and drops a spinlock of its own.
      'core/Makefile': 'obj-y += c.o\n',
      'core/c.c': [
        '#include <linux/shared.h>',
        'static DEFINE_SPINLOCK(cnt);',
        'static int users;',
        'void sb_lock(struct sb *s)\n{\n\tmutex_lock(&s->s_lock);\n}',
        'void sb_unlock(struct sb *s)\n{\n\tmutex_unlock(&s->s_lock);\n}',
        'void cnt_lock(struct sb *s)\n{\n\tspin_lock(&cnt);\n\tusers++;\n\tspin_unlock(&cnt);\n}',
        'void cnt_unlock(struct sb *s)\n{\n\tspin_lock(&cnt);\n\tusers--;\n\tspin_unlock(&cnt);\n}',
        'void core_path(struct sb *s, struct foo *f)\n{\n\tmutex_lock(&f->a);\n\tmutex_lock(&s->s_lock);\n\tmutex_unlock(&s->s_lock);\n\tmutex_unlock(&f->a);\n}',
        '',
      ].join('\n'),
      // sb_lock -> foo.a here, foo.a -> sb.s_lock in core/: one cycle once sb_lock is sb.s_lock.
      'fsx/Makefile': 'obj-y += x.o\n',
      'fsx/x.c': `#include <linux/shared.h>\n${pair('fsx_path', 'sb')}`,
      // cnt_lock -> foo.a here and foo.a -> cnt_lock there: no cycle, cnt_lock() locks nothing.
      'fsy/Makefile': 'obj-y += y.o\n',
      'fsy/y.c': `#include <linux/shared.h>\n${pair('fsy_path', 'cnt')}`,
      'fsz/Makefile': 'obj-y += z.o\n',
      'fsz/z.c': '#include <linux/shared.h>\nvoid fsz_path(struct sb *s, struct foo *f)\n{\n\tmutex_lock(&f->a);\n\tcnt_lock(s);\n\tcnt_unlock(s);\n\tmutex_unlock(&f->a);\n}\n',
    });
    const json = await analyze(dir, ['--no-cache']);
    expect(inversionsOf(json)).toEqual(['foo.a <-> sb.s_lock across core,fsx']);
    const chains = json.inversions[0]?.edges.map((e) => e.chain.map((s) => `${s.file}:${s.line} ${s.op}`).join(' / ')).sort();
    expect(chains).toEqual(['core/c.c:26 acquire / core/c.c:27 acquire', 'fsx/x.c:4 acquire / fsx/x.c:5 acquire']);
  });

  it("follows the tree's own .config, or the one given, and names it as analyze does", async () => {
    const dir = writeTree('lockscope-bydir-', { ...TREE, '.config': 'CONFIG_W=y\n' });
    expect((await analyze(dir, ['--no-cache'])).config).toBe(join(dir, '.config'));
    expect((await analyze(dir, ['--no-cache', '--config', join(dir, '.config')])).config).toBe(join(dir, '.config'));
    expect((await analyze(dir, ['--no-cache', '--any-config'])).config).toBeUndefined();
  });

  it("leaves out a directory's file its Makefile builds only under an option no configuration can set, and lists it", async () => {
    const kconfig = (depends: string): string => `mainmenu "test"\nconfig BROKEN\n\tbool\n\nconfig OLD_DRIVER\n\ttristate "an old driver"\n\tdepends on ${depends}\n\thelp\n\t  Needs a PCI bus.\n\nconfig NEW_DRIVER\n\ttristate "a new driver"\n`;
    const tree = (depends: string): string =>
      writeTree('lockscope-bydir-', {
        Makefile: 'obj-y += one/ arch/\n', Kconfig: kconfig(depends), 'arch/Makefile': '',
        'include/linux/shared.h': 'struct foo { struct mutex a; };\nstruct bar { struct mutex b; };\n',
        'one/Makefile': 'obj-$(CONFIG_NEW_DRIVER) += new.o\nobj-$(CONFIG_OLD_DRIVER) += old.o\n',
        'one/new.c': `#include <linux/shared.h>\n${nest('new_path', '&f->a', '&b->b')}`,
        'one/old.c': `#include <linux/shared.h>\n${nest('old_path', '&b->b', '&f->a')}`,
      });
    const broken = await analyze(tree('PCI && BROKEN'), ['--no-cache']);
    expect(inversionsOf(broken)).toEqual([]);
    expect(broken.skipped.filter((s) => s.file).map((s) => `${s.file}: ${s.reason}`)).toEqual(['one/old.c: not built: one/Makefile builds old.o only with CONFIG_OLD_DRIVER, which the configuration leaves off']);
    // An option a configuration may set: the file is the directory's, and so is the cycle.
    const built = await analyze(tree('PCI'), ['--no-cache']);
    expect(inversionsOf(built)).toEqual(['bar.b <-> foo.a']);
    expect(built.skipped.filter((s) => s.file)).toEqual([]);
  });

  it("knows a directory's function no other directory mentions: called only from a failed __init's way out, its order makes no cycle", async () => {
    const attach = `#include <linux/unit.h>\nDEFINE_SPINLOCK(table_lock);\nint unit_attach(struct unit *u)\n{\n\tspin_lock(&u->lock);\n\tspin_lock(&table_lock);\n\tspin_unlock(&table_lock);\n\tspin_unlock(&u->lock);\n\treturn 0;\n}\nEXPORT_SYMBOL(unit_attach);\nstatic int __init units_init(void)\n{\n\tint ret = setup_units();\n\tif (ret)\n\t\tgoto error;\n\treturn 0;\nerror:\n\tfree_units();\n\treturn ret;\n}\nmodule_init(units_init);\n`;
    const free = `#include <linux/unit.h>\nvoid free_units(void)\n{\n\tstruct unit *u;\n\tspin_lock(&table_lock);\n\tfor (u = units; u; u = u->next) {\n\t\tspin_lock(&u->lock);\n\t\tspin_unlock(&u->lock);\n\t}\n\tspin_unlock(&table_lock);\n}\n`;
    const tree = (removeElsewhere: boolean): string =>
      writeTree('lockscope-bydir-', {
        Makefile: `obj-y += one/${removeElsewhere ? ' two/' : ''} arch/\n`, Kconfig: 'mainmenu "test"\n', 'arch/Makefile': '',
        'include/linux/unit.h': 'struct unit { spinlock_t lock; struct unit *next; };\nextern spinlock_t table_lock;\nextern struct unit *units;\nint setup_units(void);\nvoid free_units(void);\n',
        'one/Makefile': 'obj-y += attach.o free.o\n', 'one/attach.c': attach, 'one/free.c': free,
        ...(removeElsewhere ? { 'two/Makefile': 'obj-y += rm.o\n', 'two/rm.c': '#include <linux/unit.h>\nvoid units_remove(void)\n{\n\tfree_units();\n}\nEXPORT_SYMBOL(units_remove);\n' } : {}),
      });
    // As analysing one/ alone says: the free runs only when the subsystem did not come up.
    const why = '1 cycle(s) through an order made only while a failed __init function unwinds (the subsystem never came up: nothing takes the locks the other way round afterwards) not reported';
    const dir = tree(false);
    const whole = await analyze(dir, ['--no-cache']);
    expect(inversionsOf(whole)).toEqual([]);
    expect(whole.skipped.map((s) => s.reason)).toContain(`${why} (in 1 directory's own analysis)`);
    const alone = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'one')], { env: { HOME: dir } });
    expect((JSON.parse(alone.out) as AnalysisJson).skipped.map((s) => s.reason)).toContain(why);
    // Another directory's run-time call: the free may run after the subsystem came up.
    expect(inversionsOf(await analyze(tree(true), ['--no-cache']))).toEqual(['table_lock <-> unit.lock']);
  });

  it('says what it cannot do', async () => {
    const dir = writeTree('lockscope-bydir-', TREE);
    const two = await cli(['analyze', '--by-directory', join(dir, 'one'), join(dir, 'two')], { env: { HOME: dir } });
    expect(two.code).toBe(2);
    expect(two.err).toContain('--by-directory takes one directory');
    const both = await cli(['analyze', '--by-directory', '--one-program', dir], { env: { HOME: dir } });
    expect(both.code).toBe(2);
    expect(both.err).toContain('--by-directory and --one-program exclude each other');
    const file = await cli(['analyze', '--by-directory', join(dir, 'one/x.c')], { env: { HOME: dir } });
    expect(file.code).toBe(2);
    expect(file.err).toContain('--by-directory takes one directory');
    const none = await cli(['analyze', '--by-directory', join(dir, 'nothere')], { env: { HOME: dir } });
    expect(none.code).toBe(2);
    expect(none.err).toContain(`cannot read ${join(dir, 'nothere')}: no such file or directory`);
  });

  it('goes by directory for one directory past the limit of .c files, unless told otherwise', async () => {
    const dir = writeTree('lockscope-bydir-', TREE);
    const none = new Set<string>();
    expect(await wantsByDirectory([dir], none, '/', 8)).toEqual({ ok: true, yes: true });
    expect(await wantsByDirectory([dir], none, '/', 9)).toEqual({ ok: true, yes: false });
    expect(await wantsByDirectory([dir], new Set(['one-program']), '/', 8)).toEqual({ ok: true, yes: false });
    expect(await wantsByDirectory([join(dir, 'one'), join(dir, 'two')], none, '/', 0)).toEqual({ ok: true, yes: false });
    expect(await wantsByDirectory([join(dir, 'one/x.c')], none, '/', 0)).toEqual({ ok: true, yes: false });
  });

  it('counts .c files only, and stops past the limit', async () => {
    const dir = writeTree('lockscope-bydir-', TREE);
    expect(await countCFiles(dir, 100)).toBe(9);
    expect(await countCFiles(dir, 2)).toBe(3);
  });
});
