/**
 * Lowered per-file facts kept on disk between runs (`--cache DIR`): the next `analyze` of a tree,
 * or the next review against it, parses only the files whose bytes changed. An entry is keyed by
 * the analyzer build (a hash of its own code and grammar), the file's path (facts name anonymous
 * structs by file and line) and the content hash, so a new build or an edited file never reads
 * an old entry.
 *
 * Each entry carries a checksum of its payload: a truncated, half-written or tampered entry is
 * detected, deleted and rebuilt, never trusted. Writes go to a temporary file renamed into
 * place, so a concurrent reader never sees half an entry. The directory is bounded: past
 * `maxBytes` the least recently used entries go first (a hit refreshes the entry's mtime).
 * It is a cache: a failed read is a miss and a failed write is dropped.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FactsCache, type FactsStore } from '../analyzers/c/facts-cache.ts';
import type { FileFacts } from '../analyzers/c/ir.ts';
import { readEntry, seal, unseal } from './sealed-entry.ts';
import { writeAtomically } from './write-atomically.ts';

const MAGIC = Buffer.from('LSFACTS1');
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

export interface FactsStoreStats {
  hits: number;
  misses: number;
  writes: number;
  /** Entries that failed their checksum or did not decode: deleted and rebuilt. */
  corrupt: number;
  evicted: number;
}

export class DiskFactsStore implements FactsStore {
  readonly stats: FactsStoreStats = { hits: 0, misses: 0, writes: 0, corrupt: 0, evicted: 0 };
  #bytes: Promise<number> | undefined;
  #evicting: Promise<void> | undefined;

  /** `build` tells analyzer builds apart; by default the hash of the running analyzer's code. */
  constructor(
    readonly dir: string,
    readonly options: { maxBytes?: number; build?: string } = {},
  ) {}

  async get(path: string, hash: string): Promise<FileFacts | undefined> {
    const facts = await readEntry(this.#file(path, hash), decode, this.stats);
    if (!facts) return undefined;
    return facts.path === path ? facts : { ...facts, path };
  }

  async put(path: string, hash: string, facts: FileFacts): Promise<void> {
    const file = this.#file(path, hash);
    const data = encode(facts);
    if (!(await writeAtomically(file, data))) return;
    this.stats.writes++;
    const total = (await this.#total()) + data.length;
    this.#bytes = Promise.resolve(total);
    if (total > (this.options.maxBytes ?? DEFAULT_MAX_BYTES)) await this.#evict();
  }

  /** Bytes on disk, counted once per process and then kept up to date by this process's writes. */
  #total(): Promise<number> {
    this.#bytes ??= this.#entries().then((es) => es.reduce((n, e) => n + e.size, 0));
    return this.#bytes;
  }

  /** Oldest first until the store is under 90% of its bound (so eviction is not per write). */
  #evict(): Promise<void> {
    this.#evicting ??= (async () => {
      const entries = (await this.#entries()).sort((a, b) => a.mtimeMs - b.mtimeMs);
      let total = entries.reduce((n, e) => n + e.size, 0);
      const target = 0.9 * (this.options.maxBytes ?? DEFAULT_MAX_BYTES);
      for (const e of entries) {
        if (total <= target) break;
        await rm(e.file, { force: true }).catch(() => undefined);
        total -= e.size;
        this.stats.evicted++;
      }
      this.#bytes = Promise.resolve(total);
    })().finally(() => (this.#evicting = undefined));
    return this.#evicting;
  }

  async #entries(): Promise<{ file: string; size: number; mtimeMs: number }[]> {
    const out: { file: string; size: number; mtimeMs: number }[] = [];
    const shards = await readdir(this.dir).catch(() => [] as string[]);
    for (const shard of shards) {
      // Entries live in two-hex-digit shards; anything else (the symbol index) is not ours.
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      const names = await readdir(join(this.dir, shard)).catch(() => [] as string[]);
      for (const name of names) {
        if (name.endsWith('.tmp')) continue;
        const file = join(this.dir, shard, name);
        const s = await stat(file).catch(() => undefined);
        if (s?.isFile()) out.push({ file, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
    return out;
  }

  #file(path: string, hash: string): string {
    const key = createHash('sha256')
      .update(`${this.options.build ?? analyzerBuild()}\u0000${path}\u0000${hash}`)
      .digest('hex');
    return join(this.dir, key.slice(0, 2), key.slice(2));
  }
}

const encode = (facts: FileFacts): Buffer => seal(MAGIC, facts);

function decode(bytes: Buffer): FileFacts | undefined {
  const facts = unseal(MAGIC, bytes) as FileFacts | undefined;
  return facts && typeof facts === 'object' && Array.isArray(facts.functions) ? facts : undefined;
}

let build: string | undefined;

/**
 * The running analyzer build: a hash of every module under analyzers/ (compiled or source, as
 * it runs), of the modules that decide what an analysis takes from a tree's headers
 * (context/header-*), and of the C grammar. Any change to how facts or stored graphs are made
 * changes it, with no version number to forget to bump.
 */
export function analyzerBuild(): string {
  if (build) return build;
  const h = createHash('sha256');
  const root = fileURLToPath(new URL('../analyzers/', import.meta.url));
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|js)$/.test(name)) h.update(name).update(readFileSync(p));
    }
  };
  walk(root);
  const context = fileURLToPath(new URL('../context/', import.meta.url));
  for (const name of readdirSync(context).sort()) if (/^header-.*\.(ts|js)$/.test(name)) h.update(name).update(readFileSync(join(context, name)));
  const require = createRequire(import.meta.url);
  h.update(readFileSync(require.resolve('tree-sitter-c/tree-sitter-c.wasm')));
  build = h.digest('hex').slice(0, 16);
  return build;
}

/**
 * The facts cache of a server or mail bot: in memory, backed by a store in a `facts` directory
 * next to its database (none for an in-memory database, which keeps nothing either).
 */
export function factsCacheBeside(dbPath: string): FactsCache {
  return dbPath === ':memory:' ? new FactsCache() : new FactsCache(undefined, new DiskFactsStore(join(dirname(dbPath), 'facts')));
}
