/**
 * The CLI's look at the rest of a kernel tree for `analyze`: which of some function names any
 * C, header or assembly file outside the analysed files mentions. A function nothing mentions
 * there, and nothing in the analysed files calls, is dead code (analyzers/c/never-called.ts).
 * The same walk hands each file to a caller that looks for something else (the files that store
 * the analysed directory's ops tables, the writes of the members it tests).
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pastedPieces, pasteChains } from '../analyzers/c/never-called.ts';
import { makefileKernelVersion } from '../analyzers/c/version-tests.ts';
import { WordScanner } from './word-scan.ts';
import { kbuildText } from './kbuild-text.ts';
import { shadowedByKbuild } from '../context/kbuild-file.ts';
import { readKconfig, type KconfigSymbols } from '../analyzers/c/kernel-config.ts';

/**
 * Each build file of the tree (Makefiles, Kbuild, Kconfig, `*.mk`, and what is under scripts/,
 * which writes generated headers: `mkcompile_h` defines UTS_VERSION), its text to `each`.
 */
export async function readBuildFiles(root: string, each: (path: string, text: string) => void): Promise<void> {
  const scripts = join(root, 'scripts');
  const files = await filesUnder(root, (name, path) => /^(?:Makefile|Kbuild|Kconfig)/.test(name) || name.endsWith('.mk') || (path.startsWith(`${scripts}/`) && !/\.[ch]$/.test(name)));
  // A Makefile beside a Kbuild is read by no kernel build (a driver drop's standalone one).
  const kbuildDirs = new Set(files.filter((f) => basename(f) === 'Kbuild').map((f) => dirname(f)));
  readEach(files, (path, text) => {
    if (!(basename(path) === 'Makefile' && kbuildDirs.has(dirname(path)) && shadowedByKbuild(text))) each(path, text);
  });
}


/**
 * The kernel tree `dir` belongs to: the nearest directory, itself or above, holding a Makefile,
 * a Kconfig, and include/ and arch/ directories (a platform directory such as arch/arm/plat-x has
 * the first three of its own). Without one nothing can say what the rest of the tree calls.
 */
export async function treeRootOf(dir: string): Promise<string | undefined> {
  const dirs = new Set(['include', 'arch']);
  for (let d = dir; ; d = dirname(d)) {
    const has = await Promise.all(['Makefile', 'Kconfig', ...dirs].map((n) => stat(join(d, n)).then((s) => (dirs.has(n) ? s.isDirectory() : s.isFile()), () => false)));
    if (has.every(Boolean)) return d;
    if (dirname(d) === d) return undefined;
  }
}

/**
 * The configuration symbols the tree's Kconfig files declare (`config FOO`, `menuconfig FOO`):
 * kbuild sets `CONFIG_FOO` for no other name; and those off unless a configuration sets them.
 * Only the Kconfig files the top one reaches by `source` count: a driver drop's own Kconfig that
 * nothing sources (its options for a standalone build) declares nothing any configuration can set.
 */
export async function kconfigSymbols(root: string): Promise<KconfigSymbols> {
  const byPath = new Map<string, string>();
  const files = await filesUnder(root, (name) => name.startsWith('Kconfig'));
  readEach(files, (path, text) => void byPath.set(relative(root, path).split(sep).join('/'), text));
  // An architecture may have a top of its own (`KBUILD_KCONFIG := arch/um/Kconfig.$(HEADER_ARCH)`).
  const tops = ['Kconfig'];
  const arches = await readdir(join(root, 'arch'), { withFileTypes: true }).catch(() => []);
  readEach(arches.filter((d) => d.isDirectory()).map((d) => join(root, 'arch', d.name, 'Makefile')), (_, text) => {
    for (const m of text.matchAll(/^[ \t]*KBUILD_KCONFIG[ \t]*:?=[ \t]*(\S+)/gm)) tops.push(m[1] as string);
  });
  return readKconfig(sourcedKconfig(byPath, tops));
}

