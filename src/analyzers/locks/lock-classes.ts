/**
 * The lock class an expression names, lockdep-style:
 *
 *   &device_domain_lock                       -> device_domain_lock            (global)
 *   &lock, `static DEFINE_SPINLOCK(lock)`      -> lock@drivers/x/a.c            (one class per file)
 *   &iommu->lock, iommu: struct intel_iommu *  -> intel_iommu.lock              (field)
 *   &d->q->qlock, q: struct nbq_queue *        -> nbq_queue.qlock               (through member types)
 *   &sb_info(sb)->sem                          -> the return type of sb_info(), else the one struct with `sem`
 *   l, with `spinlock_t *l = &s->lock;`        -> the class of s->lock         (alias)
 *   lock, a `spinlock_t *lock` parameter       -> parameter 0                  (the caller's argument decides)
 *   lock, a local `spinlock_t *lock` of unknown origin -> null                 (unknown, reported; never a class named after a local)
 *
 * Where a layout is missing from the snapshot, the rest of the member chain is normalised by the
 * one struct in the snapshot that has it (`inferred`), else kept as written after the last known
 * tag (`path`). It holds no state; the analysis asks it questions.
 */
import { unitClasses, unitClassName } from './unit-classes.ts';
import type { AccessPath, TypeRef } from '../c/ir.ts';
import type { FunctionEntry, Program } from '../c/program.ts';
import type { LockKind } from '../report-types.ts';
import { pointedClasses, withCopies, type PointedClasses } from './lock-pointers.ts';
import { staticKey, type ClassRef, type LockRef } from './lock-ref.ts';
import { SPINNING } from './held-set.ts';
import { heldThroughClass, holderInits, holderOfLock, holderOfObject, type HolderInits } from './holder-inits.ts';

/** `path` read through the local its root aliases (`l = &s->lock; l` is `s->lock`, `m = &g.q; m->lock` is `g.q.lock`). */
function throughAlias(alias: AccessPath, path: AccessPath): AccessPath {
  return { ...alias, fields: [...alias.fields, ...path.fields], text: path.fields.length ? `${alias.text.replace(/^&/, '')}->${path.fields.join('->')}` : alias.text };
}

export class LockClasses {
  private pointed?: PointedClasses;
  private pointing = false;
  private splits?: HolderInits;

  constructor(private readonly program: Program) {}

  /** The class stored into a lock pointer member everywhere it is stored (lock-pointers.ts). */
  private pointedClass(member: string): ClassRef | undefined {
    if (this.pointing) return undefined;
    if (!this.pointed) {
      const resolve = (path: AccessPath, entry: FunctionEntry): LockRef | null => this.resolve(path, entry);
      this.pointing = true;
      const { classes, copies } = pointedClasses(this.program, resolve);
      this.pointing = false;
      // Copies read the stores just found (`s->lock = port_of(ref)->lock` is what port.lock names).
      this.pointed = classes;
      this.pointed = withCopies(classes, copies, resolve);
    }
    return this.pointed.get(member) ?? undefined;
  }

  /**
   * The lock an access path names inside a function, or null when it names no lock lockscope
   * can follow: also a per-unit lock (unit-classes.ts) whose unit neither the path nor the
   * program says (several files construct them; its own class would be a name lockdep never has).
   */
  resolve(path: AccessPath, entry: FunctionEntry): LockRef | null {
    const r = this.resolvePath(path, entry);
    if (r && 'c' in r && this.perUnitClass(r.c)) return this.unitFallback(r.c, r);
    return r && 'c' in r && r.provenance === 'field' ? this.throughHolder(r, path, entry) : r;
  }

  /** Init sites through another struct's pointer member (holder-inits.ts), found on first use. */
  private holderSplits(): HolderInits {
    if (this.splits) return this.splits;
    this.splits = { byClass: new Map(), everySite: new Set() };
    this.splits = holderInits(this.program, (path, entry) => this.resolve(path, entry));
    return this.splits;
  }

  /** Classes every init site of which goes through one of several holders (holder-inits.ts `everySite`). */
  splitAtEverySite(): ReadonlySet<string> {
    return this.holderSplits().everySite;
  }

