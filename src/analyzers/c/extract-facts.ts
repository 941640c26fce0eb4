/**
 * Source text to FileFacts: parse with tree-sitter and lower, per file, reusing cached facts by
 * content hash. Large inputs are split across worker threads (parsing is the dominant cost and
 * files are independent); small ones stay in-process, where a worker's start-up would cost more.
 */
import { availableParallelism } from 'node:os';
import { moduleWorker } from '../util/module-worker.ts';
import { loadCParser, type CParser } from './parser.ts';
import { contentHash, type FactsCache } from './facts-cache.ts';
import type { FileFacts } from './ir.ts';
import { lowerFile } from './lower.ts';
import { chooseParseableBranches } from './conditional-branches.ts';
import { rewriteStatementMacros } from './macro-rewrite.ts';
import { internStrings, type StringPool } from './intern-strings.ts';

export interface SourceFile {
  path: string;
  text: string;
}

export interface ExtractOptions {
  /** In memory, and through its `store` on disk: facts of files lowered before. */
  cache?: FactsCache;
  /** Worker threads to use; default: one per core when the input is large, else none. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Inputs below this many bytes are parsed in-process. */
const WORKER_THRESHOLD = 4 * 1024 * 1024;

let shared: Promise<CParser> | undefined;

/** Parses and lowers one file (in this thread). */
export async function factsOf(file: SourceFile): Promise<FileFacts> {
  shared ??= loadCParser();
  const parser = await shared;
  return lowerText(parser, file);
}

export function lowerText(parser: CParser, file: SourceFile): FileFacts {
  let lines = 1;
  for (let i = file.text.indexOf('\n'); i !== -1; i = file.text.indexOf('\n', i + 1)) lines++;
  const chosen = chooseParseableBranches(file.text);
  const { text, macros, annotations, boot } = rewriteStatementMacros(chosen.text);
  const tree = parser.parse(text);
  try {
    const facts = lowerFile({ path: file.path, tree, lines, macros, annotations, boot, guarded: chosen.guarded, parse: (t) => parser.parse(t) });
    for (const d of chosen.dropped) facts.skipped.push({ line: d.line, reason: `${d.directive}: branch not analyzed; the branches of this #if do not parse together, so only one is kept` });
    return facts;
  } catch (err) {
    // Hostile or machine-made code (expressions nested tens of thousands deep) can exhaust the
    // stack: the file is left out and said so, the rest of the program is still analyzed.
    if (!(err instanceof RangeError)) throw err;
    return { path: file.path, functions: [], prototypes: [], structs: [], typedefs: {}, globals: {}, lockDefs: {}, pointerStores: [], memberTypes: [], lines, skipped: [{ line: 1, reason: `file not analyzed: ${err.message} (nesting too deep)` }] };
  } finally {
    tree.delete();
  }
}

interface Todo {
  index: number;
  hash: string;
  file: SourceFile;
}

/** Store reads in flight at once: enough to hide disk latency, few enough for the fd limit. */
const STORE_READS = 32;

export async function extractFacts(files: readonly SourceFile[], options: ExtractOptions = {}): Promise<FileFacts[]> {
  const out: (FileFacts | undefined)[] = new Array(files.length);
  const pool: StringPool = new Map();
  let todo: Todo[] = [];
  files.forEach((file, index) => {
    const hash = contentHash(file.text);
    const hit = options.cache?.get(hash, file.path);
    if (hit) out[index] = hit;
    else todo.push({ index, hash, file });
  });
  const store = options.cache?.store;
  if (store) {
    const missed: Todo[] = [];
    for (let i = 0; i < todo.length; i += STORE_READS) {
      const batch = todo.slice(i, i + STORE_READS);
      const found = await Promise.all(batch.map((t) => store.get(t.file.path, t.hash)));
      batch.forEach((t, j) => {
        const facts = found[j];
        if (!facts) return missed.push(t);
        out[t.index] = internStrings(facts, pool);
        options.cache?.set(t.hash, facts);
      });
    }
    todo = missed;
  }
  const writes: Promise<void>[] = [];
  const bytes = todo.reduce((n, t) => n + t.file.text.length, 0);
  const workers = options.workers ?? (bytes >= WORKER_THRESHOLD ? Math.min(availableParallelism(), 8) : 0);
  let done = files.length - todo.length;
  const finish = (t: Todo, facts: FileFacts): void => {
    out[t.index] = internStrings(facts, pool);
    options.cache?.set(t.hash, facts);
    if (store) writes.push(store.put(t.file.path, t.hash, facts));
    options.onProgress?.(++done, files.length);
  };
  if (workers <= 1 || todo.length < 2) {
    for (const t of todo) finish(t, await factsOf(t.file));
  } else {
    await runInWorkers(todo, workers, finish);
  }
  await Promise.all(writes);
  return out as FileFacts[];
}

async function runInWorkers(
  todo: Todo[],
  count: number,
  finish: (t: Todo, facts: FileFacts) => void,
): Promise<void> {
  let next = 0;
  const runOne = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = moduleWorker('facts-worker', import.meta.url);
      // Two files in flight per worker: it starts the next while this thread takes the last
      // one's facts in (with a disk store, 15% of each worker's time went waiting for that).
      const inFlight: Todo[] = [];
      const feed = (): void => {
        const t = todo[next];
        if (!t) return;
        next++;
        inFlight.push(t);
        worker.postMessage(t.file);
      };
      worker.on('message', (facts: FileFacts) => {
        const done = inFlight.shift();
        if (done) finish(done, facts);
        feed();
        if (inFlight.length === 0) void worker.terminate().then(() => resolve());
      });
      worker.on('error', reject);
      feed();
      feed();
      if (inFlight.length === 0) void worker.terminate().then(() => resolve());
    });
  await Promise.all(Array.from({ length: Math.min(count, todo.length) }, runOne));
}
