import { describe, expect, it } from 'vitest';
import { checkPatchPath } from '../../src/diff/safe-path.ts';

describe('checkPatchPath', () => {
  it('accepts repository paths and normalises ./', () => {
    expect(checkPatchPath('drivers/iommu/intel-iommu.c')).toEqual({ ok: true, path: 'drivers/iommu/intel-iommu.c' });
    expect(checkPatchPath('./include/./linux/x.h')).toEqual({ ok: true, path: 'include/linux/x.h' });
    expect(checkPatchPath('.gitignore')).toEqual({ ok: true, path: '.gitignore' });
  });

  // A hostile patch (`+++ b/../../etc/passwd`) must never reach a file system or git lookup.
  it.each([
    ['../../etc/passwd', "'..' segment"],
    ['/etc/passwd', 'absolute path'],
    ['a/../../x', "'..' segment"],
    ['drivers/..', "'..' segment"],
    ['x\u0000.c', 'NUL or control'],
    ['x\n.c', 'NUL or control'],
    ['drivers\\x.c', 'backslash'],
    ['drivers//x.c', 'empty path segment'],
    ['drivers/', 'empty path segment'],
    ['.git/hooks/pre-commit', '.git'],
    ['sub/.GIT/config', '.git'],
    ['', 'empty path'],
    ['./', 'empty path segment'],
    ['C:/x.c', 'drive-letter'],
  ])('refuses %j', (path, why) => {
    const r = checkPatchPath(path);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(why);
  });
});
