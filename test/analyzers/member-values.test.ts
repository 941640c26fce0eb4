/**
 * What members can hold (src/analyzers/c/member-values.ts): the sets from every store, through
 * parameters and locals, what they decide of a test, and what leaves a member open.
 */
import { describe, expect, it } from 'vitest';
import { MAX_VALUES, memberAtomSigns, memberValueSets, union, valueCandidates, valueCarriers, type MemberValueInputs, type Possible } from '../../src/analyzers/c/member-values.ts';
import { ANY, N, P, Z } from '../../src/analyzers/c/ir.ts';
import { lower, programOf } from './c-snippets.ts';

const everyone: MemberValueInputs = { live: () => true, writableOutside: () => false, callersKnown: (e) => e.fn.isStatic };
const values = (p: Possible | undefined): number[] | undefined => (p && 'values' in p ? [...p.values].sort((a, b) => a - b) : undefined);

const HEAD = `enum kind { K_DEV, K_USER, K_KERN };
#define F_A (1 << 0)
#define F_B (1 << 1)
#define F_C (1 << 2)
struct obj { enum kind kind; unsigned flags; int count; };
`;

describe('member value sets', () => {
  it('follows a parameter to every call, and a local to every store, with |= and &= ~ closed over', async () => {
    const p = await programOf({
      'a.c': `${HEAD}
static void init(struct obj *o, enum kind k, unsigned f) { o->kind = k; o->flags = f; }
void make(struct obj *o, int kernel, int a) {
	enum kind k;
	unsigned f = 0;
	if (kernel) k = K_KERN; else k = K_DEV;
	if (a) f |= F_A;
	init(o, k, f);
}
void mark(struct obj *o) { o->flags |= F_C; }
void unmark(struct obj *o) { o->flags &= ~F_C; }
`,
    });
    const sets = memberValueSets(p, everyone);
    expect(values(sets.get('obj.kind'))).toEqual([0, 2]);
    expect(values(sets.get('obj.flags'))).toEqual([0, 1, 4, 5]);
  });

  it('leaves a member open when a store is unknown: a non-static parameter, a counter, its address handed on, a whole copy', async () => {
    const p = await programOf({
      'a.c': `${HEAD}
struct other { int kind; };
void set_kind(struct obj *o, enum kind k) { o->kind = k; }
void step(struct obj *o) { o->count++; }
void bits(struct obj *o) { set_bit(1, &o->flags); }
void copy(struct other *d, const void *src) { memcpy(d, src, sizeof(*d)); }
void fill(struct other *d) { d->kind = K_USER; }
struct same { int kind; };
void same_fill(struct same *d) { d->kind = K_KERN; }
void same_copy(struct same *d, struct same *s) { *d = *s; }
struct cast { int kind; };
void cast_set(void *p) { ((struct cast *)p)->kind = K_USER; }
void raw_set(void *p, int k) { ((struct cast *)p)->kind = k; }
struct cast2 { int mode; };
void cast2_set(void *p) { ((struct cast2 *)p)->mode = K_KERN; }
struct inode_info { int ip_flags; int ip_mode; };
struct inode_info *INFO(void *inode);
void info_init(struct inode_info *oi) { oi->ip_flags = F_A; oi->ip_mode = F_A; }
void info_mark(void *inode) { INFO(inode)->ip_flags |= F_C; set_bit(2, &INFO(inode)->ip_mode); }
struct slot { void *data; int ref; };
static void slot_set(struct slot *e, void *object, int ref) { e->data = object; e->ref = ref; }
void slot_add(struct slot *e, int n) {
	void *p = kzalloc(n, 0);
	int ref;
	slot_set(e, p, ref);
}
`,
    });
    const sets = memberValueSets(p, everyone);
    expect(sets.has('obj.kind')).toBe(false);
    expect(sets.has('obj.count')).toBe(false);
    expect(sets.has('obj.flags')).toBe(false);
    expect(sets.has('other.kind')).toBe(false);
    // Through a cast to the struct: its member.
    expect(sets.has('cast.kind')).toBe(false);
    expect(values(sets.get('cast2.mode'))).toEqual([0, 2]);
    // Written through a call's result, directly or by address.
    expect(sets.has('inode_info.ip_flags')).toBe(false);
    expect(sets.has('inode_info.ip_mode')).toBe(false);
    // A local a call's result lands in, or one nothing in the function stores: anything.
    expect(sets.has('slot.data')).toBe(false);
    expect(sets.has('slot.ref')).toBe(false);
    // A copy of another object of the same struct brings only values it had.
    expect(values(sets.get('same.kind'))).toEqual([0, 2]);
  });

  it('a store in a branch the sets decide false does not count, nor does a member written outside', async () => {
    const p = await programOf({
      'a.c': `${HEAD}
static void set_flags(struct obj *o, unsigned f) { o->flags = f; }
static void init(struct obj *o) { o->kind = K_DEV; }
void add(struct obj *o) {
	switch (o->kind) {
	case K_DEV:
		set_flags(o, F_A);
		break;
	case K_USER:
		set_flags(o, F_B);
		break;
	}
}
void start(struct obj *o) { init(o); add(o); }
`,
    });
    expect(values(memberValueSets(p, everyone).get('obj.flags'))).toEqual([0, 1]);
    expect(values(memberValueSets(p, { ...everyone, writableOutside: (_tag, m) => m === 'kind' }).get('obj.flags'))).toEqual([0, 1, 2]);
  });

  it('keeps no set for a member only ever cleared (unset-members.ts speaks for those)', async () => {
    const p = await programOf({ 'a.c': `${HEAD}\nvoid clear(struct obj *o) { o->count = 0; }\n` });
    expect(memberValueSets(p, everyone).has('obj.count')).toBe(false);
  });

  it('decides equality, bit and truth tests of a member, either side of a comparison', () => {
    const sets = new Map<string, Possible>([['obj.kind', { values: new Set([0, 2]) }], ['obj.flags', { values: new Set([0, 1, 5]) }]]);
    const owner = (path: string) => ({ tag: 'obj', member: path.split('->')[1] as string });
    const names = { value: (n: string) => ({ K_DEV: 0, K_USER: 1, K_KERN: 2, F_A: 1, F_B: 2, F_C: 4 } as Record<string, number>)[n] };
    expect(memberAtomSigns('o->kind<=>K_USER', sets, owner, names)).toBe(P | N);
    expect(memberAtomSigns('K_USER<=>o->kind', sets, owner, names)).toBe(P | N);
    expect(memberAtomSigns('o->kind<=>K_KERN', sets, owner, names)).toBe(Z | N);
    expect(memberAtomSigns('o->flags&F_B', sets, owner, names)).toBe(Z);
    expect(memberAtomSigns('o->flags&F_C', sets, owner, names)).toBe(ANY);
    expect(memberAtomSigns('o->kind', sets, owner, names)).toBe(ANY);
    expect(memberAtomSigns('o->count<=>K_USER', sets, owner, names)).toBe(ANY);
  });

  it('past MAX_VALUES a set keeps the bits its values may have', () => {
    let p: Possible | undefined = { values: new Set() };
    for (let i = 0; i <= MAX_VALUES; i++) p = union(p, { values: new Set([i]) });
    expect(p).toEqual({ bits: 63 });
    expect(union(p, undefined)).toBeUndefined();
  });

  it('names the members a test compares and the non-static functions that carry a parameter on', async () => {
    const f = await lower(`${HEAD}
void init(struct obj *o, enum kind k) { o->kind = k; }
void pass(struct obj *o, int k) { init(o, k); }
void none(struct obj *o) { o->count = 1; }
int test(struct obj *o) { if (o->flags & F_A) return 1; if (o->kind == K_USER) return 2; return 0; }
`);
    expect(valueCandidates([f])).toEqual(['flags', 'kind']);
    expect(valueCarriers([f])).toEqual(['init', 'pass']);
  });
});
