/**
 * Keeps ONE lockscope comment per pull request, edited in place: found by its hidden marker
 * among the bot-authored comments (paginated), updated only when the body changed, created only
 * when asked. A redelivered webhook therefore changes nothing, and a PR with forty pushes has one
 * comment, not forty.
 */
import { COMMENT_MARKER } from './comment-body.ts';
import type { GitHubApi, PullRequestRef } from './types.ts';

export type CommentAction = 'created' | 'updated' | 'unchanged' | 'absent';

/**
 * Makes the PR's lockscope comment read `body`. With `create: false` an existing comment is
 * still updated (on-change mode: the comment follows the PR once it exists) but none is created.
 */
export async function ensureComment(octokit: GitHubApi, pr: PullRequestRef, body: string, options: { create: boolean }): Promise<{ action: CommentAction; id?: number }> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: pr.owner, repo: pr.repo, issue_number: pr.number, per_page: 100 });
  // Oldest first: if a past race left two, the first one is the one people saw.
  const ours = comments.find((c) => c.user?.type === 'Bot' && typeof c.body === 'string' && c.body.startsWith(COMMENT_MARKER));
  if (ours) {
    if (ours.body === body) return { action: 'unchanged', id: ours.id };
    await octokit.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: ours.id, body });
    return { action: 'updated', id: ours.id };
  }
  if (!options.create) return { action: 'absent' };
  const { data } = await octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body });
  return { action: 'created', id: data.id };
}
