/**
 * Where a snapshot reads the code a patch applies to. Front ends pass one in (a directory, a git
 * revision, the GitHub contents API); the pipeline never knows which. Paths are repository-relative
 * with forward slashes and are already checked by the caller (see snapshot.ts).
 */
export interface BaseTree {
  /** The file's text, or undefined when it does not exist in the base. */
  read(path: string): Promise<string | undefined>;
  /** Repository-relative paths of the files directly inside `dir` ('' is the root). */
  list(dir: string): Promise<string[]>;
  /** Every file path in the tree (for `--context tree`). */
  listAll(): Promise<string[]>;
  /** A short description for messages: "dir /src/linux", "git abc123", "github owner/repo@sha". */
  describe(): string;
}
