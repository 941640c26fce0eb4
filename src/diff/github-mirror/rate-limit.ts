/**
 * GitHub's rate limits, as its REST documentation asks clients to treat them: a 403 or 429 with
 * `retry-after` means wait that many seconds; with `x-ratelimit-remaining: 0` wait until
 * `x-ratelimit-reset` (UTC epoch seconds); a secondary limit without either, at least a minute.
 * A wait up to `maxWaitMs` (default one minute) is taken and the request retried; a longer one is
 * a GitHubRateLimitError saying when to retry, because a CLI user or a b4 hook would rather know
 * than hang for an hour. A response that spends the last request blocks the next one the same way
 * instead of letting it fail.
 *
 * It wraps Octokit's request hook; it does not queue or pace requests (lockscope makes one at a
 * time per file, far below the secondary limits) and it does not retry other errors.
 */
import type { Octokit } from '@octokit/rest';

/** The limit is spent and the reset is further away than we wait. `retryAt` is epoch ms. */
export class GitHubRateLimitError extends Error {
  readonly code = 'GITHUB_RATE_LIMIT';
  constructor(
    message: string,
    readonly retryAt: number,
  ) {
    super(message);
    this.name = 'GitHubRateLimitError';
  }
}

export interface RateLimitOptions {
  /** Whether requests carry a token: the message suggests GITHUB_TOKEN when they do not. */
  authenticated: boolean;
  /** The longest wait for a reset before failing instead; default 60 s. */
  maxWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told before each wait (the CLI prints it on a terminal). */
  onWait?: (ms: number, reason: string) => void;
}

const SECONDARY_WAIT_MS = 60_000;
const MAX_RETRIES = 3;
/** Our clock and GitHub's differ a little; waking a second late beats a second 403. */
const CLOCK_SLACK_MS = 1_000;

interface Limited {
  retryAt: number;
  reason: string;
  primary: boolean;
}

type Headers = Record<string, string | number | undefined>;

function header(headers: Headers | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return v === undefined ? undefined : String(v);
}

/** When a failed request may be retried, if it failed for a rate limit. */
function limitOf(err: unknown, now: number): Limited | undefined {
  const e = err as { status?: number; message?: string; response?: { headers?: Headers } };
  if (e.status !== 403 && e.status !== 429) return undefined;
  const headers = e.response?.headers;
  const retryAfter = Number(header(headers, 'retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && header(headers, 'retry-after') !== undefined) {
    return { retryAt: now + retryAfter * 1000, reason: 'GitHub asked to retry later (secondary rate limit)', primary: false };
  }
  if (header(headers, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    const used = header(headers, 'x-ratelimit-used');
    const limit = header(headers, 'x-ratelimit-limit');
    const counts = used && limit ? ` (${used} of ${limit} requests this hour)` : '';
    return { retryAt: Number.isFinite(reset) ? reset * 1000 + CLOCK_SLACK_MS : now + SECONDARY_WAIT_MS, reason: `GitHub API rate limit exhausted${counts}`, primary: true };
  }
  if (e.status === 429 || /rate limit/i.test(e.message ?? '')) {
    return { retryAt: now + SECONDARY_WAIT_MS, reason: 'GitHub asked to slow down (secondary rate limit)', primary: false };
  }
  return undefined;
}

function inWords(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 120) return `${s} s`;
  const m = Math.ceil(s / 60);
  return m < 120 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function failure(limited: Limited, now: number, authenticated: boolean): GitHubRateLimitError {
  const when = new Date(limited.retryAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const hint = limited.primary && !authenticated ? '; or set GITHUB_TOKEN, which raises the limit from 60 to 5,000 requests an hour' : '';
  return new GitHubRateLimitError(`${limited.reason}; retry after ${when} (in ${inWords(limited.retryAt - now)})${hint}`, limited.retryAt);
}

/** Makes `octokit` wait out short rate-limit resets and fail clearly on long ones. */
export function handleRateLimits(octokit: Octokit, options: RateLimitOptions): void {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  // Set when a response says the limit is spent: the next request waits or fails up front.
  let spent: Limited | undefined;

  const waitFor = async (limited: Limited): Promise<void> => {
    const ms = limited.retryAt - now();
    if (ms <= 0) return;
    if (ms > maxWaitMs) throw failure(limited, now(), options.authenticated);
    options.onWait?.(ms, limited.reason);
    await sleep(ms);
  };

  octokit.hook.wrap('request', async (request, params) => {
    for (let attempt = 0; ; attempt++) {
      if (spent) {
        await waitFor(spent);
        spent = undefined;
      }
      try {
        const response = await request(params);
        const headers = response.headers as Headers;
        if (header(headers, 'x-ratelimit-remaining') === '0') {
          const reset = Number(header(headers, 'x-ratelimit-reset'));
          if (Number.isFinite(reset)) spent = { retryAt: reset * 1000 + CLOCK_SLACK_MS, reason: 'GitHub API rate limit exhausted', primary: true };
        }
        return response;
      } catch (err) {
        const limited = limitOf(err, now());
        if (!limited) throw err;
        if (attempt >= MAX_RETRIES) throw failure(limited, now(), options.authenticated);
        await waitFor(limited);
      }
    }
  });
}
