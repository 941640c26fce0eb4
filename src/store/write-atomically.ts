/**
 * Writes a cache entry so that a concurrent reader sees the old file or the whole new one, never
 * half: to a temporary file beside it, renamed into place. A failure leaves nothing behind and is
 * reported as false (a cache drops the entry and computes it again next time).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeAtomically(file: string, data: Buffer | string): Promise<boolean> {
  // The directory is made once per process (a store writes thousands of entries into 256
  // shards); if it has gone since (a cleared cache), the write is tried once more, making it.
  return (await attempt(file, data)) || (await attempt(file, data));
}

async function attempt(file: string, data: Buffer | string): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const dir = dirname(file);
  try {
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await writeFile(tmp, data);
    await rename(tmp, file);
    return true;
  } catch {
    made.delete(dir);
    await rm(tmp, { force: true }).catch(() => undefined);
    return false;
  }
}

const made = new Set<string>();
