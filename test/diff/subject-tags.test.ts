import { describe, expect, it } from 'vitest';
import { parseSubjectTags } from '../../src/diff/subject-tags.ts';

describe('parseSubjectTags', () => {
  it('reads version and m/n of a series part', () => {
    expect(parseSubjectTags('[PATCH v2 3/5] iommu/vt-d: drop the lock earlier')).toEqual({
      isPatch: true,
      isReply: false,
      version: 2,
      index: 3,
      total: 5,
      title: 'iommu/vt-d: drop the lock earlier',
    });
  });

  it('reads an RFC cover letter for a subsystem tree', () => {
    expect(parseSubjectTags('[RFC PATCH net-next v3 0/2] net: rework locking')).toMatchObject({
      isPatch: true,
      version: 3,
      index: 0,
      total: 2,
      title: 'net: rework locking',
    });
  });

  // A review reply quotes the patch subject; it must never be taken for the patch itself.
  it('marks Re:, Aw: and repeated reply prefixes as replies', () => {
    expect(parseSubjectTags('Re: [PATCH] x: fix y')).toMatchObject({ isReply: true, isPatch: true, version: 1, index: null, title: 'x: fix y' });
    expect(parseSubjectTags('AW: Re: [PATCH v4 1/2] a: b')).toMatchObject({ isReply: true, version: 4, index: 1, total: 2 });
  });

  it('reads a single numbered patch and an unversioned one', () => {
    expect(parseSubjectTags('[PATCH 1/1] only one')).toMatchObject({ version: 1, index: 1, total: 1, title: 'only one' });
    expect(parseSubjectTags('[PATCH] plain')).toMatchObject({ isPatch: true, version: 1, index: null, total: null });
  });

  it('reads split bracket groups and list tags', () => {
    expect(parseSubjectTags('[RFC][PATCH v2 2/4] split groups')).toMatchObject({ isPatch: true, version: 2, index: 2, total: 4, title: 'split groups' });
    expect(parseSubjectTags('[linux-next] build failure')).toMatchObject({ isPatch: false, isReply: false, title: 'build failure' });
    expect(parseSubjectTags('plain question')).toMatchObject({ isPatch: false, title: 'plain question' });
  });
});
