/**
 * The few medium-specific choices the shared sentence builders need: how to show a lock class,
 * how to make any other string from the patch safe (subjects, messages, paths), and the cycle
 * arrows ("<->" must be written "&lt;-&gt;" in markdown). Plain text and mail use `plainStyle`.
 */
import type { LockJson } from '../analyzers/report-types.ts';
import { lockLabeler, type LockLabeler } from './lock-labeler.ts';
import { oneLine } from './one-line.ts';

export interface RenderStyle {
  lock: LockLabeler;
  /** Any other untrusted string shown inline (subject, failure message, lockdep detail). */
  text: (untrusted: string) => string;
  pair: string;
  step: string;
}

/** The style of terminals and mail: printable text, no markup. */
export function plainStyle(locks: readonly LockJson[]): RenderStyle {
  return { lock: lockLabeler(locks), text: oneLine, pair: ' <-> ', step: ' -> ' };
}
