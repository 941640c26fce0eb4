/**
 * Links from a chain step to the code on GitHub: `${commitUrlBase}/${file}#L${line}`, with
 * `commitUrlBase` as the GitHub front end stored it (".../blob/<head sha>"). Removed inversions
 * are evidence from the code before the patch, so their lines point at the base commit when the
 * URL ends in the head sha and the base sha is known. Mail reviews have no code URL.
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

/** The line linker for one stored review; it answers undefined when there is nothing to link to. */
export function codeLineUrl(stored: Pick<StoredReview, 'links' | 'base' | 'head'>): LineUrl {
  const head = safeHref(stored.links.commitUrlBase)?.replace(/\/+$/, '');
  if (head === undefined) return () => undefined;
  const base =
    stored.base && stored.head && /^[0-9a-f]{7,64}$/i.test(stored.base) && head.endsWith(`/${stored.head}`)
      ? `${head.slice(0, -stored.head.length)}${stored.base}`
      : head;
  return (file, line, side) => {
    if (!Number.isInteger(line) || line < 1) return undefined;
    const path = file.split('/').filter((s) => s !== '' && s !== '.' && s !== '..').map(encodeURIComponent).join('/');
    if (path === '') return undefined;
    return `${side === 'base' ? base : head}/${path}#L${line}`;
  };
}
