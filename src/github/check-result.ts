/**
 * What the check run says about a finished review: the conclusion the repository asked for
 * (`conclusionOnAdded`) when the pull request adds a finding of any kind (outcome adds or mixed),
 * neutral when all it adds are cycles of low confidence (src/analyzers/order/confidence.ts),
 * a one-line title counting what it adds and removes by kind, a short summary (the verdict
 * sentence), and the full markdown report as text. The outcome itself comes from review(); this
 * only words it for the Checks tab.
 */
import { isLow } from '../render/confidence-words.ts';
import { kindNoun } from '../render/finding-words.ts';
import { plainStyle } from '../render/render-style.ts';
import { changeBlocks, type Block, type Change } from '../render/review-changes.ts';
import { reviewLocks } from '../render/review-locks.ts';
import { verdictSentence } from '../render/verdict-sentence.ts';
import type { FindingKind, Review } from '../review-types.ts';
import { reviewOutcome } from '../review-outcome.ts';
import { changeAnnotations } from './annotations.ts';
import type { CheckResult } from './complete-check-run.ts';
import type { LockscopeConfig } from './lockscope-config.ts';
import type { Outcome } from './to-outcome.ts';

const kindOf = (b: Block): FindingKind => (b.type === 'finding' ? b.finding.kind : b.cycle.locks.length === 1 ? 'recursive' : 'inversion');

/** "2 lock-order inversions and 1 sleep in atomic context". */
function counted(review: Review, change: Change): string {
  const counts = new Map<FindingKind, number>();
  for (const b of changeBlocks(review.json, change)) counts.set(kindOf(b), (counts.get(kindOf(b)) ?? 0) + 1);
  const parts = [...counts].map(([k, n]) => `${n} ${kindNoun(k, n)}`);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The check result for a review that produced a verdict other than `error`. */
export function checkResultFor(review: Review, config: LockscopeConfig, report: string, dashboardUrl?: string): CheckResult {
  const link = dashboardUrl ? `\n\nFull report and lock graph: ${dashboardUrl}` : '';
  const annotations = changeAnnotations(review);
  const sentence = verdictSentence(review, plainStyle(reviewLocks(review)));
  const added = counted(review, 'added');
  const removed = counted(review, 'removed');
  switch (reviewOutcome(review.json)) {
    case 'adds':
    case 'mixed': {
      // Only cycles of low confidence added: shown, but they do not fail the check on their own.
      const blocks = changeBlocks(review.json, 'added');
      const doubtful = blocks.length > 0 && blocks.every((b) => b.type === 'order' && isLow(b.cycle));
      const title = `${removed ? `Adds ${added}, removes ${removed}` : `Adds ${added}`}${doubtful ? ' (low confidence)' : ''}`;
      return { conclusion: doubtful ? 'neutral' : config.conclusionOnAdded, title, summary: `${sentence} The annotations mark the lines of the changes.${link}`, text: report, annotations };
    }
    case 'removes':
      return { conclusion: 'success', title: `Removes ${removed}`, summary: `${sentence}${link}`, text: report, annotations };
    default:
      return { conclusion: 'success', title: 'No locking change', summary: `No lock-order inversion or other locking finding is added or removed.${link}`, text: report, annotations };
  }
}

/** The check result for a failure, from toOutcome. */
export function checkResultForOutcome(outcome: Outcome, dashboardUrl?: string): CheckResult {
  const link = dashboardUrl ? `\n\nStored review: ${dashboardUrl}` : '';
  return { conclusion: outcome.conclusion, title: outcome.title, summary: `${outcome.detail}\n\n(code \`${outcome.code}\`)${link}`, annotations: [] };
}

/** A neutral result for a PR lockscope deliberately did not review. */
export function skippedResult(title: string, summary: string): CheckResult {
  return { conclusion: 'neutral', title, summary, annotations: [] };
}
