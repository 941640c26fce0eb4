/**
 * The integer values a kernel tree's headers give the names a directory's files include them
 * for: `#include <linux/netfilter.h>` brings `#define NF_DROP 0` and `#define NF_VERDICT_MASK
 * 0x000000ff`, so `switch (verdict & NF_VERDICT_MASK)` with NF_DROP passed takes no `case
 * NF_QUEUE:`. The headers are those the files include and those they include in turn
 * (includedHeaders); only `#define NAME <integer>` (decimal, hex, `(1 << n)`, parenthesised or
 * with a `U`/`L` suffix) and enumerators (`RTM_NEWADDR = 20`, or counted on from the one
 * before) count. The headers the files include themselves give the lock-annotated prototypes
 * of functions defined outside the directory (annotatedHeaderFiles).
 * No I/O: the front end hands includedHeaders a reader (a directory on disk for `analyze`, the
 * patched snapshot for `check`).
 */
import type { AnalysisOptions } from '../analyzers/analyze-program.ts';
import { extractFacts, type ExtractOptions, type SourceFile } from '../analyzers/c/extract-facts.ts';
import { annotatedDeclarations, blankComments, PREPROCESSOR_LINE } from '../analyzers/c/header-declarations.ts';
import { shiftedValue } from '../analyzers/c/comparison.ts';
import { headerStubFiles, stubText, type LockOpKind } from './header-stubs.ts';
import { lockMacroText } from './header-lock-macros.ts';
import { buildCatalogue } from '../analyzers/locks/catalogue.ts';
import { Lru } from '../analyzers/util/lru.ts';
import { createHash } from 'node:crypto';
import { posix } from 'node:path';

const INCLUDE = /^\s*#\s*include\s*<([\w/.-]+\.h)>/gm;
const DEFINE = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+([^\n]*?)[ \t]*(?:\/\*.*|\/\/.*)?$/gm;
/** At most this many headers are read: a directory names a few dozen. */
const MAX_HEADERS = 400;
const MAX_HEADER_BYTES = 1 << 20;

/** `0x1f`, `8U`, `(1 << 4)`, `(-1)`: its value; anything else (an expression of names) none. */
export function integerDefine(text: string): number | undefined {
  const t = text.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
  const lit = /^(-?)(0x[0-9a-fA-F]+|\d+)[uUlL]*$/.exec(t);
  if (lit) return (lit[1] ? -1 : 1) * Number(lit[2]);
  return shiftedValue(t.replace(/^\((.*)\)$/, '$1'));
}

/** The headers `texts` include with angle brackets (`linux/netfilter.h`), each once. */
export function angleIncludes(texts: readonly string[]): string[] {
  const out = new Set<string>();
  // Never outside include/: a path with `..` in it is no kernel header.
  for (const t of texts) for (const m of t.matchAll(INCLUDE)) if (!(m[1] as string).split('/').includes('..')) out.add(m[1] as string);
  return [...out].sort();
}

/** The integer `#define`s of one header's text. */
export function integerDefines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(DEFINE)) {
    const v = integerDefine(m[2] as string);
    if (v !== undefined) out.set(m[1] as string, v);
  }
  return out;
}

export interface Header {
  /** `include/net/frag.h`, from the tree's root. */
  path: string;
  text: string;
  /** 0 for a header an analysed file includes, 1 for one that header includes, and so on. */
  depth?: number;
}

/** Reads a file of the tree by its path from the root (`include/net/frag.h`): undefined when it cannot. */
export type TreeReader = (path: string) => Promise<string | undefined>;

/** `#include "ttm/ttm_bo_api.h"`: a quoted include, found beside the file or on the search path. */
const QUOTE_INCLUDE = /^\s*#\s*include\s*"([\w/.-]+\.h)"/gm;

/**
 * The tree's headers the files include, and the headers those include, read once each through
 * `read`, nearest first (a missing or oversized one is left). An angle include is under
 * `include/`; a quoted one beside the header naming it, then on `searchDirs` (the `-I`
 * directories the Makefiles give: c/kbuild includeDirs), then under `include/`. A quoted include
 * of an analysed file that no search directory holds is the directory's own (analysed already).
 * No path climbs out of the tree.
 */
