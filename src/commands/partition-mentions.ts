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
import { pasteChains, pasteFits } from '../analyzers/c/never-called.ts';
import { scanSymbols } from '../context/symbol-scan.ts';
import { definitionAt, filesUnder, inertMentionAt, readEach } from './tree-mentions.ts';
import { WordScanner } from './word-scan.ts';
import { moduleWorker } from '../analyzers/util/module-worker.ts';

/** Mentions kept per name before it counts as mentioned everywhere. */
const MAX_MENTIONS_KEPT = 64;

export interface PartitionMentions {
  /** Of the non-static functions `dir` (a tree path, '' for the top) defines, those no file outside it mentions, sorted. */
  unmentioned(dir: string): string[];
  /** Every directory's answer that is not empty, by its absolute path. */
  answers(): Iterable<[string, string[]]>;
}

/** The walk in a worker thread (partition-mentions-worker.ts): the same answers, its heap freed with the thread. */
export async function partitionMentionsApart(root: string): Promise<PartitionMentions> {
  const worker = moduleWorker('partition-mentions-worker', import.meta.url);
  try {
    const reply = await new Promise<{ answers?: [string, string[]][]; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(root);
    });
    if (!reply.answers) throw new Error(`reading the tree's mentions failed: ${reply.error ?? 'no answer'}`);
    return new Answers(root, new Map(reply.answers));
  } finally {
    await worker.terminate();
  }
}

/** A copy of a name cut from a file's text: V8 keeps the whole text alive behind a slice of it. */
const unsliced = (s: string): string => Buffer.from(s, 'latin1').toString('latin1');

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
        names.add(unsliced(d.name));
      }
    },
  );
  const all = new Set<string>();
  for (const s of definedIn.values()) for (const n of s) all.add(n);
  const scanner = new WordScanner(all);
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
  // Every directory's answer now: the mentions (paths by name) need not outlive the walk.
  const answers = new Map<string, string[]>();
  const pasted = pasteFits(chains);
  for (const [abs, names] of definedIn) {
    const out: string[] = [];
    for (const name of names) {
      if (everywhere.has(name)) continue;
      const own = defined.get(name);
      const outside = [...(mentioned.get(name) ?? [])].some((p) => {
        const d = dirname(p);
        // In the directory itself: its C files are the partition's own calls, its assembly is
        // not analysed with them (`call atomic_operation` in entry.S).
        if (d === abs) return !/\.[ch]$/.test(p);
        // Elsewhere, unless it is of a copy defined there.
        return !own?.has(d) && !own?.has(p);
      });
      if (!outside && !pasted(name)) out.push(name);
    }
    if (out.length) answers.set(abs, out.sort());
  }
  return new Answers(root, answers);
}

/** The answers alone: a closure made in the walk's scope would keep its maps alive with it. */
class Answers implements PartitionMentions {
  constructor(
    private readonly root: string,
    private readonly byDir: ReadonlyMap<string, string[]>,
  ) {}

  unmentioned(dir: string): string[] {
    return this.byDir.get(dir ? `${this.root}${sep}${dir.split('/').join(sep)}` : this.root) ?? [];
  }

  answers(): Iterable<[string, string[]]> {
    return this.byDir.entries();
  }
}
