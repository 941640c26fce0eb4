/**
 * The JSON shapes lockscope promises to other tools: `lockscope.analysis/1` (from `analyze`)
 * and the pieces `lockscope.review/1` reuses. Plain data only; nothing here computes.
 */

/** What a witness step does; renderers turn it into words ("acquires", "calls"). */
export type StepOp = 'acquire' | 'trylock' | 'call' | 'release' | 'sleep' | 'flush' | 'irq-off' | 'irq-on' | 'hold' | 'return' | 'enter';

/**
 * One step of a witness: where a lock was taken or a call was made. `lock` is the class (or the
 * expression, for a lock the caller passes), `callee` the function called, `via` how a call was
 * reached when it is not direct (a function pointer `d->ops->lock_dev`, a macro).
 */
export interface ChainStep {
  function: string;
  file: string;
  line: number;
  op: StepOp;
  lock?: string;
  callee?: string;
  via?: string;
}

/** `via` of an acquisition made only when a reference count drops to zero (`atomic_dec_and_lock`, the `callee`). */
export const ON_ZERO = 'on-zero';

/**
 * An order edge `from -> to`: `to` may be acquired while `from` is held.
 * The chain starts at the acquisition of `from` and ends at the line that acquires `to`,
 * e.g. [acquires intel_iommu.lock, calls iommu_support_dev_iotlb, acquires device_domain_lock].
 */
export interface EdgeJson {
  from: string;
  to: string;
  chain: ChainStep[];
}

/** An elementary cycle of the order graph; `locks` in cycle order, `edges[i]` goes locks[i] -> locks[i+1]. */
export interface InversionJson {
  locks: string[];
  edges: EdgeJson[];
  /** An edge of it is marked safe in the code: shown, not counted for the verdict. */
  suppressed?: SuppressionJson;
  /**
   * Its locks lockdep does not track: semaphores taken and released like locks (one only signalled
   * is an event and makes no cycle). Lockdep would not report the cycle; it deadlocks all the same.
   */
  untracked?: string[];
  /**
   * Closed through the lock-order graph of the whole tree: some of its edges are made in
   * files the review did not analyse (their witnesses are the base's, as stored).
   */
  throughTree?: true;
  /**
   * `analyze` by directory: its orders are made in several directories (these), none of which
   * makes them all; its own analysis of each could not see it.
   */
  acrossDirectories?: string[];
  /** How far its witnesses can be trusted (order/confidence.ts); absent in older reviews. */
  confidence?: ConfidenceJson;
}

/**
 * `high`: every edge's witness is short and at most one call crosses a function pointer; `low`:
 * a long chain or several indirect calls, each a place the analysis may be wrong.
 */
export interface ConfidenceJson {
  level: 'high' | 'low';
  /** Steps of the longest edge's witness (take, calls, take). */
  longestChain: number;
  /** Calls through function pointers over all its witnesses. */
  indirectCalls: number;
  /** Acquisitions in its witnesses made only when a reference count drops to zero, when any. */
  onZero?: number;
}


export type LockKind =
  | 'spinlock'
  | 'raw_spinlock'
  | 'rwlock'
  | 'mutex'
  | 'rwsem'
  | 'semaphore'
  | 'rt_mutex'
  /** A lockdep map that is no lock of its own (a journal handle's): ordered as a lock, never spins or sleeps itself. */
  | 'lockdep_map'
  | 'inferred'
  | 'unknown';

export interface LockJson {
  name: string;
  kind: LockKind;
  /** The expressions the class was seen as, e.g. ["&iommu->lock"]. */
  seenAs: string[];
  /** Present and true when the class comes from a bodiless lock/unlock pair (see catalogue). */
  inferred?: boolean;
}

export interface SkippedJson {
  file: string;
  line: number;
  reason: string;
}

export interface AnalysisJson {
  schema: 'lockscope.analysis/1';
  files: number;
  functions: number;
  locks: LockJson[];
  edges: EdgeJson[];
  inversions: InversionJson[];
  /** Every finding, of every kind (inversions again among them). */
  findings: FindingJson[];
  skipped: SkippedJson[];
  /** The kernel .config or defconfig the analysis followed (`analyze --config`), as given. */
  config?: string;
}

/** What a patch does to the findings of every kind (`lockscope.review/2`). */
export type Outcome = 'adds' | 'removes' | 'mixed' | 'no-change' | 'error';

/** The verdict words of `lockscope.review/1`: what a patch does to the lock-order inversions. */
export type Verdict = 'adds-inversion' | 'removes-inversion' | 'mixed' | 'no-change' | 'error';

/** Does the patch break the cycle a lockdep report quoted in its commit message describes? */
export interface LockdepCheckJson {
  /** Lock names as the splat wrote them, wrappers reduced: ["device_domain_lock", "&iommu->lock"]. */
  locks: string[];
  /** True when a cycle over the mapped classes is in the base and gone after the patch. */
  confirmed: boolean;
  detail: string;
}

/** The kinds of finding lockscope reports, named after the lockdep (or sparse) report they mirror. */
export type FindingKind =
  | 'inversion'
  | 'recursive'
  | 'irq-inconsistent'
  | 'irq-inversion'
  | 'sleep-in-atomic'
  | 'lock-leak'
  | 'held-lock-freed'
  | 'flush-under-lock'
  | 'reclaim-under-lock'
  | 'assert-not-held'
  | 'bad-unlock-balance';

/** One witness of a finding: a label ("#1 (intel_iommu.lock)", "IN-HARDIRQ-W at") and its steps. */
export interface EvidenceJson {
  label: string;
  chain: ChainStep[];
}

/** A finding of any kind (`lockscope.review/2`, `analyze --format json`). */
export interface FindingJson {
  kind: FindingKind;
  /** Lock classes, as in inversions. */
  locks: string[];
  /** Where it happens. */
  function: string;
  file: string;
  line: number;
  /** One line, lockdep's words. */
  title: string;
  evidence: EvidenceJson[];
  notes?: string[];
  /**
   * Inversions and recursions: every known way to each edge, `held` the function where the held
   * lock is taken and `taken` where the next one is ("a new path to a pre-existing inversion").
   */
  paths?: { edge: string; held: string; taken: string; chain: ChainStep[] }[];
  /** Inversions and recursions: the confidence of the cycle as its evidence shows it. */
  confidence?: ConfidenceJson;
  /**
   * Set when the finding existed before the patch but the patch adds (or removes) a way to it;
   * `moved`: the same lock operations in renamed or moved code, neither added nor removed;
   * `established`: paths only on edges other than the cycle's least taken, also neither.
   */
  newPath?: { added: string[]; removed: string[]; moved?: boolean; established?: boolean };
  /**
   * Judged safe: `annotation` (a `lockscope: safe-order A -> B (reason)` comment, at file:line)
   * or `baseline` (recorded as known by `lockscope baseline write`). Shown, never counted.
   */
  suppressed?: SuppressionJson;
}

export interface SuppressionJson {
  by: 'annotation' | 'baseline';
  reason: string;
  file?: string;
  line?: number;
}