export async function includedHeaders(read: TreeReader, texts: readonly string[], searchDirs: readonly string[] = []): Promise<Header[]> {
  const out: Header[] = [];
  const tried = new Set<string>();
  let level: string[][] = texts.map((t) => includesIn(t, searchDirs));
  for (let depth = 0; level.length > 0 && out.length < MAX_HEADERS; depth++) {
    const next: string[][] = [];
    for (const names of level) {
      for (const candidates of names) {
        for (const path of candidates.split('|')) {
          if (out.length >= MAX_HEADERS || tried.has(path)) continue;
          tried.add(path);
          const text = await read(path).catch(() => undefined);
          if (text === undefined || text.length > MAX_HEADER_BYTES) continue;
          out.push({ path, text, depth });
          next.push(includesIn(text, searchDirs, path));
          break;
        }
      }
    }
    level = next;
  }
  return out;
}

/**
 * The names a text includes, with angle brackets and quoted, by the text itself: a whole-tree
 * build asks this of the same header strings in every directory (and a Map hashes a string once).
 */
const namedIncludes = new Lru<string, { angle: string[]; quoted: string[] }>(5_000);

function includeNames(text: string, isHeader: boolean): { angle: string[]; quoted: string[] } {
  let names = isHeader ? namedIncludes.get(text) : undefined;
  if (names) return names;
  names = { angle: [...text.matchAll(INCLUDE)].map((m) => m[1] as string), quoted: [...text.matchAll(QUOTE_INCLUDE)].map((m) => m[1] as string) };
  // A directory's own files are asked once: kept, they would only hold their texts.
  if (isHeader) namedIncludes.set(text, names);
  return names;
}

/** The includes of one text as alternatives to try in order (`a|b`), tree-relative; none climbing out. */
function includesIn(text: string, searchDirs: readonly string[], from?: string): string[] {
  const out: string[] = [];
  const ok = (p: string): boolean => !p.split('/').includes('..');
  const { angle, quoted } = includeNames(text, from !== undefined);
  for (const name of angle) if (ok(name)) out.push(`include/${name}`);
  for (const name of quoted) {
    if (!ok(name)) continue;
    const here = from ? [`${posix.dirname(from)}/${name}`] : [];
    const paths = [...here, ...searchDirs.map((d) => `${d}/${name}`), ...(from ? [`include/${name}`] : [])].map((p) => posix.normalize(p)).filter((p) => !p.startsWith('..'));
    if (paths.length) out.push(paths.join('|'));
  }
  return out;
}

const ENUM = /\benum\b\s*[A-Za-z_]*\s*\{([^{}]*)\}/g;
const SELF_DEFINE = /^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+\1[ \t]*$/gm;
/** What a directive in an enum body leaves: no enumerator, and nothing counted past it. */
const UNCOUNTED = '#';
const ENUMERATOR = /^\s*([A-Za-z_]\w*)\s*(?:=\s*([\s\S]*?))?\s*$/;

/**
 * The values of a header's enumerators: `enum { RTM_BASE = 16, RTM_NEWLINK = 16, RTM_DELLINK,
 * ... }` gives RTM_DELLINK 17. An explicit value is an integer or a name already given one;
 * any other expression leaves that enumerator and the ones counted from it without a value. So
 * does a preprocessor line in the body (`#include <linux/cgroup_subsys.h>` writing enumerators,
 * an `#ifdef` dropping some), except `#define X X`, which names an enumerator for `#ifdef`.
 */
