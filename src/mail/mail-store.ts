/**
 * The mail bot's tables in the shared SQLite file (migration namespace "mail"): every message
 * received, the series they assemble into, and the replies (which double as the persistent
 * outbox). It keeps rows and answers lookups; it does not decide what a series is (series.ts)
 * or send anything (outbox.ts).
 *
 * Why one table for "replies sent" and "outbox": a reply row is written, keyed by the Message-ID
 * it answers, before the first send attempt. The row existing is what stops a second reply when
 * a message is ingested again; its status says whether it still has to go out.
 *
 * Work in progress is claimed, not leased: a series under review and a reply being sent carry
 * the claimant (process-claim.ts) and the time of the claim, and a claim is taken over only by
 * naming the exact stale claimant in a conditional UPDATE, so exactly one process wins it.
 *
 * Series states:  collecting --claimSeries--> reviewing --finishSeries--> reviewed
 *                 reviewing (claimant gone) --claimSeries(takeOver)--> reviewing
 *                 reviewing --failSeries--> failed (a reason that may pass) --claimSeries(due)--> reviewing
 * Reply states:   queued --claimSend--> sending --markSent--> sent
 *                 sending --markFailed--> queued (later attempt)
 *                 sending (claimant gone) --claimSend(takeOver)--> sending (sent again, same Message-ID)
 */
import { migrate, type Db } from '../store/database.ts';

const MIGRATIONS = [
  `CREATE TABLE mail_series (
     id INTEGER PRIMARY KEY,
     key TEXT NOT NULL,
     version INTEGER NOT NULL,
     list TEXT NOT NULL,
     title TEXT NOT NULL,
     author TEXT,
     change_id TEXT,
     total INTEGER NOT NULL,
     state TEXT NOT NULL,
     first_seen_ms INTEGER NOT NULL,
     reviewed_ms INTEGER,
     review_id INTEGER,
     prev_series_id INTEGER REFERENCES mail_series(id),
     note TEXT
   );
   CREATE INDEX mail_series_state ON mail_series(state);
   CREATE INDEX mail_series_key ON mail_series(key);
   CREATE INDEX mail_series_change ON mail_series(change_id);
   CREATE TABLE mail_messages (
     message_id TEXT PRIMARY KEY,
     raw TEXT NOT NULL,
     kind TEXT NOT NULL,
     subject TEXT NOT NULL,
     author TEXT,
     list TEXT NOT NULL,
     version INTEGER NOT NULL,
     part_index INTEGER,
     part_total INTEGER,
     series_id INTEGER REFERENCES mail_series(id),
     skip_reason TEXT,
     received_at TEXT NOT NULL
   );
   CREATE INDEX mail_messages_series ON mail_messages(series_id);
   CREATE TABLE mail_refs (
     message_id TEXT NOT NULL,
     ref_id TEXT NOT NULL,
     PRIMARY KEY (message_id, ref_id)
   );
   CREATE INDEX mail_refs_ref ON mail_refs(ref_id);
   CREATE TABLE mail_replies (
     in_reply_to TEXT PRIMARY KEY,
     message_id TEXT NOT NULL UNIQUE,
     review_id INTEGER,
     purpose TEXT NOT NULL,
     raw TEXT NOT NULL,
     env_from TEXT NOT NULL,
     env_to TEXT NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_ms INTEGER NOT NULL,
     last_error TEXT,
     created_at TEXT NOT NULL,
     sent_at TEXT
   );
   CREATE INDEX mail_replies_due ON mail_replies(status, next_attempt_ms);`,
  // Claims by process instead of a 5-minute lease; replies being sent are their own state.
  `ALTER TABLE mail_series ADD COLUMN claimed_by TEXT;
   ALTER TABLE mail_series ADD COLUMN claimed_ms INTEGER;
   ALTER TABLE mail_replies ADD COLUMN claimed_by TEXT;
   ALTER TABLE mail_replies ADD COLUMN attempt_started_ms INTEGER;`,
  // Reviews that failed for a reason that may pass (base tree, git) are retried; archive positions.
  `ALTER TABLE mail_series ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE mail_series ADD COLUMN retry_at_ms INTEGER;
   ALTER TABLE mail_series ADD COLUMN last_error TEXT;
   CREATE TABLE mail_watch_positions (
     source TEXT NOT NULL,
     epoch TEXT NOT NULL,
     position TEXT NOT NULL,
     updated_ms INTEGER NOT NULL,
     PRIMARY KEY (source, epoch)
   );`,
];

export type SeriesState = 'collecting' | 'reviewing' | 'reviewed' | 'failed';