/**
 * The texts of the Kconfig files the tops (`Kconfig`, and an architecture's own) reach through
 * `source` (and the relative `rsource`, the optional `osource`/`orsource`), by path from the
 * tree's root. A variable in a path (`arch/$SRCARCH/Kconfig`, `$(MTK_PLATFORM)`) stands for any
 * one directory name. A tree without a top Kconfig gives every file.
 */
export function sourcedKconfig(byPath: ReadonlyMap<string, string>, tops: readonly string[] = ['Kconfig']): string[] {
  if (!byPath.has('Kconfig')) return [...byPath.values()];
  const reached = new Set(tops.flatMap((t) => matchingPaths(t, byPath)));
  const todo = [...reached];
  for (let path = todo.pop(); path !== undefined; path = todo.pop()) {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    for (const m of (byPath.get(path) ?? '').matchAll(/^[ \t]*(o?r?source)[ \t]+"?([^"\s]+)"?/gm)) {
      const relativeToFile = (m[1] as string).endsWith('rsource');
      // `$(srctree)/` is the root the other paths are relative to anyway.
      const target = `${relativeToFile ? dir : ''}${(m[2] as string).replace(/^(?:\$\(srctree\)|\$srctree|\$\{srctree\})\//, '').replace(/^\.\//, '')}`;
      for (const p of matchingPaths(target, byPath)) {
        if (reached.has(p)) continue;
        reached.add(p);
        todo.push(p);
      }
    }
  }
  return [...reached].map((p) => byPath.get(p) as string);
}

/** The known paths a `source` target names: itself, or with each variable any one directory name (or glob `*`). */
function matchingPaths(target: string, byPath: ReadonlyMap<string, string>): string[] {
  if (!/[$*?]/.test(target)) return byPath.has(target) ? [target] : [];
  const pattern = new RegExp(`^${target.split(/(\$\([\w.]+\)|\$\{[\w.]+\}|\$[\w]+|\*|\?)/).map((part, i) => (i % 2 === 1 ? (part === '?' ? '[^/]' : '[^/]*') : part.replace(/[.+^()|[\]{}\\]/g, (c) => `\\${c}`))).join('')}$`);
  return [...byPath.keys()].filter((p) => pattern.test(p));
}

/** The files under `root` whose name and path `keep` wants (`.git` and `node_modules` not entered). */
export async function filesUnder(root: string, keep: (name: string, path: string) => boolean): Promise<string[]> {
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') await walk(p);
      } else if (e.isFile() && keep(e.name, p)) files.push(p);
    }
  };
  await walk(root);
  return files;
}

/**
 * Each file's text to `each`, in order (a file that cannot be read is empty). Read one after
 * the other, synchronously: a tree the page cache holds reads in a third of the time that
 * promises take, which pay a thread-pool round trip per open, read and close (Linux 3.0's
 * 31,000 files: 1.1 s against 2.4 s), and the scan of each text runs between reads anyway.
 */
export function readEach(files: readonly string[], each: (path: string, text: string) => void): void {
  for (const path of files) {
    let text = '';
    try {
      text = readFileSync(path, 'latin1');
    } catch {
      // Unreadable (gone since the walk, a dangling link): nothing in it.
    }
    each(path, text);
  }
}

/**
 * The Makefiles (and Kbuild files) of the directories between `dir` and the tree's `root`, the
 * root's included, `dir`'s not: which of them names `dir`'s sub-directories (`input/serio/`).
 * `prefix` is the path from each one's directory to `dir`.
 */
