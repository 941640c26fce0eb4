/**
 * An order graph as plain data, to keep between runs: the lock-order graph of a whole tree,
 * built once per tree (commands/tree-graph.ts) and read back by every review against it
 * (tree-closure.ts). Each witness is kept (one per path and build, as OrderGraph.variantsOf
 * gives them) with both chains, so a cycle closed through the stored graph shows the same
 * evidence a fresh analysis would. Lock classes stay internal keys: names are given per report.
 */
import type { Acquisition } from '../locks/held-set.ts';
import { chainSteps, prepend, chainOf, type Chain } from '../locks/witness.ts';
import type { ChainStep, LockKind } from '../report-types.ts';
import type { OrderEdge, OrderGraph } from './order-graph.ts';
import type { Finding, Suppression } from '../checkers/types.ts';
import type { Cycle } from './cycles.ts';
import type { CallsOut } from '../checkers/lock-order.ts';

export interface StoredSide {
  read: boolean;
  steps: ChainStep[];
  nested?: true;
  tryLock?: true;
  /** Taken by a page fault (Acquisition.fault). */
  fault?: true;
}

export interface StoredEdge {
  from: string;
  to: string;
  held: StoredSide;
  taken: StoredSide;
}

export interface StoredGraph {
  edges: StoredEdge[];
  /** The kind of each class the edges name, where known. */
  kinds: Record<string, LockKind>;
  /**
   * A directory's partition only (tree-graph-build.ts): the inversions and recursions its own
   * analysis reported, every filter applied, as indices into `edges` in cycle order; and what it
   * analysed. A joined tree graph has neither.
   */
  cycles?: StoredCycle[];
  counts?: { files: number; functions: number };
  /**
   * Its classes lockdep splits by a key object or never validates (AnalysisResult.reclassed); of
   * a joined tree graph, those of every partition.
   */
  reclassed?: string[];
  /** A directory's partition only: of those, the classes lockdep never validates (AnalysisResult.unvalidated). */
  unvalidated?: string[];
  /** A directory's partition only: its analysis's findings of the other kinds (sleeping in atomic context, irq state, ...). */
  findings?: StoredFinding[];
  /**
   * A directory's partition only: the locks held around its calls to callees it has no body for
   * (another directory's functions), and its non-static functions with the locks each may take.
   * A join makes the orders between them (stitch-calls.ts).
   */
  calls?: StoredCall[];
  defines?: StoredDefinition[];
  /** A directory's partition only: the cycles its analysis found and did not report, by why (AnalysisResult.leftOut). */
  leftOut?: { why: string; count: number }[];
  /** A directory's partition only: its C files no Makefile of it builds, left out of its analysis, and why (kbuild.ts unbuiltFiles). */
  unbuilt?: { file: string; reason: string }[];
}

/** A lock held around a call to a callee the partition has no body for. */
export interface StoredCall {
  from: string;
  callee: string;
  held: StoredSide;
  /** From the function holding `from` down to the call of `callee`. */
  call: ChainStep[];
  /** Made where a user access takes nothing (OpenCall.noFault). */
  noFault?: true;
  /** Held on an object still being set up (OpenCall.private): no order edge, a sleep all the same. */
  private?: true;
}

/** A non-static function of the partition, and the locks it may take (from its first step). */
export interface StoredDefinition {
  fn: string;
  file: string;
  takes?: { to: string; taken: StoredSide; after?: string[] }[];
  /** Where it may sleep (the callee that sleeps, the steps from its first one), for a caller holding a spinning lock. */
  sleeps?: { callee: string; steps: ChainStep[]; after?: string[]; fault?: true };
  /** The classes it may return holding, that it took itself (CallsOut); `holdsUnnamed`: one it may return holding has none. */
  holds?: string[];
  holdsUnnamed?: true;
}

/** A finding other than lock order, as plain data: its evidence chains as their steps. */
export interface StoredFinding extends Omit<Finding, 'evidence' | 'paths' | 'newPath'> {
  evidence: { label: string; steps: ChainStep[]; lock?: string }[];
}

const ORDER_KINDS: ReadonlySet<string> = new Set(['inversion', 'recursive']);

/** The findings of `findings` other than inversions and recursions (those are the graph's cycles), as plain data. */
export function storedFindingsOf(findings: readonly Finding[]): StoredFinding[] {
  return findings
    .filter((f) => !ORDER_KINDS.has(f.kind))
    .map(({ evidence, paths: _p, newPath: _n, ...rest }) => ({ ...rest, evidence: evidence.map((e) => ({ label: e.label, steps: chainSteps(e.chain), ...(e.lock !== undefined ? { lock: e.lock } : {}) })) }));
}

/** A stored finding as a finding again; evidence without steps is damaged and dropped. */
export function findingOf(s: StoredFinding): Finding {
  const evidence = s.evidence.filter((e) => e.steps.length > 0).map((e) => ({ label: e.label, chain: chainFrom(e.steps), ...(e.lock !== undefined ? { lock: e.lock } : {}) }));
  return { ...s, evidence };
}

