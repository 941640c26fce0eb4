/**
 * The mailing-list front end: raw list mail in, reviews recorded and replies queued out. For each
 * message it records the raw text first (nothing is lost), classifies it with the diff module's
 * parser, files patches into series (series.ts), and when a series is complete, or has waited
 * past the timeout, reviews it through recordReview and replies per the policy:
 *
 *   - a patch whose verdict is adds/removes/mixed gets a reply in its thread;
 *   - the cover letter of a series where any patch does gets one summary reply;
 *   - a series that does not apply gets a note (onApplyFailure: reply) or is only marked failed;
 *   - replies, non-patch mail, HTML-only, format=flowed, attachment-only and undecodable mail are
 *     recorded and skipped with a reason (the unreadable patches get a short note, per config).
 *
 * It never analyzes, formats findings or decides a verdict (review() and the email renderer
 * do), and it holds no ParsedMail: only PatchMessage values cross into it. A message that fails
 * in any way becomes a skipped row and the next message goes on.
 */
import { createHash } from 'node:crypto';
import type { PatchMessage } from '../diff/types.ts';
import { recordReview } from '../record-review.ts';
import type { Renderer } from '../render/types.ts';
import type { PatchReviewJson, Review, ReviewRequest, Verdict } from '../review-types.ts';
import type { NewReview, ReviewStore } from '../store/types.ts';
import type { BaseSource } from './base-source.ts';
import { compareRevisions, describeRevisionChange } from './compare-revisions.ts';
import type { MailConfig } from './mail-config.ts';
import type { MailStore, MessageRow, ReplyPurpose, SeriesRow } from './mail-store.ts';
import { listAddress } from './list-address.ts';
import { ensureReply, flushOutbox, type EnsureResult, type FlushResult, type OutboxDeps } from './outbox.ts';
import type { MessageInput } from './read-messages.ts';
import { bareId, buildReply, type ReplyTarget } from './reply.ts';
import { completeness, missingNote, placeInSeries, referencedIds, timedOutSeries, type Completeness } from './series.ts';
import type { Mailer } from './types.ts';

export interface IngestDeps {
  mailStore: MailStore;
  reviewStore: ReviewStore;
  review: (request: ReviewRequest) => Promise<Review>;
  /** parsePatchMessage from src/diff/patch-message.ts. */
  parse: (raw: string) => Promise<PatchMessage>;
  /** renderers.get('email'). */
  render: Renderer;
  base: BaseSource;
  mailer: Mailer;
  config: MailConfig;
  now: () => number;
}

export interface MessageOutcome {
  source: string;
  messageId: string | null;
  status: 'filed' | 'skipped' | 'duplicate' | 'late' | 'unreadable';
  reason: string | null;
  seriesId: number | null;
}

export interface SeriesOutcome {
  seriesId: number;
  key: string;
  reviewId: number | null;
  verdict: Verdict | null;
  partial: boolean;
  error: string | null;
  replies: EnsureResult[];
}

export interface IngestReport {
  flushed: FlushResult;
  messages: MessageOutcome[];
  series: SeriesOutcome[];
  notes: EnsureResult[];
}

const interesting = (v: Verdict): boolean => v === 'adds-inversion' || v === 'removes-inversion' || v === 'mixed';

