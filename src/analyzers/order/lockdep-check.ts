/**
 * The question a maintainer asks of a fix: does this patch fix the report lockdep printed?
 * Maps the lock names of a lockdep splat (wrappers already reduced: `&iommu->lock`) to lock
 * classes of the analysis, by exact name, by the expressions a class was seen as, then by
 * member name, preferring classes whose witnesses run through the splat's functions; then checks
 * the dependency the report is about, per kind:
 *   circular       "X is trying to acquire B while holding A" plus the existing chain B -> ... -> A:
 *                  fixed when the edge A -> B is gone after the patch, or when every path from B
 *                  back to A is; it says which edge is gone, or which survive, with their chains
 *   recursive      the class taken while held (a self edge)
 *   inconsistent   the class's irq-inconsistent finding
 *   irq-inversion  the irq-safe -> irq-unsafe finding over the report's locks
 *   sleep          a sleep-in-atomic finding whose witnesses run through the report's call trace
 * A longer cycle through the same classes that survives does not make a fixed dependency unfixed:
 * lockdep reported this dependency, not that cycle. Pure.
 */
import type { AnalysisResult } from '../analyze-program.ts';
import { edgeJson, findingJson } from '../analysis-json.ts';
import type { Finding } from '../checkers/types.ts';
import { chainSteps } from '../locks/witness.ts';
import type { ChainStep, EvidenceJson, FindingKind, LockdepCheckJson } from '../report-types.ts';
import type { OrderEdge, OrderGraph } from './order-graph.ts';

export type SplatKind = 'circular' | 'recursive' | 'inconsistent' | 'irq-inversion' | 'sleep';

/** What the diff module's splat parser gives (src/diff/lockdep-splat.ts). */
export interface SplatLike {
  kind: SplatKind;
  locks: string[];
  chains: { index: number; lock: string; functions: string[] }[];
  dependency?: { from: string; to: string };
  irq?: 'HARDIRQ' | 'SOFTIRQ';
  /** inconsistent: the usage line, "{IN-HARDIRQ-W} -> {HARDIRQ-ON-W}" or a RECLAIM_FS one. */
  usage?: string;
  trace?: string[];
}

/**
 *   fixed        present before the patch, gone after it (`confirmed`)
 *   not-fixed    present before and after
 *   introduced   absent before, present after
 *   not-found    absent before and after: the code it needs is not in the analyzed files
 *   unmapped     a lock of the report matches no class here
 *   not-checked  the configuration turned that kind of finding off
 */
export type CrossCheckStatus = 'fixed' | 'not-fixed' | 'introduced' | 'not-found' | 'unmapped' | 'not-checked';

/** The cross-check in lockscope.review/2: /1's fields plus what was checked and its witnesses. */
export interface LockdepCrossCheckJson extends LockdepCheckJson {
  kind: SplatKind;
  status: CrossCheckStatus;
  /** The dependency the report is about, as lock classes: `to` acquired while `from` is held. */
  dependency?: { from: string; to: string };
  /** The edge the patch removes, or what survives it, with chains: the witnesses of `detail`. */
  evidence: EvidenceJson[];
}

/** The finding kind each kind of report corresponds to. */
export const SPLAT_FINDING_KIND: Record<SplatKind, FindingKind> = {
  circular: 'inversion',
  recursive: 'recursive',
  inconsistent: 'irq-inconsistent',
  'irq-inversion': 'irq-inversion',
  sleep: 'sleep-in-atomic',
};

const WHAT: Record<SplatKind, string> = {
  circular: 'circular locking dependency',
  recursive: 'recursive locking',
  inconsistent: 'inconsistent lock state',
  'irq-inversion': 'irq lock inversion',
  sleep: 'sleeping function called from invalid context',
};

const strip = (name: string): string => name.replace(/^&/, '').replace(/\s+/g, '');

