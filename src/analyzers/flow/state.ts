/**
 * The lattice of the flow analysis: a small set of paths ("disjuncts"), each with the locks it
 * holds, the caller's locks it has surely released, and what it learnt from conditions (facts).
 * Paths are told apart only by their lock state (property simulation, as in ESP): two paths that
 * hold the same locks merge and keep only the facts both share, so the set stays as small as the
 * number of different lock states, and `if (!probe) lock(a) ... if (!probe) unlock(a)` stays
 * precise because its two paths hold different locks in between. At most MAX_PATHS are kept;
 * past that the closest merge (may-held union), or, far past it, all into one, which is what a
 * path-insensitive analysis does.
 *
 * The empty array is bottom (unreachable). May-held: a join is the union of held locks, so an
 * order is recorded when it can happen on some path, as lockdep records an order the first time
 * it happens; `gone` is must-released (intersection), so a caller's lock is only forgotten when
 * it is surely dropped.
 */
import type { Held } from '../locks/held-set.ts';
import { heldId } from '../locks/held-set.ts';
import { factsImply, joinFacts, NO_FACTS, type Facts } from './facts.ts';

export interface Disjunct {
  facts: Facts;
  held: readonly Held[];
  /** Caller-held lock keys released on every path to here (sorted). */
  gone: readonly string[];
  /**
   * Of `gone`, those a later callee may have taken again (a re-locking helper): not known
   * released, for an assertion of them. Not part of the lock state that tells paths apart.
   */
  relocked?: readonly string[];
}

export type State = readonly Disjunct[];

export const BOTTOM: State = [];
export const MAX_PATHS = 8;

export const ENTRY: Disjunct = { facts: NO_FACTS, held: [], gone: [] };

const sigCache = new WeakMap<readonly Held[], string[]>();

/** The sorted held-entry ids of a path: what makes two paths different. */
export function heldSignature(held: readonly Held[]): string[] {
  let sig = sigCache.get(held);
  if (!sig) {
    sig = [...new Set(held.map(heldId))].sort();
    sigCache.set(held, sig);
  }
  return sig;
}

const sameSig = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const subSig = (a: string[], b: string[]): boolean => {
  let j = 0;
  for (const x of a) {
    while (j < b.length && (b[j] as string) < x) j++;
    if (b[j] !== x) return false;
  }
  return true;
};

/** Multiset intersection of sorted key lists (a lock class released twice on both paths stays twice). */
function intersect(a: readonly string[], b: readonly string[]): readonly string[] {
  // Most paths released none of their caller's locks: no copy of b to find that out.
  if (a === b || a.length === 0) return a;
  const left = [...b];
  const out = a.filter((k) => {
    const i = left.indexOf(k);
    if (i < 0) return false;
    left.splice(i, 1);
    return true;
  });
  return out.length === a.length ? a : out;
}


/** Union of held entries (first witness kept), ids compared. */
function unionHeld(a: readonly Held[], b: readonly Held[]): readonly Held[] {
  if (a === b) return a;
  const ids = new Set(a.map(heldId));
  let out: Held[] | undefined;
  for (const h of b) {
    const id = heldId(h);
    if (ids.has(id)) continue;
    out ??= [...a];
    out.push(h);
    ids.add(id);
  }
  return out ?? a;
}

function mergeTwo(a: Disjunct, b: Disjunct): Disjunct {
  const held = unionHeld(a.held, b.held);
  const facts = joinFacts(a.facts, b.facts);
  const gone = intersect(a.gone, b.gone);
  const relocked = a.relocked && b.relocked ? intersect(a.relocked, b.relocked) : undefined;
  if (held === a.held && facts === a.facts && gone === a.gone && relocked === a.relocked) return a;
  return relocked?.length ? { facts, held, gone, relocked } : { facts, held, gone };
}

/**
 * Paths with the same lock state (held locks, and caller's locks released: an unlock helper's
 * path that released and one that did not are two ways out) merge; past MAX_PATHS those holding
 * the same locks merge; past it again, by a few, the closest pairs (closestMerged), by many,
 * everything merges into one.
 */
