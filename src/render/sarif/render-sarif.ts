/**
 * The `sarif` renderer: SARIF 2.1.0 for code scanning (GitHub's upload-sarif and friends). One
 * run, one rule per kind of finding (lock-order inversion, recursive locking, inconsistent lock
 * state, irq-safe -> irq-unsafe order, sleep in atomic context, context imbalance, flush under
 * lock, ...), one error-level result per thing the patch ADDS (warning-level for a cycle of low
 * confidence, its `properties.confidence` saying why): per edge it adds, the shortest
 * cycle that edge closes (located at the lines that take the patch's edges, the other witness
 * steps as related locations, a fingerprint over the cycle's lock classes), and per finding of
 * another kind (located at the finding, its evidence as related locations, a fingerprint over
 * kind, classes and function). Removed and pre-existing findings are not results: code scanning
 * shows new problems, and a removed one simply stops being reported. The verdict sentence is the
 * invocation's note, and a failed review is a failed invocation, not a result.
 */
import { createHash } from 'node:crypto';
import type { ChainStep, FindingKind } from '../../analyzers/report-types.ts';
import type { Review } from '../../review-types.ts';
import { baseSentence } from '../base-sentence.ts';
import { confidenceSuffix, isLow } from '../confidence-words.ts';
import { cycleLabel } from '../cycle-label.ts';
import { findingPhrase, KIND_NOUNS } from '../finding-words.ts';
import { plainStyle, type RenderStyle } from '../render-style.ts';
import { changeBlocks, edgeSite, touchedSet, type Block } from '../review-changes.ts';
import { reviewLocks } from '../review-locks.ts';
import { reviewNotes } from '../review-notes.ts';
import { stepText } from '../step-text.ts';
import { verdictSentence } from '../verdict-sentence.ts';
import { inversionFingerprint } from './inversion-fingerprint.ts';
import { relativeUri } from './relative-uri.ts';

const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

interface Rule {
  id: string;
  name: string;
  short: string;
  full: string;
  help: string;
}

