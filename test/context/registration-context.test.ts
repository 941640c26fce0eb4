/**
 * The calls context and work registered elsewhere: a patch that cancels a work under a lock
 * reaches the work's function only through `INIT_WORK` in another file (the probe code), which
 * is neither a caller nor a callee of the touched function. The context adds the nearby file
 * that registers a function for that member, then the file defining that function.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitTree } from '../../src/diff/git-tree.ts';
import { review } from '../../src/review.ts';
import type { Review, ReviewRequest } from '../../src/review-types.ts';
import { testRepo, type TestRepo } from '../commands/git-repo.ts';

const fixtures = join(import.meta.dirname, '../fixtures/context');
const PATCH = readFileSync(join(fixtures, 'work-driver-cancel.diff'), 'utf8');

let repo: TestRepo;
beforeAll(() => {
  repo = testRepo(join(fixtures, 'work-driver'));
});
afterAll(() => repo.remove());

async function check(options: Partial<ReviewRequest> = {}): Promise<Review> {
  const base = await GitTree.open(repo.dir, 'HEAD');
  try {
    return await review({ patches: [PATCH], base, ...options });
  } finally {
    base.close();
  }
}

describe('work registered outside the touched file', () => {
  it('is followed from the flush to the registering file and the work function: the flush under the lock is found', async () => {
    const r = await check();
    expect(r.json.findings.added.map((f) => `${f.kind} ${f.locks.join(',')} ${f.function}`)).toEqual(['flush-under-lock xdev.mutex dev_stop']);
    expect(r.json.context?.files).toBe(4);
    // The unrelated registration of a member of the same name elsewhere in the tree stays out.
    const touched = await check({ context: 'touched' });
    expect(touched.json.findings.added).toEqual([]);
  });

  it('says so when the budget leaves the registering file out', async () => {
    const r = await check({ maxContextFiles: 2 });
    expect(r.json.context?.left).toEqual([{ path: 'dev/init.c', as: 'registers', of: 'reset_work', depth: 1 }]);
    expect(r.json.findings.added).toEqual([]);
  });
});
