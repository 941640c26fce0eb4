/**
 * The database in trouble, as an MTA alias meets it: `lockscope mail ingest` runs as a real
 * process against a real SQLite file that another process holds in a write transaction, or a copy
 * whose pages behind a valid header are garbage. A message is never lost and never stored half:
 * either it is stored and reviewed, or the run exits 75 (EX_TEMPFAIL) so the MTA delivers it again.
 */
import { mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync, closeSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../support/cli-process.ts';
import { queryDb } from '../support/query-db.ts';
import { FIXTURES } from './helpers.ts';

const SINGLE = readFileSync(join(FIXTURES, 'single-fix.eml'), 'utf8');
const ID = '20260301100000.1001-1-ada@example.org';
let dir: string;

const ingest = (stdin: string, config = 'busyTimeoutSeconds: 10\n') => {
  writeFileSync(join(dir, 'mail.yml'), `from: "lockscope <lockscope@bot.example.org>"\n${config}`);
  return run(['mail', 'ingest', '--base', join(FIXTURES, 'base'), '--outbox', 'out', '--db', 'l.db', '--config', 'mail.yml'], { cwd: dir, stdin });
};

/** Holds the database's write lock from this (the test) process for `ms`. */
function holdWriteLock(ms: number): Promise<void> {
  const db = new Database(join(dir, 'l.db'));
  db.exec('BEGIN IMMEDIATE');
  db.prepare(`INSERT INTO migrations (namespace, version, applied_at) VALUES ('lock-holder', 1, 'now')`).run();
  return new Promise((resolve) =>
    setTimeout(() => {
      db.exec('ROLLBACK');
      db.close();
      resolve();
    }, ms),
  );
}

const storedMessages = (): string[] => queryDb<{ message_id: string }>(join(dir, 'l.db'), 'SELECT message_id FROM mail_messages').map((r) => r.message_id);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lockscope-dbtrouble-'));
  // A database that exists and is migrated, as on a list bot that has run before.
  const first = await run(['mail', 'flush', '--outbox', 'out', '--db', 'l.db'], { cwd: dir });
  expect(first.code, first.stderr).toBe(0);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a busy database', () => {
  // A long write by the dashboard's host or a concurrent flush: ingest waits, then stores the message.
  it('waits for a lock held for 2 s (busy timeout 10 s) and stores and reviews the message', async () => {
    const released = holdWriteLock(2_000);
    const r = await ingest(SINGLE);
    await released;
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(1_500);
    expect(r.stdout).toMatch(/^stdin: filed </m);
    expect(r.stdout).toMatch(/review #\d+ removes-inversion; sent/);
    expect(readdirSync(join(dir, 'out'))).toHaveLength(1);
  });

  // Held past the busy timeout: exit 75, nothing stored, and the MTA's next delivery succeeds.
  it('exits 75 without storing anything when the lock outlasts the busy timeout, and the re-delivery is reviewed', async () => {
    const released = holdWriteLock(6_000);
    const r = await ingest(SINGLE, 'busyTimeoutSeconds: 1\n');
    expect(r.code).toBe(75);
    expect(r.stderr).toMatch(/the database l\.db is busy: another process held its write lock for more than 1 s \(SQLITE_BUSY/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).not.toMatch(/skipped|filed/);
    await released;
    expect(storedMessages()).toEqual([]);

    const again = await ingest(SINGLE);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^stdin: filed </m);
    expect(storedMessages()).toEqual([ID]);
    expect(readdirSync(join(dir, 'out'))).toHaveLength(1);
  });
});

describe('a damaged database', () => {
  /** Overwrites every page after the first (the header) with garbage. */
  function corrupt(file: string): void {
    const pages = statSync(file).size / 4096;
    const fd = openSync(file, 'r+');
    const junk = Buffer.alloc(4096, 0x5a);
    for (let p = 1; p < pages; p++) writeSync(fd, junk, 0, junk.length, p * 4096);
    closeSync(fd);
  }

  // A disk fault or a bad copy: the MTA must keep the mail (75), and the operator must be told what to run.
  it('exits 75 with how to check and repair, not a stack trace; doctor says the same', async () => {
    expect((await ingest(SINGLE)).code).toBe(0);
    copyFileSync(join(dir, 'l.db'), join(dir, 'damaged.db'));
    corrupt(join(dir, 'damaged.db'));
    writeFileSync(join(dir, 'mail.yml'), '');
    const r = await run(['mail', 'ingest', '--base', join(FIXTURES, 'base'), '--outbox', 'out', '--db', 'damaged.db', '--config', join(FIXTURES, 'bot.yml')], { cwd: dir, stdin: SINGLE.replace(/1001-1-ada/g, '1001-2-ada') });
    expect(r.code).toBe(75);
    expect(r.stderr).toMatch(/the database damaged\.db is damaged \(SQLITE_CORRUPT/);
    expect(r.stderr).toContain(`sqlite3 'damaged.db' 'pragma integrity_check'`);
    expect(r.stderr).toContain(`sqlite3 'damaged.db' '.recover' | sqlite3 recovered.db`);
    expect(r.stderr).not.toMatch(/^\s+at /m);

    const sick = await run(['doctor', '--db', 'damaged.db'], { cwd: dir });
    expect(sick.code).toBe(1);
    expect(sick.stdout).toMatch(/damaged\.db: DAMAGED\n/);
    expect(sick.stdout).toContain('.recover');
    const well = await run(['doctor', '--db', 'l.db'], { cwd: dir });
    expect(well.code, well.stdout).toBe(0);
    expect(well.stdout).toMatch(/l\.db: ok \(integrity_check passed\)/);
  });
});
