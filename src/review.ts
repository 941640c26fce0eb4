/**
 * The one review pipeline every front end calls: patch text in, verdict with evidence out.
 *
 *   parse (diff, mail or mbox series) -> apply patch by patch to in-memory snapshots of the base
 *   -> pick the context files -> analyze before and after (per-file facts cached by content),
 *      with the constants and annotated prototypes of the include/ headers they name
 *   -> compare inversions by lock-class set -> cross-check a quoted lockdep report -> Review
 *
 * It reads the base only through the BaseTree it is given and writes nothing. Expected
 * failures (a patch that does not parse or apply, an unsafe path, an oversized input) come back
 * as a Review with verdict `error` and a `failure` code; it does not throw for them.
 */
import { makefileKernelVersion } from './analyzers/c/version-tests.ts';
import { kernelConfig } from './analyzers/c/kernel-config.ts';
import { analyzeSources, type AnalysisResult } from './analyzers/analyze.ts';
import { loadCParser } from './analyzers/c/parser.ts';
import { buildCatalogue } from './analyzers/locks/catalogue.ts';
import { closeThroughTree, treeAround } from './analyzers/order/tree-closure.ts';
import { compareAnalyses, compareFindings, outcomeOf, verdictOf, withBaseline, type FindingDiff, type OrderDiff } from './analyzers/order/compare.ts';
import { BASELINE_FILE, parseBaseline } from './baseline/baseline-file.ts';
import { findingJson, inversionJson } from './analyzers/analysis-json.ts';
import { AnalysisCache } from './analyzers/analysis-cache.ts';
import { FactsCache } from './analyzers/c/facts-cache.ts';
import type { AnalysisStore } from './store/analysis-store.ts';
import { crossCheckLockdep } from './analyzers/order/lockdep-check.ts';
import { ALL_KINDS } from './finding-kinds.ts';
import { caveatsFor } from './review/caveats.ts';
import { edgeChanges } from './review/edge-changes.ts';
import { graphAround } from './review/graph-around.ts';
import { withKinds } from './review/kind-filter.ts';
import { lockTable } from './review/lock-table.ts';
import { chooseContext } from './context/choose-context.ts';
import { headerOptions } from './context/header-constants.ts';
import { snapshotSources } from './review/snapshot-sources.ts';
import { treeGraphFor, type TreeGraphStore } from './review/tree-graph-build.ts';
import { SymbolIndexer } from './context/symbol-indexer.ts';
import type { ContextJson } from './context/types.ts';
import { hunkFunctions, hunkQuotes } from './diff/functions.ts';
import { parseLockdepSplat } from './diff/lockdep-splat.ts';
import { parsePatchInput } from './diff/patch-input.ts';
import { Snapshot } from './diff/snapshot.ts';
import type { Patch } from './diff/types.ts';
import type {
  EdgeSet,
  FindingKind,
  FindingSet,
  HunkQuote,
  InversionSet,
  LockdepJson,
  PatchMeta,
  PatchReviewJson,
  Review,
  ReviewRequest,
  TouchedFunctionJson,
} from './review-types.ts';

export interface ReviewDeps {
  /** Shared across reviews by long-running front ends: unchanged files are parsed once. */
  cache?: FactsCache;
  /** Whole-program results by exact input: a PR's unchanged base is analyzed once. */
  analyses?: AnalysisCache;
  /** Symbol indexes of base trees, for the `calls` context: a second review of one tree reuses its index. */
  symbols?: SymbolIndexer;
  /** Whole-tree lock-order graphs, for the `tree` context: built once per base tree, then read back. */
  graphs?: TreeGraphStore;
  /**
   * A bot, which should not spend minutes building a graph inside a review: only a stored graph,
   * or one built from the store's directories with at most this many analysed anew (a base a few
   * commits past a stored one; tree-graph-build.ts BOT_GRAPH_NEW_DIRS); 0, only a stored one.
   * Without a graph, the `tree` context is reviewed as `calls`, and the review says so.
   */
  graphsMaxNew?: number;
  /** Context analyses kept between processes (store/analysis-store.ts), behind the in-memory `analyses`. */
  analysisStore?: AnalysisStore;
}

/** Limits against giant or hostile input; past them the review fails with TOO_LARGE. */
export const LIMITS = { patchBytes: 20 * 1024 * 1024, patches: 200, contextFiles: 5_000, contextBytes: 200 * 1024 * 1024 };

