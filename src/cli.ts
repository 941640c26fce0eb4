#!/usr/bin/env node
/**
 * `lockscope <command>`: argument wiring only. Each command lives in src/commands/ and is
 * loaded on demand, so `lockscope analyze` never loads Probot or SQLite. `--help` after any
 * command prints that command's options; `--version` prints the package version.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { helpText, wantsHelp, type CommandHelp } from './commands/help.ts';
import type { CliIo, Command } from './commands/types.ts';
import { tuneV8 } from './v8-tuning.ts';

interface Entry {
  load: () => Promise<Command>;
  help: () => Promise<CommandHelp>;
}

const commands = new Map<string, Entry>([
  ['analyze', { load: async () => (await import('./commands/analyze.ts')).analyzeCommand, help: async () => (await import('./commands/analyze.ts')).analyzeHelp }],
  ['baseline', { load: async () => (await import('./commands/baseline.ts')).baselineCommand, help: async () => (await import('./commands/baseline.ts')).baselineHelp }],
  ['check', { load: async () => (await import('./commands/check.ts')).checkCommand, help: async () => (await import('./commands/check.ts')).checkHelp }],
  ['graph', { load: async () => (await import('./commands/graph.ts')).graphCommand, help: async () => (await import('./commands/graph.ts')).graphHelp }],
  ['doctor', { load: async () => (await import('./commands/doctor.ts')).doctorCommand, help: async () => (await import('./commands/doctor.ts')).doctorHelp }],
  ['mail', { load: async () => (await import('./commands/mail.ts')).mailCommand, help: async () => (await import('./commands/mail-help.ts')).mailHelp }],
  ['serve', { load: async () => (await import('./commands/serve.ts')).serveCommand, help: async () => (await import('./commands/serve-help.ts')).serveHelp }],
]);

const usage = `usage: lockscope <command> [options]
       lockscope <command> --help
       lockscope --version

commands:
  analyze PATH...                  lock-order inversions in C files and directories
  check (--base DIR | --repo GITDIR | --github OWNER/REPO) PATCH...
                                   does a patch add or remove an inversion?
  baseline write [--out FILE] PATH...
                                   record today's findings as known (shown, not counted, in reviews)
  graph --repo GITDIR [--rev REV]  build and keep a whole tree's lock-order graph (--context tree)
  doctor [--db FILE]               check the store file, say how to repair it

  mail ingest|flush|retry|watch    the mailing-list bot
  serve                            GitHub App webhooks and the dashboard
`;

/** package.json's version, from src/ (tsx) or dist/src/ (built). */
function version(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'lockscope' && pkg.version) return pkg.version;
    }
  }
  return 'unknown';
}

/** Runs one command line and returns its exit status (0 ok, 1 finding, 2 usage or input error). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.stdout.write(`lockscope ${version()}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(usage);
    return name ? 0 : 2;
  }
  const entry = commands.get(name);
  if (!entry) {
    io.stderr.write(`lockscope: unknown command '${name}'\n${usage}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    io.stdout.write(helpText(await entry.help()));
    return 0;
  }
  return (await entry.load())(rest, io);
}

// npm links bin entries through symlinks: compare real paths.
const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  tuneV8();
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`lockscope: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
