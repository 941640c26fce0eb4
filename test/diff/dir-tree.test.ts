import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirTree, MAX_FILE_BYTES } from '../../src/diff/dir-tree.ts';
import { review } from '../../src/review.ts';

let root: string;
let outside: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lockscope-dirtree-'));
  outside = mkdtempSync(join(tmpdir(), 'lockscope-outside-'));
  mkdirSync(join(root, 'drivers/demo'), { recursive: true });
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, 'drivers/demo/a.c'), 'int a;\n');
  writeFileSync(join(root, 'drivers/demo/a.h'), 'int a(void);\n');
  writeFileSync(join(root, '.git/config'), '[core]\n');
  writeFileSync(join(root, 'drivers/demo/huge.c'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
  writeFileSync(join(outside, 'secret'), 'password\n');
  symlinkSync(join(outside, 'secret'), join(root, 'drivers/demo/escape.c'));
  symlinkSync('a.c', join(root, 'drivers/demo/inside.c'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('DirTree', () => {
  it('reads files and lists a directory and the whole tree (without .git)', async () => {
    const t = new DirTree(root);
    expect(await t.read('drivers/demo/a.c')).toBe('int a;\n');
    expect(await t.read('drivers/demo/none.c')).toBeUndefined();
    expect(await t.read('drivers/demo')).toBeUndefined();
    expect(await t.list('drivers/demo')).toEqual(['drivers/demo/a.c', 'drivers/demo/a.h', 'drivers/demo/huge.c', 'drivers/demo/inside.c']);
    expect(await t.listAll()).not.toContain('.git/config');
    expect(t.describe()).toBe(`dir ${root}`);
  });

  // A checked-out PR can contain `x.c -> /etc/shadow`: the link must not be followed out of the base.
  it('refuses a symlink that points outside the base and reports it', async () => {
    const t = new DirTree(root);
    expect(await t.read('drivers/demo/escape.c')).toBeUndefined();
    expect(await t.read('drivers/demo/inside.c')).toBe('int a;\n');
    expect(t.skipped).toContain('drivers/demo/escape.c');
  });

  it('treats files over 4 MiB as unreadable and lists them in skipped', async () => {
    const t = new DirTree(root);
    expect(await t.read('drivers/demo/huge.c')).toBeUndefined();
    expect(t.skipped).toEqual(['drivers/demo/huge.c']);
  });

  // A patch to a generated 5 MB table, or to a file that is a symlink out of the tree, must say
  // which rule kept the file out, not that it "does not exist".
  it('says which limit kept a file out when a patch changes it', async () => {
    const t = new DirTree(root);
    expect(await t.read('drivers/demo/huge.c')).toBeUndefined();
    expect(t.refusal('drivers/demo/huge.c')).toEqual({ code: 'TOO_LARGE', reason: `drivers/demo/huge.c is ${MAX_FILE_BYTES + 1} bytes in the base, over the 4 MiB (4194304-byte) limit on files lockscope reads` });
    expect(t.refusal('drivers/demo/none.c')).toBeUndefined();
    const patch = (file: string) => `--- a/${file}\n+++ b/${file}\n@@ -1 +1 @@\n-int x;\n+int y;\n`;
    const big = await review({ patches: [patch('drivers/demo/huge.c')], base: new DirTree(root) });
    expect(big.failure).toMatchObject({ code: 'TOO_LARGE' });
    expect(big.failure?.message).toContain('over the 4 MiB (4194304-byte) limit');
    const escape = await review({ patches: [patch('drivers/demo/escape.c')], base: new DirTree(root) });
    expect(escape.failure).toMatchObject({ code: 'UNSAFE_PATH' });
    expect(escape.failure?.message).toContain('drivers/demo/escape.c is a symlink that does not resolve to a file inside the base tree');
    const missing = await review({ patches: [patch('drivers/demo/none.c')], base: new DirTree(root) });
    expect(missing.failure?.message).toContain('does not exist');
  });

  it('refuses unsafe paths', async () => {
    const t = new DirTree(join(root, 'drivers'));
    await expect(t.read('../.git/config')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await expect(t.read('/etc/passwd')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await expect(t.list('demo/../..')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
  });
});
