/**
 * The `lockscope.analysis/1` JSON (plus `findings`) from an analysis's values, and the names
 * reports give lock classes. Internal keys are unique and stable across a patch
 * (`lock@drivers:x:a.c`); a report shows a class by its plain name (`lock`) and adds the file
 * (or function) after a space only where two classes would otherwise share a name, the way
 * lockdep adds `#2`: `lock (debugfs.c)`. Classes that are already unique are never renamed.
 */
import type { Finding } from './checkers/types.ts';
import type { Cycle } from './order/cycles.ts';
import type { OrderEdge, OrderGraph } from './order/order-graph.ts';
import { concat } from './checkers/lock-order.ts';
import type { Chain } from './locks/witness.ts';
import { orderClassOf } from './locks/lock-ref.ts';
import { cycleConfidence } from './order/confidence.ts';
import type { AnalysisJson, ChainStep, EdgeJson, FindingJson, InversionJson, LockJson, SkippedJson } from './report-types.ts';

/** The atomic regions and contexts a sleep-in-atomic finding may name, in words. */
const REGIONS: Record<string, string> = {
  '@hardirq-off': 'irqs-disabled', '@softirq-off': 'softirqs-disabled', '@preempt-off': 'preemption-disabled', '@rcu': 'rcu_read_lock',
  '@hardirq': 'hardirq-context', '@softirq': 'softirq-context',
};


/** A function's name in a key: a word, or a pasting macro's (`FNAME(fetch)`, c/syntax.ts). */
const FN = String.raw`\w+(?:\([\w,]*\))?`;
const UNNAMED = new RegExp(String.raw`^\?(\w+)#(${FN}):(.*)$`);
const INNER_PLACE = new RegExp(String.raw`@([^()#/]*)(?:#(${FN}))?`);
const INNER_PLACES = new RegExp(String.raw`@[^()#/]*(?:#${FN})?`, 'g');
/** A function-static class of a pasted function (`lock@kvm:paging_tmpl.h#FNAME(fetch)`): no class over another. */
const PASTED_STATIC = new RegExp(String.raw`^[^()@]+@[^()#/]*#${FN}$`);

/** Internal key -> report name, for every key given. */

export function classNames(keys: Iterable<string>): Map<string, string> {
  const parsed = new Map<string, { name: string; qual?: string; where?: string; sub: string }>();
  for (const key of keys) {
    if (parsed.has(key)) continue;
    // A lock lockscope could not name (`?spinlock#fn:expr`): the expression, its kind, where.
    const unnamed = UNNAMED.exec(key);
    if (unnamed) {
      parsed.set(key, { name: `${unnamed[3]} (unnamed ${unnamed[1]} in ${unnamed[2]}())`, sub: '' });
      continue;
    }
    if (key.startsWith('@')) {

      parsed.set(key, { name: REGIONS[key] ?? key.slice(1), sub: '' });
      continue;
    }
    const slash = key.indexOf('/');
    const base = slash < 0 ? key : key.slice(0, slash);
    const sub = slash < 0 ? '' : key.slice(slash);
    const at = base.indexOf('@');
    if (at < 0 || (base.includes('(') && !PASTED_STATIC.test(base))) {
      // An inferred class over another (`arch_spin_lock(lockdep_lock@kernel:lockdep.c)`): inner
      // keys by plain name, the first inner one's place telling two such classes apart.
      const inner = INNER_PLACE.exec(base);
      parsed.set(key, { name: base.replace(INNER_PLACES, ''), sub, ...(inner ? placeOf(inner[1] as string, inner[2]) : {}) });
      continue;
    }
    const rest = base.slice(at + 1);
    const hash = rest.indexOf('#');
    parsed.set(key, { name: base.slice(0, at), sub, ...placeOf(hash < 0 ? rest : rest.slice(0, hash), hash < 0 ? undefined : rest.slice(hash + 1)) });
  }

  // Base classes that share a plain name.
  const byName = new Map<string, Set<string>>();
  for (const [key, p] of parsed) {
    const base = key.slice(0, key.length - p.sub.length);
    let s = byName.get(p.name);
    if (!s) byName.set(p.name, (s = new Set()));
    s.add(base);
  }
  const out = new Map<string, string>();
  for (const [key, p] of parsed) {
    const clash = (byName.get(p.name)?.size ?? 0) > 1;
    let shown = p.name;
    if (clash && p.qual) {
      shown = `${p.name} (${p.qual})`;
      // Two files with one base name: the directory too.
      const same = [...parsed.values()].filter((q) => q.name === p.name && q.qual === p.qual && q.where !== p.where);
      if (same.length && p.where) shown = `${p.name} (${p.where})`;
    }
    out.set(key, shown + p.sub);
  }
  return out;
}

/** Where a static class lives (`drivers:x:a.c`, maybe `#fn` for a function's own): its qualifier in a report. */
function placeOf(file: string, fn: string | undefined): { qual: string; where: string } {
  const where = file.replace(/:/g, '/');
  return { where, qual: fn ? `${fn}()` : where.slice(where.lastIndexOf('/') + 1) };
}

