/**
 * The conformance suite every renderer in the registry runs: each format over each review
 * fixture. Hand-written ones, as stored before edges were reported (adds, adds of low
 * confidence, removes, mixed, no-change, error, a 2-patch series, lockdep confirmed and not,
 * recursive, 3-lock cycle, hostile strings), and ones from the pipeline (test/support/make-review-fixtures.ts: the seed
 * example, one edge closing five cycles, a 3-patch series that adds then removes, a splat quoted
 * with timestamps and "> ", each kind of finding added and removed). A renderer added to the map
 * is tested here without further work. Golden files are compared byte for byte;
 * `UPDATE_GOLDEN=1` rewrites them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/render/markdown/escape-markdown.ts';
import { renderers } from '../../src/render/index.ts';
import { oneLine } from '../../src/render/one-line.ts';
import type { Format } from '../../src/render/types.ts';
import { changeBlocks } from '../../src/render/review-changes.ts';
import { outsideFences } from './outside-fences.ts';
import { linkOptions, loadReview, reviewCases, reviewsDir } from './review-fixtures.ts';

const update = process.env.UPDATE_GOLDEN === '1';

/** How a lock name from the patch shows up in each format once made safe for it. */
const shown: Record<Format, (name: string) => string> = {
  text: (n) => oneLine(n),
  email: (n) => oneLine(n),
  markdown: (n) => escapeMarkdown(n),
  json: (n) => JSON.stringify(n).slice(1, -1),
  sarif: (n) => JSON.stringify(oneLine(n)).slice(1, -1),
  checkpatch: (n) => oneLine(n),
};

/**
 * Formats that print nothing for a review with nothing to report: b4 lists any output line of a
 * per-patch check as a warning or failure, and checkpatch itself is silent on a clean patch.
 */
const silentWhenClean = new Set<Format>(['checkpatch']);
/** Formats that show only problems: a removed inversion is good news, not a check failure. */
const problemsOnly = new Set<Format>(['checkpatch']);

it('the registry holds every format of the Format type', () => {
  expect([...renderers.keys()].sort()).toEqual(['checkpatch', 'email', 'json', 'markdown', 'sarif', 'text']);
});

it('has the fixture corpus the suite promises', () => {
  for (const c of [
    'adds', 'adds-low-confidence', 'removes', 'mixed', 'no-change', 'error', 'series-2', 'lockdep-confirmed', 'lockdep-not-confirmed', 'recursive', 'three-lock', 'hostile',
    'seed-iommu', 'edge-closes-five', 'series-3-add-remove', 'splat-quoted',
    'kind-irq-inconsistent-removed', 'kind-irq-inversion-added', 'kind-sleep-added', 'kind-sleep-removed', 'kind-leak-added', 'kind-leak-removed',
    'kind-flush-added', 'kind-flush-removed', 'kind-recursive-added', 'kind-recursive-removed', 'kind-reclaim-added', 'kind-reclaim-removed',
  ]) {
    expect(reviewCases).toContain(c);
  }
});

for (const [format, render] of renderers) {
  describe(`${format} renderer`, () => {
    for (const name of reviewCases) {
      const review = loadReview(name);

      it(`${name}: renders deterministically, with and without options, ending in a newline`, () => {
        for (const options of [undefined, {}, linkOptions]) {
          const a = render(review, options);
          const b = render(structuredClone(review), options);
          expect(a).toBe(b);
          if (silentWhenClean.has(format) && a === '') continue;
          expect(a.endsWith('\n')).toBe(true);
          expect(a.length).toBeGreaterThan(0);
        }
      });

      // What the patch changes is named: each edge it adds or removes, the cycle that closes or
      // breaks, each finding of another kind. (Longer cycles through the same edge are counted.)
      it(`${name}: names the lock classes of every change`, () => {
        const out = render(review, linkOptions);
        const changes = problemsOnly.has(format) ? ['added' as const] : (['added', 'removed'] as const);
        for (const change of changes) {
          for (const b of changeBlocks(review.json, change)) {
            const locks = b.type === 'order' ? [...b.cycle.locks, ...b.edges.flatMap((e) => [e.from, e.to])] : b.finding.locks;
            for (const lock of locks) expect(out).toContain(shown[format](lock));
          }
        }
      });

      it(`${name}: does not mutate the review it renders`, () => {
        const before = JSON.stringify(review);
        render(review, linkOptions);
        expect(JSON.stringify(review)).toBe(before);
      });

      it(`${name}: matches test/fixtures/reviews/${name}.${format}.golden`, () => {
        const out = render(review, linkOptions);
        const golden = `${reviewsDir}${name}.${format}.golden`;
        if (update || !existsSync(golden)) {
          // A missing golden is written once and then reviewed by a person before it is committed.
          writeFileSync(golden, out);
        }
        expect(out).toBe(readFileSync(golden, 'utf8'));
      });
    }

    it('never throws on a damaged review (a store row from an older version, a half-filled failure)', () => {
      const base = loadReview('removes');
      const damaged = [
        { ...base, hunks: [], meta: [], graph: { before: { locks: [], edges: [] }, after: { locks: [], edges: [] } } },
        { ...base, json: { ...base.json, inversions: { added: [{ locks: ['a', 'b'], edges: [] }], removed: [{ locks: [], edges: [] }], unchanged: [] } } },
        { ...base, json: { ...base.json, verdict: 'error' as const }, failure: null },
        { ...base, hunks: [{ file: 'x.c', function: null, header: '@@ -1 +1 @@', lines: [], lockLines: [5, -1] }] },
        { ...base, json: { ...base.json, inversions: { added: [{ locks: ['a'], edges: [{ from: 'a', to: 'a', chain: [] }] }], removed: [], unchanged: [] } } },
      ];
      for (const r of damaged) expect(() => render(r, linkOptions)).not.toThrow();
    });
  });
}

describe('markdown escaping of hostile strings', () => {
  const md = renderers.get('markdown')!(loadReview('hostile'), linkOptions);
  const prose = outsideFences(md);

  it('lets no HTML from the patch through: only its own details/summary tags remain', () => {
    const tags = [...prose.matchAll(/<\/?([A-Za-z][\w-]*)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(['details', 'summary']));
    expect(prose).not.toMatch(/<script|<img|<b>/i);
  });

  it('keeps every table row at its three columns despite pipes in names and paths', () => {
    const rows = prose.split('\n').filter((l) => l.startsWith('| '));
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length - 1).toBe(4);
  });

  it('opens exactly as many details as it closes, and fences survive backticks in names', () => {
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    expect(md).toContain('````text');
    // A function named "```\n## injected" must neither close the fence nor start a heading.
    expect(prose).not.toMatch(/^## injected/m);
  });

  it('leaves no unescaped backtick, emphasis or link syntax from the patch outside code', () => {
    // Our own syntax: links to https URLs, bold markers around whole lines, the failure code span.
    const lines = prose
      .replace(/\[[^\]]*\]\(https:\/\/[^)]*\)/g, '')
      .split('\n')
      .map((l) => l.replace(/^\*\*/, '').replace(/\*\*$/, ''));
    for (const line of lines) {
      expect(line).not.toMatch(/(^|[^\\])[`*_[\]]/);
    }
    expect(prose).not.toMatch(/(^|[^\\])\]\(javascript:/);
    expect(prose).not.toMatch(/@everyone/);
  });
});
