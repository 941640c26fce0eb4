import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/render/json/render-json.ts';
import { loadReview, reviewCases } from '../review-fixtures.ts';

describe('renderJson', () => {
  // Tools consume lockscope.review/1: the output is that document and nothing else.
  it('is exactly the review json, two-space indented, with one trailing newline', () => {
    for (const name of reviewCases) {
      const r = loadReview(name);
      const out = renderJson(r);
      expect(out).toBe(`${JSON.stringify(r.json, null, 2)}\n`);
      expect(JSON.parse(out)).toEqual(r.json);
      expect(Object.keys(JSON.parse(out) as object)).toEqual(['schema', 'verdict', 'inversions', 'patches', 'lockdep', 'functions', 'errors']);
    }
  });
});
