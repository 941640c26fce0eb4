/** `lockscope analyze [--format text|json] PATH...`: argument wiring only. */
import { analysisJsonChunks } from '../render/json/render-json.ts';
import { renderAnalysisText } from '../render/index.ts';
import { analyzePaths } from './analyze-paths.ts';
import { oneOf, parseArgs } from './args.ts';
import { FACTS_STORE_OPTIONS, factsStoreOf } from './facts-store-option.ts';
import { argsSpec, usageText, type CommandHelp } from './help.ts';
import type { Command } from './types.ts';

export const analyzeHelp: CommandHelp = {
  usage: ['lockscope analyze [--format text|json] [--all] [--config FILE | --any-config] PATH...'],
  about:
    'Analyzes the .c and .h files under each PATH as one program and prints every lock-order inversion, lockdep-style. On a terminal, stderr shows progress (files parsed, functions analysed).',
  options: [
    { name: 'format', value: 'FORMAT', help: 'text (default: lockdep-style report) or json (lockscope.analysis/1)' },
    { name: 'all', help: 'text: print in full the inversions of low confidence too, not only their names' },
    { name: 'config', value: 'FILE', help: "the .config or defconfig to analyse for (default: the tree's .config, else any build)" },
    { name: 'any-config', help: "any build the Kconfig allows (lockdep on), even beside a .config" },
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
  const analyzed = await analyzePaths(parsed.args.positionals, io, store.store, config ?? (parsed.args.flags.has('any-config') ? null : undefined));
  if (!analyzed.ok) return usage(io, analyzed.reason);
  const { result } = analyzed;
  if (format.value === 'json') await writeChunks(io.stdout, analysisJsonChunks(result.json));
  else io.stdout.write(renderAnalysisText(result.json, { all: parsed.args.flags.has('all') }));
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


function usage(io: Parameters<Command>[1], reason: string): number {
  io.stderr.write(`lockscope analyze: ${reason}\n${usageText(analyzeHelp, 'analyze')}`);
  return 2;
}
