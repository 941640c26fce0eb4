/**
 * The `calls` context on a real tree (not part of `npm run bench`: it needs a kernel checkout):
 *
 *   tsx bench/context.ts (--base DIR | --repo GITDIR --rev REV) [--review] PATCH...
 *
 * Prints the time to build the symbol index (cold, then again from the same indexer), and per
 * patch the time to pick its context, the files and bytes picked and where the budget cut; with
 * --review also the whole review. One JSON line per measurement on stdout.
 */
import { readFileSync } from 'node:fs';
import { FactsCache } from '../src/analyzers/c/facts-cache.ts';
import { loadCParser } from '../src/analyzers/c/parser.ts';
import { buildCatalogue } from '../src/analyzers/locks/catalogue.ts';
import { chooseContext } from '../src/context/choose-context.ts';
import { SymbolIndexer } from '../src/context/symbol-indexer.ts';
import type { BaseTree } from '../src/diff/base-tree.ts';
import { DirTree } from '../src/diff/dir-tree.ts';
import { GitTree } from '../src/diff/git-tree.ts';
import { parsePatchInput } from '../src/diff/patch-input.ts';
import { Snapshot } from '../src/diff/snapshot.ts';
import { LIMITS, review } from '../src/review.ts';
import { tuneV8 } from '../src/v8-tuning.ts';

// Measured as the CLI runs (src/v8-tuning.ts).
tuneV8();

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args.splice(i, 2)[1];
};
const dir = option('base');
const repo = option('repo');
const rev = option('rev') ?? 'HEAD';
const withReview = args.includes('--review');
const patches = args.filter((a) => a !== '--review');
const base: BaseTree = dir ? new DirTree(dir) : await GitTree.open(repo as string, rev);
const print = (o: object): void => console.log(JSON.stringify(o));
const mib = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);

const symbols = new SymbolIndexer();
let t = performance.now();
const index = await symbols.indexOf(base, []);
print({ step: 'index', base: base.describe(), scope: index.scope, files: index.files, ms: Math.round(performance.now() - t), rssMiB: mib() });
t = performance.now();
await symbols.indexOf(base, []);
print({ step: 'index again', ms: Math.round(performance.now() - t), cached: dir === undefined });

const cache = new FactsCache();
const parser = await loadCParser();
const catalogue = buildCatalogue();
for (const file of patches) {
  const text = readFileSync(file, 'utf8');
  const parsed = await parsePatchInput([text]);
  if (!parsed.ok) throw new Error(parsed.reason);
  const before = Snapshot.fromBase(base);
  const steps = [];
  let current = before;
  for (const patch of parsed.series.patches) {
    const applied = await current.apply(patch);
    if (!applied.ok) throw new Error(applied.reason);
    steps.push({ patch, before: current, after: applied.snapshot, touched: applied.touched });
    current = applied.snapshot;
  }
  const touched = [...new Set(steps.flatMap((s) => s.touched.filter((p) => /\.[ch]$/.test(p))))].sort();
  t = performance.now();
  const chosen = await chooseContext(
    { mode: 'calls', base, steps, touched, limits: { files: LIMITS.contextFiles, bytes: LIMITS.contextBytes } },
    { cache, symbols, parser, isPrimitive: (n) => catalogue.has(n) },
  );
  const pickMs = Math.round(performance.now() - t);
  if (!chosen.ok) throw new Error(chosen.reason);
  const { left, ...json } = chosen.json;
  print({ step: 'context', patch: file, ms: pickMs, ...json, firstLeft: left?.slice(0, 3), rssMiB: mib() });
  if (withReview) {
    t = performance.now();
    const r = await review({ patches: [text], base }, { cache, symbols });
    print({ step: 'review', patch: file, ms: Math.round(performance.now() - t), verdict: r.json.verdict, added: r.json.inversions.added.length, unchanged: r.json.inversions.unchanged.length, rssMiB: mib() });
  }
}
if (base instanceof GitTree) base.close();
