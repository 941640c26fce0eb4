/**
 * Patchwork checks for every reviewed patch, against a fake patchwork REST API on loopback:
 * `pending` while the series is reviewed, then the verdict (fail for an added inversion,
 * success for a removal, warning for a patch among pre-existing inversions), with the verdict
 * sentence and the dashboard link, under the configured context. Errors are injected: a check
 * that could not be posted waits in the check outbox and is posted by a later flush, once.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { captureIo } from '../support/cli-io.ts';
import { postChecks } from '../../src/mail/check-outbox.ts';
import { CheckStore } from '../../src/mail/check-store.ts';
import { patchworkClient } from '../../src/mail/patchwork-client.ts';
import { openDatabase } from '../../src/store/database.ts';
import { FakePatchwork } from './fake-patchwork.ts';
import { FIXTURES } from './helpers.ts';

const P1 = '20260302090000.2000-1-grace@example.org';
const P2 = '20260302090000.2000-2-grace@example.org';
const SINGLE = '20260301100000.1001-1-ada@example.org';

let pw: FakePatchwork;
let dir: string;


async function mail(sub: string, ...args: string[]) {
  const run = captureIo(dir, { env: { LOCKSCOPE_PATCHWORK_TOKEN: 'pw-secret' } });
  const code = await main(['mail', sub, '--outbox', 'out', '--db', 'l.db', '--config', 'mail.yml', ...args], run);
  return { code, out: run.out(), err: run.err() };
}

beforeEach(async () => {
  pw = new FakePatchwork('pw-secret');
  await pw.start();
  dir = await mkdtemp(join(tmpdir(), 'lockscope-pw-'));
  await writeFile(join(dir, 'mail.yml'), `from: "lockscope <lockscope@bot.example.org>"\npublicUrl: https://lockscope.example.org\nretryBaseSeconds: 1\npatchwork:\n  url: ${pw.url}\n  context: lockscope-locks\n  timeoutSeconds: 2\n`);
});

afterEach(() => pw.stop());

describe('patchwork checks', () => {
  // The maintainer's patchwork view of a mixed series: one red patch, one green one.
  it('posts pending, then fail for the patch that adds an inversion and success for the one that removes it', async () => {
    pw.addPatch(P1, 101);
    pw.addPatch(P2, 102);
    const r = await mail('ingest', '--base', join(FIXTURES, 'base'), join(FIXTURES, 'series-v1.mbox'));
    expect(r.code, r.err).toBe(0);

    const by = (id: number) => pw.posts().filter(([p]) => p === id).map(([, s]) => s);
    expect(by(101)).toEqual(['pending', 'fail']);
    expect(by(102)).toEqual(['pending', 'success']);
    const fail = pw.latest.get('101 lockscope-locks');
    expect(fail).toMatchObject({ state: 'fail', context: 'lockscope-locks', target_url: 'https://lockscope.example.org/reviews/1' });
    expect(fail?.description).toMatch(/^This patch adds the lock-order inversion cfg_lock <-> tbl_lock\.$/);
    expect(pw.latest.get('102 lockscope-locks')?.description).toMatch(/^This patch removes the lock-order inversion stat_lock <-> tbl_lock\.$|^This patch removes the lock-order inversion tbl_lock <-> stat_lock\.$/);
    expect(pw.requests.every((q) => q.method === 'GET' || q.auth === 'Token pw-secret')).toBe(true);
    expect(pw.requests.find((q) => q.method === 'GET')?.path).toMatch(/^\/api\/patches\/\?msgid=20260302090000\.2000-[12]-grace%40example\.org$/);
    expect(r.out).toMatch(/^patchwork: fail on <20260302090000\.2000-1-grace@example\.org> \(patch 101\)$/m);

    // Nothing changed: a flush posts nothing again.
    const posts = pw.posts().length;
    expect((await mail('flush', '--now')).code).toBe(0);
    expect(pw.posts()).toHaveLength(posts);

    // An explicit re-review: a new review row for the history, no second reply, and patchwork
    // gets pending then the same verdict again (the latest per context wins, so it shows the same).
    const again = await mail('retry', '--base', join(FIXTURES, 'base'), '20260302090000.2000-0-grace@example.org');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/^series 20260302090000\.2000-0-grace@example\.org: review #2 mixed; exists <lockscope-/m);
    expect(pw.latest.get('101 lockscope-locks')).toMatchObject({ state: 'fail', target_url: 'https://lockscope.example.org/reviews/2' });
  });

  // Patchwork down, then not yet aware of the patch: nothing lost, posted by a later flush.
  it('keeps checks that could not be posted and posts them on a later flush', async () => {
    pw.faults.push({ status: 502 }, { status: 502 });
    const r = await mail('ingest', '--base', join(FIXTURES, 'base'), join(FIXTURES, 'single-fix.eml'));
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^patchwork: \w+ on <20260301100000\.1001-1-ada@example\.org> not posted: HTTP_502: patchwork answered 502/m);
    expect(pw.posts()).toEqual([]);

    // Up again, but patchwork has not parsed the mail yet: NOT_FOUND, still queued, flush says so (75).
    const early = await mail('flush', '--now');
    expect(early.code).toBe(75);
    expect(early.err).toMatch(/not posted: NOT_FOUND: patchwork has no patch with Message-ID <20260301100000\.1001-1-ada@example\.org> yet/);
    expect(early.err).toMatch(/^ {2}check success on <20260301100000\.1001-1-ada@example\.org>: \d+ attempts?, next at \S+Z, last error: NOT_FOUND/m);

    pw.addPatch(SINGLE, 7);
    const later = await mail('flush', '--now');
    expect(later.code, later.err).toBe(0);
    expect(pw.posts()).toEqual([[7, 'success']]);
    expect(pw.latest.get('7 lockscope-locks')?.description).toMatch(/^This patch removes the lock-order inversion /);
  });

  // A review that failed on our side stays pending (with why), and becomes the verdict once it passes.
  it('keeps a patch pending while its review waits for a retry, then posts the verdict', async () => {
    pw.addPatch(SINGLE, 9);
    await cp(join(FIXTURES, 'base'), join(dir, 'repo'), { recursive: true });
    const git = (...a: string[]) => execFileSync('git', ['-C', join(dir, 'repo'), '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...a], { stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    const first = await mail('ingest', '--repo', 'repo', '--branch', 'main', join(FIXTURES, 'single-fix.eml'));
    expect(first.code).toBe(75);
    expect(pw.latest.get('9 lockscope-locks')).toMatchObject({ state: 'pending', description: expect.stringMatching(/^lockscope could not review this patch yet and will retry: no base tree: /) });

    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const retried = await mail('retry', '--repo', 'repo', '--branch', 'main', SINGLE);
    expect(retried.code, retried.err).toBe(0);
    expect(pw.latest.get('9 lockscope-locks')).toMatchObject({ state: 'success' });
    expect(pw.posts().at(-1)).toEqual([9, 'success']);
  });

  it('needs a token, and rejects a context that is not a slug', async () => {
    const run = captureIo(dir);
    expect(await main(['mail', 'flush', '--outbox', 'out', '--db', 'l.db', '--config', 'mail.yml'], run)).toBe(2);
    expect(run.err()).toMatch(/patchwork needs a token/);
    await writeFile(join(dir, 'bad.yml'), `patchwork:\n  url: ${pw.url}\n  context: lock scope\n`);
    const bad = captureIo(dir, { env: { LOCKSCOPE_PATCHWORK_TOKEN: 'pw-secret' } });
    expect(await main(['mail', 'flush', '--outbox', 'out', '--db', 'l.db', '--config', 'bad.yml'], bad)).toBe(2);
    expect(bad.err()).toMatch(/patchwork\.context must be a slug/);
  });
});

describe('check outbox', () => {
  // The pending check is still on the wire when the verdict is wanted: the verdict must land last.
  it('posts the newer state after a slow post of an older one, never the other way round', async () => {
    pw.addPatch('m@x', 1);
    const db = openDatabase(':memory:');
    const store = new CheckStore(db);
    let clock = 1_000;
    const deps = {
      store,
      client: patchworkClient({ url: pw.url, token: 'pw-secret', project: null, timeoutMs: 5_000 }),
      context: 'lockscope',
      claims: { me: 'me', isStale: () => false },
      now: () => clock,
      retry: { baseSeconds: 60, maxSeconds: 3600 },
      giveUpMs: 3_600_000,
    };
    store.want({ messageId: 'm@x', context: 'lockscope', state: 'pending', description: 'reviewing', targetUrl: null }, clock);
    pw.faults.push({ delayMs: 0 }, { delayMs: 300 }); // the GET, then a slow POST
    const slow = postChecks(deps);
    await new Promise((r) => setTimeout(r, 100));
    store.want({ messageId: 'm@x', context: 'lockscope', state: 'success', description: 'done', targetUrl: null }, clock);
    expect((await slow).posted).toEqual([{ messageId: 'm@x', state: 'pending', patches: [1] }]);
    expect(store.check('m@x', 'lockscope')).toMatchObject({ status: 'queued', version: 2 });
    clock += 1;
    expect((await postChecks(deps)).posted).toEqual([{ messageId: 'm@x', state: 'success', patches: [1] }]);
    expect(pw.posts()).toEqual([
      [1, 'pending'],
      [1, 'success'],
    ]);
    expect(store.check('m@x', 'lockscope')).toMatchObject({ status: 'sent' });
    db.close();
  });
});
