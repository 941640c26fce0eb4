/**
 * A base tree's functions by name: where each is defined and which files call it, from the
 * pre-scan of every file (symbol-scan.ts). Immutable once built; SymbolIndexer builds and caches
 * them. Answers are candidates: the context lowers the files it picks and trusts only what the
 * lowering shows.
 *
 *   definitions('core_reset') -> [{ path: 'core.c', isStatic: false, isMacro: false }]
 *   callers('core_reset')     -> ['chip/main.c', 'channel.c']
 *
 * Held as flat arrays (names sorted in one string, a name's entries a range of one typed array),
 * so a whole kernel's index (350,000 names, 30,000 files) is a few typed arrays and a string:
 * `pack()` gives them to a store and `unpack()` takes them back as they are, a lookup being a
 * binary search (no table of names rebuilt in every process: that alone cost 0.3 s).
 */
import type { FileSymbols } from './symbol-scan.ts';
import type { DefinitionSite } from './types.ts';

/** The index as stored: the names sorted and concatenated, entries by name id (a name's rank). */
export interface PackedSymbolIndex {
  readonly files: number;
  readonly paths: readonly string[];
  /** Name i is names.slice(nameEnds[i - 1] ?? 0, nameEnds[i]). */
  readonly names: string;
  readonly nameEnds: Int32Array;
  /** Name i's definitions are defSites[defStart[i] .. defStart[i + 1]): path id << 2 | macro << 1 | static. */
  readonly defStart: Int32Array;
  readonly defSites: Int32Array;
  /** Name i's callers are callPaths[callStart[i] .. callStart[i + 1]), path ids in path order. */
  readonly callStart: Int32Array;
  readonly callPaths: Int32Array;
}

const STATIC = 1;
const MACRO = 2;

export class SymbolIndex {
  /** Name ids, where this process built the index (else a lookup is a binary search). */
  private readonly ids: Map<string, number> | undefined;

  /**
   * `files`: each indexed path with what the scan found in it, in path order. `scope`: 'tree'
   * when every C file of the base was scanned, 'near' when only the directories around a patch.
   */
  static of(files: Iterable<readonly [string, FileSymbols]>, scope: 'tree' | 'near'): SymbolIndex {
    const seen = new Map<string, number>();
    const defs: number[][] = [];
    const calls: number[][] = [];
    const paths: string[] = [];
    const idOf = (name: string): number => {
      let id = seen.get(name);
      if (id === undefined) {
        seen.set(name, (id = defs.length));
        defs.push([]);
        calls.push([]);
      }
      return id;
    };
    for (const [path, symbols] of files) {
      const p = paths.push(path) - 1;
      for (const d of symbols.defs) {
        const list = defs[idOf(d.name)] as number[];
        const site = (p << 2) | (d.isMacro ? MACRO : 0) | (d.isStatic ? STATIC : 0);
        // A name defined twice alike in one file (#ifdef twins) is one site; this file's are last.
        let twin = false;
        for (let i = list.length - 1; i >= 0 && (list[i] as number) >> 2 === p && !twin; i--) twin = list[i] === site;
        if (!twin) list.push(site);
      }
      for (const name of symbols.calls) (calls[idOf(name)] as number[]).push(p);
    }
    // Ids become ranks in name order, so a stored index is searched without a table.
    const sorted = [...seen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const ids = new Map(sorted.map((n, i) => [n, i]));
    const byRank = (lists: number[][]): number[][] => sorted.map((n) => lists[seen.get(n) as number] as number[]);
    const [defStart, defSites] = flat(byRank(defs));
    const [callStart, callPaths] = flat(byRank(calls));
    const nameEnds = new Int32Array(sorted.length);
    let end = 0;
    sorted.forEach((n, i) => (nameEnds[i] = end += n.length));
    return new SymbolIndex({ files: paths.length, paths, names: sorted.join(''), nameEnds, defStart, defSites, callStart, callPaths }, scope, ids);
  }

  /** An index as `pack()` gave it; undefined when its arrays do not fit together (a damaged store). */
  static unpack(p: PackedSymbolIndex, scope: 'tree' | 'near'): SymbolIndex | undefined {
    const n = p.nameEnds.length;
    const fits = (start: Int32Array, entries: Int32Array): boolean => start.length === n + 1 && start[0] === 0 && start[n] === entries.length;
    if (!fits(p.defStart, p.defSites) || !fits(p.callStart, p.callPaths) || p.paths.length !== p.files || (n > 0 && p.nameEnds[n - 1] !== p.names.length)) return undefined;
    if (p.defSites.some((s) => s >> 2 >= p.files || s < 0) || p.callPaths.some((x) => x >= p.files || x < 0)) return undefined;
    return new SymbolIndex(p, scope, undefined);
  }

  private constructor(
    private readonly packed: PackedSymbolIndex,
    readonly scope: 'tree' | 'near',
    ids: Map<string, number> | undefined,
  ) {
    this.ids = ids;
    this.files = packed.files;
  }

  /** How many files were scanned. */
  readonly files: number;

  pack(): PackedSymbolIndex {
    return this.packed;
  }

  private idOf(name: string): number | undefined {
    if (this.ids) return this.ids.get(name);
    const { names, nameEnds } = this.packed;
    let lo = 0;
    let hi = nameEnds.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = names.slice(mid === 0 ? 0 : nameEnds[mid - 1], nameEnds[mid]);
      if (at === name) return mid;
      if (at < name) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Where `name` is defined (functions and function-like macros). */
  definitions(name: string): readonly DefinitionSite[] {
    const id = this.idOf(name);
    if (id === undefined) return [];
    const { defStart, defSites, paths } = this.packed;
    const out: DefinitionSite[] = [];
    for (let i = defStart[id] as number; i < (defStart[id + 1] as number); i++) {
      const s = defSites[i] as number;
      out.push({ path: paths[s >> 2] as string, isStatic: (s & STATIC) !== 0, isMacro: (s & MACRO) !== 0 });
    }
    return out;
  }

  /** The files that call `name` (by the scan: a `name(` outside its definition), in path order. */
  callers(name: string): readonly string[] {
    const id = this.idOf(name);
    if (id === undefined) return [];
    const { callStart, callPaths, paths } = this.packed;
    const out: string[] = [];
    for (let i = callStart[id] as number; i < (callStart[id + 1] as number); i++) out.push(paths[callPaths[i] as number] as string);
    return out;
  }
}

/** Lists by id as [start offsets, entries]. */
function flat(lists: readonly number[][]): [Int32Array, Int32Array] {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => (start[i + 1] = (start[i] as number) + l.length));
  const entries = new Int32Array(start[lists.length] as number);
  lists.forEach((l, i) => entries.set(l, start[i] as number));
  return [start, entries];
}
