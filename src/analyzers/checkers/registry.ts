/**
 * The checkers besides lock order, in the order their findings are listed. An explicit list:
 * adding a kind of finding is adding a module here, nothing in the walk or the lock core.
 */
import type { Checker } from './types.ts';

export function extraCheckers(): Checker[] {
  return [];
}