/** Candidate classes for one splat lock name, best first. */
function candidates(name: string, analysis: AnalysisResult, functions: ReadonlySet<string>): string[] {
  const plain = strip(name);
  const entries = [...analysis.locks.entries()];
  const exact = entries.filter(([key, l]) => key === plain || l.name === plain).map(([key]) => key);
  if (exact.length) return exact;
  const seen = entries.filter(([, l]) => l.seenAs.some((s) => strip(s) === plain)).map(([key]) => key);
  if (seen.length) return rank(seen, analysis, functions);
  const member = plain.split(/->|\./).pop() ?? plain;
  const byMember = entries.filter(([, l]) => l.name.endsWith(`.${member}`) || l.name === member).map(([key]) => key);
  return rank(byMember, analysis, functions);
}

/** Classes whose edges' witnesses pass through the splat's functions come first. */
function rank(classes: string[], analysis: AnalysisResult, functions: ReadonlySet<string>): string[] {
  if (classes.length < 2) return classes;
  const pairs = analysis.graph.pairs();
  const score = (c: string): number => {
    let n = 0;
    for (const e of pairs) {
      if (e.from !== c && e.to !== c) continue;
      for (const s of [...chainSteps(e.held.chain), ...chainSteps(e.taken.chain)]) if (functions.has(s.function)) n++;
    }
    return n;
  };
  return [...classes].sort((a, b) => score(b) - score(a) || (a < b ? -1 : 1));
}

/** One witness of from -> to: a write-mode variant first (it is the one that can block). */
function edgeOf(graph: OrderGraph, from: string, to: string): OrderEdge | undefined {
  return [...graph.variants(from, to)].sort((a, b) => Number(a.held.read) + Number(a.taken.read) - (Number(b.held.read) + Number(b.taken.read)))[0];
}

/** The shortest path of order edges from `from` to `to` (breadth first), or null. */
function shortestPath(graph: OrderGraph, from: string, to: string): OrderEdge[] | null {
  const prev = new Map<string, string>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const w of graph.successors(v)) {
      if (seen.has(w)) continue;
      seen.add(w);
      prev.set(w, v);
      if (w === to) {
        const nodes = [to];
        while (nodes[0] !== from) nodes.unshift(prev.get(nodes[0] as string) as string);
        return nodes.slice(1).map((n, i) => edgeOf(graph, nodes[i] as string, n) as OrderEdge);
      }
      queue.push(w);
    }
  }
  return null;
}

const lastOf = (chain: readonly ChainStep[]): ChainStep | undefined => chain[chain.length - 1];
const where = (chain: readonly ChainStep[]): string => {
  const s = lastOf(chain);
  return s ? `${s.function}() at ${s.file}:${s.line}` : 'an unknown line';
};

