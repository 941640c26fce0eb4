/**
 * The one sentence every review starts with, in every medium:
 *   "This patch removes the lock-order inversion device_domain_lock <-> intel_iommu.lock."
 *   "This patch adds the lock-order inversion A <-> B and removes the lock-order inversion C <-> D."
 *   "This patch does not change the lock order (no C change: the patch touches README)."
 *   "lockscope could not review this patch: <failure message>"
 * plus the same words for one patch of a series and for one inversion (SARIF messages).
 * It decides nothing: the verdict is the pipeline's, the words are these.
 */
import type { InversionJson } from '../analyzers/report-types.ts';
import type { InversionSet, PatchReviewJson, Review, Verdict } from '../review-types.ts';
import { cycleLabel } from './cycle-label.ts';
import type { RenderStyle } from './render-style.ts';

/** "the lock-order inversion A <-> B" / "the lock-order inversions A <-> B and C <-> D". */
export function inversionsPhrase(list: readonly InversionJson[], style: RenderStyle): string {
  const names = list.map((i) => cycleLabel(i, style));
  const joined = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `the lock-order inversion${names.length === 1 ? '' : 's'} ${joined}`;
}

/** What a patch does to the lock order, after "This patch" (no full stop). */
export function changePhrase(verdict: Verdict, inversions: InversionSet, style: RenderStyle): string {
  const adds = inversions.added.length > 0 ? `adds ${inversionsPhrase(inversions.added, style)}` : '';
  const removes = inversions.removed.length > 0 ? `removes ${inversionsPhrase(inversions.removed, style)}` : '';
  if (verdict === 'error') return 'could not be reviewed';
  if (adds && removes) return `${adds} and ${removes}`;
  return adds || removes || 'does not change the lock order';
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
  const phrase = changePhrase(json.verdict, json.inversions, style);
  const reason = json.verdict === 'no-change' ? noChangeReason(review, style) : '';
  return `This patch ${phrase}${reason}.`;
}

/** The sentence for one added or removed inversion (a SARIF result's message). */
export function inversionSentence(inversion: InversionJson, change: 'adds' | 'removes', style: RenderStyle): string {
  return `This patch ${change} ${inversionsPhrase([inversion], style)}.`;
}

/** "[2/3] subject: adds the lock-order inversion A <-> B" for one patch of a series. */
export function patchVerdictLine(patch: PatchReviewJson, index: number, total: number, style: RenderStyle): string {
  const subject = patch.subject !== null ? style.text(patch.subject) : '(no subject)';
  return `[${index + 1}/${total}] ${subject}: ${changePhrase(patch.verdict, patch.inversions, style)}`;
}
