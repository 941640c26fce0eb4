/**
 * The analyzer's entry point: C sources in, lock-order analysis out. Parsing is cached by
 * content hash and spread over workers for large inputs (extract-facts.ts); the whole-program
 * part is analyze-program.ts. No I/O: callers read the files.
 */
import { analyzeProgram, type AnalysisOptions, type AnalysisResult } from './analyze-program.ts';
import { extractFacts, type ExtractOptions, type SourceFile } from './c/extract-facts.ts';

export type { AnalysisResult, SourceFile };

/** Analyzes the given .c/.h sources as one program. */
export async function analyzeSources(files: readonly SourceFile[], options: AnalysisOptions & ExtractOptions = {}): Promise<AnalysisResult> {
  const facts = await extractFacts(files, options);
  return analyzeProgram(facts, options);
}
