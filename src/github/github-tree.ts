/**
 * A BaseTree over the GitHub API at one commit: directories through the contents API, file texts
 * by blob SHA through the git API (cached in a BlobCache shared across reviews), the whole tree
 * through one recursive git tree call. Nothing is cloned or written to disk.
 *
 * Like DirTree and GitTree, a file over 4 MiB is not fetched (its size is in the listing) and a
 * symlink is not followed; both read as absent, and `refusal` says why, so a pull request that
 * changes one is told which limit kept it out instead of "does not exist" (issue 16: a 4 MB C
 * file took about 1 GB to analyse). Submodules are absent (the pipeline reads C files only).
 *
 * It is not a general GitHub client. An API failure is remembered in `lastError` before it is
 * rethrown, because review() turns exceptions into an INTERNAL failure and the app wants the
 * HTTP status (a rate limit is not a bug).
 */
import type { BaseRefusal, BaseTree } from '../diff/base-tree.ts';
import { MAX_FILE_BYTES, tooLarge } from '../diff/dir-tree.ts';
import type { BlobCache } from './blob-cache.ts';
import type { GitHubApi } from './types.ts';

/** The contents API lists at most this many entries of one directory. */
const CONTENTS_LIST_LIMIT = 1000;

export interface GitHubTreeOptions {
  octokit: GitHubApi;
  owner: string;
  repo: string;
  /** The commit the tree is read at. */
  sha: string;
  cache: BlobCache;
}

interface Entry {
  path: string;
  sha: string;
  /** Bytes, when the listing says. */
  size: number | null;
  symlink: boolean;
}

const sizeOf = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export class GitHubTree implements BaseTree {
  /** Every read is an API request: the `calls` context indexes only the directories around a patch. */
  readonly remote = true;
  /** The first API error a read ran into, for toOutcome; undefined when all went well. */
  lastError: unknown;
  /** Set when GitHub truncated the recursive tree listing (very large repositories). */
  truncated = false;
  readonly #o: GitHubTreeOptions;
  readonly #dirs = new Map<string, Promise<Entry[]>>();
  readonly #blobs = new Map<string, Promise<string>>();
  readonly #refusals = new Map<string, BaseRefusal>();
  #all: Promise<Map<string, Entry>> | undefined;

  constructor(options: GitHubTreeOptions) {
    this.#o = options;
  }

  async read(path: string): Promise<string | undefined> {
    const entry = await this.#entry(path);
    if (entry === undefined) return undefined;
    if (entry.symlink) {
      this.#refusals.set(path, { code: 'UNSAFE_PATH', reason: `${path} is a symlink in the base; lockscope does not follow symlinks in a GitHub base tree` });
      return undefined;
    }
    if (entry.size !== null && entry.size > MAX_FILE_BYTES) {
      this.#refusals.set(path, tooLarge(path, entry.size));
      return undefined;
    }
    const sha = entry.sha;
    const cached = this.#o.cache.get(sha);
    if (cached !== undefined) return cached;
    let pending = this.#blobs.get(sha);
    if (!pending) {
      pending = this.#call(async () => {
        const { data } = await this.#o.octokit.rest.git.getBlob({ owner: this.#o.owner, repo: this.#o.repo, file_sha: sha });
        const text = data.encoding === 'base64' ? Buffer.from(data.content, 'base64').toString('utf8') : data.content;
        this.#o.cache.set(sha, text);
        return text;
      });
      this.#blobs.set(sha, pending);
    }
    return pending;
  }

  /** Why read() returned undefined for `path`, which exists: over 4 MiB, or a symlink. */
  refusal(path: string): BaseRefusal | undefined {
    return this.#refusals.get(path);
  }

  async list(dir: string): Promise<string[]> {
    return (await this.#listDir(dir)).filter((e) => !e.symlink).map((e) => e.path);
  }

  async listAll(): Promise<string[]> {
    return [...(await this.#tree()).values()].filter((e) => !e.symlink).map((e) => e.path);
  }

  describe(): string {
    return `github ${this.#o.owner}/${this.#o.repo}@${this.#o.sha.slice(0, 12)}`;
  }

  async #entry(path: string): Promise<Entry | undefined> {
    if (this.#all) return (await this.#all).get(path);
    const slash = path.lastIndexOf('/');
    const entries = await this.#listDir(slash < 0 ? '' : path.slice(0, slash));
    return entries.find((e) => e.path === path);
  }

  #listDir(dir: string): Promise<Entry[]> {
    let pending = this.#dirs.get(dir);
    if (!pending) {
      pending = this.#call(async () => {
        let data: unknown;
        try {
          ({ data } = await this.#o.octokit.rest.repos.getContent({ owner: this.#o.owner, repo: this.#o.repo, path: dir, ref: this.#o.sha }));
        } catch (err) {
          if ((err as { status?: number }).status === 404) return [];
          throw err;
        }
        if (!Array.isArray(data)) return []; // `dir` is a file, not a directory
        if (data.length >= CONTENTS_LIST_LIMIT) {
          // A truncated listing would hide files: ask the recursive tree instead.
          const all = await this.#tree();
          const prefix = dir === '' ? '' : `${dir}/`;
          return [...all.values()].filter((e) => e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/'));
        }
        return (data as { type: string; path: string; sha: string; size?: unknown }[])
          .filter((e) => e.type === 'file' || e.type === 'symlink')
          .map((e) => ({ path: e.path, sha: e.sha, size: sizeOf(e.size), symlink: e.type === 'symlink' }));
      });
      this.#dirs.set(dir, pending);
    }
    return pending;
  }

  /**
   * The git tree id of the commit (the recursive listing names it): the same key a local
   * clone's GitTree gives, so a whole-tree graph `lockscope graph` stored from a clone serves
   * reviews of the same commit here.
   */
  async cacheKey(): Promise<string> {
    await this.#tree();
    return `git tree ${this.#treeId ?? this.#o.sha}`;
  }

  #treeId: string | undefined;

  #tree(): Promise<Map<string, Entry>> {
    this.#all ??= this.#call(async () => {
      const { data } = await this.#o.octokit.rest.git.getTree({ owner: this.#o.owner, repo: this.#o.repo, tree_sha: this.#o.sha, recursive: 'true' });
      this.truncated = data.truncated === true;
      this.#treeId = data.sha;
      const files = new Map<string, Entry>();
      for (const e of data.tree) {
        if (e.type === 'blob' && e.path && e.sha) files.set(e.path, { path: e.path, sha: e.sha, size: sizeOf(e.size), symlink: e.mode === '120000' });
      }
      return files;
    });
    return this.#all;
  }

  async #call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      this.lastError ??= err;
      throw err;
    }
  }
}
