/**
 * Who outside the analysed files can write a member they declare. One the directory declares
 * only in headers of its own is written only by files that include such a header. Drivers that carry their own copy of a stack (`ieee80211/ieee80211.h`
 * in each of several staging drivers) declare the same member names in their own copies: a
 * write there is to another struct, and says nothing of ours.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FileFacts } from '../analyzers/c/ir.ts';
import { WordScanner } from './word-scan.ts';

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

/**
 * For members the program tests against values (c/member-values.ts): which of the program's
 * struct tags the outside files that write each one can see, in their own text or in a header
 * they include. A write of `kind` in a file that names no struct of ours is to another struct.
 */
export class ValueWriters {
  private readonly tags: WordScanner;
  private readonly seen = new Map<string, Set<string>>();
  private readonly headerTags = new Map<string, Set<string>>();

  constructor(
    private readonly tree: string,
    members: readonly string[],
    tags: readonly string[],
  ) {
    this.tags = new WordScanner(tags);
    for (const m of members) this.seen.set(m, new Set());
  }

  /**
   * A file outside writes these members (`text` is the file's; `includes` what it includes).
   * The tags it sees are the same for every member it writes: the text and its headers are
   * scanned once per file, not once per member (a file writing a dozen common members).
   */
  note(members: Iterable<string>, text: string, includes: () => ReadonlySet<string>): void {
    const sets = [...members].flatMap((m) => this.seen.get(m) ?? []);
    if (sets.length === 0) return;
    const tags = this.tagsIn(text);
    for (const h of includes()) {
      let inHeader = this.headerTags.get(h);
      if (!inHeader) {
        let header = '';
        try {
          header = readFileSync(h, 'utf8');
        } catch {
          // A header the tree does not have (generated, or another architecture's): names nothing.
        }
        this.headerTags.set(h, (inHeader = this.tagsIn(header)));
      }
      for (const t of inHeader) tags.add(t);
    }
    for (const set of sets) for (const t of tags) set.add(t);
  }

  result(): Record<string, string[]> {
    return Object.fromEntries([...this.seen].map(([m, tags]) => [m, [...tags].sort()]));
  }

  private tagsIn(text: string): Set<string> {
    const out = new Set<string>();
    this.tags.scan(text, (w) => void out.add(w));
    return out;
  }
}