export interface StoredCycle {
  edges: number[];
  suppressed?: Suppression;
}

const sideOf = (a: Acquisition): StoredSide => ({
  read: a.read,
  steps: chainSteps(a.chain),
  ...(a.nested ? { nested: true as const } : {}),
  ...(a.tryLock ? { tryLock: true as const } : {}),
  ...(a.fault ? { fault: true as const } : {}),
});

/** A program's calls out of it (lock-order.ts CallsOut) as plain data. */
export function storedCallsOf(calls: CallsOut): { calls: StoredCall[]; defines: StoredDefinition[] } {
  return {
    calls: calls.opens.map((o) => ({ from: o.from, callee: o.callee, held: sideOf(o.held), call: chainSteps(o.chain), ...(o.noFault ? { noFault: true as const } : {}), ...(o.private ? { private: true as const } : {}) })),
    defines: calls.defines.map((d) => ({
      fn: d.fn,
      file: d.file,
      ...(d.takes.length ? { takes: d.takes.map((a) => ({ to: a.key, taken: sideOf(a), ...(a.after?.length ? { after: [...a.after] } : {}) })) } : {}),
      ...(d.sleeps ? { sleeps: { callee: d.sleeps.callee, steps: chainSteps(d.sleeps.chain), ...(d.sleeps.after.length ? { after: [...d.sleeps.after] } : {}), ...(d.sleeps.fault ? { fault: true as const } : {}) } } : {}),
      ...(d.holds.length ? { holds: [...d.holds] } : {}),
      ...(d.holdsUnnamed ? { holdsUnnamed: true as const } : {}),
    })),
  };
}

/** Every witness of every ordered pair of `graph`. */
export function storedEdgesOf(graph: OrderGraph): StoredEdge[] {
  return graph.witnesses().map((e) => ({ from: e.from, to: e.to, held: sideOf(e.held), taken: sideOf(e.taken) }));
}

function chainFrom(steps: readonly ChainStep[]): Chain {
  let c = chainOf(steps[steps.length - 1] as ChainStep);
  for (let i = steps.length - 2; i >= 0; i--) c = prepend(steps[i] as ChainStep, c);
  return c;
}

const acquisitionOf = (key: string, side: StoredSide, kinds: StoredGraph['kinds']): Acquisition => {
  const kind = kinds[key];
  return {
    ref: { c: key, provenance: 'global', kind, text: key },
    key,
    kind,
    read: side.read,
    nested: side.nested === true,
    chain: chainFrom(side.steps),
    ...(side.tryLock ? { tryLock: true } : {}),
    ...(side.fault ? { fault: true } : {}),
  };
};

/** A witness's identity: one copy of an edge two partitions share (a header's inline function). */
export const edgeIdentity = (e: StoredEdge): string => {
  const steps = (s: StoredSide): string => s.steps.map((x) => `${x.file}:${x.line}:${x.op}`).join(',');
  return `${e.from}>${e.to}|${e.held.read ? 'r' : 'w'}${e.taken.read ? 'r' : 'w'}|${steps(e.held)}|${steps(e.taken)}`;
};

/** An identity `edgeIdentity` gave an edge `was`, for the same witness between two other classes (a class renamed). */
export const identityWithEnds = (id: string, was: { from: string; to: string }, from: string, to: string): string => `${from}>${to}${id.slice(`${was.from}>${was.to}`.length)}`;

/**
 * `cycles` as indices into `edges` (storedEdgesOf of the same graph); a cycle one of whose
 * witnesses is not among them (it cannot be: the cycles are the graph's) is left out.
 */
export function storedCyclesOf(cycles: readonly Cycle[], edges: readonly StoredEdge[]): StoredCycle[] {
  const index = new Map(edges.map((e, i) => [edgeIdentity(e), i]));
  const out: StoredCycle[] = [];
  for (const c of cycles) {
    const at = c.edges.map((e) => index.get(edgeIdentity({ from: e.from, to: e.to, held: sideOf(e.held), taken: sideOf(e.taken) })));
    if (at.some((i) => i === undefined)) continue;
    out.push({ edges: at as number[], ...(c.suppressed ? { suppressed: c.suppressed } : {}) });
  }
  return out;
}

/** A stored edge as the order graph's edge again; a stored edge without steps is damaged and dropped. */
export function orderEdgeOf(e: StoredEdge, kinds: StoredGraph['kinds']): OrderEdge | undefined {
  if (e.held.steps.length === 0 || e.taken.steps.length === 0) return undefined;
  return { from: e.from, to: e.to, held: acquisitionOf(e.from, e.held, kinds), taken: acquisitionOf(e.to, e.taken, kinds) };
}

/** The files an edge's witness passes through. */
export function filesOf(e: StoredEdge): Set<string> {
  const out = new Set<string>();
  for (const s of e.held.steps) out.add(s.file);
  for (const s of e.taken.steps) out.add(s.file);
  return out;
}
