import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDiffText } from '../../src/diff/parse-diff-text.ts';
import type { FilePatch } from '../../src/diff/types.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/patches/${name}`, import.meta.url), 'utf8');

function files(text: string): FilePatch[] {
  const r = parseDiffText(text);
  if (!r.ok) throw new Error(r.reason);
  return r.files;
}

describe('parseDiffText', () => {
  it('reads a plain git diff with a/ b/ prefixes stripped', () => {
    const [f] = files('diff --git a/x.c b/x.c\nindex 1..2 100644\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@ int f(void)\n a\n-b\n+c\n');
    expect(f).toEqual({
      oldPath: 'x.c',
      newPath: 'x.c',
      status: 'modified',
      binary: false,
      hunks: [
        {
          oldStart: 1,
          oldLines: 2,
          newStart: 1,
          newLines: 2,
          header: '@@ -1,2 +1,2 @@ int f(void)',
          lines: [
            { op: ' ', text: 'a' },
            { op: '-', text: 'b' },
            { op: '+', text: 'c' },
          ],
          oldNoNewline: false,
          newNoNewline: false,
        },
      ],
    });
  });

  // A hand-edited patch whose @@ counts promise one line too many: parse-diff alone swallows the
  // next `diff --git` line as context and silently loses the second file.
  it('fails on a hunk header with wrong counts before another file, naming file and hunk', () => {
    const r = parseDiffText(fixture('wrong-counts-before-next-file.diff'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toContain('drivers/demo/widget.c');
    expect(r.reason).toContain('hunk 1');
    expect(r.reason).toContain('diff --git a/drivers/demo/widget.h');
  });

  it('fails when a hunk has more lines than its header says', () => {
    const r = parseDiffText('--- a/x.c\n+++ b/x.c\n@@ -1,1 +1,1 @@\n-a\n+b\n+c\n');
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toMatch(/x\.c: line 6 "\+c" follows hunk 1/);
  });

  it('fails on a patch truncated inside a hunk', () => {
    const r = parseDiffText('--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/x\.c: hunk 1 .* end of the input/);
  });

  it('reads renames with and without hunks, new, deleted, mode-only and binary files', () => {
    const fs = files(fixture('rename-new-delete.diff'));
    expect(fs.map((f) => [f.status, f.oldPath, f.newPath, f.binary, f.hunks.length])).toEqual([
      ['renamed', 'drivers/demo/old_name.c', 'drivers/demo/new_name.c', false, 1],
      ['renamed', 'drivers/demo/moved.h', 'drivers/demo/include/moved.h', false, 0],
      ['added', null, 'drivers/demo/fresh.c', false, 1],
      ['deleted', 'drivers/demo/gone.c', null, false, 1],
      ['modified', 'scripts/run.sh', 'scripts/run.sh', false, 0],
      ['modified', 'firmware/blob.bin', 'firmware/blob.bin', true, 0],
      ['added', null, 'docs/logo.png', true, 0],
    ]);
  });

  it('reads `diff -u` output: no prefixes, tab-separated dates, quoted names, junk between files', () => {
    const fs = files(fixture('plain-diff-u.diff'));
    expect(fs.map((f) => [f.status, f.oldPath, f.newPath])).toEqual([
      ['modified', 'demo.c', 'demo.c'],
      ['modified', 'with space.c', 'with space.c'],
    ]);
    expect(fs[0]!.hunks[0]!.lines.filter((l) => l.op === '+')).toEqual([{ op: '+', text: '\tspin_lock(&b);' }]);
  });

  it('sets oldNoNewline and newNoNewline from `\\ No newline at end of file`', () => {
    const [tail, head] = files(fixture('no-newline-both-ways.diff'));
    expect([tail!.hunks[0]!.oldNoNewline, tail!.hunks[0]!.newNoNewline]).toEqual([true, false]);
    expect([head!.hunks[0]!.oldNoNewline, head!.hunks[0]!.newNoNewline]).toEqual([false, true]);
    expect(tail!.hunks[0]!.lines).toHaveLength(3);
  });

  it('keeps an empty line inside a hunk as context (a mailer trimmed its space)', () => {
    const [f] = files('--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n');
    expect(f!.hunks[0]!.lines[1]).toEqual({ op: ' ', text: '' });
  });

  it('ends the diff at a mail signature and ignores the commit message before it', () => {
    const text = 'Subject: x\n\nFix a thing.\n---\n x.c | 2 +-\n\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n-- \n2.43.0\n';
    expect(files(text)).toHaveLength(1);
  });

  it('reads --no-prefix git diffs without eating the first directory', () => {
    const [f] = files('diff --git drivers/x.c drivers/x.c\n--- drivers/x.c\n+++ drivers/x.c\n@@ -1 +1 @@\n-a\n+b\n');
    expect(f!.newPath).toBe('drivers/x.c');
  });

  it('keeps \\r in the lines of a CRLF file', () => {
    const [f] = files('--- a/w.c\n+++ b/w.c\n@@ -1 +1 @@\n-a\r\n+b\r\n');
    expect(f!.hunks[0]!.lines).toEqual([
      { op: '-', text: 'a\r' },
      { op: '+', text: 'b\r' },
    ]);
  });

  it('refuses copies, hunks without a file, and input without any diff', () => {
    expect(parseDiffText('diff --git a/x b/y\nsimilarity index 90%\ncopy from x\ncopy to y\n')).toMatchObject({ ok: false });
    expect(parseDiffText('@@ -1 +1 @@\n-a\n+b\n')).toMatchObject({ ok: false });
    expect(parseDiffText('just some words\n')).toEqual({ ok: false, reason: 'no diff found' });
  });

  // A hostile mail body: one 50 MB line. The scanner is linear and never runs a regex over it.
  it('returns quickly on a 50 MB single-line input', () => {
    expect(parseDiffText('@'.repeat(50 * 1024 * 1024))).toEqual({ ok: false, reason: 'no diff found' });
    expect(parseDiffText(`diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@ ${'a/'.repeat(1024 * 1024)}\n-a\n+b\n`).ok).toBe(true);
  });
});
