/**
 * Git objects from a GitHub mirror kept on disk between runs, keyed by object id: blob bytes and
 * tree listings. An object id names its content, so an entry never goes stale and one directory
 * serves every repository, host and revision (the next patch against torvalds/linux re-fetches
 * only the files that changed). Blobs are checked against their id on every read, so a truncated
 * or tampered file is a miss, not wrong code. Writes go to a temporary file and are renamed into
 * place, so a concurrent reader never sees half an entry.
 *
 * It is a cache, not a store: a failed write is dropped (the object is fetched again next time)
 * and nothing is ever evicted (delete the directory to reclaim the space). Ids come from API
 * responses, so only hex ids of a git hash's length are accepted as file names.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomically } from '../../store/write-atomically.ts';

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** git's blob id: sha1 of "blob <length>\0" + bytes (sha256 for 64-hex ids). */
export function gitBlobId(bytes: Buffer, idLength = 40): string {
  return createHash(idLength === 64 ? 'sha256' : 'sha1')
    .update(`blob ${bytes.length}\0`)
    .update(bytes)
    .digest('hex');
}

export class GitObjectCache {
  constructor(readonly dir: string) {}

  /** The blob's bytes, or undefined when absent or not matching its id. */
  async blob(id: string): Promise<Buffer | undefined> {
    const file = this.#file('blobs', id);
    if (!file) return undefined;
    const bytes = await readFile(file).catch(() => undefined);
    return bytes && gitBlobId(bytes, id.length) === id ? bytes : undefined;
  }

  /** Stores a blob; bytes that do not hash to `id` are not stored. */
  async putBlob(id: string, bytes: Buffer): Promise<void> {
    const file = this.#file('blobs', id);
    if (file && gitBlobId(bytes, id.length) === id) await writeAtomically(file, bytes);
  }

  /** A tree listing stored under `key` (a tree or commit id, plus "-r" for a recursive one). */
  async tree<T>(key: string): Promise<T | undefined> {
    const file = this.#file('trees', key);
    if (!file) return undefined;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  async putTree(key: string, listing: unknown): Promise<void> {
    const file = this.#file('trees', key);
    if (file) await writeAtomically(file, JSON.stringify(listing));
  }

  #file(kind: 'blobs' | 'trees', key: string): string | undefined {
    const [id, suffix] = key.split('-', 2);
    if (id === undefined || !OBJECT_ID.test(id) || (suffix !== undefined && suffix !== 'r')) return undefined;
    return join(this.dir, kind, id.slice(0, 2), key.slice(2));
  }

}
