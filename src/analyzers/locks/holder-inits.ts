/**
 * Locks initialised on an object reached through another struct's pointer member, where the same
 * lock member has init sites elsewhere too: `mutex_init(&FOO_I(tree->inode)->extents_lock)`
 * (tree a `struct ext_tree *`) next to the inode constructor's `mutex_init(&FOO_I(inode)->
 * extents_lock)`. lockdep keys a class by its init site, so the lock of the object the tree's
 * `inode` member points to is a class of its own, `ext_tree.inode->extents_lock`, wherever that
 * member reaches it again; any other object's is the member's own class. A lock whose every init
 * goes through one holder needs no split: all of its instances share that site.
 *
 * A function handed the object as a parameter does not know which it got: its locks name the
 * parameter, and each caller's argument says (summary.ts `instantiate`).
 */
import { callEvents } from '../c/call-graph.ts';
import { LOCK_INITS } from './catalogue.ts';
import type { AccessPath, TypeRef } from '../c/ir.ts';
import type { FunctionEntry, Program } from '../c/program.ts';
import type { LockRef } from './lock-ref.ts';

/** Where the object holding a lock comes from: a pointer member of a known struct (`ext_tree.inode`), or a parameter. */
export interface Holder {
  member?: string;
  param?: number;
}

/**
 * The object an argument or a lock's holder path stands for, through a local that holds one
 * path (`struct inode *inode = tree->inode;`).
 */
function objectPath(path: AccessPath, entry: FunctionEntry): AccessPath {
  if (path.fields.length > 0 || path.rootCall || path.cast) return path;
  const alias = entry.fn.aliases?.[path.root];
  return alias && !alias.text.startsWith('&') && alias.root !== path.root ? alias : path;
}

/** Where an object (a pointer value) comes from. */
export function holderOfObject(program: Program, object: AccessPath, entry: FunctionEntry): Holder {
  const o = objectPath(object, entry);
  const { fn } = entry;
  if (o.fields.length === 0) {
    const p = o.rootCall || o.cast || o.text.startsWith('&') ? -1 : fn.params.findIndex((x) => x.name === o.root);
    return p >= 0 ? { param: p } : {};
  }
  const last = o.fields[o.fields.length - 1] as string;
  const tag = program.structOfPath({ ...o, fields: o.fields.slice(0, -1) }, fn, entry.file);
  const member: TypeRef | undefined = tag ? program.structs.get(tag)?.[last] : undefined;
  return tag && member?.ptr ? { member: `${tag}.${last}` } : {};
}

/** Where the object a lock path takes the lock of comes from: `HFS_I(x)->lock` and `x->lock` are x's, `t->x->lock` is t's member x. */
export function holderOfLock(program: Program, path: AccessPath, entry: FunctionEntry): Holder {
  if (path.rootCall) return path.rootArg && path.fields.length === 1 ? holderOfObject(program, path.rootArg, entry) : {};
  if (path.fields.length === 0 || path.cast) return {};
  return holderOfObject(program, { ...path, fields: path.fields.slice(0, -1), text: path.root }, entry);
}

export interface HolderInits {
  /** Lock class -> the pointer members through which some init site reaches its objects. */
  byClass: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Classes every init site of which goes through a holder, two or more of them
   * (`&t->hash[i].lock` and `&t->hash2[i].lock`): reached some other way (`s = slot_of(t, h)`, a
   * lookup the program does not have), the lock is of one of those classes, lockdep's, and which
   * one is not known; the member's own class is none of lockdep's.
   */
  everySite: ReadonlySet<string>;
}

/** `resolve`: the lock class of an init's argument, without holder splitting. */
export function holderInits(program: Program, resolve: (path: AccessPath, entry: FunctionEntry) => LockRef | null): HolderInits {
  const sites = new Map<string, { holders: Set<string>; others: number }>();
  for (const e of program.functions) {
    if (e.fn.isMacro) continue;
    for (const ev of callEvents(e.fn.body)) {
      const arg = LOCK_INITS.has(ev.callee) ? ev.args[0] : undefined;
      if (!arg) continue;
      const r = resolve(arg, e);
      if (!r || !('c' in r) || r.provenance !== 'field') continue;
      const s = sites.get(r.c) ?? { holders: new Set<string>(), others: 0 };
      sites.set(r.c, s);
      const h = holderOfLock(program, arg, e).member;
      if (h) s.holders.add(h);
      else s.others++;
    }
  }
  const byClass = new Map<string, ReadonlySet<string>>();
  const everySite = new Set<string>();
  for (const [c, s] of sites) {
    if (s.holders.size > 0 && s.others + s.holders.size > 1) byClass.set(c, s.holders);
    if (s.others === 0 && s.holders.size > 1) everySite.add(c);
  }
  return { byClass, everySite };
}

/** The class of a lock of class `c` whose object the holder member points to. */
export const heldThroughClass = (member: string, c: string): string => `${member}->${c.slice(c.lastIndexOf('.') + 1)}`;
