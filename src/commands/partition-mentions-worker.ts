/**
 * The tree walk of partition-mentions.ts in a thread of its own: it reads every C file of the
 * tree once, and the heap that takes (hundreds of MB of texts on Linux 3.0) goes with the
 * thread, not into the main thread's high-water mark for the rest of the analysis.
 */
import { parentPort } from 'node:worker_threads';
import { partitionMentions } from './partition-mentions.ts';

parentPort?.once('message', (root: string) => {
  partitionMentions(root).then(
    (mentions) => parentPort?.postMessage({ answers: [...mentions.answers()] }),
    (err: unknown) => parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
});
