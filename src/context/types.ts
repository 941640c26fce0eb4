/**
 * The context of a review: which files are analyzed besides the touched ones, and what the
 * review says about that choice (`json.context`). Plain data.
 */

/**
 * `calls` (default): the touched files, their quoted includes, the files defining what the
 * touched functions call (transitively) and the files calling them, within a budget. `touched`:
 * the touched files and their quoted includes. `dir`: also the other C files of their directories.
 * `tree`: every C file.
 */
export type ContextMode = 'calls' | 'touched' | 'dir' | 'tree';

export const CONTEXT_MODES: readonly ContextMode[] = ['calls', 'touched', 'dir', 'tree'];

/** How much `calls` may add around the patch; the touched files and their includes always go in. */
export interface ContextBudget {
  files: number;
  bytes: number;
}

/**
 * A file `calls` wanted and left out, and why it was wanted: `callee`, it defines `of`, which an
 * analyzed function calls; `caller`, it calls the touched function `of`; `include`, the file `of`
 * includes it; `registers`, it registers the function of the work or timer member `of` that an
 * analyzed function flushes or cancels.
 */
export interface ContextLeftJson {
  path: string;
  /** `lock-user caller`: a caller of a function in a touched file that takes a lock the touched functions take. */
  as: 'callee' | 'caller' | 'lock-user caller' | 'include' | 'registers';

  of: string;
  /** Calls away from the touched functions (1: a direct callee or caller). */
  depth: number;
}

/**
 * What was analyzed and, for `calls`, whether the budget cut it:
 * `{ mode: 'calls', files: 400, bytes: 9123456, depth: 3, cutBy: 'files', left: [...], leftCount: 57, index: { scope: 'tree', files: 30055 } }`.
 */
export interface ContextJson {
  mode: ContextMode;
  /** Files analyzed on both sides of the patch, and their bytes in the base (or the patched text for new files). */
  files: number;
  bytes: number;
  /** `calls`: the deepest call level a file was added for (1: a direct callee or caller of a touched function). */
  depth?: number;
  /** `calls`: the budget ran out: on files (the rest of the queue was left) or on bytes (larger files were passed over). */
  cutBy?: 'files' | 'bytes';
  /** The first files left out, nearest to the patch first (at most 20); `leftCount` counts them all. */
  left?: ContextLeftJson[];
  leftCount?: number;
  /** `calls`: the symbol index used: the whole tree, or only the directories around the patch (a remote base, or a tree over the index limit). */
  index?: { scope: 'tree' | 'near'; files: number };
  /** The kernel .config or defconfig both sides were analysed for (`--config`), as given. */
  config?: string;
  /**
   * The lock-order graph of the whole base tree both sides were closed through
   * (order/tree-closure.ts): where it is from, its edges kept around the analysed files and
   * those the analysed files' own analysis replaced.
   */
  treeGraph?: { source: string; kept: number; replaced: number };
}

/** Where a function is defined, as the symbol index saw it. */
export interface DefinitionSite {
  path: string;
  isStatic: boolean;
  isMacro: boolean;
}
