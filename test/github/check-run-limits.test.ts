/**
 * GitHub's limits and failure modes around one review: 50 annotations per request, file patches
 * GitHub leaves out, a 500 that a retry absorbs, a review that outlives its time bound. All run
 * the real pipeline against the fake GitHub.
 */
import { readFileSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, pullRequestEvent, startApp } from './harness.ts';

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

/**
 * A driver with `pairs` lock pairs always taken a-then-b, and a PR adding, for each pair, a
 * function taking b-then-a: `pairs` inversions, two annotated acquisitions each.
 */
function manyInversions(pairs: number): { base: string; diff: string } {
  const decls: string[] = [];
  const fwd: string[] = [];
  const rev: string[] = [];
  for (let i = 0; i < pairs; i++) {
    decls.push(`static DEFINE_SPINLOCK(lock_a${i});`, `static DEFINE_SPINLOCK(lock_b${i});`);
    fwd.push(`void fwd_${i}(void)`, '{', `\tspin_lock(&lock_a${i});`, `\tspin_lock(&lock_b${i});`, `\tspin_unlock(&lock_b${i});`, `\tspin_unlock(&lock_a${i});`, '}', '');
    rev.push(`void rev_${i}(void)`, '{', `\tspin_lock(&lock_b${i});`, `\tspin_lock(&lock_a${i});`, `\tspin_unlock(&lock_a${i});`, `\tspin_unlock(&lock_b${i});`, '}', '');
  }
  const base = ['#include <linux/spinlock.h>', '', ...decls, '', ...fwd].join('\n');
  const head = `${base}${rev.join('\n')}`;
  const patch = createTwoFilesPatch('a/drivers/many/many.c', 'b/drivers/many/many.c', base, head, '', '');
  return { base, diff: `diff --git a/drivers/many/many.c b/drivers/many/many.c\n${patch.slice(patch.indexOf('--- '))}` };
}

describe('check run limits', () => {
  it('a PR adding 110 inversions gets its 110 annotations in three updates of at most 50, the conclusion on the last', async () => {
    const { probot, github } = await startApp();
    const { base, diff } = manyInversions(110);
    github.files.set('drivers/many/many.c', base);
    github.pr.diff = diff;
    await probot.receive(pullRequestEvent(github, 'opened'));

    const run = github.checkRuns[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toBe('Adds 110 lock-order inversions');
    // One per edge the PR adds: where rev_i takes lock_a while holding lock_b.
    expect(run.annotations).toHaveLength(110);
    const updates = github.checkRunUpdates.filter((u) => u.id === run.id);
    expect(updates.map((u) => (u.body.output as { annotations?: unknown[] }).annotations?.length ?? 0)).toEqual([50, 50, 10]);
    expect(updates.map((u) => u.body.conclusion)).toEqual([undefined, undefined, 'failure']);
    expect(new Set(run.annotations.map((a) => `${a.path}:${a.start_line}`)).size).toBe(110);
    // The comment stays within GitHub's limit however long the report is.
    expect(github.comments[0]!.body.length).toBeLessThanOrEqual(65_535);
  });

  it('when the files API leaves a patch out (a large file), the whole PR diff is fetched instead', async () => {
    const { probot, github } = await startApp();
    github.pr.diff = readFileSync(`${FIXTURES}add-inversion.diff`, 'utf8');
    github.omitPatches = true;
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.requests).toContain('GET /repos/acme/pool/pulls/7');
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    expect(github.checkRuns[0]!.output.title).toBe('Adds 1 lock-order inversion');
  });

  it('a 500 from GitHub is retried by Probot (retry on, as in production) and the review completes', async () => {
    const { probot, github } = await startApp({ retry: true });
    github.pr.diff = readFileSync(`${FIXTURES}add-inversion.diff`, 'utf8');
    github.fail('GET', /\/pulls\/7\/files$/, 500, 1);
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.requests.filter((r) => r === 'GET /repos/acme/pool/pulls/7/files')).toHaveLength(2);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    expect(github.comments).toHaveLength(1);
  });

  it('a 500 that persists ends in a completed neutral check run saying GitHub failed, and a failed stored review', async () => {
    const { probot, github, store } = await startApp();
    github.pr.diff = readFileSync(`${FIXTURES}add-inversion.diff`, 'utf8');
    github.fail('GET', /\/compare\//, 500, 5);
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(github.checkRuns[0]!.output.title).toBe('GitHub API unavailable');
    expect(github.checkRuns[0]!.output.summary).toContain('GITHUB_UNAVAILABLE');
    expect(store.list({}, 1, 10).items[0]).toMatchObject({ status: 'failed', subjectKey: 'pr:7' });
  });

  it('a rate limit while reading the base tree is reported as a rate limit, not as a lockscope bug', async () => {
    const { probot, github, store } = await startApp();
    github.pr.diff = readFileSync(`${FIXTURES}add-inversion.diff`, 'utf8');
    github.fail('GET', /\/git\/blobs\//, 403, 10, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' });
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(github.checkRuns[0]!.output.title).toBe('GitHub rate limit reached');
    expect(store.list({}, 1, 10).items[0]).toMatchObject({ status: 'failed' });
  });

  it('a review that outlives its time bound ends in a neutral check run and a failed stored review', async () => {
    const { probot, github, store } = await startApp({ deps: { reviewTimeoutMs: 1 } });
    github.pr.diff = readFileSync(`${FIXTURES}add-inversion.diff`, 'utf8');
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(github.checkRuns[0]!.output.title).toBe('lockscope ran out of time');
    expect(store.list({}, 1, 10).items[0]).toMatchObject({ status: 'failed' });
    expect(github.comments).toHaveLength(0);
  });
});
