/**
 * The findings of a tree analysed directory by directory (review/tree-graph-build.ts builds
 * the partitions): each directory's own, as its analysis reported them with every filter applied
 * (builds that exclude each other, lockdep classes, gate locks, safe-order marks), and the
 * cycles only the joined graph has, whose orders are made in several directories (an mm order
 * against a VFS one): lockdep finds those late, and a directory's analysis never.
 *
 * A joined cycle all of whose orders one directory makes is that directory's to report: it did,
 * or one of its filters left it out, so the join does not say it again. A joined cycle that can
 * only be made from witnesses under two different `arch/*` directories mixes builds that never
 * run together: left out, and counted.
 */
import { sleepSites, throughSleepUnderSpin } from './sleep-folded.ts';
import { cycleKey, findCycles, type Cycle, type CycleOptions } from './cycles.ts';
import { OrderGraph, type OrderEdge } from './order-graph.ts';
import { edgeIdentity, findingOf, identityWithEnds, orderEdgeOf, type StoredEdge, type StoredGraph } from './stored-graph.ts';
import { aliasedKey, type InferredAliases, type StitchedEdge, type StitchedFinding } from './stitch-calls.ts';
import type { Finding } from '../checkers/types.ts';
import { baseKey, type Acquisition } from '../locks/held-set.ts';
import { archOf } from '../util/arch-dir.ts';
import type { Chain } from '../locks/witness.ts';
import type { LockKind } from '../report-types.ts';

/**
 * Cycles enumerated in the joined graph before those across directories are picked out: the
 * directories' own take most of an enumeration by length, and are dropped afterwards.
 */
export const TREE_CYCLE_OPTIONS: CycleOptions = { maxLength: 6, maxCycles: 5_000, maxSteps: 4_000_000 };
/** Cycles across directories reported at most, shortest first. */
export const MAX_ACROSS = 500;

export interface TreeInversionsResult {
  /** The joined graph: every directory's witnesses, once each. */
  graph: OrderGraph;
  /** Each directory's own, in directory order, then those across directories (`acrossDirectories`), shortest first. */
  cycles: Cycle[];
  /** The directories' findings of the other kinds, in directory order, each once. */
  others: Finding[];
  /** Cycles across directories left out: witnesses under two arch/ directories (builds that never run together). */
  mixedBuilds: number;
  /** Cycles across directories left out: through a class a directory's analysis found split by a key object or never validated. */
  reclassed: number;
  /** Cycles across directories left out: through a sleeping lock taken under a spinning one, a sleep some directory reports (sleep-folded.ts). */
  folded: number;
  /** A directory's own cycles left out: through a class another directory's analysis found lockdep never validates. */
  unvalidated: number;
  /** The enumeration of the joined graph, or the cap on cycles across directories, was reached. */
  bounded: boolean;
  files: number;
  functions: number;
  directories: number;
  kinds: Record<string, LockKind>;
}

/** The arch/ directories an edge's witness passes through. */
function archesOf(e: OrderEdge): Set<string> {
  const out = new Set<string>();
  for (const a of [e.held, e.taken]) {
    for (let c: Chain | null = a.chain; c; c = c.next) {
      const arch = archOf(c.step.file);
      if (arch !== undefined) out.add(arch);
    }
  }
  return out;
}

export class TreeInversions {
  readonly #edges = new Map<string, OrderEdge>();
  /** The directories whose analyses made each witness (a negative number: two together, `#stitchedDirs`). */
  readonly #madeBy = new Map<OrderEdge, Set<number>>();
  /** The two directories of each witness made through a call across (stitch-calls.ts), by its negative number. */
  readonly #stitchedDirs = new Map<number, readonly string[]>();
  /** Every witness of each ordered pair (`from>to`). */
  readonly #byPair = new Map<string, OrderEdge[]>();
  readonly #own: Cycle[] = [];
  readonly #others: Finding[] = [];
  readonly #otherKeys = new Set<string>();
  /** The other findings' keys (kind, function, lock): a directory's own finding is said rather than one made across. */
  readonly #otherIds = new Set<string>();
  readonly #ownKeys = new Set<string>();
  readonly #dirs: string[] = [];
  readonly #kinds: Record<string, LockKind> = {};
  /** Classes some directory's analysis found lockdep splits by a key object or never validates. */
  readonly #reclassed = new Set<string>();
  /** Of those, the classes lockdep never validates, anywhere (the device mutex). */
  readonly #unvalidated = new Set<string>();
  #files = 0;
  #functions = 0;

