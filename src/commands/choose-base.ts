/**
 * Which code `lockscope check` reviews a patch against, and why (issue 13): `--base DIR` is that
 * directory; with `--repo GITDIR` or `--github OWNER/REPO` an explicit `--rev` wins, else the
 * patch's `base-commit:` trailer (git format-patch --base), else (--repo only) the parent of the
 * commit the patch already is on this branch (b4 prep --check), else HEAD or the repository's
 * default branch. A trailer the repository lacks falls through with a note; an explicit --rev
 * the repository lacks is an error, never silently replaced.
 *
 * The choice travels with the review as `json.base` (BaseUsedJson), so every output format can
 * say it. Nothing is printed here (but a rate-limit wait, on a terminal only): under b4 any
 * stderr line marks the patch failed.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { BaseTree } from '../diff/base-tree.ts';
import { DirTree } from '../diff/dir-tree.ts';
import { GitTree } from '../diff/git-tree.ts';
import { defaultGitHubCacheDir, gitHubMirror } from '../diff/github-mirror/github-mirror.ts';
import type { BaseUsedJson } from '../review-types.ts';
import { findPatchCommit } from './find-patch-commit.ts';
import type { CliIo } from './types.ts';

export interface BaseOptions {
  base?: string;
  repo?: string;
  github?: string;
  rev?: string;
  githubApi?: string;
  cacheDir?: string;
}

export type ChosenBase =
  | { ok: true; tree: BaseTree; used: BaseUsedJson; close: () => void }
  | { ok: false; reason: string };

type Opened = { ok: true; tree: BaseTree; rev: string; commit: string } | { ok: false; reason: string; code: string };
type Opener = (rev: string | null) => Promise<Opened>;
interface Source {
  open: Opener;
  where: string;
  /** The local commit the input's first patch already is (git only; see find-patch-commit.ts). */
  findCommit?: (patches: readonly string[]) => Promise<string | null>;
}

/** The first `base-commit:` trailer of the input (a series names it once, after the last patch or on the cover). */
export function baseCommitTrailer(patches: readonly string[]): string | null {
  for (const p of patches) {
    const m = /^base-commit: ([0-9a-f]{7,40})\s*$/m.exec(p);
    if (m) return m[1] as string;
  }
  return null;
}

/**
 * Checks the base options (a missing --base or --repo directory, a malformed --github) before any
 * patch is read, then picks the tree once the patches are known.
 */
export async function baseSource(o: BaseOptions, io: CliIo): Promise<{ ok: true; choose: (patches: readonly string[]) => Promise<ChosenBase> } | { ok: false; reason: string }> {
  const given = o.base ?? o.repo;
  if (given !== undefined) {
    const info = await stat(resolve(io.cwd, given)).catch(() => undefined);
    const flag = o.base !== undefined ? '--base' : '--repo';
    if (!info) return { ok: false, reason: `${flag} ${given}: no such directory` };
    if (!info.isDirectory()) return { ok: false, reason: `${flag} ${given}: not a directory` };
  }
  if (o.base !== undefined) {
    const tree = new DirTree(resolve(io.cwd, o.base));
    return {
      ok: true,
      choose: async (patches) => {
        const trailer = baseCommitTrailer(patches);
        const note = trailer ? `the patch's base-commit: ${trailer} is not used with --base` : undefined;
        return { ok: true, tree, used: { tree: tree.describe(), rev: null, chosenBy: 'dir', ...(note ? { note } : {}) }, close: () => undefined };
      },
    };
  }
  const opener = openerFor(o, io);
  if (!opener.ok) return opener;
  return { ok: true, choose: (patches) => chooseRevision(opener, o.rev, patches) };
}

async function chooseRevision({ open, where, findCommit }: Source, rev: string | undefined, patches: readonly string[]): Promise<ChosenBase> {
  const trailer = baseCommitTrailer(patches);
  const done = (opened: Opened & { ok: true }, chosenBy: BaseUsedJson['chosenBy'], note?: string): ChosenBase => ({
    ok: true,
    tree: opened.tree,
    used: { tree: opened.tree.describe(), rev: opened.rev, chosenBy, ...(note ? { note } : {}) },
    close: () => (opened.tree instanceof GitTree ? opened.tree.close() : undefined),
  });

  if (rev !== undefined) {
    const opened = await open(rev);
    if (!opened.ok) return { ok: false, reason: opened.reason };
    const overrides = trailer !== null && !opened.commit.startsWith(trailer);
    return done(opened, 'rev', overrides ? `--rev ${rev} wins over the patch's base-commit: ${trailer}` : undefined);
  }
  let missing: string | undefined;
  if (trailer) {
    const opened = await open(trailer);
    if (opened.ok) return done(opened, 'trailer');
    if (opened.code !== 'GIT_UNKNOWN_REV' && opened.code !== 'GITHUB_UNKNOWN_REV') return { ok: false, reason: opened.reason };
    missing = `the patch's base-commit: ${trailer} is not in ${where}`;
  }
  const commit = findCommit ? await findCommit(patches) : null;
  if (commit) {
    const parent = await open(`${commit}^`);
    if (parent.ok) return done(parent, 'patch-commit', missing);
  }
  const fallback = await open(null);
  if (!fallback.ok) return { ok: false, reason: fallback.reason };
  return done(fallback, 'default', missing && `${missing}; reviewed against ${fallback.rev} instead (pass --rev to choose)`);
}

function openerFor(o: BaseOptions, io: CliIo): ({ ok: true } & Source) | { ok: false; reason: string } {
  if (o.repo !== undefined) {
    const repo = resolve(io.cwd, o.repo);
    return {
      ok: true,
      where: repo,
      open: async (rev) => {
        const opened = await GitTree.tryOpen(repo, rev ?? 'HEAD');
        return opened.ok ? { ok: true, tree: opened.tree, rev: rev ?? 'HEAD', commit: opened.tree.commit } : opened;
      },
      findCommit: (patches) => findPatchCommit(repo, patches.join('\n')),
    };
  }
  const mirror = gitHubMirror({
    repository: o.github ?? '',
    cacheDir: o.cacheDir !== undefined ? resolve(io.cwd, o.cacheDir) : defaultGitHubCacheDir(io.env, homedir()),
    ...(io.env.GITHUB_TOKEN ? { token: io.env.GITHUB_TOKEN } : {}),
    ...((o.githubApi ?? io.env.GITHUB_API_URL) ? { apiUrl: o.githubApi ?? io.env.GITHUB_API_URL } : {}),
    // Said on a terminal only: a line on stderr makes b4 mark the patch failed.
    onWait: (ms, reason) => {
      if (io.stderr.isTTY) io.stderr.write(`lockscope check: ${reason}; waiting ${Math.ceil(ms / 1000)} s for the reset\n`);
    },
  });
  if (!mirror.ok) return mirror;
  return {
    ok: true,
    where: `github ${o.github}`,
    open: async (rev) => {
      const opened = await mirror.mirror.open(rev);
      return opened.ok ? { ...opened, commit: opened.tree.commit } : opened;
    },
  };
}
