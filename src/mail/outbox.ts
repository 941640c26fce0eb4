/**
 * The persistent outbox: a reply is stored (keyed by the Message-ID it answers) before the first
 * send attempt, a failed send stays queued with its error and is retried with exponential
 * backoff by `flushOutbox` (cron's `lockscope mail flush`, and the start of every ingest).
 * `ensureReply` is idempotent: a second call for the same message changes nothing, which is what
 * keeps a re-delivered list mail from getting a second reply. It does not build mails (reply.ts).
 */
import type { MailStore, ReplyPurpose, ReplyRow } from './mail-store.ts';
import type { OutgoingMail } from './reply.ts';
import type { Mailer } from './types.ts';

export interface OutboxDeps {
  store: MailStore;
  mailer: Mailer;
  now: () => number;
  retry: { baseSeconds: number; maxSeconds: number };
}

export type EnsureResult =
  /** First time: stored and sent. */
  | { status: 'sent'; messageId: string }
  /** First time: stored, the send failed; it stays queued for flush. */
  | { status: 'queued'; messageId: string; error: string }
  /** A reply to that message already exists (sent or queued): nothing done. */
  | { status: 'exists'; messageId: string };

export interface FlushResult {
  sent: string[];
  failed: { messageId: string; error: string }[];
  /** Still queued after this flush (failed now, or not due yet). */
  pending: number;
}

// While one process is sending a reply, others leave it alone this long.
const SEND_LEASE_MS = 5 * 60_000;

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

async function attempt(deps: OutboxDeps, row: Pick<ReplyRow, 'inReplyTo' | 'messageId' | 'raw' | 'envFrom' | 'envTo' | 'attempts'>): Promise<string | null> {
  try {
    await deps.mailer.send({ messageId: row.messageId, raw: row.raw, envelope: { from: row.envFrom, to: row.envTo } });
  } catch (err) {
    const error = describeError(err);
    const now = deps.now();
    deps.store.markFailed(row.inReplyTo, error, now + backoffMs(row.attempts + 1, deps.retry.baseSeconds, deps.retry.maxSeconds));
    return error;
  }
  deps.store.markSent(row.inReplyTo, new Date(deps.now()).toISOString());
  return null;
}

/** Stores `mail` as the one reply to `mail.inReplyTo` and tries to send it, unless a reply to that message exists. */
export async function ensureReply(deps: OutboxDeps, mail: OutgoingMail, meta: { reviewId: number | null; purpose: ReplyPurpose }): Promise<EnsureResult> {
  const now = deps.now();
  const added = deps.store.addReply({
    inReplyTo: mail.inReplyTo,
    messageId: mail.messageId,
    reviewId: meta.reviewId,
    purpose: meta.purpose,
    raw: mail.raw,
    envFrom: mail.envelope.from,
    envTo: mail.envelope.to,
    nextAttemptMs: now,
    createdAt: new Date(now).toISOString(),
  });
  if (!added) return { status: 'exists', messageId: deps.store.reply(mail.inReplyTo)?.messageId ?? mail.messageId };
  if (!deps.store.claimReply(mail.inReplyTo, now, SEND_LEASE_MS)) return { status: 'exists', messageId: mail.messageId };
  const error = await attempt(deps, { ...mail, envFrom: mail.envelope.from, envTo: mail.envelope.to, attempts: 0 });
  return error === null ? { status: 'sent', messageId: mail.messageId } : { status: 'queued', messageId: mail.messageId, error };
}

/** Sends every queued reply whose next attempt is due; each is claimed first, so it goes out once. */
export async function flushOutbox(deps: OutboxDeps): Promise<FlushResult> {
  const result: FlushResult = { sent: [], failed: [], pending: 0 };
  for (const row of deps.store.dueReplies(deps.now())) {
    if (!deps.store.claimReply(row.inReplyTo, deps.now(), SEND_LEASE_MS)) continue;
    const error = await attempt(deps, row);
    if (error === null) result.sent.push(row.messageId);
    else result.failed.push({ messageId: row.messageId, error });
  }
  result.pending = deps.store.replies().filter((r) => r.status === 'queued').length;
  return result;
}
