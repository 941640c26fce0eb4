/**
 * The work behind every trigger (a push, a re-run, `/lockscope recheck`): one pull request at
 * one head commit, start to finish.
 *
 *   check run in progress (a completed one for this head: done, unless forced) -> config -> enabled? -> merge base -> diff of selected C files
 *   -> recordReview (queued row, review() in a ReviewQueue slot within a time bound, done/failed row)
 *   -> markdown report -> ensureComment (per comment mode) -> check run completed
 *
 * Any failure on the way ends the check run with what toOutcome says and leaves a failed row in
 * the store: never a run stuck in progress, never silence. It does not read webhook payloads
 * (app.ts turns them into a PullRequestRef) and does not analyze anything (review() does).
 */
import { kernelConfigIn } from '../diff/base-tree.ts';
import type { Logger } from 'probot';
import { recordReview } from '../record-review.ts';
import { reviewOutcome } from '../review-outcome.ts';
import type { NewReview } from '../store/types.ts';
import type { BlobCache } from './blob-cache.ts';
import { checkResultFor, checkResultForOutcome, skippedResult } from './check-result.ts';
import { COMMENT_MARKER, commentBody } from './comment-body.ts';
import { completeCheckRun, type CheckResult } from './complete-check-run.ts';
import { ensureCheckRun, type CheckRunHandle } from './ensure-check-run.ts';
import { ensureComment, type CommentAction } from './ensure-comment.ts';
import { GitHubTree } from './github-tree.ts';
import { lineUrlFor } from './html-links.ts';
import { configSelects, loadLockscopeConfig } from './lockscope-config.ts';
import { fetchPullRequestDiff } from './pull-request-diff.ts';
import { toOutcome } from './to-outcome.ts';
import type { AppDeps, GitHubApi, PullRequestRef } from './types.ts';
import type { ReviewQueue } from './review-queue.ts';

/** AppDeps with the per-app defaults filled in (see lockscopeApp). */
export type ResolvedAppDeps = AppDeps & { htmlBase: string; blobCache: BlobCache; reviewTimeoutMs: number; reviewQueue: ReviewQueue };

export interface PullRequestJob {
  octokit: GitHubApi;
  pr: PullRequestRef;
  /** Reads `.github/lockscope.yml`: `() => context.config('lockscope.yml', {})`. */
  readConfig: () => Promise<unknown>;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * False for pull_request events: a head commit whose lockscope run is already completed was
   * reviewed (this is a redelivery, or a reopen without a push) and is left alone. True for an
   * explicit re-run or `/lockscope recheck`.
   */
  force: boolean;
}

export interface JobResult {
  status: 'reviewed' | 'skipped' | 'failed' | 'already-reviewed';
  conclusion: CheckResult['conclusion'] | null;
  reviewId: number | null;
  comment: CommentAction | null;
  /** Set when status is failed: the code toOutcome chose. */
  code: string | null;
}

