/**
 * What a review's reports are about, centred on the patch's own delta (issue 12): for each order
 * edge the patch adds (or removes), the shortest cycle it closes (or breaks), oriented so that
 * edge is the dependency being acquired, and the count of longer cycles through it; then each
 * finding of the other kinds. Two edges of the patch whose shortest cycle is the same share one
 * block. A cycle no changed edge explains (a mode change, a bound) gets a block of its own.
 * Pre-existing findings are counted, and listed only when the patch touches a function on their
 * chains. Every renderer lays these out; none re-derives them.
 *
 * A review stored before edges were reported has none: its inversions stand in, each focused on
 * an edge witnessed in a function the patch touches (else on its closing edge).
 */
import { inversionKey } from '../analyzers/analysis-json.ts';
import type { ChainStep, FindingJson, InversionJson } from '../analyzers/report-types.ts';
import type { EdgeChangeJson, EdgeSet, FindingSet, InversionSet, Review, TouchedFunctionJson } from '../review-types.ts';

export type Change = 'added' | 'removed';

/** The parts of a review (or of one patch of a series) the blocks are made from. */
export interface ChangeSource {
  inversions?: InversionSet;
  findings?: FindingSet;
  edges?: EdgeSet;
  functions?: TouchedFunctionJson[];
}

/** One edge the patch changes and the cycle it closes or breaks. */
export interface OrderBlock {
  type: 'order';
  change: Change;
  /** The patch's edges in this cycle, the one in focus first; empty for a cycle no changed edge explains. */
  edges: EdgeChangeJson[];
  /** The shortest cycle through edges[0]. */
  cycle: InversionJson;
  /** Index in cycle.edges of the dependency in focus (the edge the patch changes). */
  focal: number;
  /** Longer cycles through edges[0] (listed in JSON and on the dashboard, counted elsewhere). */
  longer: string[];
  /**
   * The cycle was there before and after; the patch adds (or removes) a way to one of its edges:
   * another function now takes the locks in that order (the finding's `newPath`).
   */
  path?: boolean;
}

export interface FindingBlock {
  type: 'finding';
  change: Change;
  finding: FindingJson;
}

export type Block = OrderBlock | FindingBlock;

/** "drivers/x.c\0foo": a chain step's function, as json.functions names it. */
const stepKey = (s: { file: string; function: string }): string => `${s.file}\u0000${s.function}`;

/** Functions the patch touches, keyed like stepKey; `patch` (1-based) narrows to one patch when known. */
export function touchedSet(json: ChangeSource, patch?: number): Set<string> {
  return new Set((json.functions ?? []).filter((f) => patch === undefined || !f.patches || f.patches.includes(patch)).map((f) => stepKey({ file: f.file, function: f.name })));
}

const touches = (chain: readonly ChainStep[], touched: ReadonlySet<string>): boolean => chain.some((s) => touched.has(stepKey(s)));

const ORDER_KINDS = new Set(['inversion', 'recursive']);

/** Edges standing in for a review stored before edges were reported. */
function legacyEdges(list: readonly InversionJson[], touched: ReadonlySet<string>): EdgeChangeJson[] {
  const byPair = new Map<string, EdgeChangeJson>();
  for (const inv of list) {
    const edges = inv.edges ?? [];
    if (edges.length === 0) continue;
    let focal = edges.length - 1;
    for (let i = edges.length - 1; i >= 0; i--) {
      if (touches(edges[i]?.chain ?? [], touched)) {
        focal = i;
        break;
      }
    }
    const e = edges[focal];
    if (!e) continue;
    const pair = `${e.from}\u0000${e.to}`;
    const key = inversionKey(inv.locks);
    const old = byPair.get(pair);
    if (old) old.cycles.push(key);
    else byPair.set(pair, { from: e.from, to: e.to, chain: e.chain ?? [], cycles: [key] });
  }
  return [...byPair.values()];
}

/** Index of edge from -> to in the cycle, or -1. */
function edgeIndex(inv: InversionJson, from: string, to: string): number {
  const n = inv.locks.length;
  return inv.locks.findIndex((l, i) => l === from && inv.locks[(i + 1) % n] === to);
}

