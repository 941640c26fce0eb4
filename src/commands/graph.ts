/**
 * `lockscope graph --repo GITDIR [--rev REV] [--config FILE] [--cache DIR]`: argument wiring
 * only. Builds the lock-order graph of a whole git tree, directory by directory
 * (review/tree-graph-build.ts), and keeps it in the cache by git tree id, so that `check
 * --context tree`, the mail bot and the GitHub App review against the whole tree without
 * building it inside a review. A bot's cache is the `facts` directory next to its database.
 */
import { FactsCache } from '../analyzers/c/facts-cache.ts';
import { treeGraphFor } from '../review/tree-graph-build.ts';
import { parseArgs } from './args.ts';
import { baseSource } from './choose-base.ts';
import { readConfigOption } from './config-option.ts';
import { FACTS_STORE_OPTIONS, factsStoreOf, graphStoreBeside } from './facts-store-option.ts';
import { argsSpec, usageText, type CommandHelp } from './help.ts';
import { progressBar } from './progress-bar.ts';
import type { CliIo, Command } from './types.ts';

export const graphHelp: CommandHelp = {
  usage: ['lockscope graph --repo GITDIR [--rev REV] [--config FILE] [--cache DIR]'],
  about:
    "Builds the lock-order graph of a whole git tree, directory by directory, and keeps it in the cache by git tree id: reviews with --context tree (check, the mail bot, the GitHub App) then read it back. A tree's next revision re-analyses only the directories that changed.",
  options: [
    { name: 'repo', value: 'GITDIR', help: 'the git repository (no checkout needed)' },
    { name: 'rev', value: 'REV', help: 'the revision (default HEAD)' },
    { name: 'config', value: 'FILE', help: 'the kernel .config or defconfig reviews will use (default: any build)' },
    ...FACTS_STORE_OPTIONS.filter((o) => o.name === 'cache'),
  ],
  footer: ["a bot's cache: the facts directory next to its database (--cache DIR/facts)", 'exit status: 0 stored, 2 on bad usage or a tree that cannot be read'],
};

export const graphCommand: Command = async (argv, io) => {
  const parsed = parseArgs(argv, argsSpec(graphHelp));
  if (!parsed.ok) return usage(io, parsed.reason);
  const { options } = parsed.args;
  if (!options.has('repo')) return usage(io, 'give --repo GITDIR');
  if (parsed.args.positionals.length) return usage(io, `unexpected argument ${parsed.args.positionals[0]}`);
  const store = factsStoreOf(parsed.args, io);
  if (!store.ok) return usage(io, store.reason);
  const graphs = graphStoreBeside(store.store);
  if (!store.store || !graphs) return usage(io, 'no cache directory: give --cache DIR (or set HOME)');
  const configFile = options.get('config');
  const config = configFile !== undefined ? await readConfigOption(configFile, io.cwd) : undefined;
  if (config && !config.ok) return fail(io, config.reason);
  const source = await baseSource({ repo: options.get('repo'), rev: options.get('rev') }, io);
  if (!source.ok) return fail(io, source.reason);
  const base = await source.choose([]);
  if (!base.ok) return fail(io, base.reason);
  const bar = io.stderr.isTTY ? progressBar(io.stderr) : undefined;
  const started = Date.now();
  try {
    const got = await treeGraphFor(base.tree, {
      cache: new FactsCache(undefined, store.store),
      store: graphs,
      ...(config ? { config: config.file } : {}),
      ...(bar ? { onProgress: (done: number, total: number) => bar.update('analysing directories', done, total) } : {}),
    });
    bar?.clear();
    if (!got) return fail(io, 'no graph');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout.write(`Lock-order graph of ${got.source}: ${got.edges.toLocaleString('en-US')} edges, in ${seconds} s; kept in ${graphs.dir}.\n`);
    return 0;
  } catch (err) {
    bar?.clear();
    return fail(io, err instanceof Error ? err.message : String(err));
  } finally {
    base.close();
  }
};

function usage(io: CliIo, reason: string): number {
  io.stderr.write(`lockscope graph: ${reason}\n${usageText(graphHelp, 'graph')}`);
  return 2;
}

function fail(io: CliIo, reason: string): number {
  io.stderr.write(`lockscope graph: ${reason}\n`);
  return 2;
}
