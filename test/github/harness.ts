/**
 * Shared set-up for the app tests: a Probot with retries and throttling off (unless a test asks
 * for retries), the lockscope app with the REAL review() and markdown renderer, an in-memory
 * SQLite review store, the fake GitHub behind nock, and hand-written webhook payloads.
 */
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Probot, ProbotOctokit } from 'probot';
import { lockscopeApp } from '../../src/app.ts';
import { openReviewStore } from '../../src/store/review-store.ts';
import { createBlobCache } from '../../src/github/blob-cache.ts';
import type { AppDeps } from '../../src/github/types.ts';
import { renderers } from '../../src/render/index.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { ReviewStore } from '../../src/store/types.ts';
import { FakeGitHub, readTree } from './fake-github.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/github/', import.meta.url));
export const INSTALLATION = 99;

let key: string | undefined;
/** One RSA key per test file: Probot signs its app JWT with it (the fake does not check). */
export function privateKey(): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return key;
}

export interface Harness {
  probot: Probot;
  github: FakeGitHub;
  store: ReviewStore;
}

/** A loaded app against a fresh fake GitHub serving test/fixtures/github/base. */
export async function startApp(options: { retry?: boolean; deps?: Partial<AppDeps> } = {}): Promise<Harness> {
  const github = new FakeGitHub(readTree(`${FIXTURES}base`));
  github.useNock();
  const store = openReviewStore(openDatabase(':memory:'));
  const probot = new Probot({
    appId: 1,
    privateKey: privateKey(),
    logLevel: 'fatal',
    Octokit: ProbotOctokit.defaults({
      retry: options.retry ? { enabled: true, retries: 2, retryAfterBaseValue: 1 } : { enabled: false },
      throttle: { enabled: false },
    }),
  });
  // Loaded on demand so a test that injects its own review function does not need the pipeline.
  const reviewFn = options.deps?.review ?? (await import('../../src/review.ts')).review;
  await probot.load(
    lockscopeApp({
      store,
      review: (request) => reviewFn(request),
      render: renderers.get('markdown') as NonNullable<ReturnType<typeof renderers.get>>,
      clock: () => Date.parse('2025-01-02T03:04:05Z'),
      publicUrl: 'https://lockscope.example.org',
      blobCache: createBlobCache(),
      ...options.deps,
    }),
  );
  return { probot, github, store };
}

/** A `pull_request` webhook for the fake's PR. */
export function pullRequestEvent(github: FakeGitHub, action: string, id = `pr-${action}-${github.pr.headSha.slice(0, 6)}`) {
  return {
    id,
    name: 'pull_request' as const,
    payload: {
      action,
      number: github.pr.number,
      pull_request: github.pullRequestJson(),
      repository: github.repositoryJson(),
      installation: { id: INSTALLATION },
      sender: { login: 'dev', type: 'User' },
    },
  } as unknown as Parameters<Probot['receive']>[0];
}

/** An `issue_comment.created` webhook on the fake's PR. */
export function commentEvent(github: FakeGitHub, body: string, sender = { login: 'maintainer', type: 'User' }) {
  return {
    id: `comment-${Math.random().toString(16).slice(2)}`,
    name: 'issue_comment' as const,
    payload: {
      action: 'created',
      issue: { number: github.pr.number, title: github.pr.title, pull_request: { url: `https://api.github.com/repos/acme/pool/pulls/${github.pr.number}` }, user: { login: 'dev' } },
      comment: { id: 5, body, user: sender },
      repository: github.repositoryJson(),
      installation: { id: INSTALLATION },
      sender,
    },
  } as unknown as Parameters<Probot['receive']>[0];
}

/** A `check_run.rerequested` webhook for a lockscope run (GitHub leaves pull_requests empty for forks). */
export function rerunEvent(github: FakeGitHub, runId: number, externalId: string) {
  return {
    id: `rerun-${runId}`,
    name: 'check_run' as const,
    payload: {
      action: 'rerequested',
      check_run: { id: runId, name: 'lockscope', head_sha: github.pr.headSha, external_id: externalId, pull_requests: [], app: { id: 1 } },
      repository: github.repositoryJson(),
      installation: { id: INSTALLATION },
      sender: { login: 'maintainer', type: 'User' },
    },
  } as unknown as Parameters<Probot['receive']>[0];
}