export function integerEnumerators(text: string, known: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const out = new Map<string, number>();
  if (!text.includes('enum')) return out;
  for (const m of blankComments(text).matchAll(ENUM)) {
    let next: number | undefined = 0;
    const body = (m[1] as string).replace(SELF_DEFINE, '').replace(PREPROCESSOR_LINE, `,${UNCOUNTED},`);
    for (const item of body.split(',')) {
      const e = ENUMERATOR.exec(item);
      if (!e) {
        if (item.trim()) next = undefined;
        continue;
      }
      const name = e[1] as string;
      const written = e[2]?.trim();
      const value = written === undefined ? next : (integerDefine(written) ?? out.get(written) ?? known.get(written));
      if (value !== undefined) out.set(name, value);
      next = value === undefined ? undefined : value + 1;
    }
  }
  return out;
}

/**
 * What the headers define as integers, by `#define` or as enumerators. A name headers nearer the
 * files define wins over one included further down; two at one depth that disagree give none.
 */
export function headerConstants(headers: readonly Header[]): Record<string, number> {
  // name -> its value (null where two at its depth disagree) and the depth it was found at
  const found = new Map<string, { value: number | null; depth: number }>();
  for (const { text, depth = 0 } of headers) {
    const { defines, enumerators } = readingOf(text);
    for (const named of [defines, enumerators]) {
      for (const [name, v] of named) {
        const at = found.get(name);
        if (at === undefined) found.set(name, { value: v, depth });
        else if (at.depth > depth) {
          at.value = v;
          at.depth = depth;
        } else if (at.depth === depth && at.value !== v) at.value = null;
      }
    }
  }
  const out: Record<string, number> = {};
  for (const [name, { value }] of found) if (value !== null) out[name] = value;
  return out;
}

/** What the analysis reads of one header's text, worked out once per text. */
interface HeaderReading {
  defines: ReadonlyMap<string, number>;
  enumerators: ReadonlyMap<string, number>;
  /** Asked of the headers the files include themselves only: worked out when first asked. */
  declarations?: string;
  stubs?: string | null;
  /** Asked of the headers read through others: their lock wrappers alone (context/header-stubs.ts). */
  wrappers?: string | null;
  lockMacros?: string | null;
}

/**
 * Every directory of a tree includes much the same few hundred headers, and scanning them was a
 * sixth of a whole-tree build: each text is read once per process (keyed by its hash, so the
 * texts themselves are not kept).
 */
const readings = new Lru<string, HeaderReading>(4096);

function readingOf(text: string): HeaderReading {
  const key = createHash('sha1').update(text).digest('base64url');
  const known = readings.get(key);
  if (known) return known;
  const defines = integerDefines(text);
  const reading: HeaderReading = { defines, enumerators: integerEnumerators(text, defines) };
  readings.set(key, reading);
  return reading;
}

function declarationsOf(text: string): string {
  const reading = readingOf(text);
  reading.declarations ??= annotatedDeclarations(text);
  return reading.declarations;
}

function stubsOf(text: string): string | undefined {
  const reading = readingOf(text);
  if (reading.stubs === undefined) reading.stubs = stubText(text, lockOpKind) ?? null;
  return reading.stubs ?? undefined;
}

function wrappersOf(text: string): string | undefined {
  const reading = readingOf(text);
  if (reading.wrappers === undefined) reading.wrappers = stubText(text, lockOpKind, true) ?? null;
  return reading.wrappers ?? undefined;
}

/**
 * The catalogue's lock operations, and its atomic regions' entries and exits (`local_bh_disable()`):
 * a header macro calling one wraps a lock (context/header-lock-macros.ts).
 */
const CATALOGUE = buildCatalogue();
const LOCK_OPERATIONS: ReadonlySet<string> = new Set(['acquire', 'tryAcquire', 'condAcquire', 'release', 'cycle', 'region']);
const isLockOp = (name: string): boolean => LOCK_OPERATIONS.has(CATALOGUE.get(name)?.k ?? '');
const lockOpKind = (name: string): LockOpKind | undefined => (isLockOp(name) ? (CATALOGUE.get(name)?.k === 'region' ? 'region' : 'lock') : undefined);

function lockMacrosOf(text: string): string | undefined {
  const reading = readingOf(text);
  if (reading.lockMacros === undefined) reading.lockMacros = lockMacroText(text, isLockOp) ?? null;
  return reading.lockMacros ?? undefined;
}

