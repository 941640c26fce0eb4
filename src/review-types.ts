/**
 * The review a front end gets back from `review()`: the `lockscope.review/1` JSON that every
 * renderer, the store and the dashboard read, plus the few extras that are not part of the JSON
 * contract (the graph around the patch, the hunks to quote). Plain, serializable data.
 */
import type { LockFunctionConfig } from './analyzers/locks/catalogue-config.ts';
import type { EdgeJson, InversionJson, LockdepCheckJson, LockJson, Verdict } from './analyzers/report-types.ts';

export type { LockdepCheckJson, Verdict };
import type { BaseTree } from './diff/base-tree.ts';


export interface InversionSet {
  added: InversionJson[];
  removed: InversionJson[];
  unchanged: InversionJson[];
}

export interface PatchReviewJson {
  subject: string | null;
  messageId: string | null;
  verdict: Verdict;
  inversions: InversionSet;
}

export interface TouchedFunctionJson {
  file: string;
  name: string;
  hunks: number;
}

/** Exactly the `--format json` output of `lockscope check`. */
export interface ReviewJson {
  schema: 'lockscope.review/1';
  verdict: Verdict;
  inversions: InversionSet;
  patches: PatchReviewJson[];
  lockdep: LockdepCheckJson | null;
  functions: TouchedFunctionJson[];
  errors: string[];
}

/** The lock-order graph restricted to the classes the patch touches (and their neighbours). */
export interface GraphView {
  locks: LockJson[];
  edges: EdgeJson[];
}

/** A hunk worth quoting in a reply: the lines as in the patch, with lock-taking lines marked. */
export interface HunkQuote {
  file: string;
  function: string | null;
  header: string;
  /** Diff lines with their prefix (' ', '+', '-'). */
  lines: string[];
  /** Indexes into `lines` of lines that take or release a lock. */
  lockLines: number[];
}

export interface PatchMeta {
  subject: string | null;
  messageId: string | null;
  author: string | null;
  baseCommit: string | null;
}

export interface Review {
  json: ReviewJson;
  graph: { before: GraphView; after: GraphView };
  hunks: HunkQuote[];
  /** One per patch, cover letter excluded, in application order. */
  meta: PatchMeta[];
  /** Set when verdict is `error`: a stable code front ends map to behaviour (never match messages). */
  failure: { code: string; message: string } | null;
}

/** What a front end hands to `review()` (src/review.ts). */
export interface ReviewRequest {
  /**
   * Each entry is a unified diff, one `git format-patch` email, or an mbox holding a series
   * (cover letter and parts in any order). Entries are concatenated in order into one series.
   */
  patches: string[];
  base: BaseTree;
  /** What is analyzed besides the touched files; default 'dir'. */
  context?: 'touched' | 'dir' | 'tree';
  /** A project's own lock functions, added to the catalogue. */
  lockFunctions?: LockFunctionConfig[];
}
