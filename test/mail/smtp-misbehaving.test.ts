/**
 * SMTP servers that misbehave, scripted on loopback, against `lockscope mail ingest` as a real
 * process: the reply must be sent or stay queued with its error, and the process must exit within
 * its timeouts whatever the server does. Before this, a server that answered QUIT but never
 * closed its side kept `mail ingest` alive for over ten minutes after the reply was accepted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../support/cli-process.ts';
import { FIXTURES } from './helpers.ts';

const SINGLE = readFileSync(join(FIXTURES, 'single-fix.eml'), 'utf8');

type Behaviour = 'well' | 'never-closes-after-quit' | 'never-greets' | 'stalls-after-data' | 'drops-mid-data' | 'tempfails-rcpt';

interface FakeSmtp {
  port: number;
  /** Commands received, in order ("EHLO", "MAIL", "RCPT", "DATA", ".", "QUIT"). */
  commands: string[];
  close(): Promise<void>;
}

/** A scripted SMTP server; `allowHalfOpen` so that our FIN does not make it close its side. */
async function fakeSmtp(behaviour: Behaviour): Promise<FakeSmtp> {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (behaviour !== 'never-greets') socket.write('220 fake.example.org ESMTP\r\n');
    let buffer = '';
    let inData = false;
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      if (inData) {
        if (behaviour === 'drops-mid-data') {
          socket.destroy();
          return;
        }
        const end = buffer.indexOf('\r\n.\r\n');
        if (end === -1) return;
        buffer = buffer.slice(end + 5);
        inData = false;
        commands.push('.');
        if (behaviour !== 'stalls-after-data') socket.write('250 2.0.0 queued as 1\r\n');
      }
      for (let nl = buffer.indexOf('\r\n'); nl !== -1 && !inData; nl = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.split(' ')[0]?.split(':')[0]?.toUpperCase() ?? '';
        commands.push(verb);
        if (verb === 'EHLO') socket.write('250-fake.example.org\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') socket.write('250 2.1.0 ok\r\n');
        else if (verb === 'RCPT') socket.write(behaviour === 'tempfails-rcpt' ? '451 4.3.0 try again later\r\n' : '250 2.1.5 ok\r\n');
        else if (verb === 'RSET') socket.write('250 ok\r\n');
        else if (verb === 'DATA') {
          socket.write('354 go ahead\r\n');
          inData = true;
        } else if (verb === 'QUIT') {
          socket.write('221 2.0.0 bye\r\n');
          if (behaviour !== 'never-closes-after-quit') socket.end();
        } else socket.write('502 5.5.2 not implemented\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const cleanup: (() => Promise<void>)[] = [];

afterAll(async () => {
  await Promise.all(cleanup.map((c) => c()));
});

/** A fresh directory and a `behaviour` server; ingests the single-patch fixture through it. */
async function ingestVia(behaviour: Behaviour) {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-smtp-'));
  // Short bounds, so a test that waits for them stays short.
  writeFileSync(join(dir, 'mail.yml'), 'from: "lockscope <lockscope@bot.example.org>"\nretryBaseSeconds: 1\nsmtp:\n  ignoreTLS: true\n  timeoutSeconds: 2\n  sendTimeoutSeconds: 10\n');
  const smtp = await fakeSmtp(behaviour);
  cleanup.push(async () => {
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const args = ['--smtp', `smtp://127.0.0.1:${smtp.port}`, '--db', 'l.db', '--config', 'mail.yml'];
  const ingest = await run(['mail', 'ingest', '--base', join(FIXTURES, 'base'), ...args], { cwd: dir, stdin: SINGLE });
  return { smtp, ingest, flush: () => run(['mail', 'flush', ...args], { cwd: dir }) };
}

// Each test waits mostly on timeouts, so they run side by side.
describe.concurrent('mail delivery against a misbehaving SMTP server', () => {
  // The control: a server that behaves, and a reply sent with a proper QUIT.
  it('sends the reply and says QUIT to a well-behaved server', async () => {
    const { ingest, smtp } = await ingestVia('well');
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout, ingest.stderr).toMatch(/^outbox: sent <lockscope-/m);
    expect(smtp.commands).toEqual(['EHLO', 'MAIL', 'RCPT', 'RCPT', 'RCPT', 'DATA', '.', 'QUIT']);
  });

  // FIN-WAIT-2 forever: the reply was accepted, so it is sent, and the process leaves anyway.
  it('exits within the close grace when the server answers QUIT but never closes its side', async () => {
    const { ingest, smtp } = await ingestVia('never-closes-after-quit');
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout, ingest.stderr).toMatch(/^outbox: sent <lockscope-/m);
    expect(smtp.commands.at(-1)).toBe('QUIT');
    expect(ingest.ms).toBeLessThan(30_000);
  });

  const failing: [Behaviour, RegExp][] = [
    ['never-greets', /ETIMEDOUT|Greeting never received/i],
    ['stalls-after-data', /ETIMEDOUT|timeout/i],
    ['drops-mid-data', /closed|ECONNRESET|EPIPE|socket/i],
    ['tempfails-rcpt', /451|try again later/],
  ];
  for (const [behaviour, error] of failing) {
    // The message is recorded (exit 0: no MTA retry needed); the reply waits in the outbox, with its error.
    it(`keeps the reply queued with its error and exits in time when the server ${behaviour.replace(/-/g, ' ')}`, async () => {
      const { ingest, flush } = await ingestVia(behaviour);
      expect(ingest.code, ingest.stderr).toBe(0);
      expect(ingest.stdout).toMatch(/^stdin: filed </m);
      expect(ingest.stderr).toMatch(/^outbox: <lockscope-[^>]+> not sent: /m);
      expect(ingest.stderr).toMatch(error);
      expect(ingest.stderr).toMatch(/^outbox: 1 reply still queued\n {2}<lockscope-[^>]+> \(reply to <20260301100000\.1001-1-ada@example\.org>\): 1 attempt, next at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, last error: /m);
      expect(ingest.ms).toBeLessThan(30_000);

      // cron's flush once the backoff (1 s here) passed: tried again, failed again, so exit 75 and say when it tries next.
      await new Promise((r) => setTimeout(r, 1_100));
      const retried = await flush();
      expect(retried.code, retried.stderr).toBe(75);
      expect(retried.stderr).toMatch(/^ {2}<lockscope-[^>]+> \(reply to <[^>]+>\): 2 attempts, next at \S+Z, last error: /m);
      expect(retried.stderr).toMatch(error);
    }, 60_000);
  }
});
