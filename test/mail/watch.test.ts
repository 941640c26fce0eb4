/**
 * `lockscope mail watch` following a list: a public-inbox archive built with git by the test (v2
 * epochs, one commit per message; v1), a mirror that fetches from its remote (and one whose
 * remote is gone), and a maildir. Replies go to --outbox; the database is a real file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { captureIo } from '../support/cli-io.ts';
import { queryDb } from '../support/query-db.ts';
import { splitMbox } from '../../src/diff/mbox.ts';
import { TestInbox } from '../support/public-inbox.ts';
import { FIXTURES } from './helpers.ts';

const SINGLE = readFileSync(join(FIXTURES, 'single-fix.eml'), 'utf8');
const REPLY = readFileSync(join(FIXTURES, 'reply.eml'), 'utf8');
const [P2, P1, COVER] = splitMbox(readFileSync(join(FIXTURES, 'series-v1.mbox'), 'utf8')) as [string, string, string];


const common = ['--base', join(FIXTURES, 'base'), '--outbox', 'out', '--db', 'l.db', '--list', 'linux-foo@lists.example.org', '--config', join(FIXTURES, 'bot.yml')];
const once = async (dir: string, ...source: string[]) => {
  const run = captureIo(dir);
  const code = await main(['mail', 'watch', ...source, '--once', ...common], run);
  return { code, out: run.out(), err: run.err() };
};
const replies = (dir: string): string[] => {
  try {
    return readdirSync(join(dir, 'out')).sort();
  } catch {
    return [];
  }
};
const stored = (dir: string, sql: string): unknown[] => queryDb(join(dir, 'l.db'), sql);

describe('mail watch --public-inbox', () => {
  // A lore mirror: each message once, in arrival order, a series assembled across messages.
  it('ingests every new message of a v2 archive in order, then nothing more on the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-watch-'));
    const inbox = new TestInbox(join(dir, 'inbox'));
    for (const raw of [SINGLE, P2, REPLY, P1, COVER]) inbox.add(raw);

    const first = await once(dir, '--public-inbox', 'inbox');
    expect(first.code, first.err).toBe(0);
    expect(first.out.match(/^git\/0\.git@[0-9a-f]{12}: \w+/gm)?.map((l) => l.split(': ')[1])).toEqual(['filed', 'filed', 'skipped', 'filed', 'filed']);
    expect(replies(dir)).toHaveLength(4); // the single patch; 1/2, 2/2 and the cover of the mixed series
    expect(stored(dir, 'SELECT epoch, position FROM mail_watch_positions')).toEqual([{ epoch: 'git/0.git', position: execFileSync('git', ['--git-dir', inbox.epoch(0), 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim() }]);

    const second = await once(dir, '--public-inbox', 'inbox');
    expect(second.code, second.err).toBe(0);
    expect(second.out).not.toMatch(/git\/0\.git@/);
    expect(replies(dir)).toHaveLength(4);

    // The archive grows: only the new message is read.
    inbox.add(SINGLE.replace(/1001-1-ada/g, '1001-9-ada'));
    const third = await once(dir, '--public-inbox', 'inbox');
    expect(third.out.match(/^git\/0\.git@/gm)).toHaveLength(1);
    expect(replies(dir)).toHaveLength(5);
  });

  // Epochs roll over (about 1 GB each on lore): a series split across two epochs is still one series.
  it('reads epochs in order, skips deletions, and reads a v1 archive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-watch-'));
    const inbox = new TestInbox(join(dir, 'inbox'));
    inbox.add(P2, 0);
    inbox.add(P1, 0);
    inbox.remove(0);
    inbox.add(COVER, 1);
    const r = await once(dir, '--public-inbox', 'inbox');
    expect(r.code, r.err).toBe(0);
    expect(r.out.match(/^git\/\d\.git@[0-9a-f]{12}: filed/gm)?.map((l) => l.slice(0, 9))).toEqual(['git/0.git', 'git/0.git', 'git/1.git']);
    expect(r.out).toMatch(/^series 20260302090000\.2000-0-grace@example\.org: review #1 mixed; /m);
    expect(stored(dir, 'SELECT epoch FROM mail_watch_positions ORDER BY epoch')).toEqual([{ epoch: 'git/0.git' }, { epoch: 'git/1.git' }]);

    const v1dir = mkdtempSync(join(tmpdir(), 'lockscope-watch-v1-'));
    const v1 = new TestInbox(join(v1dir, 'inbox.git'), 1);
    v1.add(SINGLE);
    v1.add(REPLY);
    const old = await once(v1dir, '--public-inbox', 'inbox.git');
    expect(old.code, old.err).toBe(0);
    expect(old.out.match(/^\.@[0-9a-f]{12}: \w+/gm)?.map((l) => l.split(': ')[1])).toEqual(['filed', 'skipped']);
    expect(replies(v1dir)).toHaveLength(1);
  });

  // A mirror made with `git clone --mirror`: watch fetches first; a remote that is gone is logged, not fatal.
  it('fetches a mirror before reading it, and goes on when the fetch fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-watch-'));
    const upstream = new TestInbox(join(dir, 'lore'));
    upstream.add(SINGLE);
    mkdirSync(join(dir, 'mirror', 'git'), { recursive: true });
    execFileSync('git', ['clone', '-q', '--mirror', upstream.epoch(0), join(dir, 'mirror', 'git', '0.git')]);
    upstream.add(SINGLE.replace(/1001-1-ada/g, '1001-2-ada'));

    const fetched = await once(dir, '--public-inbox', 'mirror');
    expect(fetched.code, fetched.err).toBe(0);
    expect(fetched.out.match(/^git\/0\.git@[0-9a-f]{12}: filed/gm)).toHaveLength(2);

    renameSync(join(dir, 'lore'), join(dir, 'lore-gone'));
    const offline = await once(dir, '--public-inbox', 'mirror');
    expect(offline.code, offline.err).toBe(0);
    expect(offline.err).toMatch(/^lockscope mail watch: git fetch in git\/0\.git failed: /m);
  });

  it('refuses a directory that is no archive, and bad usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-watch-'));
    mkdirSync(join(dir, 'plain'));
    const r = await once(dir, '--public-inbox', 'plain');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/plain is not a public-inbox archive/);
    const both = captureIo(dir);
    expect(await main(['mail', 'watch', '--public-inbox', 'a', '--maildir', 'b', ...common], both)).toBe(2);
    expect(both.err()).toMatch(/give only one of --public-inbox DIR and --maildir DIR/);
    const none = captureIo(dir);
    expect(await main(['mail', 'watch', ...common], none)).toBe(2);
    expect(none.err()).toMatch(/watch needs --public-inbox DIR or --maildir DIR/);
  });
});

describe('mail watch --maildir', () => {
  // fetchmail or an MDA delivering into a maildir: each message read once, then marked seen in cur/.
  it('ingests new/ in order and moves each message to cur/ with the Seen flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-watch-md-'));
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(dir, 'Mail', sub), { recursive: true });
    writeFileSync(join(dir, 'Mail', 'new', '1700000001.M1P1.host'), SINGLE);
    writeFileSync(join(dir, 'Mail', 'new', '1700000002.M2P1.host'), REPLY);
    writeFileSync(join(dir, 'Mail', 'cur', '1600000000.M0P1.host:2,S'), P2); // read before: left alone
    const r = await once(dir, '--maildir', 'Mail');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^new\/1700000001\.M1P1\.host: filed </m);
    expect(r.out).toMatch(/^new\/1700000002\.M2P1\.host: skipped </m);
    expect(r.out).not.toMatch(/1600000000/);
    expect(readdirSync(join(dir, 'Mail', 'new'))).toEqual([]);
    expect(readdirSync(join(dir, 'Mail', 'cur')).sort()).toEqual(['1600000000.M0P1.host:2,S', '1700000001.M1P1.host:2,S', '1700000002.M2P1.host:2,S']);
    expect(replies(dir)).toHaveLength(1);
  });
});