/** One rule per kind, in a fixed order so ruleIndex is stable. */
const RULES: Record<FindingKind, Rule> = {
  inversion: {
    id: 'lock-order-inversion',
    name: 'LockOrderInversion',
    short: 'Lock-order inversion (possible AB-BA deadlock)',
    full: 'A cycle in the lock-order graph: locks taken in opposite orders on different paths, as lockdep reports a possible circular locking dependency.',
    help: 'Two code paths take the same locks in opposite orders. If they run at the same time, each can end up holding the lock the other waits for: a deadlock (AB-BA). Pick one order for these locks and take them in that order everywhere, or release the first lock before calling code that takes the second.',
  },
  recursive: {
    id: 'recursive-locking',
    name: 'RecursiveLocking',
    short: 'Possible recursive locking',
    full: 'A lock class taken while a lock of the same class is held, as lockdep reports possible recursive locking.',
    help: 'A path takes a lock it (or a lock of the same class) already holds. If it is the same lock, the path deadlocks on itself; if it is another instance of the class, annotate the nesting (spin_lock_nested(), mutex_lock_nested()).',
  },
  'irq-inconsistent': {
    id: 'inconsistent-lock-state',
    name: 'InconsistentLockState',
    short: 'Inconsistent lock state (irq-safe lock taken with irqs enabled)',
    full: 'A lock taken in hardirq or softirq context and elsewhere with that kind of interrupt enabled, as lockdep reports an inconsistent lock state.',
    help: 'The interrupt can arrive on the CPU that holds the lock and spin on it forever. Take the lock with the matching _irqsave/_irq/_bh variant wherever interrupts are enabled.',
  },
  'irq-inversion': {
    id: 'irq-safe-to-unsafe-lock-order',
    name: 'IrqSafeToUnsafeLockOrder',
    short: 'irq-safe -> irq-unsafe lock order',
    full: 'An order edge from a lock taken in interrupt context to a lock taken with interrupts enabled, as lockdep reports a HARDIRQ-safe -> HARDIRQ-unsafe (or SOFTIRQ) lock order.',
    help: 'An interrupt can take the irq-safe lock on a CPU that holds the irq-unsafe one, while another CPU holds the safe lock and waits for the unsafe one. Take the unsafe lock with interrupts disabled everywhere, or do not take it under the safe one.',
  },
  'sleep-in-atomic': {
    id: 'sleep-in-atomic-context',
    name: 'SleepInAtomicContext',
    short: 'Sleeping function called from invalid context',
    full: 'A call that may sleep while a spinning lock is held, interrupts or preemption are disabled, inside an RCU read-side section, or from interrupt context.',
    help: 'A function that may sleep (a mutex, a GFP_KERNEL allocation, msleep, a synchronous wait) runs where sleeping is not allowed. Use the non-sleeping variant (GFP_ATOMIC), or move the call out of the atomic section.',
  },
  'lock-leak': {
    id: 'context-imbalance',
    name: 'ContextImbalance',
    short: 'Context imbalance: returns holding a lock on some paths',
    full: 'A function takes a lock and releases it itself, but returns still holding it on some paths, as sparse reports a context imbalance.',
    help: 'Some return path (usually an error path) skips the unlock. Release the lock before returning on every path, or jump to a common unlock label.',
  },
  'held-lock-freed': {
    id: 'held-lock-freed',
    name: 'HeldLockFreed',
    short: 'Held lock freed',
    full: 'Memory is freed while a lock inside it is still held, as lockdep reports "BUG: held lock freed!".',
    help: 'The object is freed with its lock held: a task waiting for that lock, or lockdep\'s record of it, now points into freed memory. Release the lock before freeing the object.',
  },
  'flush-under-lock': {
    id: 'flush-under-lock',
    name: 'FlushUnderLock',
    short: 'Waiting for work that takes a held lock',
    full: 'A synchronous flush or cancel of a work item or timer while holding a lock that its callback takes, as lockdep reports through the work-completion pseudo-lock.',
    help: 'The caller waits for the callback to finish while holding a lock the callback needs: neither can proceed. Flush or cancel before taking the lock, or use the non-waiting variant.',
  },
  'assert-not-held': {
    id: 'assert-not-held',
    name: 'AssertNotHeld',
    short: 'Lock not held where the code asserts it is',
    full: 'A path reaches lockdep_assert_held() (or a __must_hold() function) without holding the lock it names.',
    help: 'The code asserts the lock is held here, but a caller reaches it without the lock (or after releasing it). Take the lock on that path, or call a variant that takes it itself.',
  },
  'bad-unlock-balance': {
    id: 'bad-unlock-balance',
    name: 'BadUnlockBalance',
    short: 'Mutex released by a task that does not hold it',
    full: 'A callback the kernel runs in a task of its own releases a mutex another task took and held past its return, as lockdep reports "bad unlock balance detected!".',
    help: 'A mutex has an owner, and only the owner may release it: another task\'s unlock trips DEBUG_MUTEXES and turns lockdep off. To hand an operation over between tasks use a completion or a semaphore, not a mutex.',
  },
  'reclaim-under-lock': {
    id: 'reclaim-under-lock',
    name: 'ReclaimUnderLock',
    short: 'Allocating with reclaim under a lock a shrinker takes',
    full: 'An allocation that may enter direct reclaim into the file system (GFP_KERNEL) while holding a lock a registered shrinker takes, as lockdep reports "inconsistent {RECLAIM_FS-ON-W} -> {IN-RECLAIM_FS-W} usage" (since 4.14, a circular dependency through fs_reclaim).',
    help: 'Reclaim may run the shrinker in the allocating task, and the shrinker waits for the lock the task holds. Allocate before taking the lock, allocate with GFP_NOFS (or inside memalloc_nofs_save()), or make the shrinker trylock.',
  },
};
const RULE_KINDS = Object.keys(RULES) as FindingKind[];

function physical(step: { file: string; line: number }): object {
  return {
    artifactLocation: { uri: relativeUri(step.file), uriBaseId: '%SRCROOT%' },
    region: { startLine: Math.max(1, Math.trunc(step.line) || 1) },
  };
}

function related(steps: readonly ChainStep[], note: string, style: RenderStyle, into: object[]): void {
  for (const step of steps) {
    into.push({ id: into.length + 1, physicalLocation: physical(step), message: { text: `${style.text(step.function)}: ${style.text(stepText(step))}${note}` } });
  }
}

