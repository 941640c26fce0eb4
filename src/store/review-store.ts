/**
 * The review store on SQLite (better-sqlite3): one `reviews` table in the shared database file,
 * with its own migration namespace. Every front end writes rows through it; the dashboard reads
 * them. Re-reviews of one PR or series are new rows with the same (source, repository,
 * subjectKey), so their history is kept.
 *
 * Not a cache of analysis results and not a queue: it records what was reviewed and what came
 * out. "Newest first" means creation order (the row id), so a clock that steps back never
 * reorders the list.
 */
import type { Db } from './database.ts';
import { migrate } from './database.ts';
import type { Review, Verdict } from '../review-types.ts';
import type {
  NewReview,
  ReviewFilter,
  ReviewPage,
  ReviewSource,
  ReviewStatus,
  ReviewStore,
  StoredReview,
} from './types.ts';

/** Released migration steps of the 'reviews' namespace. Append, never edit. */
export const REVIEW_MIGRATIONS: readonly string[] = [
  `CREATE TABLE reviews (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     source TEXT NOT NULL,
     repository TEXT NOT NULL,
     subject_key TEXT NOT NULL,
     subject TEXT NOT NULL,
     author TEXT,
     base TEXT,
     head TEXT,
     links TEXT NOT NULL DEFAULT '{}',
     status TEXT NOT NULL DEFAULT 'queued',
     verdict TEXT,
     review TEXT,
     error TEXT,
     timings TEXT NOT NULL DEFAULT '{}',
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   -- One index per list filter, each ending in id so "newest first" needs no sort step.
   CREATE INDEX reviews_by_verdict ON reviews (verdict, id);
   CREATE INDEX reviews_by_status ON reviews (status, id);
   CREATE INDEX reviews_by_source ON reviews (source, id);
   CREATE INDEX reviews_by_repository ON reviews (repository, id);
   CREATE INDEX reviews_by_author ON reviews (author, id);
   CREATE INDEX reviews_by_subject_key ON reviews (source, repository, subject_key, id);`,
];

/** The most rows one list call returns; the dashboard and the API cap page sizes to it. */
export const MAX_PAGE_SIZE = 200;

const VERDICTS: readonly Verdict[] = ['adds-inversion', 'removes-inversion', 'mixed', 'no-change', 'error'];

/** A caller broke the store's contract (unknown id, bad page): a bug, not user input. */
export class ReviewStoreError extends Error {
  constructor(
    readonly code: 'unknown-review' | 'bad-page',
    message: string,
  ) {
    super(message);
    this.name = 'ReviewStoreError';
  }
}

interface Row {
  id: number;
  source: string;
  repository: string;
  subject_key: string;
  subject: string;
  author: string | null;
  base: string | null;
  head: string | null;
  links: string;
  status: string;
  verdict: string | null;
  review: string | null;
  error: string | null;
  timings: string;
  created_at: string;
  updated_at: string;
}

/** Escapes LIKE wildcards so a subject search for "50%_done" matches those characters literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// Rows are our own writes, but a hand-edited or truncated database must not take the dashboard down.
function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toStored(row: Row): StoredReview {
  return {
    id: row.id,
    source: row.source as ReviewSource,
    repository: row.repository,
    subjectKey: row.subject_key,
    subject: row.subject,
    author: row.author,
    base: row.base,
    head: row.head,
    links: parseJson(row.links, {}),
    status: row.status as ReviewStatus,
    verdict: row.verdict as Verdict | null,
    review: parseJson<Review | null>(row.review, null),
    error: row.error,
    timings: parseJson(row.timings, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The WHERE clause of a filter, with its parameters; `skipVerdict` for the per-verdict counts. */
