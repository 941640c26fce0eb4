import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type Handler } from '../../src/server.ts';

describe('startServer', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('tries handlers in order, answers /healthz, and 404s what nobody claims', async () => {
    const seen: string[] = [];
    const claimFoo: Handler = async (req, res) => {
      seen.push(`foo ${req.url}`);
      if (!req.url?.startsWith('/foo')) return false;
      res.end('foo');
      return true;
    };
    const claimAll: Handler = async (req, res) => {
      seen.push(`all ${req.url}`);
      if (req.url === '/nobody') return false;
      res.end('all');
      return true;
    };
    const server = await startServer({ port: 0, handlers: [claimFoo, claimAll] });
    close = server.close;
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${server.url}/foo`)).text()).toBe('foo');
    expect(await (await fetch(`${server.url}/bar`)).text()).toBe('all');
    const health = await fetch(`${server.url}/healthz?probe=1`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    expect((await fetch(`${server.url}/nobody`)).status).toBe(404);
    expect(seen).toEqual(['foo /foo', 'foo /bar', 'all /bar', 'foo /nobody', 'all /nobody']);
  });

  // A webhook payload that trips a bug in one handler must not take the dashboard down.
  it('answers 500 and logs when a handler throws, and keeps serving', async () => {
    const logged: string[] = [];
    const server = await startServer({
      port: 0,
      log: (line) => logged.push(line),
      handlers: [
        async (req) => {
          if (req.url === '/boom') throw new Error('handler bug');
          return false;
        },
      ],
    });
    close = server.close;
    const res = await fetch(`${server.url}/boom`);
    expect([res.status, await res.text()]).toEqual([500, 'internal error\n']);
    expect(logged.join('\n')).toContain('GET /boom failed: Error: handler bug');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('closes even with a keep-alive connection open, and reports a taken port', async () => {
    const server = await startServer({ port: 0, handlers: [] });
    await fetch(`${server.url}/healthz`, { headers: { connection: 'keep-alive' } });
    const port = Number(new URL(server.url).port);
    await expect(startServer({ port, handlers: [] })).rejects.toThrow(/EADDRINUSE/);
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
