import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listQuery, openReviewStore, REVIEW_MIGRATIONS, ReviewStoreError } from '../../src/store/review-store.ts';
import type { Review, Verdict } from '../../src/review-types.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import type { NewReview, ReviewStore } from '../../src/store/types.ts';

function reviewWith(verdict: Verdict): Review {
  return {
    json: {
      schema: 'lockscope.review/2',
      verdict,
      inversions: { added: [], removed: [], unchanged: [] },
      outcome: verdict === 'error' ? 'error' : 'no-change',
      findings: { added: [], removed: [], unchanged: [] },
      patches: [],
      lockdep: null,
      functions: [],
      errors: verdict === 'error' ? ['patch does not apply'] : [],
    },
    graph: { before: { locks: [], edges: [] }, after: { locks: [], edges: [] } },
    hunks: [],
    meta: [],
    failure: verdict === 'error' ? { code: 'PATCH_APPLY', message: 'patch does not apply' } : null,
  };
}

function entry(over: Partial<NewReview> = {}): NewReview {
  return {
    source: 'github',
    repository: 'example/dmar-lite',
    subjectKey: 'pr:7',
    subject: 'dmar-lite: drop device_domain_lock before taking iommu->lock',
    author: 'dev',
    base: 'a'.repeat(40),
    head: 'b'.repeat(40),
    links: { prUrl: 'https://github.com/example/dmar-lite/pull/7' },
    ...over,
  };
}

