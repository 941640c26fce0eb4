/**
 * Files one received mail: parses it, then in one transaction records the raw text, its
 * classification (or why it is skipped), its place in a series, and the short note an unreadable
 * patch gets. Either all of that is stored or none of it, so a crash or a busy database never
 * leaves a message recorded but not filed (which a re-delivery would then call a duplicate and
 * never file). It does not review or send: ingest.ts does that afterwards.
 */
import { createHash } from 'node:crypto';
import type { PatchMessage } from '../diff/types.ts';
import type { IngestDeps } from './ingest-deps.ts';
import { listAddress } from './list-address.ts';
import { queueReply } from './outbox.ts';
import type { MessageInput } from './read-messages.ts';
import { bareId, buildReply, type ReplyTarget } from './reply.ts';
import { placeInSeries, referencedIds } from './series.ts';

export interface MessageOutcome {
  source: string;
  messageId: string | null;
  status: 'filed' | 'skipped' | 'duplicate' | 'late' | 'unreadable';
  reason: string | null;
  seriesId: number | null;
  /** The reply queued to tell the author the patch could not be read, as [messageId, inReplyTo]. */
  note: { messageId: string; inReplyTo: string } | null;
}

export type AddressedMessage = PatchMessage & { messageId: string };

// The notes the bot writes itself end like the renderer's replies.
export const SIGNATURE = '-- \nlockscope, lock-order review bot';

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Ids are stored bare (no angle brackets) so `<a@b>` and `a@b` never count as two messages. */
export function normalized(m: PatchMessage, raw: string): AddressedMessage {
  const id = m.messageId ? bareId(m.messageId) : `no-message-id-${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@lockscope.invalid`;
  return { ...m, messageId: id, inReplyTo: m.inReplyTo ? bareId(m.inReplyTo) : null, references: m.references.map(bareId) };
}

function listOf(deps: IngestDeps, listOverride: string | null, m: PatchMessage | null, raw: string): string {
  const to = m?.to[0];
  const toAddress = to ? (/<([^>]+)>/.exec(to)?.[1] ?? to).trim().toLowerCase() : null;
  return listOverride ?? deps.config.list ?? listAddress(raw) ?? toAddress ?? 'unknown-list';
}

export function replyTarget(m: AddressedMessage): ReplyTarget {
  return { messageId: m.messageId, subject: m.subject, from: m.from, to: m.to, cc: m.cc, references: m.references };
}

function problemNote(m: PatchMessage, reason: string): string {
  const name = m.from?.name?.trim();
  return [
    `Hi${name ? ` ${name}` : ''},`,
    `lockscope, the lock-order review bot of this list, could not read this patch: ${reason}.`,
    'It reviews patches sent inline as plain text, without format=flowed, for example with git send-email. Nothing was reviewed; please resend if you want a lock-order review.',
    SIGNATURE,
  ].join('\n\n');
}

/** An id for a mail that has none we can use, derived from its bytes. */
export const hashId = (prefix: string, raw: string): string => `${prefix}-${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@lockscope.invalid`;

/** Records and files `input`; throws only when the database itself fails (the caller stops then). */
export async function fileMessage(deps: IngestDeps, input: MessageInput, listOverride: string | null): Promise<MessageOutcome> {
  const outcome: MessageOutcome = { source: input.source, messageId: null, status: 'filed', reason: null, seriesId: null, note: null };
  if ('error' in input) return { ...outcome, status: 'unreadable', reason: input.error };
  const store = deps.mailStore;
  const receivedAt = new Date(deps.now()).toISOString();
  let parsed: PatchMessage;
  try {
    parsed = await deps.parse(input.raw);
  } catch (err) {
    // Still recorded, under an id derived from its bytes, so it is visible and never re-tried blindly.
    return recordUnfiled(deps, input, listOverride, hashId('unparsed', input.raw), `could not parse the message: ${errorText(err)}`);
  }
  const m = normalized(parsed, input.raw);
  const list = listOf(deps, listOverride, m, input.raw);
  const now = deps.now();
  return store.transaction((): MessageOutcome => {
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
    const out: MessageOutcome = { ...outcome, messageId: m.messageId };
    if (!fresh) return { ...out, status: 'duplicate', reason: 'already received (duplicate delivery)' };
    const skip = (reason: string): MessageOutcome => {
      store.skipMessage(m.messageId, reason);
      return { ...out, status: 'skipped', reason };
    };
    const patchLike = m.tags.isPatch && !m.tags.isReply;

    if (m.kind === 'reply' || m.tags.isReply) return skip('a reply in a thread, not a patch');
    let unreadable: string | null = null;
    if (m.problem) unreadable = m.problem;
    else if (m.kind === 'other' && patchLike && m.tags.index !== 0) unreadable = 'it has no inline diff (an attachment-only patch?)';
    else if (m.kind === 'other') return skip('not a patch');

    if (unreadable !== null) {
      const skipped = skip(`cannot be reviewed: ${unreadable}`);
      // Filed anyway, so a series waits for no part that already came, and the reply notes it.
      if (patchLike && m.tags.total !== null) skipped.seriesId = placeInSeries(store, m, m.messageId, list, now).series.id;
      if (patchLike && deps.config.problemNotes) skipped.note = queueNote(deps, m, list, problemNote(m, unreadable), now);
      return skipped;
    }

    const placed = placeInSeries(store, m, m.messageId, list, now);
    if (placed.late) {
      const reason = 'its series was already reviewed without it';
      store.skipMessage(m.messageId, reason);
      return { ...out, status: 'late', reason, seriesId: placed.series.id };
    }
    return { ...out, seriesId: placed.series.id };
  });
}

function queueNote(deps: IngestDeps, m: AddressedMessage, list: string, body: string, nowMs: number): MessageOutcome['note'] {
  const built = buildReply(replyTarget(m), body, replyOptions(deps, list, null, nowMs));
  if (!built.ok) return null;
  queueReply(deps.mailStore, built.mail, { reviewId: null, purpose: 'problem-note' }, nowMs);
  return { messageId: built.mail.messageId, inReplyTo: built.mail.inReplyTo };
}

/** The reply options from the config, for a reply on `list` reporting review `reviewId`. */
export function replyOptions(deps: IngestDeps, list: string, reviewId: number | null, nowMs: number): Parameters<typeof buildReply>[2] {
  return {
    from: deps.config.from,
    messageIdDomain: deps.config.messageIdDomain,
    list,
    // audience: author sends the report privately first: no list, no other recipients.
    ccList: deps.config.audience === 'list' && deps.config.ccList,
    ccOriginal: deps.config.audience === 'list' && deps.config.ccOriginal,
    wrapColumn: deps.config.wrapColumn,
    reviewId,
    date: new Date(nowMs),
  };
}

/**
 * A message that could not be filed for a reason other than the database (an unparsable mail, a
 * bug on this one message): its raw text is kept under `id` with the reason, and the next
 * message goes on.
 */
export function recordUnfiled(deps: IngestDeps, input: { source: string; raw: string }, listOverride: string | null, id: string, reason: string): MessageOutcome {
  const fresh = deps.mailStore.transaction(() => {
    const added = deps.mailStore.addMessage({ messageId: id, raw: input.raw, kind: 'other', subject: '', author: null, list: listOf(deps, listOverride, null, input.raw), version: 1, partIndex: null, partTotal: null, receivedAt: new Date(deps.now()).toISOString(), references: [] });
    if (added) deps.mailStore.skipMessage(id, reason);
    return added;
  });
  return { source: input.source, messageId: id, status: fresh ? 'skipped' : 'duplicate', reason, seriesId: null, note: null };
}

