/**
 * The lock a pointer member points to (`struct port { spinlock_t *lock; }`), as lockdep sees
 * it: the lock stored there, whose class is its own init site's. When every store into the
 * member is the address of locks of one class (`p->lock = &e->lock;`, or `ref_acquire(p,
 * &p->lock)` with `*lockp = &e->lock;` inside), `p->lock` names that class, so an unlock
 * through the pointer (`spin_unlock(p->lock)`) releases the lock taken as `&e->lock`. An
 * initializer storing a global lock and a copy of another lock pointer member count as stores
 * of that lock; any other store (a parameter, an address that is not a lock) leaves the member
 * its own class.
 */
import { callEvents, opsOf } from '../c/call-graph.ts';
import { MEMBER_PATH, Z, type AccessPath, type SetEvent } from '../c/ir.ts';
import type { FunctionEntry, Program } from '../c/program.ts';
import { isClass, type ClassRef, type LockRef } from './lock-ref.ts';
import type { LockKind } from '../report-types.ts';

/** `tag.member` -> the one class stored into it, or null when the stores disagree or are unknown. */
export type PointedClasses = ReadonlyMap<string, ClassRef | null>;

type Resolve = (path: AccessPath, entry: FunctionEntry) => LockRef | null;

/** A lock pointer copied from another member (`s->lock = port_of(ref)->lock`): resolved once the stores are known. */
export interface PointerCopy {
  member: string;
  from: AccessPath;
  entry: FunctionEntry;
}

function addTo(out: Map<string, ClassRef | null>, member: string | undefined, ref: LockRef | null | undefined): void {
  if (!member) return;
  const prev = out.get(member);
  if (prev === null) return;
  if (!ref || !isClass(ref) || (prev && prev.c !== ref.c)) out.set(member, null);
  else out.set(member, prev ?? ref);
}

/**
 * The classes stored into lock pointer members by address (`p->lock = &e->lock`, through an
 * out-parameter, in an initializer), and the copies from other members, to resolve with those.
 */
export function pointedClasses(program: Program, resolve: Resolve): { classes: Map<string, ClassRef | null>; copies: PointerCopy[] } {
  const out = new Map<string, ClassRef | null>();
  const copies: PointerCopy[] = [];
  const add = (member: string | undefined, ref: LockRef | null | undefined): void => addTo(out, member, ref);
  /** The lock an address names (`&e->lock`), or null when it is not one. */
  const lockAt = (addr: AccessPath | undefined, entry: FunctionEntry): ClassRef | null => {
    const ref = addr ? resolve(addr, entry) : null;
    return ref && isClass(ref) && ref.kind !== undefined ? ref : null;
  };
  /** The `tag.member` a target names, when it is a lock pointer member of a known struct. */
  const lockPointerMember = (target: AccessPath, entry: FunctionEntry): string | undefined => {
    const member = target.fields[target.fields.length - 1];
    if (member === undefined) return undefined;
    const tag = program.structOfPath({ ...target, fields: target.fields.slice(0, -1) }, entry.fn, entry.file);
    const t = tag ? program.structs.get(tag)?.[member] : undefined;
    return t && t.k === 'lock' && t.ptr ? `${tag}.${member}` : undefined;
  };
  // Stores through an out-parameter (`*lockp = &e->lock`), per function and parameter: the
  // class each stores, null when one of them is not an address.
  const outStores = new Map<string, (ClassRef | null)[]>();
  for (const entry of program.functions) {
    opsOf(entry.fn.body, (o) => {
      // `p->lock = NULL` stores no lock.
      if (o.k !== 'set' || o.value === Z) return;
      if (o.target.startsWith('*')) {
        const p = entry.fn.params.findIndex((x) => x.name === o.target.slice(1));
        if (p < 0) return;
        const key = `${entry.id}#${p}`;
        const list = outStores.get(key) ?? [];
        list.push(lockAt(o.addr, entry));
        outStores.set(key, list);
        return;
      }
      const target = memberPath(o);
      const member = target ? lockPointerMember(target, entry) : undefined;
      if (!member) return;
      if (!o.addr && o.copy) copies.push({ member, from: o.copy, entry });
      else add(member, lockAt(o.addr, entry));
    });
  }
  // `{ .lock = &port_lock }`: a global lock is its own class; anything else is not known here.
  for (const s of program.initialisedData()) {
    const t = program.structs.get(s.tag)?.[s.member];
    if (!t || t.k !== 'lock' || !t.ptr) continue;
    const kind = program.lockDefs.get(s.name);
    add(`${s.tag}.${s.member}`, kind ? { c: s.name, provenance: 'global', kind: kind as LockKind, text: s.name } : null);
  }
  if (outStores.size === 0) return { classes: out, copies };
  for (const entry of program.functions) {
    for (const ev of callEvents(entry.fn.body)) {
      if (ev.indirect) continue;
      const callee = program.resolveCallee(ev.callee, entry.file);
      if (!callee) continue;
      ev.args.forEach((a, i) => {
        const stores = outStores.get(`${callee.id}#${i}`);
        if (!stores || !a || !a.text.startsWith('&') || a.fields.length === 0 || a.rootCall) return;
        const member = lockPointerMember(a, entry);
        for (const s of stores) add(member, s);
      });
    }
  }
  return { classes: out, copies };
}

/**
 * The classes with the copies added: a copy of a lock pointer member is whatever that member
 * names (its stored class, else its own); a copy of anything else is not known.
 */
export function withCopies(classes: ReadonlyMap<string, ClassRef | null>, copies: readonly PointerCopy[], resolve: Resolve): PointedClasses {
  if (copies.length === 0) return classes;
  const out = new Map(classes);
  for (const c of copies) {
    const ref = resolve(c.from, c.entry);
    addTo(out, c.member, ref && isClass(ref) && ref.pointedTo ? ref : null);
  }
  return out;
}

/** `p->a.lock` as an access path (root p, fields a, lock); undefined for indexed or computed targets. */
function memberPath(o: SetEvent): AccessPath | undefined {
  if (!MEMBER_PATH.test(o.target)) return undefined;
  const [root, ...fields] = o.target.split(/->|\./);
  return { root: root as string, fields, text: o.target };
}
