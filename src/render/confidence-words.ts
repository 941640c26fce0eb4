/**
 * The words for a cycle's confidence (src/analyzers/order/confidence.ts), the same in every
 * medium: nothing for a high one, "low confidence: a witness of 7 steps and 2 calls through
 * function pointers" for a low one, so a reader knows where to doubt it first.
 */
import { HIGH_MAX_INDIRECT, HIGH_MAX_STEPS } from '../analyzers/order/confidence.ts';
import type { ConfidenceJson } from '../analyzers/report-types.ts';

/** True when the cycle was judged low (older reviews carry no confidence: not low). */
export const isLow = (c: { confidence?: ConfidenceJson }): boolean => c.confidence?.level === 'low';

/** Why a cycle is low: "a witness of 7 steps and 2 calls through function pointers"; '' when it is not. */
export function lowBecause(c: { confidence?: ConfidenceJson }): string {
  const conf = c.confidence;
  if (conf?.level !== 'low') return '';
  const why: string[] = [];
  if (conf.longestChain > HIGH_MAX_STEPS) why.push(`a witness of ${conf.longestChain} steps`);
  if (conf.indirectCalls > HIGH_MAX_INDIRECT) why.push(`${conf.indirectCalls} calls through function pointers`);
  if (conf.onZero) why.push(`a lock taken only when a reference count drops to zero`);
  return why.join(' and ');
}

/** " (low confidence: a witness of 7 steps)" after a cycle's name; '' for a high one. */
export function confidenceSuffix(c: { confidence?: ConfidenceJson }): string {
  const why = lowBecause(c);
  return isLow(c) ? ` (low confidence${why ? `: ${why}` : ''})` : '';
}

/** " (low confidence)" after a cycle's name in a sentence that names several; '' for a high one. */
export const lowTag = (c: { confidence?: ConfidenceJson }): string => (isLow(c) ? ' (low confidence)' : '');

/** High-confidence cycles first, each group in its own order. */
export function highFirst<T extends { confidence?: ConfidenceJson }>(list: readonly T[]): T[] {
  return [...list.filter((c) => !isLow(c)), ...list.filter(isLow)];
}
