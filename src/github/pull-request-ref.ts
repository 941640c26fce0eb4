/**
 * Reads a pull request out of webhook or API JSON into a PullRequestRef: the boundary where raw
 * GitHub shapes stop. Also fetches one by number, for events that only name it
 * (`check_run.rerequested`, an `issue_comment`).
 */
import type { GitHubApi, PullRequestRef } from './types.ts';

/** The fields of a GitHub pull request object this app reads (webhook and REST share them). */
export interface PullRequestJson {
  number: number;
  title: string;
  html_url: string;
  draft?: boolean | undefined;
  state: string;
  user: { login: string } | null;
  head: { sha: string };
  base: { sha: string; repo: { name: string; owner: { login: string } } };
}

/** The PullRequestRef of a pull request object; the repository is the base (target) one. */
export function pullRequestRef(pr: PullRequestJson): PullRequestRef {
  return {
    owner: pr.base.repo.owner.login,
    repo: pr.base.repo.name,
    number: pr.number,
    title: pr.title,
    author: pr.user?.login ?? null,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    htmlUrl: pr.html_url,
    draft: pr.draft === true,
    state: pr.state === 'closed' ? 'closed' : 'open',
  };
}

/** Fetches pull request `number` of owner/repo as it is now (current head). */
export async function fetchPullRequestRef(octokit: GitHubApi, owner: string, repo: string, number: number): Promise<PullRequestRef> {
  const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
  return pullRequestRef(data as PullRequestJson);
}

/** The PR a lockscope check run belongs to: its `external_id` ("pr:42"), else GitHub's own link. */
export function checkRunPullNumber(run: { external_id?: string | null; pull_requests?: { number: number }[] }): number | undefined {
  const m = /^pr:(\d+)$/.exec(run.external_id ?? '');
  if (m) return Number(m[1]);
  return run.pull_requests?.[0]?.number;
}
