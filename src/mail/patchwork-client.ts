/**
 * The two calls of patchwork's REST API the mail bot makes: find a patch by Message-ID
 * (`GET /api/patches/?msgid=`) and post a check on it (`POST /api/patches/{id}/checks/`, with
 * `Authorization: Token ...`). Each call is bounded in time. Failures are thrown as
 * PatchworkError with a `code` the check outbox maps: NOT_FOUND (patchwork has not seen the
 * patch yet), HTTP_<status>, TIMEOUT, NETWORK. No retries here: the outbox retries.
 */

export interface CheckBody {
  state: 'pending' | 'success' | 'warning' | 'fail';
  description: string;
  target_url: string | null;
  context: string;
}

export interface PatchworkClient {
  /** Ids of the patches with this Message-ID (one per project that got the mail); NOT_FOUND when none. */
  findPatches(messageId: string): Promise<number[]>;
  postCheck(patchId: number, check: CheckBody): Promise<void>;
  describe(): string;
}

export class PatchworkError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PatchworkError';
  }
}

export interface PatchworkClientOptions {
  /** The instance, `https://patchwork.kernel.org`, or its API root (`.../api`, `.../api/1.3`). */
  url: string;
  token: string;
  /** Only patches of this project (its link name) when the same mail went to several. */
  project: string | null;
  timeoutMs: number;
}

/** `https://pw.example.org/` -> `https://pw.example.org/api`; an API root is kept. */
export function apiRoot(url: string): string {
  const u = url.replace(/\/+$/, '');
  return /\/api(\/\d+(\.\d+)*)?$/.test(u) ? u : `${u}/api`;
}

async function call(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new PatchworkError('TIMEOUT', `no answer from ${new URL(url).host} within ${timeoutMs} ms`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new PatchworkError('NETWORK', `${cause?.code ?? 'network error'}: ${cause?.message ?? (err instanceof Error ? err.message : String(err))}`);
  }
  if (!res.ok) {
    const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 200);
    throw new PatchworkError(`HTTP_${res.status}`, `patchwork answered ${res.status}${text ? `: ${text}` : ''}`);
  }
  return res;
}

/** A client for one patchwork instance. */
export function patchworkClient(o: PatchworkClientOptions): PatchworkClient {
  const root = apiRoot(o.url);
  const headers = { Authorization: `Token ${o.token}`, Accept: 'application/json' };
  return {
    async findPatches(messageId) {
      const query = new URLSearchParams({ msgid: messageId.replace(/^<|>$/g, '') });
      if (o.project) query.set('project', o.project);
      const res = await call(`${root}/patches/?${query}`, { headers }, o.timeoutMs);
      const body = (await res.json().catch(() => null)) as unknown;
      const list = Array.isArray(body) ? body : Array.isArray((body as { results?: unknown })?.results) ? (body as { results: unknown[] }).results : null;
      if (list === null) throw new PatchworkError('BAD_ANSWER', 'patchwork did not answer the patch search with a list');
      const ids = list.map((p) => (p as { id?: unknown }).id).filter((id): id is number => Number.isSafeInteger(id));
      if (ids.length === 0) throw new PatchworkError('NOT_FOUND', `patchwork has no patch with Message-ID <${messageId}> yet`);
      return ids;
    },
    async postCheck(patchId, check) {
      await call(`${root}/patches/${patchId}/checks/`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(check) }, o.timeoutMs);
    },
    describe: () => root,
  };
}
