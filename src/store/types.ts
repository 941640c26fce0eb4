/**
 * The review store every front end writes and the dashboard reads. A review row is written
 * (status `queued`) before any comment or reply is sent, then finished or failed: nothing is lost.
 */
import type { Review, Verdict } from '../review-types.ts';

export type ReviewSource = 'github' | 'mail' | 'cli';
export type ReviewStatus = 'queued' | 'done' | 'failed';

export interface NewReview {
  source: ReviewSource;
  /** "owner/repo" for GitHub, the list address for mail, the base path for the CLI. */
  repository: string;
  /**
   * What groups re-reviews into one history: "pr:42" for GitHub, "series:<cover or first
   * Message-ID>" (or b4 change-id) for mail, a patch hash for the CLI.
   */
  subjectKey: string;
  subject: string;
  author: string | null;
  base: string | null;
  head: string | null;
  /** PR URL, Message-IDs, ...: whatever the dashboard should link to. */
  links: { prUrl?: string; messageIds?: string[]; commitUrlBase?: string };
}

export interface StoredReview extends NewReview {
  id: number;
  status: ReviewStatus;
  verdict: Verdict | null;
  review: Review | null;
  error: string | null;
  timings: Record<string, number>;
  createdAt: string;
  updatedAt: string;
}

export interface ReviewFilter {
  verdict?: Verdict;
  source?: ReviewSource;
  repository?: string;
  author?: string;
  text?: string;
}

export interface ReviewPage {
  items: StoredReview[];
  total: number;
  page: number;
  pageSize: number;
  counts: Record<Verdict | 'queued' | 'failed', number>;
}

export interface ReviewStore {
  create(review: NewReview): number;
  finish(id: number, review: Review, timings: Record<string, number>): void;
  /** Marks the review failed; `review` is kept when the pipeline produced one (verdict `error`). */
  fail(id: number, error: string, timings?: Record<string, number>, review?: Review): void;
  get(id: number): StoredReview | undefined;
  list(filter: ReviewFilter, page: number, pageSize: number): ReviewPage;
  /** Every review with the same source, repository and subjectKey, newest first. */
  history(source: ReviewSource, repository: string, subjectKey: string): StoredReview[];
}
