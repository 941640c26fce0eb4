import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/store/write-atomically.ts';

describe('writeAtomically', () => {
  const dirs: string[] = [];
  const fresh = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'lockscope-write-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('makes the directory, writes the whole file, leaves no temporary file', async () => {
    const root = fresh();
    const file = join(root, 'ab', 'entry');
    expect(await writeAtomically(file, 'one')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('one');
    expect(readdirSync(join(root, 'ab'))).toEqual(['entry']);
  });

  it('writes again into a directory removed since it was made (a cleared cache)', async () => {
    const root = fresh();
    expect(await writeAtomically(join(root, 'cd', 'a'), 'a')).toBe(true);
    rmSync(join(root, 'cd'), { recursive: true });
    expect(await writeAtomically(join(root, 'cd', 'b'), 'b')).toBe(true);
    expect(readFileSync(join(root, 'cd', 'b'), 'utf8')).toBe('b');
  });

  it('answers false, leaving nothing behind, where no directory can be made', async () => {
    const root = fresh();
    writeFileSync(join(root, 'file'), 'x');
    expect(await writeAtomically(join(root, 'file', 'entry'), 'data')).toBe(false);
    expect(readdirSync(root)).toEqual(['file']);
  });
});
