import { describe, expect, it } from 'vitest';
import type { ChainStep } from '../../../src/analyzers/report-types.ts';
import { renderJson } from '../../../src/render/json/render-json.ts';
import { stepText } from '../../../src/render/step-text.ts';
import { loadReview, reviewCases } from '../review-fixtures.ts';

/** Every witness step in a document. */
function steps(v: unknown, out: ChainStep[] = []): ChainStep[] {
  if (Array.isArray(v)) for (const x of v) steps(x, out);
  else if (v && typeof v === 'object') {
    if ('op' in v && 'function' in v) out.push(v as ChainStep);
    else for (const x of Object.values(v)) steps(x, out);
  }
  return out;
}

describe('renderJson', () => {
  // Tools consume lockscope.review/2 (a superset of /1): the output is that document, with the
  // `what` sentence /1 promised on every witness step, and nothing else.
  it('is exactly the review json plus each step\'s sentence, two-space indented, with one trailing newline', () => {
    for (const name of reviewCases) {
      const r = loadReview(name);
      const out = renderJson(r);
      expect(out.endsWith('}\n')).toBe(true);
      const parsed = JSON.parse(out) as Record<string, unknown>;
      // /2 as written since issue 12 adds edges and caveats (and kinds, base when set); older stored reviews lack them.
      const known = ['schema', 'verdict', 'inversions', 'outcome', 'findings', 'edges', 'caveats', 'kinds', 'patches', 'lockdep', 'functions', 'errors', 'context', 'base'];
      expect(Object.keys(parsed)).toEqual(known.filter((k) => k in r.json));
      for (const k of ['schema', 'verdict', 'inversions', 'outcome', 'findings', 'patches', 'lockdep', 'functions', 'errors']) expect(parsed).toHaveProperty(k);
      expect(parsed.schema).toBe('lockscope.review/2');
      const written = steps(parsed) as (ChainStep & { what?: string })[];
      expect(written.length).toBe(steps(r.json).length);
      for (const s of written) expect(s.what).toBe(stepText(s));
      // Without the sentences it is the review json itself.
      expect(JSON.parse(out, (k, v: unknown) => (k === 'what' ? undefined : v))).toEqual(r.json);
    }
  });
});