  /**
   * A lock of a class some init site splits by holder (holder-inits.ts): reached through that
   * holder's member, the holder's class; through a parameter, the caller's argument decides.
   */
  private throughHolder(r: ClassRef, path: AccessPath, entry: FunctionEntry): LockRef {
    const members = this.holderSplits().byClass.get(r.c);
    if (!members) return r;
    const h = holderOfLock(this.program, path, entry);
    if (h.member && members.has(h.member)) return { ...r, c: heldThroughClass(h.member, r.c) };
    if (h.param !== undefined) return { p: h.param, fields: path.fields, text: r.text, orClass: r.c, holderSplit: true };
    return r;
  }

  /**
   * A callee's lock of a holder-split class (`holderSplit`) in a caller's terms: where the
   * caller's argument comes from says the class.
   */
  throughArgument(c: string, arg: AccessPath, caller: FunctionEntry, ref: Extract<LockRef, { p: number }>): LockRef {
    const h = holderOfObject(this.program, arg, caller);
    const members = this.holderSplits().byClass.get(c);
    if (h.member && members?.has(h.member)) return { c: heldThroughClass(h.member, c), provenance: 'field', kind: undefined, text: ref.text };
    if (h.param !== undefined) return { ...ref, p: h.param };
    return { c, provenance: 'field', kind: undefined, text: ref.text };
  }

  /**
   * A per-unit lock (perUnitClass: some constructor makes them) with no holder to say its unit:
   * the one unit that constructs them, else unknown.
   */
  unitFallback(c: string, ref?: LockRef): LockRef | null {
    const units = unitClasses(this.program).unitsOf.get(c);
    if (units?.size !== 1) return null;
    const dot = c.lastIndexOf('.');
    return { ...(ref && 'c' in ref ? ref : { provenance: 'field' as const, kind: undefined, text: c }), c: unitClassName(c.slice(0, dot), c.slice(dot + 1), [...units][0] as string) };
  }

  private resolvePath(path: AccessPath, entry: FunctionEntry): LockRef | null {
    const { fn } = entry;
    const file = this.program.unitOf(entry.file);
    const text = path.text.replace(/^&/, '');
    if (path.rootCall) {
      const t = path.cast ? ({ k: 'struct', name: path.cast } as TypeRef) : this.program.returnType(path.rootCall);
      if (path.fields.length === 0) return null;
      if (t) return this.walk(this.program.underlying(t, entry.file), path.fields, text, entry.file);
      return this.byMembers(path.fields, text, entry.file) ?? null;
    }
    const root = path.root;
    const paramIndex = fn.params.findIndex((p) => p.name === root);
    const staticLock = paramIndex < 0 ? fn.staticLocks?.[root] : undefined;
    if (staticLock && path.fields.length === 0) return { c: staticKey(root, file, fn.name), provenance: 'static', kind: staticLock === 'unknown' ? undefined : (staticLock as LockKind), text };
    const local = paramIndex < 0 ? fn.vars[root] : undefined;
    const alias = local ? fn.aliases?.[root] : undefined;
    if (alias && alias.root !== root) {
      if (local?.k === 'lock' || local?.k === 'other' || path.fields.length === 0) return this.resolve(throughAlias(alias, path), entry);
      if (alias.text.startsWith('&')) {
        // `struct queue *m = &ctx.msg_q; mutex_lock(&m->lock)`: the lock of a struct embedded whole
        // whose init goes through the container is that init site's class (`foo_ctx.msg_q.lock`),
        // not every `queue.lock`. Only then: through an unknown type the local's own is better.
        const through = this.resolve(throughAlias(alias, path), entry);
        if (through && 'c' in through && through.provenance === 'field' && this.program.initialisedEmbedded(through.c)) return { ...through, text };
        // Through a parameter, that class is the one the caller's path does not name otherwise.
        if (through && 'orClass' in through && through.orClass !== undefined && this.program.initialisedEmbedded(through.orClass)) return { ...through, text };
      }
    }
    if (path.cast)
 return this.walkOrParam({ k: 'struct', name: path.cast }, path, paramIndex, text, entry.file);
    if (paramIndex >= 0) return this.walkOrParam(fn.vars[root] as TypeRef, path, paramIndex, text, entry.file);
    if (local) {
      // A local lock pointer of unknown origin is not a class: it is reported as unknown.
      if (path.fields.length === 0) return null;
      return this.walk(this.program.underlying(local, entry.file), path.fields, text, entry.file);
    }
    const fileStatic = this.program.staticLockDefs.get(file)?.get(root);
    if (fileStatic && path.fields.length === 0) return { c: staticKey(root, file), provenance: 'static', kind: fileStatic as LockKind, text };
    const def = this.program.lockDefs.get(root);
    if (def && path.fields.length === 0) return { c: root, provenance: 'global', kind: def as LockKind, text };
    const staticVar = this.program.statics.get(file)?.get(root);
    const globalVar = staticVar ?? this.program.typeOfVariable(root, fn, file);

    if (globalVar) {
      const t = this.program.underlying(globalVar, entry.file);
      if (path.fields.length === 0) return { c: staticVar ? staticKey(root, file) : root, provenance: staticVar ? 'static' : 'global', kind: t.k === 'lock' ? (t.name as LockKind) : undefined, text };
      return this.walk(t, path.fields, text, entry.file, `@${root}`);
    }
    // In a function-like macro, a name it does not declare is its user's: resolved at each use.
    if (fn.isMacro && /^[a-z_]\w*$/.test(root)) return { p: -1, fields: path.fields, text, free: root };
    // Declared in a file outside the snapshot: a global's name is its class.
    return { c: text.replace(/->/g, '.'), provenance: path.fields.length ? 'path' : 'global', kind: undefined, text };

  }

