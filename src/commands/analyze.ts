/** `lockscope analyze [--format text|json] PATH...`: argument wiring only. */
import { analysisJsonChunks } from '../render/json/render-json.ts';
import { renderAnalysisText } from '../render/index.ts';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzePaths } from './analyze-paths.ts';
import { analyzeByDirectory, BY_DIRECTORY_FILES, countCFiles } from './analyze-tree.ts';
import { oneOf, parseArgs } from './args.ts';
import { FACTS_STORE_OPTIONS, factsStoreOf } from './facts-store-option.ts';
import { argsSpec, usageText, type CommandHelp } from './help.ts';
import type { Command } from './types.ts';

export const analyzeHelp: CommandHelp = {
  usage: ['lockscope analyze [--format text|json] [--all] [--config FILE | --any-config] [--by-directory | --one-program] PATH...'],
  about:
    `Analyzes the .c and .h files under each PATH as one program and prints every lock-order inversion, lockdep-style. A directory holding more than ${BY_DIRECTORY_FILES.toLocaleString('en-US')} .c files (a whole kernel) is analysed directory by directory instead: each directory's findings, and the inversions whose orders are made in several directories. On a terminal, stderr shows progress (files parsed, functions analysed).`,
  options: [
    { name: 'format', value: 'FORMAT', help: 'text (default: lockdep-style report) or json (lockscope.analysis/1)' },
    { name: 'all', help: 'text: print in full the inversions of low confidence too, not only their names' },
    { name: 'config', value: 'FILE', help: "the .config or defconfig to analyse for (default: the tree's .config, else any build)" },
    { name: 'any-config', help: "any build the Kconfig allows (lockdep on), even beside a .config" },
    { name: 'by-directory', help: 'one directory: analyse each directory under it apart, and join their lock-order graphs' },
    { name: 'one-program', help: 'analyse as one program however many files (a whole kernel: about 11 GB)' },
    ...FACTS_STORE_OPTIONS,
  ],
  footer: ['exit status: 0 when it ran, 2 on bad usage or unreadable input'],
};

export const analyzeCommand: Command = async (argv, io) => {
  const parsed = parseArgs(argv, argsSpec(analyzeHelp));
  if (!parsed.ok) return usage(io, parsed.reason);
  const format = oneOf(parsed.args.options.get('format'), ['text', 'json'] as const, 'text', 'format');
  if (!format.ok) return usage(io, format.reason);
  if (parsed.args.positionals.length === 0) return usage(io, 'no PATH given');
  const store = factsStoreOf(parsed.args, io);
  if (!store.ok) return usage(io, store.reason);
  const config = parsed.args.options.get('config');
  if (config !== undefined && parsed.args.flags.has('any-config')) return usage(io, '--config and --any-config exclude each other');
  const configPath = config ?? (parsed.args.flags.has('any-config') ? null : undefined);
  const byDirectory = await wantsByDirectory(parsed.args.positionals, parsed.args.flags, io.cwd);
  if (!byDirectory.ok) return usage(io, byDirectory.reason);
  const analyzed = byDirectory.yes
    ? await analyzeByDirectory(parsed.args.positionals[0] as string, io, store.store, configPath)
    : await analyzePaths(parsed.args.positionals, io, store.store, configPath).then((r) => (r.ok ? { ok: true as const, json: r.result.json } : r));
  if (!analyzed.ok) return usage(io, analyzed.reason);
  if (format.value === 'json') await writeChunks(io.stdout, analysisJsonChunks(analyzed.json));
  else io.stdout.write(renderAnalysisText(analyzed.json, { all: parsed.args.flags.has('all') }));
  return 0;
};

/** Writes piece by piece, waiting when the pipe is full: the document may not fit in one string. */
async function writeChunks(out: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  let buffer = '';
  for (const c of chunks) {
    buffer += c;
    if (buffer.length < 1 << 16) continue;
    if (!out.write(buffer)) await drained(out);

    buffer = '';
  }
  if (buffer) out.write(buffer);
}

function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}


/** By directory when asked, or for one directory of more than `limit` .c files unless told otherwise. */
export async function wantsByDirectory(paths: readonly string[], flags: ReadonlySet<string>, cwd: string, limit = BY_DIRECTORY_FILES): Promise<{ ok: true; yes: boolean } | { ok: false; reason: string }> {
  if (flags.has('by-directory') && flags.has('one-program')) return { ok: false, reason: '--by-directory and --one-program exclude each other' };
  if (flags.has('by-directory')) return paths.length === 1 ? { ok: true, yes: true } : { ok: false, reason: '--by-directory takes one directory' };
  if (flags.has('one-program') || paths.length !== 1) return { ok: true, yes: false };
  const full = resolve(cwd, paths[0] as string);
  const isDir = await stat(full).then((s) => s.isDirectory(), () => false);
  return { ok: true, yes: isDir && (await countCFiles(full, limit)) > limit };
}

function usage(io: Parameters<Command>[1], reason: string): number {
  io.stderr.write(`lockscope analyze: ${reason}\n${usageText(analyzeHelp, 'analyze')}`);
  return 2;
}
