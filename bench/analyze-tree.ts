/**
 * `lockscope analyze --by-directory` of a whole tree, in a fresh process:
 * `BENCH_ANALYZE=DIR npm run bench` (or `tsx bench/analyze-tree.ts DIR`). Prints one JSON line:
 * tree-sitter parse-only of the C files under DIR (one thread, CPU), then the analysis cold (an
 * empty cache: every directory lowered and analysed, in worker threads) and warm (the same tree
 * again, every directory's graph read back by content: every file read and hashed), wall time
 * and the process's peak RSS (workers included), with what each found: the two must agree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadCParser } from '../src/analyzers/c/parser.ts';
import { analyzeByDirectory } from '../src/commands/analyze-tree.ts';
import { DiskFactsStore } from '../src/store/facts-store.ts';
import { tuneV8 } from '../src/v8-tuning.ts';
import { figures, timed } from './timing.ts';

tuneV8();

const [given] = process.argv.slice(2);
if (!given) throw new Error('usage: analyze-tree.ts DIR');
const dir = resolve(given);

const cFiles = async (d: string, out: string[] = []): Promise<string[]> => {
  for (const e of await readdir(d, { withFileTypes: true })) {
    if (e.isDirectory() && e.name !== '.git') await cFiles(join(d, e.name), out);
    else if (e.isFile() && e.name.endsWith('.c')) out.push(join(d, e.name));
  }
  return out;
};

const cacheDir = mkdtempSync(join(tmpdir(), 'lockscope-bench-analyze-'));
try {
  const files = await cFiles(dir);
  const parser = await loadCParser();
  let bytes = 0;
  const parse = await timed(async () => {
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      bytes += text.length;
      parser.parse(text).delete();
    }
  });
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), cwd: process.cwd(), env: {} };
  const store = new DiskFactsStore(join(cacheDir, 'facts'));
  const analyse = async (): Promise<{ inversions: number; across: number; directories: number }> => {
    const r = await analyzeByDirectory(dir, io, store, undefined);
    if (!r.ok) throw new Error(r.reason);
    return { inversions: r.json.inversions.length, across: r.json.inversions.filter((i) => i.acrossDirectories).length, directories: r.directories };
  };
  const cold = await timed(analyse);
  const warm = await timed(analyse);
  process.stdout.write(`${JSON.stringify({ tree: dir, files: files.length, bytes, parseOnly: figures(parse), cold: { ...figures(cold), ...cold.value }, warm: { ...figures(warm), ...warm.value } })}\n`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
