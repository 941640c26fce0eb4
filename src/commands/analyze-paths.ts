/**
 * What `analyze` and `baseline write` share: read the .c and .h files under the paths and analyze
 * them as one program, with a progress bar on a terminal. Files too large to read, and in a
 * kernel tree the .c files no Makefile builds, are listed in the analysis's `skipped`.
 */
import { analyzeSources, type AnalysisResult } from '../analyzers/analyze.ts';
import { progressBar } from './progress-bar.ts';
import { readSources } from './source-files.ts';
import { buildDefines, directoryDefines, unbuiltFiles } from '../context/kbuild.ts';
import { FactsCache, type FactsStore } from '../analyzers/c/facts-cache.ts';
import type { CliIo } from './types.ts';

export async function analyzePaths(paths: readonly string[], io: CliIo, store?: FactsStore): Promise<{ ok: true; result: AnalysisResult; files: number } | { ok: false; reason: string }> {
  const sources = await readSources(paths, io.cwd);
  if (!sources.ok) return sources;
  // A kernel tree's files no Makefile builds (a driver template): left out, and listed as skipped.
  const unbuilt = unbuiltFiles(sources.files, sources.makefiles);
  const files = unbuilt.size ? sources.files.filter((f) => !unbuilt.has(f.path)) : sources.files;
  const bar = io.stderr.isTTY ? progressBar(io.stderr) : undefined;
  // A Makefile above the directory that compiles its files applies to all of them: as if at its root.
  const buildMakefiles = [...sources.makefiles, ...sources.parentMakefiles.map((m) => ({ path: 'Makefile', text: m.text }))];
  const defines = buildDefines(buildMakefiles);
  const features = directoryDefines(buildMakefiles);
  const result = await analyzeSources(files, {
    ...(defines.length ? { buildDefines: defines } : {}),
    ...(features.length ? { directoryDefines: features } : {}),
    ...(store ? { cache: new FactsCache(undefined, store) } : {}),
    onProgress: bar && ((done, total) => bar.update('parsing files', done, total)),
    onAnalyzed: bar && ((done, total) => bar.update('analysing functions', done, total)),
  });
  bar?.clear();
  for (const s of sources.skipped) result.json.skipped.push({ file: s.split(':')[0] ?? s, line: 0, reason: 'not read: larger than the 8 MiB limit' });
  for (const [file, reason] of unbuilt) result.json.skipped.push({ file, line: 0, reason });
  return { ok: true, result, files: files.length };
}
