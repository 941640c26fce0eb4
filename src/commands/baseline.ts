/** `lockscope baseline write [--out FILE] PATH...`: records today's findings as known. Argument wiring only. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BASELINE_FILE, baselineOf } from '../baseline/baseline-file.ts';
import { analyzePaths } from './analyze-paths.ts';
import { parseArgs } from './args.ts';
import { FACTS_STORE_OPTIONS, factsStoreOf } from './facts-store-option.ts';
import { argsSpec, usageText, type CommandHelp } from './help.ts';
import type { Command } from './types.ts';

export const baselineHelp: CommandHelp = {
  usage: ['lockscope baseline write [--out FILE] PATH...'],
  about:
    `Analyzes the .c and .h files under each PATH (run it at the repository root, on the whole tree or the directories you review) and writes every finding to a baseline file. Later reviews show the findings it records as known (suppressed by the baseline) and do not count them; commit the file as ${BASELINE_FILE} at the repository root and every front end reads it from the base.`,
  options: [{ name: 'out', value: 'FILE', help: `where to write it (default ${BASELINE_FILE})` }, ...FACTS_STORE_OPTIONS],
  footer: ['exit status: 0 written, 2 on bad usage or unreadable input'],
};

export const baselineCommand: Command = async (argv, io) => {
  const [sub, ...rest] = argv;
  if (sub !== 'write') return usage(io, sub ? `unknown subcommand '${sub}'` : 'no subcommand (write)');
  const parsed = parseArgs(rest, argsSpec(baselineHelp));
  if (!parsed.ok) return usage(io, parsed.reason);
  if (parsed.args.positionals.length === 0) return usage(io, 'no PATH given');
  const store = factsStoreOf(parsed.args, io);
  if (!store.ok) return usage(io, store.reason);
  const analyzed = await analyzePaths(parsed.args.positionals, io, store.store);
  if (!analyzed.ok) return usage(io, analyzed.reason);
  const { result } = analyzed;
  const out = resolve(io.cwd, parsed.args.options.get('out') ?? BASELINE_FILE);
  const file = baselineOf(result, `${parsed.args.positionals.join(' ')} (${analyzed.files} files)`, new Date());
  try {
    await writeFile(out, `${JSON.stringify(file, null, 2)}\n`);
  } catch (err) {
    io.stderr.write(`lockscope baseline: cannot write ${out}: ${(err as Error).message}\n`);
    return 2;
  }
  io.stdout.write(`${file.findings.length} finding(s) recorded in ${out}\n`);
  return 0;
};

function usage(io: Parameters<Command>[1], reason: string): number {
  io.stderr.write(`lockscope baseline: ${reason}\n${usageText(baselineHelp, 'baseline')}`);
  return 2;
}
