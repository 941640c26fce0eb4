/**
 * `lockscope serve` end to end, in-process: a fresh machine (empty temp database, no GitHub
 * settings) gets the bundled example reviewed, the dashboard on an ephemeral port shows it, and
 * SIGTERM stops the server and closes the database.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveCommand } from '../../src/commands/serve.ts';
import type { CliIo } from '../../src/commands/types.ts';
import { openReviewStore } from '../../src/store/review-store.ts';
import { openDatabase } from '../../src/store/database.ts';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'intel-iommu', 'fix.patch');

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    }),
    text: () => text,
  };
}

async function waitFor<T>(get: () => T | undefined, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('serveCommand', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockscope-serve-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function start(args: string[]): { done: Promise<number>; out: ReturnType<typeof capture>; err: ReturnType<typeof capture> } {
    const out = capture();
    const err = capture();
    const io: CliIo = { stdout: out.stream, stderr: err.stream, stdin: new PassThrough(), cwd: dir, env: { PATH: process.env.PATH } };
    return { done: serveCommand(args, io), out, err };
  }
  const dashboardUrl = (out: () => string): Promise<string> =>
    waitFor(() => /lockscope dashboard: (\S+)/.exec(out())?.[1], 'the dashboard URL');

  // A fresh install: `lockscope serve` with nothing configured must still show something useful.
  it.skipIf(!existsSync(EXAMPLE))('reviews the bundled example into an empty store, serves it, and stops on SIGTERM', async () => {
    const run = start(['--port', '0', '--host', '127.0.0.1', '--db', 'data/reviews.db']);
    const url = await dashboardUrl(run.out.text);
    expect(run.out.text()).toContain('GitHub App disabled; to enable it set APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET.');
    expect(run.out.text()).toContain('Example reviewed: removes-inversion');

    const list = (await (await fetch(`${url}api/reviews`)).json()) as { total: number; items: { id: number; subject: string; verdict: string; source: string }[] };
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ source: 'cli', verdict: 'removes-inversion' });
    expect(list.items[0]?.subject).toContain('drop device_domain_lock before taking iommu->lock');
    const page = await (await fetch(`${url}reviews/${list.items[0]?.id}`)).text();
    expect(page).toContain('This patch removes the lock-order inversion device_domain_lock &lt;-&gt; intel_iommu.lock.');
    expect(page).toContain('<svg');
    expect(await (await fetch(`${url}healthz`)).text()).toBe('ok\n');

    process.emit('SIGTERM');
    await expect(run.done).resolves.toBe(0);
    await expect(fetch(`${url}healthz`)).rejects.toThrow();

    // The database was closed cleanly and kept the review; a restart does not review the example again.
    const again = start(['--port', '0', '--host', '127.0.0.1', '--db', 'data/reviews.db']);
    await dashboardUrl(again.out.text);
    expect(again.out.text()).not.toContain('reviewing the bundled example');
    process.emit('SIGINT');
    await expect(again.done).resolves.toBe(0);
    const db = openDatabase(join(dir, 'data', 'reviews.db'));
    expect(openReviewStore(db).list({}, 1, 10).total).toBe(1);
    db.close();
  });

  it('starts empty with --no-example', async () => {
    const run = start(['--port=0', '--host=127.0.0.1', '--db', 'empty.db', '--no-example']);
    const url = await dashboardUrl(run.out.text);
    const list = (await (await fetch(`${url}api/reviews`)).json()) as { total: number };
    expect(list.total).toBe(0);
    expect(await (await fetch(url)).text()).toContain('No reviews match.');
    process.emit('SIGTERM');
    await expect(run.done).resolves.toBe(0);
  });

  // Typos on the command line are usage errors (exit 2), not a half-started server.
  it('rejects a bad port, an unknown option and a stray argument', async () => {
    for (const args of [['--port', 'http'], ['--port', '70000'], ['--verbose'], ['now'], ['--review-concurrency', '0'], ['--webhook-max-bytes', 'lots']]) {
      const run = start([...args, '--db', 'x.db']);
      await expect(run.done).resolves.toBe(2);
      expect(run.err.text()).toContain('usage: lockscope serve');
    }
  });

  it('says so when the port is taken', async () => {
    const first = start(['--port', '0', '--host', '127.0.0.1', '--db', 'a.db', '--no-example']);
    const url = await dashboardUrl(first.out.text);
    const port = new URL(url).port;
    const second = start(['--port', port, '--host', '127.0.0.1', '--db', 'b.db', '--no-example']);
    await expect(second.done).resolves.toBe(2);
    expect(second.err.text()).toContain(`cannot listen on 127.0.0.1:${port}`);
    process.emit('SIGTERM');
    await expect(first.done).resolves.toBe(0);
  });
});
