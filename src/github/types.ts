/**
 * The values the GitHub front end passes between its modules. Webhook JSON is read into these at
 * the boundary (pull-request-ref.ts); nothing past it sees a raw payload.
 */
import type { ProbotOctokit } from 'probot';
import type { Review, ReviewRequest } from '../review-types.ts';
import type { Renderer } from '../render/types.ts';
import type { ReviewStore } from '../store/types.ts';
import type { BlobCache } from './blob-cache.ts';
import type { KeyedQueue } from './keyed-queue.ts';
import type { ReviewQueue } from './review-queue.ts';

/** The installation-authenticated client Probot hands each event (`context.octokit`). */
export type GitHubApi = ProbotOctokit;

/** One pull request at one head commit: everything a review of it needs to address GitHub. */
export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  title: string;
  author: string | null;
  headSha: string;
  baseSha: string;
  htmlUrl: string;
  draft: boolean;
  state: 'open' | 'closed';
}

/** What lockscopeApp needs from outside: passed in, never imported as a global. */
export interface AppDeps {
  store: ReviewStore;
  review: (request: ReviewRequest) => Promise<Review>;
  /** The markdown renderer (`renderers.get('markdown')`). */
  render: Renderer;
  /** Wall-clock milliseconds since the epoch: check run timestamps and review timings. */
  clock: () => number;
  /** The dashboard's public base URL; comments link `${publicUrl}/reviews/<id>` when set. */
  publicUrl?: string;
  /** Where code links point: https://github.com, or GHE_PROTOCOL://GHE_HOST. */
  htmlBase?: string;
  /** Shared across reviews; a fresh one per app when omitted. */
  blobCache?: BlobCache;
  /** Per-review time bound, from when the review starts; default 5 minutes. */
  reviewTimeoutMs?: number;
  /** How many reviews run at once across all pull requests; a fresh one (2 slots) per app when omitted. */
  reviewQueue?: ReviewQueue;
  /** Serializes work per pull request; a fresh one per app when omitted. */
  queue?: KeyedQueue;
}
