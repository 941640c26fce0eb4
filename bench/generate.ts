/**
 * A deterministic generator of kernel-like C for the benchmark: files of structs with locks,
 * global DEFINE_* locks, helper chains across files, iterator macros, goto error paths, guards
 * and trylocks. Like a real driver tree, the lock order mostly follows a hierarchy (a function
 * on struct objN only calls down to objM, M > N); every tenth file plants one inversion.
 * Same seed, same bytes.
 */

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedFile {
  path: string;
  text: string;
}

/** About `lines` lines of C in files of about 2,000 lines each. */
export function generateTree(lines: number, seed = 42): GeneratedFile[] {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const fileCount = Math.max(1, Math.round(lines / 2000));
  const files: GeneratedFile[] = [];
  const header: string[] = ['/* generated: shared types */', 'struct list_head { struct list_head *next, *prev; };'];
  for (let s = 0; s < 40; s++) {
    header.push(`struct obj${s} {`, '\tspinlock_t lock;', '\tstruct mutex mtx;', `\tstruct obj${Math.min(s + 1, 39)} *peer;`, '\tstruct list_head node;', '\tint count;', '};');
  }
  files.push({ path: 'include/objs.h', text: `${header.join('\n')}\n` });

  for (let f = 0; f < fileCount; f++) {
    const out: string[] = [`// generated file ${f}`, '#include "../include/objs.h"', ''];
    for (let g = 0; g < 4; g++) out.push(`static DEFINE_SPINLOCK(f${f}_lock${g});`, `static DEFINE_MUTEX(f${f}_mutex${g});`);
    out.push(`static struct list_head f${f}_list;`, '');
    if (f % 10 === 0) {
      for (const [x, y] of [['a', 'b'], ['b', 'a']] as const) {
        out.push(`void f${f}_planted_${x}${y}(struct obj5 *a, struct obj6 *b)`, '{', `\tspin_lock(&${x}->lock);`, `\tspin_lock(&${y}->lock);`, '\ta->count = b->count;', `\tspin_unlock(&${y}->lock);`, `\tspin_unlock(&${x}->lock);`, '}', '');
      }
    }
    // Functions are defined bottom-up: the struct index falls as the file goes on, so a
    // function can call the ones above it, which work on deeper objects (objM, M > N).
    const structs: number[] = [];
    const wrappers = new Set<number>();
    let fn = 0;
    while (out.length < 2000) {
      const s = Math.max(0, 39 - Math.floor((out.length / 2000) * 40) - Math.floor(rand() * 2));
      const name = `f${f}_fn${fn}`;
      const g = Math.floor(rand() * 4);
      // Lock wrappers (which return holding o->mtx) are left to their own callers' pairing.
      const deeper = structs.map((t, i) => [t, i] as const).filter(([t, i]) => t > s + 1 && !wrappers.has(i));
      const callee = deeper.length > 0 && rand() < 0.6 ? `f${f}_fn${(deeper[Math.floor(rand() * deeper.length)] as readonly [number, number])[1]}` : undefined;
      structs.push(s);
      const shape = pick(['plain', 'goto', 'loop', 'guard', 'trylock', 'wrapper'] as const);
      out.push(`${shape === 'wrapper' ? 'static ' : ''}int ${name}(struct obj${s} *o, int flags)`, '{', '\tint ret = 0;', `\tstruct obj${(s + 1) % 40} *p;`, '');
      switch (shape) {
        case 'plain':
          out.push(`\tspin_lock(&o->lock);`, '\to->count++;');
          if (callee) out.push(`\tret = ${callee}(o->peer, flags);`);
          out.push('\tspin_unlock(&o->lock);');
          break;
        case 'goto':
          out.push(`\tmutex_lock(&o->mtx);`, '\tif (flags & 1) {', '\t\tret = -22;', '\t\tgoto out_unlock;', '\t}');
          if (callee) out.push(`\tret = ${callee}(o->peer, flags >> 1);`);
          out.push(`\tmutex_unlock(&o->mtx);`, '\treturn ret;', '', 'out_unlock:', '\tspin_lock(&o->lock);', '\to->count = 0;', '\tspin_unlock(&o->lock);', `\tmutex_unlock(&o->mtx);`);
          break;
        case 'loop':
          out.push(`\tspin_lock_irq(&f${f}_lock${g});`, `\tlist_for_each_entry(p, &f${f}_list, node) {`, '\t\tif (p->count < 0)', '\t\t\tbreak;', '\t\tp->count--;', '\t}', `\tspin_unlock_irq(&f${f}_lock${g});`);
          if (callee) out.push(`\tret = ${callee}(o->peer, flags);`);
          break;
        case 'guard':
          out.push('\tguard(mutex)(&o->mtx);');
          if (callee) out.push(`\tret = ${callee}(o->peer, flags);`);
          out.push('\tif (ret)', '\t\treturn ret;', '\to->count += 2;');
          break;
        case 'trylock':
          out.push(`\tif (!spin_trylock(&f${f}_lock${g}))`, '\t\treturn -11;', '\tswitch (flags) {', '\tcase 0:', '\t\to->count = 1;', '\t\tbreak;', '\tdefault:', '\t\to->count = 2;', '\t}', `\tspin_unlock(&f${f}_lock${g});`);
          break;
        case 'wrapper':
          wrappers.add(fn);
          out.push(`\tmutex_lock(&o->mtx);`, '\treturn 0;');
          break;
      }
      out.push('\treturn ret;', '}', '');
      fn++;
    }
    files.push({ path: `drivers/gen/file${f}.c`, text: `${out.join('\n')}\n` });
  }
  return files;
}

export const countLines = (files: readonly GeneratedFile[]): number => files.reduce((n, f) => n + f.text.split('\n').length - 1, 0);
