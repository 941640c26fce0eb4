/**
 * The one sentence every review starts with, in every medium, over every kind of finding:
 *   "This patch removes the lock-order inversion device_domain_lock <-> intel_iommu.lock."
 *   "This patch adds a sleep in atomic context (msleep with hw_lock held, in ql_init())."
 *   "This patch adds the lock-order inversion A <-> B and removes a context imbalance (...)."
 *   "This patch removes the lock-order inversions A <-> B, C <-> D and E <-> F, and 6 more."
 *   "This patch does not change the lock order or any other lock finding."
 *   "lockscope could not review this patch: <failure message>"
 * At most three things are named per direction; the rest are counted. A cycle of low confidence
 * says so: "the lock-order inversion A <-> B (low confidence)". Cycles are named in the
 * order of the edges the patch changes (the shortest cycle of each first), so the names are
 * the patch's own inversions, not the longer cycles they imply. It decides nothing: the
 * verdict and outcome are the pipeline's, the words are these.
 */
import { inversionKey } from '../analyzers/analysis-json.ts';
import type { FindingJson, InversionJson } from '../analyzers/report-types.ts';
import { reviewOutcome } from '../review-outcome.ts';
import type { PatchReviewJson, Review } from '../review-types.ts';
import { lowTag } from './confidence-words.ts';
import { cycleLabel } from './cycle-label.ts';
import { findingPhrase } from './finding-words.ts';
import type { RenderStyle } from './render-style.ts';
import { changeBlocks, type Change, type ChangeSource } from './review-changes.ts';

/** How many things a sentence names per direction before it counts the rest. */
export const MAX_NAMED = 3;

const joinAnd = (parts: readonly string[]): string => (parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`);

/** "the lock-order inversion A <-> B" / "the lock-order inversions A <-> B and C <-> D". */
export function inversionsPhrase(list: readonly InversionJson[], style: RenderStyle): string {
  const names = list.map((i) => cycleLabel(i, style));
  return `the lock-order inversion${names.length === 1 ? '' : 's'} ${joinAnd(names)}`;
}

/**
 * What one direction names: "the lock-order inversions A <-> B and C <-> D, a context imbalance
 * (...), and 2 more, and 4 longer cycles through the same edges". The cycles named are the
 * shortest each changed edge closes (or breaks); the longer ones are counted.
 */
function sidePhrase(json: ChangeSource, change: Change, style: RenderStyle): string {
  const all = changeBlocks(json, change);
  const blocks = all.filter((b) => b.type !== 'order' || !b.path);
  // A new path to a pre-existing cycle: named as such, not as a new inversion.
  const paths = all.flatMap((b) => (b.type === 'order' && b.path ? [b.cycle] : []));
  const cycles = blocks.flatMap((b) => (b.type === 'order' ? [b.cycle] : []));
  const longer = new Set(all.flatMap((b) => (b.type === 'order' ? b.longer : [])));
  const shownKeys = new Set(cycles.map((c) => inversionKey(c.locks)));
  const longerCount = [...longer].filter((k) => !shownKeys.has(k)).length;
  const recursive = cycles.filter((c) => c.locks.length === 1);
  const circular = cycles.filter((c) => c.locks.length !== 1);
  const others: FindingJson[] = blocks.flatMap((b) => (b.type === 'finding' ? [b.finding] : []));
  const items = [
    ...circular.map((c) => ({ cycle: true, text: `${cycleLabel(c, style)}${lowTag(c)}` })),
    ...recursive.map((c) => ({ cycle: false, text: `the recursive locking of ${style.lock(c.locks[0] ?? '')}${lowTag(c)}` })),
    ...others.map((f) => ({ cycle: false, text: findingPhrase(f, style) })),
    ...paths.map((c) => ({
      cycle: false,
      text: `${change === 'added' ? 'a new path to' : 'a path to'} ${c.locks.length === 1 ? `the recursive locking of ${style.lock(c.locks[0] ?? '')}` : `the lock-order inversion ${cycleLabel(c, style)}`}`,
    })),
  ];
  if (items.length === 0) return '';
  const shown = items.slice(0, MAX_NAMED);
  const rest = items.length - shown.length;
  const cycleNames = shown.filter((x) => x.cycle).map((x) => x.text);
  const parts = [
    ...(cycleNames.length > 0 ? [`the lock-order inversion${cycleNames.length === 1 ? '' : 's'} ${joinAnd(cycleNames)}`] : []),
    ...shown.filter((x) => !x.cycle).map((x) => x.text),
  ];
  const tail = [
    ...(rest > 0 ? [`${rest} more`] : []),
    ...(longerCount > 0 ? [`${longerCount} longer ${longerCount === 1 ? 'cycle' : 'cycles'} through the same ${all.filter((b) => b.type === 'order').length === 1 ? 'edge' : 'edges'}`] : []),
  ];
  return tail.length > 0 ? `${parts.join(', ')}, and ${tail.join(' and ')}` : joinAnd(parts);
}

/** What a patch does, after "This patch" (no full stop). */
export function changePhrase(json: ChangeSource & { verdict?: string; outcome?: string }, style: RenderStyle): string {
  if (json.verdict === 'error' || json.outcome === 'error') return 'could not be reviewed';
  const adds = sidePhrase(json, 'added', style);
  const removes = sidePhrase(json, 'removed', style);
  if (adds && removes) return `adds ${adds} and removes ${removes}`;
  if (adds) return `adds ${adds}`;
  if (removes) return `removes ${removes}`;
  return 'does not change the lock order or any other lock finding';
}

/** The reason nothing was analyzed, when the pipeline gave one (a patch with no C change). */
function noChangeReason(review: Review, style: RenderStyle): string {
  const json = review.json;
  if (json.functions.length > 0 || json.inversions.unchanged.length > 0) return '';
  const reasons = json.errors.filter((e) => e.trim() !== '');
  return reasons.length > 0 ? ` (${reasons.map(style.text).join('; ')})` : '';
}

/** The review's headline sentence, with its full stop (the error form ends with the message). */
export function verdictSentence(review: Review, style: RenderStyle): string {
  const json = review.json;
  if (json.verdict === 'error') {
    const message = review.failure?.message ?? json.errors[0] ?? 'unknown error';
    return `lockscope could not review this patch: ${style.text(message)}`;
  }
  const phrase = changePhrase(json, style);
  const reason = reviewOutcome(json) === 'no-change' ? noChangeReason(review, style) : '';
  return `${json.patches.length > 1 ? 'This series' : 'This patch'} ${phrase}${reason}.`;
}

/** The sentence for one added or removed inversion (a SARIF result's message). */
export function inversionSentence(inversion: InversionJson, change: 'adds' | 'removes', style: RenderStyle): string {
  return `This patch ${change} ${inversionsPhrase([inversion], style)}.`;
}

/** "[2/3] subject: adds the lock-order inversion A <-> B" for one patch of a series. */
export function patchVerdictLine(patch: PatchReviewJson, index: number, total: number, style: RenderStyle): string {
  const subject = patch.subject !== null ? style.text(patch.subject) : '(no subject)';
  return `[${index + 1}/${total}] ${subject}: ${changePhrase(patch, style)}`;
}
