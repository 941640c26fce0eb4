/**
 * Finishes a lockscope check run: conclusion, output, and the annotations in batches of 50 (the
 * most GitHub takes per request; each update appends). The batches go first with the run still
 * in progress, the last one with the conclusion, so nobody sees a completed run with half its
 * annotations. A run that already shows the same result is left alone: a redelivered webhook
 * neither rewrites it nor doubles its annotations.
 */
import type { CheckAnnotation } from './annotations.ts';
import type { CheckRunHandle } from './ensure-check-run.ts';
import { truncateForGitHub } from './truncate-for-github.ts';
import type { GitHubApi, PullRequestRef } from './types.ts';

export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckResult {
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
}

/** Completes `run` with `result`; returns how many update requests it sent (0 when unchanged). */
export async function completeCheckRun(octokit: GitHubApi, pr: PullRequestRef, run: CheckRunHandle, result: CheckResult, now: Date): Promise<{ updates: number }> {
  const summary = truncateForGitHub(result.summary, '_Summary cut to fit GitHub’s limit._');
  const text = result.text === undefined ? undefined : truncateForGitHub(result.text, '_Report cut to fit GitHub’s limit; see the pull request comment or the dashboard._');
  if (run.status === 'completed' && run.conclusion === result.conclusion && run.title === result.title && run.summary === summary && run.annotations >= result.annotations.length) {
    return { updates: 0 };
  }
  // Annotations the run already has stay there (GitHub cannot delete them); the same commit
  // reviewed with the same config yields the same ones, so they are not sent twice.
  const pending = run.annotations > 0 && run.annotations === result.annotations.length ? [] : result.annotations;
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < pending.length; i += ANNOTATIONS_PER_REQUEST) batches.push(pending.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const last = batches.pop() ?? [];
  const base = { owner: pr.owner, repo: pr.repo, check_run_id: run.id };
  for (const batch of batches) {
    await octokit.rest.checks.update({ ...base, output: { title: result.title, summary, annotations: batch } });
  }
  await octokit.rest.checks.update({
    ...base,
    status: 'completed',
    conclusion: result.conclusion,
    completed_at: now.toISOString(),
    output: { title: result.title, summary, ...(text !== undefined ? { text } : {}), ...(last.length > 0 ? { annotations: last } : {}) },
  });
  return { updates: batches.length + 1 };
}
