/**
 * review() on findings of every kind, before and after a patch: each kind is added by a patch
 * that introduces it and removed by the fix, matched by kind and lock classes (and function),
 * never by line; a new way to a pre-existing finding is news (`newPath`), moved code is not.
 * Small C trees written for these tests, in memory.
 */
import { describe, expect, it } from 'vitest';
import { ALL_KINDS } from '../src/finding-kinds.ts';
import type { FindingKind } from '../src/analyzers/report-types.ts';
import { review } from '../src/review.ts';
import type { FindingJson, Review } from '../src/review-types.ts';
import { MemoryTree } from './diff/memory-tree.ts';
import { wholeFileDiff as diffOf } from './support/whole-file-diff.ts';

async function change(path: string, before: string, after: string): Promise<Review> {
  return review({ patches: [diffOf(path, before, after)], base: new MemoryTree({ [path]: before }), context: 'touched' });
}

const kinds = (list: readonly FindingJson[]): string[] => list.map((f) => `${f.kind}: ${f.locks.join(' ')}`).sort();

const IRQ_BASE = `
struct port { spinlock_t lock; int irq; int n; };

static irqreturn_t port_irq(int irq, void *data)
{
	struct port *p = data;

	spin_lock(&p->lock);
	p->n++;
	spin_unlock(&p->lock);
	return IRQ_HANDLED;
}

int port_open(struct port *p)
{
	return request_irq(p->irq, port_irq, 0, "port", p);
}

void port_reset(struct port *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	p->n = 0;
	spin_unlock_irqrestore(&p->lock, flags);
}
`;

