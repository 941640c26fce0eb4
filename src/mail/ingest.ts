/**
 * The mailing-list front end: raw list mail in, reviews recorded and replies out. One run is
 *
 *   file each message (file-message.ts: stored and filed in one transaction)
 *   -> advance series (review-series.ts): series left mid-review by a process that died, series
 *      that are complete, series past the timeout
 *   -> flush the outbox (outbox.ts): every reply due, and replies left mid-send by a dead process
 *
 * Every step is committed before the next starts, and the second and third steps pick up what
 * any earlier run left unfinished, so a crash at any point costs nothing: the next delivery (a
 * duplicate, an MTA retry) or `mail flush` finishes the work. A database failure stops the run
 * (the caller exits EX_TEMPFAIL so the MTA delivers again); any other failure of one message or
 * one series is recorded against it and the rest goes on.
 *
 * It never analyzes, formats findings or decides a verdict (review() and the email renderer
 * do), and it holds no ParsedMail: only PatchMessage values cross into it.
 */
import { databaseTrouble } from '../store/database-error.ts';
import { claimOver } from '../store/process-claim.ts';
import { errorText, fileMessage, hashId, recordUnfiled, type MessageOutcome } from './file-message.ts';
import { postChecks, type ChecksResult } from './check-outbox.ts';
import { checksDeps, outboxDeps, type IngestDeps } from './ingest-deps.ts';
import type { MailStore, SeriesRow } from './mail-store.ts';
import { flushOutbox, type FlushResult } from './outbox.ts';
import { noCheckpoint } from './pause-at.ts';
import type { MessageInput } from './read-messages.ts';
import { reviewSeries, type ReplyOutcome, type SeriesOutcome } from './review-series.ts';
import { completeness } from './series.ts';

export type { IngestDeps } from './ingest-deps.ts';
export type { MessageOutcome } from './file-message.ts';
export type { ReplyOutcome, SeriesOutcome } from './review-series.ts';

export interface IngestReport {
  messages: MessageOutcome[];
  series: SeriesOutcome[];
  /** Notes to authors of unreadable patches queued by this run, with their delivery status. */
  notes: ReplyOutcome[];
  flushed: FlushResult;
  /** What the patchwork check outbox posted (null without patchwork). */
  checks: ChecksResult | null;
  /** Complete or timed-out series not reviewed because no base was given (flush without --base/--repo). */
  waiting: number;
}

/** Sends due replies, then posts due checks. */
async function deliver(deps: IngestDeps): Promise<{ flushed: FlushResult; checks: ChecksResult | null }> {
  const flushed = await flushOutbox(outboxDeps(deps));
  const checks = checksDeps(deps);
  return { flushed, checks: checks ? await postChecks(checks) : null };
}

/** The delivery status of a reply as the outbox left it. */
function replyOutcome(store: MailStore, r: Pick<ReplyOutcome, 'messageId' | 'inReplyTo'>, fallback: ReplyOutcome['status']): ReplyOutcome {
  const row = store.reply(r.inReplyTo);
  if (!row || fallback === 'exists') return { ...r, status: fallback, error: null };
  return { ...r, status: row.status, error: row.lastError };
}

/**
 * Reviews every series that can be: claims left by dead processes first, then complete series,
 * then failed ones whose retry is due (or listed in `retryNow`: a message of theirs was delivered
 * again), then (with `sweep`) those past the timeout. A non-database failure of one series is
 * recorded on it and the others go on.
 */
export async function advanceSeries(deps: IngestDeps, sweep: boolean, retryNow: ReadonlySet<number> = new Set()): Promise<SeriesOutcome[]> {
  const store = deps.mailStore;
  const out: SeriesOutcome[] = [];
  const attempt = async (id: number, takeOver: string | null): Promise<void> => {
    const series = store.series(id);
    if (!series) return;
    try {
      const outcome = await reviewSeries(deps, series, takeOver);
      if (outcome) out.push(outcome);
    } catch (err) {
      if (databaseTrouble(err)) throw err;
      // A bug on this series: recorded on it, so it is not retried by every run forever.
      store.transaction(() => {
        store.updateSeries(id, { note: `internal error: ${errorText(err)}` });
        store.finishSeries(id, deps.claims.me, deps.now());
      });
      out.push({ seriesId: id, key: series.key, reviewId: store.series(id)?.reviewId ?? null, verdict: null, partial: false, error: `internal error: ${errorText(err)}`, replies: [], resumed: takeOver !== null, retryAtMs: null });
    }
  };
  for (const s of store.reviewing()) {
    const takeOver = claimOver(deps.claims, s.claimedBy, s.claimedMs, deps.now());
    if (takeOver) await attempt(s.id, takeOver);
  }
  const timeoutMs = deps.config.seriesTimeoutMinutes * 60_000;
  for (const s of store.collecting()) {
    if (completeness(store, s).complete || (sweep && deps.now() - s.firstSeenMs >= timeoutMs)) await attempt(s.id, null);
  }
  for (const s of store.failed()) {
    if (retryNow.has(s.id)) store.requeueSeries(s.id, deps.now());
    if (retryNow.has(s.id) || (s.retryAtMs ?? 0) <= deps.now()) await attempt(s.id, null);
  }
  return out;
}

