/**
 * A BaseTree over a GitHub repository at one commit, read through the git database API: one
 * trees call per directory (a listing gives the ids of the files and subdirectories in it), one
 * blobs call per file not already in the on-disk GitObjectCache, one recursive trees call for
 * `--context tree`. Nothing is cloned. `lockscope check --github owner/repo`, and the mail bot's
 * `base: { github: ... }`, read the kernel this way without a local clone.
 *
 *   open(rev):  rev null      -> GET /repos/{o}/{r}                 default branch (ETag, 304)
 *               rev not an id -> GET /repos/{o}/{r}/commits/{rev}     commit id      (ETag, 304)
 *               commit id     -> GET /repos/{o}/{r}/git/trees/{id}    root listing   (cached by id)
 *   read(a/b/c.c)            -> listing of a/ (from the root's), of a/b/ -> blob id -> blob
 *
 * Like GitTree: symlinks and submodules read as absent, files over 4 MiB read as absent and are
 * listed in `skipped`. Unlike the app's src/github/github-tree.ts it lists directories with the
 * trees API (the contents API lists one directory per call too, but caps it at 1,000 entries and
 * cannot be cached by id) and keeps objects on disk between runs. An API failure during a read
 * is thrown (review() reports it) and kept in `lastError` for the front end's message.
 */
import type { Octokit } from '@octokit/rest';
import { UnsafePathError } from '../apply.ts';
import type { BaseRefusal, BaseTree } from '../base-tree.ts';
import { MAX_FILE_BYTES, tooLarge } from '../dir-tree.ts';
import { checkPatchPath } from '../safe-path.ts';
import type { EtagCache } from './etag-cache.ts';
import { gitBlobId, type GitObjectCache } from './git-object-cache.ts';
import { GitHubRateLimitError } from './rate-limit.ts';

export interface GitHubMirrorTreeOptions {
  client: Octokit;
  owner: string;
  repo: string;
  objects: GitObjectCache;
  etags: EtagCache;
  /** Shown in describe() when not github.com: "ghe.example.com". */
  host?: string;
}

export type GitHubMirrorOpen =
  | { ok: true; tree: GitHubMirrorTree; /** The revision opened: the branch name when `rev` was null. */ rev: string }
  | { ok: false; code: 'GITHUB_UNKNOWN_REV' | 'GITHUB_RATE_LIMIT' | 'GITHUB_FAILED'; reason: string };

/** One entry of a directory listing, as kept in the cache. */
interface Entry {
  name: string;
  type: 'blob' | 'tree' | 'commit';
  mode: string;
  id: string;
  size: number | null;
}

const FULL_ID = /^[0-9a-f]{40}$/;
const SYMLINK_MODE = '120000';
const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const statusOf = (err: unknown): number | undefined => (err as { status?: number }).status;

/** API tree entries to cache entries; names that could not be a path component are dropped. */
function entriesOf(tree: readonly { path?: string; mode?: string; type?: string; sha?: string; size?: number }[]): Entry[] {
  const out: Entry[] = [];
  for (const e of tree) {
    if (!e.path || !e.sha || !e.mode || (e.type !== 'blob' && e.type !== 'tree' && e.type !== 'commit')) continue;
    out.push({ name: e.path, type: e.type, mode: e.mode, id: e.sha, size: typeof e.size === 'number' ? e.size : null });
  }
  return out;
}

/** A plain-text answer: Octokit hands over a string, or an ArrayBuffer when no charset was sent. */
function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return Buffer.from(data as ArrayBuffer).toString('utf8');
  return '';
}

