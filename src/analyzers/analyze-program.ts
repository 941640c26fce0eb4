/**
 * Whole-program analysis over lowered files: summaries bottom-up over the call graph (a
 * fixpoint per recursive component; callees specialised on the constant arguments a caller
 * passes), then each checker's program-level findings, the order graph and its cycles.
 * Returns the `lockscope.analysis/1` JSON (with `findings`) plus the values the review compares.
 * Pure: files in, result out.
 */
import { workqueueGates } from './order/workqueue-gates.ts';
import type { KernelConfig } from './c/kernel-config.ts';
import { atomKeys, buildCallGraph, callEvents, MAX_CALLERS_KEPT, opsOf, reassignedRoots, type CallGraph } from './c/call-graph.ts';
import { moduleSensitivity } from './c/module-context.ts';

import { ANY, N, P, Z, type CallEvent, type FileFacts, type FunctionIR, type PointerStore, type PrototypeIR } from './c/ir.ts';
import { comparisonSides, constantSigns, isFlagName, valueOf, type ConstantNames } from './c/comparison.ts';
import { paramReads, paramWrites } from './c/param-members.ts';
import { Program, type DirectoryDefines, type FunctionEntry } from './c/program.ts';
import { analysisJson, classNames } from './analysis-json.ts';
import { LOCK_ORDER, lockOrderChecker, unionOfParts, type CallsOut, type OrderPart, type OrderResult } from './checkers/lock-order.ts';
import type { Checker, Finding, ProgramView } from './checkers/types.ts';
import { HOLDS, mentionsMember, NO_FACTS, TASK, withFact, ZEROED, type Facts } from './flow/facts.ts';
import { MAX_ROUNDS } from './flow/interpreter.ts';

import { buildCatalogue, CONTEXT_QUERIES, flagContains, HELD_ON_ENTRY_CALLBACKS, type Catalogue, type HeldCallback } from './locks/catalogue.ts';
import { assertedContexts, assertedThroughCalls, declarationMacro, type Asserted } from './c/asserted-context.ts';
import type { LockFunctionConfig } from './locks/catalogue-config.ts';
import { analyzeFunction, type FunctionDeps, type FunctionResult } from './locks/function-analysis.ts';
import { callerConstants } from './locks/caller-constants.ts';
import { inferPairs, type BodilessCall } from './locks/inferred-pairs.ts';
import { LockClasses } from './locks/lock-classes.ts';
import { heldQueries } from './locks/held-queries.ts';

import { orderClassOf, type ClassRef } from './locks/lock-ref.ts';
import { CycleReads, type Reads } from './cycle-reads.ts';
import { EMPTY_SUMMARY, isWrittenConstant, summaryShape, widenSummary, type ArgValue, type Summary } from './locks/summary.ts';

import { DEFAULT_CYCLE_OPTIONS, type Cycle, type CycleOptions } from './order/cycles.ts';
import { applySafeOrders } from './order/suppressions.ts';
import { FOLDED_REASON, foldSleepingOrders } from './order/sleep-folded.ts';
import type { OrderGraph } from './order/order-graph.ts';
import type { AnalysisJson, LockJson, LockKind, SkippedJson } from './report-types.ts';
import { extraCheckers } from './checkers/registry.ts';
import { directReleases } from './checkers/unlock-imbalance.ts';
import { sleepForCallersElsewhere } from './checkers/sleep-in-atomic.ts';
import { registrations } from './checkers/contexts.ts';
import { liveCallLines } from './c/live-branches.ts';
import { armedCallbacks, type ArmedCallbacks } from './c/armed-callbacks.ts';
import { flagSetMembers, unsetMembers } from './c/unset-members.ts';
import { memberValueSets, type MemberValueInputs } from './c/member-values.ts';
import { createdValues } from './c/created-values.ts';

export interface AnalysisOptions {
  lockFunctions?: readonly LockFunctionConfig[];
  /** LINUX_VERSION_CODE of the tree analysed: what the kernel's own calls do there (catalogue.ts). */
  kernelVersion?: number;
  cycles?: CycleOptions;
  /** Rounds a loop or goto labels get to settle; past it the function is reported as partly analyzed. */
  maxRounds?: number;
  /** Called as functions get their final summary (`lockscope analyze`'s progress bar). */
  onAnalyzed?: (done: number, total: number) => void;
  /** Macros the build defines (`-DDEBUG` in a Makefile): debug code under them is compiled. */
  buildDefines?: readonly string[];
  /** Per source file, the composite module its directory's Makefile links it into (context/kbuild.ts compositeModules). */
  modules?: Readonly<Record<string, string>>;
  /** Per Makefile directory, the debug switches it passes: on for files there and below only (Program.debugSwitchOff). */
  debugDefines?: readonly { dir: string; names: readonly string[] }[];
  /** Directories whose Makefiles choose features with `-D`, and what each always passes (Program.macroDefined). */
  directoryDefines?: readonly DirectoryDefines[];
  /**
   * Non-static functions nothing in the whole tree mentions but their definitions (the front end
   * asked the tree about `uncalledCandidates`): dead code, with the static functions only they call.
   */
  neverCalled?: readonly string[];
  /**
   * Non-static functions the whole tree names only in their definitions, prototypes and calls by
   * name (never stored, exported or pasted): dead where every caller in the program is, and
   * analysed from the constants every caller passes, as a static function is (caller-constants.ts).
   */
  calledOnlyByName?: readonly string[];
  /**
   * Non-static functions nothing in the program calls that files of the tree outside it mention
   * (the front end asked): their callers are there, holding what lockscope cannot see.
   */
  calledOutside?: readonly string[];
  /**
   * What the rest of the kernel tree stores of the program's objects (`.ops = &ccu_ops` in a board
   * file's clock table): which ops tables a member may hold (c/ops-tables.ts).
   */
  outsideStores?: readonly PointerStore[];
  /**
   * Of the members c/unset-members.ts names as candidates, those no file of the kernel tree
   * outside the program writes (the front end asked): with no live writer in the program either,
   * they are 0 wherever read.
   */
  unwrittenOutside?: readonly string[];
  /**
   * Of the struct tags c/armed-callbacks.ts structCandidates lists, those no file of the kernel
   * tree outside the program names (the front end asked): a work item in such a struct is armed
   * only by the program's calls, and a function stored in one is called only by them.
   */
  structsOnlyHere?: readonly string[];
  /**
   * Members some test of the program compares with a constant (c/member-values.ts
   * valueCandidates), asked of the tree: for each, which of the struct tags and typedef names
   * searched for (`tags`: c/member-values.ts namedTags) the files outside that write it name. A
   * member not asked, or of a struct not searched for, may be written outside (unless a `.c`
   * file declares its struct).
   */
  membersWrittenOutside?: { tags: readonly string[]; writers: Readonly<Record<string, readonly string[]>> };
  /** Non-static functions of the program no file outside it names (asked of the tree): the program's calls are all their calls. */
  unnamedOutside?: readonly string[];
  /** Non-static variables of the program no file outside it mentions (c/unwritten-globals.ts). */
  unmentionedGlobals?: readonly string[];
  /** Macros the files test that no other file, Makefile or Kconfig of the kernel tree names (c/tested-macros.ts): defined by no build. */
  undefinedInTree?: readonly string[];
  /** The kernel configuration: a user's .config, and the options the tree's Kconfig files declare (c/kernel-config.ts). */
  config?: KernelConfig;
  /** Integer values the tree's headers the files include give names the program does not define (context/header-constants.ts). */
  headerConstants?: Readonly<Record<string, number>>;
  /** Lock-annotated prototypes in the tree's headers the files include (context/header-constants.ts annotatedHeaderFiles). */
  headerPrototypes?: readonly PrototypeIR[];
  /** Those headers' stubs (context/header-stubs.ts): bodies for the calls the program has none for. */
  headerStubs?: readonly FileFacts[];
  /** The lock-wrapping macros of the headers the files include (context/header-lock-macros.ts): the program's own definition wins. */
  headerMacros?: readonly FileFacts[];
}

/** Cycles the analysis found and did not report, and why (the words after "N cycle(s)"). */
export interface LeftOutCycles {
  count: number;
  why: string;
}

/** `3 cycle(s) through semaphores used as events (...) not reported`. */
export const leftOutReason = (c: LeftOutCycles): string => `${c.count} cycle(s) ${c.why} not reported`;

