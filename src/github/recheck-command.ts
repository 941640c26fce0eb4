/**
 * `/lockscope recheck` in a pull request comment: the way to re-run a review from the
 * conversation (the Checks tab's "Re-run" sends check_run.rerequested instead).
 */

/** True when the comment's first non-empty line is the command, e.g. "/lockscope recheck\nplease". */
export function isRecheckCommand(body: string | null | undefined): boolean {
  const first = (body ?? '').split(/\r?\n/).find((l) => l.trim() !== '');
  return first !== undefined && /^\/lockscope\s+recheck\s*$/i.test(first.trim());
}