export function crossCheckLockdep(splat: SplatLike, before: AnalysisResult, after: AnalysisResult, kinds?: readonly FindingKind[]): LockdepCrossCheckJson {
  const what = WHAT[splat.kind];
  const base = { locks: splat.locks, kind: splat.kind };
  const off = (kind: FindingKind): LockdepCrossCheckJson => ({
    ...base, confirmed: false, status: 'not-checked', evidence: [],
    detail: `This review does not check ${kind} findings (turned off in the configuration), so the ${what} reported by lockdep was not checked.`,
  });
  // An inconsistent RECLAIM_FS usage is an allocation under a lock a shrinker takes, not an irq state.
  const checked = splat.kind === 'inconsistent' && splat.usage?.includes('RECLAIM_FS') ? 'reclaim-under-lock' : SPLAT_FINDING_KIND[splat.kind];
  if (kinds && !kinds.includes(checked)) return off(checked);
  const functions = new Set([...splat.chains.flatMap((c) => c.functions), ...(splat.trace ?? [])]);
  const classOf = (name: string): string | undefined => candidates(name, before, functions)[0] ?? candidates(name, after, functions)[0];
  const names = new Map([...before.names, ...after.names]);
  const shown = (key: string): string => names.get(key) ?? key;
  /** "(&iommu->lock is intel_iommu.lock)" for the names that differ from their class. */
  const here = (list: readonly string[]): string => {
    const pairs = list.flatMap((l) => {
      const k = classOf(l);
      return k !== undefined && shown(k) !== l ? [`${l} is ${shown(k)}`] : [];
    });
    return pairs.length > 0 ? ` (here ${[...new Set(pairs)].join(', ')})` : '';
  };
  const unmappedOf = (list: readonly string[]): LockdepCrossCheckJson | null => {
    const missing = list.filter((n) => classOf(n) === undefined);
    if (missing.length === 0) return null;
    return { ...base, confirmed: false, status: 'unmapped', evidence: [], detail: `The ${what} reported by lockdep could not be checked: no lock class in the analyzed files matches ${missing.join(', ')} (its code is outside them, or lockscope does not model that lock).` };
  };
  const findings = (kind: FindingKind, match: (f: Finding) => number, words: string): LockdepCrossCheckJson => findingCheck(base, what, words, before, after, (f) => (f.kind === kind ? match(f) : 0));

  if (splat.kind === 'circular' || splat.kind === 'recursive') {
    const from = splat.dependency?.from ?? splat.locks[0];
    const to = splat.dependency?.to ?? splat.locks[splat.locks.length - 1];
    if (from === undefined || to === undefined) return { ...base, confirmed: false, status: 'unmapped', evidence: [], detail: `The ${what} reported by lockdep names no lock.` };
    // The function of the analyzed code that takes the lock (lockdep's stack starts in lock internals).
    const stack = splat.chains.find((c) => c.index === 0)?.functions ?? splat.trace ?? [];
    const who = stack.find((fn) => before.functionsAt.has(fn) || after.functionsAt.has(fn)) ?? stack.find((fn) => !/^_|^might_|^(?:spin|read|write|mutex)_/.test(fn));
    // A flush or cancel under a lock the work takes: lockdep's pseudo-lock for the work (or
    // timer) is no lock class here, but a flush-under-lock finding over the other lock is.
    const a = classOf(from);
    const b = classOf(to);
    if ((a === undefined) !== (b === undefined)) {
      const [held, work] = a !== undefined ? [a, to] : [b as string, from];
      // An allocation under a lock a shrinker takes: lockdep's `fs_reclaim` pseudo-lock (4.14 on).
      if (strip(work) === 'fs_reclaim') {
        if (kinds && !kinds.includes('reclaim-under-lock')) return off('reclaim-under-lock');
        return findings('reclaim-under-lock', (f) => (f.locks[0] === held ? 1 : 0), `: ${who ? `${who}() ` : ''}allocating with reclaim while holding ${from === work ? to : from}${here([from, to])},`);
      }
      const member = work.split(/->|\./).pop() ?? work;
      const flushes = (f: Finding): number => (f.locks[0] === held && new RegExp(`[.>]${member.replace(/\W/g, '')}\\)`).test(f.title) ? 1 : 0);
      if ([...before.findings, ...after.findings].some((f) => f.kind === 'flush-under-lock' && flushes(f))) {
        if (kinds && !kinds.includes('flush-under-lock')) return off('flush-under-lock');
        return findings('flush-under-lock', flushes, `: ${who ? `${who}() ` : ''}waiting for ${work} while holding ${from === work ? to : from}${here([from, to])},`);
      }
    }
    const missing = unmappedOf([from, to]);
    if (missing) return missing;
    const intro = splat.kind === 'recursive' || a === b
      ? `lockdep reports ${who ? `${who}() ` : ''}taking ${to} while already holding it${here([to])}.`
      : `lockdep reports ${who ? `${who}() ` : ''}taking ${to} while holding ${from}${here([from, to])}.`;
    return dependencyCheck(base, { from: a as string, to: b as string }, intro, before, after, shown);
  }

  if (splat.kind === 'sleep') {
    // Matched by the call trace: the finding's witnesses run through the functions lockdep printed.
    const held = splat.locks.map(classOf).filter((k): k is string => k !== undefined);
    return findings('sleep-in-atomic', (f) => {
      const fns = new Set([f.function, ...f.evidence.flatMap((e) => chainSteps(e.chain).map((s) => s.function))]);
      const hits = [...functions].filter((fn) => fns.has(fn)).length;
      const locksOk = held.length === 0 || f.locks.some((l) => held.includes(l) || l.startsWith('@'));
      return hits > 0 && locksOk ? hits : 0;
    }, splat.locks.length > 0 ? ` with ${splat.locks.join(', ')} held${here(splat.locks)}` : '');
  }

  const missing = unmappedOf(splat.locks);
  if (missing) return missing;
  const classes = splat.locks.map((l) => classOf(l) as string);
  const irqOk = (f: Finding): boolean => !splat.irq || f.title.includes(splat.irq);
  if (splat.kind === 'irq-inversion') {
    const dep = splat.dependency ? [classOf(splat.dependency.from), classOf(splat.dependency.to)] : [];
    return findings('irq-inversion', (f) => (irqOk(f) && ((f.locks[0] === classes[0] && f.locks[1] === classes[1]) || (f.locks[0] === dep[0] && f.locks[1] === dep[1])) ? 1 : 0), ` ${splat.locks.join(' -> ')}${here(splat.locks)}`);
  }
  // {RECLAIM_FS-ON-W} -> {IN-RECLAIM_FS-W} (2.6.33 to 4.13): the lock held over an allocation a shrinker takes.
  if (checked === 'reclaim-under-lock') {
    return findings('reclaim-under-lock', (f) => (f.locks[0] === classes[0] ? 1 : 0), ` of ${splat.locks.join(', ')}${here(splat.locks)}`);
  }
  return findings('irq-inconsistent', (f) => (irqOk(f) && f.locks[0] === classes[0] ? 1 : 0), ` of ${splat.locks.join(', ')}${here(splat.locks)}`);
}

