#!/usr/bin/env node
/**
 * `lockscope <command>`: argument wiring only. Each command lives in src/commands/ and is
 * loaded on demand, so `lockscope analyze` never loads Probot or SQLite.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CliIo, Command } from './commands/types.ts';

const commands = new Map<string, () => Promise<Command>>([
  ['analyze', async () => (await import('./commands/analyze.ts')).analyzeCommand],
  ['check', async () => (await import('./commands/check.ts')).checkCommand],
  ['doctor', async () => (await import('./commands/doctor.ts')).doctorCommand],
  ['mail', async () => (await import('./commands/mail.ts')).mailCommand],
  ['serve', async () => (await import('./commands/serve.ts')).serveCommand],
]);

const usage = `usage: lockscope <command> [options]

commands:
  analyze [--format text|json] PATH...         lock-order inversions in C files and directories
  check (--base DIR | --repo GITDIR [--rev REV]) [--format text|markdown|json|sarif]
        [--context touched|dir|tree] PATCH...  does a patch add or remove an inversion?
  doctor [--db FILE]                           check the store file, say how to repair it
  mail ingest|flush|retry|watch ...            the mailing-list bot
  serve [--port N] [--db FILE]                 GitHub App webhooks and the dashboard
`;

/** Runs one command line and returns its exit status (0 ok, 1 finding, 2 usage or input error). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(usage);
    return name ? 0 : 2;
  }
  const load = commands.get(name);
  if (!load) {
    io.stderr.write(`lockscope: unknown command '${name}'\n${usage}`);
    return 2;
  }
  return (await load())(rest, io);
}

// npm links bin entries through symlinks: compare real paths.
const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
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
