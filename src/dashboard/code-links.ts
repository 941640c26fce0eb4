/**
 * Links from a chain step to the code: on GitHub, built from the review's `links.commitUrlBase`
 * and its base and head shas; for mail and CLI reviews, from a configured code browser pattern
 * (`{rev}`, `{path}`, `{line}`) and the base commit. Added findings point at the head commit (a
 * mail review has none: the patched code is not published), removed ones are evidence from the
 * code before the patch, so they point at the base commit.
 * Not a URL builder for anything else; only http(s) URLs are ever linked.
 */
import type { StoredReview } from '../store/types.ts';

/** The URL when it is an absolute http(s) URL, else undefined (no `javascript:` hrefs). */
export function safeHref(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export type LineUrl = (file: string, line: number, side: 'base' | 'head') => string | undefined;

/**
 * The line linker for one stored review; it answers undefined when there is nothing to link to.
 * Two shapes of `commitUrlBase` are understood:
 *   ".../o/r/blob/<head sha>"  -> `${commitUrlBase}/${file}#L${line}` (base side: the base sha swapped in)
 *   ".../o/r/commit/"          -> ".../o/r/blob/<head or base sha>/${file}#L${line}" (what src/github stores)
 */
export function codeLineUrl(stored: Pick<StoredReview, 'links' | 'base' | 'head'>, pattern?: string): LineUrl {
  if (stored.links.commitUrlBase === undefined && pattern !== undefined) return patternLineUrl(stored, pattern);
  const given = safeHref(stored.links.commitUrlBase)?.replace(/\/+$/, '');
  if (given === undefined) return () => undefined;
  const sha = (s: string | null): string | undefined => (s !== null && /^[0-9a-f]{7,64}$/i.test(s) ? s : undefined);
  const head = sha(stored.head);
  const base = sha(stored.base);
  let roots: { head: string | undefined; base: string | undefined };
  if (/\/commit$/.test(given)) {
    const blob = given.replace(/\/commit$/, '/blob');
    roots = { head: head && `${blob}/${head}`, base: base && `${blob}/${base}` };
  } else if (head && base && given.endsWith(`/${head}`)) {
    roots = { head: given, base: `${given.slice(0, -head.length)}${base}` };
  } else {
    roots = { head: given, base: given };
  }
  return (file, line, side) => {
    const root = roots[side];
    if (root === undefined || !Number.isInteger(line) || line < 1) return undefined;
    const path = file.split('/').filter((s) => s !== '' && s !== '.' && s !== '..').map(encodeURIComponent).join('/');
    if (path === '') return undefined;
    return `${root}/${path}#L${line}`;
  };
}

/** The first commit id in a stored base: "git 1a2b3c4d5e6f" or a bare sha -> "1a2b3c4d5e6f". */
function commitOf(value: string | null): string | undefined {
  return value === null ? undefined : /\b([0-9a-f]{7,64})\b/i.exec(value)?.[1];
}

/** Lines through a code browser pattern; only http(s) results are kept. */
function patternLineUrl(stored: Pick<StoredReview, 'base' | 'head'>, pattern: string): LineUrl {
  const revs = { base: commitOf(stored.base), head: commitOf(stored.head) };
  return (file, line, side) => {
    const rev = revs[side];
    if (rev === undefined || !Number.isInteger(line) || line < 1) return undefined;
    const path = file.split('/').filter((s) => s !== '' && s !== '.' && s !== '..').map(encodeURIComponent).join('/');
    if (path === '') return undefined;
    return safeHref(pattern.replace(/\{rev\}/g, rev).replace(/\{path\}/g, path).replace(/\{line\}/g, String(line)));
  };
}
