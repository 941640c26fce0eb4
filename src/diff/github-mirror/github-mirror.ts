/**
 * From "a GitHub repository as the base" (`check --github torvalds/linux`, a mail config's
 * `base: { github: "torvalds/linux" }`) to a function that opens it at a revision. Validates
 * the repository name and API URL once, shares one REST client and one cache directory between
 * every tree it opens. The caller chooses the revision (see src/commands/choose-base.ts).
 *
 *   const mirror = gitHubMirror({ repository: 'torvalds/linux', cacheDir, token: env.GITHUB_TOKEN });
 *   if (mirror.ok) { const opened = await mirror.open('v6.1'); ... }
 */
import { join } from 'node:path';
import { userCacheDir } from '../../store/cache-dir.ts';
import { EtagCache } from './etag-cache.ts';
import { GitHubMirrorTree, type GitHubMirrorOpen } from './github-mirror-tree.ts';
import { checkApiUrl, createGitHubRest, DEFAULT_API_URL, type GitHubRestOptions } from './github-rest.ts';
import { GitObjectCache } from './git-object-cache.ts';

export { GitHubMirrorTree, type GitHubMirrorOpen } from './github-mirror-tree.ts';
export { GitHubRateLimitError } from './rate-limit.ts';

export interface GitHubMirrorConfig extends Omit<GitHubRestOptions, 'apiUrl'> {
  /** "owner/repo". */
  repository: string;
  /** Default https://api.github.com; GitHub Enterprise Server is https://HOST/api/v3. */
  apiUrl?: string;
  /** Where blobs, trees and ETags are kept between runs (see defaultGitHubCacheDir). */
  cacheDir: string;
}

export interface GitHubMirror {
  /** Opens the repository at `rev` (branch, tag or commit id), or its default branch for null. */
  open(rev: string | null): Promise<GitHubMirrorOpen>;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/** A mirror opener, or why the configuration is unusable. */
export function gitHubMirror(config: GitHubMirrorConfig): { ok: true; mirror: GitHubMirror } | { ok: false; reason: string } {
  const [owner, repo, extra] = config.repository.split('/');
  if (owner === undefined || repo === undefined || extra !== undefined || !OWNER.test(owner) || !REPO.test(repo) || repo === '.' || repo === '..') {
    return { ok: false, reason: `not a GitHub repository: ${JSON.stringify(config.repository)} (expected OWNER/REPO, e.g. torvalds/linux)` };
  }
  const api = checkApiUrl(config.apiUrl ?? DEFAULT_API_URL);
  if (!api.ok) return api;
  const client = createGitHubRest({ ...config, apiUrl: api.url });
  const host = new URL(api.url).host;
  const shared = {
    client,
    owner,
    repo: repo.replace(/\.git$/, ''),
    objects: new GitObjectCache(join(config.cacheDir, 'objects')),
    etags: new EtagCache(config.cacheDir),
    ...(host === 'api.github.com' ? {} : { host }),
  };
  return { ok: true, mirror: { open: (rev) => GitHubMirrorTree.open({ ...shared, rev }) } };
}

/** The per-user cache directory for GitHub objects (see userCacheDir). */
export function defaultGitHubCacheDir(env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform = process.platform): string {
  return userCacheDir('github', env, home, platform);
}
