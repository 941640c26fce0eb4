import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitMbox } from '../../src/diff/mbox.ts';
import { MAX_MESSAGE_BYTES, parsePatchMessage } from '../../src/diff/patch-message.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/patches/${name}`, import.meta.url), 'utf8');

describe('parsePatchMessage', () => {
  it('reads a format-patch mail: headers, commit message, byte-exact diff', async () => {
    const msg = await parsePatchMessage(fixture('single-patch.eml'));
    expect(msg).toMatchObject({
      kind: 'patch',
      subject: '[PATCH] demo: take widget_lock first',
      messageId: '<p1.1700000000.git.dev@example.org>',
      inReplyTo: '<cover.1700000000.git.dev@example.org>',
      references: ['<cover.1700000000.git.dev@example.org>'],
      from: { name: 'Dana Developer', address: 'dana@example.org' },
      to: ['demo-list@example.org'],
      cc: ['m1@example.org', 'm2@example.org'],
      date: '2024-01-01T09:00:01.000Z',
      problem: null,
    });
    expect(msg.commitMessage).toBe(
      'Take widget_lock before stats_lock everywhere, the order the rest of the\ndriver documents.\n\nSigned-off-by: Dana Developer <dana@example.org>',
    );
    const body = fixture('single-patch.eml');
    const expected = body.slice(body.indexOf('diff --git'), body.indexOf('-- \n2.43.0'));
    expect(msg.diff).toBe(expected);
    expect(msg.diff).toContain('\tspin_lock(&widget_lock);\n');
  });

  it('reads base-commit and the b4 change-id from a cover letter, and classifies it as cover', async () => {
    const [, cover] = splitMbox(fixture('series-v2-shuffled.mbox'));
    const msg = await parsePatchMessage(cover!);
    expect(msg).toMatchObject({
      kind: 'cover',
      baseCommit: '0123456789abcdef0123456789abcdef01234567',
      changeId: '20240101-demo-lock-order-0a1b2c3d4e5f',
      tags: { version: 2, index: 0, total: 3 },
      diff: null,
    });
  });

  it('stops the diff before base-commit:', async () => {
    const [, , last] = splitMbox(fixture('series-v2-shuffled.mbox'));
    const msg = await parsePatchMessage(last!);
    expect(msg.baseCommit).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(msg.diff).not.toContain('base-commit');
    expect(msg.diff!.endsWith(' }\n\n')).toBe(true);
  });

  // A reviewer's reply quotes the diff and even proposes another: it is never a new patch.
  it('classifies a Re: mail with a quoted (and an unquoted) diff as a reply, with references as an array', async () => {
    const msg = await parsePatchMessage(fixture('reply-quoting-diff.eml'));
    expect(msg.kind).toBe('reply');
    expect(msg.problem).toBeNull();
    expect(msg.references).toEqual(['<cover.1700000000.git.dev@example.org>', '<p1.1700000000.git.dev@example.org>']);
  });

  // Thunderbird's default: context lines lose their leading space, so the diff no longer applies.
  it('flags a format=flowed patch and keeps no diff', async () => {
    const msg = await parsePatchMessage(fixture('flowed-patch.eml'));
    expect(msg.kind).toBe('patch');
    expect(msg.diff).toBeNull();
    expect(msg.problem).toMatch(/format=flowed/);
  });

  it('says so when the patch is only an attachment', async () => {
    const msg = await parsePatchMessage(fixture('attachment-only.eml'));
    expect(msg.kind).toBe('patch');
    expect(msg.diff).toBeNull();
    expect(msg.problem).toMatch(/attachment only \(0001-demo-fix\.patch\)/);
  });

  it('flags HTML-only mail', async () => {
    const msg = await parsePatchMessage(fixture('html-only.eml'));
    expect(msg.diff).toBeNull();
    expect(msg.problem).toMatch(/HTML-only/);
  });

  it('flags a charset nobody can decode', async () => {
    const msg = await parsePatchMessage(fixture('bad-charset.eml'));
    expect(msg.diff).toBeNull();
    expect(msg.problem).toMatch(/x-made-up-charset/);
  });

  it('flags a patch whose 8-bit body is not valid UTF-8 as declared', async () => {
    const head = 'From: a@example.org\r\nSubject: [PATCH] x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n';
    const diff = '---\r\ndiff --git a/x.c b/x.c\r\n--- a/x.c\r\n+++ b/x.c\r\n@@ -1 +1 @@\r\n-a\r\n+caf\xe9\r\n';
    const msg = await parsePatchMessage(Buffer.concat([Buffer.from(head), Buffer.from(diff, 'latin1')]));
    expect(msg.problem).toMatch(/not valid in the declared charset/);
  });

  it('accepts a Buffer and keeps the raw text', async () => {
    const raw = fixture('single-patch.eml');
    const msg = await parsePatchMessage(Buffer.from(raw));
    expect(msg.raw).toBe(raw);
    expect(msg.kind).toBe('patch');
  });

  it('never throws on garbage: kind other, and a PATCH subject without a diff says so', async () => {
    expect((await parsePatchMessage('')).kind).toBe('other');
    expect((await parsePatchMessage('\u0000\u0001 not a mail at all')).kind).toBe('other');
    const noDiff = await parsePatchMessage('Subject: [PATCH] nothing here\n\nJust words.\n');
    expect(noDiff).toMatchObject({ kind: 'other', commitMessage: 'Just words.' });
    expect(noDiff.problem).toMatch(/no diff/);
  });

  // A hostile or broken sender: a 50 MB body on one line. It is refused by size before parsing.
  it('refuses a 50 MB message without parsing it, and parses an 8 MB single-line body', async () => {
    const huge = `Subject: [PATCH] big\n\n${'x'.repeat(50 * 1024 * 1024)}`;
    const msg = await parsePatchMessage(huge);
    expect(msg.kind).toBe('other');
    expect(msg.problem).toMatch(new RegExp(`more than the ${MAX_MESSAGE_BYTES / 1048576} MiB`));
    expect(msg.raw.length).toBeLessThanOrEqual(4096);
    expect(msg.subject).toBe('[PATCH] big');
    const big = await parsePatchMessage(`Subject: [PATCH] big\n\n${'y'.repeat(8 * 1024 * 1024)}`);
    expect(big.kind).toBe('other');
    expect(big.commitMessage.length).toBe(8 * 1024 * 1024);
  });
});
