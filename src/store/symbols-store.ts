/**
 * The symbol index of the last git tree indexed, kept on disk by blob id (`--cache DIR`): the
 * `calls` context of the next CLI review scans only the files whose blobs changed, instead of
 * all 30,000 files of a kernel tree (about 15 s) in every new process. One file per scanner
 * build (a hash of the scanner's code), replaced whole by the latest tree's index. Beside it, in
 * `trees/`, the finished index of the last few trees by tree key (a git tree id): a review against
 * one of them reads about 5 MB of flat arrays back instead of 37 MB of per-blob symbols it would
 * then build an index from (Linux 3.0: 0.2 s instead of 1.9 s).
 *
 * Like the facts store: a checksum over the payload, so a truncated or altered file is detected,
 * deleted and rebuilt, never trusted; written to a temporary file renamed into place. It is a
 * cache: a failed read is a miss and a failed write is dropped.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackedSymbolIndex } from '../context/symbol-index.ts';
import { SymbolIndexer, type SymbolsStore } from '../context/symbol-indexer.ts';
import type { FileSymbols } from '../context/symbol-scan.ts';
import { keepNewest } from './keep-newest.ts';
import { readEntry, seal, unseal } from './sealed-entry.ts';
import { writeAtomically } from './write-atomically.ts';

const MAGIC = Buffer.from('LSSYMS01');
const TREE = Buffer.from('LSSYMT02');

export class DiskSymbolsStore implements SymbolsStore {
  readonly stats = { loads: 0, saves: 0, corrupt: 0 };
  readonly treeStats = { hits: 0, misses: 0, corrupt: 0, saves: 0 };

  /** `build` tells scanner builds apart (by default the hash of the running scanner's code); `maxTrees` indexes are kept (4). */
  constructor(
    readonly dir: string,
    readonly options: { build?: string; maxTrees?: number } = {},
  ) {}

  get file(): string {
    return join(this.dir, `${this.options.build ?? scannerBuild()}.idx`);
  }

  async load(): Promise<ReadonlyMap<string, FileSymbols> | undefined> {
    const bytes = await readFile(this.file).catch(() => undefined);
    if (!bytes) return undefined;
    const entries = decode(bytes);
    if (!entries) {
      this.stats.corrupt++;
      await rm(this.file, { force: true }).catch(() => undefined);
      return undefined;
    }
    this.stats.loads++;
    return entries;
  }

  async save(entries: ReadonlyMap<string, FileSymbols>): Promise<void> {
    if (await writeAtomically(this.file, seal(MAGIC, [...entries]))) this.stats.saves++;
  }

  /** The file of one tree's index: by scanner build and tree key. */
  treeFile(key: string): string {
    const name = createHash('sha256').update(`${this.options.build ?? scannerBuild()}\u0000${key}`).digest('hex').slice(0, 40);
    return join(this.dir, 'trees', `${name}.idx`);
  }

  loadTree(key: string): Promise<PackedSymbolIndex | undefined> {
    return readEntry(this.treeFile(key), (bytes) => decodeTree(unseal(TREE, bytes)), this.treeStats);
  }

  async saveTree(key: string, index: PackedSymbolIndex): Promise<void> {
    if (await writeAtomically(this.treeFile(key), seal(TREE, index))) this.treeStats.saves++;
    await keepNewest(join(this.dir, 'trees'), this.options.maxTrees ?? 4);
  }
}

/** A sealed value shaped as a packed index (whether its arrays fit together, SymbolIndex.unpack checks). */
function decodeTree(value: unknown): PackedSymbolIndex | undefined {
  const p = value as Partial<PackedSymbolIndex> | undefined;
  if (!p || typeof p !== 'object' || typeof p.files !== 'number' || typeof p.names !== 'string' || !Array.isArray(p.paths)) return undefined;
  const ints = [p.nameEnds, p.defStart, p.defSites, p.callStart, p.callPaths];
  return ints.every((a) => a instanceof Int32Array) && p.paths.every((x) => typeof x === 'string') ? (p as PackedSymbolIndex) : undefined;
}

function decode(bytes: Buffer): Map<string, FileSymbols> | undefined {
  const list = unseal(MAGIC, bytes) as [string, FileSymbols][] | undefined;
  if (!Array.isArray(list) || !list.every((e) => Array.isArray(e) && typeof e[0] === 'string' && Array.isArray(e[1]?.defs) && Array.isArray(e[1]?.calls))) return undefined;
  return new Map(list);
}

let build: string | undefined;

/** The running scanner build: a hash of the scanner module, so a changed scanner never reads an old index. */
export function scannerBuild(): string {
  if (build) return build;
  const self = fileURLToPath(import.meta.url);
  const scanner = fileURLToPath(new URL(`../context/symbol-scan${self.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  build = createHash('sha256').update(readFileSync(scanner)).digest('hex').slice(0, 16);
  return build;
}

/** The symbol indexer of the mail bot: backed by a store in `facts/symbols` next to its database (none for an in-memory one). */
export function symbolIndexerBeside(dbPath: string): SymbolIndexer {
  return dbPath === ':memory:' ? new SymbolIndexer() : new SymbolIndexer({ store: new DiskSymbolsStore(join(dirname(dbPath), 'facts', 'symbols')) });
}
