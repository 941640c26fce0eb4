/**
 * Posts the checks the mail bot wants on patchwork (check-store.ts), like the reply outbox
 * sends mail: each check is claimed, posted on every patch patchwork has with its Message-ID,
 * and marked posted for the version it carried; a failure stays queued with its error and is
 * retried with the same exponential backoff, until `giveUpMs` after it was wanted (a patch
 * patchwork never received). A check left `sending` by a process that died is posted again at
 * once: patchwork keeps the latest check per context, so posting twice changes nothing.
 *
 * A timeout or a connection failure ends the pass (the next checks would wait as long for the
 * same server), without counting as an attempt for the checks not tried.
 */
import { claimOver, type Claims } from '../store/process-claim.ts';
import type { CheckRow, CheckState, CheckStore } from './check-store.ts';
import { backoffMs } from './outbox.ts';
import { PatchworkError, type PatchworkClient } from './patchwork-client.ts';

export interface ChecksDeps {
  store: CheckStore;
  client: PatchworkClient;
  context: string;
  claims: Claims;
  now: () => number;
  retry: { baseSeconds: number; maxSeconds: number };
  giveUpMs: number;
}

export interface ChecksResult {
  posted: { messageId: string; state: CheckState; patches: number[] }[];
  failed: { messageId: string; state: CheckState; error: string; nextAttemptMs: number; abandoned: boolean }[];
  /** Not posted yet after this pass, and given up. */
  waiting: CheckRow[];
}

const unreachable = (err: unknown): boolean => err instanceof PatchworkError && (err.code === 'TIMEOUT' || err.code === 'NETWORK');

/** Posts every due check, and every check left mid-post by a dead process. */
export async function postChecks(deps: ChecksDeps): Promise<ChecksResult> {
  const result: ChecksResult = { posted: [], failed: [], waiting: [] };
  for (const row of deps.store.deliverable(deps.now())) {
    const now = deps.now();
    // A check being posted: by a live process, left alone; by one that died, taken over.
    const takeOver = row.status === 'sending' ? claimOver(deps.claims, row.claimedBy, row.attemptStartedMs, now) : null;
    if (takeOver === false) continue;
    const claimed = deps.store.claimSend(row.messageId, row.context, deps.claims.me, now, takeOver);
    if (!claimed) continue;
    try {
      const patches = await deps.client.findPatches(claimed.messageId);
      for (const id of patches) {
        await deps.client.postCheck(id, { state: claimed.state, description: claimed.description, target_url: claimed.targetUrl, context: claimed.context });
      }
      deps.store.markPosted(claimed.messageId, claimed.context, claimed.version, deps.now());
      result.posted.push({ messageId: claimed.messageId, state: claimed.state, patches });
    } catch (err) {
      const error = err instanceof PatchworkError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      const next = deps.now() + backoffMs(claimed.attempts + 1, deps.retry.baseSeconds, deps.retry.maxSeconds);
      const abandoned = deps.now() - claimed.createdMs >= deps.giveUpMs;
      deps.store.markFailed(claimed.messageId, claimed.context, error, next, abandoned);
      result.failed.push({ messageId: claimed.messageId, state: claimed.state, error, nextAttemptMs: next, abandoned });
      if (unreachable(err)) break;
    }
  }
  result.waiting = deps.store.unsent();
  return result;
}
