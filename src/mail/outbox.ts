/**
 * The persistent outbox: a reply is stored (keyed by the Message-ID it answers) before the first
 * send attempt, a failed send stays queued with its error and is retried with exponential
 * backoff by `flushOutbox` (cron's `lockscope mail flush`, and the end of every ingest).
 * `ensureReply` is idempotent: a second call for the same message changes nothing, which is what
 * keeps a re-delivered list mail from getting a second reply. It does not build mails (reply.ts).
 *
 * One send is three committed steps: the reply is marked `sending` by this process before the
 * SMTP transaction starts, then `sent` as soon as the server accepted it (or back to `queued`
 * with the error). A reply found `sending` by a process that no longer runs was maybe accepted,
 * maybe not: it is sent again, with the same Message-ID and bytes, so delivery is at least once
 * and a receiver (the list, public-inbox, the author's MUA) can drop the duplicate. It is never
 * dropped silently. So that a busy database alone never causes such a resend, marking a reply the
 * server accepted as `sent` waits for the write lock past the busy timeout (up to
 * `sentRecordMs`) before giving up.
 */
import { databaseTrouble } from '../store/database-error.ts';
import { claimOver, type Claims } from '../store/process-claim.ts';
import type { MailStore, ReplyPurpose, ReplyRow } from './mail-store.ts';
import { noCheckpoint, type Checkpoint } from './pause-at.ts';
import type { OutgoingMail } from './reply.ts';
import type { Mailer } from './types.ts';

export interface OutboxDeps {
  store: MailStore;
  mailer: Mailer;
  now: () => number;
  retry: { baseSeconds: number; maxSeconds: number };
  claims: Claims;
  checkpoint?: Checkpoint;
  /** How long to keep trying to record an accepted reply as sent while the database is busy; default 2 minutes. */
  sentRecordMs?: number;
}

/** Default of OutboxDeps.sentRecordMs. */
export const SENT_RECORD_MS = 120_000;

export type EnsureResult =
  /** First time: stored and sent. */
  | { status: 'sent'; messageId: string }
  /** First time: stored, the send failed; it stays queued for flush. */
  | { status: 'queued'; messageId: string; error: string }
  /** A reply to that message already exists (sent or queued): nothing done. */
  | { status: 'exists'; messageId: string };

/** A reply still waiting, as flush reports it. */
export interface WaitingReply {
  messageId: string;
  inReplyTo: string;
  attempts: number;
  nextAttemptMs: number;
  lastError: string | null;
}

export interface FlushResult {
  sent: string[];
  /** Sent again because the process sending them earlier died mid-send (same Message-ID). */
  resent: string[];
  failed: { messageId: string; error: string; nextAttemptMs: number }[];
  /** Still queued after this flush (failed now, or not due yet), and sending by another live process. */
  pending: number;
  waiting: WaitingReply[];
}

