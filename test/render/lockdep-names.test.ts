/**
 * Lock classes as lockdep prints them (issue 12, item 4): a static lock by its symbol, a member
 * class by the expression it was taken as with the class in brackets, an anonymous struct's
 * class readable through that expression, an inferred class marked as the guess it is.
 */
import { describe, expect, it } from 'vitest';
import type { LockJson } from '../../src/analyzers/report-types.ts';
import { lockdepNames } from '../../src/render/lockdep-names.ts';

const lock = (name: string, seenAs: string[], inferred = false): LockJson => ({ name, kind: 'spinlock', seenAs, ...(inferred ? { inferred } : {}) });

describe('lockdepNames', () => {
  const names = lockdepNames([
    lock('device_domain_lock', ['&device_domain_lock']),
    lock('intel_iommu.lock', ['&domain->iommu->lock', '&iommu->lock']),
    lock('<anon gizmo.c:12>.lock', ['&g->priv.lock']),
    lock('lock_fw', [], true),
    lock('lock (debugfs.c)', ['&lock']),
  ]);

  it('names a static lock by its symbol, a member class by its shortest expression with the class in brackets', () => {
    expect(names.label('device_domain_lock')).toBe('(device_domain_lock)');
    expect(names.label('intel_iommu.lock')).toBe('(&iommu->lock) [intel_iommu.lock]');
    expect(names.short('intel_iommu.lock')).toBe('&iommu->lock');
  });

  it('gives an anonymous struct\'s class the expression the code uses', () => {
    expect(names.label('<anon gizmo.c:12>.lock')).toBe('(&g->priv.lock) [<anon gizmo.c:12>.lock]');
    expect(names.short('<anon gizmo.c:12>.lock')).toBe('&g->priv.lock');
  });

  it('keeps subclasses, qualifiers and inferred classes as the class name says', () => {
    expect(names.short('intel_iommu.lock/1')).toBe('intel_iommu.lock/1');
    expect(lockdepNames([lock('intel_iommu.lock/1', ['&iommu->lock'])]).short('intel_iommu.lock/1')).toBe('&iommu->lock/1');
    expect(names.label('lock_fw')).toBe('(lock_fw) (inferred)');
    expect(names.label('lock (debugfs.c)')).toBe('(lock (debugfs.c))');
    // A class not in the table (an older stored review) is shown by its name.
    expect(names.label('unknown.lock')).toBe('(unknown.lock)');
  });

  it('makes names from the patch printable', () => {
    expect(lockdepNames([]).short('a\nb')).toBe('a\\nb');
  });
});
