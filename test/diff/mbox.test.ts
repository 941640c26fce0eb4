import { describe, expect, it } from 'vitest';
import { splitMbox } from '../../src/diff/mbox.ts';

const sep = (sha: string): string => `From ${sha.repeat(40).slice(0, 40)} Mon Sep 17 00:00:00 2001\n`;

describe('splitMbox', () => {
  it('splits git format-patch output on its From lines', () => {
    const mbox = `${sep('a')}Subject: [PATCH 1/2] one\n\nbody one\n\n${sep('b')}Subject: [PATCH 2/2] two\n\nbody two\n`;
    expect(splitMbox(mbox)).toEqual(['Subject: [PATCH 1/2] one\n\nbody one\n\n', 'Subject: [PATCH 2/2] two\n\nbody two\n']);
  });

  // mboxrd escapes every `^>*From ` body line with one more `>`; unescaping removes exactly one.
  it('unescapes >From and >>From lines (mboxrd)', () => {
    const mbox = `From someone@example.org Thu Jan  4 10:00:00 2024\nSubject: x\n\n>From the datasheet:\n>>From quoted\nplain\n`;
    expect(splitMbox(mbox)).toEqual(['Subject: x\n\nFrom the datasheet:\n>From quoted\nplain\n']);
  });

  it('does not split on a body line that merely starts with "From "', () => {
    const mbox = `${sep('c')}Subject: x\n\nFrom the spec we learn things.\nmore\n`;
    expect(splitMbox(mbox)).toHaveLength(1);
  });

  it('returns a text without a leading From line as one message', () => {
    const mail = 'From: a@example.org\nSubject: [PATCH] x\n\nbody\n';
    expect(splitMbox(mail)).toEqual([mail]);
    expect(splitMbox('diff --git a/x b/x\n')).toEqual(['diff --git a/x b/x\n']);
  });

  it('handles CRLF mbox files', () => {
    const mbox = `From a@b Thu Jan  4 10:00:00 2024\r\nSubject: one\r\n\r\nx\r\nFrom a@b Thu Jan  4 10:01:00 2024\r\nSubject: two\r\n\r\ny\r\n`;
    expect(splitMbox(mbox)).toEqual(['Subject: one\r\n\r\nx\r\n', 'Subject: two\r\n\r\ny\r\n']);
  });
});
