/**
 * Builds the SymbolIndex of a base tree and keeps it: per base (a git tree id names its content,
 * so a second review against the same tree reuses the index whole) and per file (by blob id, so a
 * review against the next commit scans only the files that changed). With a store both outlive
 * the process: a new process reviewing against a stored tree reads its finished index back
 * instead of loading every blob's symbols and building it again. Reads go through the BaseTree,
 * nothing else; it writes only to its store.
 *
 * Scope: a local base (a directory, a git repository) is scanned whole, up to INDEX_LIMITS; a
 * remote one (the GitHub APIs, a request per file) and one over the limits only in the
 * directories around the patch and their ancestors (`near`), so `chip/main.c` still finds
 * `core.c` at the root. A directory base has no key: its index lives for one review.
 *
 * Measured on Linux 3.0 (30,055 .c/.h files, 379 MB): see docs/ARCHITECTURE.md ("Context").
 */
import type { BaseTree } from '../diff/base-tree.ts';
import { Lru } from '../analyzers/util/lru.ts';
import { SymbolIndex, type PackedSymbolIndex } from './symbol-index.ts';
import { scanSymbols, type FileSymbols } from './symbol-scan.ts';

/** The most a whole-tree index reads; a larger tree is indexed near the patch only. */
export const INDEX_LIMITS = { files: 100_000, bytes: 2 * 1024 * 1024 * 1024 };
/** The most files a `near` index reads (a remote base pays one request for each). */
const NEAR_FILES = 1_000;
/** Distinct names kept before the table of shared copies starts over. */
const MAX_NAMES = 2_000_000;
/** Reads in flight while indexing: keeps git's cat-file pipe and the disk busy while the scan runs. */
const READ_AHEAD = 64;

const isC = (path: string): boolean => path.endsWith('.c') || path.endsWith('.h');
const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/** `a/b/c` -> ['a/b/c', 'a/b', 'a', ''] */
function withAncestors(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) for (let cur = d; ; cur = dirOf(cur)) {
    if (!out.includes(cur)) out.push(cur);
    if (cur === '') break;
  }
  // Nearest first: deeper directories before their ancestors.
  return out.sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Where an indexer keeps indexes between processes (src/store/symbols-store.ts): the last tree's
 * symbols by blob id (a new tree scans only its changed files), and the finished index of each
 * recent tree by its key (the same tree again reads it back whole, scanning and building nothing).
 */
export interface SymbolsStore {
  load(): Promise<ReadonlyMap<string, FileSymbols> | undefined>;
  save(entries: ReadonlyMap<string, FileSymbols>): Promise<void>;
  loadTree?(key: string): Promise<PackedSymbolIndex | undefined>;
  saveTree?(key: string, index: PackedSymbolIndex): Promise<void>;
}

export class SymbolIndexer {
  /** Files read and scanned so far (a file found in the per-blob cache is not counted). */
  scanned = 0;
  #loaded: Promise<void> | undefined;
  /** Whole-tree indexes by BaseTree.cacheKey, oldest first. */
  private readonly byBase = new Map<string, Promise<SymbolIndex>>();
  private readonly byBlob: Lru<string, FileSymbols>;
  /** One copy of each name: a scanned name may be a slice of its whole file's text. */
  private readonly names = new Map<string, string>();

  constructor(private readonly options: { bases?: number; files?: number; store?: SymbolsStore } = {}) {
    this.byBlob = new Lru(options.files ?? 100_000);
  }

