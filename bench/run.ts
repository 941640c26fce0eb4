/**
 * `npm run bench`: parse-only vs full analysis at 10k, 100k and 1M generated lines (each in its
 * own process for a clean peak-memory figure), real trees (BENCH_TREE), a whole tree's graph
 * (BENCH_GRAPH), a whole tree analysed by directory (BENCH_ANALYZE), then the review benchmark. Prints a table.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const sizes = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
// Compiled (npm run bench runs dist/bench) or under tsx: measure the same kind of code.
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const run = (name: string, ...args: string[]): Record<string, number | string> => {
  const script = fileURLToPath(new URL(`./${name}.${ext}`, import.meta.url));
  const argv = ext === 'ts' ? ['--import', 'tsx', script, ...args] : [script, ...args];
  return JSON.parse(execFileSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop() as string);
};

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
console.log('lines      files  parse-only  analysis(1 thread)  ratio  analysis(2 workers)  lines/s (2w)  warm (facts on disk)  peak RSS   inversions');
for (const n of sizes) {
  const r = run('measure', String(n)) as Record<string, number>;
  const lines = r.lines as number;
  console.log(
    [
      String(lines).padEnd(10),
      String(r.files).padEnd(6),
      fmt(r.parseMs as number).padEnd(11),
      fmt(r.analysis1Ms as number).padEnd(19),
      ((r.analysis1Ms as number) / (r.parseMs as number)).toFixed(2).padEnd(6),
      fmt(r.analysis2Ms as number).padEnd(20),
      String(Math.round(lines / ((r.analysis2Ms as number) / 1000))).padEnd(13),
      fmt(r.warmMs as number).padEnd(21),
      `${Math.round(r.peakRssMiB as number)} MiB`.padEnd(10),
      String(r.inversions),
    ].join(' '),
  );
}
// Real trees: BENCH_TREE=dir[:dir...] (e.g. a kernel's kernel/ and mm/), one process each.
for (const tree of (process.env.BENCH_TREE ?? '').split(':').filter(Boolean)) {
  const r = run('real-tree', tree) as Record<string, unknown> & Record<'parse' | 'lower' | 'program', Record<string, number>>;
  const cpu = (p: Record<string, number>): string => fmt(p.cpuMs as number);
  console.log(
    `\n${tree}: ${r.files} files, ${r.lines} lines; CPU parse-only ${cpu(r.parse)}, lowering ${cpu(r.lower)}, program ${cpu(r.program)} ` +
      `(analysis/parse ${r.ratioCpu}x); peak RSS after reading ${r.readPeakMiB} MiB, parse ${r.parse.peakMiB}, lowering ${r.lower.peakMiB}, program ${r.program.peakMiB} MiB; ${r.analyses} function analyses (generic and specialised); ${r.inversions} inversions, ${r.findings} findings`,
  );
}
// A whole tree's lock-order graph: BENCH_GRAPH=GITDIR[@REV] (e.g. a kernel clone), one process.
const graph = process.env.BENCH_GRAPH;
if (graph) {
  const [dir, rev] = graph.split('@') as [string, string | undefined];
  const r = run('tree-graph', dir, ...(rev ? [rev] : [])) as Record<string, unknown> & Record<'parseOnly' | 'cold' | 'warm' | 'warmByContent' | 'storedRead', Record<string, number>>;
  console.log(
    `\nwhole-tree graph of ${r.tree}: ${r.files} C files, ${Math.round((r.bytes as number) / 2 ** 20)} MiB; parse-only (1 thread, CPU) ${fmt(r.parseOnly.cpuMs as number)}; ` +
      `cold build ${fmt(r.cold.wallMs as number)} wall (${r.cold.edges} edges, peak RSS ${r.cold.peakMiB} MiB, workers included); ` +
      `rebuild with every directory stored ${fmt(r.warm.wallMs as number)} (${r.warm.reused}/${r.warm.partitions} reused, ${r.warm.unread} by blob ids, unread), ` +
      `${fmt(r.warmByContent.wallMs as number)} by content (every file read and hashed); stored graph read back ${fmt(r.storedRead.wallMs as number)}`,
  );
}
// A whole tree analysed directory by directory: BENCH_ANALYZE=DIR (e.g. a kernel's root), one process.
const whole = process.env.BENCH_ANALYZE;
if (whole) {
  const r = run('analyze-tree', whole) as Record<string, unknown> & Record<'parseOnly' | 'cold' | 'warm', Record<string, number>>;
  console.log(
    `\nanalyze --by-directory of ${r.tree}: ${r.files} C files, ${Math.round((r.bytes as number) / 2 ** 20)} MiB, ${r.cold.directories} directories; parse-only (1 thread, CPU) ${fmt(r.parseOnly.cpuMs as number)}; ` +
      `cold ${fmt(r.cold.wallMs as number)} wall, ${fmt(r.cold.cpuMs as number)} CPU (every thread), peak RSS ${r.cold.peakMiB} MiB (workers included); warm ${fmt(r.warm.wallMs as number)}; ` +
      `${r.cold.inversions} inversions (${r.cold.across} across directories) cold, ${r.warm.inversions} (${r.warm.across}) warm`,
  );
}
const rv = run('review');

console.log(`\nreview of one patch to a 5,000-line file, directory context (${rv.contextFiles} files): cold ${fmt(rv.coldMs as number)}, warm cache ${fmt(rv.warmMs as number)} (verdict ${rv.verdict})`);
