/**
 * `lockscope mail ingest|flush` through the CLI entry, as an MTA alias or cron runs it: real
 * files, a real database file, DirTree / GitTree bases, replies written to --outbox.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { captureIo } from '../support/cli-io.ts';
import { FIXTURES } from './helpers.ts';


describe('lockscope mail', () => {
  // The alias pipes the mail on stdin; the reply lands in the outbox folder.
  it('ingests a message from stdin against --base and writes the reply to --outbox', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockscope-mailcli-'));
    const raw = await readFile(join(FIXTURES, 'single-fix.eml'), 'utf8');
    const run = captureIo(dir, { stdin: raw });
    const code = await main(['mail', 'ingest', '--base', join(FIXTURES, 'base'), '--outbox', 'out', '--db', 'state/l.db', '--config', join(FIXTURES, 'bot.yml')], run);
    expect(run.err()).toBe('');
    expect(code).toBe(0);
    expect(run.out()).toMatch(/^stdin: filed <20260301100000\.1001-1-ada@example\.org>$/m);
    expect(run.out()).toMatch(/^series 20260301100000\.1001-1-ada@example\.org: review #1 removes-inversion; sent <lockscope-/m);
    const files = await readdir(join(dir, 'out'));
    expect(files).toHaveLength(1);
    const reply = await simpleParser(await readFile(join(dir, 'out', files[0] as string)));
    expect(reply.subject).toBe('Re: [PATCH] foo: release stat_lock before taking tbl_lock in stat_reset');

    // Delivered again (MTA retry): recorded as a duplicate, no second reply.
    const again = captureIo(dir, { stdin: raw });
    expect(await main(['mail', 'ingest', '--base', join(FIXTURES, 'base'), '--outbox', 'out', '--db', 'state/l.db', '--config', join(FIXTURES, 'bot.yml'), '-'], again)).toBe(0);
    expect(again.out()).toMatch(/stdin: duplicate/);
    expect(await readdir(join(dir, 'out'))).toHaveLength(1);
  });

  // base-commit names a commit the bot's clone lacks: review against the branch and say so.
  it('falls back to --branch when the repository lacks the base-commit, and says so in the reply', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockscope-mailgit-'));
    await cp(join(FIXTURES, 'base'), join(dir, 'repo'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-C', join(dir, 'repo'), '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const run = captureIo(dir);
    const code = await main(['mail', 'ingest', '--repo', 'repo', '--branch', 'main', '--outbox', 'out', '--db', 'l.db', '--config', join(FIXTURES, 'bot.yml'), join(FIXTURES, 'series-v1.mbox')], run);
    expect(run.err()).toBe('');
    expect(code).toBe(0);
    const mails = await Promise.all((await readdir(join(dir, 'out'))).map(async (f) => simpleParser(await readFile(join(dir, 'out', f)))));
    const summary = mails.find((m) => m.subject?.includes('0/2'));
    expect(summary?.text?.replace(/\s+/g, ' ')).toContain('Note: base-commit f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed is not in the repository lockscope reviews against; this review used main');
  });

  it('rejects bad usage with status 2 and a reason', async () => {
    const run = captureIo(tmpdir());
    expect(await main(['mail', 'ingest', '--outbox', 'x'], run)).toBe(2);
    // No From: configured: a clear startup error, never a reply from @localhost.
    const noFrom = captureIo(tmpdir());
    expect(await main(['mail', 'ingest', '--base', join(FIXTURES, 'base'), '--outbox', 'out', '--db', ':memory:'], noFrom)).toBe(2);
    expect(noFrom.err()).toMatch(/^lockscope mail ingest: replies need a From: address: set `from: /);
    expect(run.err()).toMatch(/give one of --base DIR and --repo GITDIR/);
    const run2 = captureIo(tmpdir());
    expect(await main(['mail', 'send'], run2)).toBe(2);
    expect(run2.err()).toMatch(/unknown subcommand 'send'/);
    const run3 = captureIo(tmpdir());
    expect(await main(['mail', 'flush', '--db', ':memory:'], run3)).toBe(2);
    expect(run3.err()).toMatch(/give one of --outbox DIR and --smtp URL/);
  });
});
