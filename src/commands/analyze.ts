/** `lockscope analyze [--format text|json] PATH...`: argument wiring only. */
import { analyzeSources } from '../analyzers/analyze.ts';
import { renderAnalysisJson, renderAnalysisText } from '../render/index.ts';
import { oneOf, parseArgs } from './args.ts';
import { readSources } from './source-files.ts';
import type { Command } from './types.ts';

export const analyzeCommand: Command = async (argv, io) => {
  const parsed = parseArgs(argv, { options: ['format'] });
  if (!parsed.ok) return usage(io, parsed.reason);
  const format = oneOf(parsed.args.options.get('format'), ['text', 'json'] as const, 'text', 'format');
  if (!format.ok) return usage(io, format.reason);
  if (parsed.args.positionals.length === 0) return usage(io, 'no PATH given');
  const sources = await readSources(parsed.args.positionals, io.cwd);
  if (!sources.ok) return usage(io, sources.reason);
  const progress = io.stderr.isTTY ? (done: number, total: number) => io.stderr.write(`\rlockscope: parsed ${done}/${total} files`) : undefined;
  const result = await analyzeSources(sources.files, { onProgress: progress });
  if (progress) io.stderr.write('\n');
  for (const s of sources.skipped) result.json.skipped.push({ file: s.split(':')[0] ?? s, line: 0, reason: 'not read: larger than the 8 MiB limit' });
  io.stdout.write(format.value === 'json' ? renderAnalysisJson(result.json) : renderAnalysisText(result.json));
  return 0;
};

function usage(io: Parameters<Command>[1], reason: string): number {
  io.stderr.write(`lockscope analyze: ${reason}\nusage: lockscope analyze [--format text|json] PATH...\n`);
  return 2;
}