function why(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class GitHubMirrorTree implements BaseTree {
  /** Every read is an API request: the `calls` context indexes only the directories around a patch. */
  readonly remote = true;
  /** Paths not read: over 4 MiB. In the order met, once each. */
  readonly skipped: string[] = [];
  /** The first API error a read ran into; undefined when all went well. */
  lastError: unknown;
  readonly #o: GitHubMirrorTreeOptions;
  readonly #listings = new Map<string, Promise<Entry[] | undefined>>();
  readonly #blobs = new Map<string, Promise<string>>();
  readonly #refusals = new Map<string, BaseRefusal>();
  #all: Promise<string[]> | undefined;

  private constructor(
    options: GitHubMirrorTreeOptions,
    /** The full commit id the tree is read at. */
    readonly commit: string,
    root: Entry[],
  ) {
    this.#o = options;
    this.#listings.set('', Promise.resolve(root));
  }

  /**
   * Resolves `rev` (a branch, tag or commit id; null for the default branch) and reads the root
   * listing; an unknown revision, a rate limit or an API failure is a value.
   */
  static async open(options: GitHubMirrorTreeOptions & { rev: string | null }): Promise<GitHubMirrorOpen> {
    const { owner, repo } = options;
    const where = `${options.host ? `${options.host}/` : ''}${owner}/${repo}`;
    try {
      let rev = options.rev;
      if (rev === null) {
        rev = await conditionalGet(options, 'GET /repos/{owner}/{repo}', {}, 'application/vnd.github+json', (data) => String((data as { default_branch?: unknown }).default_branch ?? ''));
        if (rev === '') return { ok: false, code: 'GITHUB_FAILED', reason: `GitHub did not name the default branch of ${where}` };
      }
      if (rev === '' || rev.startsWith('-') || /[\s\0]/.test(rev)) return { ok: false, code: 'GITHUB_UNKNOWN_REV', reason: `not a revision: ${JSON.stringify(rev)}` };
      let commit = rev;
      if (!FULL_ID.test(rev)) {
        try {
          commit = (await conditionalGet(options, 'GET /repos/{owner}/{repo}/commits/{ref}', { ref: rev }, 'application/vnd.github.sha', textOf)).trim().toLowerCase();
        } catch (err) {
          if (statusOf(err) === 404 || statusOf(err) === 422) return { ok: false, code: 'GITHUB_UNKNOWN_REV', reason: `${where} has no commit, branch or tag ${JSON.stringify(rev)}` };
          throw err;
        }
        if (!FULL_ID.test(commit)) return { ok: false, code: 'GITHUB_FAILED', reason: `GitHub resolved ${JSON.stringify(rev)} to ${JSON.stringify(commit)}, not a commit id` };
      }
      let root: Entry[];
      try {
        root = await fetchListing(options, commit, commit);
      } catch (err) {
        if (statusOf(err) === 404 || statusOf(err) === 422) return { ok: false, code: 'GITHUB_UNKNOWN_REV', reason: `${where} has no commit ${rev}` };
        throw err;
      }
      return { ok: true, tree: new GitHubMirrorTree(options, commit, root), rev };
    } catch (err) {
      if (err instanceof GitHubRateLimitError) return { ok: false, code: 'GITHUB_RATE_LIMIT', reason: err.message };
      if (statusOf(err) === 404) return { ok: false, code: 'GITHUB_FAILED', reason: `${where} was not found on GitHub (a private repository needs GITHUB_TOKEN)` };
      return { ok: false, code: 'GITHUB_FAILED', reason: `reading ${where} from GitHub failed: ${why(err)}` };
    }
  }

  async read(path: string): Promise<string | undefined> {
    const safe = checkPatchPath(path);
    if (!safe.ok) throw new UnsafePathError(safe.reason, path);
    const entry = (await this.#listing(dirOf(safe.path)))?.find((e) => e.name === nameOf(safe.path));
    if (!entry || entry.type !== 'blob') return undefined;
    if (entry.mode === SYMLINK_MODE) {
      this.#refusals.set(safe.path, { code: 'UNSAFE_PATH', reason: `${safe.path} is a symlink in the base; lockscope does not follow symlinks in a GitHub base tree` });
      return undefined;
    }
    if (entry.size !== null && entry.size > MAX_FILE_BYTES) {
      if (!this.skipped.includes(safe.path)) this.skipped.push(safe.path);
      this.#refusals.set(safe.path, tooLarge(safe.path, entry.size));
      return undefined;
    }

    let pending = this.#blobs.get(entry.id);
    if (!pending) {
      pending = this.#call(() => this.#blob(entry.id));
      this.#blobs.set(entry.id, pending);
    }
    return pending;
  }

  /** Why `read` answered nothing for a file that is there: over the size limit, or a symlink. */
  refusal(path: string): BaseRefusal | undefined {
    const safe = checkPatchPath(path);
    return safe.ok ? this.#refusals.get(safe.path) : undefined;
  }

  async list(dir: string): Promise<string[]> {

    let prefix = '';
    if (dir !== '') {
      const safe = checkPatchPath(dir);
      if (!safe.ok) throw new UnsafePathError(safe.reason, dir);
      prefix = `${safe.path}/`;
    }
    const entries = (await this.#listing(prefix.slice(0, -1))) ?? [];
    return entries
      .filter((e) => e.type === 'blob' && e.mode !== SYMLINK_MODE)
      .map((e) => prefix + e.name)
      .filter((p) => checkPatchPath(p).ok)
      .sort();
  }

  listAll(): Promise<string[]> {
    this.#all ??= this.#call(() => this.#everything());
    return this.#all;
  }

  describe(): string {
    return `github ${this.#o.host ? `${this.#o.host}/` : ''}${this.#o.owner}/${this.#o.repo}@${this.commit.slice(0, 12)}`;
  }

  /** The entries of `dir`, or undefined when it is not a directory at this commit. */
  #listing(dir: string): Promise<Entry[] | undefined> {
    let pending = this.#listings.get(dir);
    if (!pending) {
      pending = this.#call(async () => {
        const parent = await this.#listing(dirOf(dir));
        const entry = parent?.find((e) => e.name === nameOf(dir));
        return entry?.type === 'tree' ? fetchListing(this.#o, entry.id, entry.id) : undefined;
      });
      this.#listings.set(dir, pending);
    }
    return pending;
  }

  async #blob(id: string): Promise<string> {
    const cached = await this.#o.objects.blob(id);
    if (cached) return cached.toString('utf8');
    const { data } = await this.#o.client.rest.git.getBlob({ owner: this.#o.owner, repo: this.#o.repo, file_sha: id });
    const bytes = data.encoding === 'base64' ? Buffer.from(data.content, 'base64') : Buffer.from(data.content, 'utf8');
    // The id names the content: anything else is not the file the listing promised.
    if (gitBlobId(bytes) !== id) throw new Error(`GitHub sent blob ${id} with content that does not match its id`);
    await this.#o.objects.putBlob(id, bytes);
    return bytes.toString('utf8');
  }

  /** Every file path: one recursive call, or a walk by directory when GitHub truncates it. */
  async #everything(): Promise<string[]> {
    const key = `${this.commit}-r`;
    let paths = await this.#o.objects.tree<string[]>(key);
    if (!paths) {
      const { data } = await this.#o.client.rest.git.getTree({ owner: this.#o.owner, repo: this.#o.repo, tree_sha: this.commit, recursive: '1' });
      if (data.truncated) {
        paths = await this.#walk('');
      } else {
        paths = entriesOf(data.tree)
          .filter((e) => e.type === 'blob' && e.mode !== SYMLINK_MODE)
          .map((e) => e.name);
        await this.#o.objects.putTree(key, paths);
      }
    }
    return paths.filter((p) => checkPatchPath(p).ok).sort();
  }

  async #walk(dir: string): Promise<string[]> {
    const prefix = dir === '' ? '' : `${dir}/`;
    const out: string[] = [];
    for (const e of (await this.#listing(dir)) ?? []) {
      if (e.type === 'tree') out.push(...(await this.#walk(prefix + e.name)));
      else if (e.type === 'blob' && e.mode !== SYMLINK_MODE) out.push(prefix + e.name);
    }
    return out;
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

/** One directory's listing by tree (or commit) id, from the cache or one trees call. */
async function fetchListing(o: GitHubMirrorTreeOptions, id: string, key: string): Promise<Entry[]> {
  const cached = await o.objects.tree<Entry[]>(key);
  if (cached) return cached;
  const { data } = await o.client.rest.git.getTree({ owner: o.owner, repo: o.repo, tree_sha: id });
  // Entry names are path components; a name with a slash cannot come from git.
  const entries = entriesOf(data.tree).filter((e) => !e.name.includes('/') && e.name !== '.' && e.name !== '..');
  await o.objects.putTree(key, entries);
  return entries;
}

/**
 * A GET whose answer can change, asked with If-None-Match when an earlier answer is cached: a
 * 304 reuses it (and costs no rate limit); a 200 replaces it.
 */
async function conditionalGet(
  o: GitHubMirrorTreeOptions,
  route: 'GET /repos/{owner}/{repo}' | 'GET /repos/{owner}/{repo}/commits/{ref}',
  params: Record<string, string>,
  accept: string,
  pick: (data: unknown) => string,
): Promise<string> {
  const { client, owner, repo } = o;
  const key = `${client.request.endpoint.DEFAULTS.baseUrl} ${route} ${JSON.stringify({ owner, repo, ...params })} ${accept}`;
  const cached = await o.etags.get<string>(key);
  try {
    const response = await client.request(route, {
      owner,
      repo,
      ...params,
      headers: { accept, ...(cached ? { 'if-none-match': cached.etag } : {}) },
    } as never);
    const value = pick(response.data);
    const etag = (response.headers as Record<string, string | undefined>).etag;
    if (etag) await o.etags.put(key, etag, value);
    return value;
  } catch (err) {
    if (cached && statusOf(err) === 304) return cached.value;
    throw err;
  }
}
