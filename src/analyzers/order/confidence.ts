/**
 * How far to trust a reported cycle, from the shape of its witnesses alone, as RacerX ranks
 * deadlock reports by the length of their call chains and Infer sorts reports into buckets.
 * Every frame a witness crosses is a condition, argument value or invariant the analysis may have
 * got wrong, and every call through a function pointer is a guess at which function it reaches.
 * Judged against the source (185 Linux 3.0 reports, stops 50-56), cycles whose every edge takes
 * its second lock within three calls of the first and that cross at most one function pointer were
 * false about 1 time in 6; the others about 6 times in 10. Both are reported; `low` says which.
 */
import { ON_ZERO, type ChainStep, type ConfidenceJson } from '../report-types.ts';

/** A `high` cycle: every edge's witness at most this many steps (take, calls, take)... */
export const HIGH_MAX_STEPS = 4;
/** ...and at most this many calls through a function pointer over the whole cycle. */
export const HIGH_MAX_INDIRECT = 1;

/** A call made through a function pointer (a macro expands in place: it is not a guess). */
const indirect = (s: ChainStep): boolean => s.op === 'call' && s.via !== undefined && s.via !== 'macro';

/**
 * A lock taken only when a reference count drops to zero (atomic_dec_and_lock): whether it does
 * at that call depends on how many references others hold, which the code around it does not
 * say (a put under the lock is usually of a reference the caller knows is not the last). Only
 * an edge's second lock counts: what a path does after such a put took its first lock is the
 * last put's own work, done whenever the count gets there.
 */
const onZero = (s: ChainStep | undefined): boolean => s?.op === 'acquire' && s.via === ON_ZERO;

/** The confidence of a cycle whose edges have these witnesses (one chain per edge). */
export function cycleConfidence(chains: readonly (readonly ChainStep[])[]): ConfidenceJson {
  const longestChain = Math.max(0, ...chains.map((c) => c.length));
  const indirectCalls = chains.reduce((n, c) => n + c.filter(indirect).length, 0);
  // Only the edge's second lock: the path after a put that took its first is the last put's own.
  const counted = chains.filter((c) => onZero(c[c.length - 1])).length;
  const level = longestChain <= HIGH_MAX_STEPS && indirectCalls <= HIGH_MAX_INDIRECT && counted === 0 ? 'high' : 'low';
  return { level, longestChain, indirectCalls, ...(counted ? { onZero: counted } : {}) };
}
