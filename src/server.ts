/**
 * The one HTTP server of `lockscope serve`: tries each handler in turn (the GitHub webhook, the
 * dashboard), answers `/healthz`, and 404s the rest. A handler that throws gets a 500 and a log
 * line, never a dead process: a webhook payload crafted to crash a handler must not take the
 * dashboard down with it. Every answer, errors included, carries the security headers.
 *
 * A client that sends its headers slowly (slowloris) is cut off after `headersTimeoutMs`, one
 * whose whole request takes longer after `requestTimeoutMs`, an idle keep-alive connection after
 * `keepAliveTimeoutMs`: Node checks them every `checkIntervalMs`.
 *
 * Not a router or a framework: handlers decide themselves whether a path is theirs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SECURITY_HEADERS } from './security-headers.ts';

/** Answers the request and resolves true, or resolves false when the path is not its own. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface ServerOptions {
  port: number;
  host?: string;
  handlers: Handler[];
  /** Where handler failures are reported; default stderr. */
  log?: (line: string) => void;
  /** Default 10 s: GitHub and browsers send their headers at once. */
  headersTimeoutMs?: number;
  /** Default 60 s: enough for a 25 MB webhook body on a slow link. */
  requestTimeoutMs?: number;
  /** Default 5 s. */
  keepAliveTimeoutMs?: number;
  /** How often Node enforces the two timeouts above; default 1 s (Node's own is 30 s). */
  checkIntervalMs?: number;
}

export interface RunningServer {
  /** "http://127.0.0.1:3000" with the port actually bound (useful with port 0). */
  url: string;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

/** Starts listening and resolves once the port is bound. */
export function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const headersTimeout = opts.headersTimeoutMs ?? 10_000;
  const server = createServer(
    {
      headersTimeout,
      // Node requires requestTimeout >= headersTimeout (0 would disable it).
      requestTimeout: Math.max(opts.requestTimeoutMs ?? 60_000, headersTimeout),
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 5_000,
      connectionsCheckingInterval: opts.checkIntervalMs ?? 1_000,
    },
    (req, res) => {
      void dispatch(req, res);
    },
  );

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/healthz') return answer(res, 200, 'ok\n');
      for (const handler of opts.handlers) {
        if (await handler(req, res)) return;
      }
      answer(res, 404, 'not found\n');
    } catch (err) {
      log(`lockscope serve: ${req.method ?? '?'} ${req.url ?? '?'} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      answer(res, 500, 'internal error\n');
    }
  }

  // A client that resets its connection mid-request must not raise an unhandled 'error'; one too
  // slow with its headers or its request (headersTimeout, requestTimeout) gets a 408.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${host}:${address.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            // Keep-alive sockets (a browser tab left open) would hold close() forever.
            server.closeAllConnections();
          }),
      });
    });
  });
}