export interface AnalysisResult {
  json: AnalysisJson;
  graph: OrderGraph;
  cycles: Cycle[];
  /** Every finding of every checker (inversions and recursions included). */
  findings: Finding[];
  /** Lock classes by internal key. */
  locks: Map<string, LockJson>;
  /** Internal key -> the name reports show. */
  names: ReadonlyMap<string, string>;
  /** `analyses`: function bodies walked, generic and specialised (what the summaries cost). */
  stats: { unknownLocks: number; unknownCalls: number; bounded: boolean; analyses: number };
  /** Where each analyzed function is (file, lines), for "the patch touches a function on this chain". */
  functionsAt: ReadonlyMap<string, { file: string; line: number; endLine: number }[]>;
  /**
   * Classes lockdep splits by a key object (`lockdep_set_class`), never validates, or that are
   * initialised through several members: no cycle through one is reported. Kept with a
   * directory's graph, so a join of directories leaves them out too (order/tree-inversions.ts).
   */
  reclassed?: ReadonlySet<string>;
  /**
   * Of those, the classes lockdep never validates (`lockdep_set_novalidate_class(&dev->mutex)`):
   * for every instance, wherever it is taken, so a join of directories drops each directory's
   * own cycles through one too (a split class's cycle inside one directory can still be one class's).
   */
  unvalidated?: ReadonlySet<string>;
  /** Its calls to callees it has no body for, and its non-static functions' acquisitions: for a join of directories (order/stitch-calls.ts). */
  calls: CallsOut;
  /** Cycles found and not reported, by why (folded ones apart: `folded`). */
  leftOut: LeftOutCycles[];
  /**
   * Cycles left out of `cycles` because a sleep-in-atomic finding stands for them
   * (order/sleep-folded.ts): a review that reports no sleep in atomic context reports them.
   */
  folded?: { cycles: Cycle[]; findings: Finding[] };
}

/**
 * The program's files, and the header stubs and lock macros it calls without defining them (one
 * two headers give counts once): the program's own definition always wins.
 */
function withStubs(files: readonly FileFacts[], stubs: readonly FileFacts[], macros: readonly FileFacts[]): FileFacts[] {
  const defined = new Set(files.flatMap((f) => f.functions.map((fn) => fn.name)));
  const out = [...files];
  const add = (from: readonly FileFacts[], macro: boolean): void => {
    for (const f of from) {
      const functions = f.functions.filter((fn) => (fn.isMacro === true) === macro && !defined.has(fn.name));
      for (const fn of functions) defined.add(fn.name);
      if (functions.length) out.push({ ...f, functions });
    }
  };
  add(stubs, false);
  add(macros, true);
  return out;
}

const MAX_SCC_ROUNDS = 8;
/** Rounds after which a cycle's summaries only grow (see widenSummary). */
const WIDEN_AFTER = 4;
/**
 * A member of the cycle being solved, before its first summary: no way out found yet. A cycle's
 * summaries grow from there, round by round, each way out one found by a path that really
 * returns. Read as returning with nothing done instead, `ring_lock()` (which takes the ring
 * mutex, then waits through the cycle) hands its caller no mutex, the caller's unlock then
 * releases *its* caller's, and that invented release feeds itself around the cycle for good.
 */
const NOT_YET_RETURNING: Summary = { ...EMPTY_SUMMARY, exits: [] };
/** Specialised summaries per function, and how deep a specialisation may ask for another. */
const MAX_SPECIALISATIONS = 16;
/**
 * What is known of members as constants (zeroed objects: which members were set since; event
 * codes stored into a command) comes in few shapes per callee, so it gets more room.
 */
const MAX_CONSTANT_MEMBER_SPECIALISATIONS = 64;
const MAX_SPECIAL_DEPTH = 64;

interface Specialised {
  summary: Summary;
  /**
   * Inside a cycle: the round it was computed in, and the cycle's summaries it read. In its round
   * it is reused as it is (as summaries change one by one); in a later one only while none of
   * them has changed.
   */
  round?: number;
  reads?: Reads;
  /** How deep it was computed. */
  depth: number;
  /** A call below it met the depth cap and got the generic summary: it is reused only as deep or deeper. */
  capped: boolean;
}

