/**
 * Worker thread body for tree-graph-build.ts: analyses one partition (its sources and the
 * headers they include) as a review analyses its context, and answers its stored graph. Lowered
 * files go to the same disk store as the main thread's, when it has one.
 */
import { parentPort } from 'node:worker_threads';
import { analyzePartition, type PartitionMessage } from './tree-graph-build.ts';
import { FactsCache } from '../analyzers/c/facts-cache.ts';
import { DiskFactsStore } from '../store/facts-store.ts';

let cache: FactsCache | undefined;
/** Header texts sent with earlier jobs of this build, by path. */
const headerTexts = new Map<string, string>();

parentPort?.on('message', (message: PartitionMessage) => {
  // Few facts kept here: a partition's files are its own; the disk store has the rest.
  cache ??= new FactsCache(500, message.factsDir ? new DiskFactsStore(message.factsDir) : undefined);
  const analysed = cache;
  if (message.forget) headerTexts.clear();
  const { headers, forget: _forget, factsDir: _factsDir, ...rest } = message;
  // A header never sent fails the partition, as a failed analysis does.
  Promise.resolve()
    .then(() => analyzePartition({ ...rest, headers: headers.map((h) => ({ ...h, text: textOf(h) })) }, analysed))
    .then(
      (graph) => parentPort?.postMessage({ graph }),
      (err: unknown) => parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) }),
    );
});

function textOf(h: PartitionMessage['headers'][number]): string {
  if (h.text !== undefined) {
    headerTexts.set(h.path, h.text);
    return h.text;
  }
  const known = headerTexts.get(h.path);
  if (known === undefined) throw new Error(`the partition worker was never sent ${h.path}`);
  return known;
}
