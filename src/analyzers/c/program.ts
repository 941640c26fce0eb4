/**
 * The whole program as the analysis sees it: every file's FileFacts merged into lookup tables
 * (struct layouts, typedefs, globals, lock definitions, functions by name), and the resolution of
 * a lock expression to a lock class, lockdep-style:
 *
 *   &device_domain_lock           -> device_domain_lock          (global)
 *   &iommu->lock, iommu: struct intel_iommu *  -> intel_iommu.lock   (field)
 *   &d->q->qlock, q: struct nbq_queue *        -> nbq_queue.qlock    (through member types)
 *   lock, a `spinlock_t *lock` parameter       -> parameter 0        (the caller's argument decides)
 *   &x->lock, type of x unknown                -> x->lock            (the access path as written)
 *
 * It holds no analysis state; held-locks.ts asks it questions.
 */
import type { AccessPath, FileFacts, FunctionIR, TypeRef } from './ir.ts';
import type { LockKind } from '../report-types.ts';

/** A lock as an operation sees it: a class, or "whatever the caller passed as parameter p". */
export type LockRef =
  | { c: string; provenance: 'global' | 'field' | 'path' | 'inferred' | 'fixed'; kind: LockKind | undefined; text: string }
  | { p: number; fields: string[]; text: string };

/** A reference to a lock class (not to a parameter). */
export type ClassRef = Extract<LockRef, { c: string }>;

export const refKey = (r: LockRef): string => ('c' in r ? r.c : `$${r.p}${r.fields.length ? '.' + r.fields.join('.') : ''}`);

/** The reference a key stands for (`$0.lock` is parameter 0's `lock`); the inverse of refKey. */
export function refOfKey(key: string): LockRef {
  const m = /^\$(\d+)(?:\.(.*))?$/.exec(key);
  if (!m) return { c: key, provenance: 'fixed', kind: undefined, text: key };
  const fields = m[2] ? m[2].split('.') : [];
  return { p: Number(m[1]), fields, text: key };
}

export interface FunctionEntry {
  id: number;
  file: string;
  fn: FunctionIR;
}

export class Program {
  readonly structs = new Map<string, Record<string, TypeRef>>();
  readonly typedefs = new Map<string, TypeRef>();
  readonly globals = new Map<string, TypeRef>();
  readonly lockDefs = new Map<string, string>();
  readonly functions: FunctionEntry[] = [];
  private readonly byName = new Map<string, FunctionEntry[]>();

  constructor(readonly files: readonly FileFacts[]) {
    for (const f of files) {
      for (const s of f.structs) {
        const known = this.structs.get(s.tag);
        // A forward use may have registered an empty body first; the fuller layout wins.
        if (!known || Object.keys(known).length < Object.keys(s.fields).length) this.structs.set(s.tag, s.fields);
      }
      for (const [k, v] of Object.entries(f.typedefs)) if (!this.typedefs.has(k)) this.typedefs.set(k, v);
      for (const [k, v] of Object.entries(f.globals)) if (!this.globals.has(k)) this.globals.set(k, v);
      for (const [k, v] of Object.entries(f.lockDefs)) this.lockDefs.set(k, v);
      for (const fn of f.functions) {
        const entry = { id: this.functions.length, file: f.path, fn };
        this.functions.push(entry);
        const list = this.byName.get(fn.name);
        if (list) list.push(entry);
        else this.byName.set(fn.name, [entry]);
      }
    }
  }

  /**
   * The body a call from `file` reaches: the same file's definition first, then a non-static
   * one, then a static inline from a header (headers are included into the caller's file).
   */
  resolveCallee(name: string, file: string): FunctionEntry | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    return list.find((e) => e.file === file) ?? list.find((e) => !e.fn.isStatic) ?? list.find((e) => e.file.endsWith('.h'));
  }

  /** Follows typedefs (bounded, typedef cycles exist in broken code). */
  private underlying(t: TypeRef): TypeRef {
    let cur = t;
    for (let i = 0; i < 8 && cur.k === 'typedef'; i++) {
      const next = this.typedefs.get(cur.name);
      if (!next) break;
      cur = next;
    }
    return cur;
  }

  /**
   * The lock class an access path names inside `fn`, or a parameter reference, or null when the
   * expression names no lock we can follow (it then stays unknown and is counted).
   */
  resolve(path: AccessPath, fn: FunctionIR): LockRef | null {
    const text = path.text.replace(/^&/, '');
    const paramIndex = fn.params.findIndex((p) => p.name === path.root);
    let t: TypeRef | undefined;
    if (path.cast) t = { k: 'struct', name: path.cast };
    else if (fn.vars[path.root]) t = fn.vars[path.root];
    else if (this.lockDefs.has(path.root) && path.fields.length === 0)
      return { c: path.root, provenance: 'global', kind: this.lockDefs.get(path.root) as LockKind, text };
    else t = this.globals.get(path.root);

    if (!t) return { c: text, provenance: 'path', kind: undefined, text };
    t = this.underlying(t);
    if (path.fields.length === 0) {
      if (paramIndex >= 0) return { p: paramIndex, fields: [], text };
      // A global lock declared by type (`static spinlock_t x;`) or a local one.
      return { c: path.root, provenance: 'global', kind: t.k === 'lock' ? (t.name as LockKind) : undefined, text };
    }
    if (paramIndex >= 0 && (t.k === 'other' || t.k === 'lock')) return { p: paramIndex, fields: path.fields, text };
    return this.walkFields(t, path.fields, text);
  }

  /** Follows member types; the last hop only needs the tag of the struct that holds it. */
  private walkFields(start: TypeRef, fields: string[], text: string): LockRef {
    let t = start;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string;
      if (t.k !== 'struct' && t.k !== 'typedef') return { c: text, provenance: 'path', kind: undefined, text };
      const tag = t.name;
      if (i === fields.length - 1) {
        const ft = this.structs.get(tag)?.[field];
        const u = ft ? this.underlying(ft) : undefined;
        return { c: `${tag}.${field}`, provenance: 'field', kind: u?.k === 'lock' ? (u.name as LockKind) : undefined, text };
      }
      const layout = this.structs.get(tag);
      const next = layout?.[field];
      if (!next) {
        // Unknown layout: keep what we know (the tag) and the rest of the path as written.
        return { c: `${tag}.${fields.slice(i).join('.')}`, provenance: 'field', kind: undefined, text };
      }
      t = this.underlying(next);
      if (t.k === 'lock') return { c: `${tag}.${fields.slice(i).join('.')}`, provenance: 'field', kind: t.name as LockKind, text };
    }
    return { c: text, provenance: 'path', kind: undefined, text };
  }
}