  /** The stored index of the last tree, into the per-blob cache: once per indexer. */
  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      const stored = await this.options.store?.load().catch(() => undefined);
      for (const [id, symbols] of stored ?? []) if (!this.byBlob.get(id)) this.byBlob.set(id, symbols);
    })();
    return this.#loaded;
  }

  /**
   * The index of `base`; `near` are the directories the patch touches (indexed, with their
   * ancestors, when the base is remote or too large to index whole).
   */
  async indexOf(base: BaseTree, near: readonly string[]): Promise<SymbolIndex> {
    const nearIndex = async (): Promise<SymbolIndex> => SymbolIndex.of((await this.scan(base, await this.nearFiles(base, near), Infinity)) ?? [], 'near');
    if (base.remote) return nearIndex();
    const key = await base.cacheKey?.();
    const hit = key === undefined ? undefined : this.byBase.get(key);
    if (hit) return hit;
    const store = this.options.store;
    const pending = (async () => {
      // This very tree indexed by an earlier process: read back whole.
      const stored = key === undefined ? undefined : await store?.loadTree?.(key).catch(() => undefined);
      const kept = stored && SymbolIndex.unpack(stored, 'tree');
      if (kept) return kept;
      const all = (await base.listAll()).filter(isC);
      const before = this.scanned;
      const whole = all.length <= INDEX_LIMITS.files ? await this.scan(base, all, INDEX_LIMITS.bytes) : undefined;
      if (!whole) return nearIndex();
      // A tree with files not seen before: the store keeps its symbols by blob for the next tree.
      if (store && this.scanned > before) await this.save(base, whole);
      const index = SymbolIndex.of(whole, 'tree');
      if (key !== undefined) await store?.saveTree?.(key, index.pack()).catch(() => undefined);
      return index;
    })();
    if (key !== undefined) {
      this.byBase.set(key, pending);
      if (this.byBase.size > (this.options.bases ?? 4)) this.byBase.delete(this.byBase.keys().next().value as string);
      // A failed build (a git error) is not kept: the next review tries again.
      pending.catch(() => this.byBase.get(key) === pending && this.byBase.delete(key));
    }
    return pending;
  }

  /** The C files directly inside `near` and their ancestors, nearest first, at most NEAR_FILES. */
  private async nearFiles(base: BaseTree, near: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const dir of withAncestors(near)) {
      for (const f of await base.list(dir)) {
        if (out.length >= NEAR_FILES) return out;
        if (isC(f)) out.push(f);
      }
    }
    return out;
  }

  private async save(base: BaseTree, index: readonly [string, FileSymbols][]): Promise<void> {
    const ids = await base.blobIds?.();
    if (!ids) return;
    const entries = new Map<string, FileSymbols>();
    for (const [path, symbols] of index) {
      const id = ids.get(path);
      if (id !== undefined) entries.set(id, symbols);
    }
    await this.options.store?.save(entries).catch(() => undefined);
  }

  /** Each path with its symbols (from the per-blob cache, else read and scanned); undefined past `maxBytes` read. */
  private async scan(base: BaseTree, paths: readonly string[], maxBytes: number): Promise<[string, FileSymbols][] | undefined> {
    const ids = await base.blobIds?.();
    if (ids) await this.#load();
    const pending: ({ path: string; id: string | undefined; cached: FileSymbols | undefined; text: Promise<string | undefined> | undefined } | undefined)[] = [];
    // Reads run READ_AHEAD files ahead of the scan, so git (or the disk) and the scan overlap.
    const start = (i: number): void => {
      const path = paths[i];
      if (path === undefined || pending[i]) return;
      const id = ids?.get(path);
      const cached = id === undefined ? undefined : this.byBlob.get(id);
      pending[i] = { path, id, cached, text: cached ? undefined : base.read(path) };
    };
    const out: [string, FileSymbols][] = [];
    let bytes = 0;
    for (let i = 0; i < paths.length; i++) {
      for (let j = i; j < i + READ_AHEAD; j++) start(j);
      const { path, id, cached, text } = pending[i] as NonNullable<(typeof pending)[number]>;
      pending[i] = undefined;
      if (cached) {
        out.push([path, cached]);
        continue;
      }
      const got = await text;
      if (got === undefined) continue;
      bytes += got.length;
      if (bytes > maxBytes) return undefined;
      const symbols = this.own(scanSymbols(got));
      this.scanned++;
      if (id !== undefined) this.byBlob.set(id, symbols);
      out.push([path, symbols]);
    }
    return out;
  }

  private own(s: FileSymbols): FileSymbols {
    const name = (n: string): string => {
      let kept = this.names.get(n);
      if (kept === undefined) {
        // Names are few (Linux has about half a million); a server reviewing many trees still restarts the table now and then.
        if (this.names.size >= MAX_NAMES) this.names.clear();
        // A fresh copy, so the name does not hold on to the text it was sliced from.
        kept = Buffer.from(n, 'latin1').toString('latin1');
        this.names.set(kept, kept);
      }
      return kept;
    };
    return { defs: s.defs.map((d) => ({ ...d, name: name(d.name) })), calls: s.calls.map(name) };
  }
}
