import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirTree, MAX_FILE_BYTES } from '../../src/diff/dir-tree.ts';

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

  it('refuses unsafe paths', async () => {
    const t = new DirTree(join(root, 'drivers'));
    await expect(t.read('../.git/config')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await expect(t.read('/etc/passwd')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await expect(t.list('demo/../..')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
  });
});
