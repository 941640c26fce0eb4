/**
 * Lockdep's "Possible unsafe locking scenario" table for a cycle: one column per CPU, CPU i
 * holding locks[i] and then waiting for locks[i+1]. Two locks give lockdep's familiar
 * CPU0/CPU1 table; a one-lock cycle gives the single-CPU lock(A); lock(A); of recursive
 * locking. Plain text lines, for a terminal, a mail or a fenced code block.
 */
import type { LockLabeler } from './lock-labeler.ts';

const INDENT = 2;
const MIN_COLUMN = 29;

/**
 * ["A", "B"] ->
 *        CPU0                         CPU1
 *        ----                         ----
 *   lock(A);
 *                                lock(B);
 *                                lock(A);
 *   lock(B);
 */
export function unsafeScenario(locks: readonly string[], label: LockLabeler): string[] {
  const names = locks.map(label);
  const n = names.length;
  if (n === 0) return [];
  if (n === 1) return ['       CPU0', '       ----', `  lock(${names[0]});`, `  lock(${names[0]});`];
  const width = Math.max(MIN_COLUMN, ...names.map((s) => `lock(${s});`.length + 3));
  const row = (cells: string[]): string => (' '.repeat(INDENT) + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width))).join('')).trimEnd();
  const at = (col: number, text: string): string => row([...Array<string>(col).fill(''), text]);
  const lines = [row(names.map((_, i) => `     CPU${i}`)), row(names.map(() => '     ----'))];
  // Lockdep's order for two: CPU0 takes A, CPU1 takes B, CPU1 waits for A, CPU0 waits for B.
  // Longer cycles generalise it: everyone takes their first lock, then, from the last CPU back,
  // each waits for the lock its neighbour holds.
  for (let i = 0; i < n; i++) lines.push(at(i, `lock(${names[i]});`));
  for (let i = n - 1; i >= 0; i--) lines.push(at(i, `lock(${names[(i + 1) % n]});`));
  return lines;
}