  private walkOrParam(t: TypeRef, path: AccessPath, paramIndex: number, text: string, file: string): LockRef | null {
    const u = this.program.underlying(t, file);
    if (path.fields.length === 0) return paramIndex >= 0 ? { p: paramIndex, fields: [], text } : null;
    if (paramIndex >= 0 && (u.k === 'other' || u.k === 'lock' || u.k === 'fn')) return { p: paramIndex, fields: path.fields, text };
    const r = this.walk(u, path.fields, text, file);
    // A lock of a struct some container initialises embedded (embedded-inits.ts): which class, the caller's path says.
    if (paramIndex >= 0 && 'c' in r && r.provenance === 'field' && this.program.embeddedSomewhere(r.c)) return { p: paramIndex, fields: path.fields, text, orClass: r.c };
    // A lock of a per-unit class (unit-classes.ts) handed in: which unit made it, the caller's path says.
    if (paramIndex >= 0 && 'c' in r && this.perUnitClass(r.c)) return { p: paramIndex, fields: path.fields, text, fallback: r.c };
    return r;
  }

  /** A per-unit lock some constructor of the program makes (unit-classes.ts): which unit, a path must say. */
  private perUnitClass(c: string): boolean {
    const { perUnit, unitsOf } = unitClasses(this.program);
    return perUnit.size > 0 && perUnit.has(c) && (unitsOf.get(c)?.size ?? 0) > 0;
  }

  /** Follows member types; the last hop only needs the tag of the struct that holds it. */
  private walk(start: TypeRef, fields: string[], text: string, file?: string, rootHolder?: string): LockRef {
    const r = this.walkTypes(start, fields, text, file, rootHolder);
    // Through a struct embedded whole whose lock the container's code initialises: that init
    // site's class (`vol_root.anon.umount`), as lockdep keys it. The innermost such chain, the
    // one every path to the lock shares (`cx.streams[i].q_free.lock` and `s->q_free.lock` with
    // `s` a `struct stream *` are both `stream.q_free.lock`).
    let t = start;
    let found: LockRef | undefined;
    for (let i = 0; i < fields.length - 1; i++) {
      if (t.k !== 'struct' && t.k !== 'typedef') break;
      const next = this.program.structs.get(t.name)?.[fields[i] as string];
      if (!next) break;
      const chain = `${t.name}.${fields.slice(i).join('.')}`;
      if ((next.k === 'struct' || next.k === 'typedef') && !next.ptr && this.program.initialisedEmbedded(chain)) found = { ...r, c: chain, provenance: 'field' } as LockRef;
      t = this.program.underlying(next, file);
    }
    return found ?? r;
  }

