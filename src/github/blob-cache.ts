/**
 * Decoded file texts keyed by git blob SHA. A blob SHA names its content, so an entry never goes
 * stale and one cache serves every repository and review: the second push to a PR re-reads only
 * the files that changed. Bounded by total characters, least recently used out first.
 */

export interface BlobCache {
  get(sha: string): string | undefined;
  set(sha: string, text: string): void;
}

/** An LRU BlobCache holding at most `maxChars` characters of text (default 64 M). */
export function createBlobCache(maxChars = 64 * 1024 * 1024): BlobCache {
  const entries = new Map<string, string>();
  let size = 0;
  return {
    get(sha) {
      const text = entries.get(sha);
      if (text !== undefined) {
        // Map keeps insertion order: re-inserting marks the entry most recently used.
        entries.delete(sha);
        entries.set(sha, text);
      }
      return text;
    },
    set(sha, text) {
      if (text.length > maxChars || entries.has(sha)) return;
      entries.set(sha, text);
      size += text.length;
      for (const [oldest, old] of entries) {
        if (size <= maxChars) break;
        entries.delete(oldest);
        size -= old.length;
      }
    },
  };
}
