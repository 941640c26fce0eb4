/**
 * Nothing lost when the process dies mid-review (SIGKILL, an MTA pipe timeout, the OOM killer):
 * `lockscope mail ingest` runs as a real process on a real database file, is stopped at a named
 * step of the review of a series' last part (LOCKSCOPE_PAUSE_AT, src/mail/pause-at.ts) and
 * SIGKILLed there; then the part is delivered again (the MTA retrying) and `mail flush` runs, or
 * only `mail flush` runs (the part was delivered once). Every trial must end with the series
 * reviewed once, one review row, and every reply it needs at the SMTP server, each Message-ID at
 * least once and a duplicate only of a reply the server had accepted before the kill.
 *
 * The series is test/fixtures/mail/series-v1.mbox: 2/2 and the cover arrive first (recorded in a
 * template database), 1/2 last. Its verdict is mixed, so it needs three replies: 1/2, 2/2, 0/2.
 * The table of trials is printed after the run (the report quotes it).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitMbox } from '../../src/diff/mbox.ts';
import { run, start } from '../support/cli-process.ts';
import { FIXTURES, smtpSink, type SmtpSink } from './helpers.ts';

const COVER = '20260302090000.2000-0-grace@example.org';
const [P2, P1, COVER_MAIL] = splitMbox(readFileSync(join(FIXTURES, 'series-v1.mbox'), 'utf8')) as [string, string, string];

let template: string;
const rows = new Map<number, string>();

function args(dir: string, sink: SmtpSink, command: 'ingest' | 'flush'): string[] {
  return ['mail', command, '--base', join(FIXTURES, 'base'), '--smtp', `smtp://127.0.0.1:${sink.port}`, '--db', join(dir, 'l.db'), '--config', join(dir, 'mail.yml')];
}

function setupDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-crash-'));
  writeFileSync(join(dir, 'mail.yml'), 'from: "lockscope <lockscope@bot.example.org>"\nsmtp:\n  ignoreTLS: true\n  timeoutSeconds: 5\n');
  return dir;
}

beforeAll(async () => {
  template = setupDir();
  const sink = await smtpSink();
  for (const raw of [P2, COVER_MAIL]) {
    const r = await run(args(template, sink, 'ingest'), { cwd: template, stdin: raw });
    expect(r.code, r.stderr).toBe(0);
  }
  await sink.stop();
  expect(sink.received).toHaveLength(0);
  expect(existsSync(join(template, 'l.db-wal'))).toBe(false);
}, 120_000);

afterAll(() => {
  rmSync(template, { recursive: true, force: true });
  // The report quotes this table.
  console.log(['| kill point | recovery | review rows | series | replies sent | SMTP deliveries (distinct/total) | resent after crash |', '|---|---|---|---|---|---|---|', ...[...rows.keys()].sort((a, b) => a - b).map((k) => rows.get(k))].join('\n'));
});

interface Trial {
  killAt: string;
  recovery: 'redeliver + flush' | 'flush';
  /** Replies the SMTP server accepted before the kill and that are sent again (same Message-ID). */
  duplicates: number;
}

const trials: Trial[] = [
  { killAt: 'message-filed', recovery: 'redeliver + flush', duplicates: 0 },
  { killAt: 'series-claimed', recovery: 'redeliver + flush', duplicates: 0 },
  { killAt: 'review-row', recovery: 'redeliver + flush', duplicates: 0 },
  { killAt: 'reviewed', recovery: 'redeliver + flush', duplicates: 0 },
  { killAt: 'review-committed', recovery: 'redeliver + flush', duplicates: 0 },
  { killAt: 'reply-attempting:1', recovery: 'redeliver + flush', duplicates: 0 },
  { killAt: 'reply-accepted:1', recovery: 'redeliver + flush', duplicates: 1 },
  { killAt: 'reply-sent:1', recovery: 'redeliver + flush', duplicates: 0 },
  { killAt: 'reply-accepted:2', recovery: 'redeliver + flush', duplicates: 1 },
  { killAt: 'reply-accepted:3', recovery: 'redeliver + flush', duplicates: 1 },
  { killAt: 'message-filed', recovery: 'flush', duplicates: 0 },
  { killAt: 'review-committed', recovery: 'flush', duplicates: 0 },
  { killAt: 'reply-accepted:2', recovery: 'flush', duplicates: 1 },
];

const messageIdOf = (raw: string): string => /^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? '?';

describe.concurrent('a series review killed at each step finishes on the next delivery or flush', () => {
  for (const [index, t] of trials.entries()) {
    it(`SIGKILL at ${t.killAt}, recovered by ${t.recovery}`, async () => {
      const dir = setupDir();
      copyFileSync(join(template, 'l.db'), join(dir, 'l.db'));
      const sink = await smtpSink();
      try {
        const paused = start(args(dir, sink, 'ingest'), { cwd: dir, stdin: P1, env: { LOCKSCOPE_PAUSE_AT: t.killAt } });
        await paused.waitFor(`paused at ${t.killAt.includes(':') ? t.killAt : `${t.killAt}:1`}`);
        paused.child.kill('SIGKILL');
        expect((await paused.done).signal).toBe('SIGKILL');
        const before = sink.received.length;

        if (t.recovery === 'redeliver + flush') {
          const again = await run(args(dir, sink, 'ingest'), { cwd: dir, stdin: P1 });
          expect(again.code, again.stderr).toBe(0);
          // message-filed: the first run stored the part, so this delivery is a duplicate.
          expect(again.stdout).toMatch(/^stdin: (filed|duplicate) /m);
        }
        const flushed = await run(args(dir, sink, 'flush'), { cwd: dir });
        expect(flushed.code, flushed.stderr).toBe(0);

        const db = new Database(join(dir, 'l.db'), { readonly: true });
        const reviews = db.prepare(`SELECT status, verdict FROM reviews WHERE subject_key = ?`).all(`series:${COVER}`) as { status: string; verdict: string }[];
        const series = db.prepare(`SELECT state, claimed_by FROM mail_series WHERE key = ?`).get(COVER) as { state: string; claimed_by: string | null };
        const replies = db.prepare(`SELECT message_id, status FROM mail_replies ORDER BY rowid`).all() as { message_id: string; status: string }[];
        db.close();
        const delivered = sink.received.map((r) => messageIdOf(r.raw));
        const distinct = new Set(delivered);
        rows.set(index, `| ${t.killAt} | ${t.recovery} | ${reviews.length} (${reviews.map((r) => `${r.status} ${r.verdict}`).join(', ')}) | ${series.state} | ${replies.filter((r) => r.status === 'sent').length}/${replies.length} | ${distinct.size}/${delivered.length} | ${delivered.length - distinct.size === 0 ? 'none' : `${delivered.length - distinct.size} (accepted before the kill: ${before})`} |`);

        expect(reviews).toEqual([{ status: 'done', verdict: 'mixed' }]);
        expect(series).toEqual({ state: 'reviewed', claimed_by: null });
        expect(replies.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
        expect([...distinct].sort()).toEqual(replies.map((r) => r.message_id).sort());
        expect(delivered.length - distinct.size).toBe(t.duplicates);
        const answered = new Set(sink.received.map((r) => /^In-Reply-To: <(.*)>$/im.exec(r.raw)?.[1]));
        expect(answered).toEqual(new Set([COVER, '20260302090000.2000-1-grace@example.org', '20260302090000.2000-2-grace@example.org']));
      } finally {
        await sink.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
