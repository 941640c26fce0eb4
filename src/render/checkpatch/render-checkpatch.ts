/**
 * The `checkpatch` renderer: the review as `checkpatch.pl -q --terse --no-summary --showfile`
 * would print it, so b4's per-patch check (`b4.prep-perpatch-check-cmd`,
 * `b4.am-perpatch-check-cmd`) and editors' compile modes read it. b4 runs the command once per
 * patch and lists every stdout line as a failure when it contains "ERROR:", else as a warning,
 * and a silent run as "passed all checks". So:
 *
 *   - ERROR, one line per edge the patch adds that closes a cycle (the shortest one, and the count
 *     of longer ones through it), and per finding of another kind it adds; WARNING instead when
 *     that cycle is of low confidence (its title says why: a long or indirect witness);
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
import type { InversionJson } from '../../analyzers/report-types.ts';
import type { Review } from '../../review-types.ts';
import { baseTag } from '../base-sentence.ts';
import { confidenceSuffix, isLow } from '../confidence-words.ts';
import { lockLabeler, type LockLabeler } from '../lock-labeler.ts';
import { rotateTo } from '../lockdep-report.ts';
import { oneLine } from '../one-line.ts';
import { changeBlocks, preexisting, touchedSet, type Block } from '../review-changes.ts';
import { reviewLocks } from '../review-locks.ts';
import type { RenderOptions } from '../types.ts';
import { findingAnchor, findingLine, positionOf, type TouchedSet } from './finding-line.ts';
import { inversionFinding, orderTitle, type Finding } from './review-findings.ts';

/** Pre-existing findings are context, not the patch's fault: a few lines, then a count. */
const MAX_WARNING_LINES = 5;

/** A checkpatch finding for one added block, with the longer cycles it stands for; `low` for a cycle of low confidence. */
function blockFinding(b: Block, lock: LockLabeler): { finding: Finding; longer: number; low?: boolean } {
  if (b.type === 'finding') return { finding: b.finding, longer: 0 };
  // The cycle read from the patch's edge: "A -> B -> ... -> A" for the added A -> B.
  const cycle: InversionJson = b.edges.length > 0 ? rotateTo(b.cycle, (b.focal + b.cycle.locks.length - 1) % b.cycle.locks.length) : b.cycle;
  const base = inversionFinding(b.cycle, lock);
  // The patch's own edges first, so the line points at what the patch changed.
  const own = b.edges.map((e) => ({ label: `${lock(e.from)} -> ${lock(e.to)}`, chain: e.chain }));
  const rest = base.evidence.filter((e) => !own.some((o) => o.label === e.label));
  const title = `${orderTitle(cycle.locks, lock)}${confidenceSuffix(b.cycle)}`;
  return { finding: { ...base, title, evidence: [...own, ...rest] }, longer: b.longer.length, ...(isLow(b.cycle) ? { low: true } : {}) };
}

/** Review -> checkpatch lines, each ending in a newline; '' when there is nothing to report. */
export function renderCheckpatch(review: Review, options: RenderOptions = {}): string {
  const json = review.json;
  const extra = [...(json.base ? [baseTag(json.base)] : []), ...(options.dashboardUrl ? [oneLine(options.dashboardUrl)] : [])];
  if (json.verdict === 'error') {
    const reason = review.failure ? `${review.failure.message} [${review.failure.code}]` : (json.errors ?? []).join('; ') || 'unknown failure';
    return `WARNING: lockscope could not check this patch: ${oneLine(reason)}${extra.length ? ` (${extra.join('; ')})` : ''}\n`;
  }
  const touched = touchedSet(json);
  const lock = lockLabeler(reviewLocks(review));
  const added = changeBlocks(json, 'added').map((b) => blockFinding(b, lock));
  // A cycle of low confidence is a warning: worth the author's look, not a failed check.
  const errors = byPosition(added.filter((a) => !a.low), touched).map((g) => findingLine(g.first, 'ERROR', touched, extra, g.more, g.longer));
  const doubtful = byPosition(added.filter((a) => a.low), touched).map((g) => findingLine(g.first, 'WARNING', touched, extra, g.more, g.longer));
  const pre = preexisting(review).touched.map((t) => ({ finding: 'inversion' in t ? inversionFinding(t.inversion, lock) : t.finding, longer: 0 }));
  const warned = byPosition(pre, touched);
  const warnings = warned.slice(0, MAX_WARNING_LINES).map((g) => findingLine(g.first, 'WARNING', touched, extra, g.more, 0, true));
  const rest = warned.slice(MAX_WARNING_LINES).reduce((n, g) => n + 1 + g.more, 0);
  if (rest > 0) warnings.push(`WARNING: ${rest} more pre-existing ${rest === 1 ? 'finding runs' : 'findings run'} through code this patch touches (lockscope check --format text lists them all)`);
  return [...errors, ...doubtful, ...warnings].map((l) => `${l}\n`).join('');
}

/**
 * Findings grouped by the line they point at, in order of first appearance; each group is shown
 * by its first finding (the shortest cycle: the pipeline lists them shortest first), the others
 * counted, with the longer cycles through its edge.
 */
function byPosition(findings: readonly { finding: Finding; longer: number }[], touched: TouchedSet): { first: Finding; more: number; longer: number }[] {
  const groups = new Map<string, { first: Finding; more: number; longer: number }>();
  for (const { finding: f, longer } of findings) {
    const anchor = findingAnchor(f, touched);
    const key = anchor ? positionOf(anchor.step) : `\u0000${f.title}`;
    const g = groups.get(key);
    if (g) {
      g.more += 1;
      g.longer += longer;
    } else groups.set(key, { first: f, more: 0, longer });
  }
  return [...groups.values()];
}
