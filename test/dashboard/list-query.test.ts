import { describe, expect, it } from 'vitest';
import { listQueryString, parseListQuery } from '../../src/dashboard/list-query.ts';

const parse = (qs: string) => parseListQuery(new URLSearchParams(qs));

describe('parseListQuery', () => {
  // The GET form submits every field, empty ones included.
  it('treats empty fields as absent and reads the rest', () => {
    expect(parse('verdict=&source=&repository=&author=&q=')).toEqual({ ok: true, filter: {}, page: 1, pageSize: 25 });
    expect(parse('verdict=mixed&source=mail&repository=iommu%40lists.example.org&author=Ann&q=50%25_x&page=3&pageSize=10')).toEqual({
      ok: true,
      filter: { verdict: 'mixed', source: 'mail', repository: 'iommu@lists.example.org', author: 'Ann', text: '50%_x' },
      page: 3,
      pageSize: 10,
    });
  });

  // A hand-edited URL must get a 400 with a reason, not a 500 or a silently different list.
  it('rejects unknown verdicts, sources, parameters and malformed pages', () => {
    for (const qs of ['verdict=maybe', 'source=gitlab', 'sort=asc', 'page=0', 'page=-1', 'page=1.5', 'page=abc', 'pageSize=201', 'page=1&page=2', `q=${'x'.repeat(301)}`]) {
      expect(parse(qs), qs).toMatchObject({ ok: false });
    }
  });

  it('round-trips through listQueryString', () => {
    const q = { filter: { verdict: 'adds-inversion' as const, text: 'a&b c', author: 'Ann <ann@example.org>' }, page: 2, pageSize: 50 };
    const again = parse(listQueryString(q).slice(1));
    expect(again).toEqual({ ok: true, ...q });
    expect(listQueryString({ filter: {}, page: 1, pageSize: 25 })).toBe('');
  });
});
