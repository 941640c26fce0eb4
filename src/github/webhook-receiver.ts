/**
 * Receives GitHub's webhook deliveries at one path, defensively, before anything of Probot sees
 * them: a body over `maxBytes` (declared or streamed) is refused with 413 without being kept,
 * the X-Hub-Signature-256 HMAC is computed while the body streams in and compared in constant
 * time, and only a delivery with a good signature is parsed and handed to `receive`. It answers
 * 202 as soon as the delivery is verified and runs `receive` in the background (GitHub gives up
 * after 10 s; a review takes longer).
 *
 * Logs name a delivery by id, event and size only, never its payload: a 100 MB forged POST once
 * cost 2.9 GB of memory and 315 MB of log when the whole body was read and logged with the
 * signature error. It is not an app: what the events mean is app.ts's business.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../security-headers.ts';

/** GitHub caps deliveries at 25 MB; pull request and comment events are far smaller. */
export const DEFAULT_WEBHOOK_MAX_BYTES = 5 * 1024 * 1024;

export interface WebhookEvent {
  id: string;
  name: string;
  payload: unknown;
}

export interface WebhookReceiverOptions {
  path: string;
  secret: string;
  maxBytes: number;
  /** Runs the app for a verified delivery; a rejection is logged (id and event only). */
  receive: (event: WebhookEvent) => Promise<void>;
  log: (line: string) => void;
}

export interface WebhookReceiver {
  /** Resolves true when it answered the request, false when the path is not the webhook path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Resolves once every delivery accepted so far has been handled (for a clean shutdown). */
  idle(): Promise<void>;
}

function reply(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** What a refused body may still send after the 413, read and dropped, before the socket is cut. */
const DRAIN_BYTES_PER_LIMIT = 4;
const DRAIN_MS = 5_000;

/**
 * 413, then the rest of the body read and dropped for a while (a lingering close, RFC 9112
 * section 9.6). Closing at once made a client still writing its body get a reset (EPIPE) in place
 * of the answer, and the 413 was lost. Past DRAIN_BYTES_PER_LIMIT times the limit, or
 * DRAIN_MS, the socket is cut: a flood costs reading, never memory.
 */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, maxBytes: number): void {
  reply(res, 413, `payload over the ${maxBytes}-byte limit\n`);
  let drained = 0;
  const cut = (): void => void req.socket.destroy();
  const timer = setTimeout(cut, DRAIN_MS);
  timer.unref();
  const stop = (): void => clearTimeout(timer);
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES_PER_LIMIT * maxBytes) cut();
  });
  req.once('end', stop);
  req.once('close', stop);
  req.resume();
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

type Body = { ok: true; body: Buffer; digest: Buffer } | { ok: false; reason: 'too-large' | 'aborted'; bytes: number };

/** Reads the body up to `max` bytes, computing its HMAC on the way; stops reading at the limit. */
function readBody(req: IncomingMessage, secret: string, max: number): Promise<Body> {
  return new Promise((resolve) => {
    const hmac = createHmac('sha256', secret);
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (result: Body): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > max) {
        req.pause();
        return finish({ ok: false, reason: 'too-large', bytes });
      }
      hmac.update(chunk);
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, body: Buffer.concat(chunks, bytes), digest: hmac.digest() }));
    req.once('error', () => finish({ ok: false, reason: 'aborted', bytes }));
    req.once('close', () => finish({ ok: false, reason: 'aborted', bytes }));
  });
}

/** `sha256=<64 hex>` -> its 32 bytes, or null. */
function signatureBytes(value: string | undefined): Buffer | null {
  const m = value ? /^sha256=([0-9a-f]{64})$/i.exec(value.trim()) : null;
  return m ? Buffer.from(m[1] as string, 'hex') : null;
}

/** Creates the receiver; mount its `handle` in the server's handler list. */
export function createWebhookReceiver(o: WebhookReceiverOptions): WebhookReceiver {
  const inFlight = new Set<Promise<void>>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? '/').split('?')[0]?.replace(/\/+$/, '') || '/';
    if (path !== o.path) return false;
    const id = header(req, 'x-github-delivery') ?? '?';
    const name = header(req, 'x-github-event') ?? '?';
    const declared = Number(header(req, 'content-length') ?? NaN);
    const what = (bytes: number | string): string => `webhook delivery ${id.slice(0, 80)} (${name.slice(0, 40)}, ${bytes} bytes)`;

    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      reply(res, 405, 'webhooks are POSTed\n');
      return true;
    }
    if (!/^\s*application\/json\s*(;|$)/i.test(header(req, 'content-type') ?? '')) {
      reply(res, 415, 'Content-Type must be application/json\n');
      return true;
    }
    if (id === '?' || name === '?' || header(req, 'x-hub-signature-256') === undefined) {
      reply(res, 400, 'X-GitHub-Delivery, X-GitHub-Event and X-Hub-Signature-256 are required\n');
      return true;
    }
    if (Number.isFinite(declared) && declared > o.maxBytes) {
      // Refused before keeping a byte of it.
      o.log(`${what(declared)} refused: over the ${o.maxBytes}-byte limit`);
      refuseTooLarge(req, res, o.maxBytes);
      return true;
    }
    const read = await readBody(req, o.secret, o.maxBytes);
    if (!read.ok) {
      if (read.reason === 'too-large') {
        o.log(`${what(`over ${o.maxBytes}`)} refused: over the ${o.maxBytes}-byte limit`);
        refuseTooLarge(req, res, o.maxBytes);
      } else o.log(`${what(read.bytes)} aborted by the client`);
      return true;
    }
    const expected = signatureBytes(header(req, 'x-hub-signature-256'));
    if (expected === null || !timingSafeEqual(expected, read.digest)) {
      o.log(`${what(read.body.length)} refused: bad signature (check WEBHOOK_SECRET against the app's settings)`);
      reply(res, 401, 'signature does not match\n');
      return true;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(read.body.toString('utf8'));
    } catch {
      o.log(`${what(read.body.length)} refused: not JSON`);
      reply(res, 400, 'payload is not JSON\n');
      return true;
    }
    reply(res, 202, 'accepted\n');
    const job = o.receive({ id, name, payload }).catch((err: unknown) => {
      const code = (err as { code?: unknown; status?: unknown }).code ?? (err as { status?: unknown }).status;
      o.log(`${what(read.body.length)} failed: ${code !== undefined ? `${String(code)}: ` : ''}${err instanceof Error ? err.message.split('\n')[0] : 'error'}`);
    });
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
    return true;
  }

  return {
    handle,
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
