/**
 * Cycles through an order that takes a sleeping lock (a mutex, an rwsem, a semaphore) under a
 * spinning one. That order is itself "sleeping function called from invalid context", which the
 * program reports at the same function and lock (sleep-in-atomic.ts): either a bug the sleep
 * finding names once, or a path that never runs, and then every cycle through it is false with
 * it. Each such cycle is left out, counted, and the sleep finding stands for them.
 */
import type { Finding } from '../checkers/types.ts';
import { SPINNING } from '../locks/held-set.ts';
import type { LockKind } from '../report-types.ts';
import type { Cycle } from './cycles.ts';
import type { OrderEdge } from './order-graph.ts';

const SLEEPING: ReadonlySet<LockKind | undefined> = new Set<LockKind>(['mutex', 'rwsem', 'semaphore', 'rt_mutex']);

/** `function\0lock` of each sleep-in-atomic finding: where a spinning lock was held around a sleep. */
export function sleepSites(findings: readonly Finding[]): Set<string> {
  const out = new Set<string>();
  for (const f of findings) if (f.kind === 'sleep-in-atomic') for (const l of f.locks) out.add(`${f.function}\0${l}`);
  return out;
}

/** Whether the edge takes a sleeping lock under a spinning one where a sleep finding says so. */
const sleepsUnderSpin = (e: OrderEdge, sites: ReadonlySet<string>): boolean =>
  e.held.kind !== undefined && SPINNING.has(e.held.kind) && SLEEPING.has(e.taken.kind) && sites.has(`${e.held.chain.step.function}\0${e.from}`);

/** Whether a cycle goes through such an order (`sites`: sleepSites of the findings). */
export const throughSleepUnderSpin = (c: Cycle, sites: ReadonlySet<string>): boolean => sites.size > 0 && c.edges.some((e) => sleepsUnderSpin(e, sites));

/**
 * `cycles` less those through such an order, and those; `findings` less the inversions and
 * recursions of those cycles (lock-order.ts cycleFinding keys them `${kind}:${cycle key}`).
 */
export function foldSleepingOrders(cycles: readonly Cycle[], findings: readonly Finding[]): { cycles: Cycle[]; folded: Cycle[]; findings: Finding[]; foldedFindings: Finding[] } {
  const sites = sleepSites(findings);
  const kept: Cycle[] = [];
  const folded: Cycle[] = [];
  for (const c of cycles) (throughSleepUnderSpin(c, sites) ? folded : kept).push(c);
  if (!folded.length) return { cycles: kept, folded, findings: [...findings], foldedFindings: [] };
  const keys = new Set(folded.flatMap((c) => [`inversion:${c.key}`, `recursive:${c.key}`]));
  return { cycles: kept, folded, findings: findings.filter((f) => !keys.has(f.key)), foldedFindings: findings.filter((f) => keys.has(f.key)) };
}

export const FOLDED_REASON = (n: number): string => `${n} cycle(s) through a sleeping lock taken under a spinning one not reported: each is the "sleeping function called from invalid context" reported at that lock`;
