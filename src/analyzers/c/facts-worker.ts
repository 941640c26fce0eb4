/** Worker thread body for extract-facts.ts: receives SourceFiles, answers FileFacts. */
import { parentPort } from 'node:worker_threads';
import { loadCParser } from './parser.ts';
import { lowerText, type SourceFile } from './extract-facts.ts';

const parser = await loadCParser();
parentPort?.on('message', (file: SourceFile) => {
  parentPort?.postMessage(lowerText(parser, file));
});