// Process-wide defaults, so a long-running server (GitHub app, dashboard example) reuses parsed
// files and base analyses across reviews; tests and callers wanting isolation pass their own.
const defaultCache = new FactsCache();
const defaultAnalyses = new AnalysisCache();
const defaultSymbols = new SymbolIndexer();
const isC = (path: string): boolean => /\.[ch]$/.test(path);

export class ReviewFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Reviews a patch or series against its base. Never throws for bad input: see `failure`. */
export async function review(request: ReviewRequest, deps: ReviewDeps = {}): Promise<Review> {
  let result: Review;
  try {
    result = await runReview(request, deps.cache ?? defaultCache, deps.analyses ?? defaultAnalyses, deps.symbols ?? defaultSymbols, deps);
  } catch (err) {
    if (err instanceof ReviewFailure) result = failed(err.code, err.message);
    else result = failed('INTERNAL', `internal error while reviewing: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Failed reviews too: "which base" is often the answer to "why did it not apply".
  return request.baseUsed ? { ...result, json: { ...result.json, base: request.baseUsed } } : result;
}

async function runReview(request: ReviewRequest, cache: FactsCache, analyses: AnalysisCache, symbols: SymbolIndexer, deps: Pick<ReviewDeps, 'graphs' | 'graphsMaxNew' | 'analysisStore'>): Promise<Review> {
  const size = request.patches.reduce((n, p) => n + p.length, 0);
  if (size > LIMITS.patchBytes) throw new ReviewFailure('TOO_LARGE', `patch input is ${size} bytes, over the ${LIMITS.patchBytes}-byte limit`);
  const parsed = await parsePatchInput(request.patches);
  if (!parsed.ok) throw new ReviewFailure('PATCH_PARSE', parsed.reason);
  const { series } = parsed;
  if (series.patches.length > LIMITS.patches) throw new ReviewFailure('TOO_LARGE', `series has ${series.patches.length} patches, over the limit of ${LIMITS.patches}`);

  const analyze = (snap: Snapshot, files: string[]): Promise<AnalysisResult> => analyzeSnapshot(snap, files, cache, analyses, request, deps.analysisStore);

  // Apply patch by patch; each is reviewed against the tree the ones before it left.
  const steps: { patch: Patch; before: Snapshot; after: Snapshot; touched: string[] }[] = [];
  let current = Snapshot.fromBase(request.base);
  const base = current;
  for (const [i, patch] of series.patches.entries()) {
    const applied = await current.apply(patch);
    if (!applied.ok) {
      const which = series.patches.length > 1 ? `patch ${i + 1}/${series.patches.length}${patch.subject ? ` ("${patch.subject}")` : ''}: ` : '';
      throw new ReviewFailure(applied.code, `${which}${applied.reason}`);
    }
    steps.push({ patch, before: current, after: applied.snapshot, touched: applied.touched });
    current = applied.snapshot;
  }
  const end = current;
  const errors = [...series.warnings];
  const touchedC = [...new Set(steps.flatMap((s) => s.touched.filter(isC)))].sort();
  const meta: PatchMeta[] = series.patches.map((p) => ({ subject: p.subject, messageId: p.messageId, author: p.author, baseCommit: p.baseCommit }));

  if (touchedC.length === 0) {
    const nonC = [...new Set(steps.flatMap((s) => s.touched))];
    errors.push(`no C change: the patch touches ${nonC.length ? nonC.join(', ') : 'no files'}; nothing to analyze`);
    const none: InversionSet = { added: [], removed: [], unchanged: [] };
    const noFindings: FindingSet = { added: [], removed: [], unchanged: [] };
    const noEdges: EdgeSet = { added: [], removed: [] };
    return {
      json: {
        schema: 'lockscope.review/2', verdict: 'no-change', inversions: none, outcome: 'no-change', findings: noFindings, edges: noEdges, caveats: [],
        ...kindsJson(request),
        patches: series.patches.map((p) => ({ subject: p.subject, messageId: p.messageId, verdict: 'no-change', inversions: none, outcome: 'no-change', findings: noFindings, edges: noEdges })),
        lockdep: null, functions: [], errors,
      },
      graph: { before: { locks: [], edges: [] }, after: { locks: [], edges: [] } },
      hunks: [], meta, failure: null,
    };
  }

  // The whole tree: the calls around the patch, closed through the tree's lock-order graph. A
  // base that cannot name its content keeps no graph: past the context limit, a build in every
  // review would cost minutes each time.
  if (request.context === 'tree' && !request.treeGraph && !request.base.cacheKey) {
    const count = (await request.base.listAll()).filter((p) => p.endsWith('.c')).length;
    const max = request.maxContextFiles ?? LIMITS.contextFiles;
    if (count > max) throw new ReviewFailure('TOO_LARGE', `the tree has ${count} C files, over the limit of ${max} for a graph built in every review; review against a git repository (--repo), whose graph is kept, or raise --max-context-files`);
  }
  const treeGraph =
    request.treeGraph ??
    (request.context === 'tree'
      ? await treeGraphFor(request.base, {
          cache,
          ...(deps.graphs ? { store: deps.graphs } : {}),
          ...(deps.graphsMaxNew !== undefined ? { maxNew: deps.graphsMaxNew } : {}),
          ...(request.config ? { config: request.config } : {}),
          ...(request.lockFunctions ? { lockFunctions: request.lockFunctions } : {}),
        })
      : undefined);
  if (request.context === 'tree' && !treeGraph) errors.push(`no stored lock-order graph of ${request.base.describe()}${deps.graphsMaxNew ? `, nor one the stored directories give with at most ${deps.graphsMaxNew} analysed anew` : ''}: reviewed with the calls context (lockscope graph builds one)`);
  // One file set for every analysis of this review, so before and after differ only by the patch.
  const context = await contextOf(request.context === 'tree' || treeGraph ? { ...request, context: 'calls' } : request, steps, touchedC, { cache, symbols });
  const files = context.files;
  const bySnapshot = new Map<Snapshot, AnalysisResult>();
  const analysisOf = async (snap: Snapshot): Promise<AnalysisResult> => {
    let a = bySnapshot.get(snap);
    if (!a) bySnapshot.set(snap, (a = withKinds(await analyze(snap, files), request.kinds)));
    return a;
  };

  const baseline = await baselineOf(request, errors);
  const known = baseline?.keys ?? new Set<string>();
  // With the whole tree's graph, each side is seen with the tree's edges around the context.
  const around = treeGraph ? treeAround(treeGraph.graph, new Set(files)) : undefined;
  // A one-patch review asks for the same pair twice (the patch, the series): closed once.
  const closed = new Map<Snapshot, Map<Snapshot, [AnalysisResult, AnalysisResult]>>();
  const pairOf = async (before: Snapshot, after: Snapshot): Promise<[AnalysisResult, AnalysisResult]> => {
    const b = await analysisOf(before);
    const a = await analysisOf(after);
    if (!around) return [b, a];
    let byAfter = closed.get(before);
    if (!byAfter) closed.set(before, (byAfter = new Map()));
    let pair = byAfter.get(after);
    if (!pair) {
      const c = closeThroughTree(b, a, around);
      byAfter.set(after, (pair = [c.before, c.after]));
    }
    return pair;
  };
  const patches: PatchReviewJson[] = [];
  for (const step of steps) {
    const [b, a] = await pairOf(step.before, step.after);
    const d = compareAnalyses(b, a);
    const fd = withBaseline(compareFindings(b, a), known);
    patches.push({
      subject: step.patch.subject, messageId: step.patch.messageId, verdict: verdictOf(d), inversions: inversionSet(d, b, a),
      outcome: outcomeOf(fd), findings: findingSet(fd, b, a), edges: edgeChanges(b, a, d),
    });
  }
  const [before, after] = await pairOf(base, end);
  const diff = compareAnalyses(before, after);
  const verdict = verdictOf(diff);
  const fdiff = withBaseline(compareFindings(before, after), known);


  let lockdep: LockdepJson | null = null;
  for (const [i, p] of series.patches.entries()) {
    const splat = parseLockdepSplat(p.commitMessage);
    if (splat) {
      lockdep = { ...crossCheckLockdep(splat, before, after, request.kinds), patch: i + 1 };
      break;
    }
  }

  const parser = await loadCParser();
  const functions = new Map<string, TouchedFunctionJson>();
  const hunks: HunkQuote[] = [];
  const marker = lockLineMarker(request);
  for (const [index, step] of steps.entries()) {
    for (const file of step.patch.files) {
      const path = file.newPath ?? file.oldPath;
      if (!path || !isC(path) || file.binary) continue;
      const beforeText = file.oldPath ? await step.before.read(file.oldPath) : undefined;
      const afterText = file.newPath ? await step.after.read(file.newPath) : undefined;
      const perHunk = hunkFunctions(beforeText, afterText, file, parser);
      for (const name of perHunk.flat()) {
        const key = `${path}\u0000${name}`;
        const old = functions.get(key);
        const inPatches = [...new Set([...(old?.patches ?? []), index + 1])];
        functions.set(key, { file: path, name, hunks: (old?.hunks ?? 0) + 1, patches: inPatches });
      }
      for (const q of hunkQuotes(file, perHunk)) hunks.push({ patch: index, ...marker(q) });
    }
  }

  const touched = [...functions.values()].sort((a, b) => (a.file === b.file ? (a.name < b.name ? -1 : 1) : a.file < b.file ? -1 : 1));
  const edges = edgeChanges(before, after, diff);
  const inversions = inversionSet(diff, before, after);
  const findings = findingSet(fdiff, before, after);
  return {
    json: {
      schema: 'lockscope.review/2',
      verdict,
      inversions,
      outcome: outcomeOf(fdiff),
      findings,
      edges,
      caveats: caveatsFor(before, after, touched, edges.added.length + edges.removed.length > 0),
      ...kindsJson(request),
      patches,
      lockdep,
      functions: touched,
      errors,
      context: {
        ...context.json,
        ...(request.config ? { config: request.config.path } : {}),
        ...(treeGraph && around ? { mode: 'tree' as const, treeGraph: { source: treeGraph.source, kept: around.edges.length, replaced: around.replaced } } : {}),
      },
      ...(baseline ? { baseline: { source: baseline.source, known: baseline.keys.size } } : {}),
    },
    graph: graphAround(diff, before, after, functions),
    hunks: relevantHunks(hunks, patches),
    meta,
    failure: null,
    locks: lockTable(before, after, namedClasses(inversions, findings, edges, patches)),
  };
}

async function analyzeSnapshot(snap: Snapshot, files: string[], cache: FactsCache, analyses: AnalysisCache, request: ReviewRequest, store: AnalysisStore | undefined): Promise<AnalysisResult> {
  // Headers as this snapshot has them: one the patch changes counts after it.
  const read = await snapshotSources(snap, files, { maxBytes: LIMITS.contextBytes, ...(request.base.remote ? { remote: true } : {}) });
  if ('over' in read) throw new ReviewFailure('TOO_LARGE', `context is over ${read.over} bytes; use a narrower --context`);
  const { sources, headers } = read;
  const lockFunctions = request.lockFunctions ?? [];
  // The kernel the tree is, by its top Makefile (disable_irq() sleeps from 3.19 on).
  const makefile = await snap.read('Makefile').catch(() => undefined);
  const kernelVersion = makefile === undefined ? undefined : makefileKernelVersion(makefile);
  // Headers are inputs too, kept apart from sources of the same path (no real path holds a NUL).
  const key = AnalysisCache.keyOf([...sources, ...headers.map((h) => ({ path: `\u0000${h.path}`, text: h.text }))], lockFunctions, request.config, kernelVersion);
  const hit = analyses.get(key) ?? (await store?.get(key).catch(() => undefined));
  if (hit) {
    analyses.set(key, hit);
    return hit;
  }
  const config = request.config ? kernelConfig(request.config, undefined) : undefined;
  const result = await analyzeSources(sources, { cache, lockFunctions, ...(config ? { config } : {}), ...(kernelVersion !== undefined ? { kernelVersion } : {}), ...(await headerOptions(headers, cache)) });
  analyses.set(key, result);
  await store?.put(key, result).catch(() => undefined);
  return result;
}

/**
 * The known findings: the front end's `--baseline`, else the base tree's own baseline file. A
 * file that is not a baseline is said in `errors`, and nothing is suppressed by it.
 */
async function baselineOf(request: ReviewRequest, errors: string[]): Promise<{ keys: ReadonlySet<string>; source: string } | undefined> {
  if (request.baseline) return { keys: new Set(request.baseline.keys), source: request.baseline.source };
  const text = await request.base.read(BASELINE_FILE);
  if (text === undefined) return undefined;
  const parsed = parseBaseline(text, BASELINE_FILE);
  if (!parsed.ok) {
    errors.push(parsed.reason);
    return undefined;
  }
  return { keys: parsed.keys, source: `${BASELINE_FILE} in the base` };
}

/** The review's one file set (src/context/choose-context.ts); a context over its limit fails TOO_LARGE. */

async function contextOf(
  request: ReviewRequest,
  steps: readonly { patch: Patch; before: Snapshot; after: Snapshot }[],
  touched: string[],
  deps: { cache: FactsCache; symbols: SymbolIndexer },
): Promise<{ files: string[]; json: ContextJson }> {
  const catalogue = buildCatalogue(request.lockFunctions ?? []);
  const chosen = await chooseContext(
    {
      mode: request.context ?? 'calls',
      base: request.base,
      steps,
      touched,
      extraDirs: request.contextDirs ?? [],
      maxFiles: request.maxContextFiles,
      maxBytes: request.maxContextBytes,
      limits: { files: LIMITS.contextFiles, bytes: LIMITS.contextBytes },
    },
    { ...deps, parser: await loadCParser(), isPrimitive: (name) => catalogue.has(name) },
  );
  if (!chosen.ok) throw new ReviewFailure(chosen.code, chosen.reason);
  return chosen;
}

/** Added and unchanged ones are named as after the patch, removed ones as before it. */
function inversionSet(diff: OrderDiff, before: AnalysisResult, after: AnalysisResult): InversionSet {
  return {
    added: diff.added.map((c) => inversionJson(c, after.names, after.locks)),
    removed: diff.removed.map((c) => inversionJson(c, before.names, before.locks)),
    unchanged: diff.unchanged.map((c) => inversionJson(c, after.names, after.locks)),
  };
}

function findingSet(diff: FindingDiff, before: AnalysisResult, after: AnalysisResult): FindingSet {
  return {
    added: diff.added.map((f) => findingJson(f, after.names)),
    removed: diff.removed.map((f) => findingJson(f, before.names)),
    unchanged: diff.unchanged.map((f) => findingJson(f, after.names)),
  };
}

/** Marks the quoted lines that call a lock primitive or guard, for the mail reply. */
function lockLineMarker(request: ReviewRequest): (q: HunkQuote) => HunkQuote {
  const catalogue = buildCatalogue(request.lockFunctions ?? []);
  return (q) => {
    const lockLines: number[] = [];
    q.lines.forEach((l, i) => {
      for (const m of l.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
        const name = m[1] as string;
        const effect = catalogue.get(name);
        if ((effect && effect.k !== 'none') || name === 'guard' || name === 'scoped_guard') {
          lockLines.push(i);
          break;
        }
      }
    });
    return { ...q, lockLines };
  };
}

/**
 * Per patch of the series: its hunks in functions on the witnesses of what that patch adds or
 * removes (edges and findings of every kind); else its hunks that take or release a lock. At
 * most 20 per patch, so a reply to patch k quotes patch k's own code.
 */
function relevantHunks(hunks: HunkQuote[], patches: readonly PatchReviewJson[]): HunkQuote[] {
  const out: HunkQuote[] = [];
  patches.forEach((p, index) => {
    const fns = new Set<string>();
    const chains = [
      ...[...(p.edges?.added ?? []), ...(p.edges?.removed ?? [])].map((e) => e.chain),
      ...[...p.findings.added, ...p.findings.removed].flatMap((f) => f.evidence.map((e) => e.chain)),
    ];
    for (const chain of chains) for (const s of chain) fns.add(s.function);
    const own = hunks.filter((h) => h.patch === index);
    const hit = own.filter((h) => h.function !== null && fns.has(h.function));
    out.push(...(hit.length ? hit : own.filter((h) => h.lockLines.length > 0)).slice(0, 20));
  });
  return out;
}

/** `kinds` for the JSON when a configuration turned some off. */
function kindsJson(request: ReviewRequest): { kinds?: FindingKind[] } {
  const kinds = request.kinds;
  return kinds && ALL_KINDS.some((k) => !kinds.includes(k)) ? { kinds: ALL_KINDS.filter((k) => kinds.includes(k)) } : {};
}

/** Every lock class the review's JSON names, for its lock table. */
function namedClasses(inversions: InversionSet, findings: FindingSet, edges: EdgeSet, patches: readonly PatchReviewJson[]): Set<string> {
  const out = new Set<string>();
  const add = (inv: InversionSet, fs: FindingSet, es: EdgeSet | undefined): void => {
    for (const i of [...inv.added, ...inv.removed, ...inv.unchanged]) for (const l of i.locks) out.add(l);
    for (const f of [...fs.added, ...fs.removed, ...fs.unchanged]) for (const l of f.locks) out.add(l);
    for (const e of [...(es?.added ?? []), ...(es?.removed ?? [])]) {
      out.add(e.from);
      out.add(e.to);
    }
  };
  add(inversions, findings, edges);
  for (const p of patches) add(p.inversions, p.findings, p.edges);
  return out;
}

function failed(code: string, message: string): Review {
  const none: InversionSet = { added: [], removed: [], unchanged: [] };
  return {
    json: {
      schema: 'lockscope.review/2', verdict: 'error', inversions: none, outcome: 'error', findings: { added: [], removed: [], unchanged: [] },
      edges: { added: [], removed: [] }, caveats: [], patches: [], lockdep: null, functions: [], errors: [message],
    },
    graph: { before: { locks: [], edges: [] }, after: { locks: [], edges: [] } },
    hunks: [],
    meta: [],
    failure: { code, message },
  };
}