/** A report checked against the findings of one kind: the best match before, the same finding after. */
function findingCheck(
  base: { locks: string[]; kind: SplatKind },
  what: string,
  words: string,
  before: AnalysisResult,
  after: AnalysisResult,
  match: (f: Finding) => number,
): LockdepCrossCheckJson {
  const best = (list: readonly Finding[]): Finding | undefined => list.map((f) => ({ f, n: match(f) })).filter((x) => x.n > 0).sort((x, y) => y.n - x.n)[0]?.f;
  const wasThere = best(before.findings);
  const isThere = wasThere !== undefined ? after.findings.find((f) => f.key === wasThere.key) : best(after.findings);
  const shown = (f: Finding, names: ReadonlyMap<string, string>): { title: string; evidence: EvidenceJson[] } => {
    const j = findingJson(f, names);
    return { title: `${j.title}, in ${j.function}() at ${j.file}:${j.line}`, evidence: j.evidence };
  };
  if (wasThere && !isThere) {
    const j = shown(wasThere, before.names);
    return { ...base, confirmed: true, status: 'fixed', evidence: j.evidence, detail: `lockscope finds the reported ${what}${words} before the patch (${j.title}) and not after it: the patch fixes it.` };
  }
  if (wasThere && isThere) {
    const j = shown(isThere, after.names);
    return { ...base, confirmed: false, status: 'not-fixed', evidence: j.evidence, detail: `lockscope finds the reported ${what}${words} both before and after the patch (${j.title}): the patch does not fix it.` };
  }
  if (isThere) {
    const j = shown(isThere, after.names);
    return { ...base, confirmed: false, status: 'introduced', evidence: j.evidence, detail: `lockscope does not find the reported ${what}${words} before the patch, but finds it after (${j.title}): the patch introduces it.` };
  }
  return { ...base, confirmed: false, status: 'not-found', evidence: [], detail: `lockscope does not find the reported ${what}${words} in the code it analyzed, before or after the patch: not confirmed (the report's path may run through code outside the analyzed files).` };
}

