/**
 * Picks the files a review analyzes besides the touched ones, one set for every snapshot of the
 * review (so before and after differ only by the patch), and says what it picked (ContextJson).
 *
 *   calls   the touched files and their quoted includes, then what the touched functions call
 *           (transitively) and who calls them, within a budget that cuts rather than fails
 *           (call-context.ts, over the base's symbol index)
 *   touched the touched files and their quoted includes
 *   dir     also the other C files of their directories (and `--context-dir` ones)
 *   tree    every C file
 *
 * The fixed modes fail with TOO_LARGE past their limit instead of cutting: a cut directory is
 * not "the directory". Failures are values; it does not throw for them.
 */
import type { FactsCache } from '../analyzers/c/facts-cache.ts';
import type { CParser } from '../analyzers/c/parser.ts';
import { touchedFunctions } from '../diff/functions.ts';
import type { Snapshot } from '../diff/snapshot.ts';
import type { Patch } from '../diff/types.ts';
import type { BaseTree } from '../diff/base-tree.ts';
import { callContext } from './call-context.ts';
import type { SymbolIndexer } from './symbol-indexer.ts';
import type { ContextBudget, ContextJson, ContextMode } from './types.ts';

/** The default `calls` budget: about what the analyzer gets through in a minute. */
export const CONTEXT_BUDGET: ContextBudget = { files: 400, bytes: 40 * 1024 * 1024 };

export interface ContextRequest {
  mode: ContextMode;
  base: BaseTree;
  /** Each patch with the snapshots around it, in order; the first `before` is the base. */
  steps: readonly { patch: Patch; before: Snapshot; after: Snapshot }[];
  /** The C files the patches touch, sorted. */
  touched: readonly string[];
  /** `--context-dir`: their C files are always analyzed. */
  extraDirs?: readonly string[];
  /** `calls`: the budget (default CONTEXT_BUDGET); other modes: the most before failing (default `limits`). */
  maxFiles?: number;
  maxBytes?: number;
  limits: ContextBudget;
}

export interface ContextDeps {
  cache: FactsCache;
  symbols: SymbolIndexer;
  parser: CParser;
  /** Calls the analyzer knows without a body (the lock catalogue): `calls` does not follow them. */
  isPrimitive: (name: string) => boolean;
}

export type ContextChoice = { ok: true; files: string[]; json: ContextJson } | { ok: false; code: 'TOO_LARGE'; reason: string };

const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const isC = (path: string | null): path is string => path !== null && /\.[ch]$/.test(path);

export async function chooseContext(request: ContextRequest, deps: ContextDeps): Promise<ContextChoice> {
  const first = request.steps[0];
  if (!first) return { ok: true, files: [], json: { mode: request.mode, files: 0, bytes: 0 } };
  const snapshots = [first.before, ...request.steps.map((s) => s.after)];
  const extraDirs = request.extraDirs ?? [];
  const union = async (mode: 'touched' | 'dir' | 'tree'): Promise<string[]> => {
    const all = new Set<string>();
    for (const s of snapshots) for (const f of await s.contextFiles([...request.touched], mode, extraDirs)) all.add(f);
    return [...all].sort();
  };

  if (request.mode !== 'calls') {
    const files = await union(request.mode);
    const max = request.maxFiles ?? request.limits.files;
    if (files.length > max) return { ok: false, code: 'TOO_LARGE', reason: `context has ${files.length} files, over the limit of ${max}; use a narrower --context or raise --max-context-files` };
    const bytes = await bytesOf(snapshots, files);
    const maxBytes = request.maxBytes ?? request.limits.bytes;
    if (bytes > maxBytes) return { ok: false, code: 'TOO_LARGE', reason: `context is ${bytes} bytes, over the limit of ${maxBytes}; use a narrower --context or raise --max-context-bytes` };
    return { ok: true, files, json: { mode: request.mode, files: files.length, bytes } };
  }

  const roots: { path: string; name: string }[] = [];
  const wholeFiles: string[] = [];
  for (const step of request.steps) {
    for (const file of step.patch.files) {
      const path = file.newPath ?? file.oldPath;
      if (!isC(path) || file.binary) continue;
      const before = file.oldPath ? await step.before.read(file.oldPath) : undefined;
      const after = file.newPath ? await step.after.read(file.newPath) : undefined;
      const names = touchedFunctions(before, after, file, deps.parser).map((t) => t.name);
      for (const name of names) roots.push({ path, name });
      // A change outside every function (a struct, a global lock): all the file's functions are roots.
      if (names.length === 0) wholeFiles.push(path);
    }
  }
  const near = [...new Set([...request.touched.map(dirOf), ...extraDirs])];
  const index = await deps.symbols.indexOf(request.base, near);
  const chosen = await callContext({
    snapshots,
    seeds: await union('touched'),
    touched: request.touched,
    roots,
    wholeFiles,
    index,
    budget: { files: request.maxFiles ?? CONTEXT_BUDGET.files, bytes: request.maxBytes ?? CONTEXT_BUDGET.bytes },
    isPrimitive: deps.isPrimitive,
    cache: deps.cache,
  });
  return { ok: true, ...chosen };
}

/** The files' bytes, each at its largest across the snapshots. */
async function bytesOf(snapshots: readonly Snapshot[], files: readonly string[]): Promise<number> {
  let total = 0;
  for (const f of files) {
    let most = 0;
    for (const s of snapshots) most = Math.max(most, (await s.read(f))?.length ?? 0);
    total += most;
  }
  return total;
}
