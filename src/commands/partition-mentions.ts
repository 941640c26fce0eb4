/**
 * What the rest of a kernel tree says of each directory's non-static functions, for the
 * directory-by-directory analysis of the whole tree (analyze-tree.ts): the names nothing outside
 * the directory mentions, as `lockscope analyze DIR` asks the tree of one directory
 * (analyze-paths.ts askTree, tree-mentions.ts). A partition's analysis then knows that such a
 * function runs only from its own directory's calls (`calledOnlyByName`: the constants they pass,
 * an `__init` unwinding they make), or from none (`neverCalled`: dead code).
 *
 * One walk for every directory instead of one per directory: the non-static functions the `.c`
 * files define (context/symbol-scan.ts, by text), then every mention of one of them in a C, header
 * or assembly file, kept by path, with the same rules as the one-directory walk: a comment or a
 * prototype mentions nothing (inertMentionAt), a mention in a directory that defines a function of
 * that name itself is of its own copy, and a name a macro of the tree may paste is taken as
 * mentioned. A name mentioned in more than MAX_MENTIONS_KEPT files is mentioned everywhere.
 */
import { dirname, sep } from 'node:path';
import { pastedPieces, pasteChains } from '../analyzers/c/never-called.ts';
import { scanSymbols } from '../context/symbol-scan.ts';
import { definitionAt, filesUnder, inertMentionAt, readEach } from './tree-mentions.ts';
import { WordScanner } from './word-scan.ts';

/** Mentions kept per name before it counts as mentioned everywhere. */
const MAX_MENTIONS_KEPT = 64;

export interface PartitionMentions {
  /** Of the non-static functions `dir` (a tree path, '' for the top) defines, those no file outside it mentions, sorted. */
  unmentioned(dir: string): string[];
}

export async function partitionMentions(root: string): Promise<PartitionMentions> {
  const files = await filesUnder(root, (name) => /\.[chS]$/.test(name));
  // The non-static functions each directory's .c files define (absolute directory -> names).
  const definedIn = new Map<string, Set<string>>();
  readEach(
    files.filter((f) => f.endsWith('.c')),
    (path, text) => {
      for (const d of scanSymbols(text).defs) {
        if (d.isStatic || d.isMacro) continue;
        const dir = dirname(path);
        let names = definedIn.get(dir);
        if (!names) definedIn.set(dir, (names = new Set()));
        names.add(d.name);
      }
    },
  );
  const names = new Set<string>();
  for (const s of definedIn.values()) for (const n of s) names.add(n);
  const scanner = new WordScanner(names);
  // Per name: where it is defined (a static one's file, else its directory), and the files mentioning it.
  const defined = new Map<string, Set<string>>();
  const mentioned = new Map<string, Set<string>>();
  const everywhere = new Set<string>();
  const chains = new Set<string>();
  readEach(files, (path, text) => {
    for (const c of pasteChains(text)) chains.add(c);
    scanner.scan(text, (word, at) => {
      if (everywhere.has(word) || inertMentionAt(text, at, word)) return false;
      const def = definitionAt(text, at, word);
      if (def) {
        let scopes = defined.get(word);
        if (!scopes) defined.set(word, (scopes = new Set()));
        scopes.add(def === 'static' || (def === 'struct' && path.endsWith('.c')) ? path : dirname(path));
        return false;
      }
      let where = mentioned.get(word);
      if (!where) mentioned.set(word, (where = new Set()));
      where.add(path);
      if (where.size > MAX_MENTIONS_KEPT) {
        everywhere.add(word);
        mentioned.delete(word);
      }
      return false;
    });
  });
  return {
    unmentioned(dir: string): string[] {
      const abs = dir ? `${root}${sep}${dir.split('/').join(sep)}` : root;
      const out: string[] = [];
      for (const name of definedIn.get(abs) ?? []) {
        if (everywhere.has(name)) continue;
        const own = defined.get(name);
        // A mention in the directory itself is its own call; elsewhere, unless of a copy defined there.
        const outside = [...(mentioned.get(name) ?? [])].some((p) => dirname(p) !== abs && !own?.has(dirname(p)) && !own?.has(p));
        if (!outside && pastedPieces(name, chains).length === 0) out.push(name);
      }
      return out.sort();
    },
  };
}
