/**
 * Writes the review fixtures that come from the real pipeline rather than by hand
 * (test/fixtures/reviews/<case>.review.json): the seed example, one per kind of finding added and
 * removed, one edge closing five cycles, a three-patch series that adds then removes, a fix whose
 * message quotes a lockdep splat with timestamps and quoting, a patch touching a function with a
 * call lockscope cannot follow, a new path to a pre-existing inversion. Inputs are the small trees and
 * patches in test/fixtures/review/kinds/ and examples/intel-iommu (lockscope's own code).
 *
 *   npx tsx test/support/make-review-fixtures.ts
 *
 * Run it by hand after a deliberate change to the review JSON, then read the diff of the fixtures
 * and of the goldens the renderers make from them (UPDATE_GOLDEN=1) before committing. The tests
 * never run it: the fixtures are the renderers' frozen input; test/review-kinds.test.ts checks
 * the pipeline on the same patches.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DirTree } from '../../src/diff/dir-tree.ts';
import { review } from '../../src/review.ts';
import type { BaseUsedJson, Review } from '../../src/review-types.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const kinds = `${root}test/fixtures/review/kinds/`;
const out = `${root}test/fixtures/reviews/`;

/** What a mail front end would have recorded: a base commit from the patch's trailer. */
const BASE: BaseUsedJson = { tree: 'git 1a2b3c4d5e6f', rev: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', chosenBy: 'trailer' };

/** Cases: fixture name -> [base dir, patch file]. */
export const CASES: Record<string, [string, string]> = {
  'seed-iommu': [`${root}examples/intel-iommu/base`, `${root}examples/intel-iommu/fix.patch`],
  'edge-closes-five': [`${kinds}base`, `${kinds}order-add.patch`],
  'series-3-add-remove': [`${kinds}base`, `${kinds}series-3.mbox`],
  'splat-quoted': [`${kinds}base`, `${kinds}splat-fix.patch`],
  'kind-irq-inconsistent-removed': [`${kinds}base`, `${kinds}irq-fix.patch`],
  'kind-irq-inversion-added': [`${kinds}base`, `${kinds}irq-add.patch`],
  'kind-sleep-removed': [`${kinds}base`, `${kinds}sleep-fix.patch`],
  'kind-sleep-added': [`${kinds}base`, `${kinds}sleep-add.patch`],
  'kind-leak-removed': [`${kinds}base`, `${kinds}leak-fix.patch`],
  'kind-leak-added': [`${kinds}base`, `${kinds}leak-add.patch`],
  'kind-flush-removed': [`${kinds}base`, `${kinds}flush-fix.patch`],
  'kind-flush-added': [`${kinds}base`, `${kinds}flush-add.patch`],
  'kind-reclaim-removed': [`${kinds}base`, `${kinds}reclaim-fix.patch`],
  'kind-reclaim-added': [`${kinds}base`, `${kinds}reclaim-add.patch`],
  'kind-recursive-removed': [`${kinds}base`, `${kinds}recursive-fix.patch`],
  'kind-recursive-added': [`${kinds}base`, `${kinds}recursive-add.patch`],
  'caveat-in-touched-code': [`${kinds}base`, `${kinds}caveat-touch.patch`],
  'new-path-to-inversion': [`${kinds}base`, `${kinds}path-add.patch`],
};

/** The review of one case, as the fixture stores it. */
export async function reviewCase(name: string): Promise<Review> {
  const [base, patch] = CASES[name] as [string, string];
  // `touched`: each fixture shows one file's findings, not the whole toy driver's.
  const context = name === 'seed-iommu' ? 'dir' : 'touched';
  return review({ patches: [readFileSync(patch, 'utf8')], base: new DirTree(base), context, baseUsed: BASE });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of Object.keys(CASES)) {
    const r = await reviewCase(name);
    writeFileSync(`${out}${name}.review.json`, `${JSON.stringify(r, null, 2)}\n`);
    console.log(`${name}: ${r.json.verdict}, outcome ${r.json.outcome}`);
  }
}