export function analyzeProgram(given: readonly FileFacts[], options: AnalysisOptions = {}): AnalysisResult {
  const files = options.headerStubs?.length || options.headerMacros?.length ? withStubs(given, options.headerStubs ?? [], options.headerMacros ?? []) : given;
  const program = new Program(files, options.buildDefines, options.directoryDefines, options.outsideStores, options.config, options.undefinedInTree, options.unmentionedGlobals, options.debugDefines);
  program.useModules(options.modules);
  if (options.headerConstants) program.addHeaderConstants(options.headerConstants);
  if (options.headerPrototypes) program.addHeaderPrototypes(options.headerPrototypes);
  const classes = new LockClasses(program);
  const catalogue = buildCatalogue(options.lockFunctions, options.kernelVersion);
  const cycleOptions = options.cycles ?? DEFAULT_CYCLE_OPTIONS;
  const order = lockOrderChecker(cycleOptions, sleepForCallersElsewhere);
  const checkers: Checker[] = [order, ...extraCheckers()];
  const partShape = (id: string, part: unknown): string => checkers.find((c) => c.id === id)?.shape(part) ?? '';
  const graph = buildCallGraph(program, catalogue);

  const summaries = new Map<number, Summary>();
  const results = new Map<number, FunctionResult>();
  const special = new Map<string, Specialised>();
  const specialCount = new Map<string, number>();
  const roundSpecial = new Map<string, Specialised>();
  const roundCount = new Map<string, number>();
  /** The cycle's specialisations asked for in this round: each counts once a round against its cap. */
  const roundServed = new Set<string>();
  const cycleReads = new CycleReads();
  const lastReads = new Map<number, Reads>();
  const pending = new Set<string>();
  /** Specialisations asked for again while being computed, and what they came to the first time. */
  const recursed = new Set<string>();
  const sofar = new Map<string, Summary>();
  const locks = new Map<string, { kind: LockKind | undefined; seenAs: Set<string>; inferred: boolean }>();
  const cappedScc: FunctionEntry[] = [];
  let depth = 0;
  /** Whether a call below the specialisation being computed met the depth cap. */
  let capped = false;
  let analyses = 0;
  let current = new Set<number>();
  /** The round of the cycle being solved. */
  let round = 0;
  /**
   * What a member of the cycle being solved does by itself, its calls into the cycle taking
   * nothing: the ways out a specialisation reached again below itself gives the first time,
   * before it has a summary. Read as holding nothing there instead (`ring_lock()` returning with
   * no lock held), a caller's unlock of that lock releases its own caller's, and the cycle keeps
   * that wrong way out for good.
   */
  const seeds = new Map<number, Summary>();
  let seeding = false;
  const seedOf = (callee: FunctionEntry): Summary => {
    let seed = seeds.get(callee.id);
    if (!seed) {
      seeding = true;
      try {
        seed = analyzeFunction(callee, deps).summary;
      } finally {
        seeding = false;
      }
      analyses++;
      seeds.set(callee.id, seed);
    }
    return seed;
  };

  const noteClass = (ref: ClassRef, kind: LockKind | undefined): void => {
    let l = locks.get(ref.c);
    if (!l) locks.set(ref.c, (l = { kind, seenAs: new Set(), inferred: ref.provenance === 'inferred' || ref.provenance === 'path' }));
    if ((!l.kind || l.kind === 'unknown') && kind) l.kind = kind;
    if (l.seenAs.size < 16) l.seenAs.add(seenAsText(ref.text));
  };
  // A lock's text as reports show it, made once per text: noted at every acquisition on every path.
  const seenAsTexts = new Map<string, string>();
  const seenAsText = (text: string): string => {
    let shown = seenAsTexts.get(text);
    if (shown === undefined) seenAsTexts.set(text, (shown = text.startsWith('&') || text.endsWith('()') ? text : `&${text}`));
    return shown;
  };

  const bodiless = new Set<string>();
  // Handed a function of ours (`dlm_lock(.., my_ast, ..)`): a request that calls back when done, not a lock.
  const asynchronous = new Set<string>();
  const uses: BodilessCall[][] = [];
  for (const e of program.functions) {
    const calls: BodilessCall[] = [];
    for (const ev of callEvents(e.fn.body)) {
      if (ev.indirect || program.hasFunction(ev.callee)) continue;
      bodiless.add(ev.callee);
      calls.push({ callee: ev.callee, args: ev.args.length });
      if (ev.args.some((a) => program.namesFunction(a, e.fn))) asynchronous.add(ev.callee);
    }
    if (calls.length) uses.push(calls);
  }
  const inferred = inferPairs(bodiless, catalogue, (n) => asynchronous.has(n) || program.prototypes.get(n)?.some((p) => p.annotations) === true, (n) => program.hasFunction(n), uses);
  const memberTests = new Map<string, boolean>();
  const testsMemberBelow = (callee: FunctionEntry, member: string): boolean => {
    const key = `${callee.id}:${member}`;
    let t = memberTests.get(key);
    if (t === undefined) memberTests.set(key, (t = memberTestedBelow(callee.id, member, program, graph)));
    return t;
  };
  const globalTests = new Map<string, boolean>();
  const testsGlobalBelow = (callee: FunctionEntry, name: string): boolean => {
    const key = `${callee.id}:${name}`;
    let t = globalTests.get(key);
    if (t === undefined) globalTests.set(key, (t = globalTestedBelow(callee.id, name, program, graph)));
    return t;
  };
  const condParams = forwardedCondParams(program, graph, testsMemberBelow);
  const structsOnlyHere = new Set(options.structsOnlyHere);
  const { joined: fromCallers, tuples: callerTuples } = callerConstants(program, (e) => condParams.get(e.id) ?? e.fn.condParams, new Set(options.calledOnlyByName), structsOnlyHere);
  const moduleSensitive = moduleSensitivity(program, graph);
  const writesThrough = paramWrites(program, graph);
  const readsThrough = paramReads(program, graph);
  const heldCallbacks = new Map<number, (HeldCallback & { via: string })[]>();
  for (const c of HELD_ON_ENTRY_CALLBACKS) {
    for (const { member, entry } of program.storedInto(c.tag, c.members)) {
      let list = heldCallbacks.get(entry.id);
      if (!list) heldCallbacks.set(entry.id, (list = []));
      list.push({ ...c, via: `${c.tag}.${member}` });
    }
  }
  // `WARN_ON(!irqs_disabled())` before anything else, or a call on every path to a function
  // that does so: its callers have irqs off (c/asserted-context.ts).
  const declares = declarationMacro(program, catalogue);
  const asserted = new Map<number, Asserted[]>();
  for (const e of program.functions) {
    const found = assertedContexts(e.fn.body, CONTEXT_QUERIES, declares);
    if (found.length) asserted.set(e.id, found);
  }
  for (const [id, found] of [...asserted, ...assertedThroughCalls(program, catalogue, asserted)]) {
    let list = heldCallbacks.get(id);
    if (!list) heldCallbacks.set(id, (list = []));
    for (const a of found) {
      if (!list.some((c) => 'region' in c && c.region === a.region)) list.push({ tag: '', members: [], region: a.region, via: a.through ? `calls ${a.through}(), which asserts ${a.query}` : `asserts ${a.query}` });
    }
  }
  const registered = registeredCallbacks(program, catalogue);
  // Dead code runs nowhere: its orders and findings are lockdep's never, and its stores set nothing.
  const armed = armedCallbacks(program, catalogue, structsOnlyHere);
  const dead = deadFunctions(program, graph, armed, fromCallers, options.neverCalled ?? [], options.calledOnlyByName ?? []);
  const unset = unsetMembers(program, options.unwrittenOutside ?? [], (e) => !dead.has(e.id));
  const flagMembers = flagSetMembers(program, options.unwrittenOutside ?? [], (e) => !dead.has(e.id));
  const memberValues = memberValueSets(program, memberValueInputs(program, options, (e) => !dead.has(e.id)));
  const queried = heldQueries(program, classes, catalogue, graph);
  const deps: FunctionDeps = {
    program, classes, catalogue, checkers, noteClass, inferred, ...(queried ? { queriedBelow: (e: FunctionEntry) => queried.get(e.id) } : {}), ...(unset.size ? { unsetMembers: unset } : {}), ...(flagMembers.size ? { flagMembers } : {}), ...(memberValues.size ? { memberValues } : {}), created: createdValues(program), condParams: (e) => condParams.get(e.id), testsMemberBelow, testsGlobalBelow, writesThrough: (e) => writesThrough(e.id), readsThrough: (e) => readsThrough(e.id), heldOnEntry: (e) => heldCallbacks.get(e.id), handedItsItem: (e) => ITEM_CALLBACKS.has(registered.get(e.id) ?? ''), moduleSensitive, ...(options.maxRounds ? { maxRounds: options.maxRounds } : {}),
    summaryOf(callee, given, module, held) {
      const inCycle = current.has(callee.id);
      if (inCycle) cycleReads.read(callee.id);
      if (inCycle && seeding) return summaries.get(callee.id) ?? EMPTY_SUMMARY;
      const generic = inCycle ? (summaries.get(callee.id) ?? NOT_YET_RETURNING) : summaries.get(callee.id);
      if (!generic || (!given && !module && !held)) return generic;
      if (depth >= MAX_SPECIAL_DEPTH) {
        capped = true;
        return generic;
      }
      const args = given ?? callee.fn.params.map(() => UNKNOWN_ARG);
      // Inside a cycle, only for constants (`start_timer(0)`) and a caller's module: a
      // specialisation there is redone every round, and what a path merely knows of a value
      // seldom pays for it.
      if (inCycle && !module && !held && !args.some((a) => isWrittenConstant(a) || a.fnptrs)) {
        // A fresh zeroed object, or a constant stored into a member of the object passed
        // (`m->rsp_size = 3; deliver(m)`), is as good as a constant argument; and so is what
        // the path knows of a member the callee tests (`if (!msg->user)`), itself or below it
        // (`if (dhd->wlfc_state)` in the header parse a completion calls).
        const tests = atomKeys(callee.fn.body);
        const keep = (f: { key: string }): boolean => {
          if (isConstantMember(f) || tests.has(f.key)) return true;
          const member = /^\w+->(\w+)$/.exec(f.key)?.[1];
          return member !== undefined && testsMemberBelow(callee, member);
        };
        if (!args.some((a) => a.fields?.some(keep))) return generic;
        if (args.some((a) => a.learnt || a.fields?.some((f) => !keep(f)))) return deps.summaryOf(callee, args.map(keepingMembers(keep)), undefined, held);
      }
      const key = `${specialKey(callee, args)}${module ? `@${module}` : ''}${held ? `+held:${held.join(',')}` : ''}`;
      // Inside the cycle being solved, a specialisation is as good as this round's summaries:
      // it is kept for the round only. One being computed is not asked for again: the recursive
      // call gets what the specialisation has come to so far (nothing, the first time), and it is
      // computed once more with that (see below), not the generic summary, whose other
      // constants' paths this one rules out (`power_on()` -> alloc(.., false) -> ... -> a helper
      // that powers on again).
      // One that met the depth cap deeper than we are now is computed again from here (its
      // calls past the cap fell back to generic summaries).
      const cache = inCycle ? roundSpecial : special;
      const counts = inCycle ? roundCount : specialCount;
      let hit = cache.get(key);
      if (hit?.reads && hit.round !== round && !cycleReads.fresh(hit.reads)) {
        cache.delete(key);
        hit = undefined;
      }
      // A key counts against its callee's cap when first asked for: in the run, or inside a
      // cycle in the round (a later round's reuse of a fresh one counts again, as a recomputation would).
      if (!pending.has(key) && (inCycle ? !roundServed.has(key) : !hit)) {
        // What a path knows of the members of the objects passed makes many keys: past the cap,
        // what it knows of them as constants (fresh zeroed objects, constants stored), then the
        // constants alone still pick the callee's branches (`read_reg(hw, off, true)`).
        const tier = specialTier(args, callee.fn.params.length);
        // Zeroed objects and commands are handed to hub functions (a tree search, a status
        // callback) from everywhere: keyed by them and the constants only, not by what each
        // caller's path learnt of other values.
        // What a path learnt of a plain value (`rc` non-NULL, handed on as the cursor) stays: few
        // values, and the callee's first branch often asks just that.
        if ((tier === 'constant-members' || tier === 'zeroed') && args.some((a) => a.learnt && a.fields)) return deps.summaryOf(callee, args.map(constantMembersAndMasks), module, held);
        // Each caller's module counts apart (a core helper a driver calls with many arguments must not
        // use up its siblings' share): past its cap, the constants alone still count.
        const countKey = `${boolModesOnly(callee, args) ? 'modes' : tier}${module ? `@${module}` : ''}${held ? '+' : ''}${callee.id}`;
        const n = counts.get(countKey) ?? 0;
        if (n >= (tier === 'constant-members' || tier === 'zeroed' ? MAX_CONSTANT_MEMBER_SPECIALISATIONS : MAX_SPECIALISATIONS)) {
          if (module || held) return deps.summaryOf(callee, given);
          if (tier === 'members') {
            const reduced = args.map(args.some(hasConstantMember) ? onlyConstantMembers : withoutMembers);
            // What the path knows of the files' variables and the task (the value after the
            // parameters: `polling = TRUE` before a hub command whose interrupt routine locks `if
            // (!polling)`) stays where nothing of the parameters' members does: its own cap.
            const env = args[callee.fn.params.length];
            if (env?.fields) reduced[callee.fn.params.length] = env;
            return deps.summaryOf(callee, reduced, module, held);
          }
          if (tier === 'environment') return deps.summaryOf(callee, args.map((a, i) => (i === callee.fn.params.length ? withoutMembers(a) : a)), module, held);
          // An event handler called with a dozen event codes, each with what some caller's path
          // learnt of the object: past the cap, the codes written in the calls still pick its cases.
          if (tier === 'constants' && args.some((a) => isWrittenConstant(a) && !a.learnt)) return deps.summaryOf(callee, args.map(onlyWritten), module, held);
          // The functions in an object's pointer members still pick the callee's calls through them (few keys: one per function).
          if (tier === 'constants' && args.some((a) => a.fnptrs)) return deps.summaryOf(callee, args.map(onlyPointers), module, held);
          // Past the constants stored into members (a search key's fields, one per caller), a fresh
          // zeroed object still says which of the callee's mode flags are off (a tree search's
          // `p->search_for_split` on a path just allocated): few shapes, counted apart.
          if (tier === 'constant-members' && args.some((a) => a.fields?.some(isZeroedMember))) return deps.summaryOf(callee, args.map(onlyZeroedMembers), module, held);
          // A bool parameter is a mode of two values (`__write_reg(hw, off, data, true)` from a
          // `_locked` wrapper, past the cap its offsets used up): keyed by the bools written in the
          // call alone, the keys stay few and `if (!locked)` still goes the one way.
          // The completion routine each caller stores into the command it passes makes a key per
          // caller: past their cap, the constants written in the call alone, counted apart, still
          // pick the callee's case (`issue(h, mb, MBX_NOWAIT)` from an interrupt handler, not the
          // polling one that sleeps).
          if (tier === 'written' && args.some(isPlainWritten)) return deps.summaryOf(callee, args.map(onlyPlainWritten), module, held);
          const modes = tier === 'written' || tier === 'plain' || tier === 'constants' ? boolModes(callee, args) : undefined;
          if (modes) return deps.summaryOf(callee, modes, module, held);
          return tier === 'constant-members' || tier === 'zeroed' ? deps.summaryOf(callee, args.map(withoutMembers), module, held) : generic;
        }
        counts.set(countKey, n + 1);
        if (inCycle) roundServed.add(key);
      }
      if (hit && (!hit.capped || hit.depth <= depth)) {
        capped ||= hit.capped;
        if (hit.reads) cycleReads.reuse(hit.reads);
        return hit.summary;
      }
      if (pending.has(key)) {
        recursed.add(key);
        // The first time, no lock taken yet, but the ways out of the function by itself: a
        // callee that returns holding a lock is not read as one that returns holding nothing.
        return sofar.get(key) ?? (inCycle ? { ...EMPTY_SUMMARY, exits: (summaries.get(callee.id) ?? seedOf(callee)).exits } : EMPTY_SUMMARY);
      }
      const at = depth;
      const outerCapped = capped;
      capped = false;
      depth++;
      pending.add(key);
      if (inCycle) cycleReads.begin();
      let read: Reads | undefined;
      try {
        const compute = (): Summary => {
          analyses++;
          return forCallers(analyzeFunction(callee, deps, entryFacts(callee, args, program.constants), args, module, held).summary, checkers);
        };
        let s = compute();
        // Reached again below itself: once more, the recursive call seeing this result.
        if (recursed.delete(key)) {
          sofar.set(key, s);
          s = compute();
          recursed.delete(key);
          sofar.delete(key);
        }
        if (inCycle) read = cycleReads.end();
        cache.set(key, { summary: s, depth: at, capped, ...(read ? { round, reads: read } : {}) });
        return s;
      } finally {
        if (inCycle && !read) cycleReads.end();
        capped ||= outerCapped;
        depth--;
        pending.delete(key);
      }
    },
  };

  for (const comp of graph.components) {
    current = new Set(comp.map((e) => e.id));
    const recursive = comp.length > 1 || (graph.succ[(comp[0] as FunctionEntry).id] ?? []).includes((comp[0] as FunctionEntry).id);
    let converged = !recursive;
    // What the previous cycle kept is of its members only: never asked for again.
    roundSpecial.clear();
    seeds.clear();
    lastReads.clear();
    for (round = 0; round < (recursive ? MAX_SCC_ROUNDS : 1); round++) {
      let changed = false;
      roundServed.clear();
      roundCount.clear();
      for (const entry of comp) {
        // Redone only when a summary it read has changed since: else it would come to the same.
        const last = lastReads.get(entry.id);
        if (last && cycleReads.fresh(last)) continue;
        const given = fromCallers.get(entry.id);
        analyses++;
        if (recursive) cycleReads.begin();
        const result = given ? analyzeFunction(entry, deps, entryFacts(entry, given, program.constants), given) : analyzeFunction(entry, deps);
        if (recursive) lastReads.set(entry.id, cycleReads.end());
        const old = summaries.get(entry.id);
        if (old && round >= WIDEN_AFTER) result.summary = widenSummary(old, result.summary);
        if (!old || summaryShape(old, partShape) !== summaryShape(result.summary, partShape)) {
          changed = true;
          cycleReads.changed(entry.id);
        }
        // Called only with constant combinations: its own orders are those the combinations make.
        const tuples = recursive ? undefined : callerTuples.get(entry.id);
        if (tuples) {
          analyses += tuples.length;
          const parts = tuples.map((t) => analyzeFunction(entry, deps, entryFacts(entry, t, program.constants), t).summary.parts.get(LOCK_ORDER) as OrderPart | undefined);
          result.summary = { ...result.summary, parts: new Map([...result.summary.parts, [LOCK_ORDER, unionOfParts(parts)]]) };
        }
        summaries.set(entry.id, result.summary);
        results.set(entry.id, result);
      }
      if (!changed) {
        converged = true;
        break;
      }
    }
    if (!converged) cappedScc.push(...comp);
    options.onAnalyzed?.(results.size, program.functions.length);
  }
  current = new Set();

  const pairedClasses = new Set<string>();
  // By the class each key counts as in the order graph (a parameter's lock with its object's class).
  for (const r of results.values()) for (const k of r.pairedHere) pairedClasses.add(orderClassOf(k) ?? k);
  const live = dead.size ? new Map([...summaries].filter(([id]) => !dead.has(id))) : summaries;
  const functions = dead.size ? program.functions.filter((e) => !dead.has(e.id)) : program.functions;
  const signalled = signalledLocks(program, functions, graph.callers, live, (k) => locks.get(k)?.kind, registered);
  const unvalidated = unvalidatedClasses(program, classes);
  const queueGates = workqueueGates(program, graph, catalogue, structsOnlyHere, new Set(options.calledOnlyByName));
  const view: ProgramView = {
    program, classes, catalogue, summaries: live, functions, callers: graph.callers,
    kindOf: (key) => locks.get(key)?.kind, pairedClasses, countingSemaphores: countingSemaphores(program, classes),
    signalledLocks: signalled.events, tokenCallbacks: signalled.tokens, reclassed: reclassedClasses(program, classes, unvalidated),
    ...(options.calledOutside?.length ? { calledOutside: new Set(options.calledOutside) } : {}),
    ...(options.calledOnlyByName?.length ? { calledOnlyByName: new Set(options.calledOnlyByName) } : {}),
    ...(queueGates ? { workqueueGates: queueGates } : {}),
  };
  const orderResult: OrderResult = order.order(view);
  const found = checkers.flatMap((c) => c.findings(view));
  const { cycles, folded, findings, foldedFindings } = foldSleepingOrders(orderResult.cycles, found);

  const skipped: SkippedJson[] = [];
  let unknownLocks = 0;
  let unknownCalls = 0;
  for (const f of files) for (const s of f.skipped) skipped.push({ file: f.path, line: s.line, reason: s.reason });
  for (const entry of program.functions) {
    const r = results.get(entry.id);
    if (!r) continue;
    unknownLocks += r.unknownLocks.length;
    unknownCalls += r.unknownCalls;
    // Reported, not hidden: a lock the analysis could not name is a hole in the evidence.
    for (const u of r.unknownLocks) skipped.push({ file: entry.file, line: u.line, reason: `${u.callee}() in ${entry.fn.name}(): the lock argument is not an expression lockscope can follow; this lock is left out` });
    for (const u of r.unresolved) skipped.push({ file: entry.file, line: u.line, reason: `call through ${u.via} in ${entry.fn.name}() not followed: ${u.reason}` });
    for (const c of r.capped) skipped.push({ file: entry.file, line: entry.fn.line, reason: `${c === 'loop' ? 'a loop' : 'the goto labels'} in ${entry.fn.name}() did not settle in ${options.maxRounds ?? MAX_ROUNDS} rounds; the analysis of it may be incomplete` });
  }
  for (const id of dead) {
    const e = program.functions[id] as FunctionEntry;
    const uncalled = !e.fn.isStatic && !graph.callers.get(e.id)?.some((c) => c.caller.id !== e.id);
    const why = armed.handlers.has(id) && !graph.callers.get(id)?.length
      ? 'only dead code queues or arms the work, timer or tasklet it is registered on (or nothing does)'
      : uncalled ? 'nothing in the tree calls, stores or exports it' : 'only dead code calls it (a function that runs nowhere, or a branch the build or every caller leaves out)';
    skipped.push({ file: e.file, line: e.fn.line, reason: `${e.fn.name}() runs nowhere: ${why}; its locks are left out` });
  }
  for (const e of cappedScc) skipped.push({ file: e.file, line: e.fn.line, reason: `${e.fn.name}() is in a recursive cycle of calls that did not settle in ${MAX_SCC_ROUNDS} rounds; its summary may be incomplete` });
  for (const n of program.notes) skipped.push({ ...n });
  if (orderResult.bounded) skipped.push({ file: '', line: 0, reason: `cycle enumeration bounded (at most ${cycleOptions.maxCycles} cycles of at most ${cycleOptions.maxLength} locks)` });
  // Cycles found and not reported, by why: said here, and summed over a tree's directories.
  const semaphores: LeftOutCycles = { count: orderResult.excluded.semaphore, why: 'through semaphores used as events (never taken and released in one function)' };
  const leftOut: LeftOutCycles[] = [
    { count: orderResult.excluded.reclassed, why: 'through locks split by lockdep_set_class(), keyed by an object, never validated (lockdep_set_novalidate_class()) or initialised through several members with the one reached unknown,' },
    { count: orderResult.excluded.bootUnwind, why: 'through an order made only while a failed __init function unwinds (the subsystem never came up: nothing takes the locks the other way round afterwards)' },
    { count: orderResult.excluded.configurations, why: 'whose orders exist only in builds that exclude each other (#ifdef X / #ifndef X)' },
    { count: orderResult.gated, why: 'whose edges are made under one lock held in modes that exclude each other (a gate lock, or a workqueue one destroyed before it and whose work alone makes the other)' },
    semaphores,
  ].filter((c) => c.count > 0);
  for (const c of leftOut) if (c !== semaphores) skipped.push({ file: '', line: 0, reason: leftOutReason(c) });
  if (folded.length) skipped.push({ file: '', line: 0, reason: FOLDED_REASON(folded.length) });
  if (semaphores.count) skipped.push({ file: '', line: 0, reason: leftOutReason(semaphores) });

  const lockTable = new Map<string, LockJson>();
  for (const [key, l] of [...locks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const j: LockJson = { name: key, kind: l.kind ?? 'unknown', seenAs: [...l.seenAs].sort() };
    if (l.inferred) j.inferred = true;
    lockTable.set(key, j);
  }
  const names = classNames([...lockTable.keys(), ...orderResult.graph.nodes(), ...findings.flatMap((f) => f.locks)]);

  for (const [key, j] of lockTable) j.name = names.get(key) ?? key;
  const safeOrders = files.flatMap((f) => (f.suppressions ?? []).map((s) => ({ ...s, file: f.path })));
  for (const o of applySafeOrders(safeOrders, findings, cycles, names)) {
    skipped.push({ file: o.file, line: o.line, reason: `lockscope: safe-order ${o.from} -> ${o.to} matches no order lockscope sees (a lock renamed? the order gone?)` });
  }

  const functionsAt = new Map<string, { file: string; line: number; endLine: number }[]>();
  for (const e of program.functions) {
    const list = functionsAt.get(e.fn.name) ?? [];
    list.push({ file: e.file, line: e.fn.line, endLine: e.fn.endLine });
    functionsAt.set(e.fn.name, list);
  }
  const json = analysisJson({ files: files.length, functions: program.functions.length, locks: lockTable, graph: orderResult.graph, cycles, findings, skipped, names });
  return {
    json, graph: orderResult.graph, cycles, findings, locks: lockTable, names,
    stats: { unknownLocks, unknownCalls, bounded: orderResult.bounded, analyses }, functionsAt, reclassed: view.reclassed, ...(unvalidated.size ? { unvalidated } : {}), calls: orderResult.calls, leftOut,
    ...(folded.length ? { folded: { cycles: folded, findings: foldedFindings } } : {}),
  };
}

/**
 * The functions of `neverCalled` no caller in the program reaches, and the static functions not
 * named as values and those of `calledOnlyByName` whose every call is dead: made by a dead
 * function, or in a branch of an `#if` the build decides against (`#ifndef WLP2P` with the
 * Makefile passing `-DWLP2P`). Their ids. One of `calledOnlyByName` with no call at all is
 * kept: its calls went to another definition.
 */
function deadFunctions(program: Program, graph: CallGraph, armed: ArmedCallbacks, fromCallers: ReadonlyMap<number, readonly ArgValue[]>, neverCalled: readonly string[], calledOnlyByName: readonly string[]): Set<number> {
  const dead = new Set<number>();
  const names = new Set(neverCalled);
  const byName = new Set(calledOnlyByName);
  for (const e of program.functions) if (names.has(e.fn.name) && !e.fn.isStatic && !graph.callers.has(e.id)) dead.add(e.id);
  const valued = new Set(program.files.flatMap((f) => (f.valueFunctions ?? []).map((n) => `${f.path}\0${n}`)));
  // Stored only in a static table nothing names: called only where the program shows it, if at all.
  // (Not in a file another includes: one translation unit with it, which may name the table.)
  const includedFiles = new Set(program.files.flatMap((f) => f.includesC ?? []));
  const inUnusedTable = new Set(program.files.filter((f) => !includedFiles.has(f.path)).flatMap((f) => (f.unusedTableFunctions ?? []).map((n) => `${f.path}\0${n}`)));
  for (const e of program.functions) if (e.fn.isStatic && inUnusedTable.has(`${e.file}\0${e.fn.name}`) && !graph.callers.has(e.id)) dead.add(e.id);
  const liveLines = new Map<number, Set<number>>();
  const liveCall = (c: { caller: FunctionEntry; line: number }): boolean => {
    let lines = liveLines.get(c.caller.id);
    if (!lines) {
      const { file, fn } = c.caller;
      // What every caller passes for a parameter the function never reassigns (locks/caller-constants.ts).
      const given = fromCallers.get(c.caller.id);
      const reassigned = given ? reassignedRoots(fn.body) : undefined;
      const params = given ? (name: string): number | undefined => {
        const i = fn.params.findIndex((p) => p.name === name);
        return i < 0 || reassigned?.has(name) ? undefined : given[i]?.mask;
      } : undefined;
      lines = liveCallLines(fn.body, (key) => program.configHolds(key, file, fn.line), params);
      liveLines.set(c.caller.id, lines);
    }
    return lines.has(c.line);
  };
  for (let grew = true; grew; ) {
    grew = false;
    // A work, timer or tasklet function whose items only dead code arms (c/armed-callbacks.ts).
    for (const [id, items] of armed.handlers) {
      if (dead.has(id) || graph.callers.get(id)?.some((c) => !dead.has(c.caller.id))) continue;
      if (items.every((item) => (armed.arming.get(item) ?? []).every((c) => dead.has(c.caller.id) || !liveCall(c)))) {
        dead.add(id);
        grew = true;
      }
    }
    for (const e of program.functions) {
      if (dead.has(e.id) || (e.fn.isStatic ? valued.has(`${e.file}\0${e.fn.name}`) : !byName.has(e.fn.name))) continue;
      // The graph keeps 64 callers of a function: one with more may have a live one past them.
      const all = graph.callers.get(e.id);
      if (!all || all.length >= MAX_CALLERS_KEPT) continue;
      // Its own recursive calls keep nothing alive (`__clk_set_cansleep` walking the children).
      const callers = all.filter((c) => c.caller.id !== e.id);
      if (callers.length && callers.every((c) => dead.has(c.caller.id) || !liveCall(c))) {
        dead.add(e.id);
        grew = true;
      }
    }
  }
  return dead;
}

/**
 * Which cap a specialisation counts against: one on what is known of members, one on what is
 * known of the environment (the value after the `params` parameters) besides members known as
 * constants, one on members known as constants, one on which members of zeroed memory are still
 * 0, one on constants, one on the constants written in the call beside the functions the objects
 * passed point at (`written`), one on those constants alone (`plain`).
 */
function specialTier(args: readonly ArgValue[], params: number): 'members' | 'environment' | 'constant-members' | 'zeroed' | 'constants' | 'written' | 'plain' | 'pointers' {
  const fields = args.flatMap((a) => a.fields ?? []);
  if (args.every((a) => a.mask === ANY && !a.flags && !a.fields && a.lit === undefined)) return 'pointers';
  if (fields.length === 0) return args.every((a) => a.mask === ANY || (isWrittenConstant(a) && !a.learnt)) ? (args.some((a) => a.fnptrs) ? 'written' : 'plain') : 'constants';
  if (fields.every(isZeroedMember)) return 'zeroed';
  if (fields.every(isConstantMember)) return 'constant-members';
  return args.every((a, i) => i === params || !a.fields || a.fields.every(isConstantMember)) ? 'environment' : 'members';
}

const isBoolParam = (callee: FunctionEntry, i: number): boolean => {
  const t = callee.fn.params[i]?.type;
  return t !== undefined && !t.ptr && (t.name === 'bool' || t.name === '_Bool');
};
const isUnknownArg = (a: ArgValue): boolean => a.mask === ANY && !a.flags && !a.fields && !a.fnptrs && a.lit === undefined;
const isBoolMode = (callee: FunctionEntry, a: ArgValue, i: number): boolean => isBoolParam(callee, i) && isWrittenConstant(a) && !a.learnt && !a.fields;

/** Args that say nothing but the constants written for bool parameters, one at least (their specialisations count apart). */
function boolModesOnly(callee: FunctionEntry, args: readonly ArgValue[]): boolean {
  return args.some((a, i) => isBoolMode(callee, a, i)) && args.every((a, i) => isBoolMode(callee, a, i) || isUnknownArg(a));
}

/** `args` with only the constants written for bool parameters; undefined where there is none, or nothing else to leave out. */
function boolModes(callee: FunctionEntry, args: readonly ArgValue[]): ArgValue[] | undefined {
  if (boolModesOnly(callee, args) || !args.some((a, i) => isBoolMode(callee, a, i))) return undefined;
  return args.map((a, i) => (isBoolMode(callee, a, i) ? a : UNKNOWN_ARG));
}

const isPlainWritten = (a: ArgValue): boolean => isWrittenConstant(a) && !a.learnt && !a.fields && !a.fnptrs;
/** Only the constants written in the call, without the functions the objects passed point at. */
const onlyPlainWritten = (a: ArgValue): ArgValue => (isPlainWritten(a) ? a : UNKNOWN_ARG);

/** Only the constants written in the call (`intf_event(ctl, EVENT_CLK_CTRL, (void *)1)`), not what the path learnt of other values. */
const onlyWritten = (a: ArgValue): ArgValue => (isWrittenConstant(a) && !a.learnt && !a.fields ? a : a.fnptrs ? { mask: ANY, fnptrs: a.fnptrs } : UNKNOWN_ARG);

/** A parameter the call says nothing of: what a specialisation on the caller's module alone passes. */
const UNKNOWN_ARG: ArgValue = { mask: ANY };

/** What is known of a member as a constant: zeroed memory, or a constant stored into it (`m->len := 3`). */
const isConstantMember = (f: { key: string }): boolean => f.key.includes(ZEROED) || f.key.includes(HOLDS);
const isZeroedMember = (f: { key: string }): boolean => f.key.includes(ZEROED);
const hasConstantMember = (a: ArgValue): boolean => a.fields?.some(isConstantMember) === true;

/**
 * An argument with only its constants and what is known of the members `keep` keeps: what a
 * path learnt of other values (`trans` non-NULL) multiplies the keys of a hub function.
 */
const keepingMembers = (keep: (f: { key: string }) => boolean) => (a: ArgValue): ArgValue => {
  const fields = a.fields?.filter(keep) ?? [];
  const base = a.learnt ? { mask: ANY, ...(a.fnptrs ? { fnptrs: a.fnptrs } : {}) } : withoutMembers(a);
  return fields.length ? { ...base, fields } : base;
};
/** Only what is known of the object's members as constants. */
const onlyConstantMembers = keepingMembers(isConstantMember);
/** Only what is known of the objects' members as constants, and what was learnt of plain values. */
const constantMembersAndMasks = (a: ArgValue): ArgValue => (a.fields ? onlyConstantMembers(a) : a);
/** Only which members of a fresh zeroed object are still 0. */
const onlyZeroedMembers = keepingMembers(isZeroedMember);

/** Only the functions in the object's pointer members. */
const onlyPointers = (a: ArgValue): ArgValue => (a.fnptrs ? { mask: ANY, fnptrs: a.fnptrs } : { mask: ANY });

const withoutMembers = (a: ArgValue): ArgValue =>
  a.fields ? { mask: a.mask, ...(a.flags ? { flags: a.flags } : {}), ...(a.atLeast ? { atLeast: a.atLeast } : {}), ...(a.within ? { within: a.within } : {}), ...(a.lit !== undefined ? { lit: a.lit } : {}), ...(a.fnptrs ? { fnptrs: a.fnptrs } : {}) } : a;

/** A specialised summary as callers need it: each checker's part without what only the program view reads. */
function forCallers(s: Summary, checkers: readonly Checker[]): Summary {
  let parts: Map<string, unknown> | undefined;
  for (const c of checkers) {
    const part = s.parts.get(c.id);
    if (part === undefined || !c.forCallers) continue;
    (parts ??= new Map(s.parts)).set(c.id, c.forCallers(part));
  }
  return parts ? { ...s, parts } : s;
}

/** A specialised summary's key: the callee and what the call passes. */
const specialKey = (callee: FunctionEntry, args: readonly ArgValue[]): string =>
  `${callee.id}:${args.map((a) => `${a.mask}${a.flags ? `[${a.flags.join('|')}${a.atLeast ? '|..' : ''}]` : ''}${a.within ? a.within.map((m) => `&${m.join('|')}`).join('') : ''}${a.fields ? `{${a.fields.map((f) => `${f.key}=${f.mask}`).join(';')}}` : ''}${a.lit !== undefined ? `=${a.lit}` : ''}${a.oneOf ? `=(${a.oneOf.join('|')})` : ''}${a.fnptrs ? `<${a.fnptrs.join(';')}>` : ''}`).join(',')}`;

/**
 * What a specialised analysis starts from: the parameters' values the caller passes, and for a
 * flag set, every `param & FLAG` test the callee makes (flags are distinct bits: the test is
 * true exactly when FLAG is in the set).
 */
function entryFacts(callee: FunctionEntry, args: readonly ArgValue[], constants: ConstantNames): Facts {
  let facts = NO_FACTS;
  // After the parameters' values, what the caller knows of the running task's members and of
  // the variables of the files (`polling`, `polling:=1`: read as the variable, as the caller's are).
  for (const f of args[callee.fn.params.length]?.fields ?? []) {
    const task = f.key.startsWith(`${TASK}->`);
    facts = withFact(facts, { key: f.key, mask: f.mask, reads: [task ? TASK : (/^\w+/.exec(f.key)?.[0] as string)], memory: task });
  }
  const tests = atomKeys(callee.fn.body);
  // The callee's own variables are no constants, even named like an enumerator elsewhere.
  const names: ConstantNames = { value: (n) => (Object.hasOwn(callee.fn.vars, n) ? undefined : constants.value(n)) };
  callee.fn.params.forEach((p, i) => {
    const a = args[i];
    if (!a) return;
    if (a.mask !== ANY) facts = withFact(facts, { key: p.name, mask: a.mask, reads: [p.name], memory: false });
    for (const f of a.fields ?? []) facts = withFact(facts, { key: f.key, mask: f.mask, reads: [p.name], memory: true });
    // A constant the caller passes decides `p == LABEL` (a switch case, an if) and `p < 8`:
    // equal to the same constant, unequal to another upper-case name, ordered against a number.
    // The constant itself, for a store of it (`cmd.command = event`) a callee tests.
    if (a.lit !== undefined) facts = withFact(facts, { key: `${p.name}${HOLDS}${a.lit}`, mask: P, reads: [p.name], memory: false });
    // One of several numbers (`1029 + base`): the comparisons every one of them decides alike.
    // A flag set of known values written whole (`PH_DATA | REQUEST`) is the number it makes.
    const whole = a.flags && !a.atLeast && !a.within ? valueOf(a.flags.join('|'), names) : undefined;
    const values = a.lit !== undefined ? [a.lit] : a.oneOf?.map(String) ?? (whole !== undefined ? [String(whole)] : undefined);
    for (const key of values ? tests : []) {
      const sides = comparisonSides(key);
      if (!sides || !sides.includes(p.name)) continue;
      // The atom is the sign of sides[0] - sides[1].
      const signs = (values as string[]).map((v) => (sides[0] === p.name ? constantSigns(v, sides[1], names) : constantSigns(sides[0], v, names)));
      if (signs[0] !== undefined && signs.every((x) => x === signs[0])) facts = withFact(facts, { key, mask: signs[0], reads: [p.name], memory: false });
    }
    if (!a.flags) return;

    const flags = a.flags;
    const within = a.within ?? [];
    for (const key of tests) {
      // The bits by name: upper-case (`XFS_ILOCK_EXCL`) or prefixed (`lbmSYNC`), as the call's flag set names them.
      const m = new RegExp(`^\\(?${p.name}&\\(?([A-Za-z_][A-Za-z0-9_|]*)\\)?\\)?$`).exec(key);
      // Only constants: `flag & mask` with a variable mask says nothing of the set.
      if (!m || !(m[1] as string).split('|').every((bit) => isFlagName(bit, names))) continue;
      // Set where the value holds a tested bit, clear where it holds none; else not known. It
      // holds a bit that one passed name holds and every mask on the way lets through (a mask is
      // a composite: another name may still hold the bit).
      const answers = (m[1] as string).split('|').map((bit) => allOf([anyOf(flags, bit), ...within.map((names) => (anyOf(names, bit) ? true : undefined))]));
      if (answers.includes(true)) facts = withFact(facts, { key, mask: P | N, reads: [p.name], memory: false });
      // Bits held among others not known (`flags | NO_LOCKING`): no other bit is known clear.
      else if (!answers.includes(undefined) && !a.atLeast) facts = withFact(facts, { key, mask: Z, reads: [p.name], memory: false });
    }
  });
  return facts;
}

/** Does one of these flag names hold `bit`: yes, no, or not known. */
function anyOf(names: readonly string[], bit: string): boolean | undefined {
  const answers = names.map((n) => flagContains(n, bit));
  return answers.includes(true) ? true : answers.includes(undefined) ? undefined : false;
}

/** Three-valued and: false if any is false, true if all are true. */
const allOf = (answers: readonly (boolean | undefined)[]): boolean | undefined =>
  answers.includes(false) ? false : answers.includes(undefined) ? undefined : true;


/**
 * The parameters a specialised summary is worth having for: those a function tests, and those
 * it passes on unchanged to a callee that (transitively) tests them (`outer(x, 1)` calling
 * `inner(x, flag)`), computed callees first.
 */
function forwardedCondParams(program: Program, graph: CallGraph, testsMemberBelow: (e: FunctionEntry, member: string) => boolean): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const tableMembers = tablePointerMembers(program);
  for (const comp of graph.components) {
    const stored = new Map(comp.map((e) => [e.id, storedToTestedMembers(e, testsMemberBelow, graph, tableMembers)]));
    // Inside a cycle, until nothing grows: a parameter forwarded through six members needs as
    // many rounds as the order of the members makes it.
    for (let changed = true; changed; ) {
      changed = false;
      for (const e of comp) {
        const mine = new Set(e.fn.condParams ?? []);
        const names = e.fn.params.map((p) => p.name);
        for (const p of stored.get(e.id) ?? []) mine.add(names.indexOf(p));
        for (const ev of callEvents(e.fn.body)) {
          // A call through a member of a parameter's object (`wc->process_func(..)`): the caller's
          // own local object may say which function it is.
          const object = ev.indirect?.object;
          if (object && object.fields.length === 0 && !object.rootCall && !object.cast) {
            const p = names.indexOf(object.root);
            if (p >= 0) mine.add(p);
          }
          // Through an ops table a member of a parameter's object points to (`le->ops->add(..)`):
          // the caller's path may say which table (`le->ops = &revoke_ops` before the call).
          if (object && object.fields.length === 1 && !object.rootCall && !object.cast && names.includes(object.root) && spansTables(program, ev, e)) mine.add(names.indexOf(object.root));
          // A call through a callback parameter (`cb(m)`): the caller says which function it is.
          if (ev.indirect && !object && names.includes(ev.indirect.member)) mine.add(names.indexOf(ev.indirect.member));
          // Through a pointer (`pmu->event_init(event)`), what any function it may reach wants.
          const callees = ev.indirect ? (program.pointerTargets(ev.indirect.object, ev.indirect.member, e.fn, e.file, ev.args, ev.indirect.dot)?.targets ?? []) : [program.resolveCallee(ev.callee, e.file)];
          for (const callee of callees) {
            const wanted = callee ? out.get(callee.id) : undefined;
            if (!wanted) continue;
            for (const i of wanted) {
              const a = ev.args[i];
              const masked = ev.masked?.[i];
              const negated = ev.negated?.[i];
              const p = masked ? names.indexOf(masked.root) : negated !== undefined ? names.indexOf(negated) : a && a.fields.length === 0 && !a.rootCall && !a.text.startsWith('&') ? names.indexOf(a.root) : -1;
              if (p >= 0) mine.add(p);
            }
          }
        }
        if (mine.size > (out.get(e.id)?.length ?? 0)) {
          out.set(e.id, [...mine].sort((x, y) => x - y));
          changed = true;
        }
      }
    }
  }
  return out;
}

