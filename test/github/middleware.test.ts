/**
 * createGitHubHandler as `lockscope serve` mounts it: real HTTP on loopback, a signed webhook in,
 * the GitHub API served by the fake on another loopback port (reached the way a GitHub
 * Enterprise Server is: GHE_HOST + GHE_PROTOCOL), Probot's production Octokit (retries and
 * throttling on), and the real review pipeline.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openReviewStore } from '../../src/store/review-store.ts';
import { createGitHubHandler, WEBHOOKS_PATH } from '../../src/github/middleware.ts';
import { openDatabase } from '../../src/store/database.ts';
import { FakeGitHub, readTree } from './fake-github.ts';
import { FIXTURES, INSTALLATION, privateKey } from './harness.ts';

const SECRET = 'webhook-secret-for-tests';
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** The fake GitHub over HTTP at http://127.0.0.1:<port>/api/v3, as a GHE server lays out its API. */
async function fakeEnterprise(fake: FakeGitHub): Promise<number> {
  const port = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const r = fake.handle(req.method ?? 'GET', (req.url ?? '/').replace(/^\/api\/v3/, ''), text ? JSON.parse(text) : undefined, String(req.headers.accept ?? ''));
      const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', ...r.headers }).end(body);
    });
  });
  fake.origin = `http://127.0.0.1:${port}/api/v3`;
  return port;
}

function env(apiPort: number): NodeJS.ProcessEnv {
  return { APP_ID: '1', PRIVATE_KEY: privateKey(), WEBHOOK_SECRET: SECRET, GHE_HOST: `127.0.0.1:${apiPort}`, GHE_PROTOCOL: 'http', LOG_LEVEL: 'fatal' };
}

async function startHook(apiPort: number, store = openReviewStore(openDatabase(':memory:'))): Promise<number> {
  const created = await createGitHubHandler(env(apiPort), { store, publicUrl: 'https://lockscope.example.org' });
  if (!created.ok) throw new Error(`missing ${created.missing.join(', ')}`);
  return listen((req, res) => {
    void created.handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end('not a webhook path\n');
    });
  });
}

function deliver(port: number, name: string, payload: unknown, signature?: string): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`http://127.0.0.1:${port}${WEBHOOKS_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': name,
      'x-github-delivery': `d-${Math.random().toString(16).slice(2)}`,
      'x-hub-signature-256': signature ?? `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
}

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for the app');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function openedPayload(fake: FakeGitHub) {
  return { action: 'opened', number: fake.pr.number, pull_request: fake.pullRequestJson(), repository: fake.repositoryJson(), installation: { id: INSTALLATION }, sender: { login: 'dev', type: 'User' } };
}

describe('createGitHubHandler', () => {
  it('without APP_ID, a key and WEBHOOK_SECRET it names what is missing instead of starting half-configured', async () => {
    const store = openReviewStore(openDatabase(':memory:'));
    expect(await createGitHubHandler({}, { store })).toEqual({ ok: false, missing: ['APP_ID', 'PRIVATE_KEY or PRIVATE_KEY_PATH', 'WEBHOOK_SECRET'] });
    const r = await createGitHubHandler({ APP_ID: '1', PRIVATE_KEY_PATH: '/nonexistent/key.pem', WEBHOOK_SECRET: 's' }, { store });
    expect(r).toEqual({ ok: false, missing: ['PRIVATE_KEY_PATH (cannot read /nonexistent/key.pem)'] });
  });

  it('a delivery with a forged signature is rejected before any API call', async () => {
    const fake = new FakeGitHub(readTree(`${FIXTURES}base`));
    const apiPort = await fakeEnterprise(fake);
    const port = await startHook(apiPort);
    const res = await deliver(port, 'pull_request', openedPayload(fake), `sha256=${'0'.repeat(64)}`);
    expect([400, 401]).toContain(res.status);
    expect(fake.requests).toHaveLength(0);
  });

  it('other paths are left to the dashboard (the handler resolves false)', async () => {
    const fake = new FakeGitHub(readTree(`${FIXTURES}base`));
    const port = await startHook(await fakeEnterprise(fake));
    const res = await fetch(`http://127.0.0.1:${port}/reviews`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('not a webhook path\n');
  });

  it('end to end on loopback: a signed pull_request webhook ends in a comment and a check run at the fake GitHub', async () => {
    const fake = new FakeGitHub(readTree(`${FIXTURES}base`));
    fake.pr.diff = readFileSync(`${FIXTURES}add-inversion.diff`, 'utf8');
    const apiPort = await fakeEnterprise(fake);
    const store = openReviewStore(openDatabase(':memory:'));
    const port = await startHook(apiPort, store);

    const res = await deliver(port, 'pull_request', openedPayload(fake));
    expect([200, 202]).toContain(res.status);
    await until(() => fake.checkRuns[0]?.status === 'completed');

    expect(fake.comments).toHaveLength(1);
    // Links point at the Enterprise host the API lives on.
    expect(fake.comments[0]!.body).toContain(`http://127.0.0.1:${apiPort}/acme/pool/blob/${fake.pr.headSha}/drivers/pool/pool.c#L`);
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    expect(store.list({ source: 'github' }, 1, 10).items[0]).toMatchObject({ status: 'done', verdict: 'adds-inversion' });
  });
});
