/**
 * Runs `lockscope <args>` through main() with captured stdout and stderr, the way a user's shell
 * would but in-process: a working directory, an environment, stdin text, and whether stderr is a
 * terminal (for the progress bar).
 */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.ts';
import type { CliIo } from '../../src/commands/types.ts';

/** The repository root: fixtures and examples are relative to it. */
export const root = join(import.meta.dirname, '../..');

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function cli(args: string[], options: { stdin?: string; cwd?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), options.tty ? { isTTY: true, columns: 100 } : {});
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const input = new PassThrough();
  input.end(options.stdin ?? '');
  const io: CliIo = { stdout, stderr, stdin: input, cwd: options.cwd ?? root, env: options.env ?? {} };
  const code = await main(args, io);
  return { code, out, err };
}