function orderResult(b: Block & { type: 'order' }, style: RenderStyle, touched: ReadonlySet<string>): object {
  const kind: FindingKind = b.cycle.locks.length === 1 ? 'recursive' : 'inversion';
  const locations: object[] = [];
  const rel: object[] = [];
  const focus = b.edges.length > 0 ? b.edges : b.cycle.edges;
  for (const e of focus) {
    const site = edgeSite(e, touched);
    if (site) locations.push({ physicalLocation: physical(site), message: { text: `${style.text(site.function)} takes ${style.lock(e.to)} while ${style.lock(e.from)} is held` } });
  }
  for (const e of b.cycle.edges) related(e.chain.slice(0, -1), ` (edge ${style.lock(e.from)} -> ${style.lock(e.to)})`, style, rel);
  const cycle = `${kind === 'recursive' ? `the recursive locking of ${style.lock(b.cycle.locks[0] ?? '')}` : `the lock-order inversion ${cycleLabel(b.cycle, style)}`}${confidenceSuffix(b.cycle)}`;
  const edges = b.edges.map((e) => `${style.lock(e.from)} -> ${style.lock(e.to)}`).join(' and ');
  const longer = b.longer.length > 0 ? ` (and ${b.longer.length} longer ${b.longer.length === 1 ? 'cycle' : 'cycles'} through it)` : '';
  return {
    ruleId: RULES[kind].id,
    ruleIndex: RULE_KINDS.indexOf(kind),
    // Low confidence (a long or indirect witness): a warning, not an error.
    level: isLow(b.cycle) ? 'warning' : 'error',
    message: { text: !edges ? `This patch adds ${cycle}.` : b.path ? `This patch adds ${edges}, a new path to ${cycle}, which was there before it.` : `This patch adds ${edges}, closing ${cycle}${longer}.` },
    locations,
    relatedLocations: rel,
    partialFingerprints: { 'lockOrderInversion/v1': inversionFingerprint(b.cycle.locks) },
    properties: { locks: b.cycle.locks, ...(b.longer.length > 0 ? { longerCycles: b.longer.length } : {}), ...(b.cycle.confidence ? { confidence: b.cycle.confidence } : {}) },
  };
}

function findingResult(b: Block & { type: 'finding' }, style: RenderStyle): object {
  const f = b.finding;
  const rel: object[] = [];
  for (const e of f.evidence) related(e.chain, ` (${style.text(e.label)})`, style, rel);
  const print = createHash('sha256').update([f.kind, ...f.locks, f.function].join('\n'), 'utf8').digest('hex');
  const kind = RULES[f.kind] ? f.kind : 'inversion';
  return {
    ruleId: RULES[kind].id,
    ruleIndex: RULE_KINDS.indexOf(kind),
    level: 'error',
    message: { text: `This patch adds ${findingPhrase(f, style)}.` },
    locations: [{ physicalLocation: physical(f), message: { text: style.text(f.title) } }],
    relatedLocations: rel,
    partialFingerprints: { 'lockscopeFinding/v1': print },
    properties: { kind: f.kind, locks: f.locks },
  };
}

/** Review -> SARIF 2.1.0 log as indented JSON, ending in a newline. */
export function renderSarif(review: Review): string {
  const style = plainStyle(reviewLocks(review));
  const failed = review.json.verdict === 'error';
  const headline = verdictSentence(review, style);
  // The verdict (removals included, which are not results) rides along as a note for readers of the log.
  const notifications = [
    { level: failed ? 'error' : 'note', message: { text: headline } },
    ...reviewNotes(review, headline, style.text).map((n) => ({ level: 'warning', message: { text: style.text(n) } })),
    ...(review.json.base ? [{ level: 'note', message: { text: baseSentence(review.json.base) } }] : []),
  ];
  const touched = touchedSet(review.json);
  const results = failed ? [] : changeBlocks(review.json, 'added').map((b) => (b.type === 'order' ? orderResult(b, style, touched) : findingResult(b, style)));
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lockscope',
            rules: RULE_KINDS.map((k) => {
              const r = RULES[k];
              return {
                id: r.id,
                name: r.name,
                shortDescription: { text: r.short },
                fullDescription: { text: r.full },
                help: { text: r.help, markdown: r.help },
                defaultConfiguration: { level: 'error' },
                properties: { tags: ['concurrency', 'locking', ...(k === 'inversion' || k === 'recursive' || k === 'irq-inversion' || k === 'flush-under-lock' || k === 'reclaim-under-lock' ? ['deadlock'] : [])], 'problem.severity': 'error', kind: k, noun: KIND_NOUNS[k][0] },
              };
            }),
          },
        },
        invocations: [
          {
            executionSuccessful: !failed,
            toolExecutionNotifications: notifications,
            ...(review.json.base ? { properties: { base: review.json.base } } : {}),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
