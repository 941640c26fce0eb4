/** What objects keep from their creation: constructors run on the constant arguments of each creation call. */
import { describe, expect, it } from 'vitest';
import { createdValues } from '../../src/analyzers/c/created-values.ts';
import { factsOf } from '../../src/analyzers/c/extract-facts.ts';
import { Program } from '../../src/analyzers/c/program.ts';

const HEAD = `
enum { LK_SPIN = 1, LK_MUTEX, LK_RW };
#define LKF_SPIN 0x1
#define LKF_RW 0x2
#define LKF_QUIET 0x4
struct lk { int type; int depth; };
struct holder { struct lk *lock; struct lk *other; };
struct lk *lk_create(unsigned int flags)
{
	struct lk *l = kmalloc(sizeof(*l), GFP_KERNEL);

	if (NULL == l)
		return l;
	if ((flags & LKF_RW) && (flags & LKF_SPIN))
		goto fail;
	if (flags & LKF_SPIN)
		l->type = LK_SPIN;
	else if ((flags & LKF_RW) && !(flags & LKF_QUIET))
		l->type = LK_RW;
	else
		l->type = LK_MUTEX;
	return l;
fail:
	return NULL;
}
`;

async function valuesIn(body: string, path: string): Promise<readonly string[] | undefined> {
  const p = new Program([await factsOf({ path: 'c.c', text: `${HEAD}${body}\nvoid probe(struct holder *h, struct lk *x) { }\n` })]);
  const probe = p.functions.find((e) => e.fn.name === 'probe');
  if (!probe) throw new Error('no probe');
  return createdValues(p).valuesOf(path, probe.fn, probe.file);
}

describe('createdValues', () => {
  it('runs the constructor on each creation call’s flags, per holder member', async () => {
    const body = `
void a(struct holder *h) { h->lock = lk_create(LKF_QUIET); h->other = lk_create(LKF_SPIN | LKF_QUIET); }
void b(struct holder *h) { h->lock = lk_create(LKF_RW); h->lock = NULL; }`;
    expect(await valuesIn(body, 'h->lock->type')).toEqual(['LK_MUTEX', 'LK_RW']);
    expect(await valuesIn(body, 'h->other->type')).toEqual(['LK_SPIN']);
    // The constructor never sets depth: kmalloc leaves it unknown.
    expect(await valuesIn(body, 'h->lock->depth')).toBeUndefined();
  });

  it('a global pointer filled by a constructor', async () => {
    const body = `static struct lk *g_lock;
void init(void) { g_lock = lk_create(LKF_SPIN); }
void user(void) { }`;
    const p = new Program([await factsOf({ path: 'c.c', text: `${HEAD}${body}` })]);
    const user = p.functions.find((e) => e.fn.name === 'user');
    if (!user) throw new Error('no user');
    const created = createdValues(p);
    expect(created.valuesOf('g_lock->type', user.fn, user.file)).toEqual(['LK_SPIN']);
    expect(created.canHold('g_lock->type', 'LK_MUTEX', user.fn, user.file)).toBe(false);
    expect(created.canHold('g_lock->type', 'LK_SPIN', user.fn, user.file)).toBe(true);
  });

  it('knows nothing where a store is no creation it can run, or the member is written elsewhere; all values where the flags are unknown', async () => {
    // Flags only known at run time: whatever the constructor can store.
    expect(await valuesIn('void a(struct holder *h, unsigned int f) { h->lock = lk_create(f); }', 'h->lock->type')).toEqual(['LK_SPIN', 'LK_RW', 'LK_MUTEX']);
    // A copy from a local.
    expect(await valuesIn('void a(struct holder *h) { struct lk *l = lk_create(LKF_SPIN); h->lock = l; }', 'h->lock->type')).toBeUndefined();
    // The member rewritten after creation.
    expect(await valuesIn('void a(struct holder *h) { h->lock = lk_create(LKF_SPIN); }\nvoid retype(struct lk *l) { l->type = LK_RW; }', 'h->lock->type')).toBeUndefined();
    // The holder's address handed to a call that may fill it.
    expect(await valuesIn('void a(struct holder *h) { h->lock = lk_create(LKF_SPIN); fill(&h->lock); }', 'h->lock->type')).toBeUndefined();
    // An initialiser of the holder (it may point at an object of its own); one of another
    // struct's member of that name writes into no object a constructor makes.
    expect(await valuesIn('void a(struct holder *h) { h->lock = lk_create(LKF_SPIN); }\nstatic struct lk fixed;\nstatic struct holder one = { .lock = &fixed };', 'h->lock->type')).toBeUndefined();
    expect(await valuesIn('void a(struct holder *h) { h->lock = lk_create(LKF_SPIN); }\nstruct res { int type; };\nstatic struct res r = { .type = LK_RW };', 'h->lock->type')).toEqual(['LK_SPIN']);
  });

  it('a constructor that returns something other than its new object is none', async () => {
    const body = `struct lk *pick(struct lk *old, unsigned int flags) { struct lk *l = lk_create(flags); if (!l) return old; l->type = LK_RW; return l; }
void a(struct holder *h, struct lk *o) { h->lock = pick(o, 0); }`;
    expect(await valuesIn(body, 'h->lock->type')).toBeUndefined();
  });
});
