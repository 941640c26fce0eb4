/**
 * The sentence about the lockdep report quoted in the commit message: whether the patch fixes the
 * dependency lockdep reported, and the witnesses (the edge the patch removes, or what survives
 * it) as chains. The mapping and the reasoning are the analyzer's (`detail`, `evidence`); this
 * only words the outcome.
 */
import type { LockdepJson } from '../review-types.ts';
import { stackLines } from './lockdep-report.ts';
import { oneLine } from './one-line.ts';
import type { RenderStyle } from './render-style.ts';

const KIND_WORDS: Record<string, string> = {
  circular: 'lockdep report',
  recursive: 'lockdep report',
  inconsistent: 'lockdep report',
  'irq-inversion': 'lockdep report',
  sleep: '"sleeping function called from invalid context" report',
};

function outcome(check: LockdepJson): string {
  switch (check.status) {
    case 'fixed':
      return 'is fixed by this patch.';
    case 'not-fixed':
      return 'is not fixed by this patch.';
    case 'introduced':
      return 'describes what this patch introduces.';
    case 'not-found':
      return 'is not confirmed by lockscope.';
    case 'unmapped':
    case 'not-checked':
      return 'could not be checked.';
    default:
      // Reviews stored before statuses: the /1 wording.
      return check.confirmed ? 'is confirmed fixed by this patch.' : 'is not confirmed fixed by this patch.';
  }
}

/**
 * "The lockdep report in the commit message (device_domain_lock / &iommu->lock) is fixed by this
 * patch. lockdep reports ..."
 */
export function lockdepCheckLine(check: LockdepJson, style: Pick<RenderStyle, 'text'>): string {
  const locks = check.locks.map(style.text).join(' / ');
  const what = KIND_WORDS[check.kind ?? 'circular'] ?? 'lockdep report';
  const detail = check.detail.trim() === '' ? '' : ` ${style.text(check.detail.trim())}`;
  return `The ${what} in the commit message${locks ? ` (${locks})` : ''} ${outcome(check)}${detail}`;
}

/**
 * The witnesses of the cross-check as plain lines ("device_domain_lock -> intel_iommu.lock:" and
 * its chain): what survives the patch, or what lockscope found of the report. None for a fixed
 * report: the edge the patch removes is the review's own evidence below it.
 */
export function lockdepCheckEvidence(check: LockdepJson, maxSteps?: number): string[] {
  if (check.status === 'fixed') return [];
  return (check.evidence ?? []).flatMap((e) => [`  ${oneLine(e.label)}:`, ...stackLines(e.chain, maxSteps)]);
}
