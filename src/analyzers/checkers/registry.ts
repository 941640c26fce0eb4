/**
 * The checkers besides lock order, in the order their findings are listed. An explicit list:
 * adding a kind of finding is adding a module here, nothing in the walk or the lock core.
 */
import { assertNotHeldChecker } from './assert-not-held.ts';
import { flushUnderLockChecker } from './flush-under-lock.ts';
import { irqSafetyChecker } from './irq-safety.ts';
import { lockLeakChecker } from './lock-leak.ts';
import { heldLockFreedChecker } from './held-lock-freed.ts';
import { reclaimUnderLockChecker } from './reclaim-under-lock.ts';
import { sleepInAtomicChecker } from './sleep-in-atomic.ts';
import { unlockImbalanceChecker } from './unlock-imbalance.ts';
import type { Checker } from './types.ts';

export function extraCheckers(): Checker[] {
  return [irqSafetyChecker(), sleepInAtomicChecker(), lockLeakChecker(), heldLockFreedChecker(), flushUnderLockChecker(), reclaimUnderLockChecker(), assertNotHeldChecker(), unlockImbalanceChecker()];

}
