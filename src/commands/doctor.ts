/**
 * `lockscope doctor [--db FILE]`: checks the store file (src/store/check-database.ts) and says
 * how to repair it when it is damaged. Exit 0 when healthy, 1 when damaged or unreadable, 2 on
 * bad usage. Argument wiring only.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkDatabase } from '../store/check-database.ts';
import { repairAdvice } from '../store/database-error.ts';
import { defaultDbPath } from '../store/database.ts';
import { parseArgs } from './args.ts';
import { argsSpec, usageText, type CommandHelp } from './help.ts';
import type { Command } from './types.ts';

export const doctorHelp: CommandHelp = {
  usage: ['lockscope doctor [--db FILE]'],
  about: "Checks the store file with SQLite's integrity_check, says how to repair it when it is damaged, and lists the work waiting in it.",
  options: [{ name: 'db', value: 'FILE', help: 'the store file (default $LOCKSCOPE_DB, else ./lockscope.db)' }],
  footer: ['exit status: 0 healthy, 1 damaged or unreadable, 2 usage error'],
};

export const doctorCommand: Command = async (argv, io) => {
  const parsed = parseArgs(argv, argsSpec(doctorHelp));
  if (!parsed.ok || parsed.args.positionals.length > 0) {
    io.stderr.write(`lockscope doctor: ${parsed.ok ? `unexpected argument '${parsed.args.positionals[0]}'` : parsed.reason}\n${usageText(doctorHelp, 'doctor')}`);
    return 2;
  }
  const given = parsed.args.options.get('db') ?? defaultDbPath(io.env);
  const file = resolve(io.cwd, given);
  if (!existsSync(file)) {
    io.stderr.write(`lockscope doctor: ${file} does not exist\n`);
    return 1;
  }
  const health = checkDatabase(file);
  if (!health.ok) {
    io.stdout.write(`${file}: DAMAGED\n${health.problems.map((p) => `  ${p}`).join('\n')}\n${repairAdvice(given)}\n`);
    return 1;
  }
  io.stdout.write(`${file}: ok (integrity_check passed)\n`);
  for (const [what, n] of Object.entries(health.pending)) if (n > 0) io.stdout.write(`  ${what}: ${n}\n`);
  return 0;
};