/** Reviews `job.pr` at its head commit and reports on GitHub; resolves even when the review fails. */
export async function reviewPullRequest(deps: ResolvedAppDeps, job: PullRequestJob): Promise<JobResult> {
  const { octokit, pr } = job;
  const now = (): Date => new Date(deps.clock());
  const entry: NewReview = {
    source: 'github',
    repository: `${pr.owner}/${pr.repo}`,
    subjectKey: `pr:${pr.number}`,
    subject: pr.title,
    author: pr.author,
    base: pr.baseSha,
    head: pr.headSha,
    links: { prUrl: pr.htmlUrl, commitUrlBase: `${deps.htmlBase}/${pr.owner}/${pr.repo}/commit/` },
  };
  let run: CheckRunHandle | undefined;
  let stored = false;
  let reviewId: number | null = null;
  try {
    run = await ensureCheckRun(octokit, pr, now());
    if (run.status === 'completed' && !job.force) {
      // Re-reviewing would store a new review and so change the dashboard link in the comment.
      return { status: 'already-reviewed', conclusion: null, reviewId: null, comment: null, code: null };
    }

    const loaded = await loadLockscopeConfig(job.readConfig);
    if (!loaded.ok) {
      const outcome = toOutcome({ code: 'CONFIG_INVALID', message: loaded.reason });
      await completeCheckRun(octokit, pr, run, checkResultForOutcome(outcome), now());
      return { status: 'skipped', conclusion: 'neutral', reviewId: null, comment: null, code: outcome.code };
    }
    const config = loaded.config;
    if (!config.enabled) {
      await completeCheckRun(octokit, pr, run, skippedResult('lockscope is disabled', 'This repository sets `enabled: false` in .github/lockscope.yml.'), now());
      return { status: 'skipped', conclusion: 'neutral', reviewId: null, comment: null, code: null };
    }

    const mergeBase = await mergeBaseOf(octokit, pr, job.log);
    const diff = await fetchPullRequestDiff(octokit, pr, (path) => configSelects(config, path));
    if (diff.files.length === 0) {
      // Nothing to say: no new comment, but a comment from an earlier push must not keep
      // claiming findings the PR no longer has.
      const body = `${COMMENT_MARKER}\nlockscope: this pull request no longer changes any C file it reviews, so there is no lock-order finding.\n`;
      const comment = config.comment === 'never' ? null : (await ensureComment(octokit, pr, body, { create: config.comment === 'always' })).action;
      await completeCheckRun(octokit, pr, run, skippedResult('No C change', 'This pull request changes no C source or header selected by `paths` in .github/lockscope.yml; there is no lock order to check.'), now());
      return { status: 'skipped', conclusion: 'neutral', reviewId: null, comment, code: null };
    }

    const tree = new GitHubTree({ octokit, owner: pr.owner, repo: pr.repo, sha: mergeBase, cache: deps.blobCache });
    // `kernelConfig:` is read from the base the review runs against; a missing or wrong file is the config's problem.
    const kernelConfig = config.kernelConfig === undefined ? undefined : await kernelConfigIn(tree, config.kernelConfig);
    if (kernelConfig && !kernelConfig.ok) {
      const outcome = toOutcome({ code: 'CONFIG_INVALID', message: `.github/lockscope.yml: ${kernelConfig.reason}` });
      await completeCheckRun(octokit, pr, run, checkResultForOutcome(outcome), now());
      return { status: 'skipped', conclusion: 'neutral', reviewId: null, comment: null, code: outcome.code };
    }
    stored = true; // from here recordReview owns the row, failed or not
    const { id, review } = await recordReview(
      { store: deps.store, review: (request) => deps.reviewQueue.run(() => deps.review(request), deps.reviewTimeoutMs), now: deps.clock },
      { ...entry, base: mergeBase },
      { patches: [diff.diff], base: tree, context: config.context, lockFunctions: config.lockFunctions, kinds: config.kinds, ...(kernelConfig ? { config: kernelConfig.file } : {}) },
    );
    reviewId = id;
    const dashboardUrl = deps.publicUrl ? `${deps.publicUrl.replace(/\/+$/, '')}/reviews/${id}` : undefined;

    if (review.json.verdict === 'error') {
      // An API failure inside the tree surfaces as INTERNAL from review(); the tree kept the real one.
      const outcome = toOutcome(tree.lastError ?? review.failure ?? { code: 'INTERNAL', message: review.json.errors.join('; ') });
      await completeCheckRun(octokit, pr, run, checkResultForOutcome(outcome, dashboardUrl), now());
      return { status: 'failed', conclusion: outcome.conclusion, reviewId, comment: null, code: outcome.code };
    }

    const report = deps.render(review, { lineUrl: lineUrlFor(deps.htmlBase, pr.owner, pr.repo, mergeBase, pr.headSha), ...(dashboardUrl ? { dashboardUrl } : {}) });
    let comment: CommentAction | null = null;
    if (config.comment !== 'never') {
      const create = config.comment === 'always' || reviewOutcome(review.json) !== 'no-change';
      comment = (await ensureComment(octokit, pr, commentBody(report, dashboardUrl), { create })).action;
    }
    const result = checkResultFor(review, config, report, dashboardUrl);
    await completeCheckRun(octokit, pr, run, result, now());
    return { status: 'reviewed', conclusion: result.conclusion, reviewId, comment, code: null };
  } catch (err) {
    const outcome = toOutcome(err);
    job.log.error({ err, code: outcome.code, pr: `${pr.owner}/${pr.repo}#${pr.number}` }, `lockscope review failed: ${outcome.title}`);
    if (!stored) {
      const id = deps.store.create(entry);
      deps.store.fail(id, `${outcome.code}: ${outcome.detail}`);
      reviewId = id;
    }
    if (run) {
      try {
        await completeCheckRun(octokit, pr, run, checkResultForOutcome(outcome), now());
      } catch (reportErr) {
        job.log.error({ err: reportErr }, 'could not report the failure on the check run either');
      }
    }
    return { status: 'failed', conclusion: run ? outcome.conclusion : null, reviewId, comment: null, code: outcome.code };
  }
}

/**
 * The commit the PR's diff is relative to. GitHub diffs a PR against the merge base of head and
 * base (three dots), not against the base branch tip the payload names; applying it to the tip
 * would fail or analyze the wrong code once the base branch moved on.
 */
async function mergeBaseOf(octokit: GitHubApi, pr: PullRequestRef, log: PullRequestJob['log']): Promise<string> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: pr.owner, repo: pr.repo, basehead: `${pr.baseSha}...${pr.headSha}`, per_page: 1 });
    return data.merge_base_commit.sha;
  } catch (err) {
    // 404/422: GitHub cannot relate the two commits (history rewritten); other errors are real.
    const status = (err as { status?: unknown }).status;
    if (status !== 404 && status !== 422) throw err;
    log.warn({ err }, 'could not compute the merge base; reviewing against the base branch tip');
    return pr.baseSha;
  }
}
