/**
 * Review benchmark: one patch to a 5,000-line file with its directory as context, cold (empty
 * cache) and warm (a second review of the same patch, as when a PR is re-checked).
 */
import { FactsCache } from '../src/analyzers/c/facts-cache.ts';
import type { BaseTree } from '../src/diff/base-tree.ts';
import { review } from '../src/review.ts';
import { generateTree } from './generate.ts';
import { tuneV8 } from '../src/v8-tuning.ts';

// Measured as the CLI runs (src/v8-tuning.ts).
tuneV8();

const files = generateTree(20_000, 7);
const big = files.find((f) => f.path.endsWith('file0.c'));
if (!big) throw new Error('generator changed');
// Grow file0 to 5,000 lines by appending more of the same shapes from another seed.
const extra = generateTree(4_000, 9).filter((f) => f.path.endsWith('.c')).map((f) => f.text.replace(/\bf(\d+)_/g, 'x$1_')).join('');
big.text = (big.text + extra).split('\n').slice(0, 5000).join('\n') + '\n';
const byPath = new Map(files.map((f) => [f.path, f.text]));
const base: BaseTree = {
  read: async (p) => byPath.get(p),
  list: async (dir) => [...byPath.keys()].filter((p) => p.slice(0, p.lastIndexOf('/')) === dir),
  listAll: async () => [...byPath.keys()],
  describe: () => 'generated',
};
const lines = big.text.split('\n');
const at = lines.findIndex((l) => l.includes('spin_unlock(&o->lock);'));
const patch = [
  'diff --git a/drivers/gen/file0.c b/drivers/gen/file0.c',
  '--- a/drivers/gen/file0.c',
  '+++ b/drivers/gen/file0.c',
  `@@ -${at + 1},1 +${at + 1},3 @@`,
  `+\tmutex_lock(&f0_mutex0);`,
  `+\tmutex_unlock(&f0_mutex0);`,
  ` ${lines[at]}`,
  '',
].join('\n');

const cache = new FactsCache();
let t = performance.now();
const cold = await review({ patches: [patch], base, context: 'dir' }, { cache });
const coldMs = performance.now() - t;
t = performance.now();
await review({ patches: [patch], base, context: 'dir' }, { cache });
const warmMs = performance.now() - t;
process.stdout.write(`${JSON.stringify({ fileLines: 5000, contextFiles: files.length - 1, verdict: cold.json.verdict, errors: cold.json.errors, coldMs, warmMs })}\n`);
