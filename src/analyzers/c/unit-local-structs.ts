/**
 * A struct a `.c` file defines for itself is a type of that translation unit. Two drivers that
 * each define `struct main_info` in their own `.c` file have two types, and lockdep two classes
 * for a lock in them (two init sites): named by the tag alone they would merge, and an order in
 * one driver would close a cycle with the other's. When more than one unit (or a header) defines
 * a tag, each `.c` definer's tag becomes `<tag file.c>` throughout that file's facts (declared
 * types, casts, struct layouts, function stores), as anonymous structs are named by file and
 * line. A header's definition keeps the plain tag: every file that includes it shares it, unless
 * another header defines the tag too (two generations of one driver, each with its own
 * `struct ts_data` in its own header): then the tag is each header's, `<tag header.h>`, in the
 * header and in every file that includes it, nearest first, so one generation's callbacks and
 * locks are not the other's.
 */
import type { FileFacts } from './ir.ts';
import { seenNearestFirst } from './include-order.ts';

export function unitLocalStructs(files: readonly FileFacts[], unitOf: (path: string) => string): readonly FileFacts[] {
  // Tag -> the units (or headers) that give it a body.
  const definers = new Map<string, Set<string>>();
  for (const f of files) {
    for (const s of f.structs) {
      if (Object.keys(s.fields).length === 0) continue;
      let set = definers.get(s.tag);
      if (!set) definers.set(s.tag, (set = new Set()));
      set.add(f.path.endsWith('.h') ? f.path : unitOf(f.path));
    }
  }
  const shared = new Set([...definers].filter(([, units]) => units.size > 1).map(([tag]) => tag));
  if (shared.size === 0) return files;
  // Tag -> the headers defining it, where more than one does.
  const headerTags = new Map<string, string[]>();
  for (const tag of shared) {
    const headers = [...(definers.get(tag) ?? [])].filter((u) => u.endsWith('.h'));
    if (headers.length > 1) headerTags.set(tag, headers);
  }
  const seen = headerTags.size ? headersSeen(files, unitOf) : undefined;
  const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
  // A base name two definers share (`drivers/a/main.c`, `drivers/b/main.c`) is spelled as the whole path.
  const spelled = (tag: string, unit: string): string => {
    const others = [...(definers.get(tag) ?? [])].filter((u) => u !== unit && base(u) === base(unit));
    return `<${tag} ${others.length ? unit : base(unit)}>`;
  };
  return files.map((f) => {
    const tags = new Map<string, string>();
    // The header of its own tag this file sees first (itself, what its unit includes, ...).
    if (seen) {
      const order = seen(f.path);
      for (const [tag, headers] of headerTags) {
        const header = order.find((h) => headers.includes(h));
        if (header) tags.set(tag, spelled(tag, header));
      }
    }
    if (!f.path.endsWith('.h')) {
      const unit = unitOf(f.path);
      for (const s of f.structs) if (shared.has(s.tag) && Object.keys(s.fields).length > 0) tags.set(s.tag, spelled(s.tag, unit));
    }
    return tags.size ? (renamed(f, tags) as FileFacts) : f;
  });
}

/** The headers a file sees by quoted `#include`, nearest first: itself, its translation unit, what they include (as deep as a driver's headers go). */
function headersSeen(files: readonly FileFacts[], unitOf: (path: string) => string): (path: string) => string[] {
  const includes = new Map(files.flatMap((f) => (f.includesH ? [[f.path, f.includesH] as const] : [])));
  return (path) => [...seenNearestFirst([path, unitOf(path)], (f) => includes.get(f), 5)];
}

/** The tag as its files wrote it: `<tag file.h>` (a tag renamed here) is `tag`. */
export const writtenTag = (tag: string): string => /^<(\S+) [^>]*>$/.exec(tag)?.[1] ?? tag;

/** The facts with every struct tag in `tags` renamed: a type's `name` (`k: 'struct'`), a `cast`, a layout's or a store's `tag`. */
function renamed(value: unknown, tags: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const r = renamed(v, tags);
      if (r !== v) (out ??= [...value])[i] = r;
    });
    return out ?? value;
  }
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(o)) {
    const r = typeof v === 'string' ? (k === 'tag' || k === 'cast' || (k === 'name' && o.k === 'struct') ? (tags.get(v) ?? v) : v) : renamed(v, tags);
    if (r !== v) (out ??= { ...o })[k] = r;
  }
  return out ?? value;
}
