/**
 * The on-disk form of a cache entry: a magic tag naming the kind of entry, a SHA-256 of the
 * payload, and the payload (a v8-serialised value). Reading checks both, so a truncated,
 * half-written or altered file is told from a good one and never trusted.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, utimes } from 'node:fs/promises';
import { deserialize, serialize } from 'node:v8';

/** `value` sealed under `magic` (8 ASCII bytes naming the kind of entry). */
export function seal(magic: Buffer, value: unknown): Buffer {
  const payload = serialize(value);
  return Buffer.concat([magic, createHash('sha256').update(payload).digest(), payload]);
}

/** The value sealed in `bytes`, or undefined when the tag, checksum or encoding is wrong. */
export function unseal(magic: Buffer, bytes: Buffer): unknown {
  const header = magic.length + 32;
  if (bytes.length < header || !bytes.subarray(0, magic.length).equals(magic)) return undefined;
  const payload = bytes.subarray(header);
  if (!createHash('sha256').update(payload).digest().equals(bytes.subarray(magic.length, header))) return undefined;
  try {
    return deserialize(payload);
  } catch {
    return undefined;
  }
}

/**
 * One cache entry read back: undefined when absent (a miss) or when `decode` refuses it (damaged:
 * deleted, counted corrupt, a miss); a hit refreshes the file's mtime, the stores' LRU clock.
 */
export async function readEntry<T>(file: string, decode: (bytes: Buffer) => T | undefined, stats: { hits: number; misses: number; corrupt: number }): Promise<T | undefined> {
  const bytes = await readFile(file).catch(() => undefined);
  if (!bytes) {
    stats.misses++;
    return undefined;
  }
  const value = decode(bytes);
  if (value === undefined) {
    stats.corrupt++;
    stats.misses++;
    await rm(file, { force: true }).catch(() => undefined);
    return undefined;
  }
  stats.hits++;
  const now = new Date();
  await utimes(file, now, now).catch(() => undefined);
  return value;
}
