/**
 * Who outside the analysed files can write a member they declare. One the directory declares
 * only in headers of its own is written only by files that include such a header. Drivers that carry their own copy of a stack (`ieee80211/ieee80211.h`
 * in each of several staging drivers) declare the same member names in their own copies: a
 * write there is to another struct, and says nothing of ours.
 */
import { dirname, join, resolve } from 'node:path';
import type { FileFacts } from '../analyzers/c/ir.ts';

const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]/gm;

/** Per member name, the absolute paths of the analysed files that declare a struct holding it. */
export function declaringFiles(directory: string, facts: readonly FileFacts[], members: readonly string[]): Map<string, Set<string>> {
  const wanted = new Set(members);
  const out = new Map<string, Set<string>>();
  for (const f of facts) {
    for (const s of f.structs) {
      for (const m of Object.keys(s.fields)) {
        if (!wanted.has(m)) continue;
        let set = out.get(m);
        if (!set) out.set(m, (set = new Set()));
        set.add(resolve(directory, f.path));
      }
    }
  }
  return out;
}

/** The headers a file includes, resolved: `"x.h"` beside the file, `<x.h>` under the tree's include/. */
export function includedPaths(tree: string, path: string, text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(INCLUDE)) {
    const name = m[2] as string;
    out.add(m[1] === '"' ? resolve(dirname(path), name) : resolve(join(tree, 'include'), name));
  }
  return out;
}

/**
 * Whether a write of `member` in the outside file at `path` can be to the analysed struct: yes
 * unless our declarations of it are all in headers and the file includes none of them. (One
 * only our `.c` files declare is left as it was: counted.)
 */
export function canWriteOurs(declared: ReadonlyMap<string, ReadonlySet<string>>, member: string, includes: () => ReadonlySet<string>): boolean {
  const files = declared.get(member);
  if (!files || files.size === 0) return true;
  const headers = [...files].filter((f) => !f.endsWith('.c'));
  if (headers.length < files.size) return true;
  const seen = includes();
  return headers.some((h) => seen.has(h));
}

/** Members the files write through a call's result (`EXT4_SB(sb)->s_journal = j`, `to_x(d)->n |= 1`). */
export function writtenThroughCalls(files: readonly { text: string }[], members: readonly string[]): Set<string> {
  const pattern = new RegExp(`\\)\\s*(?:->|\\.)\\s*(${members.join('|')})\\s*(?:[-+*/%&|^]?=(?!=)|\\+\\+|--)`, 'g');
  const out = new Set<string>();
  for (const f of files) for (const m of f.text.matchAll(pattern)) out.add(m[1] as string);
  return out;
}