/** The order blocks and finding blocks of one direction, in report order. */
export function changeBlocks(json: ChangeSource, change: Change, patch?: number): Block[] {
  // Suppressed ones are listed apart (suppressed-lines.ts): shown, not reported as changes.
  const inversions = (json.inversions?.[change] ?? []).filter((i) => !i.suppressed);
  const byKey = new Map<string, InversionJson>();
  for (const inv of inversions) if (!byKey.has(inversionKey(inv.locks))) byKey.set(inversionKey(inv.locks), inv);
  const edges = json.edges?.[change] ?? legacyEdges(inversions, touchedSet(json, patch));

  const blocks: OrderBlock[] = [];
  const shownIn = new Map<string, OrderBlock>();
  const explained = new Set<string>();
  for (const e of edges) {
    const cycles = (e.cycles ?? []).filter((k) => byKey.has(k));
    for (const k of cycles) explained.add(k);
    const first = cycles[0];
    if (first === undefined) continue;
    const shown = shownIn.get(first);
    if (shown) {
      shown.edges.push(e);
      continue;
    }
    const cycle = byKey.get(first) as InversionJson;
    const focal = edgeIndex(cycle, e.from, e.to);
    const block: OrderBlock = { type: 'order', change, edges: [e], cycle, focal: focal < 0 ? cycle.edges.length - 1 : focal, longer: cycles.slice(1) };
    blocks.push(block);
    shownIn.set(first, block);
  }
  for (const inv of inversions) {
    const k = inversionKey(inv.locks);
    if (explained.has(k)) continue;
    explained.add(k);
    blocks.push({ type: 'order', change, edges: [], cycle: inv, focal: Math.max(0, (inv.edges?.length ?? 1) - 1), longer: [] });
  }
  // One block per path the patch adds (or removes), however many cycles run through it: the
  // shortest shown, the others counted, as for an edge.
  const byPath = new Map<string, OrderBlock>();
  const live = (json.findings?.[change] ?? []).filter((f) => !f.suppressed);
  const bySize = [...live].sort((x, y) => x.locks.length - y.locks.length);
  for (const f of bySize) {
    if (!ORDER_KINDS.has(f.kind) || explained.has(inversionKey(f.locks))) continue;
    for (const b of pathBlocks(f, change)) {
      const e = b.edges[0] as EdgeChangeJson;
      const key = `${e.from}\u0000${e.to}\u0000${e.chain.map((x) => `${x.function}:${x.line}`).join(',')}`;
      const seen = byPath.get(key);
      if (seen) seen.longer.push(inversionKey(f.locks));
      else {
        byPath.set(key, b);
        blocks.push(b);
      }
    }
  }
  const findings = live.filter((f) => !ORDER_KINDS.has(f.kind));
  return [...blocks, ...findings.map((finding): FindingBlock => ({ type: 'finding', change, finding }))];
}

/**
 * A pre-existing inversion or recursion the patch adds a path to (or removes one of several
 * from): one block per such path, the cycle shown with that path as its edge, the edge in focus.
 * Path ids read "A -> B via held() -> taken()" (analysis-json.ts).
 */
function pathBlocks(f: FindingJson, change: Change): OrderBlock[] {
  const ids = (change === 'added' ? f.newPath?.added : f.newPath?.removed) ?? [];
  const n = f.locks.length;
  const key = inversionKey(f.locks);
  const base: InversionJson = { locks: f.locks, edges: f.locks.map((l, i) => ({ from: l, to: f.locks[(i + 1) % n] as string, chain: f.evidence[i]?.chain ?? [] })) };
  const out: OrderBlock[] = [];
  for (const id of ids) {
    const p = (f.paths ?? []).find((q) => `${q.edge} via ${q.held}() -> ${q.taken}()` === id);
    const i = p ? base.edges.findIndex((e) => `${e.from} -> ${e.to}` === p.edge) : -1;
    if (!p || i < 0) continue;
    const edge = base.edges[i] as InversionJson['edges'][number];
    const cycle = { locks: base.locks, edges: base.edges.map((e, j) => (j === i ? { ...e, chain: p.chain } : e)) };
    out.push({ type: 'order', change, edges: [{ from: edge.from, to: edge.to, chain: p.chain, cycles: [key] }], cycle, focal: i, longer: [], path: true });
  }
  return out;
}

/** Changed edges that close or break no cycle: order facts, not problems. */
export function quietEdges(json: ChangeSource, change: Change): number {
  return (json.edges?.[change] ?? []).filter((e) => (e.cycles ?? []).length === 0).length;
}

/** What the patch leaves as it was: counts, and the items on chains through code the patch touches. */
export interface Preexisting {
  inversions: number;
  findings: number;
  touched: ({ inversion: InversionJson } | { finding: FindingJson })[];
}

export function preexisting(review: Review, patch?: number): Preexisting {
  const json = review.json;
  const touched = touchedSet(json, patch);
  // A cycle the patch adds or removes a path to is reported as that change, not as pre-existing.
  const pathed = new Set([...(json.findings?.added ?? []), ...(json.findings?.removed ?? [])].filter((f) => ORDER_KINDS.has(f.kind) && f.newPath).map((f) => inversionKey(f.locks)));
  const inversions = (json.inversions?.unchanged ?? []).filter((inv) => !pathed.has(inversionKey(inv.locks)));
  const findings = (json.findings?.unchanged ?? []).filter((f) => !ORDER_KINDS.has(f.kind));
  return {
    inversions: inversions.length,
    findings: findings.length,
    touched: [
      ...inversions.filter((inv) => (inv.edges ?? []).some((e) => touches(e.chain ?? [], touched))).map((inversion) => ({ inversion })),
      ...findings.filter((f) => f.evidence.some((e) => touches(e.chain ?? [], touched))).map((finding) => ({ finding })),
    ],
  };
}

/**
 * Where an edge is "at": the last step of its witness in a function the patch touches (the line
 * the patch wrote, a call into a helper that takes the lock), else the step that takes its
 * second lock.
 */
export function edgeSite(e: { chain?: readonly ChainStep[] }, touched?: ReadonlySet<string>): ChainStep | undefined {
  const chain = e.chain ?? [];
  if (touched) {
    for (let i = chain.length - 1; i >= 0; i--) if (touched.has(stepKey(chain[i] as ChainStep))) return chain[i];
  }
  return chain[chain.length - 1];
}
