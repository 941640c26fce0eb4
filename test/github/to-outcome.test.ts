/** What each failure does to the check run: by status and code, never by message text. */
import { describe, expect, it } from 'vitest';
import { toOutcome } from '../../src/github/to-outcome.ts';
import { TimeoutError } from '../../src/github/with-timeout.ts';

const http = (status: number, headers: Record<string, string> = {}) => Object.assign(new Error('whatever GitHub says'), { status, response: { headers } });

describe('toOutcome', () => {
  it('a primary rate limit (403 with x-ratelimit-remaining: 0) is neutral and says to recheck later', () => {
    expect(toOutcome(http(403, { 'x-ratelimit-remaining': '0' }))).toMatchObject({ code: 'RATE_LIMITED', conclusion: 'neutral' });
    expect(toOutcome(http(429))).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('a 403 without rate-limit headers is a missing permission', () => {
    expect(toOutcome(http(403))).toMatchObject({ code: 'FORBIDDEN', conclusion: 'neutral' });
  });

  it('GitHub having a bad day (502) does not block merging', () => {
    expect(toOutcome(http(502))).toMatchObject({ code: 'GITHUB_UNAVAILABLE', conclusion: 'neutral' });
  });

  it('a PR whose diff GitHub will not produce (406) is neutral', () => {
    expect(toOutcome(http(406))).toMatchObject({ code: 'DIFF_TOO_LARGE', conclusion: 'neutral' });
  });

  it('the review time bound is neutral with advice', () => {
    expect(toOutcome(new TimeoutError(300_000))).toMatchObject({ code: 'TIMEOUT', conclusion: 'neutral' });
  });

  it('a patch that does not apply, reported by review() as a value, fails the check', () => {
    expect(toOutcome({ code: 'PATCH_APPLY', message: 'hunk 2 of a.c does not apply' })).toMatchObject({ code: 'PATCH_APPLY', conclusion: 'failure' });
  });

  it('the same message text with another code maps by code', () => {
    expect(toOutcome({ code: 'TOO_LARGE', message: 'rate limit' })).toMatchObject({ code: 'TOO_LARGE', conclusion: 'neutral' });
    expect(toOutcome(new Error('rate limit exceeded'))).toMatchObject({ code: 'INTERNAL', conclusion: 'failure' });
  });
});
