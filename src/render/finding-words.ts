/**
 * Findings other than lock-order cycles in words, for sentences: the verdict sentence ("This
 * patch adds a sleep in atomic context (msleep with hw_lock held, in ql_init())"), the headline
 * of each finding's block, SARIF messages, patchwork descriptions. The words come from the
 * finding's title (written by its checker); this picks the part a sentence needs.
 */
import type { FindingJson, FindingKind } from '../analyzers/report-types.ts';
import type { RenderStyle } from './render-style.ts';

/** A kind in words: [one, several]. */
export const KIND_NOUNS: Record<FindingKind, [string, string]> = {
  inversion: ['lock-order inversion', 'lock-order inversions'],
  recursive: ['recursive locking', 'recursive lockings'],
  'irq-inconsistent': ['inconsistent lock state', 'inconsistent lock states'],
  'irq-inversion': ['irq-safe -> irq-unsafe lock order', 'irq-safe -> irq-unsafe lock orders'],
  'sleep-in-atomic': ['sleep in atomic context', 'sleeps in atomic context'],
  'lock-leak': ['context imbalance', 'context imbalances'],
  'held-lock-freed': ['held lock freed', 'held locks freed'],
  'flush-under-lock': ['flush under a lock its work takes', 'flushes under a lock their work takes'],
  'reclaim-under-lock': ['allocation under a lock a shrinker takes', 'allocations under a lock a shrinker takes'],
  'assert-not-held': ['lock not held where it is asserted', 'locks not held where they are asserted'],
  'bad-unlock-balance': ['mutex released by a task that does not hold it', 'mutexes released by a task that does not hold them'],
};

/** The noun of a kind, for a count: (2, 'lock-leak') -> "context imbalances". */
export function kindNoun(kind: FindingKind, n = 1): string {
  const nouns = KIND_NOUNS[kind] ?? [String(kind), `${String(kind)}s`];
  return n === 1 ? nouns[0] : nouns[1];
}

/** Text after the first ": " of a title: the finding without lockdep's words. */
export function titleDetail(title: string): string {
  const i = title.indexOf(': ');
  return i < 0 ? title : title.slice(i + 2);
}

/**
 * One finding as a noun phrase:
 *   sleep-in-atomic   "a sleep in atomic context (msleep with hw_lock held, in ql_init())"
 *   lock-leak         "a context imbalance (foo() returns holding bar_lock on some paths)"
 *   irq-inversion     "the SOFTIRQ-safe -> SOFTIRQ-unsafe lock order a -> b"
 *   irq-inconsistent  "an inconsistent lock state of a ({IN-HARDIRQ-W} -> {HARDIRQ-ON-W})"
 *   reclaim-under-lock  "an allocation under a lock a shrinker takes (kmalloc with m held, in f(); the shrinker s() takes it)"
 */
export function findingPhrase(f: FindingJson, style: Pick<RenderStyle, 'lock' | 'text'>): string {
  const lock = (i: number): string => style.lock(f.locks[i] ?? '');
  const fn = `${style.text(f.function)}()`;
  switch (f.kind) {
    case 'irq-inconsistent': {
      const usage = /\{IN-[A-Z]+-[RW]\} -> \{[A-Z]+-ON-[RW]\}/.exec(f.title)?.[0];
      return `an inconsistent lock state of ${lock(0)}${usage ? ` (${style.text(usage)})` : ''}`;
    }
    case 'irq-inversion': {
      const irq = /SOFTIRQ/.test(f.title) ? 'SOFTIRQ' : 'HARDIRQ';
      return `the ${irq}-safe -> ${irq}-unsafe lock order ${lock(0)} -> ${lock(1)}`;
    }
    case 'sleep-in-atomic':
      return `a sleep in atomic context (${style.text(titleDetail(f.title))}, in ${fn})`;
    case 'lock-leak':
      return `a context imbalance (${fn} returns holding ${lock(0)} on some paths)`;
    case 'held-lock-freed':
      return `a held lock freed (${fn} frees the memory of ${lock(0)} while holding it)`;
    case 'flush-under-lock':
      return `a flush under lock (${fn} is ${style.text(titleDetail(f.title))})`;
    case 'reclaim-under-lock': {
      // The title: "allocating with reclaim into the file system (kmalloc) while holding L, which the shrinker s() takes".
      const alloc = /\((\w+)\) while holding/.exec(f.title)?.[1] ?? 'an allocation';
      const shrinker = /the shrinker (\w+)\(\)/.exec(f.title)?.[1];
      return `an allocation under a lock a shrinker takes (${style.text(alloc)} with ${lock(0)} held, in ${fn}${shrinker ? `; the shrinker ${style.text(shrinker)}() takes it` : ''})`;
    }
    default:
      return `a ${kindNoun(f.kind)} (${style.text(f.title)})`;
  }
}

/** Where a finding happens, for a block's first line: "ql_init() at drivers/net/qla3xxx.c:1234". */
export function findingPlace(f: FindingJson, text: (s: string) => string): string {
  return `${text(f.function)}() at ${text(f.file)}:${f.line}`;
}
