/**
 * The real-tree benchmark, in a fresh process per tree: `BENCH_TREE=DIR npm run bench` (or `tsx
 * bench/real-tree.ts DIR...`). Prints one JSON line: tree-sitter parse-only, lowering, and the
 * whole-program analysis of the same files, single thread, wall and CPU time of each phase, and
 * the peak RSS reached by the end of each (a machine shared with other work moves wall time;
 * CPU time much less).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeProgram } from '../src/analyzers/analyze-program.ts';
import { extractFacts } from '../src/analyzers/c/extract-facts.ts';
import { loadCParser } from '../src/analyzers/c/parser.ts';
import { tuneV8 } from '../src/v8-tuning.ts';
import { figures, peakMiB, timed } from './timing.ts';

// Measured as the CLI runs (src/v8-tuning.ts).
tuneV8();

const MAX_FILE = 8 * 1024 * 1024;
const files: { path: string; text: string }[] = [];
const walk = (dir: string): void => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) walk(p);
    else if (/\.[ch]$/.test(name) && s.size < MAX_FILE) files.push({ path: p, text: readFileSync(p, 'utf8') });
  }
};
for (const d of process.argv.slice(2)) walk(d);

const parser = await loadCParser();
const read = peakMiB();
const parse = await timed(() => {
  for (const f of files) parser.parse(f.text).delete();
});
const lower = await timed(() => extractFacts(files, { workers: 0 }));
const program = await timed(() => analyzeProgram(lower.value));
const parseOut = figures(parse);
const lowerOut = figures(lower);
const { value: result, ...programOut } = program;
process.stdout.write(
  `${JSON.stringify({
    tree: process.argv.slice(2).join(' '),
    files: files.length,
    lines: files.reduce((n, f) => n + f.text.split('\n').length, 0),
    bytes: files.reduce((n, f) => n + f.text.length, 0),
    readPeakMiB: read,
    parse: parseOut,
    lower: lowerOut,
    program: programOut,
    ratioCpu: Number(((lower.cpuMs + program.cpuMs) / Math.max(1, parse.cpuMs)).toFixed(2)),
    inversions: result.json.inversions.length,
    findings: result.findings.length,
    analyses: result.stats.analyses,
  })}\n`,
);
