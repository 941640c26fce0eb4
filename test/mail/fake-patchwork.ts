/**
 * A fake patchwork REST API on loopback, for the mail bot's checks: `GET /api/patches/?msgid=`
 * and `POST /api/patches/{id}/checks/` with token authentication, recording every request and
 * keeping the latest check per patch and context, as patchwork does. Failures are injected per
 * request: an HTTP status, a delay, or a dropped connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  auth: string | undefined;
  body: Record<string, unknown> | null;
}

type Fault = { status: number } | { delayMs: number } | { drop: true };

export class FakePatchwork {
  readonly requests: RecordedRequest[] = [];
  /** Message-ID (bare) -> patch ids, one per project. */
  readonly patches = new Map<string, { id: number; project: string }[]>();
  /** `${patchId} ${context}` -> the latest check posted. */
  readonly latest = new Map<string, Record<string, unknown>>();
  /** Applied to the next requests, in order, one each. */
  readonly faults: Fault[] = [];
  private server: Server | undefined;
  url = '';

  constructor(readonly token: string) {}

  addPatch(messageId: string, id: number, project = 'linux-foo'): void {
    this.patches.set(messageId, [...(this.patches.get(messageId) ?? []), { id, project }]);
  }

  /** The POSTed checks, as (patch id, state) pairs in arrival order. */
  posts(): [number, string][] {
    return this.requests.filter((r) => r.method === 'POST').map((r) => [Number(/\/patches\/(\d+)\//.exec(r.path)?.[1]), String(r.body?.state)]);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      this.server?.closeAllConnections();
      this.server?.close(() => r());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, auth: req.headers.authorization, body: text ? (JSON.parse(text) as Record<string, unknown>) : null });
    const fault = this.faults.shift();
    if (fault && 'drop' in fault) return void req.socket.destroy();
    if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (fault && 'status' in fault) return json(fault.status, { detail: 'injected failure' });

    if (req.method === 'GET' && url.pathname === '/api/patches/') {
      const msgid = (url.searchParams.get('msgid') ?? '').replace(/^<|>$/g, '');
      const project = url.searchParams.get('project');
      const found = (this.patches.get(msgid) ?? []).filter((p) => !project || p.project === project);
      return json(200, found.map((p) => ({ id: p.id, msgid: `<${msgid}>`, project: { link_name: p.project } })));
    }
    const post = /^\/api\/patches\/(\d+)\/checks\/$/.exec(url.pathname);
    if (req.method === 'POST' && post) {
      if (req.headers.authorization !== `Token ${this.token}`) return json(403, { detail: 'You do not have permission to perform this action.' });
      const id = Number(post[1]);
      if (![...this.patches.values()].flat().some((p) => p.id === id)) return json(404, { detail: 'Not found.' });
      const body = JSON.parse(text) as Record<string, unknown>;
      this.latest.set(`${id} ${String(body.context)}`, body);
      return json(201, { id: this.requests.length, ...body });
    }
    json(404, { detail: 'Not found.' });
  }
}
