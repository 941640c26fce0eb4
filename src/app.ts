/**
 * The lockscope GitHub App: Probot wiring only. Each handler turns its webhook into a
 * PullRequestRef and hands it to reviewPullRequest (src/github/), serialized per pull request.
 * Nothing here fetches, analyzes or formats; the dependencies come in through `deps`.
 *
 * Handlers never reject: @octokit/webhooks attaches the whole delivery to a handler's error and
 * Probot logs it, payload included. A failure is logged here by delivery id, event and code.
 */
import type { Context, Probot } from 'probot';
import { createBlobCache } from './github/blob-cache.ts';
import { CHECK_NAME } from './github/ensure-check-run.ts';
import { KeyedQueue } from './github/keyed-queue.ts';
import { ReviewQueue } from './github/review-queue.ts';
import { checkRunPullNumber, fetchPullRequestRef, pullRequestRef, type PullRequestJson } from './github/pull-request-ref.ts';
import { isRecheckCommand } from './github/recheck-command.ts';
import { reviewPullRequest, type JobResult, type ResolvedAppDeps } from './github/review-pull-request.ts';
import type { AppDeps, PullRequestRef } from './github/types.ts';

export type { AppDeps } from './github/types.ts';

/** Runs `handler`, logging a failure without the payload instead of rejecting. */
function guarded<C extends Context>(handler: (context: C) => Promise<void>): (context: C) => Promise<void> {
  return async (context) => {
    try {
      await handler(context);
    } catch (err) {
      const e = err as { code?: unknown; status?: unknown; message?: unknown };
      const code = e.status ?? e.code ?? 'INTERNAL';
      context.log.error({ delivery: context.id, event: context.name, code }, `lockscope could not handle the delivery: ${typeof e.message === 'string' ? e.message.split('\n')[0] : String(err)}`);
    }
  };
}

/** The Probot application function; `deps` is shared by every event it handles. */
export function lockscopeApp(deps: AppDeps): (app: Probot) => void {
  const resolved: ResolvedAppDeps = {
    ...deps,
    htmlBase: deps.htmlBase ?? 'https://github.com',
    blobCache: deps.blobCache ?? createBlobCache(),
    reviewTimeoutMs: deps.reviewTimeoutMs ?? 5 * 60_000,
    reviewQueue: deps.reviewQueue ?? new ReviewQueue(),
  };
  const queue = deps.queue ?? new KeyedQueue();
  const run = (context: Context, pr: PullRequestRef, force: boolean): Promise<JobResult> =>
    queue.run(`${pr.owner}/${pr.repo}#${pr.number}`, () =>
      reviewPullRequest(resolved, { octokit: context.octokit, pr, readConfig: () => context.config('lockscope.yml', {}), log: context.log, force }),
    );

  return (app) => {
    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'], guarded(async (context) => {
      const pr = pullRequestRef(context.payload.pull_request as PullRequestJson);
      if (pr.draft) return; // reviewed once it is marked ready (ready_for_review)
      await run(context, pr, false);
    }));

    app.on('check_run.rerequested', guarded(async (context) => {
      if (context.payload.check_run.name !== CHECK_NAME) return;
      const number = checkRunPullNumber(context.payload.check_run);
      if (number === undefined) return context.log.warn('re-run requested for a lockscope check with no pull request');
      const { owner, repo } = context.repo();
      await run(context, await fetchPullRequestRef(context.octokit, owner, repo, number), true);
    }));

    app.on('issue_comment.created', guarded(async (context) => {
      if (!context.payload.issue.pull_request || context.isBot || !isRecheckCommand(context.payload.comment.body)) return;
      const { owner, repo } = context.repo();
      await run(context, await fetchPullRequestRef(context.octokit, owner, repo, context.payload.issue.number), true);
    }));
  };
}
