/**
 * `lockscope` as a real process, the way an MTA, cron or systemd runs it: `node --import tsx
 * src/cli.ts ...` with its own stdin, environment and exit status. For the tests that need a
 * separate process: another process holding the database, SIGKILL at a named step
 * (LOCKSCOPE_PAUSE_AT, see src/mail/pause-at.ts), a process that must exit on its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = join(import.meta.dirname, '..', '..');
// Child processes keep their parsed files here, not in the user's own cache directory.
const CACHE_HOME = mkdtempSync(join(tmpdir(), 'lockscope-cache-'));
// Resolved here, not from the child's cwd (a temp directory has no node_modules).
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process has exited (and been reaped). */
  done: Promise<Finished>;
  /** Resolves once stderr or stdout contains `text`; rejects if the process exits first or `ms` pass. */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
}

/** Starts `lockscope ARGS...` in `cwd` with `stdin` written and closed. */
export function start(args: string[], opts: { cwd: string; stdin?: string; env?: NodeJS.ProcessEnv }): Running {
  const began = Date.now();
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CACHE_HOME: CACHE_HOME, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(opts.stdin ?? '');
  const done = new Promise<Finished>((resolve) => {
    child.on('exit', (code, signal) => {
      // 'exit' may come before the pipes drain.
      setImmediate(() => resolve({ code, signal, stdout: out, stderr: err, ms: Date.now() - began }));
    });
  });
  let exited = false;
  void done.then(() => (exited = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    async waitFor(text, ms = 60_000) {
      const end = Date.now() + ms;
      const seen = (): boolean => [err, out].some((s) => (typeof text === 'string' ? s.includes(text) : text.test(s)));
      while (!seen()) {
        if (exited) throw new Error(`process exited before printing ${String(text)}; stderr:\n${err}\nstdout:\n${out}`);
        if (Date.now() > end) throw new Error(`timed out waiting for ${String(text)}; stderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** Runs `lockscope ARGS...` to completion. */
export function run(args: string[], opts: { cwd: string; stdin?: string; env?: NodeJS.ProcessEnv }): Promise<Finished> {
  return start(args, opts).done;
}
