/**
 * `lockscope mail flush` as cron or an operator runs it while the SMTP server is down (issue 13
 * point 1, issue 16 point 4): it lists every queued reply with its attempts, next attempt time and
 * last error; it exits 0 when it tried nothing (the backoff holds the reply) and 75 when a reply
 * it tried failed again; `--now` tries a reply whose backoff is far off at once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { captureIo } from '../support/cli-io.ts';
import { queryDb } from '../support/query-db.ts';
import { FIXTURES, smtpSink, type SmtpSink } from './helpers.ts';

const SINGLE = readFileSync(join(FIXTURES, 'single-fix.eml'), 'utf8');
let dir: string;
let sink: SmtpSink | undefined;

afterEach(async () => {
  await sink?.stop();
  sink = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function mail(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(dir, stdin === undefined ? {} : { stdin });
  const code = await main(['mail', ...args, '--smtp', `smtp://127.0.0.1:${sink?.port ?? 1}`, '--db', 'l.db', '--config', 'mail.yml'], io);
  return { code, out: io.out(), err: io.err() };
}

describe('mail flush', () => {
  // The MTA is down for hours: the backoff (an hour here) holds the reply; flush --now does not wait for it.
  it('lists each queued reply with its next attempt and last error, exits 75 only when its attempt failed, and --now ignores the backoff', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lockscope-flush-'));
    writeFileSync(join(dir, 'mail.yml'), 'from: "lockscope <lockscope@bot.example.org>"\nretryBaseSeconds: 3600\nsmtp:\n  ignoreTLS: true\n  timeoutSeconds: 2\n');
    sink = await smtpSink();
    await sink.stop();

    const ingested = await mail(['ingest', '--base', join(FIXTURES, 'base')], SINGLE);
    expect(ingested.code, ingested.err).toBe(0);
    expect(ingested.err).toMatch(/^outbox: <lockscope-[^>]+> not sent: .*ECONNREFUSED/m);

    // Not due for an hour: nothing tried, so nothing failed now; still listed, exit 0.
    const waiting = await mail(['flush']);
    expect(waiting.code, waiting.err).toBe(0);
    expect(waiting.err).not.toMatch(/not sent/);
    expect(waiting.err).toMatch(/^outbox: 1 reply still queued\n {2}<lockscope-[^>]+> \(reply to <20260301100000\.1001-1-ada@example\.org>\): 1 attempt, next at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, last error: .*ECONNREFUSED/m);
    const next = /next at (\S+Z)/.exec(waiting.err)?.[1] as string;
    expect(Date.parse(next) - Date.now()).toBeGreaterThan(50 * 60_000);

    // --now tries it at once; the server is still down: exit 75 and the new next attempt (2 hours: the backoff doubled).
    const failed = await mail(['flush', '--now']);
    expect(failed.code).toBe(75);
    expect(failed.err).toMatch(/^outbox: <lockscope-[^>]+> not sent: .*ECONNREFUSED/m);
    expect(failed.err).toMatch(/: 2 attempts, next at \S+Z, last error: .*ECONNREFUSED/);
    expect(Date.parse(/next at (\S+Z)/.exec(failed.err)?.[1] as string) - Date.now()).toBeGreaterThan(110 * 60_000);

    // Back up: --now sends it without waiting two hours, once.
    await sink.start();
    const sent = await mail(['flush', '--now']);
    expect(sent.code, sent.err).toBe(0);
    expect(sent.out).toMatch(/^outbox: sent <lockscope-/m);
    expect(sent.err).toBe('');
    expect(sink.received).toHaveLength(1);
    expect(queryDb<{ status: string; attempts: number }>(join(dir, 'l.db'), 'SELECT status, attempts FROM mail_replies')).toEqual([{ status: 'sent', attempts: 3 }]);
    const quiet = await mail(['flush', '--now']);
    expect(quiet.code).toBe(0);
    expect(sink.received).toHaveLength(1);
  });
});
