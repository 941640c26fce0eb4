/**
 * The lock-order graph: an edge A -> B for each way B may be taken while A is held, keyed by
 * the pair and the read/write modes (a cycle closed only by read-read rwlock edges is no
 * deadlock, so modes must survive until cycles are checked). One witness per key, the shortest.
 */
import { baseKey, type Acquisition } from '../locks/held-set.ts';
import { intersectGates, type Gate } from './gates.ts';

/** An order edge: `taken` was acquired while `held` was held. Its witness is both chains. */
export interface OrderEdge {
  from: string;
  to: string;
  held: Acquisition;
  taken: Acquisition;
  /** Other locks held all along on every witness of this edge (gates.ts). */
  beside?: readonly Gate[] | undefined;
}

/** `e` with these gates. */
const withBeside = (e: OrderEdge, beside: readonly Gate[] | undefined): OrderEdge => (beside === e.beside ? e : { from: e.from, to: e.to, held: e.held, taken: e.taken, beside });

export const edgeKey = (e: OrderEdge): string => `${e.from}>${e.to}|${e.held.read ? 'r' : 'w'}${e.taken.read ? 'r' : 'w'}`;

export const witnessLength = (e: OrderEdge): number => e.held.chain.len + e.taken.chain.len;

const gateCount = (e: OrderEdge): number => e.beside?.length ?? 0;

const lastFunction = (a: Acquisition): string => {
  let c = a.chain;
  while (c.next) c = c.next;
  return c.step.function;
};

/**
 * Which way an edge happens: the function where the held lock was taken and the function where
 * the second one is. A second, independent way to the same order (another function now calls a
 * locking helper while holding the lock) is a new path, worth reporting even though the edge is old.
 */
export const pathOf = (e: OrderEdge): string => `${lastFunction(e.held)}>${lastFunction(e.taken)}`;

/**
 * The build an edge's witness is in, as the preprocessor facts its two acquisitions carry: one
 * path through `#ifndef X` and the same path's other arm are two witnesses, so that a cycle
 * needing X can still be shown in its build (one-build.ts).
 */
const buildOf = (e: OrderEdge): string => {
  const side = (a: Acquisition): string => a.config?.filter((f) => f.key.startsWith('#')).map((f) => `${f.key}=${f.mask}`).join(',') ?? '';
  const key = `${side(e.held)}|${side(e.taken)}`;
  return key === '|' ? '' : key;
};
const variantOf = (e: OrderEdge): string => {
  const build = buildOf(e);
  return build ? `${pathOf(e)}#${build}` : pathOf(e);
};

/** Distinct ways kept per edge: enough to tell a new one, not every call site in a big tree. */
export const MAX_PATHS_PER_EDGE = 8;

/**
 * Keeps the shorter witness per key and path, at most MAX_PATHS_PER_EDGE paths per key (`perEdge`
 * lists the kept ones). A witness not kept still narrows the gates of those that are.
 */
export function keepShortest(map: Map<string, OrderEdge>, e: OrderEdge, perEdge?: Map<string, string[]>): void {
  const k = edgeKey(e);
  const kp = `${k}@${variantOf(e)}`;
  const old = map.get(kp);
  if (old) {
    const beside = intersectGates(old.beside, e.beside);
    map.set(kp, withBeside(witnessLength(old) > witnessLength(e) ? e : old, beside));
    return;
  }
  if (perEdge) {
    const kept = perEdge.get(k) ?? [];
    if (kept.length >= MAX_PATHS_PER_EDGE) {
      for (const x of kept) {
        const y = map.get(x);
        if (y?.beside) map.set(x, withBeside(y, intersectGates(y.beside, e.beside)));
      }
      return;
    }
    kept.push(kp);
    perEdge.set(k, kept);
  }
  map.set(kp, e);
}

export class OrderGraph {
  /** from -> to -> variants (at most four: the read/write modes of both ends). */
  private readonly adj = new Map<string, Map<string, OrderEdge[]>>();
  /** from>to -> every path recorded for the pair (any mode), shortest witness each. */
  private readonly paths = new Map<string, Map<string, OrderEdge>>();
  /** from>to -> the same, per path and build (variantOf): the witnesses a one-build choice picks from. */
  private readonly builds = new Map<string, Map<string, OrderEdge>>();
  /** Classes a path may hold two instances of (a self edge, a nested acquisition): they gate nothing. */
  readonly multi = new Set<string>();

  /** from>to pairs some witness makes outside a failed `__init`'s way out, and those only on one. */
  private readonly runtime = new Set<string>();
  private readonly boot = new Set<string>();

