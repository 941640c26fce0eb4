/**
 * Checks a path named by a patch before anything reads or writes it. A patch is untrusted input:
 * `+++ b/../../etc/passwd` must never reach a file system or a git object lookup. This only checks
 * the string; dir-tree.ts also checks where symlinks lead.
 */

export type SafePath = { ok: true; path: string } | { ok: false; reason: string };

// Paths longer than this are not source files (PATH_MAX on Linux is 4096).
const MAX_PATH = 4096;

/**
 * A repository-relative path, `./` segments removed, or why it is refused.
 * `./drivers/iommu/x.c` -> `{ ok: true, path: 'drivers/iommu/x.c' }`; `a/../../x` -> `{ ok: false, ... }`
 */
export function checkPatchPath(path: string): SafePath {
  const shown = JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}...` : path);
  if (path.length === 0) return { ok: false, reason: 'empty path' };
  if (path.length > MAX_PATH) return { ok: false, reason: `path longer than ${MAX_PATH} characters: ${shown}` };
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\u0000-\u001f\u007f]/.test(path)) return { ok: false, reason: `path contains a NUL or control character: ${shown}` };
  if (path.includes('\\')) return { ok: false, reason: `path contains a backslash: ${shown}` };
  if (path.startsWith('/')) return { ok: false, reason: `absolute path: ${shown}` };
  if (/^[A-Za-z]:/.test(path)) return { ok: false, reason: `drive-letter path: ${shown}` };

  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '.') continue;
    if (segment === '') return { ok: false, reason: `empty path segment: ${shown}` };
    if (segment === '..') return { ok: false, reason: `'..' segment: ${shown}` };
    segments.push(segment);
  }
  if (segments.length === 0) return { ok: false, reason: `path names no file: ${shown}` };
  // .git/ holds hooks and config: a patch that writes there could run code in a later checkout.
  // Nested ones too (a submodule's sub/.git/).
  if (segments.some((s) => s.toLowerCase() === '.git')) return { ok: false, reason: `path inside .git/: ${shown}` };
  return { ok: true, path: segments.join('/') };
}