  private walkTypes(start: TypeRef, fields: string[], text: string, file?: string, rootHolder?: string): LockRef {
    let t = start;
    let holder = rootHolder;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string;
      if (t.k !== 'struct' && t.k !== 'typedef') return this.byMembers(fields.slice(i), text, file) ?? { c: text.replace(/->/g, '.'), provenance: 'path', kind: undefined, text };
      const tag = t.name;
      const layout = this.program.structs.get(tag);
      if (i === fields.length - 1) {
        const ft = layout?.[field];
        const u = ft ? this.program.underlying(ft, file) : undefined;
        const ref: LockRef = { c: this.unitClass(tag, field, holder) ?? `${tag}.${field}`, provenance: 'field', kind: u?.k === 'lock' ? (u.name as LockKind) : undefined, text };
        if (!ft?.ptr || u?.k !== 'lock') return ref;
        // Through a lock pointer: the lock every store put there, else the member's own class.
        const pointed = this.pointedClass(ref.c);
        return pointed ? { c: pointed.c, provenance: pointed.provenance, kind: pointed.kind ?? ref.kind, text, pointedTo: true } : { ...ref, pointedTo: true };
      }
      const next = layout?.[field];
      if (!next) {
        // Unknown layout: the one struct in the snapshot with the rest of the chain; else, with
        // more than one member to go, the last two as lockdep names an init site
        // (`&base->cpu_base->lock` and `&timer->base->cpu_base->lock` are both `cpu_base->lock`).
        const rest = fields.slice(i);
        return this.byMembers(fields.slice(i + 1), text, file) ?? (rest.length > 1 ? { c: rest.slice(-2).join('->'), provenance: 'path', kind: undefined, text } : { c: `${tag}.${field}`, provenance: 'path', kind: undefined, text });
      }

      holder = `${tag}.${field}`;
      t = this.program.underlying(next, file);
      if (t.k === 'lock') {
        // A member inside a lock that is not a spinning one (`m->wait_lock` of a mutex or an
        // rt_mutex, `sem->lock`) is that lock's own spinlock: the call taking it says its kind.
        const inside = i < fields.length - 1 && !SPINNING.has(t.name);
        return { c: `${tag}.${fields.slice(i).join('.')}`, provenance: 'field', kind: inside ? undefined : (t.name as LockKind), text };
      }
    }
    return { c: text.replace(/->/g, '.'), provenance: 'path', kind: undefined, text };
  }

  /**
   * A lock whose init is a header's static constructor (unit-classes.ts), reached through a
   * holder (`mali_group.lock`, a global `@gp_scheduler_lock`) one `.c` file fills: that file's class.
   */
  private unitClass(tag: string, field: string, holder: string | undefined): string | undefined {
    if (!holder) return undefined;
    const { perUnit, createdIn } = unitClasses(this.program);
    if (!perUnit.has(`${tag}.${field}`)) return undefined;
    const units = createdIn.get(holder);
    return units?.size === 1 ? unitClassName(tag, field, [...units][0] as string) : undefined;
  }

  /**
   * A member chain whose owner is unknown: if exactly one struct in the program has its first
   * member and the rest walks through known layouts, that struct owns it (an inferred class).
   * Needs at least two members, so a lone `->lock` is never pinned on a guess.
   */
  private byMembers(fields: string[], text: string, file?: string): LockRef | undefined {
    for (let j = 0; j + 1 < fields.length; j++) {
      const first = fields[j] as string;
      const owners = this.program.structsWithMember(first).filter((tag) => this.walks(tag, fields.slice(j), file));
      if (owners.length === 1) {
        const r = this.walk({ k: 'struct', name: owners[0] as string }, fields.slice(j), text, file);
        return { ...r, provenance: 'inferred' } as LockRef;
      }
    }
    return undefined;
  }

  private walks(tag: string, fields: string[], file?: string): boolean {
    let t: TypeRef = { k: 'struct', name: tag };
    for (let i = 0; i < fields.length - 1; i++) {
      const next = this.program.structs.get(t.name)?.[fields[i] as string];
      if (!next) return false;
      t = this.program.underlying(next, file);
      if (t.k !== 'struct' && t.k !== 'typedef') return false;
    }
    return this.program.structs.get(t.name)?.[fields[fields.length - 1] as string] !== undefined;
  }
}
