/**
 * Assembles list mail into patch series, persistently: every message arrives in its own process
 * (an MTA alias pipes one mail per run), so the state lives in the mail tables, not in memory.
 * It decides which series a message belongs to and when a series is ready for review; it does
 * not review or reply (ingest.ts).
 *
 * Series key: the cover letter's Message-ID; before the cover is seen, the thread root the part
 * points at (In-Reply-To / References), which is the cover's id for git send-email's default
 * shallow threading. A single unnumbered `[PATCH]` is its own series, keyed by its own id.
 * A series is per version: `[PATCH v2 ...]` sent in reply to v1 starts a new series, linked to
 * v1 by b4's `change-id:`, else by referencing v1's key, else by the same title and author.
 *
 * States and transitions (patchwork's parse_patch has the same shape):
 *
 *   (none)     --cover or part arrives-------------------------> collecting
 *   collecting --cover or part arrives, parts still missing----> collecting
 *   collecting --all of 1..n present (and the cover if n > 1)--> reviewing  (complete)
 *   collecting --timeout passed since the first message--------> reviewing  (partial, with a note)
 *   reviewing  --review, replies and state stored together-----> reviewed   (review-series.ts)
 *   reviewing/reviewed --a late part or cover arrives----------> unchanged  (recorded, skipped)
 *
 * The move to `reviewing` is an atomic claim (MailStore.claimSeries): two ingests racing on the
 * last part review the series once, and a claim left by a process that died is taken over.
 */
import type { PatchMessage } from '../diff/types.ts';
import type { MailStore, SeriesRow } from './mail-store.ts';

export const DEFAULT_SERIES_TIMEOUT_MS = 60 * 60_000;

/** Where a message went. `late` means its series was already reviewed without it. */
export type Placement = { series: SeriesRow; late: boolean };

/** The ids a message points at: References in order, then In-Reply-To. */
export function referencedIds(m: Pick<PatchMessage, 'references' | 'inReplyTo'>): string[] {
  const ids = [...m.references, ...(m.inReplyTo ? [m.inReplyTo] : [])];
  return ids.filter((id, i) => ids.indexOf(id) === i);
}

/**
 * Files a patch or cover letter (already recorded under `messageId`) into its series, creating
 * the series when none matches. Messages of other kinds are not series members.
 */
export function placeInSeries(store: MailStore, m: PatchMessage, messageId: string, list: string, nowMs: number): Placement {
  const version = m.tags.version;
  const isCover = m.kind === 'cover' || m.tags.index === 0;
  const numbered = m.tags.total !== null && m.tags.total >= 1;
  const refs = referencedIds(m);
  const author = m.from?.address ?? null;

  let candidates: SeriesRow[] = [];
  if (isCover) {
    // A cover adopts the parts that arrived before it (they reference its id).
    candidates = store.seriesTouching(list, version, [messageId, ...store.referrers(messageId)]);
  } else if (numbered) {
    candidates = store.seriesTouching(list, version, [messageId, ...refs, ...store.referrers(messageId)]);
  }
  const open = candidates.find((s) => s.state === 'collecting');
  const existing = open ?? candidates[0];

  if (existing) {
    store.attachMessage(messageId, existing.id);
    if (existing.state !== 'collecting') return { series: existing, late: true };
    store.updateSeries(existing.id, {
      ...(isCover ? { key: messageId, title: m.tags.title, author: author ?? existing.author } : {}),
      ...(m.changeId && !existing.changeId ? { changeId: m.changeId } : {}),
      ...((m.tags.total ?? 1) > existing.total ? { total: m.tags.total ?? 1 } : {}),
    });
    return { series: store.series(existing.id) as SeriesRow, late: false };
  }

  // No series yet: a numbered part before its cover is keyed by the message it replies to.
  const key = isCover || !numbered ? messageId : (m.inReplyTo ?? refs[refs.length - 1] ?? messageId);
  const series = store.createSeries({
    key,
    version,
    list,
    title: m.tags.title,
    author,
    changeId: m.changeId,
    total: Math.max(m.tags.total ?? 1, 1),
    firstSeenMs: nowMs,
    prevSeriesId: null,
  });
  store.attachMessage(messageId, series.id);
  return { series, late: false };
}

export interface Completeness {
  complete: boolean;
  /** Part numbers of 1..n not received. */
  missing: number[];
  /** True when n > 1 and no cover letter was received. */
  coverMissing: boolean;
}

/** Whether all parts are in: every m of 1..n, and the cover when n > 1 (a lone 1/1 needs none). */
export function completeness(store: MailStore, series: SeriesRow): Completeness {
  const parts = store.parts(series.id);
  const have = new Set(parts.map((p) => p.partIndex ?? 1));
  const coverSeen = parts.some((p) => p.kind === 'cover' || p.partIndex === 0);
  const missing: number[] = [];
  for (let i = 1; i <= series.total; i++) if (!have.has(i)) missing.push(i);
  const coverMissing = series.total > 1 && !coverSeen;
  return { complete: missing.length === 0 && !coverMissing, missing, coverMissing };
}

/** Series still collecting whose first message is older than the timeout: reviewed as they are. */
export function timedOutSeries(store: MailStore, nowMs: number, timeoutMs: number = DEFAULT_SERIES_TIMEOUT_MS): SeriesRow[] {
  return store.collecting().filter((s) => nowMs - s.firstSeenMs >= timeoutMs);
}

/** A sentence about what was missing when a timed-out series was reviewed, or null when nothing was. */
export function missingNote(c: Completeness, total: number): string | null {
  const bits: string[] = [];
  if (c.missing.length > 0) bits.push(`part${c.missing.length > 1 ? 's' : ''} ${c.missing.map((i) => `${i}/${total}`).join(', ')}`);
  if (c.coverMissing) bits.push('the cover letter');
  if (bits.length === 0) return null;
  return `Note: ${bits.join(' and ')} did not arrive in time; this review covers only the parts received, applied in order.`;
}