const spanning = new WeakMap<Program, WeakMap<CallEvent, boolean>>();

/**
 * A call through a pointer whose targets are stored in more than one ops table: knowing the
 * table picks among them. Once per call (asked again by every round of a cycle's forwarding).
 */
function spansTables(program: Program, ev: CallEvent, e: FunctionEntry): boolean {
  let byCall = spanning.get(program);
  if (!byCall) spanning.set(program, (byCall = new WeakMap()));
  let spans = byCall.get(ev);
  if (spans === undefined) {
    const tables = new Set<string>();
    const targets = ev.indirect ? (program.pointerTargets(ev.indirect.object, ev.indirect.member, e.fn, e.file, undefined, ev.indirect.dot)?.targets ?? []) : [];
    for (const t of targets) for (const v of program.tablesOf(t.fn.name) ?? []) if (program.isOpsTable(v)) tables.add(v);
    byCall.set(ev, (spans = tables.size > 1));
  }
  return spans;
}

/**
 * Parameters stored into a member that the function, or one it calls a few calls down, tests
 * (`out->nmi = nmi; finish(out);` with finish testing `out->nmi`): a caller's constant for
 * them decides that test as if it were passed down.
 */
function storedToTestedMembers(e: FunctionEntry, testsMemberBelow: (e: FunctionEntry, member: string) => boolean, graph: CallGraph, tableMembers: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const isParam = (name: string): boolean => e.fn.params.some((p) => p.name === name);
  opsOf(e.fn.body, (o) => {
    if (o.k !== 'set' || o.from === undefined || !isParam(o.from) || out.includes(o.from)) return;
    const member = /(?:->|\.)(\w+)$/.exec(o.target)?.[1];
    if (!member) return;
    if (testsMemberBelow(e, member)) out.push(o.from);
    // Stored into the object another parameter points to (`fill_hdr(&h, .., type)` setting
    // `h->type = type`): the caller has it back, and may hand it to a function that tests it.
    else if (isParam(/^(\w+)->/.exec(o.target)?.[1] ?? '') && (graph.callers.get(e.id) ?? []).some((c) => c.caller.id !== e.id && testsMemberBelow(c.caller, member))) out.push(o.from);
    // An ops table stored into the object another parameter points to (`init_le(le, ops)`
    // setting `le->ops = ops`): the caller has it back, for its calls through that table.
    else if (tableMembers.has(member) && isParam(/^(\w+)->/.exec(o.target)?.[1] ?? '')) out.push(o.from);
  });
  return out;
}

