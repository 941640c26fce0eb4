import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyHunks, PatchApplyError, UnsafePathError } from '../../src/diff/apply.ts';
import { parseDiffText } from '../../src/diff/parse-diff-text.ts';
import type { FilePatch } from '../../src/diff/types.ts';

function parse(text: string): FilePatch[] {
  const r = parseDiffText(text);
  if (!r.ok) throw new Error(r.reason);
  return r.files;
}
const one = (text: string): FilePatch => parse(text)[0]!;
const lines = (n: number, prefix = 'line'): string => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');

describe('applyHunks', () => {
  it('applies a hunk where its header says', () => {
    const patch = one('--- a/f.c\n+++ b/f.c\n@@ -2,3 +2,3 @@\n line 2\n-line 3\n+LINE THREE\n line 4\n');
    expect(applyHunks(lines(5), patch)).toEqual({ ok: true, content: 'line 1\nline 2\nLINE THREE\nline 4\nline 5\n' });
  });

  // The base gained lines above the change since the patch was made (a patch against an older tree).
  it('applies a hunk at an offset, and shifts later hunks by that offset', () => {
    const patch = one(
      '--- a/f.c\n+++ b/f.c\n@@ -2,3 +2,3 @@\n line 2\n-line 3\n+LINE THREE\n line 4\n@@ -10,3 +10,4 @@\n line 10\n line 11\n+inserted\n line 12\n',
    );
    const base = 'new 1\nnew 2\nnew 3\n' + lines(14);
    const r = applyHunks(base, patch);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const out = r.content!.split('\n');
    expect(out.slice(0, 7)).toEqual(['new 1', 'new 2', 'new 3', 'line 1', 'line 2', 'LINE THREE', 'line 4']);
    expect(out.slice(13, 17)).toEqual(['line 11', 'inserted', 'line 12', 'line 13']);
  });

  it('searches upwards too when the base lost lines above the change', () => {
    const patch = one('--- a/f.c\n+++ b/f.c\n@@ -8,3 +8,3 @@\n line 8\n-line 9\n+nine\n line 10\n');
    const base = lines(12).replace('line 2\nline 3\n', '');
    const r = applyHunks(base, patch);
    expect(r.ok && r.content!.split('\n')[6]).toBe('nine');
  });

  it('refuses a hunk whose context matches nowhere, naming file and hunk, without a partial result', () => {
    const patch = one('--- a/drivers/x.c\n+++ b/drivers/x.c\n@@ -1,3 +1,3 @@\n line 1\n-line 2\n+two\n line 3\n@@ -4,3 +4,3 @@\n line 4\n-line five\n+five\n line 6\n');
    const r = applyHunks(lines(6), patch);
    expect(r).toMatchObject({ ok: false, hunk: 2 });
    if (!r.ok) {
      expect(r.reason).toContain('drivers/x.c: hunk 2 (@@ -4,3 +4,3 @@)');
      expect(r.reason).toContain('line 5 is "line 5" where the patch expects "line five"');
    }
  });

  it('refuses a hunk pinned to the start of the file when the file has lines above it', () => {
    const patch = one('--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n line 1\n-line 2\n+two\n line 3\n'.replace('-1,2 +1,2', '-1,3 +1,3'));
    expect(applyHunks('header\n' + lines(4), patch)).toMatchObject({ ok: false, hunk: 1 });
  });

  it('creates a new file and deletes an existing one only when it matches whole', () => {
    const [created, deleted] = parse(
      'diff --git a/n.c b/n.c\nnew file mode 100644\n--- /dev/null\n+++ b/n.c\n@@ -0,0 +1,2 @@\n+a\n+b\n' +
        'diff --git a/d.c b/d.c\ndeleted file mode 100644\n--- a/d.c\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n',
    );
    expect(applyHunks(undefined, created!)).toEqual({ ok: true, content: 'a\nb\n' });
    expect(applyHunks('old\n', created!)).toMatchObject({ ok: false, hunk: 0 });
    expect(applyHunks('x\ny\n', deleted!)).toEqual({ ok: true, content: undefined });
    expect(applyHunks('x\ny\nz\n', deleted!)).toMatchObject({ ok: false });
    expect(applyHunks(undefined, deleted!)).toMatchObject({ ok: false, hunk: 0 });
  });

  it('handles `\\ No newline at end of file` both ways', () => {
    const [tail, head] = parse(readFileSync(new URL('../fixtures/patches/no-newline-both-ways.diff', import.meta.url), 'utf8'));
    expect(applyHunks('int tail;\nint last = 1;', tail!)).toEqual({ ok: true, content: 'int tail;\nint last = 2;\n' });
    expect(applyHunks('int head;\nint first = 1;\n', head!)).toEqual({ ok: true, content: 'int head;\nint first = 2;' });
    // The patch says the old file has no final newline: a file that has one is a different file.
    expect(applyHunks('int tail;\nint last = 1;\n', tail!)).toMatchObject({ ok: false, hunk: 1 });
  });

  it('keeps a CRLF file CRLF, added lines included', () => {
    const patch = one('--- a/w.c\n+++ b/w.c\n@@ -1,2 +1,3 @@\n a\r\n+new\r\n b\r\n');
    expect(applyHunks('a\r\nb\r\n', patch)).toEqual({ ok: true, content: 'a\r\nnew\r\nb\r\n' });
    // The same change sent LF-only (a mail client stripped the CRs) still applies to the CRLF file.
    const lf = one('--- a/w.c\n+++ b/w.c\n@@ -1,2 +1,3 @@\n a\n+new\n b\n');
    expect(applyHunks('a\r\nb\r\n', lf)).toEqual({ ok: true, content: 'a\r\nnew\r\nb\r\n' });
  });

  it('applies a patch a mailer turned into CRLF to an LF file, keeping LF', () => {
    const patch = one('--- a/f.c\r\n+++ b/f.c\r\n@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c\r\n');
    expect(applyHunks('a\nb\n', patch)).toEqual({ ok: true, content: 'a\nc\n' });
  });

  it('refuses binary patches as a value', () => {
    expect(applyHunks('x', { oldPath: 'b.bin', newPath: 'b.bin', status: 'modified', binary: true, hunks: [] })).toMatchObject({ ok: false, hunk: 0 });
  });

  it('exports error classes with stable codes for callers that throw', () => {
    expect(new PatchApplyError('no', 'x.c', 2)).toMatchObject({ code: 'PATCH_APPLY', file: 'x.c', hunk: 2 });
    expect(new UnsafePathError('no', '../x')).toMatchObject({ code: 'UNSAFE_PATH' });
    expect(new PatchApplyError('no')).toBeInstanceOf(Error);
  });

  // A 20,000-line hunk (a generated table) must not overflow the stack, as jsdiff's recursion would.
  it('applies a very large hunk', () => {
    const n = 20000;
    const body = Array.from({ length: n }, (_, i) => `-old ${i}\n+new ${i}\n`).join('');
    const patch = one(`--- a/t.c\n+++ b/t.c\n@@ -1,${n} +1,${n} @@\n${body}`);
    const base = Array.from({ length: n }, (_, i) => `old ${i}\n`).join('');
    const r = applyHunks(base, patch);
    expect(r.ok && r.content!.endsWith(`new ${n - 1}\n`)).toBe(true);
  });
});
