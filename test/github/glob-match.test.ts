/** `paths.include` / `paths.exclude` globs as people write them in .github/lockscope.yml. */
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../src/github/glob-match.ts';

describe('globMatch', () => {
  it('a subsystem include like drivers/iommu/** covers files at every depth below it', () => {
    expect(globMatch('drivers/iommu/**', 'drivers/iommu/intel/dmar.c')).toBe(true);
    expect(globMatch('drivers/iommu/**', 'drivers/iommu/iommu.c')).toBe(true);
    expect(globMatch('drivers/iommu/**', 'drivers/gpu/drm.c')).toBe(false);
  });

  it('* stays inside one directory, so drivers/*.c does not reach into subdirectories', () => {
    expect(globMatch('drivers/*.c', 'drivers/base.c')).toBe(true);
    expect(globMatch('drivers/*.c', 'drivers/iommu/base.c')).toBe(false);
  });

  it('**/ matches zero directories too: **/test/** excludes a top-level test/ as well as nested ones', () => {
    expect(globMatch('**/test/**', 'test/a.c')).toBe(true);
    expect(globMatch('**/test/**', 'tools/test/a.c')).toBe(true);
    expect(globMatch('**/*.h', 'include/linux/spinlock.h')).toBe(true);
    expect(globMatch('**/*.h', 'top.h')).toBe(true);
  });

  it('braces, ?, a leading ./ and a trailing / read the way shell users expect', () => {
    expect(globMatch('kernel/{locking,sched}/**', 'kernel/sched/core.c')).toBe(true);
    expect(globMatch('kernel/{locking,sched}/**', 'kernel/irq/core.c')).toBe(false);
    expect(globMatch('lib/?.c', 'lib/a.c')).toBe(true);
    expect(globMatch('./lib/*.c', 'lib/a.c')).toBe(true);
    expect(globMatch('drivers/staging/', 'drivers/staging/x/y.c')).toBe(true);
  });

  it('regex metacharacters in a path are literal: a.c does not match abc', () => {
    expect(globMatch('lib/a.c', 'lib/abc')).toBe(false);
    expect(globMatch('lib/a+b(1).c', 'lib/a+b(1).c')).toBe(true);
  });
});
