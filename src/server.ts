/**
 * The one HTTP server of `lockscope serve`: tries each handler in turn (the GitHub webhook, the
 * dashboard), answers `/healthz`, and 404s the rest. A handler that throws gets a 500 and a log
 * line, never a dead process: a webhook payload crafted to crash a handler must not take the
 * dashboard down with it.
 *
 * Not a router or a framework: handlers decide themselves whether a path is theirs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers the request and resolves true, or resolves false when the path is not its own. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface ServerOptions {
  port: number;
  host?: string;
  handlers: Handler[];
  /** Where handler failures are reported; default stderr. */
  log?: (line: string) => void;
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
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

/** Starts listening and resolves once the port is bound. */
export function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const server = createServer((req, res) => {
    void dispatch(req, res);
  });

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

  // A client that resets its connection mid-request must not raise an unhandled 'error'.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    else socket.destroy();
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
