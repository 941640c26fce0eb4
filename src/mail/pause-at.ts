/**
 * A test hook for crash tests: the mail pipeline calls `checkpoint(step)` after each step it has
 * committed, and with `LOCKSCOPE_PAUSE_AT=step` (or `step:N`, the N-th time that step is reached)
 * the process says so on stderr and stops there, so a test can SIGKILL it at an exact point
 * instead of guessing with timers. Unset, a checkpoint costs nothing. Steps, in pipeline order:
 *
 *   message-filed     a message is stored and filed into its series
 *   series-claimed    a series is claimed for review (state reviewing)
 *   review-row        its review row exists (queued)
 *   reviewed          review() returned; nothing of it is stored yet
 *   review-committed  review, replies (queued) and series state are stored, in one transaction
 *   reply-attempting  a reply is marked as being sent; the SMTP transaction has not started
 *   reply-accepted    the SMTP server accepted the reply; it is not yet marked sent
 *   reply-sent        the reply is marked sent
 */

export type Checkpoint = (step: string) => Promise<void>;

export const noCheckpoint: Checkpoint = async () => undefined;

/** The checkpoint `LOCKSCOPE_PAUSE_AT` asks for, or one that does nothing. */
export function pauseAtFromEnv(env: NodeJS.ProcessEnv, stderr: NodeJS.WritableStream): Checkpoint {
  const spec = env.LOCKSCOPE_PAUSE_AT?.trim();
  if (!spec) return noCheckpoint;
  const m = /^([a-z-]+)(?::(\d+))?$/.exec(spec);
  if (!m) return noCheckpoint;
  const step = m[1] as string;
  const nth = Number(m[2] ?? '1');
  let seen = 0;
  return async (reached) => {
    if (reached !== step || ++seen !== nth) return;
    stderr.write(`lockscope: paused at ${step}:${nth} (pid ${process.pid})\n`);
    // Until killed: the interval keeps the event loop alive.
    await new Promise<never>(() => setInterval(() => undefined, 60_000));
  };
}
