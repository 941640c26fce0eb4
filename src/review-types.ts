/**
 * The review a front end gets back from `review()`: the `lockscope.review/1` JSON that every
 * renderer, the store and the dashboard read, plus the few extras that are not part of the JSON
 * contract (the graph around the patch, the hunks to quote). Plain, serializable data.
 */
import type { LockFunctionConfig } from './analyzers/locks/catalogue-config.ts';
import type { EdgeJson, FindingJson, InversionJson, LockdepCheckJson, LockJson, Outcome, Verdict } from './analyzers/report-types.ts';

export type { FindingJson, LockdepCheckJson, Outcome, Verdict };
import type { BaseTree } from './diff/base-tree.ts';
import type { ContextJson, ContextMode } from './context/types.ts';

export type { ContextJson, ContextMode };


export interface InversionSet {
  added: InversionJson[];
  removed: InversionJson[];
  unchanged: InversionJson[];
}

/** Findings of every kind, before/after: matched by kind and lock classes (and function), never by line. */
export interface FindingSet {
  added: FindingJson[];
  removed: FindingJson[];
  unchanged: FindingJson[];
}

export interface PatchReviewJson {
  subject: string | null;
  messageId: string | null;
  verdict: Verdict;
  inversions: InversionSet;
  outcome: Outcome;
  findings: FindingSet;
}

export interface TouchedFunctionJson {
  file: string;
  name: string;
  hunks: number;
}

/**
 * The code a review read and why that code: `--rev` beats a patch's `base-commit:` trailer, which
 * beats the parent of a local commit the patch already is (`patch-commit`, b4 prep), which beats
 * the default (HEAD, or a GitHub repository's default branch); `--base DIR` is a directory.
 * Set by the front end that chose it; renderers say it so a reader knows what "before" was.
 */
export interface BaseUsedJson {
  /** BaseTree.describe(): "git 1a2b3c4d5e6f", "github torvalds/linux@1a2b3c4d5e6f", "dir /src/linux". */
  tree: string;
  /** The revision as asked for ("HEAD", "v6.1", the trailer's id, "<commit>^"); null for a directory. */
  rev: string | null;
  chosenBy: 'rev' | 'trailer' | 'patch-commit' | 'default' | 'dir';
  /** Why a preferred source was passed over: "base-commit 0123abc is not in the repository". */
  note?: string;
}

/** Exactly the `--format json` output of `lockscope check`. */
export interface ReviewJson {
  schema: 'lockscope.review/2';
  /** Lock-order inversions only, as in /1. */
  verdict: Verdict;
  inversions: InversionSet;
  /** Over every kind of finding. */
  outcome: Outcome;
  findings: FindingSet;
  patches: PatchReviewJson[];
  lockdep: LockdepCheckJson | null;
  functions: TouchedFunctionJson[];
  errors: string[];
  /** Present when the front end said which base it chose (ReviewRequest.baseUsed). */
  base?: BaseUsedJson;
  /** What was analyzed besides the touched files, and whether the `calls` budget cut it. */
  context?: ContextJson;
  /** The baseline file used (findings it records are marked `suppressed: {by: 'baseline'}`). */
  baseline?: { source: string; known: number };
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
  /** What is analyzed besides the touched files; default 'calls' (src/context/types.ts). */
  context?: ContextMode;
  /** A project's own lock functions, added to the catalogue. */
  lockFunctions?: LockFunctionConfig[];
  /** Repository-relative directories whose .c/.h files are analyzed too (`--context-dir`). */
  contextDirs?: string[];
  /**
   * `--max-context-files`/`--max-context-bytes`: for `calls` the budget it stops at (default 400
   * files, 40 MB), for the other modes the most before the review fails TOO_LARGE (default
   * LIMITS.contextFiles/contextBytes).
   */
  maxContextFiles?: number;
  maxContextBytes?: number;
  /** Which base the front end chose and how; copied into the review's `json.base`. */
  baseUsed?: BaseUsedJson;
  /**
   * Finding keys known to be there (`--baseline FILE`, read by the front end); without it, the
   * base tree's own `.lockscope-baseline.json` is read if it has one.
   */
  baseline?: { keys: readonly string[]; source: string };
}