/**
 * Circular and recursive reports: the dependency `dep` (acquiring dep.to while holding dep.from)
 * and the chain from dep.to back to dep.from, before and after the patch.
 */
function dependencyCheck(
  base: { locks: string[]; kind: SplatKind },
  dep: { from: string; to: string },
  intro: string,
  before: AnalysisResult,
  after: AnalysisResult,
  shown: (key: string) => string,
): LockdepCrossCheckJson {
  const self = dep.from === dep.to;
  const A = shown(dep.from);
  const B = shown(dep.to);
  const dependency = { from: A, to: B };
  const edgeB = edgeOf(before.graph, dep.from, dep.to);
  const edgeA = edgeOf(after.graph, dep.from, dep.to);
  const pathB = self ? [] : shortestPath(before.graph, dep.to, dep.from);
  const pathA = self ? [] : shortestPath(after.graph, dep.to, dep.from);
  const ev = (e: OrderEdge, names: ReadonlyMap<string, string>): EvidenceJson => {
    const j = edgeJson(e, names);
    return { label: `${j.from} -> ${j.to}`, chain: j.chain };
  };
  const result = (status: CrossCheckStatus, detail: string, evidence: EvidenceJson[]): LockdepCrossCheckJson => ({
    ...base, confirmed: status === 'fixed', status, dependency, evidence, detail: `${intro} ${detail}`,
  });
  const pathWords = (p: readonly OrderEdge[]): string => [B, ...p.map((e) => shown(e.to))].join(' -> ');
  const back = self ? '' : ` and the chain back ${pathWords(pathA ?? [])}`;

  if (edgeB && pathB) {
    if (!edgeA) {
      const e = ev(edgeB, before.names);
      return result('fixed', `lockscope finds that dependency (${A} -> ${B}) before the patch, at ${where(e.chain)}, and not after it: the patch removes it.`, [e]);
    }
    if (!pathA) {
      const inAfter = (e: OrderEdge): boolean => after.graph.variants(e.from, e.to).length > 0;
      const gone = pathB.filter((e) => !inAfter(e)).map((e) => ev(e, before.names));
      const goneWords = gone.map((e) => `${e.label} (${where(e.chain)})`).join(', ');
      return result('fixed', `${A} -> ${B} remains after the patch, but the chain back ${pathWords(pathB)} does not: the patch removes ${goneWords || 'a link of it'}.`, gone);
    }
    const survivors = [ev(edgeA, after.names), ...(pathA ?? []).map((e) => ev(e, after.names))];
    return result('not-fixed', `lockscope finds it both before and after the patch: ${A} -> ${B} survives, at ${where(survivors[0]?.chain ?? [])}${back}, so the patch does not fix it.`, survivors);
  }
  if (edgeA && pathA) {
    const survivors = [ev(edgeA, after.names), ...pathA.map((e) => ev(e, after.names))];
    return result('introduced', `lockscope does not find it before the patch, but finds it after, at ${where(survivors[0]?.chain ?? [])}: the patch introduces it.`, survivors);
  }
  if (!edgeB) {
    return result('not-found', `lockscope does not find ${self ? 'it' : `${A} -> ${B}`} in the code it analyzed before the patch: not confirmed (it may be taken in code outside the analyzed files, or through a function pointer).`, []);
  }
  const e = ev(edgeB, before.names);
  return result('not-found', `lockscope finds ${A} -> ${B} (at ${where(e.chain)}) but no chain from ${B} back to ${A} in the code it analyzed: not confirmed (the chain may run through code outside the analyzed files).`, [e]);
}
