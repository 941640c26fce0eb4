/**
 * A lock as an operation names it: a lock class, or "whatever the caller passed as parameter
 * p" (made concrete at each call site). A class's `c` is its internal key: unique in the
 * program and stable across a patch (a file-static lock is `name@file`); the name a report
 * shows is chosen at the end (class-names.ts). A subclass from `*_nested(l, n)` is part of the
 * key (`inode.i_mutex/I_MUTEX_PARENT`), as lockdep treats it as a class of its own.
 */
import type { LockKind } from '../report-types.ts';

export type Provenance = 'global' | 'static' | 'field' | 'path' | 'inferred' | 'fixed' | 'pseudo';

export type LockRef =
  /** `pointedTo`: the last member holds a pointer to the lock (`spinlock_t *lock`), which lives elsewhere. */
  | { c: string; provenance: Provenance; kind: LockKind | undefined; text: string; pointedTo?: true }
  /**
   * The caller's parameter `p` (with `fields` appended); or, in a function-like macro, a free
   * variable (`free`: `#define LOCK_POOL() spin_lock(&pool->lock)` uses its user's `pool`; p is -1).
   */
  | {
      p: number;
      fields: string[];
      text: string;
      sub?: string;
      free?: string;
      /**
       * The class the callee's own types give (`_mali_osk_spinlock_irq_s.spinlock`), for a lock
       * whose class a caller's path decides (a per-unit class, unit-classes.ts): what a caller
       * whose path says nothing better gets.
       */
      fallback?: string;
      /**
       * The class the callee's own types give (`frame_list.list_mutex`) for a struct some
       * container initialises embedded under a class of its own (embedded-inits.ts): the caller's
       * path names the container's class where it has one, else this. Unlike a fallback it is a
       * class lockdep has, so the callee's own orders count under it too.
       */
      orClass?: string;
      /**
       * orClass is split by where its object comes from (holder-inits.ts): the caller's argument
       * is the object itself (`fields` are read through an accessor of it), not a path to extend.
       */
      holderSplit?: true;
    };

/** A reference to a lock class (not to a parameter). */
export type ClassRef = Extract<LockRef, { c: string }>;

export const isClass = (r: LockRef): r is ClassRef => 'c' in r;

export const refKey = (r: LockRef): string =>
  // The subclass goes last, so baseKey (up to the first `/`) is the same reference without it.
  'c' in r ? r.c : `$${r.free ?? r.p}${r.fields.length ? '.' + r.fields.join('.') : ''}${r.fallback ? `~${r.fallback}` : ''}${r.orClass ? `^${r.holderSplit ? '*' : ''}${r.orClass}` : ''}${r.sub ? `/${r.sub}` : ''}`;

/** The reference a key stands for (`$0.lock` is parameter 0's `lock`, `$pool.lock` a free variable's); the inverse of refKey. */
export function refOfKey(key: string): LockRef {
  if (!key.startsWith('$')) return { c: key, provenance: 'fixed', kind: undefined, text: key };
  const slash = key.indexOf('/');
  const sub = slash >= 0 ? key.slice(slash + 1) : undefined;
  let rest = slash >= 0 ? key.slice(0, slash) : key;
  const caret = rest.indexOf('^');
  const holderSplit = caret >= 0 && rest[caret + 1] === '*';
  const orClass = caret >= 0 ? rest.slice(caret + (holderSplit ? 2 : 1)) : undefined;
  if (caret >= 0) rest = rest.slice(0, caret);
  const tilde = rest.indexOf('~');
  const fallback = tilde >= 0 ? rest.slice(tilde + 1) : undefined;
  if (tilde >= 0) rest = rest.slice(0, tilde);
  const m = /^\$(\d+|[A-Za-z_]\w*)(?:\.(.*))?$/.exec(rest);
  if (!m) return { c: key, provenance: 'fixed', kind: undefined, text: key };
  const fields = m[2] ? m[2].split('.') : [];
  const head = m[1] as string;
  const base = /^\d+$/.test(head) ? { p: Number(head), fields, text: key } : { p: -1, fields, text: key, free: head };
  return { ...base, ...(sub ? { sub } : {}), ...(fallback ? { fallback } : {}), ...(orClass ? { orClass } : {}), ...(orClass && holderSplit ? { holderSplit: true as const } : {}) };
}

/**
 * The class a key counts as in the order graph: a class's own key; a parameter's lock with the
 * class its object's initialiser gives (`$0.lock.u.sem^ol.u.sem` is `ol.u.sem`); else none.
 */
export function orderClassOf(key: string): string | undefined {
  const r = refOfKey(key);
  if (isClass(r)) return r.c;
  if (!r.orClass) return undefined;
  return r.sub ? `${r.orClass}/${r.sub}` : r.orClass;
}

/** The same lock with a lockdep subclass (`spin_lock_nested(&x->lock, SINGLE_DEPTH_NESTING)`). */
export function withSubclass(r: LockRef, sub: string | undefined): LockRef {
  if (!sub || sub === '0') return r;
  if ('c' in r) return { ...r, c: `${r.c}/${sub}` };
  return { ...r, sub };
}

/**
 * The key of a file-static lock (`static DEFINE_SPINLOCK(lock)` in drivers/x/a.c is
 * `lock@drivers:x:a.c`), or a function-static one (`lock@drivers:x:a.c#probe`): two files'
 * `lock` are two classes. The path's slashes are coded so `/` only ever starts a subclass.
 */
export function staticKey(name: string, file: string, fn?: string): string {
  return `${name}@${file.replace(/\//g, ':')}${fn ? `#${fn}` : ''}`;
}
