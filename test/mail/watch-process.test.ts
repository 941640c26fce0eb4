/**
 * `lockscope mail watch` as the long-running process systemd runs: killed in the middle of an
 * archive it resumes without a duplicate or a gap; SIGTERM lets it finish the message in hand
 * and exit 0; a maildir delivery wakes it up without waiting for the next poll.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitMbox } from '../../src/diff/mbox.ts';
import { run, start } from '../support/cli-process.ts';
import { queryDb } from '../support/query-db.ts';
import { TestInbox } from '../support/public-inbox.ts';
import { FIXTURES } from './helpers.ts';

const SINGLE = readFileSync(join(FIXTURES, 'single-fix.eml'), 'utf8');
const REPLY = readFileSync(join(FIXTURES, 'reply.eml'), 'utf8');
const [P2, P1, COVER] = splitMbox(readFileSync(join(FIXTURES, 'series-v1.mbox'), 'utf8')) as [string, string, string];
const common = ['--base', join(FIXTURES, 'base'), '--outbox', 'out', '--db', 'l.db', '--list', 'linux-foo@lists.example.org', '--config', join(FIXTURES, 'bot.yml')];

const query = <T>(dir: string, sql: string): T[] => queryDb<T>(join(dir, 'l.db'), sql);

describe('mail watch as a process', () => {
  // The OOM killer or a reboot in the middle of reading an archive backlog.
  it('resumes a killed run at the stored position: every message once, none skipped, none reviewed twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-watchp-'));
    const inbox = new TestInbox(join(dir, 'inbox'));
    const messages = [SINGLE, P2, REPLY, P1, COVER, SINGLE.replace(/1001-1-ada/g, '1001-7-ada')];
    for (const raw of messages) inbox.add(raw);

    // Killed after the third message is stored, before its position is: it is read again, as a duplicate.
    const killed = start(['mail', 'watch', '--public-inbox', 'inbox', '--once', ...common], { cwd: dir, env: { LOCKSCOPE_PAUSE_AT: 'message-filed:3' } });
    await killed.waitFor('paused at message-filed:3');
    killed.child.kill('SIGKILL');
    await killed.done;
    expect(killed.stdout().match(/^git\/0\.git@\S+: \w+/gm)).toHaveLength(2);

    const resumed = await run(['mail', 'watch', '--public-inbox', 'inbox', '--once', ...common], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout.match(/^git\/0\.git@\S+: \w+/gm)?.map((l) => l.split(': ')[1])).toEqual(['duplicate', 'filed', 'filed', 'filed']);

    expect(query<{ n: number }>(dir, 'SELECT COUNT(*) AS n FROM mail_messages')[0]?.n).toBe(messages.length);
    const reviews = query<{ subject_key: string; n: number }>(dir, 'SELECT subject_key, COUNT(*) AS n FROM reviews GROUP BY subject_key ORDER BY subject_key');
    expect(reviews.map((r) => r.n)).toEqual([1, 1, 1]);
    expect(readdirSync(join(dir, 'out'))).toHaveLength(5);
  }, 120_000);

  // systemctl stop, and a maildir delivery between polls.
  it('wakes up on a maildir delivery, and on SIGTERM finishes the message in hand and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-watchp-'));
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(dir, 'Mail', sub), { recursive: true });
    writeFileSync(join(dir, 'Mail', 'new', '1700000001.M1P1.host'), SINGLE);
    const watch = start(['mail', 'watch', '--maildir', 'Mail', '--interval', '600', ...common], { cwd: dir });
    await watch.waitFor(/^new\/1700000001\.M1P1\.host: filed/m);

    // Not the 600 s poll: the file event.
    const delivered = Date.now();
    writeFileSync(join(dir, 'Mail', 'tmp', '1700000002.M2P1.host'), REPLY);
    renameSync(join(dir, 'Mail', 'tmp', '1700000002.M2P1.host'), join(dir, 'Mail', 'new', '1700000002.M2P1.host'));
    await watch.waitFor(/^new\/1700000002\.M2P1\.host: skipped/m, 30_000);
    expect(Date.now() - delivered).toBeLessThan(30_000);

    watch.child.kill('SIGTERM');
    const end = await watch.done;
    expect(end.code, end.stderr).toBe(0);
    expect(end.stderr).toMatch(/SIGTERM: finishing the current message, then stopping/);
    expect(readdirSync(join(dir, 'Mail', 'cur')).sort()).toEqual(['1700000001.M1P1.host:2,S', '1700000002.M2P1.host:2,S']);
  }, 120_000);
});