  /** `atBoot`: whether an edge's witness is made only on a failed `__init`'s way out (boot-unwind.ts). */
  constructor(edges: Iterable<OrderEdge>, atBoot?: (e: OrderEdge) => boolean) {
    const best = new Map<string, OrderEdge>();
    const booting = new Set<OrderEdge>();
    const gates = new Map<string, readonly Gate[] | undefined>();
    for (const e of edges) {
      const pair = `${e.from}>${e.to}`;
      let ps = this.paths.get(pair);
      if (!ps) this.paths.set(pair, (ps = new Map()));
      const p = pathOf(e);
      const oldPath = ps.get(p);
      if (!oldPath || witnessLength(oldPath) > witnessLength(e)) ps.set(p, e);
      let bs = this.builds.get(pair);
      if (!bs) this.builds.set(pair, (bs = new Map()));
      const v = variantOf(e);
      const oldVariant = bs.get(v);
      if (!oldVariant || witnessLength(oldVariant) > witnessLength(e)) bs.set(v, e);
      const isBoot = atBoot?.(e) === true;
      if (isBoot) {
        booting.add(e);
        this.boot.add(pair);
      } else this.runtime.add(pair);
      const k = edgeKey(e);
      const old = best.get(k);
      gates.set(k, old ? intersectGates(gates.get(k), e.beside) : e.beside);
      // The witness shown is made at run time where one is; then it holds the fewest other
      // locks (one its gates do not make look safe); then the shortest.
      const later = old ? Number(isBoot) - Number(booting.has(old)) : -1;
      const fewer = old ? gateCount(e) - gateCount(old) : -1;
      if (!old || later < 0 || (later === 0 && (fewer < 0 || (fewer === 0 && (witnessLength(e) < witnessLength(old) || (witnessLength(e) === witnessLength(old) && chainKey(e) < chainKey(old))))))) best.set(k, e);
      if (e.from === e.to || e.held.nested || e.from !== baseKey(e.from)) this.multi.add(baseKey(e.from));
      if (e.taken.nested || e.to !== baseKey(e.to)) this.multi.add(baseKey(e.to));
    }
    for (const [k, b] of best) {
      const e = withBeside(b, gates.get(k));
      let m = this.adj.get(e.from);
      if (!m) this.adj.set(e.from, (m = new Map()));
      const list = m.get(e.to);
      if (list) list.push(e);
      else m.set(e.to, [e]);
    }
  }

  /** Whether every witness of from -> to is made only on a failed `__init`'s way out. */
  onlyAtBoot(from: string, to: string): boolean {
    const pair = `${from}>${to}`;
    return this.boot.has(pair) && !this.runtime.has(pair);
  }

  nodes(): string[] {
    const s = new Set<string>();
    for (const [from, m] of this.adj) {
      s.add(from);
      for (const to of m.keys()) s.add(to);
    }
    return [...s].sort();
  }

  successors(from: string): string[] {
    return [...(this.adj.get(from)?.keys() ?? [])];
  }

  variants(from: string, to: string): readonly OrderEdge[] {
    return this.adj.get(from)?.get(to) ?? [];
  }

  /** Every path recorded for the ordered pair, by path id (see pathOf). */
  pathsOf(from: string, to: string): ReadonlyMap<string, OrderEdge> {
    return this.paths.get(`${from}>${to}`) ?? new Map();
  }

  /** Every witness recorded for the ordered pair, one per path and build. */
  variantsOf(from: string, to: string): Iterable<OrderEdge> {
    return this.builds.get(`${from}>${to}`)?.values() ?? [];
  }

  /** Every witness kept, pair by pair in order: the one of each mode, and the one per path and build. */
  witnesses(): OrderEdge[] {
    const out: OrderEdge[] = [];
    for (const from of this.nodes()) {
      for (const to of this.successors(from).sort()) for (const e of new Set([...this.variants(from, to), ...this.variantsOf(from, to)])) out.push(e);
    }
    return out;
  }

  /** One witness per ordered pair: write-mode variants first, then the shortest. */

  pairs(): OrderEdge[] {
    const out: OrderEdge[] = [];
    for (const m of this.adj.values()) for (const list of m.values()) out.push(pickWitness(list));
    return out.sort((a, b) => (a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1));
  }
}

function firstStep(a: Acquisition): { file: string; line: number } {
  return a.chain.step;
}

function lastStepOf(a: Acquisition): { file: string; line: number } {
  let c = a.chain;
  while (c.next) c = c.next;
  return c.step;
}

function chainKey(e: OrderEdge): string {
  const last = lastStepOf(e.taken);
  const first = firstStep(e.held);
  return `${first.file}:${String(first.line).padStart(8, '0')}:${last.file}:${String(last.line).padStart(8, '0')}`;
}

function pickWitness(list: readonly OrderEdge[]): OrderEdge {
  return [...list].sort((a, b) => Number(a.held.read) + Number(a.taken.read) - (Number(b.held.read) + Number(b.taken.read)) || witnessLength(a) - witnessLength(b))[0] as OrderEdge;
}
