/**
 * Reviews one series and decides its replies, as a small state machine whose every step is
 * committed before the next starts, so a process killed anywhere leaves work the next delivery
 * or flush picks up at once (process-claim.ts tells a dead claimant):
 *
 *   claim        collecting -> reviewing, claimed by this process (or taken over from a dead one)
 *   review row   the review row exists (queued) and the series points at it; reused on takeover
 *   review       review() in memory: nothing is stored
 *   commit       one transaction: the review row done/failed, every reply the series needs
 *                (queued in the outbox), the link to the previous revision, and reviewing -> reviewed
 *   or fail      a failure on our side that may pass (no base tree, a git error, review() throwing
 *                or failing INTERNAL): the row failed, reviewing -> failed, retried with backoff
 *                (ingest.ts), and after `reviewRetries` attempts reviewed with the failure as note
 *
 * So a series is `reviewed` only together with its review and all its replies; sending them is
 * the outbox's business afterwards. A part that arrives while the series is being reviewed is
 * late, as after. It decides who gets a reply, never what the review says (review() and the
 * email renderer do).
 *
 * Reply policy: a patch whose outcome (over every kind of finding) is adds/removes/mixed gets a
 * reply in its thread, quoting and reporting that patch only; the cover letter of a series where
 * any patch does gets one summary, patch by patch; a series that does not apply gets a note
 * (onApplyFailure: reply) or is only marked failed.
 *
 * With patchwork configured, every patch of the series is wanted `pending` on patchwork once
 * claimed (posted while the review runs), and its final check (check-state.ts) is stored in
 * the commit, with the replies; the check outbox posts it.
 */
import { kernelConfigIn } from '../diff/base-tree.ts';
import { reviewForRow } from '../record-review.ts';
import { postChecks } from './check-outbox.ts';
import { checkFor } from './check-state.ts';
import type { CheckState } from './check-store.ts';
import { reviewOutcome } from '../review-outcome.ts';
import type { Outcome, PatchReviewJson, Review, Verdict } from '../review-types.ts';
import type { NewReview } from '../store/types.ts';
import { compareRevisions, describeRevisionChange } from './compare-revisions.ts';
import { errorText, normalized, replyOptions, replyTarget, SIGNATURE, type AddressedMessage } from './file-message.ts';
import { checksDeps, type IngestDeps } from './ingest-deps.ts';
import type { MessageRow, ReplyPurpose, SeriesRow } from './mail-store.ts';
import { backoffMs, queueReply } from './outbox.ts';
import { noCheckpoint } from './pause-at.ts';
import type { RenderOptions } from '../render/types.ts';
import { bareId, buildReply, replyMessageId, type OutgoingMail } from './reply.ts';
import { completeness, missingNote, referencedIds } from './series.ts';

/** A reply a series review queued (or found queued already), with its delivery status once known. */
export interface ReplyOutcome {
  status: 'queued' | 'sending' | 'sent' | 'exists';
  messageId: string;
  inReplyTo: string;
  error: string | null;
}

export interface SeriesOutcome {
  seriesId: number;
  key: string;
  reviewId: number | null;
  verdict: Verdict | null;
  partial: boolean;
  error: string | null;
  replies: ReplyOutcome[];
  /** True when this process took the series over from one that died mid-review. */
  resumed: boolean;
  /** Set when the review failed for a reason that may pass: when it is tried again. */
  retryAtMs: number | null;
}

const interesting = (json: { outcome?: Outcome; verdict: Verdict }): boolean => {
  const o = reviewOutcome(json);
  return o === 'adds' || o === 'removes' || o === 'mixed';
};

function dashboardUrl(deps: IngestDeps, reviewId: number): string | undefined {
  return deps.config.publicUrl ? `${deps.config.publicUrl.replace(/\/+$/, '')}/reviews/${reviewId}` : undefined;
}

/**
 * What the reply to `to` links and suggests: the dashboard, `| Reported-by:` (config reportedBy,
 * else from) and `| Closes:`, the archive's URL of the reply itself (its Message-Id is derived
 * from the message it answers, so it is known before it is sent), else the dashboard.
 */
