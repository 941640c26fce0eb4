import { describe, expect, it } from 'vitest';
import { parseDiffText } from '../../src/diff/parse-diff-text.ts';
import { Snapshot } from '../../src/diff/snapshot.ts';
import type { Patch } from '../../src/diff/types.ts';
import { MemoryTree } from './memory-tree.ts';

function patch(diff: string, subject: string | null = null): Patch {
  const r = parseDiffText(diff);
  if (!r.ok) throw new Error(r.reason);
  return { subject, messageId: null, author: null, commitMessage: '', baseCommit: null, files: r.files };
}

const base = (): MemoryTree =>
  new MemoryTree({
    'drivers/demo/widget.c': '#include "widget.h"\n#include "../common/lock.h"\nint a;\nint b;\n',
    'drivers/demo/widget.h': '#include "types.h"\nint widget(void);\n',
    'drivers/demo/other.c': 'int other;\n',
    'drivers/demo/README': 'not C\n',
    'drivers/common/lock.h': '#include "linux/deep.h"\n',
    'include/types.h': 'typedef int t;\n',
    'include/linux/deep.h': '/* deep */\n',
    'drivers/demo/old.c': 'int old;\n',
    'lib/unrelated.c': 'int u;\n',
  });

describe('Snapshot', () => {
  it('reads lazily from the base and memoizes', async () => {
    const tree = base();
    const s = Snapshot.fromBase(tree);
    expect(await s.read('drivers/demo/other.c')).toBe('int other;\n');
    expect(await s.read('./drivers/demo/other.c')).toBe('int other;\n');
    expect(tree.reads.filter((p) => p === 'drivers/demo/other.c')).toHaveLength(1);
    expect(await s.read('missing.c')).toBeUndefined();
  });

  it('applies a patch into a new snapshot and leaves the old one (and the base) alone', async () => {
    const before = Snapshot.fromBase(base());
    const r = await before.apply(patch('--- a/drivers/demo/widget.c\n+++ b/drivers/demo/widget.c\n@@ -3,2 +3,2 @@\n int a;\n-int b;\n+int c;\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.touched).toEqual(['drivers/demo/widget.c']);
    expect(await r.snapshot.read('drivers/demo/widget.c')).toMatch(/int c;\n$/);
    expect(await before.read('drivers/demo/widget.c')).toMatch(/int b;\n$/);
  });

  it('moves content on rename, hides deleted files, creates new ones', async () => {
    const diff =
      'diff --git a/drivers/demo/old.c b/drivers/demo/new.c\nsimilarity index 100%\nrename from drivers/demo/old.c\nrename to drivers/demo/new.c\n' +
      'diff --git a/drivers/demo/other.c b/drivers/demo/other.c\ndeleted file mode 100644\n--- a/drivers/demo/other.c\n+++ /dev/null\n@@ -1 +0,0 @@\n-int other;\n' +
      'diff --git a/drivers/demo/fresh.c b/drivers/demo/fresh.c\nnew file mode 100644\n--- /dev/null\n+++ b/drivers/demo/fresh.c\n@@ -0,0 +1 @@\n+int fresh;\n';
    const r = await Snapshot.fromBase(base()).apply(patch(diff));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.touched).toEqual(['drivers/demo/fresh.c', 'drivers/demo/new.c', 'drivers/demo/old.c', 'drivers/demo/other.c']);
    expect(await r.snapshot.read('drivers/demo/new.c')).toBe('int old;\n');
    expect(await r.snapshot.read('drivers/demo/old.c')).toBeUndefined();
    expect(await r.snapshot.read('drivers/demo/other.c')).toBeUndefined();
    expect(await r.snapshot.read('drivers/demo/fresh.c')).toBe('int fresh;\n');
    expect(await r.snapshot.contextFiles(r.touched, 'dir')).not.toContain('drivers/demo/other.c');
  });

  // A patch from an untrusted PR must not reach outside the repository through its file names.
  it('refuses unsafe paths with code UNSAFE_PATH', async () => {
    const r = await Snapshot.fromBase(base()).apply(patch('--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-root\n+toor\n'));
    expect(r).toMatchObject({ ok: false, code: 'UNSAFE_PATH' });
    await expect(Snapshot.fromBase(base()).read('/etc/passwd')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
  });

  it('fails with PATCH_APPLY naming the file and hunk, and applies nothing of the patch', async () => {
    const diff =
      '--- a/drivers/demo/other.c\n+++ b/drivers/demo/other.c\n@@ -1 +1 @@\n-int other;\n+int changed;\n' +
      '--- a/drivers/demo/widget.c\n+++ b/drivers/demo/widget.c\n@@ -3,2 +3,2 @@\n int a;\n-int nope;\n+int c;\n';
    const s = Snapshot.fromBase(base());
    const r = await s.apply(patch(diff, '[PATCH] demo: x'));
    expect(r).toMatchObject({ ok: false, code: 'PATCH_APPLY' });
    if (!r.ok) expect(r.reason).toMatch(/^\[PATCH\] demo: x: drivers\/demo\/widget\.c: hunk 1 /);
    expect(await s.read('drivers/demo/other.c')).toBe('int other;\n');
  });

  it('refuses a rename onto an existing file and a change to a missing one', async () => {
    const onto = await Snapshot.fromBase(base()).apply(
      patch('diff --git a/drivers/demo/old.c b/drivers/demo/other.c\nsimilarity index 100%\nrename from drivers/demo/old.c\nrename to drivers/demo/other.c\n'),
    );
    expect(onto).toMatchObject({ ok: false, code: 'PATCH_APPLY' });
    const missing = await Snapshot.fromBase(base()).apply(patch('--- a/nowhere.c\n+++ b/nowhere.c\n@@ -1 +1 @@\n-a\n+b\n'));
    expect(missing).toMatchObject({ ok: false, code: 'PATCH_APPLY' });
  });

  it('collects context: touched files, quoted includes (relative, root, include/), transitively', async () => {
    const s = Snapshot.fromBase(base());
    expect(await s.contextFiles(['drivers/demo/widget.c', 'drivers/demo/README', 'gone.c'], 'touched')).toEqual([
      'drivers/common/lock.h',
      'drivers/demo/widget.c',
      'drivers/demo/widget.h',
      'include/linux/deep.h',
      'include/types.h',
    ]);
    expect(await s.contextFiles(['drivers/demo/widget.c'], 'dir')).toEqual([
      'drivers/common/lock.h',
      'drivers/demo/old.c',
      'drivers/demo/other.c',
      'drivers/demo/widget.c',
      'drivers/demo/widget.h',
      'include/linux/deep.h',
      'include/types.h',
    ]);
  });

  // A driver whose locks live in a library directory the patch does not touch (--context-dir lib).
  it('adds the C files directly inside extra directories, in touched and dir mode alike', async () => {
    const s = Snapshot.fromBase(base());
    const touchedOnly = await s.contextFiles(['drivers/common/lock.h'], 'touched', ['lib', './drivers/demo', '../etc', 'nowhere']);
    expect(touchedOnly).toEqual([
      'drivers/common/lock.h',
      'drivers/demo/old.c',
      'drivers/demo/other.c',
      'drivers/demo/widget.c',
      'drivers/demo/widget.h',
      'include/linux/deep.h',
      'include/types.h',
      'lib/unrelated.c',
    ]);
    // Not recursive: drivers/ holds no file of its own, only directories.
    expect(await s.contextFiles(['lib/unrelated.c'], 'dir', ['drivers'])).toEqual(['lib/unrelated.c']);
  });

  it("'tree' is every .c/.h, plus what the overlay added, minus what it deleted", async () => {
    const r = await Snapshot.fromBase(base()).apply(
      patch('--- /dev/null\n+++ b/lib/added.c\n@@ -0,0 +1 @@\n+int x;\n--- a/lib/unrelated.c\n+++ /dev/null\n@@ -1 +0,0 @@\n-int u;\n'),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const all = await r.snapshot.contextFiles([], 'tree');
    expect(all).toContain('lib/added.c');
    expect(all).not.toContain('lib/unrelated.c');
    expect(all).not.toContain('drivers/demo/README');
    expect(all).toEqual([...all].sort());
  });

  it('applies a series patch by patch', async () => {
    const one = await Snapshot.fromBase(base()).apply(patch('--- a/lib/unrelated.c\n+++ b/lib/unrelated.c\n@@ -1 +1,2 @@\n int u;\n+int v;\n'));
    if (!one.ok) throw new Error(one.reason);
    const two = await one.snapshot.apply(patch('--- a/lib/unrelated.c\n+++ b/lib/unrelated.c\n@@ -1,2 +1,3 @@\n int u;\n int v;\n+int w;\n'));
    expect(two.ok && (await two.snapshot.read('lib/unrelated.c'))).toBe('int u;\nint v;\nint w;\n');
  });
});