describe('review of findings of every kind', () => {
  // "spin_lock_irqsave -> spin_lock because it looked harmless": the handler can now interrupt the holder.
  it('a patch that drops irqsave next to an irq handler adds an inconsistent lock state; the fix removes it', async () => {
    const bad = IRQ_BASE.replace('spin_lock_irqsave(&p->lock, flags);', 'spin_lock(&p->lock);').replace('spin_unlock_irqrestore(&p->lock, flags);', 'spin_unlock(&p->lock);');
    const adds = await change('drivers/port/port.c', IRQ_BASE, bad);
    expect(adds.json.outcome).toBe('adds');
    expect(adds.json.verdict).toBe('no-change');
    expect(kinds(adds.json.findings.added)).toEqual(['irq-inconsistent: port.lock']);
    expect(adds.json.findings.added[0]?.title).toContain('{IN-HARDIRQ-W} -> {HARDIRQ-ON-W}');
    const fixes = await change('drivers/port/port.c', bad, IRQ_BASE);
    expect(fixes.json.outcome).toBe('removes');
    expect(kinds(fixes.json.findings.removed)).toEqual(['irq-inconsistent: port.lock']);
  });

  // "GFP_KERNEL -> GFP_ATOMIC under a spinlock".
  it('a GFP_KERNEL allocation under a spinlock is added sleep in atomic context; GFP_ATOMIC removes it', async () => {
    const atomic = `
struct q { spinlock_t lock; void *buf; };

void q_grow(struct q *q)
{
	spin_lock(&q->lock);
	q->buf = kmalloc(128, GFP_ATOMIC);
	spin_unlock(&q->lock);
}
`;
    const sleeping = atomic.replace('GFP_ATOMIC', 'GFP_KERNEL');
    const adds = await change('drivers/q/q.c', atomic, sleeping);
    expect(kinds(adds.json.findings.added)).toEqual(['sleep-in-atomic: q.lock']);
    expect(adds.json.findings.added[0]?.function).toBe('q_grow');
    const fixes = await change('drivers/q/q.c', sleeping, atomic);
    expect(kinds(fixes.json.findings.removed)).toEqual(['sleep-in-atomic: q.lock']);
  });

  // "unlock on the error path".
  it('an early return that skips the unlock is an added lock leak; the fix removes it', async () => {
    const fixed = `
struct ctl { struct mutex lock; int state; };
int ctl_check(struct ctl *c);

int ctl_set(struct ctl *c, int v)
{
	int err;

	mutex_lock(&c->lock);
	err = ctl_check(c);
	if (err)
		goto out;
	c->state = v;
out:
	mutex_unlock(&c->lock);
	return err;
}
`;
    const leaky = fixed.replace('\t\tgoto out;', '\t\treturn err;');
    const adds = await change('drivers/ctl/ctl.c', fixed, leaky);
    expect(kinds(adds.json.findings.added)).toEqual(['lock-leak: ctl.lock']);
    const fixes = await change('drivers/ctl/ctl.c', leaky, fixed);
    expect(kinds(fixes.json.findings.removed)).toEqual(['lock-leak: ctl.lock']);
  });

  // "cancel_work_sync() outside the lock".
  it('cancel_work_sync under the lock the work takes is added; moving it out removes it', async () => {
    const outside = `
struct dev { struct mutex lock; struct work_struct work; int up; };

static void dev_work(struct work_struct *w)
{
	struct dev *d = container_of(w, struct dev, work);

	mutex_lock(&d->lock);
	d->up = 0;
	mutex_unlock(&d->lock);
}

void dev_init(struct dev *d)
{
	INIT_WORK(&d->work, dev_work);
}

void dev_stop(struct dev *d)
{
	cancel_work_sync(&d->work);
	mutex_lock(&d->lock);
	d->up = 0;
	mutex_unlock(&d->lock);
}
`;
    const inside = outside.replace('\tcancel_work_sync(&d->work);\n\tmutex_lock(&d->lock);', '\tmutex_lock(&d->lock);\n\tcancel_work_sync(&d->work);');
    const adds = await change('drivers/dev/dev.c', outside, inside);
    expect(kinds(adds.json.findings.added)).toEqual(['flush-under-lock: dev.lock']);
    const fixes = await change('drivers/dev/dev.c', inside, outside);
    expect(kinds(fixes.json.findings.removed)).toEqual(['flush-under-lock: dev.lock']);
  });

  // A mutex under a spinlock closes a cycle with the mutex's holders; the sleep finding stands for it.
  it('reports the cycle a sleep in atomic context stood for when sleeps are turned off', async () => {
    const before = `
static DEFINE_SPINLOCK(list_lock);
static DEFINE_MUTEX(cfg_mutex);

void reparent(void)
{
	spin_lock(&list_lock);
	spin_unlock(&list_lock);
}

void reconfigure(void)
{
	mutex_lock(&cfg_mutex);
	spin_lock(&list_lock);
	spin_unlock(&list_lock);
	mutex_unlock(&cfg_mutex);
}
`;
    const after = before.replace('\tspin_lock(&list_lock);\n\tspin_unlock(&list_lock);\n}', '\tspin_lock(&list_lock);\n\tmutex_lock(&cfg_mutex);\n\tmutex_unlock(&cfg_mutex);\n\tspin_unlock(&list_lock);\n}');
    expect(after).not.toBe(before);
    const path = 'drivers/dev/cfg.c';
    const run = (kinds?: FindingKind[]): Promise<Review> => review({ patches: [diffOf(path, before, after)], base: new MemoryTree({ [path]: before }), context: 'touched', ...(kinds ? { kinds } : {}) });
    const all = await run();
    expect(kinds(all.json.findings.added)).toEqual(['sleep-in-atomic: list_lock']);
    expect(all.json.inversions.added).toEqual([]);
    const noSleeps = await run(ALL_KINDS.filter((k) => k !== 'sleep-in-atomic'));
    expect(noSleeps.json.inversions.added.map((i) => i.locks.join(' '))).toEqual(['cfg_mutex list_lock']);
  });

  const RECURSION = `
struct dev { struct mutex mutex; int n; };

static void dev_touch(struct dev *d)
{
	mutex_lock(&d->mutex);
	d->n++;
	mutex_unlock(&d->mutex);
}

void dev_probe(struct dev *d)
{
	mutex_lock(&d->mutex);
	dev_touch(d);
	mutex_unlock(&d->mutex);
}

void dev_remove(struct dev *d)
{
	mutex_lock(&d->mutex);
	d->n = 0;
	mutex_unlock(&d->mutex);
}
`;

  // A driver already re-takes dev.mutex from one function; a patch adds a second way.
  it('a new path to a pre-existing recursion is an added finding marked newPath; the verdict stays', async () => {
    const second = RECURSION.replace('\td->n = 0;\n\tmutex_unlock(&d->mutex);\n}', '\tdev_touch(d);\n\tmutex_unlock(&d->mutex);\n}');
    const r = await change('drivers/dev/dev.c', RECURSION, second);
    expect(r.json.verdict).toBe('no-change');
    expect(r.json.outcome).toBe('adds');
    const f = r.json.findings.added[0];
    expect(kinds(r.json.findings.added)).toEqual(['recursive: dev.mutex']);
    expect(f?.newPath?.added).toEqual(['dev.mutex -> dev.mutex via dev_remove() -> dev_touch()']);
    expect(f?.paths?.map((p) => `${p.held}>${p.taken}`)).toEqual(['dev_probe>dev_touch', 'dev_remove>dev_touch']);
    // And its fix removes that path, leaving the old one.
    const back = await change('drivers/dev/dev.c', second, RECURSION);
    expect(back.json.outcome).toBe('removes');
    expect(back.json.findings.removed[0]?.newPath?.removed).toEqual(['dev.mutex -> dev.mutex via dev_remove() -> dev_touch()']);
  });

  // Two functions take a then b, one takes b then a: the inversion is the b -> a way round.
  const ORDER = `
struct pair { struct mutex a; struct mutex b; int n; };

void pair_one(struct pair *p)
{
	mutex_lock(&p->a);
	mutex_lock(&p->b);
	p->n++;
	mutex_unlock(&p->b);
	mutex_unlock(&p->a);
}

void pair_two(struct pair *p)
{
	mutex_lock(&p->a);
	mutex_lock(&p->b);
	p->n--;
	mutex_unlock(&p->b);
	mutex_unlock(&p->a);
}

void pair_back(struct pair *p)
{
	mutex_lock(&p->b);
	mutex_lock(&p->a);
	p->n = 0;
	mutex_unlock(&p->a);
	mutex_unlock(&p->b);
}
`;
  const third = (name: string, first: string, second: string): string =>
    `${ORDER}\nvoid ${name}(struct pair *p)\n{\n\tmutex_lock(&p->${first});\n\tmutex_lock(&p->${second});\n\tp->n = 1;\n\tmutex_unlock(&p->${second});\n\tmutex_unlock(&p->${first});\n}\n`;

  it('a new path in the order most of the code takes is not blamed for the old inversion; one more the other way round is', async () => {
    const along = await change('drivers/dev/pair.c', ORDER, third('pair_three', 'a', 'b'));
    expect(along.json.outcome).toBe('no-change');
    expect(along.json.findings.unchanged.find((f) => f.kind === 'inversion')?.newPath).toMatchObject({ established: true, added: ['pair.a -> pair.b via pair_three() -> pair_three()'] });
    const against = await change('drivers/dev/pair.c', ORDER, third('pair_back2', 'b', 'a'));
    expect(against.json.outcome).toBe('adds');
    expect(against.json.findings.added[0]?.newPath?.added).toEqual(['pair.b -> pair.a via pair_back2() -> pair_back2()']);
    // Dropping one of the two a -> b functions leaves the inversion as it was: no fix.
    const fewer = await change('drivers/dev/pair.c', ORDER, ORDER.replace(/void pair_two[^]*?\n}\n/, ''));
    expect(fewer.json.outcome).toBe('no-change');
    expect(fewer.json.findings.unchanged.find((f) => f.kind === 'inversion')?.newPath?.established).toBe(true);
  });

  it('renaming the functions on a pre-existing path is a move, neither added nor removed', async () => {
    const renamed = RECURSION.replaceAll('dev_touch', 'dev_bump').replaceAll('dev_probe', 'dev_attach');
    const r = await change('drivers/dev/dev.c', RECURSION, renamed);
    expect(r.json.outcome).toBe('no-change');
    expect(r.json.findings.unchanged[0]?.newPath?.moved).toBe(true);
  });
});
