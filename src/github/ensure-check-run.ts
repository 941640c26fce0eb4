/**
 * ONE check run named `lockscope` per head commit: reuses the run GitHub already has for that SHA
 * (a redelivered webhook, a re-run, `/lockscope recheck`), creates it `in_progress` otherwise.
 * The run carries `external_id: "pr:<n>"`, so a re-run request from the Checks tab finds its pull
 * request even when GitHub leaves `pull_requests` empty (fork PRs).
 */
import type { GitHubApi, PullRequestRef } from './types.ts';

export const CHECK_NAME = 'lockscope';

/** What completeCheckRun needs to know about the run it finishes. */
export interface CheckRunHandle {
  id: number;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  /** Annotations the run already carries: GitHub appends annotations on every update. */
  annotations: number;
}

/** The lockscope run for `pr.headSha`, created in progress if there is none. */
export async function ensureCheckRun(octokit: GitHubApi, pr: PullRequestRef, now: Date): Promise<CheckRunHandle> {
  const { data } = await octokit.rest.checks.listForRef({ owner: pr.owner, repo: pr.repo, ref: pr.headSha, check_name: CHECK_NAME, filter: 'latest', per_page: 100 });
  const existing = data.check_runs.find((r) => r.name === CHECK_NAME && r.head_sha === pr.headSha);
  if (existing) {
    return {
      id: existing.id,
      status: existing.status,
      conclusion: existing.conclusion ?? null,
      title: existing.output?.title ?? null,
      summary: existing.output?.summary ?? null,
      annotations: existing.output?.annotations_count ?? 0,
    };
  }
  const created = await octokit.rest.checks.create({
    owner: pr.owner,
    repo: pr.repo,
    name: CHECK_NAME,
    head_sha: pr.headSha,
    status: 'in_progress',
    started_at: now.toISOString(),
    external_id: `pr:${pr.number}`,
    output: { title: 'Reviewing lock order', summary: 'lockscope is comparing lock-order inversions before and after this pull request.' },
  });
  return { id: created.data.id, status: 'in_progress', conclusion: null, title: null, summary: null, annotations: 0 };
}