/** The headers' lock-wrapping macros (context/header-lock-macros.ts), one source file per header that has any. */
export function lockMacroFiles(headers: readonly Header[]): SourceFile[] {
  const out: SourceFile[] = [];
  for (const { path, text } of headers) {
    const macros = lockMacrosOf(text);
    if (macros !== undefined) out.push({ path, text: macros });
  }
  return out;
}

/**
 * The headers' lock-annotated declarations (`inet_frag_find(...) __releases(&f->lock);`), one
 * source file per header that has any: lowered like the program's files, they give the program
 * the prototypes of functions it calls but does not define.
 */
export function annotatedHeaderFiles(headers: readonly Header[]): SourceFile[] {
  const out: SourceFile[] = [];
  for (const { path, text } of headers) {
    const decls = declarationsOf(text);
    if (decls) out.push({ path, text: decls });
  }
  return out;
}

/**
 * What the headers give an analysis: their integer constants, the annotated prototypes in them,
 * their stubs and lock wrappers (context/header-stubs.ts) and their lock-wrapping macros
 * (context/header-lock-macros.ts).
 */
export async function headerOptions(headers: readonly Header[], cache?: ExtractOptions['cache']): Promise<Pick<AnalysisOptions, 'headerConstants' | 'headerPrototypes' | 'headerStubs' | 'headerMacros'>> {
  const constants = headerConstants(headers);
  // Prototypes and stubs only from the headers the files include: deeper ones declare the
  // locking primitives' own internals (`_raw_spin_lock(..) __acquires(lock)`).
  const own = headers.filter((h) => !h.depth);
  const facts = await extractFacts(annotatedHeaderFiles(own), cache ? { cache } : {});
  const prototypes = facts.flatMap((f) => f.prototypes.filter((p) => p.annotations));
  // Lock wrappers from every header read (task_lock() of a <linux/sched.h> read through <linux/mm.h>):
  // only functions the program calls and does not define get a body, and the primitives' own
  // internals are either the catalogue's names or call more than lock operations.
  const deep = headers.filter((h) => h.depth);
  const stubs = await extractFacts([...headerStubFiles(own, stubsOf), ...headerStubFiles(deep, wrappersOf)], cache ? { cache } : {});
  const macros = await extractFacts(lockMacroFiles(own), cache ? { cache } : {});
  return {
    ...(Object.keys(constants).length ? { headerConstants: constants } : {}),
    ...(prototypes.length ? { headerPrototypes: prototypes } : {}),
    ...(stubs.length ? { headerStubs: stubs } : {}),
    ...(macros.length ? { headerMacros: macros } : {}),
  };
}

/**
 * What an analysis takes from one header's text, as a string: two texts give the same exactly
 * when includedHeaders and headerOptions take the same from them: whether it is read at all (its
 * size), its includes, its integer constants and, for a header the files include themselves
 * (`own`, depth 0), its annotated prototypes, its stubs and its lock macros (line numbers kept),
 * for one read through another its lock wrappers. A tree graph's
 * partition that read a header whose text changed but not this is known without analysing it
 * again (review/tree-graph-build.ts). Whatever else headerOptions comes to read must come here too.
 */
export function headerTakings(path: string, text: string, own: boolean): string {
  const kind = own ? 'o' : 'i';
  if (text.length > MAX_HEADER_BYTES) return `${kind}:oversized`;
  const { defines, enumerators } = readingOf(text);
  const { angle, quoted } = includeNames(text, true);
  const parts: unknown[] = [angle, quoted, [...defines], [...enumerators]];
  if (own) parts.push(annotatedHeaderFiles([{ path, text }]).map((f) => f.text), headerStubFiles([{ path, text }], stubsOf).map((f) => f.text), lockMacroFiles([{ path, text }]).map((f) => f.text));
  else parts.push(headerStubFiles([{ path, text }], wrappersOf).map((f) => f.text));
  return `${kind}:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url')}`;
}