function outboxDeps(deps: IngestDeps): OutboxDeps {
  return {
    store: deps.mailStore,
    mailer: deps.mailer,
    now: deps.now,
    retry: { baseSeconds: deps.config.retryBaseSeconds, maxSeconds: deps.config.retryMaxSeconds },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Ids are stored bare (no angle brackets) so `<a@b>` and `a@b` never count as two messages.
function normalized(m: PatchMessage, raw: string): PatchMessage & { messageId: string } {
  const id = m.messageId ? bareId(m.messageId) : `no-message-id-${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@lockscope.invalid`;
  return { ...m, messageId: id, inReplyTo: m.inReplyTo ? bareId(m.inReplyTo) : null, references: m.references.map(bareId) };
}

function listOf(deps: IngestDeps, listOverride: string | null, m: PatchMessage | null, raw: string): string {
  const to = m?.to[0];
  const toAddress = to ? (/<([^>]+)>/.exec(to)?.[1] ?? to).trim().toLowerCase() : null;
  return listOverride ?? deps.config.list ?? listAddress(raw) ?? toAddress ?? 'unknown-list';
}

function target(m: PatchMessage & { messageId: string }): ReplyTarget {
  return { messageId: m.messageId, subject: m.subject, from: m.from, to: m.to, cc: m.cc, references: m.references };
}

function dashboardUrl(config: MailConfig, reviewId: number): string | undefined {
  return config.publicUrl ? `${config.publicUrl.replace(/\/+$/, '')}/reviews/${reviewId}` : undefined;
}

async function sendReply(
  deps: IngestDeps,
  to: PatchMessage & { messageId: string },
  list: string,
  body: string,
  meta: { reviewId: number | null; purpose: ReplyPurpose },
): Promise<EnsureResult | { status: 'unaddressable'; messageId: string; error: string }> {
  const built = buildReply(target(to), body, {
    from: deps.config.from,
    messageIdDomain: deps.config.messageIdDomain,
    list,
    ccList: deps.config.ccList,
    ccOriginal: deps.config.ccOriginal,
    wrapColumn: deps.config.wrapColumn,
    reviewId: meta.reviewId,
    date: new Date(deps.now()),
  });
  if (!built.ok) return { status: 'unaddressable', messageId: to.messageId, error: built.reason };
  return ensureReply(outboxDeps(deps), built.mail, meta);
}

// The notes the bot writes itself end like the renderer's replies.
const SIGNATURE = '-- \nlockscope, lock-order review bot';

function problemNote(m: PatchMessage, reason: string): string {
  const name = m.from?.name?.trim();
  return [
    `Hi${name ? ` ${name}` : ''},`,
    `lockscope, the lock-order review bot of this list, could not read this patch: ${reason}.`,
    'It reviews patches sent inline as plain text, without format=flowed, for example with git send-email. Nothing was reviewed; please resend if you want a lock-order review.',
    SIGNATURE,
  ].join('\n\n');
}

/**
 * Ingests `inputs` (from readMessages): flushes the outbox, reviews timed-out series, files each
 * message, reviews the series it completes. `listOverride` is `--list`.
 */
export async function ingest(deps: IngestDeps, inputs: MessageInput[], listOverride: string | null = null): Promise<IngestReport> {
  const report: IngestReport = { flushed: await flushOutbox(outboxDeps(deps)), messages: [], series: [], notes: [] };
  report.series.push(...(await sweepSeries(deps)));
  for (const input of inputs) {
    try {
      await ingestOne(deps, input, listOverride, report);
    } catch (err) {
      // A bug for one message must not cost the rest of an mbox; the raw row, if written, stays.
      report.messages.push({ source: input.source, messageId: null, status: 'skipped', reason: `internal error: ${errorText(err)}`, seriesId: null });
    }
  }
  report.series.push(...(await sweepSeries(deps)));
  return report;
}

/** Reviews every collecting series past the timeout, with a note about what is missing (cron calls this via flush). */
export async function sweepSeries(deps: IngestDeps): Promise<SeriesOutcome[]> {
  const out: SeriesOutcome[] = [];
  for (const s of timedOutSeries(deps.mailStore, deps.now(), deps.config.seriesTimeoutMinutes * 60_000)) {
    const outcome = await reviewSeries(deps, s, completeness(deps.mailStore, s));
    if (outcome) out.push(outcome);
  }
  return out;
}

async function ingestOne(deps: IngestDeps, input: MessageInput, listOverride: string | null, report: IngestReport): Promise<void> {
  if ('error' in input) {
    report.messages.push({ source: input.source, messageId: null, status: 'unreadable', reason: input.error, seriesId: null });
    return;
  }
  const store = deps.mailStore;
  const receivedAt = new Date(deps.now()).toISOString();
  let parsed: PatchMessage;
  try {
    parsed = await deps.parse(input.raw);
  } catch (err) {
    // Still recorded, under an id derived from its bytes, so it is visible and never re-tried blindly.
    const id = `unparsed-${createHash('sha256').update(input.raw).digest('hex').slice(0, 32)}@lockscope.invalid`;
    const reason = `could not parse the message: ${errorText(err)}`;
    const fresh = store.addMessage({ messageId: id, raw: input.raw, kind: 'other', subject: '', author: null, list: listOf(deps, listOverride, null, input.raw), version: 1, partIndex: null, partTotal: null, receivedAt, references: [] });
    if (fresh) store.skipMessage(id, reason);
    report.messages.push({ source: input.source, messageId: id, status: fresh ? 'skipped' : 'duplicate', reason, seriesId: null });
    return;
  }
  const m = normalized(parsed, input.raw);
  const list = listOf(deps, listOverride, m, input.raw);
  const fresh = store.addMessage({
    messageId: m.messageId,
    raw: input.raw,
    kind: m.kind,
    subject: m.subject,
    author: m.from?.address ?? null,
    list,
    version: m.tags.version,
    partIndex: m.tags.index,
    partTotal: m.tags.total,
    receivedAt,
    references: referencedIds(m),
  });
  const outcome: MessageOutcome = { source: input.source, messageId: m.messageId, status: 'filed', reason: null, seriesId: null };
  report.messages.push(outcome);
  if (!fresh) {
    outcome.status = 'duplicate';
    outcome.reason = 'already received (duplicate delivery)';
    return;
  }
  const skip = (reason: string) => {
    store.skipMessage(m.messageId, reason);
    outcome.status = 'skipped';
    outcome.reason = reason;
  };
  const patchLike = m.tags.isPatch && !m.tags.isReply;

  if (m.kind === 'reply' || m.tags.isReply) return skip('a reply in a thread, not a patch');
  let unreadable: string | null = null;
  if (m.problem) unreadable = m.problem;
  else if (m.kind === 'other' && patchLike && m.tags.index !== 0) unreadable = 'it has no inline diff (an attachment-only patch?)';
  else if (m.kind === 'other') return skip('not a patch');

  if (unreadable !== null) {
    skip(`cannot be reviewed: ${unreadable}`);
    // Filed anyway, so a series waits for no part that already came, and the reply notes it.
    if (patchLike && m.tags.total !== null) outcome.seriesId = placeInSeries(store, m, m.messageId, list, deps.now()).series.id;
    if (patchLike && deps.config.problemNotes) {
      const note = await sendReply(deps, m, list, problemNote(m, unreadable), { reviewId: null, purpose: 'problem-note' });
      if (note.status !== 'unaddressable') report.notes.push(note);
    }
    if (outcome.seriesId !== null) await reviewIfComplete(deps, outcome.seriesId, report);
    return;
  }

  const placed = placeInSeries(store, m, m.messageId, list, deps.now());
  outcome.seriesId = placed.series.id;
  if (placed.late) {
    outcome.status = 'late';
    outcome.reason = 'its series was already reviewed without it';
    store.skipMessage(m.messageId, outcome.reason);
    return;
  }
  await reviewIfComplete(deps, placed.series.id, report);
}

async function reviewIfComplete(deps: IngestDeps, seriesId: number, report: IngestReport): Promise<void> {
  const series = deps.mailStore.series(seriesId);
  if (!series || series.state !== 'collecting') return;
  const c = completeness(deps.mailStore, series);
  if (!c.complete) return;
  const outcome = await reviewSeries(deps, series, c);
  if (outcome) report.series.push(outcome);
}

async function reparse(deps: IngestDeps, row: MessageRow): Promise<(PatchMessage & { messageId: string }) | null> {
  try {
    return normalized(await deps.parse(row.raw), row.raw);
  } catch {
    return null;
  }
}

/**
 * Adds the bot's notes (missing parts, base fallback, changes since v1) after the renderer's
 * text and before its signature, so the reply still opens with the renderer's greeting.
 */
function withNotesBeforeSignature(text: string, notes: string[]): string {
  if (notes.length === 0) return text;
  const body = text.replace(/\s+$/, '');
  const sig = body.lastIndexOf('\n-- \n');
  const block = notes.join('\n\n');
  return sig === -1 ? `${body}\n\n${block}\n` : `${body.slice(0, sig).replace(/\s+$/, '')}\n\n${block}\n${body.slice(sig)}\n`;
}

/** Narrows a series review to one of its patches, for the reply in that patch's thread. */
function forPatch(review: Review, patch: PatchReviewJson, index: number): Review {
  const meta = review.meta[index];
  return {
    ...review,
    json: { ...review.json, verdict: patch.verdict, inversions: patch.inversions, patches: [patch] },
    meta: meta ? [meta] : [],
  };
}

/** Reviews a claimed series and replies; null when another process claimed it first. */
async function reviewSeries(deps: IngestDeps, series: SeriesRow, c: Completeness): Promise<SeriesOutcome | null> {
  const store = deps.mailStore;
  if (!store.claimForReview(series.id, deps.now())) return null;
  const outcome: SeriesOutcome = { seriesId: series.id, key: series.key, reviewId: null, verdict: null, partial: !c.complete, error: null, replies: [] };
  const rows = store.parts(series.id);
  const coverRow = rows.find((r) => r.kind === 'cover' || r.partIndex === 0) ?? null;
  const patchRows = rows.filter((r) => r !== coverRow && r.skipReason === null).sort((a, b) => (a.partIndex ?? 1) - (b.partIndex ?? 1));
  const cover = coverRow ? await reparse(deps, coverRow) : null;
  const patches: (PatchMessage & { messageId: string })[] = [];
  for (const row of patchRows) {
    const p = await reparse(deps, row);
    if (p) patches.push(p);
  }

  const notes: string[] = [];
  const missing = c.complete ? null : missingNote(c, series.total);
  if (missing) notes.push(missing);
  for (const r of rows) {
    if (r === coverRow || r.skipReason === null) continue;
    notes.push(`Note: part ${r.partIndex ?? 1}/${series.total} was not reviewed: it ${r.skipReason.replace(/^cannot be reviewed: /, 'could not be read: ')}.`);
  }
  if (patches.length === 0) {
    outcome.error = 'no reviewable patch in the series';
    store.updateSeries(series.id, { note: outcome.error });
    return outcome;
  }

  const first = patches[0] as PatchMessage & { messageId: string };
  const baseCommit = cover?.baseCommit ?? [...patches].reverse().find((p) => p.baseCommit)?.baseCommit ?? null;
  const entry: NewReview = {
    source: 'mail',
    repository: series.list,
    subjectKey: `series:${series.key}`,
    subject: (cover ?? first).subject,
    author: (cover ?? first).from?.address ?? null,
    base: baseCommit,
    head: null,
    links: { messageIds: [...(cover ? [cover.messageId] : []), ...patches.map((p) => p.messageId)] },
  };
  const base = await deps.base.open(baseCommit);
  if (!base.ok) {
    // Our side cannot find code to review against: recorded as failed, the author is not bothered.
    const id = deps.reviewStore.create(entry);
    deps.reviewStore.fail(id, `no base tree: ${base.reason}`);
    store.setSeriesReview(series.id, id);
    return { ...outcome, reviewId: id, verdict: 'error', error: base.reason };
  }
  if (base.note) notes.push(base.note);

  let reviewId: number;
  let review: Review;
  try {
    ({ id: reviewId, review } = await recordReview(
      { store: deps.reviewStore, review: deps.review },
      { ...entry, base: baseCommit ?? base.tree.describe() },
      { patches: patches.map((p) => p.raw), base: base.tree, context: deps.config.context, lockFunctions: deps.config.lockFunctions },
    ));
  } catch (err) {
    return { ...outcome, error: `review failed: ${errorText(err)}` };
  }
  store.setSeriesReview(series.id, reviewId);
  outcome.reviewId = reviewId;
  outcome.verdict = review.json.verdict;

  const fresh = store.series(series.id) as SeriesRow;
  const prev = store.previousRevision(fresh, referencedIds(cover ?? first));
  if (prev) {
    store.updateSeries(series.id, { prevSeriesId: prev.id });
    const prevReview = prev.reviewId !== null ? deps.reviewStore.get(prev.reviewId)?.review : null;
    if (prevReview && prevReview.json.verdict !== 'error' && review.json.verdict !== 'error') {
      notes.push(describeRevisionChange(compareRevisions(prevReview, review), prev.version));
    }
  }

  const render = (r: Review) => deps.render(r, { dashboardUrl: dashboardUrl(deps.config, reviewId) });
  const withNotes = (text: string, ns: string[]) => withNotesBeforeSignature(text, ns);
  const send = async (to: PatchMessage & { messageId: string }, body: string, purpose: ReplyPurpose) => {
    const r = await sendReply(deps, to, series.list, body, { reviewId, purpose });
    if (r.status === 'unaddressable') outcome.error = r.error;
    else outcome.replies.push(r);
  };

  if (review.json.verdict === 'error') {
    if (deps.config.onApplyFailure === 'reply') {
      const what = cover || patches.length > 1 ? 'this series' : 'this patch';
      const reason = review.failure?.message ?? review.json.errors.join('; ');
      const link = dashboardUrl(deps.config, reviewId);
      const body = [`lockscope could not review ${what}: ${reason}`, 'Its lock order was not checked.', ...(link ? [`Details: ${link}`] : []), SIGNATURE].join('\n\n');
      await send(cover ?? first, withNotes(body, notes), 'apply-failure');
    }
    return outcome;
  }

  // Per-patch replies; for a one-patch series the whole review is that patch's review.
  let anyPatch = false;
  for (const [i, p] of patches.entries()) {
    const pj = review.json.patches.find((x) => x.messageId !== null && bareId(x.messageId) === p.messageId) ?? review.json.patches[i];
    if (!pj || !interesting(pj.verdict)) continue;
    anyPatch = true;
    const single = !cover && patches.length === 1;
    await send(p, withNotes(render(single ? review : forPatch(review, pj, review.json.patches.indexOf(pj))), cover ? [] : notes), 'review');
  }
  if (cover && (anyPatch || interesting(review.json.verdict))) await send(cover, withNotes(render(review), notes), 'summary');
  else if (!cover && !anyPatch && interesting(review.json.verdict)) await send(first, withNotes(render(review), notes), 'review');
  return outcome;
}

/**
 * `lockscope mail flush`: retries due replies and, when `sweep` is set (a base tree is known),
 * reviews series past their timeout.
 */
export async function flush(deps: IngestDeps, sweep: boolean): Promise<{ flushed: FlushResult; series: SeriesOutcome[] }> {
  const series = sweep ? await sweepSeries(deps) : [];
  return { flushed: await flushOutbox(outboxDeps(deps)), series };
}