/** Members that point to an ops table some call goes through (`le->ops->add(..)`: ops), its targets in several tables. */
function tablePointerMembers(program: Program): Set<string> {
  const out = new Set<string>();
  for (const e of program.functions) {
    for (const ev of callEvents(e.fn.body)) {
      const object = ev.indirect?.object;
      const member = object && !object.rootCall && !object.cast ? object.fields[object.fields.length - 1] : undefined;
      if (member !== undefined && !out.has(member) && spansTables(program, ev, e)) out.add(member);
    }
  }
  return out;
}

const STORED_MEMBER_DEPTH = 4;

function memberTestedBelow(from: number, member: string, program: Program, graph: CallGraph): boolean {
  return testedBelow(from, program, graph, (fn) => {
    for (const key of atomKeys(fn.body)) if (mentionsMember(key, member)) return true;
    return (fn.testedMemberCopies ?? []).some((copied) => mentionsMember(copied, member));
  });
}

/** Does the function, or one a few calls below it, test the variable `name` (not a local of its own of that name)? */
function globalTestedBelow(from: number, name: string, program: Program, graph: CallGraph): boolean {
  const word = new RegExp(`(?<![\\w>.])${name}(?!\\w)`);
  return testedBelow(from, program, graph, (fn) => {
    if (name in fn.vars) return false;
    for (const key of atomKeys(fn.body)) if (word.test(key)) return true;
    return false;
  });
}

