/**
 * One benchmark measurement in a fresh process (so peak memory is this size's alone):
 * `tsx bench/measure.ts LINES` prints one JSON line with parse-only and analysis timings.
 */
import { analyzeProgram } from '../src/analyzers/analyze-program.ts';
import { loadCParser } from '../src/analyzers/c/parser.ts';
import { extractFacts } from '../src/analyzers/c/extract-facts.ts';
import { countLines, generateTree } from './generate.ts';
import { tuneV8 } from '../src/v8-tuning.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FactsCache } from '../src/analyzers/c/facts-cache.ts';
import { DiskFactsStore } from '../src/store/facts-store.ts';

// Measured as the CLI runs (src/v8-tuning.ts).
tuneV8();

const lines = Number(process.argv[2] ?? 10_000);
const files = generateTree(lines);
const total = countLines(files);
const bytes = files.reduce((n, f) => n + f.text.length, 0);

const parser = await loadCParser();
let t = performance.now();
for (const f of files) parser.parse(f.text).delete();
const parseMs = performance.now() - t;

t = performance.now();
const facts1 = await extractFacts(files, { workers: 0 });
const extract1Ms = performance.now() - t;
t = performance.now();
const result = analyzeProgram(facts1);
const programMs = performance.now() - t;

t = performance.now();
const factsN = await extractFacts(files, { workers: 2 });
const extractNMs = performance.now() - t;
t = performance.now();
analyzeProgram(factsN);
const programNMs = performance.now() - t;

// Warm: another process's run left the facts on disk (`--cache`): read back, not parsed.
const dir = mkdtempSync(join(tmpdir(), 'lockscope-bench-'));
let warmMs: number;
try {
  await extractFacts(files, { workers: 2, cache: new FactsCache(undefined, new DiskFactsStore(dir)) });
  t = performance.now();
  const warm = await extractFacts(files, { cache: new FactsCache(undefined, new DiskFactsStore(dir)) });
  analyzeProgram(warm);
  warmMs = performance.now() - t;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

process.stdout.write(
  `${JSON.stringify({
    lines: total,
    bytes,
    files: files.length,
    parseMs,
    analysis1Ms: extract1Ms + programMs,
    programMs,
    analysis2Ms: extractNMs + programNMs,
    warmMs,
    inversions: result.json.inversions.length,
    edges: result.json.edges.length,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