/**
 * `lockscope mail retry`: makes the series `which` names (its id, or the Message-ID of its cover
 * or any part) or, with 'all', every failed series due now, and reviews them. An error when
 * `which` names no series or one that cannot be retried (collecting, or under review right now).
 */
export async function retrySeries(deps: IngestDeps, which: string | 'all'): Promise<{ series: SeriesOutcome[]; flushed: FlushResult; checks: ChecksResult | null } | { error: string }> {
  const store = deps.mailStore;
  let ids: number[];
  if (which === 'all') ids = store.failed().map((s) => s.id);
  else {
    const series = /^\d+$/.test(which) ? store.series(Number(which)) : store.seriesOf(which.replace(/^<|>$/g, ''));
    if (!series) return { error: `no series ${which}` };
    if (series.state === 'collecting' || series.state === 'reviewing') return { error: `series ${series.id} is ${series.state}, not finished: nothing to retry` };
    ids = [series.id];
  }
  for (const id of ids) store.requeueSeries(id, deps.now());
  const series = await advanceSeries(deps, false, new Set(ids));
  const delivered = await deliver(deps);
  return { series: withStatuses(store, { messages: [], series, notes: [], ...delivered, waiting: 0 }).series, ...delivered };
}

/** Series that could be reviewed now (flush without a base cannot). */
function reviewable(deps: IngestDeps): number {
  const store = deps.mailStore;
  const timeoutMs = deps.config.seriesTimeoutMinutes * 60_000;
  const stale = store.reviewing().filter((s) => claimOver(deps.claims, s.claimedBy, s.claimedMs, deps.now()));
  const ready = store.collecting().filter((s) => completeness(store, s).complete || deps.now() - s.firstSeenMs >= timeoutMs);
  const due = store.failed().filter((s) => (s.retryAtMs ?? 0) <= deps.now());
  return stale.length + ready.length + due.length;
}

/** Fills in the delivery status of the replies a run queued, once the outbox was flushed. */
function withStatuses(store: MailStore, report: IngestReport): IngestReport {
  return {
    ...report,
    series: report.series.map((s) => ({ ...s, replies: s.replies.map((r) => replyOutcome(store, r, r.status)) })),
    notes: report.notes.map((n) => replyOutcome(store, n, n.status)),
  };
}

/** Ingests `inputs` (from readMessages), then advances every series and flushes the outbox. `listOverride` is `--list`. */
export async function ingest(deps: IngestDeps, inputs: MessageInput[], listOverride: string | null = null): Promise<IngestReport> {
  const checkpoint = deps.checkpoint ?? noCheckpoint;
  const report: IngestReport = { messages: [], series: [], notes: [], flushed: { sent: [], resent: [], failed: [], pending: 0, waiting: [] }, checks: null, waiting: 0 };
  for (const input of inputs) {
    let outcome: MessageOutcome;
    try {
      outcome = await fileMessage(deps, input, listOverride);
    } catch (err) {
      if (databaseTrouble(err) || 'error' in input) throw err;
      // A bug for one message must not cost the rest of an mbox: its raw text is kept with the reason.
      outcome = recordUnfiled(deps, input, listOverride, hashId('unfiled', input.raw), `internal error: ${errorText(err)}`);
    }
    report.messages.push(outcome);
    if (outcome.note) report.notes.push({ status: 'queued', ...outcome.note, error: null });
    await checkpoint('message-filed');
  }
  // A message of a series whose review failed on our side, delivered again: the MTA's retry is ours too.
  const again = new Set(waitingForRetry(deps, report.messages).map((s) => s.id));
  report.series = await advanceSeries(deps, true, again);
  Object.assign(report, await deliver(deps));
  return withStatuses(deps.mailStore, report);
}

/** Series of these messages whose review failed and waits for a retry (ingest then exits 75 so the MTA delivers again). */
export function waitingForRetry(deps: IngestDeps, messages: readonly MessageOutcome[]): SeriesRow[] {
  const out = new Map<number, SeriesRow>();
  for (const m of messages) {
    const id = m.seriesId ?? (m.messageId ? deps.mailStore.message(m.messageId)?.seriesId : null);
    const series = id !== null && id !== undefined ? deps.mailStore.series(id) : undefined;
    if (series?.state === 'failed') out.set(series.id, series);
  }
  return [...out.values()];
}

/**
 * `lockscope mail flush`: with `haveBase` (a base tree is known) advances series as ingest does,
 * then sends due replies and replies left mid-send by a dead process.
 */
export async function flush(deps: IngestDeps, haveBase: boolean, now = false): Promise<{ flushed: FlushResult; checks: ChecksResult | null; series: SeriesOutcome[]; waiting: number }> {
  // --now: every queued reply, check and failed series is due, whatever its backoff says.
  if (now) {
    deps.mailStore.hurryReplies(deps.now());
    deps.patchwork?.store.hurry(deps.now());
  }
  const series = haveBase ? await advanceSeries(deps, true, now ? new Set(deps.mailStore.failed().map((s) => s.id)) : new Set()) : [];
  const waiting = haveBase ? 0 : reviewable(deps);
  const delivered = await deliver(deps);
  const report = withStatuses(deps.mailStore, { messages: [], series, notes: [], ...delivered, waiting });
  return { ...delivered, series: report.series, waiting };
}
