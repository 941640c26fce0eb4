/**
 * The CliIo a test passes to main() in-process: stdin from a string, stdout and stderr
 * captured, a working directory and an environment of the test's choosing.
 */
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../src/commands/types.ts';

export type CapturedIo = CliIo & { out: () => string; err: () => string };

export function captureIo(cwd: string, opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { stdout, stderr, stdin: Readable.from([Buffer.from(opts.stdin ?? '')]), cwd, env: opts.env ?? {}, out: () => out, err: () => err };
}