/** Delay before attempt `attempts + 1`: base, 2 base, 4 base, ... capped. `backoffMs(3, 60, 3600)` -> 240000. */
export function backoffMs(attempts: number, baseSeconds: number, maxSeconds: number): number {
  const exp = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(baseSeconds * 2 ** exp, maxSeconds) * 1000;
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** Stores `mail` as the one reply to `mail.inReplyTo` unless one exists; true when stored. Use it inside the transaction that decides the reply. */
export function queueReply(store: MailStore, mail: OutgoingMail, meta: { reviewId: number | null; purpose: ReplyPurpose }, nowMs: number): boolean {
  return store.addReply({
    inReplyTo: mail.inReplyTo,
    messageId: mail.messageId,
    reviewId: meta.reviewId,
    purpose: meta.purpose,
    raw: mail.raw,
    envFrom: mail.envelope.from,
    envTo: mail.envelope.to,
    nextAttemptMs: nowMs,
    createdAt: new Date(nowMs).toISOString(),
  });
}

/**
 * One send attempt of a reply already claimed by this process: null when it went out, else the
 * error (the reply is then queued again with backoff).
 */
async function attempt(deps: OutboxDeps, row: Pick<ReplyRow, 'inReplyTo' | 'messageId' | 'raw' | 'envFrom' | 'envTo' | 'attempts'>): Promise<string | null> {
  const checkpoint = deps.checkpoint ?? noCheckpoint;
  await checkpoint('reply-attempting');
  try {
    await deps.mailer.send({ messageId: row.messageId, raw: row.raw, envelope: { from: row.envFrom, to: row.envTo } });
  } catch (err) {
    const error = describeError(err);
    deps.store.markFailed(row.inReplyTo, error, deps.now() + backoffMs(row.attempts + 1, deps.retry.baseSeconds, deps.retry.maxSeconds));
    return error;
  }
  await checkpoint('reply-accepted');
  await recordSent(deps, row.inReplyTo);
  await checkpoint('reply-sent');
  return null;
}

/**
 * Marks an accepted reply sent. Giving up on a busy database here would leave it `sending` and
 * the next run would send it again (issue 16: 55 ingests with busyTimeoutSeconds 0 mailed one
 * reply twice), so a busy error is retried, on the wall clock, until `sentRecordMs` has passed.
 */
async function recordSent(deps: OutboxDeps, inReplyTo: string): Promise<void> {
  const until = Date.now() + (deps.sentRecordMs ?? SENT_RECORD_MS);
  for (;;) {
    try {
      deps.store.markSent(inReplyTo, new Date(deps.now()).toISOString());
      return;
    } catch (err) {
      if (databaseTrouble(err)?.kind !== 'busy' || Date.now() >= until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Stores `mail` as the one reply to `mail.inReplyTo` and tries to send it, unless a reply to that message exists. */
export async function ensureReply(deps: OutboxDeps, mail: OutgoingMail, meta: { reviewId: number | null; purpose: ReplyPurpose }): Promise<EnsureResult> {
  const now = deps.now();
  if (!queueReply(deps.store, mail, meta, now)) return { status: 'exists', messageId: deps.store.reply(mail.inReplyTo)?.messageId ?? mail.messageId };
  if (!deps.store.claimSend(mail.inReplyTo, deps.claims.me, now)) return { status: 'exists', messageId: mail.messageId };
  const error = await attempt(deps, { ...mail, envFrom: mail.envelope.from, envTo: mail.envelope.to, attempts: 0 });
  return error === null ? { status: 'sent', messageId: mail.messageId } : { status: 'queued', messageId: mail.messageId, error };
}

/**
 * Sends every queued reply whose next attempt is due, and every reply left `sending` by a
 * process that no longer runs; each is claimed first, so concurrent flushes send it once.
 */
export async function flushOutbox(deps: OutboxDeps): Promise<FlushResult> {
  const result: FlushResult = { sent: [], resent: [], failed: [], pending: 0, waiting: [] };
  for (const row of deps.store.deliverable(deps.now())) {
    const now = deps.now();
    // A reply being sent: by a live process, left alone; by one that died, taken over.
    const takeOver = row.status === 'sending' ? claimOver(deps.claims, row.claimedBy, row.attemptStartedMs, now) : null;
    if (takeOver === false) continue;
    if (!deps.store.claimSend(row.inReplyTo, deps.claims.me, now, takeOver)) continue;
    const error = await attempt(deps, row);
    if (error !== null) {
      const after = deps.store.reply(row.inReplyTo);
      result.failed.push({ messageId: row.messageId, error, nextAttemptMs: after?.nextAttemptMs ?? now });
    } else (takeOver === null ? result.sent : result.resent).push(row.messageId);
  }
  const unsent = deps.store.unsent();
  result.pending = unsent.length;
  result.waiting = unsent.map((r) => ({ messageId: r.messageId, inReplyTo: r.inReplyTo, attempts: r.attempts, nextAttemptMs: r.nextAttemptMs, lastError: r.lastError }));
  return result;
}