export async function treeMakefilesAbove(dir: string, root: string): Promise<{ prefix: string; text: string }[]> {
  const out: { prefix: string; text: string }[] = [];
  for (let d = dirname(dir); d.length >= root.length; d = dirname(d)) {
    const prefix = `${relative(d, dir)}/`;
    const hasKbuild = await stat(join(d, 'Kbuild')).then((s) => s.isFile(), () => false);
    for (const name of ['Makefile', 'Kbuild']) {
      const written = await readFile(join(d, name), 'latin1').catch(() => undefined);
      const text = written === undefined ? undefined : kbuildText(join(d, name), written, hasKbuild, root);
      if (text !== undefined) out.push({ prefix, text });
    }
    if (d === root || dirname(d) === d) break;
  }
  return out;
}

/** LINUX_VERSION_CODE of the tree: its top Makefile's VERSION, PATCHLEVEL and SUBLEVEL (undefined if it does not say). */
export async function kernelVersionOf(root: string): Promise<number | undefined> {
  return makefileKernelVersion(await readFile(join(root, 'Makefile'), 'latin1').catch(() => ''));
}

/**
 * The names some .c, .h or .S file under `root`, other than `analysed` (absolute paths),
 * mentions, or may make by pasting (`sys_##name` in a header, with `name` a word written in
 * the analysed files (`known`) or elsewhere in the tree: analyzers/c/never-called.ts).
 */
export async function mentionedOutside(root: string, names: readonly string[], leftOut: (path: string) => boolean, known: (word: string) => boolean, onFile?: (path: string, text: string) => void): Promise<Set<string>> {
  const found = new Set<string>();
  if (names.length === 0 && !onFile) return found;
  const files = await filesUnder(root, (name, path) => /\.[chS]$/.test(name) && !leftOut(path));
  const chains = new Set<string>();
  // A prototype in a header calls nothing: only other mentions keep a function alive; and a call
  // in a directory that defines a function of that name itself (another copy of the driver)
  // calls that one.
  const mentions = mentionsOutsideOwnCopies(files, names, (path, text) => {
    onFile?.(path, text);
    if (names.length) for (const f of pasteChains(text)) chains.add(f);
  });
  for (const n of mentions) found.add(n);
  // The pieces a paste would need that the analysed files do not write: asked of the tree.
  const pieces = new Map<string, string[][]>();
  for (const n of names) {
    const p = found.has(n) ? [] : pastedPieces(n, chains);
    if (p.length) pieces.set(n, p);
  }
  const unknown = [...new Set([...pieces.values()].flat(2).filter((w) => !known(w)))];
  const elsewhere = unknown.length ? wordsIn(files, unknown) : new Set<string>();
  for (const [n, ways] of pieces) if (ways.some((p) => p.every((w) => known(w) || elsewhere.has(w)))) found.add(n);
  return found;
}

/** Which of `words` the files hold, each file read once (`each` sees every text), hits `ignore` says nothing of left out. */
function wordsIn(files: readonly string[], words: readonly string[], each?: (path: string, text: string) => void, ignore?: (text: string, at: number, word: string) => boolean): Set<string> {
  const found = new Set<string>();
  const scanner = new WordScanner(words);
  const all = new Set(words).size;
  readEach(files, (path, text) => {
    each?.(path, text);
    if (found.size === all) return;
    scanner.scan(text, (word, at) => {
      if (found.has(word) || ignore?.(text, at, word)) return false;
      found.add(word);
      return found.size === all;
    });
  });
  return found;
}

/** Mentions kept per word before it counts as found anyway: the word is common, one of them surely calls ours. */
const MAX_MENTIONS_KEPT = 64;

/**
 * Which of `words` the files mention where it may mean ours: not inertly (inertMentionAt), and
 * not in a file of a directory that defines a function or a struct of that name itself (a
 * vendor tree's second copy of a driver, `musb_dma_completion` in usb20/ and in mu3d/: each calls
 * its own), nor, for a static function or a struct a `.c` file defines, in its own file.
 */
