/**
 * The inputs of one analysis of a snapshot: the files' texts, and the tree's include/ headers
 * they name with angle brackets (their integer constants and lock-annotated prototypes, as
 * `analyze` reads them: context/header-constants.ts). A review and the whole-tree graph build
 * read them the same way, so the graph's edges are the ones a review would find.
 */
import { includedHeaders, type Header } from '../context/header-constants.ts';
import type { Snapshot } from '../diff/snapshot.ts';

export interface SnapshotSources {
  sources: { path: string; text: string }[];
  headers: Header[];
  bytes: number;
}

/**
 * `remote`: every read is a network request (then no headers: each would cost one). Reading
 * stops with `over` once the files pass `maxBytes`. An unsafe or unreadable header is no header.
 * `readHeader`: how headers are read, when not through `snap` (a reader shared by many snapshots).
 */
export async function snapshotSources(
  snap: Snapshot,
  files: readonly string[],
  options: { remote?: boolean; maxBytes?: number; readHeader?: (path: string) => Promise<string | undefined> } = {},
): Promise<SnapshotSources | { over: number }> {
  const sources: { path: string; text: string }[] = [];
  let bytes = 0;
  for (const path of files) {
    const text = await snap.read(path);
    if (text === undefined) continue;
    bytes += text.length;
    if (options.maxBytes !== undefined && bytes > options.maxBytes) return { over: options.maxBytes };
    sources.push({ path, text });
  }
  const headers = options.remote ? [] : await includedHeaders(options.readHeader ?? ((path) => snap.read(path).catch(() => undefined)), sources.map((s) => s.text));
  return { sources, headers, bytes };
}
