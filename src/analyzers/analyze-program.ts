/**
 * Whole-program lock-order analysis over lowered files: summaries bottom-up over the call graph
 * (a fixpoint per recursive component), the order graph of every function's edges, and its
 * cycles. Returns the `lockscope.analysis/1` JSON plus the values the review compares.
 * Pure: files in, result out.
 */
import { bottomUpComponents, calleeNames } from './c/call-graph.ts';
import { buildCatalogue } from './locks/catalogue.ts';
import type { LockFunctionConfig } from './locks/catalogue-config.ts';
import { DEFAULT_CYCLE_OPTIONS, findCycles, type Cycle, type CycleOptions } from './order/cycles.ts';
import { analyzeFunction, type FunctionResult } from './flow/held-locks.ts';
import type { FileFacts } from './c/ir.ts';
import { OrderGraph } from './order/order-graph.ts';
import { Program, type ClassRef, type FunctionEntry } from './c/program.ts';
import type { AnalysisJson, EdgeJson, InversionJson, LockJson, LockKind, SkippedJson } from './report-types.ts';
import { EMPTY_SUMMARY, summaryShape, type OrderEdge, type Summary } from './locks/summary.ts';

export interface AnalysisOptions {
  lockFunctions?: readonly LockFunctionConfig[];
  cycles?: CycleOptions;
}

export interface AnalysisResult {
  json: AnalysisJson;
  graph: OrderGraph;
  cycles: Cycle[];
  locks: Map<string, LockJson>;
  stats: { unknownLocks: number; unknownCalls: number; unbalanced: number; bounded: boolean };
}

const MAX_SCC_ROUNDS = 8;

export function analyzeProgram(files: readonly FileFacts[], options: AnalysisOptions = {}): AnalysisResult {
  const program = new Program(files);
  const catalogue = buildCatalogue(options.lockFunctions);
  const summaries = new Map<number, Summary>();
  // The last result of each function: a recursive component runs several rounds, and only
  // its final round counts (earlier rounds saw incomplete summaries).
  const results = new Map<number, { entry: FunctionEntry; result: FunctionResult }>();
  const locks = new Map<string, { kind: LockKind | undefined; seenAs: Set<string>; inferred: boolean }>();

  const noteClass = (ref: ClassRef, kind: LockKind | undefined, inferred: boolean): void => {
    let l = locks.get(ref.c);
    if (!l) locks.set(ref.c, (l = { kind, seenAs: new Set(), inferred }));
    if (!l.kind && kind) l.kind = kind;
    if (l.seenAs.size < 16) l.seenAs.add(ref.provenance === 'inferred' ? ref.text : ref.text.startsWith('&') ? ref.text : `&${ref.text}`);
  };

  for (const comp of bottomUpComponents(program, catalogue)) {
    const inComp = new Set(comp.map((e) => e.id));
    const recursive = comp.length > 1 || callsItself(comp[0] as FunctionEntry);
    for (let round = 0; round < (recursive ? MAX_SCC_ROUNDS : 1); round++) {
      let changed = false;
      for (const entry of comp) {
        const result = analyzeFunction(entry, {
          program,
          catalogue,
          noteClass,
          summaryOf: (callee) => summaries.get(callee.id) ?? (inComp.has(callee.id) ? EMPTY_SUMMARY : undefined),
        });
        const old = summaries.get(entry.id);
        if (!old || summaryShape(old) !== summaryShape(result.summary)) changed = true;
        summaries.set(entry.id, result.summary);
        results.set(entry.id, { entry, result });
      }
      if (!changed) break;
    }
  }

  const stats = { unknownLocks: 0, unknownCalls: 0, unbalanced: 0, bounded: false };
  // Reported, not hidden: a lock the analysis could not name is a hole in the evidence.
  const unknownLockSites: SkippedJson[] = [];
  const allEdges: OrderEdge[] = [];
  for (const { entry, result } of results.values()) {
    allEdges.push(...result.edges);
    stats.unknownLocks += result.unknownLocks.length;
    stats.unknownCalls += result.unknownCalls;
    // Releasing a lock not held here is how unlock wrappers look: counted, not reported as skipped.
    stats.unbalanced += result.unbalanced.length;
    for (const u of result.unknownLocks) {
      unknownLockSites.push({ file: entry.file, line: u.line, reason: `${u.callee}() in ${entry.fn.name}(): the lock argument is not an expression lockscope can follow; this lock is left out` });
    }
  }
  const graph = new OrderGraph(allEdges);
  const { cycles, bounded } = findCycles(graph, options.cycles ?? DEFAULT_CYCLE_OPTIONS);
  stats.bounded = bounded;

  const lockJson = new Map<string, LockJson>();
  for (const [name, l] of [...locks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const j: LockJson = { name, kind: l.kind ?? 'unknown', seenAs: [...l.seenAs].sort() };
    if (l.inferred) j.inferred = true;
    lockJson.set(name, j);
  }

  const skipped: SkippedJson[] = [];
  for (const f of files) for (const s of f.skipped) skipped.push({ file: f.path, line: s.line, reason: s.reason });
  skipped.push(...unknownLockSites);
  if (bounded) skipped.push({ file: '', line: 0, reason: `cycle enumeration bounded (at most ${(options.cycles ?? DEFAULT_CYCLE_OPTIONS).maxCycles} cycles of at most ${(options.cycles ?? DEFAULT_CYCLE_OPTIONS).maxLength} locks)` });

  const json: AnalysisJson = {
    schema: 'lockscope.analysis/1',
    files: files.length,
    functions: program.functions.length,
    locks: [...lockJson.values()],
    edges: graph.pairs().map(edgeJson),
    inversions: cycles.map(inversionJson),
    skipped,
  };
  return { json, graph, cycles, locks: lockJson, stats };
}

function callsItself(entry: FunctionEntry): boolean {
  return calleeNames(entry.fn.body).has(entry.fn.name);
}

/** An edge with its witness: how `from` was taken, then the calls down to where `to` is taken. */
export function edgeJson(e: OrderEdge): EdgeJson {
  return { from: e.from, to: e.to, chain: [...e.held.chain, ...e.taken.chain] };
}

export function inversionJson(c: Cycle): InversionJson {
  return { locks: c.locks, edges: c.edges.map(edgeJson) };
}
