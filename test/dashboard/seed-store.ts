/**
 * Test helper: a temporary review store filled from the review fixtures under
 * test/fixtures/dashboard/ (each `{ entry, status, error, timings, review }`), in a fixed order so
 * ids are predictable. Not a test itself.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReviewStore } from '../../src/store/review-store.ts';
import type { Review } from '../../src/review-types.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import type { NewReview, ReviewStore } from '../../src/store/types.ts';

export interface ReviewFixture {
  description: string;
  entry: NewReview;
  status: 'done' | 'failed';
  error: string | null;
  timings: Record<string, number>;
  review: Review | null;
}

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'dashboard');

export function loadFixture(name: string): ReviewFixture {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as ReviewFixture;
}

/** Writes one fixture through the store's public verbs, as recordReview would. */
export function record(store: ReviewStore, fixture: ReviewFixture): number {
  const id = store.create(fixture.entry);
  if (fixture.status === 'done' && fixture.review) store.finish(id, fixture.review, fixture.timings);
  else store.fail(id, fixture.error ?? 'failed', fixture.timings, fixture.review ?? undefined);
  return id;
}

export interface TempStore {
  db: Db;
  store: ReviewStore;
  dispose(): void;
}

/** A store on a fresh temporary file; the clock ticks one minute per call from 2026-12-01. */
export function tempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-dash-'));
  const db = openDatabase(join(dir, 'reviews.db'));
  let t = Date.parse('2026-12-01T09:00:00Z');
  const store = openReviewStore(db, () => new Date((t += 60_000)));
  return {
    db,
    store,
    dispose() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
