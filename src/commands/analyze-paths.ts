/**
 * What `analyze` and `baseline write` share: read the .c and .h files under the paths and analyze
 * them as one program, with a progress bar on a terminal. Files too large to read are listed in
 * the analysis's `skipped`, not dropped.
 */
import { analyzeSources, type AnalysisResult } from '../analyzers/analyze.ts';
import { progressBar } from './progress-bar.ts';
import { readSources } from './source-files.ts';
import { FactsCache, type FactsStore } from '../analyzers/c/facts-cache.ts';
import type { CliIo } from './types.ts';

export async function analyzePaths(paths: readonly string[], io: CliIo, store?: FactsStore): Promise<{ ok: true; result: AnalysisResult; files: number } | { ok: false; reason: string }> {
  const sources = await readSources(paths, io.cwd);
  if (!sources.ok) return sources;
  const bar = io.stderr.isTTY ? progressBar(io.stderr) : undefined;
  const result = await analyzeSources(sources.files, {
    ...(store ? { cache: new FactsCache(undefined, store) } : {}),
    onProgress: bar && ((done, total) => bar.update('parsing files', done, total)),
    onAnalyzed: bar && ((done, total) => bar.update('analysing functions', done, total)),
  });
  bar?.clear();
  for (const s of sources.skipped) result.json.skipped.push({ file: s.split(':')[0] ?? s, line: 0, reason: 'not read: larger than the 8 MiB limit' });
  return { ok: true, result, files: sources.files.length };
}