function mailRenderOptions(deps: IngestDeps, reviewId: number, to: AddressedMessage): RenderOptions {
  const c = deps.config;
  const domain = c.messageIdDomain ?? /@([^\s>]+)>?\s*$/.exec(c.from)?.[1] ?? 'lockscope.invalid';
  const reply = bareId(replyMessageId(to.messageId, domain));
  const link = dashboardUrl(deps, reviewId);
  return {
    ...(link ? { dashboardUrl: link } : {}),
    reportedBy: c.reportedBy ?? c.from,
    ...(c.archiveUrl ? { closesUrl: `${c.archiveUrl.replace(/\/+$/, '')}/${encodeURIComponent(reply).replace(/%40/g, '@')}/` } : {}),
  };
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

/**
 * Narrows a series review to one of its patches, for the reply in that patch's thread: its own
 * findings, edges, touched functions and hunks (a reply to 2/3 quotes 2/3 only), and the lockdep
 * cross-check only when that patch's message quoted the report.
 */
export function forPatch(review: Review, patch: PatchReviewJson, index: number): Review {
  const meta = review.meta[index];
  const n = index + 1;
  const { lockdep, ...json } = review.json;
  return {
    ...review,
    json: {
      ...json,
      verdict: patch.verdict,
      inversions: patch.inversions,
      outcome: patch.outcome,
      findings: patch.findings,
      ...(patch.edges ? { edges: patch.edges } : {}),
      patches: [patch],
      functions: json.functions.filter((f) => !f.patches || f.patches.includes(n)),
      lockdep: lockdep && (lockdep.patch === undefined || lockdep.patch === n) ? lockdep : null,
    },
    hunks: review.hunks.filter((h) => h.patch === undefined || h.patch === index),
    meta: meta ? [meta] : [],
  };
}

async function reparse(deps: IngestDeps, row: MessageRow): Promise<AddressedMessage | null> {
  try {
    return normalized(await deps.parse(row.raw), row.raw);
  } catch {
    return null;
  }
}

/** Thrown inside a commit when this process no longer holds the series (a stale-claim takeover). */
class ClaimLost extends Error {
  readonly code = 'CLAIM_LOST';
}

type Planned = { mail: OutgoingMail; purpose: ReplyPurpose };

/**
 * Reviews `series` if this process can claim it: a collecting series, or one held by
 * `takeOver`, a claimant found dead. Null when another process claimed it first or took it over.
 */
export async function reviewSeries(deps: IngestDeps, series: SeriesRow, takeOver: string | null = null): Promise<SeriesOutcome | null> {
  const background: Promise<unknown>[] = [];
  try {
    return await claimAndReview(deps, series, takeOver, background);
  } finally {
    // The pending checks posted while the review ran; their failures stay queued in the check outbox.
    await Promise.all(background);
  }
}

async function claimAndReview(deps: IngestDeps, series: SeriesRow, takeOver: string | null, background: Promise<unknown>[]): Promise<SeriesOutcome | null> {
  const store = deps.mailStore;
  const me = deps.claims.me;
  const checkpoint = deps.checkpoint ?? noCheckpoint;
  if (!store.claimSeries(series.id, me, deps.now(), takeOver)) return null;
  await checkpoint('series-claimed');

  const c = completeness(store, series);
  const outcome: SeriesOutcome = { seriesId: series.id, key: series.key, reviewId: null, verdict: null, partial: !c.complete, error: null, replies: [], resumed: takeOver !== null, retryAtMs: null };
  // Every write from here is conditional on still holding the claim, and the last one releases it.
  const commit = (write: () => void): boolean => {
    try {
      store.transaction(() => {
        if (!store.holdsSeries(series.id, me)) throw new ClaimLost();
        write();
        store.finishSeries(series.id, me, deps.now());
      });
      return true;
    } catch (err) {
      if (err instanceof ClaimLost) return false;
      throw err;
    }
  };

  const rows = store.parts(series.id);
  const coverRow = rows.find((r) => r.kind === 'cover' || r.partIndex === 0) ?? null;
  const patchRows = rows.filter((r) => r !== coverRow && r.skipReason === null).sort((a, b) => (a.partIndex ?? 1) - (b.partIndex ?? 1));
  const pw = deps.patchwork;
  /** Wants `state` on patchwork for every patch of the series (in the caller's transaction, if any). */
  const wantAll = (state: CheckState, description: string, targetUrl: string | null = null): void => {
    if (pw) for (const r of patchRows) pw.store.want({ messageId: r.messageId, context: pw.context, state, description, targetUrl }, deps.now());
  };
  /**
   * A failure on our side that may pass: the row (when there is one) records it and the series
   * waits for its retry, or, past `reviewRetries` attempts, is reviewed with the failure as note.
   */
  const failForNow = (error: string, writeRow: () => void): SeriesOutcome | null => {
    const attempts = (store.series(series.id)?.attempts ?? 0) + 1;
    outcome.error = error;
    if (attempts >= deps.config.reviewRetries) {
      outcome.error = `gave up after ${attempts} attempts: ${error}`;
      return commit(() => {
        writeRow();
        store.updateSeries(series.id, { note: outcome.error as string });
        wantAll('warning', `lockscope could not review this patch: ${outcome.error as string}`);
      })
        ? outcome
        : null;
    }
    const retryAt = deps.now() + backoffMs(attempts, deps.config.retryBaseSeconds, deps.config.retryMaxSeconds);
    const failed = store.transaction(() => {
      if (!store.holdsSeries(series.id, me)) return false;
      writeRow();
      return store.failSeries(series.id, me, error, retryAt);
    });
    if (!failed) return null;
    wantAll('pending', `lockscope could not review this patch yet and will retry: ${error}`);
    outcome.retryAtMs = retryAt;
    return outcome;
  };

  const checks = checksDeps(deps);
  if (checks) {
    store.transaction(() => wantAll('pending', 'lockscope is reviewing this patch'));
    background.push(postChecks(checks).catch(() => undefined));
  }
  const cover = coverRow ? await reparse(deps, coverRow) : null;
  const patches: AddressedMessage[] = [];
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
    return commit(() => store.updateSeries(series.id, { note: outcome.error as string })) ? outcome : null;
  }

  const first = patches[0] as AddressedMessage;
  const baseCommit = cover?.baseCommit ?? [...patches].reverse().find((p) => p.baseCommit)?.baseCommit ?? null;
  // A v2 is filed under its v1's key, so the dashboard's history links the revisions of a series.
  const earlier = store.previousRevision(store.series(series.id) as SeriesRow, referencedIds(cover ?? first));
  const earlierRow = earlier?.reviewId != null ? deps.reviewStore.get(earlier.reviewId) : undefined;
  const entry: NewReview = {
    source: 'mail',
    repository: series.list,
    subjectKey: earlierRow?.subjectKey ?? `series:${series.key}`,
    subject: (cover ?? first).subject,
    author: (cover ?? first).from?.address ?? null,
    base: baseCommit,
    head: null,
    links: { messageIds: [...(cover ? [cover.messageId] : []), ...patches.map((p) => p.messageId)] },
  };
  // A process that died after creating the row, or an attempt that failed on our side, left its id
  // on the series: reuse it, no orphan row. A finished review is kept: re-reviewing adds a new row.
  const linked = store.series(series.id)?.reviewId ?? null;
  const existingRow = linked !== null && deps.reviewStore.get(linked)?.status !== 'done' ? linked : null;
  const base = await deps.base.open(baseCommit);
  if (!base.ok) {
    // Our side cannot find code to review against: recorded as failed and retried; the author is not bothered.
    let id = existingRow;
    outcome.verdict = 'error';
    const failed = failForNow(`no base tree: ${base.reason}`, () => {
      id ??= deps.reviewStore.create(entry);
      deps.reviewStore.fail(id, `no base tree: ${base.reason}`);
      store.setSeriesReview(series.id, id);
    });
    return failed ? { ...failed, reviewId: id } : null;
  }
  if (base.note) notes.push(base.note);
  // The build every review is for (`kernelConfig:`), read from this base: a missing file is ours to fix, not the author's.
  const kernelConfig = deps.config.kernelConfig === null ? undefined : await kernelConfigIn(base.tree, deps.config.kernelConfig);
  if (kernelConfig && !kernelConfig.ok) {
    outcome.verdict = 'error';
    let id = existingRow;
    const failed = failForNow(kernelConfig.reason, () => {
      id ??= deps.reviewStore.create({ ...entry, base: baseCommit ?? base.tree.describe() });
      deps.reviewStore.fail(id, kernelConfig.reason);
      store.setSeriesReview(series.id, id);
    });
    return failed ? { ...failed, reviewId: id } : null;
  }

  let reviewId = existingRow;
  if (reviewId === null) {
    const created = store.transaction(() => {
      if (!store.holdsSeries(series.id, me)) return null;
      const id = deps.reviewStore.create({ ...entry, base: baseCommit ?? base.tree.describe() });
      store.setSeriesReview(series.id, id);
      return id;
    });
    if (created === null) return null;
    reviewId = created;
  }
  outcome.reviewId = reviewId;
  await checkpoint('review-row');

  let run: Awaited<ReturnType<typeof reviewForRow>>;
  try {
    run = await reviewForRow(
      { store: deps.reviewStore, review: deps.review },
      reviewId,
      { patches: patches.map((p) => p.raw), base: base.tree, context: deps.config.context, lockFunctions: deps.config.lockFunctions, kinds: deps.config.kinds, baseUsed: base.used, ...(kernelConfig ? { config: kernelConfig.file } : {}) },
    );
  } catch (err) {
    // review() threw: its row is already marked failed.
    outcome.verdict = 'error';
    return failForNow(`review failed: ${errorText(err)}`, () => undefined);
  }
  await checkpoint('reviewed');
  const review = run.review;
  outcome.verdict = review.json.verdict;
  // INTERNAL is our side (a git read that failed, a bug), not the patch: try again later.
  if (review.failure?.code === 'INTERNAL') return failForNow(review.failure.message, run.save);

  const prev = earlier;
  if (prev) {
    const prevReview = prev.reviewId !== null ? deps.reviewStore.get(prev.reviewId)?.review : null;
    if (prevReview && prevReview.json.verdict !== 'error' && review.json.verdict !== 'error') {
      notes.push(describeRevisionChange(compareRevisions(prevReview, review), prev.version));
    }
  }

  const planned: Planned[] = [];
  const wanted: { messageId: string; state: CheckState; description: string }[] = [];
  const id = reviewId;
  const plan = (to: AddressedMessage, body: string, purpose: ReplyPurpose): void => {
    const built = buildReply(replyTarget(to), body, replyOptions(deps, series.list, id, deps.now()));
    if (built.ok) planned.push({ mail: built.mail, purpose });
    else outcome.error = built.reason;
  };
  const render = (r: Review, to: AddressedMessage, cover = false): string => deps.render(r, { ...mailRenderOptions(deps, id, to), ...(cover ? { cover } : {}) });

  if (review.json.verdict === 'error') {
    for (const p of patches) wanted.push({ messageId: p.messageId, ...checkFor(review) });
    if (deps.config.onApplyFailure === 'reply') {
      const what = cover || patches.length > 1 ? 'this series' : 'this patch';
      const reason = review.failure?.message ?? review.json.errors.join('; ');
      const link = dashboardUrl(deps, id);
      const body = [`lockscope could not review ${what}: ${reason}`, 'Its lock order was not checked.', ...(link ? [`Details: ${link}`] : []), SIGNATURE].join('\n\n');
      plan(cover ?? first, withNotesBeforeSignature(body, notes), 'apply-failure');
    }
  } else {
    // Per-patch replies; for a one-patch series the whole review is that patch's review.
    let anyPatch = false;
    for (const [i, p] of patches.entries()) {
      const pj = review.json.patches.find((x) => x.messageId !== null && bareId(x.messageId) === p.messageId) ?? review.json.patches[i];
      if (!pj) continue;
      const single = !cover && patches.length === 1;
      const narrowed = single ? review : forPatch(review, pj, review.json.patches.indexOf(pj));
      wanted.push({ messageId: p.messageId, ...checkFor(narrowed) });
      if (!interesting(pj)) continue;
      anyPatch = true;
      plan(p, withNotesBeforeSignature(render(narrowed, p), cover ? [] : notes), 'review');
    }
    if (cover && (anyPatch || interesting(review.json))) plan(cover, withNotesBeforeSignature(render(review, cover, true), notes), 'summary');
    else if (!cover && !anyPatch && interesting(review.json)) plan(first, withNotesBeforeSignature(render(review, first), notes), 'review');
  }

  const now = deps.now();
  const link = dashboardUrl(deps, id);
  const committed = commit(() => {
    run.save();
    if (prev) store.updateSeries(series.id, { prevSeriesId: prev.id });
    // Patchwork keeps an URL of at most 200 characters.
    if (pw) for (const w of wanted) pw.store.want({ ...w, context: pw.context, targetUrl: link && link.length <= 200 ? link : null }, now);
    for (const p of planned) {
      const added = queueReply(store, p.mail, { reviewId: id, purpose: p.purpose }, now);
      outcome.replies.push({ status: added ? 'queued' : 'exists', messageId: p.mail.messageId, inReplyTo: p.mail.inReplyTo, error: null });
    }
  });
  if (!committed) return null;
  await checkpoint('review-committed');
  return outcome;
}
