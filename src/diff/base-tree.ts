/**
 * Where a snapshot reads the code a patch applies to. Front ends pass one in (a directory, a git
 * revision, the GitHub contents API); the pipeline never knows which. Paths are repository-relative
 * with forward slashes and are already checked by the caller (see snapshot.ts).
 */
import { parseConfigFile, type ConfigFile } from '../analyzers/c/kernel-config.ts';

export interface BaseTree {
  /** The file's text, or undefined when it does not exist in the base. */
  read(path: string): Promise<string | undefined>;
  /** Repository-relative paths of the files directly inside `dir` ('' is the root). */
  list(dir: string): Promise<string[]>;
  /** Every file path in the tree (for `--context tree`). */
  listAll(): Promise<string[]>;
  /** A short description for messages: "dir /src/linux", "git abc123", "github owner/repo@sha". */
  describe(): string;
  /**
   * Why `path`, which read() returned undefined for, exists but was not read (a file over the
   * size limit, a symlink out of the base); undefined when it simply does not exist. Lets a patch
   * that changes such a file say so instead of "does not exist".
   */
  refusal?(path: string): BaseRefusal | undefined;
  /**
   * True when every read costs a network request (the GitHub APIs). The `calls` context then
   * indexes only the directories around the patch instead of reading the whole tree.
   */
  readonly remote?: boolean;
  /**
   * A key naming this exact content, for caches that outlive a review (`git /src/linux tree
   * <tree id>`); absent when the content may change under the same name (a directory on disk).
   */
  cacheKey?(): Promise<string>;
  /** Every file's blob id (path -> id), for caches of per-file results; git ids name content. */
  blobIds?(): Promise<ReadonlyMap<string, string>>;
}

/** A file the tree has and will not read; `code` is a review failure code. */
export interface BaseRefusal {
  code: 'TOO_LARGE' | 'UNSAFE_PATH';
  reason: string;
}

/**
 * The `.config` or defconfig at `path` in the base (a front end's `kernelConfig:` setting), read
 * and parsed; a reason naming the path when the base lacks it or it is no configuration.
 */
export async function kernelConfigIn(tree: BaseTree, path: string): Promise<{ ok: true; file: ConfigFile } | { ok: false; reason: string }> {
  const text = await tree.read(path);
  if (text === undefined) return { ok: false, reason: `kernelConfig ${path} is not a file in the base ${tree.describe()}` };
  const parsed = parseConfigFile(path, text);
  return parsed.ok ? parsed : { ok: false, reason: `kernelConfig ${parsed.reason}` };
}
