/**
 * The review a front end gets back from `review()`: the `lockscope.review/1` JSON that every
 * renderer, the store and the dashboard read, plus the few extras that are not part of the JSON
 * contract (the graph around the patch, the hunks to quote). Plain, serializable data.
 */
import type { ConfigFile } from './analyzers/c/kernel-config.ts';
import type { LockFunctionConfig } from './analyzers/locks/catalogue-config.ts';
import type { EdgeJson, FindingJson, FindingKind, InversionJson, LockdepCheckJson, LockJson, Outcome, Verdict } from './analyzers/report-types.ts';
import type { LockdepCrossCheckJson } from './analyzers/order/lockdep-check.ts';
import type { BaseTree } from './diff/base-tree.ts';
import type { ContextJson, ContextMode } from './context/types.ts';
import type { StoredGraph } from './analyzers/order/stored-graph.ts';

export type { ContextJson, ContextMode };

export type { FindingJson, FindingKind, LockdepCheckJson, Outcome, Verdict };

/** The lockdep cross-check: /1's `locks`, `confirmed`, `detail`; reviews stored since add the rest. */
export type LockdepJson = LockdepCheckJson &
  Partial<Omit<LockdepCrossCheckJson, keyof LockdepCheckJson>> & {
    /** The patch of the series (1-based) whose commit message quotes the report. */
    patch?: number;
  };

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

/**
 * An order edge the patch adds (named as after the patch) or removes (named as before it), with
 * the inversions it closes or breaks: a patch changes edges, cycles are their consequences.
 */
export interface EdgeChangeJson extends EdgeJson {
  /**
   * The keys (`inversionKey`, src/analyzers/analysis-json.ts) of the inversions through this
   * edge, shortest first: in `inversions.added` for an added edge, `inversions.removed` for a
   * removed one. Empty for an edge that closes or breaks no cycle.
   */
  cycles: string[];
}

/** Edges are matched by their pair of lock classes (from, to), never by line. */
export interface EdgeSet {
  added: EdgeChangeJson[];
  removed: EdgeChangeJson[];
}

/**
 * A bound or blind spot of the analysis that matters to this patch: a cycle enumeration that hit
 * its bound, a loop that did not settle, a lock or call lockscope could not follow, inside a
 * function the patch touches. `file` is '' and `line` 0 for a bound of the whole analysis.
 */
export interface CaveatJson {
  file: string;
  line: number;
  reason: string;
}

export interface PatchReviewJson {
  subject: string | null;
  messageId: string | null;
  verdict: Verdict;
  inversions: InversionSet;
  outcome: Outcome;
  findings: FindingSet;
  /** Absent in reviews stored before edges were reported. */
  edges?: EdgeSet;
}

export interface TouchedFunctionJson {
  file: string;
  name: string;
  hunks: number;
  /** The patches of the series (1-based) with a hunk in it; absent in older reviews. */
  patches?: number[];
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
  /** The order edges the patch adds and removes (absent in reviews stored before /2 had them). */
  edges?: EdgeSet;
  /** Bounds and blind spots inside the code the patch touches (absent in older reviews). */
  caveats?: CaveatJson[];
  /** Present when a configuration turned kinds off: the kinds this review reports. */
  kinds?: FindingKind[];
  patches: PatchReviewJson[];
  lockdep: LockdepJson | null;
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
  /** The patch of the series it belongs to (0-based, as `meta`); absent in older reviews. */
  patch?: number;
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
  /**
   * The lock classes the review names (report name, kind, the expressions each was seen as), so
   * renderers can show a class the way lockdep names it (`&iommu->lock`). Absent in older reviews.
   */
  locks?: LockJson[];
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
  /** The kinds of finding to report (src/finding-kinds.ts); absent: every kind. */
  kinds?: readonly FindingKind[];
  /**
   * Finding keys known to be there (`--baseline FILE`, read by the front end); without it, the
   * base tree's own `.lockscope-baseline.json` is read if it has one.
   */
  baseline?: { keys: readonly string[]; source: string };
  /** The kernel .config or defconfig to analyse for (`--config`): `#ifdef CONFIG_X` follows it. */
  config?: ConfigFile;
  /**
   * The lock-order graph of the whole base tree (review/tree-graph-build.ts), and where it is
   * from: cycles through an edge the patch changes are also looked for through the rest of the
   * tree. Its context mode is reported as `tree`.
   */
  treeGraph?: { graph: StoredGraph; source: string };
}