  /** One directory's partition, in directory order. */
  add(dir: string, part: StoredGraph): void {
    const at = this.#dirs.push(dir) - 1;
    Object.assign(this.#kinds, part.kinds);
    for (const c of part.reclassed ?? []) this.#reclassed.add(c);
    for (const c of part.unvalidated ?? []) this.#unvalidated.add(c);
    this.#files += part.counts?.files ?? 0;
    this.#functions += part.counts?.functions ?? 0;
    const mine = part.edges.map((s) => this.#witness(s, part.kinds, at));
    // One finding in a header's inline function two directories include is said once.
    for (const f of part.findings ?? []) {
      const id = `${f.key}\0${f.file}:${f.line}`;
      if (this.#otherKeys.has(id)) continue;
      this.#otherKeys.add(id);
      this.#otherIds.add(f.key);
      this.#others.push(findingOf(f));
    }
    for (const c of part.cycles ?? []) this.#keepOwn(c.edges.map((i) => mine[i]), c);
  }

  /** A directory's own cycle through these witnesses, once per key; none where a witness is missing. */
  #keepOwn(edges: readonly (OrderEdge | undefined)[], c: Pick<Cycle, 'suppressed'>): void {
    if (edges.some((e) => e === undefined)) return;
    const es = edges as OrderEdge[];
    const key = cycleKey(es.map((e) => e.from));
    if (this.#ownKeys.has(key)) return;
    this.#ownKeys.add(key);
    this.#own.push({ locks: es.map((e) => e.from), edges: es, key, ...(c.suppressed ? { suppressed: c.suppressed } : {}) });
  }

  /**
   * Each directory's inferred classes renamed as the join found them (stitch-calls.ts aliases:
   * `lock_super` is `super_block.s_lock`), after every directory's own and before the stitched
   * witnesses (which come renamed); a witness through one that is no lock goes. A directory's own
   * cycle is renamed with its witnesses. A cycle the renaming closes in one directory's witnesses
   * alone stays that directory's to report (as any other it makes alone): only one closed
   * across directories is said.
   */
  alias(aliases: InferredAliases): void {
    if (!aliases.size) return;
    const byDir = this.#dirs.map((d) => aliases.get(d));
    const renamed = new Map<OrderEdge, OrderEdge | undefined>();
    for (const [id, e] of [...this.#edges]) {
      const made = this.#madeBy.get(e) ?? new Set<number>();
      const by = [...made].find((d) => d >= 0 && (byDir[d]?.has(baseKey(e.from)) || byDir[d]?.has(baseKey(e.to))));
      if (by === undefined) continue;
      const from = aliasedKey(e.from, byDir[by]);
      const to = aliasedKey(e.to, byDir[by]);
      this.#edges.delete(id);
      this.#madeBy.delete(e);
      const pair = this.#byPair.get(`${e.from}>${e.to}`);
      pair?.splice(pair.indexOf(e), 1);
      const kept = from === null || to === null ? undefined : this.#keep(identityWithEnds(id, e, from, to), () => ({ from, to, held: renamedAcquisition(e.held, from, this.#kinds), taken: renamedAcquisition(e.taken, to, this.#kinds) }), made);
      renamed.set(e, kept);
    }
    const own = this.#own.splice(0);
    this.#ownKeys.clear();
    for (const c of own) this.#keepOwn(c.edges.map((e) => (renamed.has(e) ? renamed.get(e) : e)), c);
  }

  /**
   * The witnesses two directories make through a call from one into the other (after every
   * directory's own): no one directory makes them, so a cycle through one is across directories.
   */
  addStitched(stitched: readonly StitchedEdge[]): void {
    for (const s of stitched) {
      const id = -1 - this.#stitchedDirs.size;
      this.#stitchedDirs.set(id, s.dirs);
      this.#witness(s.edge, this.#kinds, id);
    }
  }

  /** Findings two directories make through a call across (stitch-calls.ts sleeps), after every directory's own: unless a directory says one of the same key. */
  addStitchedFindings(stitched: readonly StitchedFinding[]): void {
    for (const s of stitched) {
      if (this.#otherIds.has(s.finding.key)) continue;
      this.#otherIds.add(s.finding.key);
      this.#others.push(findingOf(s.finding));
    }
  }

  /** The joined graph's copy of a witness (one of those several directories share: a header's inline function), made by `by`. */
  #witness(s: StoredEdge, kinds: Record<string, LockKind>, by: number): OrderEdge | undefined {
    return this.#keep(edgeIdentity(s), () => orderEdgeOf(s, kinds), [by]);
  }

  /** The joined graph's witness of identity `id` (`make` builds it the first time), made by `by` too. */
  #keep(id: string, make: () => OrderEdge | undefined, by: Iterable<number>): OrderEdge | undefined {
    let e = this.#edges.get(id);
    if (!e) {
      e = make();
      if (!e) return undefined;
      this.#edges.set(id, e);
      const pair = `${e.from}>${e.to}`;
      let p = this.#byPair.get(pair);
      if (!p) this.#byPair.set(pair, (p = []));
      p.push(e);
      this.#madeBy.set(e, new Set());
    }
    const made = this.#madeBy.get(e);
    for (const d of by) made?.add(d);
    return e;
  }

  result(options: CycleOptions = TREE_CYCLE_OPTIONS, maxAcross = MAX_ACROSS): TreeInversionsResult {
    const graph = new OrderGraph([...this.#edges.values()]);
    const found = findCycles(graph, options);
    const across: Cycle[] = [];
    let mixedBuilds = 0;
    let reclassed = 0;
    let folded = 0;
    const sleeps = sleepSites(this.#others);
    for (const c of found.cycles) {
      if (across.length >= maxAcross) break;
      if (this.#ownKeys.has(c.key)) continue;
      const pairs = c.edges.map((e) => this.#byPair.get(`${e.from}>${e.to}`));
      if (pairs.some((p) => p === undefined)) continue;
      // The directories making each of its orders, by any witness.
      const sets = pairs.map((p) => new Set((p as OrderEdge[]).flatMap((e) => [...(this.#madeBy.get(e) ?? [])])));
      // Some one directory makes every order of it: that directory's to report, or not.
      if ([...(sets[0] as Set<number>)].some((d) => sets.every((s) => s.has(d)))) continue;
      // As a directory's own analysis leaves them out: lockdep gives such a lock a class per key.
      if (c.locks.some((l) => this.#reclassed.has(baseKey(l)))) {
        reclassed++;
        continue;
      }
      const built = oneBuild(c, pairs as OrderEdge[][]);
      if (!built) {
        mixedBuilds++;
        continue;
      }
      // As a directory's own analysis leaves them out: a directory reports the sleep they go through.
      if (throughSleepUnderSpin(built, sleeps)) {
        folded++;
        continue;
      }
      const dirs = built.edges.flatMap((e) => [...(this.#madeBy.get(e) ?? [])].flatMap((d) => (d < 0 ? (this.#stitchedDirs.get(d) ?? []) : [this.#dirs[d] as string])));
      across.push({ ...built, acrossDirectories: [...new Set(dirs)].sort() });
    }
    // A directory's own cycle through a class another directory exempts from validation
    // (device_initialize()'s lockdep_set_novalidate_class(&dev->mutex)): lockdep reports none.
    const own = this.#own.filter((c) => !c.locks.some((l) => this.#unvalidated.has(baseKey(l))));
    return {
      graph,
      cycles: [...own, ...across],
      others: this.#others,
      mixedBuilds,
      reclassed,
      folded,
      unvalidated: this.#own.length - own.length,
      bounded: found.bounded || across.length >= maxAcross,
      files: this.#files,
      functions: this.#functions,
      directories: this.#dirs.length,
      kinds: this.#kinds,
    };
  }
}

/** An acquisition of an inferred class as the class it is (TreeInversions.alias). */
function renamedAcquisition(a: Acquisition, key: string, kinds: Record<string, LockKind>): Acquisition {
  const kind = kinds[baseKey(key)] ?? a.kind;
  return { ...a, key, kind, ref: { c: key, provenance: 'global', kind, text: key } };
}

/**
 * `c` with witnesses all of one arch/ directory (or of none), re-picked from each pair's
 * witnesses where the ones the enumeration chose mix two; undefined when no choice does.
 */
function oneBuild(c: Cycle, witnesses: readonly OrderEdge[][]): Cycle | undefined {
  const arches = new Set(c.edges.flatMap((e) => [...archesOf(e)]));
  if (arches.size <= 1) return c;
  const fits = (e: OrderEdge, arch: string): boolean => [...archesOf(e)].every((a) => a === arch);
  for (const arch of [...arches].sort()) {
    const picked = c.edges.map((e, i) => (fits(e, arch) ? e : witnesses[i]?.find((v) => v.held.read === e.held.read && v.taken.read === e.taken.read && fits(v, arch))));
    if (picked.every((e) => e !== undefined)) return { ...c, edges: picked as OrderEdge[] };
  }
  return undefined;
}