describe('openReviewStore', () => {
  let dir: string;
  let db: Db;
  let store: ReviewStore;
  let t: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockscope-store-'));
    db = openDatabase(join(dir, 'reviews.db'));
    t = Date.parse('2026-11-23T10:00:00Z');
    // Each stamp a second later, so created_at/updated_at are checkable.
    store = openReviewStore(db, () => new Date((t += 1000)));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // A webhook arrives: the row must exist (queued) before any comment is posted.
  it('creates a queued row, then finishes it with the review and timings', () => {
    const id = store.create(entry());
    const queued = store.get(id);
    expect(queued).toMatchObject({ id, status: 'queued', verdict: null, review: null, error: null, timings: {} });
    expect(queued?.createdAt).toBe('2026-11-23T10:00:01.000Z');
    expect(queued?.links).toEqual({ prUrl: 'https://github.com/example/dmar-lite/pull/7' });

    store.finish(id, reviewWith('removes-inversion'), { reviewMs: 812 });
    const done = store.get(id);
    expect(done).toMatchObject({ status: 'done', verdict: 'removes-inversion', timings: { reviewMs: 812 } });
    expect(done?.review?.json.verdict).toBe('removes-inversion');
    expect(done?.createdAt).toBe('2026-11-23T10:00:01.000Z');
    expect(done?.updatedAt).toBe('2026-11-23T10:00:02.000Z');
  });

  // A patch that does not apply: the pipeline returns verdict `error`; keep its review and reason.
  it('fails a row keeping the error review, or with none when review() threw', () => {
    const a = store.create(entry());
    store.fail(a, 'patch does not apply', { reviewMs: 3 }, reviewWith('error'));
    expect(store.get(a)).toMatchObject({ status: 'failed', verdict: 'error', error: 'patch does not apply' });
    expect(store.get(a)?.review?.failure?.code).toBe('PATCH_APPLY');

    const b = store.create(entry());
    store.fail(b, 'internal: tree-sitter aborted');
    expect(store.get(b)).toMatchObject({ status: 'failed', verdict: 'error', review: null, timings: {} });
  });

  it('answers undefined for an unknown id and refuses to finish one', () => {
    expect(store.get(4242)).toBeUndefined();
    expect(() => store.finish(4242, reviewWith('no-change'), {})).toThrow(ReviewStoreError);
    expect(() => store.fail(4242, 'x')).toThrow(expect.objectContaining({ code: 'unknown-review' }));
  });

  // A maintainer narrows the dashboard to one list, one author, one verdict or a word of a subject.
  it('lists newest first with each filter, and counts per verdict, queued and failed', () => {
    const mk = (over: Partial<NewReview>, verdict: Verdict | 'queued' | 'throw'): number => {
      const id = store.create(entry(over));
      if (verdict === 'throw') store.fail(id, 'boom');
      else if (verdict === 'error') store.fail(id, 'bad patch', {}, reviewWith('error'));
      else if (verdict !== 'queued') store.finish(id, reviewWith(verdict), {});
      return id;
    };
    const r1 = mk({ subject: 'iommu: fix 100% of the lock_order' }, 'removes-inversion');
    const r2 = mk({ source: 'mail', repository: 'iommu@lists.example.org', author: 'Ann <ann@example.org>' }, 'adds-inversion');
    const r3 = mk({ source: 'mail', repository: 'netdev@lists.example.org', subject: 'net: 100 percent lockXorder' }, 'no-change');
    const r4 = mk({ source: 'cli', repository: '/src/linux' }, 'error');
    const r5 = mk({}, 'queued');
    const r6 = mk({ subject: 'mixed up' }, 'mixed');
    const r7 = mk({}, 'throw');

    const ids = (f: Parameters<ReviewStore['list']>[0]): number[] => store.list(f, 1, 50).items.map((r) => r.id);
    expect(ids({})).toEqual([r7, r6, r5, r4, r3, r2, r1]);
    expect(ids({ verdict: 'adds-inversion' })).toEqual([r2]);
    expect(ids({ verdict: 'error' })).toEqual([r7, r4]);
    expect(ids({ source: 'mail' })).toEqual([r3, r2]);
    expect(ids({ repository: 'netdev@lists.example.org' })).toEqual([r3]);
    expect(ids({ author: 'Ann <ann@example.org>' })).toEqual([r2]);
    expect(ids({ source: 'github', verdict: 'mixed' })).toEqual([r6]);
    // Wildcards typed by a user are literal: "100%" must not match "100 percent", "_" must not match "X".
    expect(ids({ text: '100%' })).toEqual([r1]);
    expect(ids({ text: 'lock_order' })).toEqual([r1]);
    expect(ids({ text: 'ORDER' })).toEqual([r3, r1]);
    expect(ids({ text: '' })).toHaveLength(7);

    const page = store.list({}, 1, 50);
    expect(page.total).toBe(7);
    expect(page.counts).toEqual({
      'adds-inversion': 1,
      'removes-inversion': 1,
      mixed: 1,
      'no-change': 1,
      error: 2,
      queued: 1,
      failed: 2,
    });
    // Counts follow the other filters but not the verdict one, so each badge says what it would show.
    const mail = store.list({ source: 'mail', verdict: 'no-change' }, 1, 50);
    expect(mail.total).toBe(1);
    expect(mail.counts).toMatchObject({ 'adds-inversion': 1, 'no-change': 1, 'removes-inversion': 0, failed: 0 });
  });

  it('paginates without overlap and rejects nonsense pages', () => {
    const made = Array.from({ length: 23 }, (_, i) => store.create(entry({ subject: `patch ${i}` })));
    const p1 = store.list({}, 1, 10);
    const p3 = store.list({}, 3, 10);
    expect(p1.items.map((r) => r.id)).toEqual(made.slice(-10).reverse());
    expect(p3.items.map((r) => r.id)).toEqual(made.slice(0, 3).reverse());
    expect(p3).toMatchObject({ total: 23, page: 3, pageSize: 10 });
    expect(store.list({}, 9, 10).items).toEqual([]);
    expect(() => store.list({}, 0, 10)).toThrow(ReviewStoreError);
    expect(() => store.list({}, 1, 0)).toThrow(ReviewStoreError);
    expect(() => store.list({}, 1, 10_000)).toThrow(ReviewStoreError);
  });

  // v1 of a series adds an inversion, v2 fixes it: both stay, v2 first.
  it('keeps re-reviews of one PR or series as history, newest first', () => {
    const key = { source: 'mail' as const, repository: 'iommu@lists.example.org', subjectKey: 'series:<cover-v1@example.org>' };
    const v1 = store.create(entry({ ...key, subject: '[PATCH 0/2] dmar-lite: locking' }));
    store.create(entry({ ...key, subjectKey: 'series:<other@example.org>' }));
    const v2 = store.create(entry({ ...key, subject: '[PATCH v2 0/2] dmar-lite: locking' }));
    store.create(entry({ ...key, source: 'github' }));
    expect(store.history(key.source, key.repository, key.subjectKey).map((r) => r.id)).toEqual([v2, v1]);
    expect(store.history('cli', 'nowhere', 'x')).toEqual([]);
  });

  // A server restart opens the same file again: nothing is re-created, rows survive.
  it('applies its migrations once when opened twice', () => {
    const id = store.create(entry());
    const again = openReviewStore(db);
    expect(again.get(id)?.subject).toBe(entry().subject);
    const versions = db.prepare("SELECT version FROM migrations WHERE namespace = 'reviews'").all();
    expect(versions).toEqual(REVIEW_MIGRATIONS.map((_, i) => ({ version: i + 1 })));
  });

  it('survives a corrupted review JSON cell instead of crashing the reader', () => {
    const id = store.create(entry());
    store.finish(id, reviewWith('no-change'), {});
    db.prepare("UPDATE reviews SET review = '{truncated', links = 'nope' WHERE id = ?").run(id);
    expect(store.get(id)).toMatchObject({ verdict: 'no-change', review: null, links: {} });
  });
});

