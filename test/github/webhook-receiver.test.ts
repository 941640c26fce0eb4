/**
 * The webhook endpoint against hostile and broken clients, over real HTTP on loopback through
 * startServer: forged signatures, bodies over the limit (declared or streamed), headers sent one
 * byte at a time. Nothing of a refused body is read past the limit or written to the log.
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookReceiver, type WebhookEvent } from '../../src/github/webhook-receiver.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/security-headers.ts';
import { startServer, type RunningServer } from '../../src/server.ts';

const SECRET = 'receiver-secret';
const PATH = '/api/github/webhooks';
const MARKER = 'PAYLOAD-MARKER-';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(maxBytes = 64 * 1024, timeouts: { headersTimeoutMs?: number; requestTimeoutMs?: number } = {}) {
  const received: WebhookEvent[] = [];
  const logged: string[] = [];
  const receiver = createWebhookReceiver({ path: PATH, secret: SECRET, maxBytes, receive: async (e) => void received.push(e), log: (l) => logged.push(l) });
  server = await startServer({ port: 0, handlers: [receiver.handle], log: (l) => logged.push(l), checkIntervalMs: 100, ...timeouts });
  return { url: server.url, received, logged, receiver };
}

const sign = (body: string | Buffer): string => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const headers = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'd-1', ...extra });

/** Sends headers and `first` bytes of a body declared (or streamed) much larger; resolves with the status as soon as the server answers. */
function postHuge(url: string, opts: { declare: boolean; total: number; signature: string }): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    let sent = 0;
    const req = request({ host: u.hostname, port: u.port, path: PATH, method: 'POST', headers: { ...headers({ 'x-hub-signature-256': opts.signature }), ...(opts.declare ? { 'content-length': String(opts.total) } : {}) } });
    const chunk = Buffer.alloc(64 * 1024, `${MARKER}AAAA`);
    req.on('response', (res) => {
      res.resume();
      req.destroy();
      resolve({ status: res.statusCode ?? 0, sent });
    });
    req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
    const pump = (): void => {
      while (sent < opts.total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('webhook receiver', () => {
  // A scanner or a misconfigured proxy posting garbage: 401, the app never runs, the log says who, not what.
  it('refuses a forged signature without running the app or logging the payload', async () => {
    const { url, received, logged } = await serve();
    const body = JSON.stringify({ action: 'opened', note: `${MARKER}secret` });
    const res = await fetch(`${url}${PATH}`, { method: 'POST', headers: headers({ 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }), body });
    expect(res.status).toBe(401);
    expect(received).toEqual([]);
    expect(logged).toEqual([`webhook delivery d-1 (pull_request, ${Buffer.byteLength(body)} bytes) refused: bad signature (check WEBHOOK_SECRET against the app's settings)`]);
  });

  it('hands a signed delivery to the app, parsed, and answers 202 at once', async () => {
    const { url, received, receiver } = await serve();
    const body = JSON.stringify({ action: 'opened', number: 7 });
    const res = await fetch(`${url}${PATH}`, { method: 'POST', headers: headers({ 'x-hub-signature-256': sign(body) }), body });
    expect([res.status, await res.text()]).toEqual([202, 'accepted\n']);
    await receiver.idle();
    expect(received).toEqual([{ id: 'd-1', name: 'pull_request', payload: { action: 'opened', number: 7 } }]);
  });

  // 100 MB declared: refused from the headers alone, long before the body could be sent.
  it('answers 413 to a declared oversized body before reading it', async () => {
    const { url, logged } = await serve(64 * 1024);
    const r = await postHuge(url, { declare: true, total: 100 * 1024 * 1024, signature: `sha256=${'1'.repeat(64)}` });
    expect(r.status).toBe(413);
    expect(r.sent).toBeLessThan(20 * 1024 * 1024);
    expect(logged).toEqual(['webhook delivery d-1 (pull_request, 104857600 bytes) refused: over the 65536-byte limit']);
  });

  // Chunked, no length: the limit is counted while streaming, and the rest is never read.
  it('answers 413 to a streamed body once it passes the limit', async () => {
    const { url, logged, received } = await serve(64 * 1024);
    const r = await postHuge(url, { declare: false, total: 100 * 1024 * 1024, signature: `sha256=${'1'.repeat(64)}` });
    expect(r.status).toBe(413);
    expect(r.sent).toBeLessThan(20 * 1024 * 1024);
    expect(received).toEqual([]);
    expect(logged.join('\n')).not.toContain(MARKER);
    expect(logged).toEqual(['webhook delivery d-1 (pull_request, over 65536 bytes) refused: over the 65536-byte limit']);
  });

  // Slowloris: headers a byte at a time must not hold a connection open for long.
  it('closes a connection whose headers do not arrive within the headers timeout', async () => {
    const { url } = await serve(64 * 1024, { headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    const u = new URL(url);
    const socket = connect(Number(u.port), u.hostname);
    const began = Date.now();
    const text = 'POST /api/github/webhooks HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    let i = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed && i < text.length) socket.write(text[i++] as string);
      else socket.write('a');
    }, 100);
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    await new Promise((r) => socket.once('close', r));
    clearInterval(drip);
    expect(Date.now() - began).toBeLessThan(3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  // Errors carry the same headers as pages: a 404 or a 413 must not be a script-friendly page.
  it('sends the security headers with a 404 and a 413', async () => {
    const { url } = await serve(10);
    const missing = await fetch(`${url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const big = await fetch(`${url}${PATH}`, { method: 'POST', headers: headers({ 'x-hub-signature-256': sign('{"a":"0123456789"}') }), body: '{"a":"0123456789"}' });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
