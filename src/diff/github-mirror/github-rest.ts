/**
 * The REST client a GitHub mirror reads through: @octokit/rest against github.com or a GitHub
 * Enterprise Server (`https://HOST/api/v3`), with a token when one is given and rate limits
 * handled (rate-limit.ts). No retry of other failures and no throttling plugin: a mirror read is
 * a few sequential requests, and a failure is reported, not hidden.
 */
import { Octokit } from '@octokit/rest';
import { handleRateLimits, type RateLimitOptions } from './rate-limit.ts';

export const DEFAULT_API_URL = 'https://api.github.com';

export interface GitHubRestOptions extends Omit<RateLimitOptions, 'authenticated'> {
  /** A personal access or installation token (GITHUB_TOKEN); public repositories work without. */
  token?: string;
  /** The API root: https://api.github.com (default) or https://HOST/api/v3. */
  apiUrl?: string;
  userAgent?: string;
}

export type ApiUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/** An http(s) URL without a trailing slash: "https://ghe.example.com/api/v3/" -> ".../api/v3". */
export function checkApiUrl(raw: string): ApiUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `not a URL: ${JSON.stringify(raw)} (expected https://api.github.com or https://HOST/api/v3)` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `the GitHub API URL must be http(s): ${JSON.stringify(raw)}` };
  if (url.search || url.hash) return { ok: false, reason: `the GitHub API URL takes no query or fragment: ${JSON.stringify(raw)}` };
  return { ok: true, url: url.href.replace(/\/+$/, '') };
}

export function createGitHubRest(options: GitHubRestOptions = {}): Octokit {
  const octokit = new Octokit({
    ...(options.token ? { auth: options.token } : {}),
    baseUrl: options.apiUrl ?? DEFAULT_API_URL,
    userAgent: options.userAgent ?? 'lockscope',
    // Octokit logs deprecations and request failures to the console; failures come back to us.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  handleRateLimits(octokit, { ...options, authenticated: Boolean(options.token) });
  return octokit;
}
