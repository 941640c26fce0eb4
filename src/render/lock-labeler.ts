/**
 * How a lock class is named wherever a renderer shows it: its class name, made printable, with
 * "(inferred)" after classes the analyzer inferred from a bodiless lock/unlock pair, so a reader
 * knows the lock's identity is a guess. It does not escape for a medium; callers pass `escape`.
 */
import type { LockJson } from '../analyzers/report-types.ts';
import { oneLine } from './one-line.ts';

/** Names a lock class for display: `lock_fw` -> `lock_fw (inferred)` when inferred. */
export type LockLabeler = (name: string) => string;

/** Builds the labeler for the lock table(s) in hand; a class missing from them is shown plain. */
export function lockLabeler(locks: readonly LockJson[], escape: (text: string) => string = (t) => t): LockLabeler {
  const inferred = new Set(locks.filter((l) => l.inferred === true).map((l) => l.name));
  return (name) => escape(oneLine(name)) + (inferred.has(name) ? ' (inferred)' : '');
}
