/**
 * Writes a cache entry so that a concurrent reader sees the old file or the whole new one, never
 * half: to a temporary file beside it, renamed into place. A failure leaves nothing behind and is
 * reported as false (a cache drops the entry and computes it again next time).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeAtomically(file: string, data: Buffer | string): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, file);
    return true;
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
    return false;
  }
}
