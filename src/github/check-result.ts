/**
 * What the check run says about a finished review: the conclusion the repository asked for
 * (`conclusionOnAdded`), a one-line title, a short summary, and the full markdown report as text.
 * The verdict itself comes from review(); this only words it for the Checks tab.
 */
import type { Review } from '../review-types.ts';
import { inversionAnnotations } from './annotations.ts';
import type { CheckResult } from './complete-check-run.ts';
import type { LockscopeConfig } from './lockscope-config.ts';
import type { Outcome } from './to-outcome.ts';

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The check result for a review that produced a verdict other than `error`. */
export function checkResultFor(review: Review, config: LockscopeConfig, report: string, dashboardUrl?: string): CheckResult {
  const { added, removed } = review.json.inversions;
  const link = dashboardUrl ? `\n\nFull report and lock graph: ${dashboardUrl}` : '';
  const annotations = inversionAnnotations(review);
  switch (review.json.verdict) {
    case 'adds-inversion':
    case 'mixed': {
      const title = review.json.verdict === 'mixed'
        ? `Adds ${plural(added.length, 'lock-order inversion')}, removes ${removed.length}`
        : `Adds ${plural(added.length, 'lock-order inversion')}`;
      const conclusion = config.conclusionOnAdded;
      return { conclusion, title, summary: `This pull request adds ${plural(added.length, 'possible AB-BA deadlock')}. The annotations mark the lines that take the second lock.${link}`, text: report, annotations };
    }
    case 'removes-inversion':
      return { conclusion: 'success', title: `Removes ${plural(removed.length, 'lock-order inversion')}`, summary: `This pull request removes ${plural(removed.length, 'lock-order inversion')} and adds none.${link}`, text: report, annotations };
    default:
      return { conclusion: 'success', title: 'No lock-order change', summary: `No lock-order inversion is added or removed.${link}`, text: report, annotations };
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
