import { beforeEach, describe, expect, it } from 'vitest';
import { splitMbox } from '../../src/diff/mbox.ts';
import { parsePatchMessage } from '../../src/diff/patch-message.ts';
import type { PatchMessage } from '../../src/diff/types.ts';
import { MailStore } from '../../src/mail/mail-store.ts';
import { bareId } from '../../src/mail/reply.ts';
import { completeness, missingNote, placeInSeries, referencedIds, timedOutSeries } from '../../src/mail/series.ts';
import { openDatabase } from '../../src/store/database.ts';
import { fixture } from './helpers.ts';

const LIST = 'linux-foo@lists.example.org';
let store: MailStore;

beforeEach(() => {
  store = new MailStore(openDatabase(':memory:'));
});

async function parsed(name: string): Promise<PatchMessage[]> {
  const out: PatchMessage[] = [];
  for (const raw of splitMbox(await fixture(name))) {
    const m = await parsePatchMessage(raw);
    out.push({ ...m, messageId: bareId(m.messageId ?? ''), inReplyTo: m.inReplyTo ? bareId(m.inReplyTo) : null, references: m.references.map(bareId) });
  }
  return out;
}

function file(m: PatchMessage, now: number) {
  const id = m.messageId as string;
  store.addMessage({ messageId: id, raw: m.raw, kind: m.kind, subject: m.subject, author: m.from?.address ?? null, list: LIST, version: m.tags.version, partIndex: m.tags.index, partTotal: m.tags.total, receivedAt: new Date(now).toISOString(), references: referencedIds(m) });
  return placeInSeries(store, m, id, LIST, now);
}

describe('series assembly', () => {
  // git send-email threads parts under the cover, but the list may deliver 2/2 first.
  it('keys a series by its cover letter even when the patches arrive first, and completes on the cover', async () => {
    const [p2, p1, cover] = await parsed('series-v1.mbox');
    const a = file(p2 as PatchMessage, 0);
    expect(completeness(store, a.series)).toEqual({ complete: false, missing: [1], coverMissing: true });
    const b = file(p1 as PatchMessage, 1);
    expect(b.series.id).toBe(a.series.id);
    expect(completeness(store, b.series)).toEqual({ complete: false, missing: [], coverMissing: true });
    const c = file(cover as PatchMessage, 2);
    expect(c.series.id).toBe(a.series.id);
    expect(c.series).toMatchObject({ key: '20260302090000.2000-0-grace@example.org', title: 'foo: mode changes reset the table', total: 2, changeId: '20260302-foo-mode-reset-3c1d' });
    expect(completeness(store, c.series).complete).toBe(true);
    expect(store.parts(a.series.id).map((p) => p.partIndex)).toEqual([0, 1, 2]);
  });

  // A v2 sent --in-reply-to the v1 cover references v1's ids: it must still be its own series.
  it('starts a new series for v2 and links it to v1 by change-id', async () => {
    for (const m of await parsed('series-v1.mbox')) file(m, 0);
    const v1 = store.allSeries()[0];
    expect(store.claimSeries(v1?.id as number, 'a', 10)).toBe(true);
    expect(store.finishSeries(v1?.id as number, 'a', 11)).toBe(true);
    let v2 = null;
    for (const m of await parsed('series-v2.mbox')) v2 = file(m, 20).series;
    expect(store.allSeries()).toHaveLength(2);
    expect(v2).toMatchObject({ version: 2, key: '20260305090000.3000-0-grace@example.org' });
    expect(completeness(store, v2!).complete).toBe(true);
    expect(store.previousRevision(v2!, [])?.id).toBe(v1?.id);
  });

  // Two ingests racing on the last part must not review the series twice.
  it('lets only one claim move a series to reviewing, and files later parts as late', async () => {
    const [p2, p1, cover] = await parsed('series-v1.mbox');
    const s = file(cover as PatchMessage, 0).series;
    file(p2 as PatchMessage, 0);
    expect(store.claimSeries(s.id, 'a', 5)).toBe(true);
    expect(store.claimSeries(s.id, 'b', 6)).toBe(false);
    // Only by naming the exact claimant found stale can another process take it over.
    expect(store.claimSeries(s.id, 'b', 6, 'c')).toBe(false);
    expect(store.claimSeries(s.id, 'b', 6, 'a')).toBe(true);
    expect(store.finishSeries(s.id, 'a', 7)).toBe(false);
    expect(file(p1 as PatchMessage, 7).late).toBe(true);
  });

  // A lone [PATCH] is complete on its own; it needs no cover letter.
  it('treats an unnumbered patch as a complete one-part series keyed by its own id', async () => {
    const [single] = await parsed('single-fix.eml');
    const s = file(single as PatchMessage, 0).series;
    expect(s).toMatchObject({ key: '20260301100000.1001-1-ada@example.org', total: 1 });
    expect(completeness(store, s).complete).toBe(true);
  });

  // Series that never complete are reviewed after the timeout, with a note naming what is missing.
  it('reports series past the timeout and describes what is missing', async () => {
    const [p2] = await parsed('series-v1.mbox');
    const s = file(p2 as PatchMessage, 1000).series;
    expect(timedOutSeries(store, 1000 + 3599_999)).toEqual([]);
    expect(timedOutSeries(store, 1000 + 3600_000).map((x) => x.id)).toEqual([s.id]);
    expect(timedOutSeries(store, 1000 + 60_000, 60_000).map((x) => x.id)).toEqual([s.id]);
    expect(missingNote(completeness(store, s), 2)).toBe('Note: part 1/2 and the cover letter did not arrive in time; this review covers only the parts received, applied in order.');
  });
});
