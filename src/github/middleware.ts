/**
 * The production wiring of the GitHub App: reads Probot's environment (APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST/GHE_PROTOCOL), builds a Probot with its default
 * Octokit (retries and rate-limit throttling on), loads the app into it, and returns a Node
 * request handler for `/api/github/webhooks` that `lockscope serve` mounts next to the
 * dashboard. Deliveries go through webhook-receiver.ts (size limit, signature checked while
 * streaming, no payload in logs) rather than Probot's own middleware, which reads any body in
 * full and logs it with a signature error. It is not a server: it listens on nothing.
 */
import type { TreeGraphStore } from '../review/tree-graph-build.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessSync, constants } from 'node:fs';
import { createProbot } from 'probot';
import type { FactsCache } from '../analyzers/c/facts-cache.ts';
import { lockscopeApp } from '../app.ts';
import { renderers } from '../render/index.ts';
import { review } from '../review.ts';
import type { ReviewStore } from '../store/types.ts';
import { createBlobCache } from './blob-cache.ts';
import { htmlBaseUrl } from './html-links.ts';
import type { ReviewQueue } from './review-queue.ts';
import { createWebhookReceiver, DEFAULT_WEBHOOK_MAX_BYTES } from './webhook-receiver.ts';
import { BOT_GRAPH_NEW_DIRS } from '../review/tree-graph-build.ts';
import type { AnalysisStore } from '../store/analysis-store.ts';

export const WEBHOOKS_PATH = '/api/github/webhooks';

export type GitHubHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * The webhook handler, or the names of the missing settings (`serve` then runs the dashboard
 * alone and says what to set). The handler resolves true when it answered the request, false
 * when the path is not the webhook path (the caller serves it).
 */
export async function createGitHubHandler(
  env: NodeJS.ProcessEnv,
  deps: {
    store: ReviewStore;
    publicUrl?: string;
    /** Where deliveries are logged (id, event, size; never the payload). Default stderr. */
    log?: (line: string) => void;
    /** Largest body accepted; default DEFAULT_WEBHOOK_MAX_BYTES. */
    maxBytes?: number;
    reviewQueue?: ReviewQueue;
    /** Parsed files kept across reviews (and, with a store, across restarts). */
    factsCache?: FactsCache;
    /** Whole-tree graphs `lockscope graph` stored: a `context: tree` review uses its base's, if there. */
    graphs?: TreeGraphStore;
    /** Context analyses kept across restarts: a re-check of an unchanged PR reads both sides back. */
    analysisStore?: AnalysisStore;
  },
): Promise<{ ok: true; handler: GitHubHandler; idle: () => Promise<void> } | { ok: false; missing: string[] }> {
  const missing: string[] = [];
  if (!env.APP_ID || !/^\d+$/.test(env.APP_ID)) missing.push('APP_ID');
  // Probot decodes the key itself (PEM, escaped newlines or base64); only presence is checked here.
  if (!env.PRIVATE_KEY?.trim()) {
    if (!env.PRIVATE_KEY_PATH) missing.push('PRIVATE_KEY or PRIVATE_KEY_PATH');
    else if (!readable(env.PRIVATE_KEY_PATH)) missing.push(`PRIVATE_KEY_PATH (cannot read ${env.PRIVATE_KEY_PATH})`);
  }
  const secret = env.WEBHOOK_SECRET;
  if (!secret) missing.push('WEBHOOK_SECRET');
  if (missing.length > 0 || !secret) return { ok: false, missing };

  const probot = createProbot({ env });
  const render = renderers.get('markdown');
  if (!render) throw new Error('the markdown renderer is not registered'); // a build without it is broken
  const publicUrl = deps.publicUrl ?? env.PUBLIC_URL;
  const app = lockscopeApp({
    store: deps.store,
    review: (request) => review(request, { ...(deps.factsCache ? { cache: deps.factsCache } : {}), ...(deps.graphs ? { graphs: deps.graphs } : {}), ...(deps.analysisStore ? { analysisStore: deps.analysisStore } : {}), graphsMaxNew: BOT_GRAPH_NEW_DIRS }),
    render,
    clock: () => Date.now(),
    htmlBase: htmlBaseUrl(env),
    blobCache: createBlobCache(),
    ...(publicUrl ? { publicUrl } : {}),
    ...(deps.reviewQueue ? { reviewQueue: deps.reviewQueue } : {}),
  });
  await probot.load(app);
  const receiver = createWebhookReceiver({
    path: WEBHOOKS_PATH,
    secret,
    maxBytes: deps.maxBytes ?? DEFAULT_WEBHOOK_MAX_BYTES,
    // Verified here already: straight to the app's handlers.
    receive: (event) => probot.webhooks.receive(event as Parameters<typeof probot.webhooks.receive>[0]),
    log: deps.log ?? ((line) => process.stderr.write(`${line}\n`)),
  });
  return { ok: true, handler: receiver.handle, idle: receiver.idle };
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
