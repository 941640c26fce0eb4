/**
 * Worker thread body for tree-graph-build.ts: analyses one partition (its sources and the
 * headers they include) as a review analyses its context, and answers its stored graph. Lowered
 * files go to the same disk store as the main thread's, when it has one.
 */
import { parentPort } from 'node:worker_threads';
import { analyzePartition, type PartitionJob } from './tree-graph-build.ts';
import { FactsCache } from '../analyzers/c/facts-cache.ts';
import { DiskFactsStore } from '../store/facts-store.ts';

let cache: FactsCache | undefined;
parentPort?.on('message', (job: PartitionJob & { factsDir?: string }) => {
  // Few facts kept here: a partition's files are its own; the disk store has the rest.
  cache ??= new FactsCache(500, job.factsDir ? new DiskFactsStore(job.factsDir) : undefined);
  analyzePartition(job, cache).then(
    (graph) => parentPort?.postMessage({ graph }),
    (err: unknown) => parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
});
