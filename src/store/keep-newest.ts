/**
 * The LRU bound of the on-disk stores: of the entries in one directory, keep the `max` most
 * recently used (a read refreshes an entry's mtime, see sealed-entry.ts) and delete the rest.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** How many entries were deleted. */
export async function keepNewest(dir: string, max: number): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  if (names.length <= max) return 0;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => a.t - b.t);
  let deleted = 0;
  for (const { n } of dated.slice(0, dated.length - max)) {
    await rm(join(dir, n), { force: true }).catch(() => undefined);
    deleted++;
  }
  return deleted;
}
