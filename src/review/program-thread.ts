/**
 * A second thread for a review's whole-program analyses. The two sides of a review (before and
 * after the patch) are independent programs, each analysed in seconds on a large context: on a
 * machine with more than one core, the first side to be lowered is analysed there while this
 * thread goes on with the other. Lowering stays here, where the facts cache is; the thread is
 * given the facts and runs the same analyzeProgram, so the result is the one this thread would
 * make. A thread that fails leaves the side to this thread.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { analyzeProgram, type AnalysisOptions, type AnalysisResult } from '../analyzers/analyze-program.ts';
import type { FileFacts } from '../analyzers/c/ir.ts';
import { kernelConfig, type ConfigFile } from '../analyzers/c/kernel-config.ts';
import { OrderGraph } from '../analyzers/order/order-graph.ts';
import { moduleWorker } from '../analyzers/util/module-worker.ts';

/** What the thread is sent: options without functions, the configuration as its file. */
export interface ProgramJob {
  facts: readonly FileFacts[];
  options: Omit<AnalysisOptions, 'config' | 'onAnalyzed'>;
  config?: ConfigFile;
}

/** Below this many bytes of sources a side is analysed here: starting a thread costs more. */
export const PROGRAM_THREAD_MIN_BYTES = 256 * 1024;

export class ProgramThread {
  #worker: Worker | undefined;
  #busy = false;
  /** Sides analysed in the thread, and here. */
  readonly stats = { inThread: 0, here: 0 };

  readonly #enabled: boolean;
  readonly #minBytes: number;

  /** `enabled`: whether to use a thread at all (default: on a machine with more than one core). */
  constructor(options: { enabled?: boolean; minBytes?: number } = {}) {
    this.#enabled = options.enabled ?? availableParallelism() > 1;
    this.#minBytes = options.minBytes ?? PROGRAM_THREAD_MIN_BYTES;
  }

  /** The job's result, analysed in the thread when it is free and the job is big enough (`bytes` of sources), else here. */
  async analyze(job: ProgramJob, bytes: number): Promise<AnalysisResult> {
    if (!this.#enabled || this.#busy || bytes < this.#minBytes) return this.#here(job);
    this.#busy = true;
    try {
      const result = await this.#inThread(job);
      this.stats.inThread++;
      return result;
    } catch {
      return this.#here(job);
    } finally {
      this.#busy = false;
    }
  }

  /** Ends the thread; a later job starts another. */
  async close(): Promise<void> {
    const w = this.#worker;
    this.#worker = undefined;
    await w?.terminate();
  }

  #inThread(job: ProgramJob): Promise<AnalysisResult> {
    this.#worker ??= moduleWorker('program-worker', import.meta.url);
    const w = this.#worker;
    // Held open only while it works: an idle thread never keeps the process from ending.
    w.ref();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.unref();
      };
      const onMessage = (m: { result?: AnalysisResult; error?: string }): void => {
        done();
        // A structured clone keeps the graph's maps and edges, which are all its state, not its class.
        if (m.result) resolve({ ...m.result, graph: Object.setPrototypeOf(m.result.graph, OrderGraph.prototype) as OrderGraph });
        else reject(new Error(m.error ?? 'the program thread failed'));
      };
      const onError = (err: Error): void => {
        done();
        if (this.#worker === w) this.#worker = undefined;
        reject(err);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage(job);
    });
  }

  #here(job: ProgramJob): AnalysisResult {
    this.stats.here++;
    const config = job.config ? kernelConfig(job.config, undefined) : undefined;
    return analyzeProgram(job.facts, { ...job.options, ...(config ? { config } : {}) });
  }
}
