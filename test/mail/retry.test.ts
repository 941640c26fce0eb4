/**
 * A review that fails on our side, not the patch's: the bot's clone has no commit yet (a fresh
 * `git init`, a fetch that has not run), so there is no base tree. The message is kept, the
 * author is not bothered, ingest exits 75 so the MTA delivers again, and the series is reviewed
 * once the tree is there: by the MTA's re-delivery, by `mail retry`, or by `mail flush --now`.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { captureIo } from '../support/cli-io.ts';
import { FIXTURES } from './helpers.ts';


/** A repository with the fixture files in its work tree but nothing committed yet. */
async function emptyClone(): Promise<{ dir: string; commit: () => void }> {
  const dir = await mkdtemp(join(tmpdir(), 'lockscope-retry-'));
  await cp(join(FIXTURES, 'base'), join(dir, 'repo'), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', ['-C', join(dir, 'repo'), '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  return {
    dir,
    commit: () => {
      git('add', '.');
      git('commit', '-q', '-m', 'base');
    },
  };
}

const args = ['--repo', 'repo', '--branch', 'main', '--outbox', 'out', '--db', 'l.db', '--config', join(FIXTURES, 'bot.yml')];
const replies = async (dir: string) => (existsSync(join(dir, 'out')) ? readdir(join(dir, 'out')) : []);

describe('reviews that fail on our side are retried', () => {
  it('exits 75 while the base tree is missing, and the re-delivery after it appears is reviewed', async () => {
    const { dir, commit } = await emptyClone();
    const raw = await readFile(join(FIXTURES, 'single-fix.eml'), 'utf8');
    const first = captureIo(dir, { stdin: raw });
    expect(await main(['mail', 'ingest', ...args], first)).toBe(75);
    expect(first.out()).toMatch(/^stdin: filed </m);
    expect(first.out()).toMatch(/review #1 error; no reply; no base tree: .*has no commit "main".*; will retry at \S+Z \(lockscope mail retry 1 to retry now\)/);
    expect(first.err()).toMatch(/the review of series 1 <20260301100000\.1001-1-ada@example\.org> failed \(no base tree: .*\); exiting 75 so the MTA delivers again/);
    expect(await replies(dir)).toEqual([]);

    commit();
    const again = captureIo(dir, { stdin: raw });
    expect(await main(['mail', 'ingest', ...args], again)).toBe(0);
    expect(again.out()).toMatch(/^stdin: duplicate /m);
    // The same review row, now done: the dashboard shows one review, not a failed one and a good one.
    expect(again.out()).toMatch(/^series 20260301100000\.1001-1-ada@example\.org: review #1 removes-inversion; sent <lockscope-/m);
    expect(await replies(dir)).toHaveLength(1);
  });

  it('mail retry ID reviews a failed series now; mail flush --now does the same for all', async () => {
    const { dir, commit } = await emptyClone();
    const single = await readFile(join(FIXTURES, 'single-fix.eml'), 'utf8');
    const series = join(FIXTURES, 'series-v1.mbox');
    expect(await main(['mail', 'ingest', ...args], captureIo(dir, { stdin: single }))).toBe(75);
    expect(await main(['mail', 'ingest', ...args, series], captureIo(dir))).toBe(75);

    // Not fixed yet: retry tries, fails again, says when it tries next.
    const early = captureIo(dir);
    expect(await main(['mail', 'retry', ...args, '20260301100000.1001-1-ada@example.org'], early)).toBe(75);
    expect(early.out()).toMatch(/no base tree/);

    const listed = captureIo(dir);
    expect(await main(['mail', 'flush', '--outbox', 'out', '--db', 'l.db'], listed)).toBe(0);
    expect(listed.err()).toMatch(/^series 1 <20260301100000\.1001-1-ada@example\.org>: review failed 2 times, next at \S+Z, last error: no base tree: /m);
    expect(listed.err()).toMatch(/^series 2 <20260302090000\.2000-0-grace@example\.org>: review failed 1 time, /m);

    commit();
    const one = captureIo(dir);
    expect(await main(['mail', 'retry', ...args, '1'], one)).toBe(0);
    expect(one.out()).toMatch(/^series 20260301100000\.1001-1-ada@example\.org: review #1 removes-inversion; sent /m);
    expect(await replies(dir)).toHaveLength(1);

    const all = captureIo(dir);
    expect(await main(['mail', 'flush', ...args, '--now'], all)).toBe(0);
    expect(all.out()).toMatch(/^series 20260302090000\.2000-0-grace@example\.org: review #2 mixed; sent /m);
    expect(await replies(dir)).toHaveLength(4);

    const nothing = captureIo(dir);
    expect(await main(['mail', 'retry', ...args, 'no-such-id@example.org'], nothing)).toBe(1);
    expect(nothing.err()).toMatch(/no series no-such-id@example\.org/);
    const usage = captureIo(dir);
    expect(await main(['mail', 'retry', ...args], usage)).toBe(2);
    expect(usage.err()).toMatch(/retry takes --all or one ID/);
  });
});