export function normalize(ds: readonly Disjunct[]): State {
  if (ds.length <= 1) return ds;
  const out: Disjunct[] = [];
  const sigs: string[][] = [];
  for (const d of ds) {
    const base = d.gone.length ? [...heldSignature(d.held), '/', ...d.gone] : heldSignature(d.held);
    // Paths that called different functions through one pointer member stay apart (Fact.through).
    const through = d.facts.some((f) => f.through) ? d.facts.filter((f) => f.through).map((f) => f.key).sort() : undefined;
    const sig = through ? [...base, '#', ...through] : base;
    const i = sigs.findIndex((s) => sameSig(s, sig));

    if (i < 0) {
      out.push(d);
      sigs.push(sig);
    } else {
      out[i] = mergeTwo(out[i] as Disjunct, d);
    }
  }
  if (out.length <= MAX_PATHS) return out;
  // Past the cap, first merge only paths that hold the same locks (what they released is what
  // all of them released): a path holding its caller's re-taken lock must not meet one that
  // never released it, or the lock becomes one of this function's own.
  const byHeld = new Map<string, Disjunct>();
  for (const d of out) {
    const key = heldSignature(d.held).join(',');
    const old = byHeld.get(key);
    byHeld.set(key, old ? mergeTwo(old, d) : d);
  }
  if (byHeld.size <= MAX_PATHS) return [...byHeld.values()];
  if (byHeld.size > 2 * MAX_PATHS) return [out.reduce(mergeTwo)];
  return closestMerged([...byHeld.values()]);
}

/** A path's lock state as sets, for distance(). */
interface Shape { d: Disjunct; ids: Set<string>; keys: Set<string> }
const shapeOf = (d: Disjunct): Shape => ({ d, ids: new Set(heldSignature(d.held)), keys: new Set(d.held.map((h) => h.key)) });

/** How far apart two lock states are: locks only one holds count double, a lock held both ways (trylock, outright) once. */
function distance(a: Shape, b: Shape): number {
  const apart = (x: Set<string>, y: Set<string>): number => [...x].filter((k) => !y.has(k)).length + [...y].filter((k) => !x.has(k)).length;
  return 2 * apart(a.keys, b.keys) + apart(a.ids, b.ids);
}

/**
 * A few paths over the cap: the two whose lock states differ least merge, again until MAX_PATHS
 * remain, so the others keep what they learnt (`took = 1` beside the rwsem it took); merging
 * all into one would join every flag with every lock state (a nine-state retry loop of three
 * locks, each taken by trylock or outright).
 */
function closestMerged(paths: readonly Disjunct[]): State {
  const list = paths.map(shapeOf);
  while (list.length > MAX_PATHS) {
    let best = [0, 1, Number.POSITIVE_INFINITY] as [number, number, number];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const d = distance(list[i] as Shape, list[j] as Shape);
        if (d < best[2]) best = [i, j, d];
      }
    }
    const [i, j] = best;
    list[i] = shapeOf(mergeTwo((list[i] as Shape).d, (list[j] as Shape).d));
    list.splice(j, 1);
  }
  return list.map((s) => s.d);
}

export function join(a: State, b: State): State {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  if (a === b) return a;
  return normalize([...a, ...b]);
}

/** a ⊑ b: every path of a is covered by a path of b holding at least as much, knowing no more, releasing no more. */
export function leq(a: State, b: State): boolean {
  return a.every((da) => {
    const sa = heldSignature(da.held);
    return b.some((db) => subSig(sa, heldSignature(db.held)) && factsImply(da.facts, db.facts) && db.gone.every((k) => da.gone.includes(k)));
  });
}

export function mapPaths(s: State, f: (d: Disjunct) => Disjunct): State {
  let changed = false;
  const out = s.map((d) => {
    const e = f(d);
    if (e !== d) changed = true;
    return e;
  });
  return changed ? normalize(out) : s;
}