/** A key's report name; a parameter's lock with a class of its own (`$0.lock.u.sem^ol.u.sem`) by that class's. */
const named = (names: ReadonlyMap<string, string>, key: string): string => {
  const c = key.startsWith('$') ? orderClassOf(key) : undefined;
  return c === undefined ? (names.get(key) ?? key) : (names.get(c) ?? c);
};


/** A chain as JSON steps, lock keys named; the last step takes `finalLock` when given. */
export function chainJson(chain: Chain | null, names: ReadonlyMap<string, string>, finalLock?: string): ChainStep[] {
  const out: ChainStep[] = [];
  for (let c = chain; c; c = c.next) {
    const s = c.step;
    const lock = !c.next && finalLock !== undefined && (s.op === 'acquire' || s.op === 'trylock') ? finalLock : s.lock;
    out.push(lock !== undefined ? { ...s, lock: named(names, lock) } : s);
  }
  return out;
}

export function edgeJson(e: OrderEdge, names: ReadonlyMap<string, string>): EdgeJson {
  return { from: named(names, e.from), to: named(names, e.to), chain: chainJson(concat(e), names, e.to) };
}

/**
 * The identity of an inversion in review JSON: its set of report names, as compare.ts matches
 * cycles by their set of classes. ["b", "a", "b"] -> "a <-> b".
 */
export function inversionKey(locks: readonly string[]): string {
  return [...new Set(locks)].sort().join(' <-> ');
}

export function inversionJson(c: Cycle, names: ReadonlyMap<string, string>, locks?: ReadonlyMap<string, LockJson>): InversionJson {
  const untracked = [...new Set(c.locks)].filter((l) => locks?.get(l)?.kind === 'semaphore').map((l) => named(names, l));
  const edges = c.edges.map((e) => edgeJson(e, names));
  return {
    locks: c.locks.map((l) => named(names, l)),
    edges,
    ...(c.suppressed ? { suppressed: c.suppressed } : {}),
    ...(untracked.length ? { untracked } : {}),
    ...(c.throughTree ? { throughTree: true } : {}),
    ...(c.acrossDirectories ? { acrossDirectories: c.acrossDirectories } : {}),
    confidence: cycleConfidence(edges.map((e) => e.chain)),
  };
}

/** `{0}` in a title or label is the finding's first lock, by its report name. */
const fill = (text: string, locks: readonly string[]): string => text.replace(/\{(\d+)\}/g, (_m, i: string) => locks[Number(i)] ?? `{${i}}`);

export function findingJson(f: Finding, names: ReadonlyMap<string, string>): FindingJson {
  const locks = f.locks.map((l) => named(names, l));
  const j: FindingJson = {
    kind: f.kind, locks, function: f.function, file: f.file, line: f.line, title: fill(f.title, locks),
    evidence: f.evidence.map((e) => ({ label: fill(e.label, locks), chain: chainJson(e.chain, names, e.lock) })),
  };
  if (f.notes?.length) j.notes = f.notes.map((n) => fill(n, locks));
  if (f.suppressed) j.suppressed = f.suppressed;
  if (f.kind === 'inversion' || f.kind === 'recursive') j.confidence = cycleConfidence(j.evidence.map((e) => e.chain));

  if (f.paths?.length) {
    const n = locks.length;
    j.paths = f.paths.map((p) => {
      const [held = '', taken = ''] = p.path.split('>');
      return { edge: `${locks[p.edge]} -> ${locks[(p.edge + 1) % n]}`, held, taken, chain: chainJson(p.chain, names) };
    });
  }
  if (f.newPath) {
    // Path ids carry internal lock keys: name them.
    const rename = (id: string): string => {
      // A file-static class key holds '@' itself (`lock@drivers:x:a.c`): the path is after the last one.
      const at = id.lastIndexOf('@');
      const [from = '', to = ''] = id.slice(0, at).split('>');
      return `${named(names, from)} -> ${named(names, to)} via ${id.slice(at + 1).replace('>', '() -> ')}()`;
    };
    j.newPath = { added: f.newPath.added.map(rename), removed: f.newPath.removed.map(rename), ...(f.newPath.moved ? { moved: true } : {}), ...(f.newPath.established ? { established: true } : {}) };
  }
  return j;

}

export function analysisJson(a: {
  files: number;
  functions: number;
  locks: ReadonlyMap<string, LockJson>;
  graph: OrderGraph;
  cycles: readonly Cycle[];
  findings: readonly Finding[];
  skipped: SkippedJson[];
  names: ReadonlyMap<string, string>;
}): AnalysisJson {
  return {
    schema: 'lockscope.analysis/1',
    files: a.files,
    functions: a.functions,
    locks: [...a.locks.values()],
    edges: a.graph.pairs().map((e) => edgeJson(e, a.names)),
    inversions: a.cycles.map((c) => inversionJson(c, a.names, a.locks)),
    findings: a.findings.map((f) => findingJson(f, a.names)),
    skipped: a.skipped,
  };
}
