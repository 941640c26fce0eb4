import { describe, expect, it } from 'vitest';
import { codeLineUrl, safeHref } from '../../src/dashboard/code-links.ts';

const HEAD = 'c0ffee5e1b2a3c4d5e6f708192a3b4c5d6e7f809';
const BASE = '3b18e51c0ffee0ddba11ad0be5eed1e2f3a4b5c6';

describe('codeLineUrl', () => {
  // Removed inversions are evidence from the code before the patch: link the base commit.
  it('links head lines at the head commit and base lines at the base commit', () => {
    const url = codeLineUrl({ links: { commitUrlBase: `https://github.com/o/r/blob/${HEAD}` }, base: BASE, head: HEAD });
    expect(url('drivers/iommu/dmar-lite.c', 44, 'head')).toBe(`https://github.com/o/r/blob/${HEAD}/drivers/iommu/dmar-lite.c#L44`);
    expect(url('drivers/iommu/dmar-lite.c', 44, 'base')).toBe(`https://github.com/o/r/blob/${BASE}/drivers/iommu/dmar-lite.c#L44`);
  });

  it('encodes path segments and refuses odd lines', () => {
    const url = codeLineUrl({ links: { commitUrlBase: 'https://github.com/o/r/blob/abc/' }, base: null, head: null });
    expect(url('a b/#x?.c', 3, 'base')).toBe('https://github.com/o/r/blob/abc/a%20b/%23x%3F.c#L3');
    expect(url('../../etc/passwd', 1, 'head')).toBe('https://github.com/o/r/blob/abc/etc/passwd#L1');
    expect(url('a.c', 0, 'head')).toBeUndefined();
  });

  // Mail reviews have no code URL; a stored javascript: URL is never linked.
  it('links nothing without an http(s) commit URL', () => {
    expect(codeLineUrl({ links: {}, base: null, head: null })('a.c', 1, 'head')).toBeUndefined();
    expect(codeLineUrl({ links: { commitUrlBase: 'javascript:alert(1)//' }, base: null, head: null })('a.c', 1, 'head')).toBeUndefined();
    expect(safeHref('JavaScript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,x')).toBeUndefined();
    expect(safeHref('https://github.com/o/r/pull/1')).toBe('https://github.com/o/r/pull/1');
  });
});

// src/github stores the repository's commit URL prefix, not a blob URL: build blob links from the shas.
describe('codeLineUrl with a ".../commit/" prefix', () => {
  it('links the head and base shas under /blob/', () => {
    const url = codeLineUrl({ links: { commitUrlBase: 'https://github.com/o/r/commit/' }, base: BASE, head: HEAD });
    expect(url('drivers/a.c', 12, 'head')).toBe(`https://github.com/o/r/blob/${HEAD}/drivers/a.c#L12`);
    expect(url('drivers/a.c', 12, 'base')).toBe(`https://github.com/o/r/blob/${BASE}/drivers/a.c#L12`);
    const noBase = codeLineUrl({ links: { commitUrlBase: 'https://github.com/o/r/commit/' }, base: null, head: HEAD });
    expect(noBase('drivers/a.c', 12, 'base')).toBeUndefined();
  });
});

describe('codeLineUrl with a code browser pattern (LOCKSCOPE_CODE_URL)', () => {
  const pattern = 'https://git.example.org/linux.git/tree/{path}?id={rev}#n{line}';
  // A mail review's base is a commit; the patched code of a mail review is published nowhere.
  it('links mail and CLI reviews at their base commit, and their added findings nowhere', () => {
    const url = codeLineUrl({ links: { messageIds: ['a@b'] }, base: '1a2b3c4d5e6f7a8b', head: null }, pattern);
    expect(url('drivers/gizmo/order.c', 62, 'base')).toBe('https://git.example.org/linux.git/tree/drivers/gizmo/order.c?id=1a2b3c4d5e6f7a8b#n62');
    expect(url('drivers/gizmo/order.c', 62, 'head')).toBeUndefined();
    // `lockscope check --db` stores the base as the tree's description.
    expect(codeLineUrl({ links: {}, base: 'git 0123456789ab', head: null }, pattern)('a.c', 1, 'base')).toBe('https://git.example.org/linux.git/tree/a.c?id=0123456789ab#n1');
  });

  it('keeps GitHub links for GitHub reviews, and links nothing from a pattern that is not http(s)', () => {
    const gh = codeLineUrl({ links: { commitUrlBase: `https://github.com/o/r/blob/${HEAD}` }, base: BASE, head: HEAD }, pattern);
    expect(gh('a.c', 1, 'head')).toBe(`https://github.com/o/r/blob/${HEAD}/a.c#L1`);
    expect(codeLineUrl({ links: {}, base: BASE, head: null }, 'javascript:{path}')('a.c', 1, 'base')).toBeUndefined();
    expect(codeLineUrl({ links: {}, base: 'dir base', head: null }, pattern)('a.c', 1, 'base')).toBeUndefined();
  });
});