// A busy list server accumulates reviews for years; listing must not scan or sort the table.
describe('openReviewStore with 100,000 reviews', () => {
  it('answers every list filter from an index, without a sort step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-store-big-'));
    const db = openDatabase(join(dir, 'big.db'));
    try {
      const store = openReviewStore(db);
      const insert = db.prepare(`INSERT INTO reviews (source, repository, subject_key, subject, author, status, verdict,
        created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'done', ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`);
      const verdicts: Verdict[] = ['adds-inversion', 'removes-inversion', 'mixed', 'no-change', 'error'];
      const sources = ['github', 'mail', 'cli'];
      db.transaction(() => {
        for (let i = 0; i < 100_000; i++) {
          insert.run(sources[i % 3], `repo-${i % 97}`, `pr:${i % 5000}`, `patch number ${i}`, `author-${i % 311}`, verdicts[i % 5]);
        }
      })();
      db.exec('ANALYZE');

      const filters = [
        { verdict: 'mixed' as const },
        { source: 'mail' as const },
        { repository: 'repo-13' },
        { author: 'author-7' },
        { repository: 'repo-13', verdict: 'adds-inversion' as const },
      ];
      for (const filter of filters) {
        const q = listQuery(filter);
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all({ ...q.params, limit: 50, offset: 0 }) as { detail: string }[])
          .map((r) => r.detail)
          .join('\n');
        expect(plan, JSON.stringify(filter)).toMatch(/USING (COVERING )?INDEX reviews_by_/);
        expect(plan, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE/);
      }
      // No filter: a walk of the primary key backwards, stopped by LIMIT.
      const bare = listQuery({});
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${bare.sql}`).all({ limit: 50, offset: 0 }) as { detail: string }[])
        .map((r) => r.detail)
        .join('\n');
      expect(plan).not.toMatch(/TEMP B-TREE/);

      const page = store.list({ verdict: 'mixed' }, 3, 50);
      expect(page.total).toBe(20_000);
      expect(page.items).toHaveLength(50);
      expect(page.items.every((r) => r.verdict === 'mixed')).toBe(true);
      expect(page.counts.mixed).toBe(20_000);
      const history = store.history('github', 'repo-0', 'pr:0');
      expect(history.length).toBeGreaterThan(0);
      const histPlan = (db.prepare('EXPLAIN QUERY PLAN SELECT * FROM reviews WHERE source = ? AND repository = ? AND subject_key = ? ORDER BY id DESC')
        .all('github', 'repo-0', 'pr:0') as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(histPlan).toMatch(/INDEX reviews_by_subject_key/);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