export interface SeriesRow {
  id: number;
  key: string;
  version: number;
  list: string;
  title: string;
  author: string | null;
  changeId: string | null;
  total: number;
  state: SeriesState;
  firstSeenMs: number;
  reviewedMs: number | null;
  reviewId: number | null;
  prevSeriesId: number | null;
  note: string | null;
  /** The process reviewing it (state reviewing), see process-claim.ts. */
  claimedBy: string | null;
  claimedMs: number | null;
  /** Failed review attempts so far (state failed), when the next is due, and why the last failed. */
  attempts: number;
  retryAtMs: number | null;
  lastError: string | null;
}

export interface MessageRow {
  messageId: string;
  raw: string;
  kind: string;
  subject: string;
  author: string | null;
  list: string;
  version: number;
  partIndex: number | null;
  partTotal: number | null;
  seriesId: number | null;
  skipReason: string | null;
  receivedAt: string;
}

/** What a reply is for; kept so the dashboard and logs can tell a review from a note. */
export type ReplyPurpose = 'review' | 'summary' | 'apply-failure' | 'problem-note';

export interface ReplyRow {
  inReplyTo: string;
  messageId: string;
  reviewId: number | null;
  purpose: ReplyPurpose;
  raw: string;
  envFrom: string;
  envTo: string[];
  status: ReplyStatus;
  attempts: number;
  nextAttemptMs: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** The process sending it (status sending). */
  claimedBy: string | null;
  /** When the current or last send attempt started. */
  attemptStartedMs: number | null;
}

export type ReplyStatus = 'queued' | 'sending' | 'sent';

type Sql = Record<string, unknown>;

