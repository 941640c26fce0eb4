/**
 * The patchwork check outbox's table in the shared SQLite file (migration namespace
 * "patchwork"): per patch Message-ID and check context, the state lockscope wants patchwork to
 * show, and whether that state was posted. Patchwork keeps the latest check per context, so the
 * row holds only the latest wanted state; `version` grows with each change, and a post counts
 * only for the version it carried, so a slow `pending` never lands after the verdict.
 *
 * States: queued --claimSend--> sending --markPosted(same version)--> sent
 *         sending --markPosted(older version)--> queued (a newer state to post)
 *         sending --markFailed--> queued (later) | abandoned (past the give-up time)
 *         sending (claimant gone) --claimSend(takeOver)--> sending
 * It keeps rows; check-outbox.ts posts them.
 */
import { migrate, type Db } from '../store/database.ts';

const MIGRATIONS = [
  `CREATE TABLE patchwork_checks (
     message_id TEXT NOT NULL,
     context TEXT NOT NULL,
     state TEXT NOT NULL,
     description TEXT NOT NULL,
     target_url TEXT,
     version INTEGER NOT NULL DEFAULT 1,
     status TEXT NOT NULL,
     claimed_by TEXT,
     attempt_started_ms INTEGER,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_ms INTEGER NOT NULL,
     last_error TEXT,
     created_ms INTEGER NOT NULL,
     sent_ms INTEGER,
     PRIMARY KEY (message_id, context)
   );
   CREATE INDEX patchwork_checks_due ON patchwork_checks(status, next_attempt_ms);`,
];

export type CheckState = 'pending' | 'success' | 'warning' | 'fail';
export type CheckStatus = 'queued' | 'sending' | 'sent' | 'abandoned';

export interface CheckRow {
  messageId: string;
  context: string;
  state: CheckState;
  description: string;
  targetUrl: string | null;
  version: number;
  status: CheckStatus;
  claimedBy: string | null;
  attemptStartedMs: number | null;
  attempts: number;
  nextAttemptMs: number;
  lastError: string | null;
  createdMs: number;
  sentMs: number | null;
}

type Sql = Record<string, unknown>;

function toRow(r: Sql): CheckRow {
  return {
    messageId: r.message_id as string,
    context: r.context as string,
    state: r.state as CheckState,
    description: r.description as string,
    targetUrl: (r.target_url as string | null) ?? null,
    version: r.version as number,
    status: r.status as CheckStatus,
    claimedBy: (r.claimed_by as string | null) ?? null,
    attemptStartedMs: (r.attempt_started_ms as number | null) ?? null,
    attempts: r.attempts as number,
    nextAttemptMs: r.next_attempt_ms as number,
    lastError: (r.last_error as string | null) ?? null,
    createdMs: r.created_ms as number,
    sentMs: (r.sent_ms as number | null) ?? null,
  };
}

export class CheckStore {
  constructor(readonly db: Db) {
    migrate(db, 'patchwork', MIGRATIONS);
  }

  /**
   * Wants `state` shown on the patch: a new row, or a new version of the row when anything
   * changed (then due at once, with a fresh attempt count); nothing when it is already wanted.
   */
  want(c: { messageId: string; context: string; state: CheckState; description: string; targetUrl: string | null }, nowMs: number): void {
    this.db
      .prepare(
        `INSERT INTO patchwork_checks (message_id, context, state, description, target_url, version, status, next_attempt_ms, created_ms)
         VALUES (@messageId, @context, @state, @description, @targetUrl, 1, 'queued', @now, @now)
         ON CONFLICT (message_id, context) DO UPDATE SET
           state = excluded.state, description = excluded.description, target_url = excluded.target_url,
           version = version + 1, attempts = 0, next_attempt_ms = excluded.next_attempt_ms, last_error = NULL,
           created_ms = excluded.created_ms,
           status = CASE WHEN status = 'sending' THEN 'sending' ELSE 'queued' END
         WHERE state != excluded.state OR description != excluded.description OR target_url IS NOT excluded.target_url`,
      )
      .run({ ...c, now: nowMs });
  }

  check(messageId: string, context: string): CheckRow | undefined {
    const r = this.db.prepare('SELECT * FROM patchwork_checks WHERE message_id = ? AND context = ?').get(messageId, context) as Sql | undefined;
    return r ? toRow(r) : undefined;
  }

  all(): CheckRow[] {
    return (this.db.prepare('SELECT * FROM patchwork_checks ORDER BY rowid').all() as Sql[]).map(toRow);
  }

  /** Queued checks due now, and those being posted (maybe by a process that died). */
  deliverable(nowMs: number): CheckRow[] {
    return (
      this.db
        .prepare(`SELECT * FROM patchwork_checks WHERE (status = 'queued' AND next_attempt_ms <= ?) OR status = 'sending' ORDER BY rowid`)
        .all(nowMs) as Sql[]
    ).map(toRow);
  }

  /** Checks not posted yet (queued or sending), and those given up. */
  unsent(): CheckRow[] {
    return (this.db.prepare(`SELECT * FROM patchwork_checks WHERE status != 'sent' ORDER BY rowid`).all() as Sql[]).map(toRow);
  }

  /** Claims a check for one post (see MailStore.claimSend); the row as claimed, or undefined when another process took it. */
  claimSend(messageId: string, context: string, claimant: string, nowMs: number, takeOver: string | null = null): CheckRow | undefined {
    const res = this.db
      .prepare(
        `UPDATE patchwork_checks SET status = 'sending', claimed_by = ?, attempt_started_ms = ?
         WHERE message_id = ? AND context = ? AND ((status = 'queued' AND next_attempt_ms <= ?) OR (status = 'sending' AND claimed_by = ?))`,
      )
      .run(claimant, nowMs, messageId, context, nowMs, takeOver);
    return res.changes === 1 ? this.check(messageId, context) : undefined;
  }

  /** Version `version` was posted: sent, unless a newer state was wanted meanwhile (then queued, due now). */
  markPosted(messageId: string, context: string, version: number, nowMs: number): void {
    this.db
      .prepare(
        `UPDATE patchwork_checks SET status = CASE WHEN version = ? THEN 'sent' ELSE 'queued' END,
           sent_ms = ?, next_attempt_ms = ?, attempts = attempts + 1, last_error = NULL, claimed_by = NULL
         WHERE message_id = ? AND context = ?`,
      )
      .run(version, nowMs, nowMs, messageId, context);
  }

  markFailed(messageId: string, context: string, error: string, nextAttemptMs: number, giveUp: boolean): void {
    this.db
      .prepare(
        `UPDATE patchwork_checks SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_ms = ?, claimed_by = NULL
         WHERE message_id = ? AND context = ? AND status = 'sending'`,
      )
      .run(giveUp ? 'abandoned' : 'queued', error, nextAttemptMs, messageId, context);
  }

  /** Makes every queued check due at `nowMs` (`mail flush --now`). */
  hurry(nowMs: number): void {
    this.db.prepare(`UPDATE patchwork_checks SET next_attempt_ms = ? WHERE status = 'queued' AND next_attempt_ms > ?`).run(nowMs, nowMs);
  }
}
