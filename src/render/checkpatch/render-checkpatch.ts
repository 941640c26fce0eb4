/**
 * The `checkpatch` renderer: the review as `checkpatch.pl -q --terse --no-summary --showfile`
 * would print it, so b4's per-patch check (`b4.prep-perpatch-check-cmd`,
 * `b4.am-perpatch-check-cmd`) and editors' compile modes read it. b4 runs the command once per
 * patch and lists every stdout line as a failure when it contains "ERROR:", else as a warning,
 * and a silent run as "passed all checks". So:
 *
 *   - ERROR, one line per finding the patch adds;
 *   - WARNING, one line per pre-existing finding whose evidence runs through a function the patch
 *     touches (the patch did not cause it, but its author is in that code now), at most five
 *     and then one line with the count of the rest;
 *   - findings that point at the same line share it ("and 3 more cycles through this line");
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
import { findingAnchor, findingLine, findingTouches, positionOf, stepKey, type TouchedSet } from './finding-line.ts';
import { reviewFindings, type Finding } from './review-findings.ts';

/** Pre-existing findings are context, not the patch's fault: a few lines, then a count. */
const MAX_WARNING_LINES = 5;

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
  const errors = byPosition(findings.added, touched).map((g) => findingLine(g.first, 'ERROR', touched, extra, g.more));
  const warned = byPosition(findings.unchanged.filter((f) => findingTouches(f, touched)), touched);
  const warnings = warned.slice(0, MAX_WARNING_LINES).map((g) => findingLine(g.first, 'WARNING', touched, extra, g.more));
  const rest = warned.slice(MAX_WARNING_LINES).reduce((n, g) => n + 1 + g.more, 0);
  if (rest > 0) warnings.push(`WARNING: ${rest} more pre-existing lock-order ${rest === 1 ? 'inversion runs' : 'inversions run'} through code this patch touches (lockscope check --format text lists them all)`);
  return [...errors, ...warnings].map((l) => `${l}\n`).join('');
}

/**
 * Findings grouped by the line they point at, in order of first appearance; each group is shown
 * by its first finding (the shortest cycle: the pipeline lists them shortest first). A driver
 * whose locks form a dense graph (fs/jffs2: seven semaphores and spinlocks) has hundreds of
 * elementary cycles through a few lines; b4 would list every one.
 */
function byPosition(findings: readonly Finding[], touched: TouchedSet): { first: Finding; more: number }[] {
  const groups = new Map<string, { first: Finding; more: number }>();
  for (const f of findings) {
    const anchor = findingAnchor(f, touched);
    const key = anchor ? positionOf(anchor.step) : `\u0000${f.title}`;
    const g = groups.get(key);
    if (g) g.more += 1;
    else groups.set(key, { first: f, more: 0 });
  }
  return [...groups.values()];
}