function toSeries(r: Sql): SeriesRow {
  return {
    id: r.id as number,
    key: r.key as string,
    version: r.version as number,
    list: r.list as string,
    title: r.title as string,
    author: (r.author as string | null) ?? null,
    changeId: (r.change_id as string | null) ?? null,
    total: r.total as number,
    state: r.state as SeriesState,
    firstSeenMs: r.first_seen_ms as number,
    reviewedMs: (r.reviewed_ms as number | null) ?? null,
    reviewId: (r.review_id as number | null) ?? null,
    prevSeriesId: (r.prev_series_id as number | null) ?? null,
    note: (r.note as string | null) ?? null,
    claimedBy: (r.claimed_by as string | null) ?? null,
    claimedMs: (r.claimed_ms as number | null) ?? null,
    attempts: (r.attempts as number | null) ?? 0,
    retryAtMs: (r.retry_at_ms as number | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
  };
}

function toMessage(r: Sql): MessageRow {
  return {
    messageId: r.message_id as string,
    raw: r.raw as string,
    kind: r.kind as string,
    subject: r.subject as string,
    author: (r.author as string | null) ?? null,
    list: r.list as string,
    version: r.version as number,
    partIndex: (r.part_index as number | null) ?? null,
    partTotal: (r.part_total as number | null) ?? null,
    seriesId: (r.series_id as number | null) ?? null,
    skipReason: (r.skip_reason as string | null) ?? null,
    receivedAt: r.received_at as string,
  };
}

function toReply(r: Sql): ReplyRow {
  return {
    inReplyTo: r.in_reply_to as string,
    messageId: r.message_id as string,
    reviewId: (r.review_id as number | null) ?? null,
    purpose: r.purpose as ReplyPurpose,
    raw: r.raw as string,
    envFrom: r.env_from as string,
    envTo: JSON.parse(r.env_to as string) as string[],
    status: r.status as ReplyStatus,
    attempts: r.attempts as number,
    nextAttemptMs: r.next_attempt_ms as number,
    lastError: (r.last_error as string | null) ?? null,
    createdAt: r.created_at as string,
    sentAt: (r.sent_at as string | null) ?? null,
    claimedBy: (r.claimed_by as string | null) ?? null,
    attemptStartedMs: (r.attempt_started_ms as number | null) ?? null,
  };
}

export type NewMessage = Omit<MessageRow, 'seriesId' | 'skipReason'> & { references: string[] };
export type NewSeries = Omit<SeriesRow, 'id' | 'state' | 'reviewedMs' | 'reviewId' | 'note' | 'claimedBy' | 'claimedMs' | 'attempts' | 'retryAtMs' | 'lastError'>;
export type NewReply = Omit<ReplyRow, 'status' | 'attempts' | 'lastError' | 'sentAt' | 'claimedBy' | 'attemptStartedMs'>;

/** Rows of the mail bot; every method is one statement or one transaction. */
export class MailStore {
  readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    migrate(db, 'mail', MIGRATIONS);
  }

  /**
   * Runs `fn` as one write transaction (BEGIN IMMEDIATE, so it waits for the write lock up front
   * instead of failing half-way); inside another transaction it is a savepoint.
   */
  transaction<T>(fn: () => T): T {
    return this.db.inTransaction ? this.db.transaction(fn)() : this.db.transaction(fn).immediate();
  }

  /** Records a received message; false when that Message-ID was already recorded (a duplicate delivery). */
  addMessage(m: NewMessage): boolean {
    return this.db.transaction(() => {
      const res = this.db
        .prepare(
          `INSERT OR IGNORE INTO mail_messages (message_id, raw, kind, subject, author, list, version, part_index, part_total, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(m.messageId, m.raw, m.kind, m.subject, m.author, m.list, m.version, m.partIndex, m.partTotal, m.receivedAt);
      if (res.changes === 0) return false;
      const ref = this.db.prepare('INSERT OR IGNORE INTO mail_refs (message_id, ref_id) VALUES (?, ?)');
      for (const id of m.references) ref.run(m.messageId, id);
      return true;
    })();
  }

  message(messageId: string): MessageRow | undefined {
    const r = this.db.prepare('SELECT * FROM mail_messages WHERE message_id = ?').get(messageId) as Sql | undefined;
    return r ? toMessage(r) : undefined;
  }

  /** Every message in arrival order (for status output and tests). */
  messages(): MessageRow[] {
    return (this.db.prepare('SELECT * FROM mail_messages ORDER BY rowid').all() as Sql[]).map(toMessage);
  }

  skipMessage(messageId: string, reason: string): void {
    this.db.prepare('UPDATE mail_messages SET skip_reason = ? WHERE message_id = ?').run(reason, messageId);
  }

  attachMessage(messageId: string, seriesId: number): void {
    this.db.prepare('UPDATE mail_messages SET series_id = ? WHERE message_id = ?').run(seriesId, messageId);
  }

  /** Ids of recorded messages whose References/In-Reply-To name `messageId` (a reply arriving before its parent). */
  referrers(messageId: string): string[] {
    return (this.db.prepare('SELECT message_id FROM mail_refs WHERE ref_id = ?').all(messageId) as Sql[]).map((r) => r.message_id as string);
  }

  createSeries(s: NewSeries): SeriesRow {
    const res = this.db
      .prepare(
        `INSERT INTO mail_series (key, version, list, title, author, change_id, total, state, first_seen_ms, prev_series_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'collecting', ?, ?)`,
      )
      .run(s.key, s.version, s.list, s.title, s.author, s.changeId, s.total, s.firstSeenMs, s.prevSeriesId);
    return this.series(Number(res.lastInsertRowid)) as SeriesRow;
  }

  series(id: number): SeriesRow | undefined {
    const r = this.db.prepare('SELECT * FROM mail_series WHERE id = ?').get(id) as Sql | undefined;
    return r ? toSeries(r) : undefined;
  }

  /** Updates the fields a cover letter or a later part can fill in (key, title, change-id, total). */
  updateSeries(id: number, fields: Partial<Pick<SeriesRow, 'key' | 'title' | 'author' | 'changeId' | 'total' | 'prevSeriesId' | 'note'>>): void {
    const cols: Record<string, string> = { key: 'key', title: 'title', author: 'author', changeId: 'change_id', total: 'total', prevSeriesId: 'prev_series_id', note: 'note' };
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      sets.push(`${cols[k]} = ?`);
      values.push(v);
    }
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE mail_series SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  /**
   * Claims a series for review (collecting -> reviewing, or failed -> reviewing once its retry is
   * due), or takes over the claim of `takeOver`, a claimant found stale; false when another
   * process got there first, so two processes fed the same series never review it at once.
   */
  claimSeries(id: number, claimant: string, nowMs: number, takeOver: string | null = null): boolean {
    const res = this.db
      .prepare(
        `UPDATE mail_series SET state = 'reviewing', claimed_by = ?, claimed_ms = ?
         WHERE id = ? AND (state = 'collecting' OR (state = 'failed' AND retry_at_ms <= ?) OR (state = 'reviewing' AND claimed_by = ?))`,
      )
      .run(claimant, nowMs, id, nowMs, takeOver);
    return res.changes === 1;
  }

  /** reviewing -> failed, by the claimant: the review may pass later and is retried from `retryAtMs`. */
  failSeries(id: number, claimant: string, error: string, retryAtMs: number): boolean {
    const res = this.db
      .prepare(
        `UPDATE mail_series SET state = 'failed', attempts = attempts + 1, last_error = ?, retry_at_ms = ?, claimed_by = NULL
         WHERE id = ? AND state = 'reviewing' AND claimed_by = ?`,
      )
      .run(error, retryAtMs, id, claimant);
    return res.changes === 1;
  }

  /** Makes a failed or reviewed series due for review again at `nowMs` (lockscope mail retry); false for one collecting or under review. */
  requeueSeries(id: number, nowMs: number): boolean {
    const res = this.db
      .prepare(`UPDATE mail_series SET state = 'failed', retry_at_ms = ? WHERE id = ? AND state IN ('failed', 'reviewed')`)
      .run(nowMs, id);
    return res.changes === 1;
  }

  /** Series whose review failed for a reason that may pass, oldest first. */
  failed(): SeriesRow[] {
    return (this.db.prepare(`SELECT * FROM mail_series WHERE state = 'failed' ORDER BY id`).all() as Sql[]).map(toSeries);
  }

  /** The series a message id keys or belongs to. */
  seriesOf(messageId: string): SeriesRow | undefined {
    const r = this.db
      .prepare(`SELECT * FROM mail_series WHERE key = ? OR id = (SELECT series_id FROM mail_messages WHERE message_id = ?) ORDER BY id LIMIT 1`)
      .get(messageId, messageId) as Sql | undefined;
    return r ? toSeries(r) : undefined;
  }

  /** Where a watched archive was last read up to (`lockscope mail watch`): a commit id, or undefined. */
  position(source: string, epoch: string): string | undefined {
    const r = this.db.prepare('SELECT position FROM mail_watch_positions WHERE source = ? AND epoch = ?').get(source, epoch) as Sql | undefined;
    return r ? (r.position as string) : undefined;
  }

  setPosition(source: string, epoch: string, position: string, nowMs: number): void {
    this.db
      .prepare(
        `INSERT INTO mail_watch_positions (source, epoch, position, updated_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (source, epoch) DO UPDATE SET position = excluded.position, updated_ms = excluded.updated_ms`,
      )
      .run(source, epoch, position, nowMs);
  }

  /** True while `claimant` holds the review claim on the series. */
  holdsSeries(id: number, claimant: string): boolean {
    return this.db.prepare(`SELECT 1 FROM mail_series WHERE id = ? AND state = 'reviewing' AND claimed_by = ?`).get(id, claimant) !== undefined;
  }

  /** reviewing -> reviewed, by the claimant only; false when the claim was lost (taken over as stale). */
  finishSeries(id: number, claimant: string, nowMs: number): boolean {
    const res = this.db
      .prepare(`UPDATE mail_series SET state = 'reviewed', reviewed_ms = ?, claimed_by = NULL WHERE id = ? AND state = 'reviewing' AND claimed_by = ?`)
      .run(nowMs, id, claimant);
    return res.changes === 1;
  }

  /** Series being reviewed (to find claims left by processes that died). */
  reviewing(): SeriesRow[] {
    return (this.db.prepare(`SELECT * FROM mail_series WHERE state = 'reviewing' ORDER BY id`).all() as Sql[]).map(toSeries);
  }

  setSeriesReview(id: number, reviewId: number): void {
    this.db.prepare('UPDATE mail_series SET review_id = ? WHERE id = ?').run(reviewId, id);
  }

  /** The messages of a series, by part index (cover first). */
  parts(seriesId: number): MessageRow[] {
    return (
      this.db.prepare('SELECT * FROM mail_messages WHERE series_id = ? ORDER BY part_index, rowid').all(seriesId) as Sql[]
    ).map(toMessage);
  }

  /** Series of `version` on `list` that hold one of `messageIds` or are keyed by one. */
  seriesTouching(list: string, version: number, messageIds: string[]): SeriesRow[] {
    if (messageIds.length === 0) return [];
    const marks = messageIds.map(() => '?').join(', ');
    const rows = this.db
      .prepare(
        `SELECT DISTINCT s.* FROM mail_series s
         WHERE s.list = ? AND s.version = ? AND (
           s.key IN (${marks})
           OR s.id IN (SELECT series_id FROM mail_messages WHERE message_id IN (${marks}) AND series_id IS NOT NULL))
         ORDER BY s.id`,
      )
      .all(list, version, ...messageIds, ...messageIds) as Sql[];
    return rows.map(toSeries);
  }

  /** The newest earlier revision: same b4 change-id, else a series keyed by a referenced id, else same title and author. */
  previousRevision(s: { id: number; list: string; version: number; changeId: string | null; title: string; author: string | null }, referenced: string[]): SeriesRow | undefined {
    const base = `SELECT * FROM mail_series WHERE list = ? AND version < ? AND id != ? AND state = 'reviewed'`;
    const order = ' ORDER BY version DESC, id DESC LIMIT 1';
    let r: Sql | undefined;
    if (s.changeId) r = this.db.prepare(`${base} AND change_id = ?${order}`).get(s.list, s.version, s.id, s.changeId) as Sql | undefined;
    if (!r && referenced.length > 0) {
      const marks = referenced.map(() => '?').join(', ');
      r = this.db.prepare(`${base} AND key IN (${marks})${order}`).get(s.list, s.version, s.id, ...referenced) as Sql | undefined;
    }
    if (!r) r = this.db.prepare(`${base} AND title = ? AND author IS ?${order}`).get(s.list, s.version, s.id, s.title, s.author) as Sql | undefined;
    return r ? toSeries(r) : undefined;
  }

  /** Series still collecting parts (for the timeout sweep). */
  collecting(): SeriesRow[] {
    return (this.db.prepare(`SELECT * FROM mail_series WHERE state = 'collecting' ORDER BY id`).all() as Sql[]).map(toSeries);
  }

  allSeries(): SeriesRow[] {
    return (this.db.prepare('SELECT * FROM mail_series ORDER BY id').all() as Sql[]).map(toSeries);
  }

  reply(inReplyTo: string): ReplyRow | undefined {
    const r = this.db.prepare('SELECT * FROM mail_replies WHERE in_reply_to = ?').get(inReplyTo) as Sql | undefined;
    return r ? toReply(r) : undefined;
  }

  replies(): ReplyRow[] {
    return (this.db.prepare('SELECT * FROM mail_replies ORDER BY rowid').all() as Sql[]).map(toReply);
  }

  /** Queues a reply; false when one to the same message already exists (queued or sent). */
  addReply(r: NewReply): boolean {
    const res = this.db
      .prepare(
        `INSERT OR IGNORE INTO mail_replies (in_reply_to, message_id, review_id, purpose, raw, env_from, env_to, status, attempts, next_attempt_ms, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
      )
      .run(r.inReplyTo, r.messageId, r.reviewId, r.purpose, r.raw, r.envFrom, JSON.stringify(r.envTo), r.nextAttemptMs, r.createdAt);
    return res.changes === 1;
  }

  /** Replies to try now: queued ones whose next attempt is due, and those being sent (maybe by a process that died). */
  deliverable(nowMs: number): ReplyRow[] {
    return (
      this.db
        .prepare(`SELECT * FROM mail_replies WHERE (status = 'queued' AND next_attempt_ms <= ?) OR status = 'sending' ORDER BY rowid`)
        .all(nowMs) as Sql[]
    ).map(toReply);
  }

  /** Replies not sent yet, in creation order. */
  unsent(): ReplyRow[] {
    return (this.db.prepare(`SELECT * FROM mail_replies WHERE status != 'sent' ORDER BY rowid`).all() as Sql[]).map(toReply);
  }

  /**
   * Marks a reply as being sent by `claimant`, before the SMTP transaction starts: a due queued
   * reply, or one whose sender `takeOver` was found stale. False when another process took it.
   * This is what keeps a cron flush and an ingest from both sending the same reply.
   */
  claimSend(inReplyTo: string, claimant: string, nowMs: number, takeOver: string | null = null): boolean {
    const res = this.db
      .prepare(
        `UPDATE mail_replies SET status = 'sending', claimed_by = ?, attempt_started_ms = ?
         WHERE in_reply_to = ? AND ((status = 'queued' AND next_attempt_ms <= ?) OR (status = 'sending' AND claimed_by = ?))`,
      )
      .run(claimant, nowMs, inReplyTo, nowMs, takeOver);
    return res.changes === 1;
  }

  /** Makes every queued reply due at `nowMs` (`mail flush --now`); returns how many. */
  hurryReplies(nowMs: number): number {
    return this.db.prepare(`UPDATE mail_replies SET next_attempt_ms = ? WHERE status = 'queued' AND next_attempt_ms > ?`).run(nowMs, nowMs).changes;
  }

  markSent(inReplyTo: string, sentAt: string): void {
    this.db
      .prepare(`UPDATE mail_replies SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL, claimed_by = NULL WHERE in_reply_to = ?`)
      .run(sentAt, inReplyTo);
  }

  markFailed(inReplyTo: string, error: string, nextAttemptMs: number): void {
    this.db
      .prepare(`UPDATE mail_replies SET status = 'queued', attempts = attempts + 1, last_error = ?, next_attempt_ms = ?, claimed_by = NULL WHERE in_reply_to = ? AND status = 'sending'`)
      .run(error, nextAttemptMs, inReplyTo);
  }
}