/** Does `tests` hold of the function or of one at most STORED_MEMBER_DEPTH calls below it? */
function testedBelow(from: number, program: Program, graph: CallGraph, tests: (fn: FunctionIR) => boolean): boolean {
  const seen = new Set([from]);
  let frontier = [from];
  for (let d = 0; d <= STORED_MEMBER_DEPTH && frontier.length; d++) {
    const next: number[] = [];
    for (const id of frontier) {
      if (tests((program.functions[id] as FunctionEntry).fn)) return true;
      for (const s of graph.succ[id] ?? []) {
        if (seen.has(s)) continue;
        seen.add(s);
        next.push(s);
      }
    }
    frontier = next;
  }
  return false;
}

/**
 * Semaphores initialised with a count above 1 or a variable one (`sema_init(&s, slots)`):
 * counters, never locks, however a function downs and ups them. A count of 0 is a lock created
 * held (xfs's buffer lock) as often as a completion, so it decides nothing.
 */
function countingSemaphores(program: Program, classes: LockClasses): Set<string> {
  return firstArgumentClasses(program, classes, (ev) => ev.callee === 'sema_init' && ev.lits?.[1] !== '1' && ev.lits?.[1] !== '0' && ev.consts?.[1] !== Z);
}

/**
 * Semaphores a callback ups on a way out and never downs, and mutexes it releases (by direct
 * calls) on a way it did not take them and never waits for (below): a static function nothing
 * in the program calls (directly or through a pointer), handed to a call that registers it (`setup_timer(&t, fn, 0)`, `INIT_WORK(&w, fn)`, `request_irq(irq, fn, ..)`,
 * `kthread_create(fn, ..)`): the kernel runs it in a context of its own, waking a waiter
 * elsewhere (`sema_init(&s, 0)` then `down(&s)` to wait), or ending an operation another task
 * began (a mutex taken when a command goes to the firmware and held past the return, released by
 * the thread that receives the firmware's answer). No holder releases them there, so they are
 * events, even where one path goes through a callee that waits and then one that signals; for a
 * mutex, lockdep stops at that release ("bad unlock balance") and records nothing after. Not so
 * an ops table's `.release` upping what its `.open` downed (a device held open), nor a
 * non-static function, which code outside the analysed files may call, as an unlock wrapper is.
 */
