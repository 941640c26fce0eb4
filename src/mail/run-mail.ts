/**
 * The process edge of `lockscope mail ingest` and `lockscope mail flush`: opens the database,
 * reads the config file, picks the base tree and the mailer, wires the real pipeline into
 * ingest.ts and prints one line per message and series. It decides nothing about mail itself.
 *
 * Exit status: 0 when every message was recorded (skipped ones included: a bounce would only
 * annoy the list), 2 for a usage or config error, 75 (EX_TEMPFAIL) when the database cannot be
 * opened, so an MTA keeps the message and delivers it again later instead of losing it.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from '../commands/types.ts';
import { openReviewStore } from '../store/review-store.ts';
import { DirTree } from '../diff/dir-tree.ts';
import { GitTree } from '../diff/git-tree.ts';
import { splitMbox } from '../diff/mbox.ts';
import { parsePatchMessage } from '../diff/patch-message.ts';
import { renderers } from '../render/index.ts';
import { review } from '../review.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { fixedBaseSource, gitBaseSource, type BaseSource } from './base-source.ts';
import { dirMailer } from './dir-mailer.ts';
import { flush, ingest, type IngestDeps, type IngestReport, type SeriesOutcome } from './ingest.ts';
import { defaultMailConfig, parseMailConfig, type MailConfig } from './mail-config.ts';
import { MailStore } from './mail-store.ts';
import type { FlushResult } from './outbox.ts';
import { readMessages } from './read-messages.ts';
import { smtpMailer } from './smtp-mailer.ts';
import type { Mailer } from './types.ts';

export interface MailCliOptions {
  db: string;
  config: string | null;
  list: string | null;
  base: string | null;
  repo: string | null;
  branch: string | null;
  outbox: string | null;
  smtp: string | null;
  messages: string[];
}

export const EX_TEMPFAIL = 75;

type Setup = { ok: true; deps: IngestDeps; db: Db } | { ok: false; code: number; reason: string };

async function loadConfig(file: string | null, cwd: string): Promise<{ ok: true; config: MailConfig } | { ok: false; reason: string }> {
  if (file === null) return { ok: true, config: defaultMailConfig };
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    return { ok: false, reason: `cannot read config ${file}: ${err instanceof Error ? err.message : String(err)}` };
  }
  return parseMailConfig(text);
}

function baseSource(o: MailCliOptions, config: MailConfig, cwd: string): BaseSource | null {
  if (o.base !== null) return fixedBaseSource(new DirTree(resolve(cwd, o.base)));
  if (o.repo === null) return null;
  const repo = resolve(cwd, o.repo);
  return gitBaseSource((rev) => GitTree.tryOpen(repo, rev), o.branch ?? config.branch);
}

function mailer(o: MailCliOptions, config: MailConfig, cwd: string): Mailer | null {
  if (o.outbox !== null) return dirMailer(resolve(cwd, o.outbox));
  if (o.smtp !== null) return smtpMailer(o.smtp, { ignoreTLS: config.smtp.ignoreTLS });
  return null;
}

async function setup(o: MailCliOptions, io: CliIo, needBase: boolean): Promise<Setup> {
  const loaded = await loadConfig(o.config, io.cwd);
  if (!loaded.ok) return { ok: false, code: 2, reason: loaded.reason };
  const config = loaded.config;
  const base = baseSource(o, config, io.cwd);
  if (needBase && base === null) return { ok: false, code: 2, reason: 'give one of --base DIR and --repo GITDIR' };
  const send = mailer(o, config, io.cwd);
  if (send === null) return { ok: false, code: 2, reason: 'give one of --outbox DIR and --smtp URL' };
  let db: Db;
  try {
    db = openDatabase(o.db === ':memory:' ? o.db : resolve(io.cwd, o.db));
  } catch (err) {
    send.close();
    return { ok: false, code: EX_TEMPFAIL, reason: `cannot open database ${o.db}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const render = renderers.get('email');
  if (!render) throw new Error('the email renderer is not registered');
  const deps: IngestDeps = {
    mailStore: new MailStore(db),
    reviewStore: openReviewStore(db),
    review: (request) => review(request),
    parse: parsePatchMessage,
    render,
    // Only flush runs without a base, and then it does not sweep series (see runFlush).
    base: base ?? { open: async () => ({ ok: false, reason: 'no --base or --repo given' }) },
    mailer: send,
    config,
    now: Date.now,
  };
  return { ok: true, deps, db };
}

function printSeries(io: CliIo, series: SeriesOutcome[]): void {
  for (const s of series) {
    const replies = s.replies.map((r) => `${r.status} ${r.messageId}`).join(', ') || 'no reply';
    io.stdout.write(
      `series ${s.key}: ${s.reviewId !== null ? `review #${s.reviewId} ${s.verdict ?? ''}` : 'not reviewed'}${s.partial ? ' (partial)' : ''}; ${replies}${s.error ? `; ${s.error}` : ''}\n`,
    );
  }
}

function printFlush(io: CliIo, f: FlushResult): void {
  for (const id of f.sent) io.stdout.write(`outbox: sent ${id}\n`);
  for (const x of f.failed) io.stderr.write(`outbox: ${x.messageId} not sent: ${x.error}\n`);
  if (f.failed.length > 0 || f.pending > 0) io.stderr.write(`outbox: ${f.pending} repl${f.pending === 1 ? 'y' : 'ies'} still queued\n`);
}

function printReport(io: CliIo, r: IngestReport): void {
  printFlush(io, r.flushed);
  for (const m of r.messages) io.stdout.write(`${m.source}: ${m.status}${m.messageId ? ` <${m.messageId}>` : ''}${m.reason ? `: ${m.reason}` : ''}\n`);
  for (const n of r.notes) io.stdout.write(`note: ${n.status} ${n.messageId}\n`);
  printSeries(io, r.series);
}

/** `lockscope mail ingest`. */
export async function runIngest(o: MailCliOptions, io: CliIo): Promise<number> {
  const s = await setup(o, io, true);
  if (!s.ok) {
    io.stderr.write(`lockscope mail ingest: ${s.reason}\n`);
    return s.code;
  }
  try {
    const inputs = await readMessages(o.messages, { cwd: io.cwd, stdin: io.stdin, splitMbox });
    printReport(io, await ingest(s.deps, inputs, o.list));
    return 0;
  } finally {
    s.deps.mailer.close();
    s.db.close();
  }
}

/** `lockscope mail flush` (cron): retries queued replies, reviews series past their timeout. */
export async function runFlush(o: MailCliOptions, io: CliIo): Promise<number> {
  const s = await setup(o, io, false);
  if (!s.ok) {
    io.stderr.write(`lockscope mail flush: ${s.reason}\n`);
    return s.code;
  }
  try {
    const r = await flush(s.deps, o.base !== null || o.repo !== null);
    printSeries(io, r.series);
    printFlush(io, r.flushed);
    return 0;
  } finally {
    s.deps.mailer.close();
    s.db.close();
  }
}
