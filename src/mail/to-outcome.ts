/**
 * The one place the mail commands decide what a failure means for the process calling them
 * (an MTA pipe, cron, a service manager): the exit status and the line to print. By `code`,
 * never by message text.
 *
 * Everything that stops a run after setup is temporary from the MTA's point of view (exit 75,
 * EX_TEMPFAIL: keep the message and deliver it again later): a busy database passes by itself,
 * a damaged one or a full disk needs the operator, and a bug needs a fix, but in none of these
 * cases should list mail bounce. Usage and config errors are 2 and never reach here.
 */
import { databaseTrouble, repairAdvice } from '../store/database-error.ts';

export const EX_TEMPFAIL = 75;

export interface MailOutcome {
  exit: number;
  /** One or more lines for stderr, no trailing newline. */
  message: string;
}

/** Maps an error that ended a mail run on database `db`, configured to wait `busySeconds` for locks. */
export function toOutcome(err: unknown, db: string, busySeconds: number, env: NodeJS.ProcessEnv = {}): MailOutcome {
  const trouble = databaseTrouble(err);
  if (trouble?.kind === 'busy') {
    return {
      exit: EX_TEMPFAIL,
      message: `the database ${db} is busy: another process held its write lock for more than ${busySeconds} s (${trouble.code}). Nothing of this run's current step was stored; deliver again later (an MTA does this by itself on exit 75), or raise busyTimeoutSeconds in the config.`,
    };
  }
  if (trouble?.kind === 'damaged') {
    return {
      exit: EX_TEMPFAIL,
      message: `the database ${db} is damaged (${trouble.code}: ${trouble.message}). Nothing was stored; the MTA keeps the message while you repair it.\n${repairAdvice(db)}`,
    };
  }
  if (trouble?.kind === 'unavailable') {
    return { exit: EX_TEMPFAIL, message: `cannot write the database ${db} (${trouble.code}: ${trouble.message}): check the disk and the file's permissions.` };
  }
  const text = err instanceof Error ? (env.LOCKSCOPE_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
  return { exit: EX_TEMPFAIL, message: `internal error: ${text}` };
}
