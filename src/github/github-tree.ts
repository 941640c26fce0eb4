/**
 * A BaseTree over the GitHub API at one commit: directories through the contents API, file texts
 * by blob SHA through the git API (cached in a BlobCache shared across reviews), the whole tree
 * through one recursive git tree call. Nothing is cloned or written to disk.
 *
 * It is not a general GitHub client: symlinks and submodules are treated as absent (the
 * pipeline reads C files only), and an API failure is remembered in `lastError` before it is
 * rethrown, because review() turns exceptions into an INTERNAL failure and the app wants the
 * HTTP status (a rate limit is not a bug).
 */
import type { BaseTree } from '../diff/base-tree.ts';
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
}

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
  #all: Promise<Map<string, string>> | undefined;

  constructor(options: GitHubTreeOptions) {
    this.#o = options;
  }

  async read(path: string): Promise<string | undefined> {
    const sha = await this.#blobSha(path);
    if (sha === undefined) return undefined;
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

  async list(dir: string): Promise<string[]> {
    return (await this.#listDir(dir)).map((e) => e.path);
  }

  async listAll(): Promise<string[]> {
    return [...(await this.#tree()).keys()];
  }

  describe(): string {
    return `github ${this.#o.owner}/${this.#o.repo}@${this.#o.sha.slice(0, 12)}`;
  }

  async #blobSha(path: string): Promise<string | undefined> {
    if (this.#all) return (await this.#all).get(path);
    const slash = path.lastIndexOf('/');
    const entries = await this.#listDir(slash < 0 ? '' : path.slice(0, slash));
    return entries.find((e) => e.path === path)?.sha;
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
          return [...all].filter(([p]) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/')).map(([p, sha]) => ({ path: p, sha }));
        }
        return (data as { type: string; path: string; sha: string }[]).filter((e) => e.type === 'file').map((e) => ({ path: e.path, sha: e.sha }));
      });
      this.#dirs.set(dir, pending);
    }
    return pending;
  }

  #tree(): Promise<Map<string, string>> {
    this.#all ??= this.#call(async () => {
      const { data } = await this.#o.octokit.rest.git.getTree({ owner: this.#o.owner, repo: this.#o.repo, tree_sha: this.#o.sha, recursive: 'true' });
      this.truncated = data.truncated === true;
      const files = new Map<string, string>();
      for (const e of data.tree) if (e.type === 'blob' && e.mode !== '120000' && e.path && e.sha) files.set(e.path, e.sha);
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
