/**
 * The body of the one lockscope comment on a pull request: a hidden marker that ensureComment
 * finds it by, then the markdown report, cut to GitHub's limit with a pointer to the full report.
 */
import { truncateForGitHub } from './truncate-for-github.ts';

/** Invisible in the rendered comment; identifies ours among the PR's comments. */
export const COMMENT_MARKER = '<!-- lockscope:review -->';

/** Marker + report, within GitHub's 65,535 characters; the note links the dashboard when known. */
export function commentBody(report: string, dashboardUrl?: string): string {
  const note = dashboardUrl
    ? `_The report was cut to fit GitHub's comment size limit. Full report: ${dashboardUrl}_`
    : "_The report was cut to fit GitHub's comment size limit; the lockscope check run has the annotations._";
  return truncateForGitHub(`${COMMENT_MARKER}\n${report.trimEnd()}\n`, note);
}
