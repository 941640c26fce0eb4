/**
 * `--cache DIR` / `--no-cache`, shared by the commands that analyze: where lowered per-file facts
 * are kept between runs (src/store/facts-store.ts). The default is the user's cache directory,
 * found from the environment the command was given; with neither XDG_CACHE_HOME nor HOME there is
 * no default and nothing is kept.
 */
import { join, resolve } from 'node:path';
import { userCacheDir } from '../store/cache-dir.ts';
import { DiskFactsStore } from '../store/facts-store.ts';
import { DiskSymbolsStore } from '../store/symbols-store.ts';
import { DiskGraphStore } from '../store/graph-store.ts';
import { DiskAnalysisStore } from '../store/analysis-store.ts';
import type { ParsedArgs } from './args.ts';
import type { OptionHelp } from './help.ts';
import type { CliIo } from './types.ts';

export const FACTS_STORE_OPTIONS: OptionHelp[] = [
  { name: 'cache', value: 'DIR', help: 'keep parsed files, symbol index, analyses, tree graphs here between runs (default ~/.cache/lockscope/facts, 2 GiB)' },
  { name: 'no-cache', help: 'parse every file again and keep nothing' },
];

/**
 * The symbol index of the last tree indexed, kept in the same cache directory (`DIR/symbols`):
 * a new process's `calls` context scans only the changed files of the next tree.
 */
export function symbolsStoreBeside(facts: DiskFactsStore | undefined): DiskSymbolsStore | undefined {
  return facts ? new DiskSymbolsStore(join(facts.dir, 'symbols')) : undefined;
}

/** Whole-tree lock-order graphs (`--context tree`), kept in the same cache directory (`DIR/graphs`) by git tree id. */
export function graphStoreBeside(facts: DiskFactsStore | undefined): DiskGraphStore | undefined {
  return facts ? new DiskGraphStore(join(facts.dir, 'graphs')) : undefined;
}

/** Context analyses (`check`), kept in the same cache directory (`DIR/analyses`) by their inputs. */
export function analysisStoreBeside(facts: DiskFactsStore | undefined): DiskAnalysisStore | undefined {
  return facts ? new DiskAnalysisStore(join(facts.dir, 'analyses')) : undefined;
}

export function factsStoreOf(args: ParsedArgs, io: CliIo): { ok: true; store: DiskFactsStore | undefined } | { ok: false; reason: string } {
  const dir = args.options.get('cache');
  if (args.flags.has('no-cache')) return dir === undefined ? { ok: true, store: undefined } : { ok: false, reason: '--cache and --no-cache exclude each other' };
  if (dir !== undefined) return { ok: true, store: new DiskFactsStore(resolve(io.cwd, dir)) };
  const home = io.env.HOME ?? io.env.USERPROFILE;
  if (!io.env.XDG_CACHE_HOME && !home) return { ok: true, store: undefined };
  return { ok: true, store: new DiskFactsStore(userCacheDir('facts', io.env, home ?? '')) };
}
