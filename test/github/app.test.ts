/**
 * The GitHub App end to end inside one process: webhooks go into Probot, the app talks HTTP to a
 * fake GitHub (nock), and the REAL pipeline reviews the fixture pull requests in
 * test/fixtures/github. Each test names the situation on GitHub it guards.
 */
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comment-body.ts';
import { commentEvent, FIXTURES, pullRequestEvent, rerunEvent, startApp } from './harness.ts';

const diff = (name: string): string => readFileSync(`${FIXTURES}${name}`, 'utf8');

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

describe('lockscope GitHub App', () => {
  it('a PR that adds an AB-BA inversion gets one comment and a failing check run annotated at the acquiring line', async () => {
    const { probot, github, store } = await startApp();
    github.pr.diff = diff('add-inversion.diff');
    await probot.receive(pullRequestEvent(github, 'opened'));

    expect(github.comments).toHaveLength(1);
    const body = github.comments[0]?.body ?? '';
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain('pool_lock');
    expect(body).toContain('stats_lock');
    // Links to the head commit for the added code, and to the dashboard.
    expect(body).toContain(`https://github.com/acme/pool/blob/${github.pr.headSha}/drivers/pool/pool.c#L`);
    expect(body).toContain('https://lockscope.example.org/reviews/');

    expect(github.checkRuns).toHaveLength(1);
    const run = github.checkRuns[0]!;
    expect(run).toMatchObject({ name: 'lockscope', head_sha: github.pr.headSha, status: 'completed', conclusion: 'failure', external_id: 'pr:7' });
    expect(run.output.title).toMatch(/^Adds 1 lock-order inversion$/);
    // The new function takes pool_lock at line 42 while holding stats_lock.
    const atNewCode = run.annotations.find((a) => a.path === 'drivers/pool/pool.c' && a.start_line === 42);
    expect(atNewCode?.annotation_level).toBe('failure');
    // The annotation carries lockdep's report of the cycle the new edge closes.
    expect(atNewCode?.message).toContain('WARNING: possible circular locking dependency detected');
    expect(atNewCode?.message).toContain('is trying to acquire lock:');

    const stored = store.list({ source: 'github' }, 1, 10).items;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'done', verdict: 'adds-inversion', repository: 'acme/pool', subjectKey: 'pr:7', head: github.pr.headSha });
  });

  it('a push that fixes the inversion edits the same comment and the new head gets a successful check', async () => {
    const { probot, github } = await startApp();
    github.pr.diff = diff('add-inversion.diff');
    await probot.receive(pullRequestEvent(github, 'opened'));
    const first = github.comments[0]!;
    const firstBody = first.body;

    github.pr.diff = diff('fix-inversion.diff');
    github.pr.headSha = 'd'.repeat(40);
    await probot.receive(pullRequestEvent(github, 'synchronize'));

    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.id).toBe(first.id);
    expect(github.comments[0]!.body).not.toBe(firstBody);
    const fixed = github.checkRuns.find((r) => r.head_sha === 'd'.repeat(40));
    expect(fixed).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(fixed?.annotations).toHaveLength(0);
  });

  it('a redelivered webhook (same delivery, same head) creates no second comment and no second check run', async () => {
    const { probot, github, store } = await startApp();
    github.pr.diff = diff('add-inversion.diff');
    const event = pullRequestEvent(github, 'opened', 'delivery-1');
    await probot.receive(event);
    const updatesBefore = github.checkRunUpdates.length;
    const annotationsBefore = github.checkRuns[0]!.annotations.length;
    await probot.receive(event);

    expect(github.comments).toHaveLength(1);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]!.annotations).toHaveLength(annotationsBefore);
    expect(github.checkRunUpdates.length).toBe(updatesBefore);
    expect(github.requests.filter((r) => r.startsWith('PATCH /repos/acme/pool/issues/comments'))).toHaveLength(0);
    // Nothing was reviewed again: one stored review.
    expect(store.list({}, 1, 10).total).toBe(1);
  });

  it('two deliveries racing for the same PR still leave one comment', async () => {
    const { probot, github } = await startApp();
    github.pr.diff = diff('add-inversion.diff');
    await Promise.all([probot.receive(pullRequestEvent(github, 'opened', 'a')), probot.receive(pullRequestEvent(github, 'reopened', 'b'))]);
    expect(github.comments).toHaveLength(1);
    expect(github.checkRuns).toHaveLength(1);
  });

  it('a PR that changes no C file gets a neutral check and no comment', async () => {
    const { probot, github, store } = await startApp();
    github.pr.diff = diff('docs-only.diff');
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.comments).toHaveLength(0);
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(github.checkRuns[0]!.output.title).toBe('No C change');
    // Nothing was fetched from the tree: no C file to analyze.
    expect(github.requests.some((r) => r.includes('/git/blobs/'))).toBe(false);
    expect(store.list({}, 1, 10).total).toBe(0);
  });

  it('comment: never in .github/lockscope.yml keeps the PR conversation silent but still reports the check', async () => {
    const { probot, github } = await startApp();
    github.config = 'comment: never\n';
    github.pr.diff = diff('add-inversion.diff');
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.comments).toHaveLength(0);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
  });

  it('kernelConfig: the review is for the build a defconfig in the base describes', async () => {
    const { probot, github } = await startApp();
    const pool = github.files.get('drivers/pool/pool.c') as string;
    // The established order only where CONFIG_POOL_STATS is set: no cycle in a build without it.
    github.files.set('drivers/pool/pool.c', pool.replace('\t\tspin_lock(&stats_lock);', '#ifdef CONFIG_POOL_STATS\n\t\tspin_lock(&stats_lock);').replace('\t\tspin_unlock(&stats_lock);', '\t\tspin_unlock(&stats_lock);\n#endif'));
    github.files.set('configs/lean_defconfig', '# CONFIG_POOL_STATS is not set\n');
    github.files.set('configs/stats_defconfig', 'CONFIG_POOL_STATS=y\n');
    github.pr.diff = diff('add-inversion.diff');
    github.config = 'kernelConfig: configs/lean_defconfig\n';
    await probot.receive(pullRequestEvent(github, 'opened', 'lean'));
    expect(github.checkRuns.at(-1)).toMatchObject({ conclusion: 'success' });

    // The next push, reviewed for a build with the statistics: the added order closes the cycle.
    github.pr.headSha = 'e'.repeat(40);
    github.config = 'kernelConfig: configs/stats_defconfig\n';
    await probot.receive(pullRequestEvent(github, 'synchronize', 'stats'));
    expect(github.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' });
    expect(JSON.stringify(github.comments)).toContain('Configuration: configs/stats\\\\_defconfig');

    github.pr.headSha = 'f'.repeat(40);
    github.config = 'kernelConfig: configs/missing_defconfig\n';
    await probot.receive(pullRequestEvent(github, 'synchronize', 'missing'));
    expect(github.checkRuns.at(-1)).toMatchObject({ conclusion: 'neutral' });
    expect(JSON.stringify(github.checkRuns.at(-1)?.output)).toContain('kernelConfig configs/missing_defconfig is not a file in the base');
  });

  it('conclusionOnAdded: neutral reports an added inversion without failing the check', async () => {
    const { probot, github } = await startApp();
    github.config = 'conclusionOnAdded: neutral\n';
    github.pr.diff = diff('add-inversion.diff');
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'neutral' });
    expect(github.comments).toHaveLength(1);
  });

  it('on-change mode says nothing about a PR whose C change keeps the lock order', async () => {
    const { probot, github } = await startApp();
    github.pr.diff = diff('fix-inversion.diff');
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.comments).toHaveLength(0);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'success' });
  });

  it('enabled: false gives a neutral check that says so', async () => {
    const { probot, github } = await startApp();
    github.config = 'enabled: false\n';
    github.pr.diff = diff('add-inversion.diff');
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.comments).toHaveLength(0);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'neutral' });
    expect(github.checkRuns[0]!.output.title).toBe('lockscope is disabled');
  });

  it('paths.exclude keeps excluded directories out of the review', async () => {
    const { probot, github } = await startApp();
    github.config = 'paths:\n  exclude: ["drivers/pool/**"]\n';
    github.pr.diff = diff('add-inversion.diff');
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]!.output.title).toBe('No C change');
  });

  it('an invalid config ends in a neutral check run that names the problem', async () => {
    const { probot, github } = await startApp();
    github.config = 'comment: sometimes\ncontxt: tree\n';
    github.pr.diff = diff('add-inversion.diff');
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.comments).toHaveLength(0);
    const run = github.checkRuns[0]!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(run.output.title).toBe('lockscope configuration is invalid');
    expect(run.output.summary).toContain('`comment` must be one of always, on-change, never');
    expect(run.output.summary).toContain('unknown key `contxt`');
  });

  it('YAML that does not parse is reported the same way, not as a crash', async () => {
    const { probot, github } = await startApp();
    github.config = 'paths: [unclosed\n';
    github.pr.diff = diff('add-inversion.diff');
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(github.checkRuns[0]!.output.title).toBe('lockscope configuration is invalid');
  });

  it('/lockscope recheck in a PR comment reviews the PR again', async () => {
    const { probot, github } = await startApp();
    github.pr.diff = diff('add-inversion.diff');
    github.fail('GET', /\/pulls\/7\/files$/, 502);
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'neutral' });
    expect(github.comments).toHaveLength(0);

    await probot.receive(commentEvent(github, '/lockscope recheck'));
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    expect(github.checkRuns[0]!.output.title).toBe('Adds 1 lock-order inversion');
    expect(github.comments).toHaveLength(1);
  });

  it('other comments, and the command from a bot, are ignored', async () => {
    const { probot, github } = await startApp();
    github.pr.diff = diff('add-inversion.diff');
    await probot.receive(commentEvent(github, 'looks good, but /lockscope recheck later'));
    await probot.receive(commentEvent(github, '/lockscope recheck', { login: 'other[bot]', type: 'Bot' }));
    expect(github.requests).toHaveLength(0);
  });

  it('Re-run from the Checks tab finds the PR through the run external_id (fork PRs have no pull_requests)', async () => {
    const { probot, github } = await startApp();
    github.pr.diff = diff('add-inversion.diff');
    github.fail('GET', /\/git\/blobs\//, 500, 1);
    await probot.receive(pullRequestEvent(github, 'opened'));
    const run = github.checkRuns[0]!;
    expect(run).toMatchObject({ conclusion: 'neutral' });
    expect(run.output.title).toBe('GitHub API unavailable');

    await probot.receive(rerunEvent(github, run.id, run.external_id));
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
  });

  it('a draft PR waits for ready_for_review', async () => {
    const { probot, github } = await startApp();
    github.pr.diff = diff('add-inversion.diff');
    github.pr.draft = true;
    await probot.receive(pullRequestEvent(github, 'opened'));
    expect(github.requests.filter((r) => !r.includes('access_tokens'))).toHaveLength(0);
    github.pr.draft = false;
    await probot.receive(pullRequestEvent(github, 'ready_for_review'));
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
  });
});