function signalledLocks(
  program: Program,
  functions: readonly FunctionEntry[],
  callers: ReadonlyMap<number, readonly unknown[]>,
  summaries: ReadonlyMap<number, Summary>,
  kindOf: (key: string) => LockKind | undefined,
  registered: ReadonlyMap<number, string>,
): { events: Set<string>; tokens: Map<string, number[]> } {
  const events = new Set<string>();
  const tokens = new Map<string, number[]>();
  for (const e of functions) {
    if (!e.fn.isStatic || e.fn.isMacro || callers.get(e.id)?.length || !program.isPassed(e.fn.name)) continue;
    const s = summaries.get(e.id);
    if (!s) continue;
    // A semaphore or mutex it also takes somewhere (`down_timeout` failing on one path) is a
    // lock it releases.
    const downed = new Set([...s.acquires.values()].map((a) => orderClassOf(a.key) ?? a.key));
    for (const x of s.exits) {
      for (const k of x.gone) {
        const c = orderClassOf(k) ?? k;
        if ((s.releasedKinds?.get(k) ?? kindOf(k)) === 'semaphore' && !downed.has(c)) events.add(c);
      }
    }
    // A mutex one the kernel runs in a task of its own (registered by a catalogue call: not a
    // callback an iterator or a notifier chain calls from its caller's task, which may hold it)
    // releases by direct calls and never waits for is another task's (checkers/unlock-imbalance.ts).
    // A trylock takes nothing it waits for (a restart path testing whether the token is out).
    if (!registered.has(e.id)) continue;
    const locked = new Set([...s.acquires.values()].filter((a) => !a.tryLock).map((a) => orderClassOf(a.key) ?? a.key));
    for (const r of directReleases(s)) {
      const c = orderClassOf(r.key) ?? r.key;
      if (kindOf(c) !== 'mutex' || locked.has(c)) continue;
      events.add(c);
      tokens.set(c, [...(tokens.get(c) ?? []), e.id]);
    }
  }
  return { events, tokens };
}