function whereOf(filter: ReviewFilter, skipVerdict = false): { sql: string; params: Record<string, string> } {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (filter.verdict !== undefined && !skipVerdict) {
    parts.push('verdict = @verdict');
    params.verdict = filter.verdict;
  }
  if (filter.source !== undefined) {
    parts.push('source = @source');
    params.source = filter.source;
  }
  if (filter.repository !== undefined) {
    parts.push('repository = @repository');
    params.repository = filter.repository;
  }
  if (filter.author !== undefined) {
    parts.push('author = @author');
    params.author = filter.author;
  }
  if (filter.text !== undefined && filter.text !== '') {
    parts.push("subject LIKE @text ESCAPE '\\'");
    params.text = likeContains(filter.text);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** The SQL `list` runs for a filter, exported so tests can EXPLAIN it. */
export function listQuery(filter: ReviewFilter): { sql: string; params: Record<string, string | number> } {
  const where = whereOf(filter);
  return { sql: `SELECT * FROM reviews ${where.sql} ORDER BY id DESC LIMIT @limit OFFSET @offset`, params: where.params };
}

/**
 * Opens the review store on `db`, applying its migrations (idempotent). `clock` stamps
 * created_at/updated_at; tests pass a fixed one.
 */
export function openReviewStore(db: Db, clock: () => Date = () => new Date()): ReviewStore {
  migrate(db, 'reviews', REVIEW_MIGRATIONS);
  const now = (): string => clock().toISOString();

  const insert = db.prepare(`INSERT INTO reviews
    (source, repository, subject_key, subject, author, base, head, links, status, created_at, updated_at)
    VALUES (@source, @repository, @subjectKey, @subject, @author, @base, @head, @links, 'queued', @now, @now)`);
  const finishStmt = db.prepare(`UPDATE reviews SET status = 'done', verdict = @verdict, review = @review,
    error = NULL, timings = @timings, updated_at = @now WHERE id = @id`);
  const failStmt = db.prepare(`UPDATE reviews SET status = 'failed', verdict = @verdict, review = @review,
    error = @error, timings = @timings, updated_at = @now WHERE id = @id`);
  const getStmt = db.prepare('SELECT * FROM reviews WHERE id = ?');
  const historyStmt = db.prepare(
    'SELECT * FROM reviews WHERE source = ? AND repository = ? AND subject_key = ? ORDER BY id DESC',
  );

  const mustChange = (changes: number, id: number): void => {
    if (changes === 0) throw new ReviewStoreError('unknown-review', `no review with id ${id}`);
  };

  return {
    create(review: NewReview): number {
      const info = insert.run({
        source: review.source,
        repository: review.repository,
        subjectKey: review.subjectKey,
        subject: review.subject,
        author: review.author,
        base: review.base,
        head: review.head,
        links: JSON.stringify(review.links ?? {}),
        now: now(),
      });
      return Number(info.lastInsertRowid);
    },

    finish(id, review, timings) {
      const info = finishStmt.run({
        id,
        verdict: review.json.verdict,
        review: JSON.stringify(review),
        timings: JSON.stringify(timings),
        now: now(),
      });
      mustChange(info.changes, id);
    },

    fail(id, error, timings = {}, review) {
      // A failed review's verdict is `error` even when the pipeline threw before producing one,
      // so filtering on verdict=error finds every failure.
      const info = failStmt.run({
        id,
        verdict: 'error',
        review: review ? JSON.stringify(review) : null,
        error,
        timings: JSON.stringify(timings),
        now: now(),
      });
      mustChange(info.changes, id);
    },

    get(id) {
      const row = getStmt.get(id) as Row | undefined;
      return row ? toStored(row) : undefined;
    },

    list(filter, page, pageSize) {
      if (!Number.isInteger(page) || page < 1) throw new ReviewStoreError('bad-page', `page must be a positive integer, got ${page}`);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
        throw new ReviewStoreError('bad-page', `pageSize must be 1..${MAX_PAGE_SIZE}, got ${pageSize}`);
      }
      const query = listQuery(filter);
      const items = (
        db.prepare(query.sql).all({ ...query.params, limit: pageSize, offset: (page - 1) * pageSize }) as Row[]
      ).map(toStored);
      const where = whereOf(filter);
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM reviews ${where.sql}`).get(where.params) as { n: number }).n;

      // Counts ignore the verdict filter so the verdict badges say what each choice would show.
      const all = whereOf(filter, true);
      const counts = Object.fromEntries([...VERDICTS, 'queued', 'failed'].map((k) => [k, 0])) as ReviewPage['counts'];
      const byVerdict = db
        .prepare(`SELECT verdict, COUNT(*) AS n FROM reviews ${all.sql} GROUP BY verdict`)
        .all(all.params) as { verdict: string | null; n: number }[];
      for (const { verdict, n } of byVerdict) {
        if (verdict !== null && (VERDICTS as readonly string[]).includes(verdict)) counts[verdict as Verdict] = n;
      }
      const byStatus = db
        .prepare(`SELECT status, COUNT(*) AS n FROM reviews ${all.sql} GROUP BY status`)
        .all(all.params) as { status: string; n: number }[];
      for (const { status, n } of byStatus) {
        if (status === 'queued' || status === 'failed') counts[status] = n;
      }
      return { items, total, page, pageSize, counts };
    },

    history(source, repository, subjectKey) {
      return (historyStmt.all(source, repository, subjectKey) as Row[]).map(toStored);
    },
  };
}
