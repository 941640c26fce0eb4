/**
 * The last answer to a GitHub request whose answer can change (a repository's default branch,
 * the commit a branch points at), with its ETag, kept on disk so the next run can ask "changed
 * since?" with If-None-Match. GitHub answers an unchanged resource with 304 Not Modified, which
 * does not count against an authenticated client's primary rate limit.
 *
 * Entries are keyed by the request (API URL, route and parameters); a file whose key does not
 * match (a hash collision, a foreign file) is a miss. Like GitObjectCache, failed writes are
 * dropped.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface EtagEntry<T> {
  etag: string;
  value: T;
}

export class EtagCache {
  constructor(readonly dir: string) {}

  async get<T>(key: string): Promise<EtagEntry<T> | undefined> {
    try {
      const stored = JSON.parse(await readFile(this.#file(key), 'utf8')) as { key?: unknown; etag?: unknown; value?: T };
      return stored.key === key && typeof stored.etag === 'string' && stored.value !== undefined ? { etag: stored.etag, value: stored.value } : undefined;
    } catch {
      return undefined;
    }
  }

  async put<T>(key: string, etag: string, value: T): Promise<void> {
    const file = this.#file(key);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(join(this.dir, 'etags'), { recursive: true });
      await writeFile(tmp, JSON.stringify({ key, etag, value }));
      await rename(tmp, file);
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  #file(key: string): string {
    return join(this.dir, 'etags', `${createHash('sha256').update(key).digest('hex')}.json`);
  }
}