/** What the kernel runs a callback for, handing it that item first: a work, a timer, a tasklet, an rcu head, a NAPI context, a URB. */
const ITEM_CALLBACKS = new Set(['work', 'timer', 'tasklet', 'rcu', 'napi', 'urb']);

/** Functions the program registers by a catalogue call (`INIT_WORK(&w, fn)`, `kthread_run(fn, ..)`), with what for. */
function registeredCallbacks(program: Program, catalogue: Catalogue): Map<number, string> {
  const out = new Map<number, string>();
  for (const { effect, target } of registrations(program.functions, program, catalogue)) if (!out.has(target.id)) out.set(target.id, effect.what);
  return out;
}

/**
 * Classes some `lockdep_set_class*(&x->lock, ...)` call gives instances of another class, and
 * the socket locks `sock_lock_init_class_and_name(sk, ..)` (net/sock.h's lockdep_set_class of
 * `sk->sk_lock.slock` and init of `sk->sk_lock`'s map) gives a family's sockets a class per
 * protocol (per address family, in sock_lock_init()).
 */
function reclassedClasses(program: Program, classes: LockClasses, unvalidated: ReadonlySet<string>): Set<string> {
  // lockdep_set_novalidate_class(): lockdep validates nothing of the lock.
  const out = firstArgumentClasses(program, classes, (ev) => /^lockdep_set_class|^lockdep_set_subclass$/.test(ev.callee));
  for (const c of unvalidated) out.add(c);
  // `__mutex_init(&s->mutex, name, &oclass->lock_class_key)`: a class per key object (or per
  // key a caller hands in, or a pointer read from an object: sysfs's `lockdep_init_map(&sd->dep_map,
  // "s_active", attr->key ?: &attr->skey, 0)`, one per attribute), not one per init site. Only the
  // address of one object (`&jbd2_handle_key`) keys one class.
  const keyed = (ev: CallEvent, e: FunctionEntry): boolean => {
    const key = ev.args[2];
    if (!key) return ev.callee === 'lockdep_init_map';
    return key.fields.length > 0 || !!key.rootCall || e.fn.params.some((p) => p.name === key.root) || !key.text.startsWith('&') || key.text.includes('[');
  };
  for (const c of firstArgumentClasses(program, classes, (ev, e) => KEYED_INITS.test(ev.callee) && keyed(ev, e))) out.add(c);
  // It keys both of the socket's locks: the owner (`sk_lock`) and its spinlock (`sk_lock.slock`, bh_lock_sock()).
  for (const member of ['sk_lock', 'sk_lock.slock']) for (const c of firstArgumentClasses(program, classes, (ev) => ev.callee === 'sock_lock_init_class_and_name', member)) out.add(c);
  // Initialised only through several holders (`&t->hash[i].lock`, `&t->hash2[i].lock`): a lock
  // reached another way is of one of those classes, which one unknown (holder-inits.ts).
  for (const c of classes.splitAtEverySite()) out.add(c);
  return out;
}

/** The classes `lockdep_set_novalidate_class()` exempts from validation: every instance of each. */
const unvalidatedClasses = (program: Program, classes: LockClasses): Set<string> =>
  firstArgumentClasses(program, classes, (ev) => ev.callee === 'lockdep_set_novalidate_class');

/** Lock initialisers that take the lockdep key to class the lock by, third. */
const KEYED_INITS = /^(?:__(?:mutex_init|spin_lock_init|raw_spin_lock_init|init_rwsem|rwlock_init)|lockdep_init_map)$/;

/** The lock classes of the first argument of the calls `pick` chooses (`sema_init(&s, n)`), or of its `member` (a path: `sk_lock.slock`). */
function firstArgumentClasses(program: Program, classes: LockClasses, pick: (ev: CallEvent, e: FunctionEntry) => boolean, member?: string): Set<string> {
  const out = new Set<string>();
  for (const e of program.functions) {
    for (const ev of callEvents(e.fn.body)) {
      if (!pick(ev, e)) continue;
      const given = ev.args[0];
      const arg = given && member ? { ...given, fields: [...given.fields, ...member.split('.')], text: `&${given.text}->${member}` } : given;
      const ref = arg ? classes.resolve(arg, e) : null;
      if (ref && 'c' in ref) out.add(ref.c);
    }
  }
  return out;
}

/**
 * Who else may write a member or call a function, for member-values.ts: a struct only `.c` files
 * of the program define is seen nowhere else; otherwise the tree said (or, not asked, anyone may).
 */
function memberValueInputs(program: Program, options: AnalysisOptions, live: (e: FunctionEntry) => boolean): MemberValueInputs {
  const inHeaders = new Set<string>();
  const inUnits = new Set<string>();
  for (const f of program.files) for (const st of f.structs) if (Object.keys(st.fields).length) (f.path.endsWith('.c') ? inUnits : inHeaders).add(st.tag);
  const asked = options.membersWrittenOutside?.writers ?? {};
  const searched = new Set(options.membersWrittenOutside?.tags ?? []);
  // The names a struct goes by: its tag and the typedefs of it (a writer names either).
  const aliases = new Map<string, string[]>();
  for (const f of program.files) {
    for (const [name, t] of Object.entries(f.typedefs)) {
      const u = program.underlying(t, f.path);
      if ((u.k === 'struct' || u.k === 'typedef') && u.name !== name) aliases.set(u.name, [...(aliases.get(u.name) ?? []), name]);
    }
  }
  const unnamed = new Set(options.unnamedOutside ?? []);
  const valued = new Set(program.files.flatMap((f) => f.valueFunctions ?? []));
  return {
    live,
    writableOutside: (tag, member) => {
      if (inUnits.has(tag) && !inHeaders.has(tag)) return false;
      const writers = asked[member];
      const names = [tag, ...(aliases.get(tag) ?? [])];
      // Not asked, or a struct the tree was not searched for (`current->state`): anyone may write it.
      return !writers || !names.some((n) => searched.has(n)) || names.some((n) => writers.includes(n));
    },
    callersKnown: (e) => !e.fn.isMacro && (e.fn.isStatic ? !valued.has(e.fn.name) : unnamed.has(e.fn.name) && !program.isStored(e.fn.name) && !program.isPassed(e.fn.name)),
  };
}

