import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildReply, replyMessageId, replySubject, type ReplyOptions, type ReplyTarget } from '../../src/mail/reply.ts';

const target: ReplyTarget = {
  messageId: '<20260301100000.1001-1-ada@example.org>',
  subject: '[PATCH] foo: release stat_lock before taking tbl_lock in stat_reset',
  from: { name: 'Ada Lovelace', address: 'ada@example.org' },
  to: ['linux-foo@lists.example.org'],
  cc: ['mae@example.org', 'lockscope@example.org'],
  references: ['<root@example.org>'],
};

const options: ReplyOptions = {
  from: 'lockscope <lockscope@example.org>',
  messageIdDomain: null,
  list: 'linux-foo@lists.example.org',
  ccList: true,
  ccOriginal: true,
  wrapColumn: 72,
  reviewId: 7,
  date: new Date(Date.UTC(2026, 2, 1, 10, 5, 0)),
};

function built(t: ReplyTarget = target, body = 'Looks fine.\n', o: ReplyOptions = options) {
  const r = buildReply(t, body, o);
  if (!r.ok) throw new Error(r.reason);
  return r.mail;
}

describe('buildReply', () => {
  // Kernel robots reply in the patch's thread; patchwork files a diff-carrying mail without Re: as a new patch.
  it('threads the reply under the patch: Re: subject, In-Reply-To, References, To author, Cc list and original Cc', async () => {
    const mail = built();
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe('Re: [PATCH] foo: release stat_lock before taking tbl_lock in stat_reset');
    expect(parsed.inReplyTo).toBe('<20260301100000.1001-1-ada@example.org>');
    expect(parsed.references).toEqual(['<root@example.org>', '<20260301100000.1001-1-ada@example.org>']);
    expect(parsed.messageId).toBe(mail.messageId);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : null).toEqual(['ada@example.org']);
    // The bot's own address, Cc'd on the patch, is not Cc'd back.
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.value.map((a) => a.address) : null).toEqual(['linux-foo@lists.example.org', 'mae@example.org']);
    expect(parsed.headers.get('x-lockscope-review')).toBe('7');
    expect(parsed.headers.get('x-mailer')).toMatch(/^lockscope/);
    expect(parsed.date?.toISOString()).toBe('2026-03-01T10:05:00.000Z');
    expect(mail.envelope).toEqual({ from: 'lockscope@example.org', to: ['ada@example.org', 'linux-foo@lists.example.org', 'mae@example.org'] });
  });

  // A resend (crash after send, re-ingest) must be recognisable as the same mail.
  it('derives the Message-ID from the id replied to, so the same reply always has the same id', () => {
    expect(built().messageId).toBe(built(target, 'different body').messageId);
    expect(replyMessageId('<a@b>', 'x.org')).toBe(replyMessageId('a@b', 'x.org'));
    expect(replyMessageId('<a@b>', 'x.org')).not.toBe(replyMessageId('<c@b>', 'x.org'));
    expect(built().messageId).toMatch(/^<lockscope-[0-9a-f]{24}@example\.org>$/);
  });

  // Replying to a reply must not produce "Re: Re: Re:".
  it('adds Re: once', () => {
    expect(replySubject('Re: [PATCH] x')).toBe('Re: [PATCH] x');
    expect(replySubject('[PATCH v2 1/2] x')).toBe('Re: [PATCH v2 1/2] x');
  });

  it('leaves the list and original Cc off when configured so', async () => {
    const parsed = await simpleParser(built(target, 'x\n', { ...options, ccList: false, ccOriginal: false }).raw);
    expect(parsed.cc).toBeUndefined();
  });

  // Kernel developers quote and apply from these mails: no quoted-printable, no format=flowed.
  it('sends plain 7bit for ASCII and 8bit UTF-8 otherwise, never flowed or quoted-printable', async () => {
    expect(built().raw).toMatch(/Content-Type: text\/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit/);
    const utf = built({ ...target, from: { name: 'Zoë Ångström', address: 'zoe@example.org' } }, 'Hi Zoë,\n\n\tspin_lock(&a);\n');
    expect(utf.raw).toMatch(/charset=utf-8\r\nContent-Transfer-Encoding: 8bit/);
    expect(utf.raw).not.toMatch(/flowed|quoted-printable/i);
    const parsed = await simpleParser(utf.raw);
    expect(parsed.text).toBe('Hi Zoë,\n\n\tspin_lock(&a);\n');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.name : null).toBe('Zoë Ångström');
  });

  // A patch with a broken From: still gets its review to the list rather than nowhere.
  it('addresses the list when the author has no address, and refuses when there is no one at all', () => {
    expect(built({ ...target, from: null }).envelope.to[0]).toBe('linux-foo@lists.example.org');
    const none = buildReply({ ...target, from: null, to: [], cc: [] }, 'x', { ...options, list: null });
    expect(none.ok).toBe(false);
    expect(buildReply(target, 'x', { ...options, from: 'nobody' }).ok).toBe(false);
  });

  it('folds a long References header instead of writing one huge line', () => {
    const refs = Array.from({ length: 12 }, (_, i) => `<20260301100000.${i}-1-someone@example.org>`);
    const raw = built({ ...target, references: refs }).raw;
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(head).toMatch(/^References: <[^\r]+\r\n <20260301100000/m);
  });
});
