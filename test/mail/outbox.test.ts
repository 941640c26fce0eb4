import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dirMailer, emlFileName } from '../../src/mail/dir-mailer.ts';
import { MailStore } from '../../src/mail/mail-store.ts';
import { backoffMs, ensureReply, flushOutbox, type OutboxDeps } from '../../src/mail/outbox.ts';
import { buildReply, type OutgoingMail } from '../../src/mail/reply.ts';
import { smtpMailer } from '../../src/mail/smtp-mailer.ts';
import { processClaims } from '../../src/store/process-claim.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { smtpSink, type SmtpSink } from './helpers.ts';

let sink: SmtpSink;
let db: Db;
let store: MailStore;
let clock: number;

function reply(id: string): OutgoingMail {
  const r = buildReply(
    { messageId: id, subject: '[PATCH] x: y', from: { name: 'Ada', address: 'ada@example.org' }, to: ['list@example.org'], cc: [], references: [] },
    'No lock-order change.\n',
    { from: 'lockscope <bot@example.org>', messageIdDomain: null, list: 'list@example.org', ccList: true, ccOriginal: true, wrapColumn: 78, reviewId: 1, date: new Date(clock) },
  );
  if (!r.ok) throw new Error(r.reason);
  return r.mail;
}

function deps(mailer = smtpMailer(`smtp://127.0.0.1:${sink.port}`, { ignoreTLS: true, timeoutMs: 2000 })): OutboxDeps {
  return { store, mailer, now: () => clock, retry: { baseSeconds: 60, maxSeconds: 3600 }, claims: processClaims() };
}

beforeEach(async () => {
  sink = await smtpSink();
  db = openDatabase(':memory:');
  store = new MailStore(db);
  clock = Date.UTC(2026, 2, 1, 0, 0, 0);
});

afterEach(async () => {
  await sink.stop();
  db.close();
});