function mentionsOutsideOwnCopies(files: readonly string[], words: readonly string[], each?: (path: string, text: string) => void): Set<string> {
  const found = new Set<string>();
  const defined = new Map<string, Set<string>>();
  const mentioned = new Map<string, Set<string>>();
  const scanner = new WordScanner(words);
  readEach(files, (path, text) => {
    each?.(path, text);
    scanner.scan(text, (word, at) => {
      if (found.has(word) || inertMentionAt(text, at, word)) return false;
      const def = definitionAt(text, at, word);
      if (def) {
        const scopes = defined.get(word) ?? new Set<string>();
        // A struct a .c file defines is that file's; one a header defines, its directory's.
        scopes.add(def === 'static' || (def === 'struct' && path.endsWith('.c')) ? path : dirname(path));
        defined.set(word, scopes);
        return false;
      }
      const where = mentioned.get(word) ?? new Set<string>();
      where.add(path);
      mentioned.set(word, where);
      if (where.size > MAX_MENTIONS_KEPT) found.add(word);
      return false;
    });
  });
  for (const [word, paths] of mentioned) {
    const own = defined.get(word);
    if ([...paths].some((p) => !own || (!own.has(dirname(p)) && !own.has(p)))) found.add(word);
  }
  return found;
}

/**
 * A definition of `name` at `at`: a function's (`void foo(int a)` then `{`), static or not, or a
 * struct's (`struct foo {`); undefined for anything else.
 */
export function definitionAt(text: string, at: number, name: string): 'static' | 'global' | 'struct' | undefined {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const before = text.slice(lineStart, at);
  if (/(?:^|[^\w])struct\s+$/.test(before)) return /^\s*\{/.test(text.slice(at + name.length, at + name.length + 80)) ? 'struct' : undefined;
  if (!declares(before) || /^\s*(?:extern|typedef)\b/.test(before)) return undefined;
  const i = paramsEnd(text, afterBlanks(text, at + name.length));
  if (i === undefined) return undefined;
  if (!/^\s*(?:__\w+(?:\((?:[^()]|\([^()]*\))*\))?\s*)*\{/.test(text.slice(i + 1, i + 240))) return undefined;
  return /\bstatic\b/.test(before) ? 'static' : 'global';
}

const NOT_A_TYPE = /\b(?:return|else|case|goto|do|if|while|for|switch|sizeof|typeof)\b/;

/** Only type words (and `*`) before the name on its line: a declaration or a definition begins there. */
const declares = (before: string): boolean => /^\s*(?:[A-Za-z_]\w*[\s*]+)+$/.test(before) && !NOT_A_TYPE.test(before);

/** The index past the spaces and tabs at `i`. */
function afterBlanks(text: string, i: number): number {
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/** The index of the `)` closing a parameter list opening at `i`; undefined where none opens there, or a `;` or `{` comes first. */
function paramsEnd(text: string, i: number): number | undefined {
  if (text[i] !== '(') return undefined;
  for (let depth = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
    else if (text[i] === ';' || text[i] === '{') return undefined;
  }
  return undefined;
}

/**
 * Does the mention of `name` at `at` keep nothing alive: a function prototype (`extern int
 * foo(struct x *p);`: types before it on its line, and after its parameter list nothing but
 * attributes up to the `;`), a variable's `extern` declaration, or a mention inside a comment?
 */
export function inertMentionAt(text: string, at: number, name: string): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const before = text.slice(lineStart, at);
  // Inside a comment (`// old_fn();`, `/* see old_fn() */`) a name keeps nothing alive either.
  if (before.includes('//') || text.lastIndexOf('/*', at) > text.lastIndexOf('*/', at)) return true;
  if (!declares(before)) return false;
  const open = afterBlanks(text, at + name.length);
  // `extern uint dhd_fw_on_load;`: declares the one definition's variable, writes nothing.
  if (/^\s*extern\b/.test(before) && /^(?:\[[^\]\n]*\])?\s*;/.test(text.slice(open, open + 80))) return true;
  const i = paramsEnd(text, open);
  if (i === undefined) return false;
  const end = text.indexOf(';', i);
  return end > 0 && !/[{=]/.test(text.slice(i + 1, end));
}
