/**
 * `lockscope serve` as a real process with the GitHub App configured, hit with 100 MB POSTs to
 * the webhook path, declared and streamed, with a forged signature. Before, such a POST took the
 * server to 2.9 GB of memory and wrote about 315 MB of log. Now: 413 from the headers or at the
 * limit, the process's peak memory stays far below that, and the log names the delivery only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type Running } from '../support/cli-process.ts';
import { privateKey } from './harness.ts';

const MARKER = 'FLOOD-PAYLOAD-';
let dir: string;
let serve: Running;
let port: number;

/** Peak resident memory of a process, from /proc (Linux). */
function peakRssMb(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

/** POSTs `total` bytes (declared or chunked) and resolves with the status as soon as the server answers. */
function flood(declare: boolean, total = 100 * 1024 * 1024): Promise<{ status: number; ms: number }> {
  const began = Date.now();
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/api/github/webhooks',
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': `flood-${declare ? 'declared' : 'chunked'}`,
        'x-hub-signature-256': `sha256=${'f'.repeat(64)}`,
        ...(declare ? { 'content-length': String(total) } : {}),
      },
    });
    const chunk = Buffer.alloc(256 * 1024, `${MARKER}xxxxxxxx`);
    let sent = 0;
    req.on('response', (res) => {
      res.resume();
      req.destroy();
      resolve({ status: res.statusCode ?? 0, ms: Date.now() - began });
    });
    req.on('error', (err) => (sent === 0 ? reject(err) : undefined));
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lockscope-flood-'));
  serve = start(['serve', '--port', '0', '--host', '127.0.0.1', '--db', 'l.db', '--no-example'], {
    cwd: dir,
    env: { APP_ID: '1', PRIVATE_KEY: privateKey(), WEBHOOK_SECRET: 'flood-secret', GHE_HOST: '127.0.0.1:9', GHE_PROTOCOL: 'http', LOG_LEVEL: 'info' },
  });
  await serve.waitFor(/lockscope dashboard: http:\/\/127\.0\.0\.1:(\d+)\//);
  port = Number(/lockscope dashboard: http:\/\/127\.0\.0\.1:(\d+)\//.exec(serve.stdout())?.[1]);
}, 60_000);

afterAll(async () => {
  serve.child.kill('SIGTERM');
  await serve.done;
  rmSync(dir, { recursive: true, force: true });
});

describe('lockscope serve under a webhook flood', () => {
  it('refuses 100 MB forged POSTs with 413, stays small in memory, and logs no payload', async () => {
    const declared = await flood(true);
    const chunked = await flood(false);
    expect(declared.status).toBe(413);
    expect(chunked.status).toBe(413);
    expect(declared.ms).toBeLessThan(5_000);
    expect(chunked.ms).toBeLessThan(5_000);

    // Still serving.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const peak = peakRssMb(serve.child.pid as number);
    expect(peak).toBeLessThan(400);

    const log = serve.stdout() + serve.stderr();
    expect(log).not.toContain(MARKER);
    expect(log.length).toBeLessThan(10_000);
    expect(serve.stderr()).toContain('webhook delivery flood-declared (pull_request, 104857600 bytes) refused: over the 5242880-byte limit');
    expect(serve.stderr()).toContain('webhook delivery flood-chunked (pull_request, over 5242880 bytes) refused: over the 5242880-byte limit');
    console.log(`peak RSS of lockscope serve after two 100 MB POSTs: ${peak.toFixed(0)} MB; log ${log.length} bytes`);
  }, 60_000);
});
