/**
 * The `checkpatch` renderer: the review as `checkpatch.pl -q --terse --no-summary --showfile`
 * would print it, so b4's per-patch check (`b4.prep-perpatch-check-cmd`,
 * `b4.am-perpatch-check-cmd`) and editors' compile modes read it. b4 runs the command once per
 * patch and lists every stdout line as a failure when it contains "ERROR:", else as a warning,
 * and a silent run as "passed all checks". So:
 *
 *   - ERROR, one line per finding the patch adds;
 *   - WARNING, one line per pre-existing finding whose evidence runs through a function the patch
 *     touches (the patch did not cause it, but its author is in that code now);
 *   - nothing at all when neither exists: removed findings are good news, not a check failure;
 *   - one WARNING line when the review failed: lockscope could not check the patch (the second
 *     patch of a series piped alone does not apply to HEAD), which says nothing against it.
 *
 * Each line carries the base it was checked against, since a clean run prints nothing to carry
 * it. Not lockdep's multi-line report: `--format text` gives that.
 */
import type { Review } from '../../review-types.ts';
import { baseTag } from '../base-sentence.ts';
import { lockLabeler } from '../lock-labeler.ts';
import { oneLine } from '../one-line.ts';
import { reviewLocks } from '../review-locks.ts';
import type { RenderOptions } from '../types.ts';
import { findingLine, findingTouches, stepKey } from './finding-line.ts';
import { reviewFindings } from './review-findings.ts';

/** Review -> checkpatch lines, each ending in a newline; '' when there is nothing to report. */
export function renderCheckpatch(review: Review, options: RenderOptions = {}): string {
  const json = review.json;
  const extra = [...(json.base ? [baseTag(json.base)] : []), ...(options.dashboardUrl ? [oneLine(options.dashboardUrl)] : [])];
  if (json.verdict === 'error') {
    const reason = review.failure ? `${review.failure.message} [${review.failure.code}]` : (json.errors ?? []).join('; ') || 'unknown failure';
    return `WARNING: lockscope could not check this patch: ${oneLine(reason)}${extra.length ? ` (${extra.join('; ')})` : ''}\n`;
  }
  const touched = new Set((json.functions ?? []).map((f) => stepKey({ file: f.file, function: f.name })));
  const findings = reviewFindings(review, lockLabeler(reviewLocks(review)));
  const lines = [
    ...findings.added.map((f) => findingLine(f, 'ERROR', touched, extra)),
    ...findings.unchanged.filter((f) => findingTouches(f, touched)).map((f) => findingLine(f, 'WARNING', touched, extra)),
  ];
  return lines.map((l) => `${l}\n`).join('');
}
