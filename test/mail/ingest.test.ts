/**
 * The mail bot end to end with real parts: the diff module's parser, the real review() over the
 * toy tree in test/fixtures/mail/base, the real review store and email renderer, and replies
 * delivered to a real SMTP server on loopback and parsed back with mailparser.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReviewStore } from '../../src/store/review-store.ts';
import { splitMbox } from '../../src/diff/mbox.ts';
import { parsePatchMessage } from '../../src/diff/patch-message.ts';
import { fixedBaseSource } from '../../src/mail/base-source.ts';
import { flush, ingest, type IngestDeps } from '../../src/mail/ingest.ts';
import { defaultMailConfig, type MailConfig } from '../../src/mail/mail-config.ts';
import { MailStore } from '../../src/mail/mail-store.ts';
import type { MessageInput } from '../../src/mail/read-messages.ts';
import { smtpMailer } from '../../src/mail/smtp-mailer.ts';
import { renderers } from '../../src/render/index.ts';
import { review } from '../../src/review.ts';
import { processClaims } from '../../src/store/process-claim.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import type { ReviewStore } from '../../src/store/types.ts';
import type { BaseTree } from '../../src/diff/base-tree.ts';
import { FIXTURES, fixture, fixtureTree, smtpSink, type SmtpSink } from './helpers.ts';

const START = Date.UTC(2026, 2, 6, 12, 0, 0);

let sink: SmtpSink;
let db: Db;
let clock: number;
let deps: IngestDeps;
let reviews: ReviewStore;
let mailStore: MailStore;

function makeDeps(config: Partial<MailConfig> = {}): IngestDeps {
  return {
    mailStore,
    reviewStore: reviews,
    review: (request) => review(request),
    parse: parsePatchMessage,
    render: renderers.get('email') as NonNullable<ReturnType<typeof renderers.get>>,
    base: fixedBaseSource(fixtureTree(`${FIXTURES}base`)),
    mailer: smtpMailer(`smtp://127.0.0.1:${sink.port}`, { ignoreTLS: true, timeoutMs: 2000 }),
    config: { ...defaultMailConfig, from: 'lockscope <lockscope@bot.example.org>', publicUrl: 'https://lockscope.example.org', ...config },
    now: () => clock,
    claims: processClaims(),
  };
}

async function messages(name: string): Promise<MessageInput[]> {
  return splitMbox(await fixture(name)).map((raw, i) => ({ source: `${name}#${i + 1}`, raw }));
}

beforeEach(async () => {
  sink = await smtpSink();
  db = openDatabase(':memory:');
  mailStore = new MailStore(db);
  reviews = openReviewStore(db);
  clock = START;
  deps = makeDeps();
});

afterEach(async () => {
  deps.mailer.close();
  await sink.stop();
  db.close();
});

describe('mail ingest', () => {
  // The basic promise: a patch that fixes an AB-BA deadlock gets a threaded reply saying so.
  it('replies to a single patch that removes an inversion, in its thread', async () => {
    const report = await ingest(deps, await messages('single-fix.eml'));
    expect(report.messages.map((m) => m.status)).toEqual(['filed']);
    expect(report.series).toHaveLength(1);
    expect(report.series[0]?.verdict).toBe('removes-inversion');
    expect(sink.received).toHaveLength(1);
    const reply = await sink.parsed(0);
    expect(reply.subject).toBe('Re: [PATCH] foo: release stat_lock before taking tbl_lock in stat_reset');
    expect(reply.inReplyTo).toBe('<20260301100000.1001-1-ada@example.org>');
    expect(reply.references).toBe('<20260301100000.1001-1-ada@example.org>');
    expect(sink.received[0]?.envelope.to).toEqual(['ada@example.org', 'linux-foo@lists.example.org', 'mae@example.org']);
    expect(reply.headers.get('x-lockscope-review')).toBe(String(report.series[0]?.reviewId));
    expect(reply.text).toContain('stat_lock');
    expect(reply.text).toContain(`https://lockscope.example.org/reviews/${report.series[0]?.reviewId}`);

    const stored = reviews.get(report.series[0]?.reviewId as number);
    expect(stored).toMatchObject({ source: 'mail', repository: 'linux-foo@lists.example.org', subjectKey: 'series:20260301100000.1001-1-ada@example.org', status: 'done' });
    expect(stored?.links.messageIds).toEqual(['20260301100000.1001-1-ada@example.org']);
  });

  // An MTA alias delivers each list mail in its own run, and parts overtake the cover letter.
  it('assembles a series whose patches arrive before the cover, reviews it once, and sums up on the cover', async () => {
    const [p2, p1, cover] = await messages('series-v1.mbox');
    const first = await ingest(deps, [p2 as MessageInput]);
    const second = await ingest(deps, [p1 as MessageInput]);
    expect([...first.series, ...second.series]).toEqual([]);
    expect(sink.received).toHaveLength(0);

    const last = await ingest(deps, [cover as MessageInput]);
    expect(last.series).toHaveLength(1);
    expect(last.series[0]).toMatchObject({ key: '20260302090000.2000-0-grace@example.org', verdict: 'mixed', partial: false });
    expect(reviews.list({ source: 'mail' }, 1, 50).total).toBe(1);

    // Patch 1 adds cfg_lock/tbl_lock, patch 2 removes stat_lock/tbl_lock, the cover gets the summary.
    const bySubject = new Map<string, string>();
    for (let i = 0; i < sink.received.length; i++) {
      const m = await sink.parsed(i);
      bySubject.set(m.subject ?? '', m.inReplyTo ?? '');
    }
    expect(bySubject).toEqual(
      new Map([
        ['Re: [PATCH 1/2] foo: reset the table when the mode changes', '<20260302090000.2000-1-grace@example.org>'],
        ['Re: [PATCH 2/2] foo: release stat_lock before taking tbl_lock in stat_reset', '<20260302090000.2000-2-grace@example.org>'],
        ['Re: [PATCH 0/2] foo: mode changes reset the table', '<20260302090000.2000-0-grace@example.org>'],
      ]),
    );
    const patchReply = await sink.parsed(sink.received.findIndex((r) => r.raw.includes('Subject: Re: [PATCH 1/2]')));
    expect(patchReply.references).toEqual(['<20260302090000.2000-0-grace@example.org>', '<20260302090000.2000-1-grace@example.org>']);
  });

  // b4 links revisions by change-id; the v2 reply must say what the respin changed.
  it('reviews a v2 as a new series and says what changed against v1', async () => {
    await ingest(deps, await messages('series-v1.mbox'));
    const v1Mails = sink.received.length;
    const report = await ingest(deps, await messages('series-v2.mbox'));
    expect(report.series).toHaveLength(1);
    expect(report.series[0]?.verdict).toBe('removes-inversion');
    expect(reviews.list({ source: 'mail' }, 1, 50).total).toBe(2);

    const fresh = sink.received.slice(v1Mails);
    const subjects = await Promise.all(fresh.map((_, i) => sink.parsed(v1Mails + i).then((m) => m.subject)));
    // 1/2 no longer changes lock order (no reply); 2/2 still removes one; the cover sums up.
    expect(subjects.sort()).toEqual(['Re: [PATCH v2 0/2] foo: mode changes reset the table', 'Re: [PATCH v2 2/2] foo: release stat_lock before taking tbl_lock in stat_reset']);
    const coverReply = (await Promise.all(fresh.map((_, i) => sink.parsed(v1Mails + i)))).find((m) => m.subject?.includes('0/2'));
    expect(coverReply?.text).toContain('Changes since v1:');
    expect(coverReply?.text).toMatch(/no longer adds the inversion (cfg_lock -> tbl_lock -> cfg_lock|tbl_lock -> cfg_lock -> tbl_lock)/);
    const series = mailStore.allSeries();
    expect(series[1]?.prevSeriesId).toBe(series[0]?.id);
    // v2 is filed under v1's review, so the dashboard's history of the series shows both.
    const rows = reviews.list({ source: 'mail' }, 1, 50).items;
    expect(new Set(rows.map((r) => r.subjectKey)).size).toBe(1);
    expect(reviews.history('mail', rows[0]!.repository, rows[0]!.subjectKey)).toHaveLength(2);
  });

  // Each patch's reply is about that patch: its own hunks quoted, its own verdict; the cover sums up.
  it('quotes and reports only the patch a reply answers, and sums the series up on the cover', async () => {
    await ingest(deps, await messages('series-v1.mbox'));
    const all = await Promise.all(sink.received.map((_, i) => sink.parsed(i)));
    const text = (n: string): string => all.find((m) => m.subject?.includes(n))?.text ?? '';
    // 1/2 touches cfg_set and tbl_reconfigure; 2/2 touches stat_reset only.
    expect(text('1/2')).toContain('This patch adds the lock-order inversion cfg_lock <-> tbl_lock.');
    expect(text('1/2')).not.toContain('stat_reset');
    expect(text('2/2')).toContain('This patch removes the lock-order inversion stat_lock <-> tbl_lock.');
    expect(text('2/2')).not.toContain('cfg_set');
    expect(text('2/2')).not.toMatch(/^> @@ -38/m);
    expect(text('0/2')).toContain('Patch by patch:\n  1/2 adds cfg_lock -> tbl_lock, closing cfg_lock <-> tbl_lock\n  2/2 removes stat_lock -> tbl_lock, breaking stat_lock <-> tbl_lock');
    expect(text('0/2')).not.toContain('WARNING:');
  });

  // Private first: the author hears about it before the list does.
  it('sends the report to the author only with audience: author, and links Closes: to the reply in the archive', async () => {
    deps = makeDeps({ audience: 'author', archiveUrl: 'https://lore.example.org/all/' });
    await ingest(deps, await messages('series-v1.mbox'));
    const i = sink.received.findIndex((r) => r.raw.includes('Subject: Re: [PATCH 1/2]'));
    expect(sink.received[i]?.envelope.to).toEqual(['grace@example.org']);
    const reply = await sink.parsed(i);
    expect(reply.cc).toBeUndefined();
    expect(reply.text).toContain(`| Reported-by: lockscope <lockscope@bot.example.org>\n| Closes: https://lore.example.org/all/${reply.messageId?.replace(/^<|>$/g, '')}/`);
    expect(reply.text).toContain('Base: dir base (the directory given with --base).');
  });

  // Review discussion must never trigger the bot.
  it('records a reply mail and skips it without replying', async () => {
    const report = await ingest(deps, await messages('reply.eml'));
    expect(report.messages[0]).toMatchObject({ status: 'skipped', reason: 'a reply in a thread, not a patch' });
    expect(mailStore.message('mae-0301-1@example.org')?.skipReason).toBe('a reply in a thread, not a patch');
    expect(sink.received).toHaveLength(0);
  });

  // A patch against a different tree: the author is told (or not, per config), the review is failed.
  it('tells the author when a patch does not apply, or only records it with onApplyFailure: record', async () => {
    const report = await ingest(deps, await messages('no-apply.eml'));
    expect(report.series[0]?.verdict).toBe('error');
    expect(reviews.get(report.series[0]?.reviewId as number)?.status).toBe('failed');
    expect(sink.received).toHaveLength(1);
    const note = await sink.parsed(0);
    expect(note.subject).toBe('Re: [PATCH] foo: release stat_lock early in stat_reset');
    expect(note.text).toMatch(/^lockscope could not review this patch: /);

    const quiet = makeDeps({ onApplyFailure: 'record' });
    const raw = (await fixture('no-apply.eml')).replace(/1002-1-ada/g, '1002-2-ada');
    const second = await ingest(quiet, [{ source: 'again', raw }]);
    quiet.mailer.close();
    expect(second.series[0]?.verdict).toBe('error');
    expect(reviews.get(second.series[0]?.reviewId as number)?.status).toBe('failed');
    expect(sink.received).toHaveLength(1);
  });

  // Lists deliver the same mail twice (cross-posting, MTA retries): one reply, ever.
  it('does not reply twice to a duplicate delivery', async () => {
    await ingest(deps, await messages('single-fix.eml'));
    const again = await ingest(deps, await messages('single-fix.eml'));
    expect(again.messages[0]?.status).toBe('duplicate');
    expect(again.series).toEqual([]);
    expect(sink.received).toHaveLength(1);
    expect(reviews.list({ source: 'mail' }, 1, 50).total).toBe(1);
  });

  // The MTA is down during ingest: nothing is lost, and flush sends the reply exactly once.
  it('queues the reply through an SMTP outage and sends it once when flushed after recovery', async () => {
    await sink.stop();
    const report = await ingest(deps, await messages('single-fix.eml'));
    expect(report.series[0]?.replies[0]?.status).toBe('queued');
    const queued = mailStore.replies();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ status: 'queued', attempts: 1 });
    expect(queued[0]?.lastError).toMatch(/ECONNREFUSED|connect/i);

    await sink.start();
    // Not due yet: backoff holds it.
    expect((await flush(deps, false)).flushed.sent).toEqual([]);
    clock += 60_000;
    const flushed = await flush(deps, false);
    expect(flushed.flushed.sent).toEqual([queued[0]?.messageId]);
    clock += 3600_000;
    expect((await flush(deps, false)).flushed.sent).toEqual([]);
    expect(sink.received).toHaveLength(1);
    expect((await sink.parsed(0)).messageId).toBe(queued[0]?.messageId);
    expect(mailStore.replies()[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  // Thunderbird-style format=flowed mangles context lines: refuse with a reason, tell the author.
  it('skips a format=flowed patch with a reason and sends a short note', async () => {
    const report = await ingest(deps, await messages('flowed.eml'));
    expect(report.messages[0]?.status).toBe('skipped');
    expect(report.messages[0]?.reason).toMatch(/format=flowed/);
    expect(report.series).toEqual([]);
    expect(reviews.list({ source: 'mail' }, 1, 50).total).toBe(0);
    expect(sink.received).toHaveLength(1);
    const note = await sink.parsed(0);
    expect(note.subject).toBe('Re: [PATCH] foo: drop stat_lock before tbl_lock');
    expect(note.text).toMatch(/format=flowed/);

    const silent = makeDeps({ problemNotes: false });
    await ingest(silent, [{ source: 'x', raw: (await fixture('flowed.eml')).replace('1003-1-ada', '1003-2-ada') }]);
    silent.mailer.close();
    expect(sink.received).toHaveLength(1);
  });

  // One broken message in a mailbox must not stop the others.
  it('goes on past a malformed message in an mbox', async () => {
    const report = await ingest(deps, await messages('mixed.mbox'));
    expect(report.messages.map((m) => m.status)).toEqual(['filed', 'skipped', 'filed']);
    expect(report.messages[1]?.reason).toMatch(/no diff/);
    expect(report.series.map((s) => s.verdict)).toEqual(['removes-inversion', 'no-change']);
    expect(mailStore.messages()).toHaveLength(3);
    // Only the patch that changes lock order gets a reply; the no-change one stays silent.
    expect(sink.received).toHaveLength(1);
  });

  // A parser bug on one message is recorded against that message, not a crash of the run.
  it('records a message the parser throws on, and goes on', async () => {
    const throwing = { ...deps, parse: async (raw: string) => (raw.includes('THROW') ? Promise.reject(new Error('boom')) : parsePatchMessage(raw)) };
    const report = await ingest(throwing, [{ source: 'bad', raw: 'Subject: THROW\n\nx\n' }, ...(await messages('single-fix.eml'))]);
    expect(report.messages.map((m) => m.status)).toEqual(['skipped', 'filed']);
    expect(report.messages[0]?.reason).toBe('could not parse the message: boom');
    expect(mailStore.messages()[0]?.raw).toBe('Subject: THROW\n\nx\n');
  });

  // A part lost in transit: after the timeout the series is reviewed as it is, saying what is missing.
  it('reviews an incomplete series after the timeout with a note about the missing part', async () => {
    const [p2, , cover] = await messages('series-v1.mbox');
    await ingest(deps, [p2 as MessageInput, cover as MessageInput]);
    expect(sink.received).toHaveLength(0);
    clock += 59 * 60_000;
    expect((await flush(deps, true)).series).toEqual([]);
    clock += 2 * 60_000;
    const swept = await flush(deps, true);
    expect(swept.series).toHaveLength(1);
    expect(swept.series[0]).toMatchObject({ partial: true, verdict: 'removes-inversion' });
    const summary = (await Promise.all(sink.received.map((_, i) => sink.parsed(i)))).find((m) => m.subject?.includes('0/2'));
    expect(summary?.text).toContain('Note: part 1/2 did not arrive in time');
    // The late part is recorded and skipped, not reviewed into a finished series.
    const late = await ingest(deps, [(await messages('series-v1.mbox'))[1] as MessageInput]);
    expect(late.messages[0]?.status).toBe('late');
  });
});

describe('mail ingest: kernelConfig', () => {
  /** The fixture base with one more file. */
  const withFile = (path: string, text: string): BaseTree => {
    const tree = fixtureTree(`${FIXTURES}base`);
    return { ...tree, read: async (p) => (p === path ? text : tree.read(p)), describe: () => tree.describe() };
  };

  it('reviews for the build the configured defconfig in the base describes, and says so', async () => {
    deps = { ...makeDeps({ kernelConfig: 'configs/foo_defconfig' }), base: fixedBaseSource(withFile('configs/foo_defconfig', 'CONFIG_FOO=y\n')) };
    const report = await ingest(deps, await messages('single-fix.eml'));
    expect(report.series[0]?.verdict).toBe('removes-inversion');
    expect(reviews.get(report.series[0]?.reviewId as number)?.review?.json.context?.config).toBe('configs/foo_defconfig');
    const reply = await sink.parsed(0);
    expect(reply.text).toContain('Configuration: configs/foo_defconfig (#ifdef CONFIG_ follows it).');
  });

  it('a kernelConfig the base lacks fails the review on our side, recorded with the reason, and sends nothing', async () => {
    deps = makeDeps({ kernelConfig: 'configs/missing_defconfig' });
    const report = await ingest(deps, await messages('single-fix.eml'));
    expect(report.series[0]?.verdict).toBe('error');
    expect(sink.received).toHaveLength(0);
    const row = reviews.get(report.series[0]?.reviewId as number);
    expect(row?.status).toBe('failed');
    expect(JSON.stringify(row)).toContain('kernelConfig configs/missing_defconfig is not a file in the base');
  });
});
