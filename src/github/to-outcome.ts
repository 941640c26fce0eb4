/**
 * The one place the GitHub front end decides what a failure means for the PR: each error (an
 * Octokit RequestError by HTTP status, our own errors and review() failures by `code`) becomes a
 * check run conclusion and a sentence for the user. Never by message text: messages change,
 * codes and statuses do not.
 *
 * Failures that are not the PR's fault (GitHub down, rate limits, our time bound) end `neutral`
 * so a lockscope outage does not block merging; a review that could not read the PR's own patch
 * ends `failure`, because someone has to look.
 */

export interface Outcome {
  /** Stable code: RATE_LIMITED, GITHUB_UNAVAILABLE, FORBIDDEN, NOT_FOUND, DIFF_TOO_LARGE, TIMEOUT, or review()'s code. */
  code: string;
  conclusion: 'failure' | 'neutral';
  /** Check run title. */
  title: string;
  /** What went wrong and what to do about it; shown in the check run and stored with the review. */
  detail: string;
}

interface ErrorLike {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** Maps any thrown value or review failure (`{ code, message }`) to what the check run says. */
export function toOutcome(err: unknown): Outcome {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (typeof e.status === 'number') return httpOutcome(e.status, e.response?.headers ?? {}, message);
  switch (e.code) {
    case 'TIMEOUT':
      return neutral('TIMEOUT', 'lockscope ran out of time', `${message}. Large contexts take longer: try \`context: touched\` in .github/lockscope.yml, then comment \`/lockscope recheck\`.`);
    case 'TOO_LARGE':
      return neutral('TOO_LARGE', 'Pull request too large for lockscope', message);
    case 'PATCH_PARSE':
    case 'PATCH_APPLY':
    case 'UNSAFE_PATH':
      return failure(String(e.code), 'lockscope could not apply this pull request', `${message}. The diff GitHub reports for this pull request does not apply to its merge base.`);
    case 'CONFIG_INVALID':
      return neutral('CONFIG_INVALID', 'lockscope configuration is invalid', message);
    case 'INTERNAL':
    case undefined:
      return failure('INTERNAL', 'lockscope failed', `${message}. This is a lockscope bug; the review is stored as failed.`);
    default:
      return failure(String(e.code), 'lockscope could not review this pull request', message);
  }
}

function httpOutcome(status: number, headers: Record<string, string | number | undefined>, message: string): Outcome {
  // GitHub signals a primary rate limit with 403 or 429 and x-ratelimit-remaining: 0, a
  // secondary one with retry-after; Probot's throttling plugin has already waited and retried.
  if (status === 429 || (status === 403 && (String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined))) {
    return neutral('RATE_LIMITED', 'GitHub rate limit reached', 'GitHub refused more API calls for now. Comment `/lockscope recheck` later to run the review again.');
  }
  if (status >= 500) return neutral('GITHUB_UNAVAILABLE', 'GitHub API unavailable', `GitHub answered ${status} (${message}). Comment \`/lockscope recheck\` to try again.`);
  if (status === 406 || status === 422) return neutral('DIFF_TOO_LARGE', 'Pull request diff unavailable', `GitHub did not provide this pull request's diff (HTTP ${status}): it is probably too large to review here.`);
  if (status === 401 || status === 403) return neutral('FORBIDDEN', 'lockscope lacks a permission', `GitHub answered ${status} (${message}). The app needs checks: write, pull_requests: write, contents: read and metadata: read on this repository.`);
  if (status === 404) return neutral('NOT_FOUND', 'Something lockscope needed is gone', `GitHub answered 404 (${message}): the branch or commit was probably deleted or force-pushed meanwhile.`);
  return neutral('GITHUB_ERROR', 'GitHub API error', `GitHub answered ${status} (${message}).`);
}

function neutral(code: string, title: string, detail: string): Outcome {
  return { code, conclusion: 'neutral', title, detail };
}

function failure(code: string, title: string, detail: string): Outcome {
  return { code, conclusion: 'failure', title, detail };
}
