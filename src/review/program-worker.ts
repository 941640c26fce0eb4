/**
 * Worker thread body for program-thread.ts: one side of a review, analysed as a program from
 * facts lowered in the main thread. The configuration comes as its file (a KernelConfig holds a
 * function) and is made here as the main thread makes it.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeProgram } from '../analyzers/analyze-program.ts';
import { kernelConfig } from '../analyzers/c/kernel-config.ts';
import type { ProgramJob } from './program-thread.ts';

parentPort?.on('message', (job: ProgramJob) => {
  try {
    const config = job.config ? kernelConfig(job.config, undefined) : undefined;
    parentPort?.postMessage({ result: analyzeProgram(job.facts, { ...job.options, ...(config ? { config } : {}) }) });
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
