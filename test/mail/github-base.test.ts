/**
 * The list bot without a kernel clone (issue 13 point 4): the mail config's
 * `base: { github: OWNER/REPO }` reviews each series against a GitHub repository read through its
 * REST API, here a loopback API serving a real git repository. A series names its base with
 * `base-commit:`; one GitHub does not have falls back to the default branch with a note; a spent
 * rate limit is a failure on our side (exit 75, retried), not an answer to the author.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { testRepo, type TestRepo } from '../commands/git-repo.ts';
import { startFakeGitHubApi, type FakeGitHubApi } from '../diff/fake-github-api.ts';
import { captureIo } from '../support/cli-io.ts';
import { FIXTURES } from './helpers.ts';

let repo: TestRepo;
let api: FakeGitHubApi;
let dir: string;
const SINGLE = readFileSync(join(FIXTURES, 'single-fix.eml'), 'utf8');

beforeAll(async () => {
  repo = testRepo(join(FIXTURES, 'base'));
  api = await startFakeGitHubApi({ repoDir: repo.dir, owner: 'acme', repo: 'foo' });
});

afterAll(async () => {
  await api.close();
  repo.remove();
});

beforeEach(() => {
  api.calls.length = 0;
  api.remaining = Infinity;
  dir = mkdtempSync(join(tmpdir(), 'lockscope-mail-github-'));
  writeFileSync(join(dir, 'mail.yml'), `from: "lockscope <lockscope@bot.example.org>"\nbase:\n  github: acme/foo\n  api: ${api.url}\n  cacheDir: cache\n`);
  return () => rmSync(dir, { recursive: true, force: true });
});

async function ingest(raw: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(dir, { stdin: raw, env });
  const code = await main(['mail', 'ingest', '--outbox', 'out', '--db', 'l.db', '--config', 'mail.yml'], io);
  return { code, out: io.out(), err: io.err() };
}

describe('mail ingest with a GitHub base', () => {
  it('reviews a patch against the default branch read through the API, with no --base or --repo', async () => {
    const r = await ingest(SINGLE);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^series 20260301100000\.1001-1-ada@example\.org: review #1 removes-inversion; sent </m);
    expect(readdirSync(join(dir, 'out'))).toHaveLength(1);
    expect(api.calls.some((c) => c.path.startsWith('/repos/acme/foo/git/blobs/'))).toBe(true);
  });

  // The series' base-commit: is not on GitHub (a private tree): the default branch, and the reply says so.
  it("falls back to the default branch when GitHub lacks the series' base-commit, and says so in the reply", async () => {
    const r = await ingest(SINGLE.replace('\n-- \n', '\nbase-commit: f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed\n-- \n'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/review #1 removes-inversion; sent </);
    const [file] = readdirSync(join(dir, 'out'));
    const reply = readFileSync(join(dir, 'out', file as string), 'utf8');
    expect(reply).toMatch(/base-commit f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed is not in/);
    expect(reply).toMatch(/github \S*acme\/foo@[0-9a-f]{12}/);
  });

  // GitHub refuses every request: the message is kept, nobody is answered, the MTA delivers again later.
  it('exits 75 when the rate limit is spent, and reviews the re-delivery once GitHub answers again', async () => {
    api.remaining = 0;
    const r = await ingest(SINGLE);
    expect(r.code).toBe(75);
    expect(r.out).toMatch(/^stdin: filed </m);
    expect(r.out).toMatch(/no base tree: .*rate limit/i);
    expect(readdirSync(dir)).not.toContain('out');

    api.remaining = Infinity;
    const again = await ingest(SINGLE);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/review #1 removes-inversion; sent </);
  });

  it('refuses a base that is not OWNER/REPO, and --base or --repo win over it', async () => {
    writeFileSync(join(dir, 'mail.yml'), 'from: "lockscope <lockscope@bot.example.org>"\nbase:\n  github: not-a-repo\n');
    const bad = await ingest(SINGLE);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not a GitHub repository: "not-a-repo"/);
    writeFileSync(join(dir, 'mail.yml'), 'from: "lockscope <lockscope@bot.example.org>"\nbase:\n  gitlab: acme/foo\n');
    expect((await ingest(SINGLE)).err).toMatch(/unknown config key base\.gitlab/);

    writeFileSync(join(dir, 'mail.yml'), `from: "lockscope <lockscope@bot.example.org>"\nbase:\n  github: acme/foo\n  api: ${api.url}\n`);
    const io = captureIo(dir, { stdin: SINGLE });
    expect(await main(['mail', 'ingest', '--base', join(FIXTURES, 'base'), '--outbox', 'out', '--db', 'l.db', '--config', 'mail.yml'], io)).toBe(0);
    expect(api.calls).toEqual([]);
  });
});
