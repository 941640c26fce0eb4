/** Which of a program's functions hand back zeroed memory. */
import { describe, expect, it } from 'vitest';
import { factsOf } from '../../src/analyzers/c/extract-facts.ts';
import { Program } from '../../src/analyzers/c/program.ts';
import { zeroingCallees } from '../../src/analyzers/c/zeroing.ts';
import { paramReads, paramWrites } from '../../src/analyzers/c/param-members.ts';
import { buildCallGraph } from '../../src/analyzers/c/call-graph.ts';
import { buildCatalogue } from '../../src/analyzers/locks/catalogue.ts';

const program = async (text: string): Promise<Program> => new Program([await factsOf({ path: 'z.c', text })]);

describe('zeroingCallees', () => {
  it('knows the kernel allocators and finds wrappers of them, of wrappers, and ones that may return NULL', async () => {
    const p = await program(`
struct s { int a; };
static struct s *one(void) { return kzalloc(sizeof(struct s), GFP_KERNEL); }
static struct s *two(int n) { if (n < 0) return NULL; return one(); }
static struct s *plain(void) { return kmalloc(sizeof(struct s), GFP_KERNEL); }
static struct s *mixed(int n) { if (n) return one(); return plain(); }
static struct s *none(void) { return NULL; }
static struct s *held(void) { struct s *p; p = kmem_cache_zalloc(cache, GFP_NOFS); return p; }
static struct s *reused(struct s *q) { struct s *p = one(); if (!p) p = q; return p; }
`);
    const z = zeroingCallees(p);
    expect(z.has('kzalloc')).toBe(true);
    expect(z.has('kmem_cache_zalloc')).toBe(true);
    expect(['one', 'two', 'held'].filter((n) => z.has(n))).toEqual(['one', 'two', 'held']);
    expect(['plain', 'mixed', 'none', 'reused'].filter((n) => z.has(n))).toEqual([]);
  });
});

describe('paramWrites / paramReads', () => {
  it('follows the object handed on, through recursion and into its members, and not objects of the callee’s own', async () => {
    const p = await program(`
struct s { int a; int b; int c; struct t { int x; } sub; };
static void set_a(struct s *q) { q->a = 1; }
static void fill_sub(struct t *t) { t->x = 1; }
static void own(void) { struct s *mine = kzalloc(sizeof(*mine), GFP_KERNEL); mine->c = 1; kfree(mine); }
static void walk(struct s *p, int n) { if (p->b) return; set_a(p); fill_sub(&p->sub); own(); if (n) walk(p, n - 1); }
`);
    const graph = buildCallGraph(p, buildCatalogue());
    const writes = paramWrites(p, graph);
    const reads = paramReads(p, graph);
    const walk = p.functions.find((e) => e.fn.name === 'walk');
    if (!walk) throw new Error('no walk');
    expect([...(writes(walk.id)[0] ?? [])].sort()).toEqual(['a', 'sub']);
    expect([...(reads(walk.id)[0] ?? [])]).toEqual(['b']);
    expect([...(writes(walk.id)[1] ?? [])]).toEqual([]);
  });
});
