/**
 * The sentence about the lockdep report quoted in the commit message: whether lockscope sees the
 * reported cycle before the patch and not after it. The mapping and the reasoning are the
 * analyzer's (`detail`); this only words the outcome.
 */
import type { LockdepCheckJson } from '../review-types.ts';
import type { RenderStyle } from './render-style.ts';

/**
 * "The lockdep report in the commit message (device_domain_lock / &iommu->lock) is confirmed
 * fixed by this patch. lockscope finds ..."
 */
export function lockdepCheckLine(check: LockdepCheckJson, style: Pick<RenderStyle, 'text'>): string {
  const locks = check.locks.map(style.text).join(' / ');
  const outcome = check.confirmed ? 'is confirmed fixed by this patch.' : 'is not confirmed fixed by this patch.';
  const detail = check.detail.trim() === '' ? '' : ` ${style.text(check.detail.trim())}`;
  return `The lockdep report in the commit message (${locks}) ${outcome}${detail}`;
}