describe('outbox', () => {
  // Re-ingesting a message (MTA retry, operator replaying an mbox) must not mail the author again.
  it('ensureReply sends once; a second call for the same message changes nothing', async () => {
    const d = deps();
    expect((await ensureReply(d, reply('<p1@example.org>'), { reviewId: 1, purpose: 'review' })).status).toBe('sent');
    expect((await ensureReply(d, reply('<p1@example.org>'), { reviewId: 1, purpose: 'review' })).status).toBe('exists');
    d.mailer.close();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]?.envelope).toEqual({ from: 'bot@example.org', to: ['ada@example.org', 'list@example.org'] });
  });

  // The local MTA is restarting: the reply waits in the database, with its error, and goes out later, once.
  it('keeps a failed send queued and retries it with exponential backoff until the server is back', async () => {
    await sink.stop();
    const d = deps();
    const first = await ensureReply(d, reply('<p2@example.org>'), { reviewId: 2, purpose: 'review' });
    expect(first.status).toBe('queued');
    let row = store.reply('<p2@example.org>');
    expect(row).toMatchObject({ status: 'queued', attempts: 1, nextAttemptMs: clock + 60_000 });

    clock += 60_000;
    const retry = await flushOutbox(d);
    expect(retry.failed).toHaveLength(1);
    row = store.reply('<p2@example.org>');
    expect(row).toMatchObject({ attempts: 2, nextAttemptMs: clock + 120_000 });

    await sink.start();
    clock += 119_000;
    expect((await flushOutbox(d)).sent).toEqual([]);
    clock += 1_000;
    const ok = await flushOutbox(d);
    expect(ok).toEqual({ sent: [row?.messageId], resent: [], failed: [], pending: 0, waiting: [] });
    expect((await flushOutbox(d)).sent).toEqual([]);
    d.mailer.close();
    expect(sink.received).toHaveLength(1);
    expect(store.reply('<p2@example.org>')).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });

  // Cron's flush and an ingest running at the same moment must not both send the same reply.
  it('a reply claimed by one flush is not sent by a concurrent one', async () => {
    await sink.stop();
    const d = deps();
    await ensureReply(d, reply('<p3@example.org>'), { reviewId: 3, purpose: 'review' });
    await sink.start();
    clock += 60_000;
    const [a, b] = await Promise.all([flushOutbox(d), flushOutbox(deps())]);
    d.mailer.close();
    expect(a.sent.length + b.sent.length).toBe(1);
    expect(sink.received).toHaveLength(1);
  });

  // The process sending a reply was SIGKILLed between the SMTP transaction and marking it sent:
  // the next flush sends it again at once (same Message-ID), not after a lease; a live sender is left alone.
  it('re-sends a reply left sending by a dead process at once, and leaves a live sender alone', async () => {
    const d = deps();
    const mail = reply('<p5@example.org>');
    store.addReply({ inReplyTo: mail.inReplyTo, messageId: mail.messageId, reviewId: 5, purpose: 'review', raw: mail.raw, envFrom: mail.envelope.from, envTo: mail.envelope.to, nextAttemptMs: clock, createdAt: 'x' });
    const alive = { me: 'other', isStale: () => false };
    expect(store.claimSend(mail.inReplyTo, 'sender-1', clock)).toBe(true);
    expect(await flushOutbox({ ...d, claims: alive })).toMatchObject({ sent: [], resent: [], pending: 1 });
    expect(sink.received).toHaveLength(0);
    const dead = { me: 'sender-2', isStale: (by: string) => by === 'sender-1' };
    expect(await flushOutbox({ ...d, claims: dead })).toMatchObject({ sent: [], resent: [mail.messageId], pending: 0 });
    d.mailer.close();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]?.raw).toBe(mail.raw);
    expect(store.reply(mail.inReplyTo)).toMatchObject({ status: 'sent', claimedBy: null });
  });

  // The server accepted the reply while another process (a prune, a concurrent ingest) held the
  // database's write lock past the busy timeout: recording it as sent waits for the lock instead of
  // ending the run with the reply left `sending`, which the next run would send a second time.
  it('records an accepted reply as sent once the database is free again, and does not send it twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockscope-outbox-busy-'));
    const file = join(dir, 'l.db');
    const fileDb = openDatabase(file, { busyTimeoutMs: 50 });
    const fileStore = new MailStore(fileDb);
    const smtp = smtpMailer(`smtp://127.0.0.1:${sink.port}`, { ignoreTLS: true, timeoutMs: 2000 });
    let released: Promise<void> = Promise.resolve();
    // Another connection takes the write lock as the SMTP server accepts, and keeps it for 600 ms.
    const mailer = {
      ...smtp,
      async send(m: Parameters<typeof smtp.send>[0]) {
        await smtp.send(m);
        const other = new Database(file);
        other.exec('BEGIN IMMEDIATE');
        released = new Promise((r) => setTimeout(() => {
          other.exec('ROLLBACK');
          other.close();
          r();
        }, 600));
      },
    };
    try {
      const result = await ensureReply({ ...deps(mailer), store: fileStore }, reply('<p9@example.org>'), { reviewId: 9, purpose: 'review' });
      await released;
      expect(result.status).toBe('sent');
      expect(fileStore.reply('<p9@example.org>')).toMatchObject({ status: 'sent', claimedBy: null });
      expect((await flushOutbox({ ...deps(mailer), store: fileStore, claims: { me: 'next-run', isStale: () => true } })).resent).toEqual([]);
      expect(sink.received).toHaveLength(1);
    } finally {
      smtp.close();
      fileDb.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, 60, 600))).toEqual([60_000, 120_000, 240_000, 480_000, 600_000]);
  });

  // --outbox DIR: a dry run writes .eml files named by Message-ID, nothing escapes the folder.
  it('writes replies as .eml files named by their Message-ID with --outbox', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockscope-outbox-'));
    const d = deps(dirMailer(dir));
    const mail = reply('<p4@example.org>');
    expect((await ensureReply(d, mail, { reviewId: 4, purpose: 'review' })).status).toBe('sent');
    const files = await readdir(dir);
    expect(files).toEqual([emlFileName(mail.messageId)]);
    expect(await readFile(join(dir, files[0] as string), 'utf8')).toBe(mail.raw);
    expect(emlFileName('<../../etc/passwd@x>')).toBe('__.._etc_passwd@x.eml');
    expect(emlFileName('<a/b@c>')).not.toContain('/');
  });
});
