/**
 * Picks the code a series is reviewed against. With `--base DIR` it is always that directory;
 * with `--repo GITDIR` it is the series' `base-commit:` trailer (git format-patch --base), and
 * when the repository lacks that commit, the configured branch, with a note saying so for the
 * reply; with a GitHub base (mail config `base: { github: OWNER/REPO }`) the same, falling back
 * to the configured branch, or the repository's default branch for HEAD, only when GitHub does
 * not know the commit (a rate limit or an outage is a failure that is retried). It opens trees
 * through the functions passed in and never reads git or GitHub itself.
 */
import type { BaseTree } from '../diff/base-tree.ts';
import type { BaseUsedJson } from '../review-types.ts';

/** `used` says which base and why, for the review's `json.base` (the reply states it). */
export type BaseChoice = { ok: true; tree: BaseTree; note: string | null; used: BaseUsedJson } | { ok: false; reason: string };

export interface BaseSource {
  open(baseCommit: string | null): Promise<BaseChoice>;
}

export type OpenRev = (rev: string) => Promise<{ ok: true; tree: BaseTree } | { ok: false; reason: string }>;

/** Always the same tree (`--base DIR`); a base-commit trailer cannot be honoured and is ignored. */
export function fixedBaseSource(tree: BaseTree): BaseSource {
  // A reply names the directory, not where it sits on the bot's machine.
  const name = tree.describe().replace(/^dir .*\/([^/]+)\/*$/, 'dir $1');
  return { open: async () => ({ ok: true, tree, note: null, used: { tree: name, rev: null, chosenBy: 'dir' } }) };
}

/** The base-commit when the repository has it, else `branch`. */
export function gitBaseSource(openRev: OpenRev, branch: string): BaseSource {
  return {
    async open(baseCommit) {
      if (baseCommit) {
        const exact = await openRev(baseCommit);
        if (exact.ok) return { ok: true, tree: exact.tree, note: null, used: { tree: exact.tree.describe(), rev: baseCommit, chosenBy: 'trailer' } };
      }
      const fallback = await openRev(branch);
      if (!fallback.ok) return { ok: false, reason: fallback.reason };
      return fallbackChoice(fallback.tree, baseCommit, branch, branch);
    },
  };
}

/** What a GitHub opener answers (GitHubMirrorTree.open); `code` tells an unknown revision from an outage. */
export type OpenGitHubRev = (rev: string | null) => Promise<{ ok: true; tree: BaseTree } | { ok: false; code: string; reason: string }>;

/** The base-commit when GitHub has it, else `branch` ('HEAD': the default branch). */
export function gitHubBaseSource(open: OpenGitHubRev, branch: string): BaseSource {
  return {
    async open(baseCommit) {
      if (baseCommit) {
        const exact = await open(baseCommit);
        if (exact.ok) return { ok: true, tree: exact.tree, note: null, used: { tree: exact.tree.describe(), rev: baseCommit, chosenBy: 'trailer' } };
        if (exact.code !== 'GITHUB_UNKNOWN_REV') return { ok: false, reason: exact.reason };
      }
      const fallback = await open(branch === 'HEAD' ? null : branch);
      if (!fallback.ok) return { ok: false, reason: fallback.reason };
      return fallbackChoice(fallback.tree, baseCommit, branch, branch === 'HEAD' ? 'the default branch' : branch);
    },
  };
}


/** The configured branch's tree, with the note a reply gives when the patch named another base. */
function fallbackChoice(tree: BaseTree, baseCommit: string | null, branch: string, branchWords: string): BaseChoice {
  const note = baseCommit
    ? `Note: base-commit ${baseCommit} is not in the repository lockscope reviews against; this review used ${branchWords} (${tree.describe()}) instead.`
    : null;
  const used: BaseUsedJson = {
    tree: tree.describe(),
    rev: branch,
    chosenBy: 'default',
    ...(baseCommit ? { note: `the patch's base-commit: ${baseCommit} is not in the repository` } : {}),
  };
  return { ok: true, tree, note, used };
}
