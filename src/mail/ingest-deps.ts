/**
 * What the mail pipeline (file-message.ts, review-series.ts, ingest.ts) is given from outside:
 * stores, the review function, the renderer, the base, the mailer, the config, a clock, this
 * process as a claimant, and the crash-test checkpoint. run-mail.ts wires the real ones.
 */
import type { PatchMessage } from '../diff/types.ts';
import type { Renderer } from '../render/types.ts';
import type { Review, ReviewRequest } from '../review-types.ts';
import type { Claims } from '../store/process-claim.ts';
import type { ReviewStore } from '../store/types.ts';
import type { BaseSource } from './base-source.ts';
import type { ChecksDeps } from './check-outbox.ts';
import type { CheckStore } from './check-store.ts';
import type { MailConfig } from './mail-config.ts';
import type { MailStore } from './mail-store.ts';
import type { OutboxDeps } from './outbox.ts';
import type { PatchworkClient } from './patchwork-client.ts';
import type { Checkpoint } from './pause-at.ts';
import type { Mailer } from './types.ts';

export interface IngestDeps {
  mailStore: MailStore;
  /** On the same database as mailStore: a series' review row is written in the mail transactions. */
  reviewStore: ReviewStore;
  review: (request: ReviewRequest) => Promise<Review>;
  /** parsePatchMessage from src/diff/patch-message.ts. */
  parse: (raw: string) => Promise<PatchMessage>;
  /** renderers.get('email'). */
  render: Renderer;
  base: BaseSource;
  mailer: Mailer;
  config: MailConfig;
  now: () => number;
  /** This process as the holder of claims, and how to tell a claim left by a dead one. */
  claims: Claims;
  /** Called after each committed step (pause-at.ts); tests stop the process there. */
  checkpoint?: Checkpoint;
  /** Checks on patchwork (config `patchwork:`); absent: none. The store shares the database. */
  patchwork?: { store: CheckStore; client: PatchworkClient; context: string; giveUpMs: number };
}

/** The check outbox's share of the deps, when patchwork is configured. */
export function checksDeps(deps: IngestDeps): ChecksDeps | null {
  if (!deps.patchwork) return null;
  return {
    ...deps.patchwork,
    claims: deps.claims,
    now: deps.now,
    retry: { baseSeconds: deps.config.retryBaseSeconds, maxSeconds: deps.config.retryMaxSeconds },
  };
}

/** The outbox's share of the deps. */
export function outboxDeps(deps: IngestDeps): OutboxDeps {
  return {
    store: deps.mailStore,
    mailer: deps.mailer,
    now: deps.now,
    retry: { baseSeconds: deps.config.retryBaseSeconds, maxSeconds: deps.config.retryMaxSeconds },
    claims: deps.claims,
    ...(deps.checkpoint ? { checkpoint: deps.checkpoint } : {}),
  };
}
