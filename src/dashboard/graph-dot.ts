/**
 * Builds Graphviz `dot` text for one side (before or after the patch) of the lock-order graph
 * around a patch: lock classes as nodes, order edges `from -> to` as arrows. Edges of inversions
 * the patch ADDS, and their locks, are red; edges of inversions it REMOVES are green and dashed;
 * everything else is grey. Red is drawn on the after side only, green on the before side only.
 *
 *   before:  device_domain_lock --(green, dashed)--> intel_iommu.lock
 *            intel_iommu.lock   --(green, dashed)--> device_domain_lock
 *   after:   intel_iommu.lock   --(grey)-----------> device_domain_lock
 *
 * Lock names come from the patched code, so they never become dot identifiers: nodes are `n0`,
 * `n1`..., and names only appear in escaped, quoted labels and tooltips. Not a renderer: see
 * graph-svg.ts.
 */
import type { InversionJson } from '../analyzers/report-types.ts';
import type { GraphView } from '../review-types.ts';

export type GraphSide = 'before' | 'after';

export interface GraphHighlight {
  added: readonly InversionJson[];
  removed: readonly InversionJson[];
}

/** Past this many nodes or edges the picture is unreadable and slow to lay out: we say so instead. */
export const GRAPH_LIMITS = { nodes: 150, edges: 400 };

const COLORS = { added: '#c62828', removed: '#2e7d32', plain: '#9e9e9e', text: '#212121' };

/**
 * A dot double-quoted string. Backslashes are doubled so `\N`, `\G`, `\l` in a lock name stay
 * literal; quotes are escaped; `&` is written as an entity; line breaks become spaces. Labels longer than 80 characters are cut.
 */
export function dotString(text: string): string {
  const flat = text.replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ');
  const short = flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
  // Graphviz passes `&name;` through to the SVG as an entity: escape `&` so "&amp;" shows literally.
  return `"${short.replace(/&/g, '&amp;').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const edgeKey = (from: string, to: string): string => `${from}\u0000${to}`;

function edgesOf(list: readonly InversionJson[]): Set<string> {
  const keys = new Set<string>();
  for (const inv of list) for (const e of inv.edges) keys.add(edgeKey(e.from, e.to));
  return keys;
}

/** Either the dot text or why the graph is not drawn. */
export type GraphDot = { ok: true; dot: string } | { ok: false; reason: string };

/**
 * GraphView -> dot. Node and edge `id`s are prefixed by `side` so both pictures can sit in one
 * page; `class` is `added`, `removed` or `plain` (the SVG keeps both).
 */
export function graphDot(view: GraphView, highlight: GraphHighlight, side: GraphSide): GraphDot {
  const names = new Set<string>();
  for (const lock of view.locks) names.add(lock.name);
  for (const e of view.edges) {
    names.add(e.from);
    names.add(e.to);
  }
  if (names.size > GRAPH_LIMITS.nodes || view.edges.length > GRAPH_LIMITS.edges) {
    return { ok: false, reason: `the graph has ${names.size} lock classes and ${view.edges.length} edges, too many to draw` };
  }
  // An inversion the patch adds exists only after it, one it removes only before it; an edge of
  // either that is on the other side too is just an edge there (grey).
  const added = side === 'after' ? edgesOf(highlight.added) : new Set<string>();
  const removed = side === 'before' ? edgesOf(highlight.removed) : new Set<string>();
  const addedLocks = new Set(highlight.added.flatMap((inv) => inv.locks));

  const ids = new Map<string, string>();
  const sorted = [...names].sort();
  sorted.forEach((name, i) => ids.set(name, `n${i}`));

  const lines = [
    `digraph ${side} {`,
    '  graph [rankdir=LR, bgcolor="transparent", pad="0.2", nodesep="0.4", ranksep="0.6"];',
    `  node [shape=box, style="rounded", fontname="Helvetica", fontsize=11, color="${COLORS.plain}", fontcolor="${COLORS.text}"];`,
    `  edge [color="${COLORS.plain}", fontname="Helvetica", fontsize=9, arrowsize=0.7];`,
  ];
  for (const name of sorted) {
    const id = ids.get(name) as string;
    const hot = side === 'after' && addedLocks.has(name);
    const attrs = [`label=${dotString(name)}`, `id="${side}-${id}"`, `class="${hot ? 'lock added' : 'lock'}"`];
    if (hot) attrs.push(`color="${COLORS.added}"`, `fontcolor="${COLORS.added}"`, 'penwidth=2');
    lines.push(`  ${id} [${attrs.join(', ')}];`);
  }
  // Duplicate edges (two witnesses of one order) are drawn once.
  const seen = new Set<string>();
  view.edges.forEach((e) => {
    const key = edgeKey(e.from, e.to);
    if (seen.has(key)) return;
    seen.add(key);
    const kind = added.has(key) ? 'added' : removed.has(key) ? 'removed' : 'plain';
    const from = ids.get(e.from) as string;
    const to = ids.get(e.to) as string;
    const attrs = [`id="${side}-e${seen.size - 1}"`, `class="order ${kind}"`, `tooltip=${dotString(`${e.from} -> ${e.to}`)}`];
    if (kind === 'added') attrs.push(`color="${COLORS.added}"`, 'penwidth=2');
    if (kind === 'removed') attrs.push(`color="${COLORS.removed}"`, 'style="dashed"', 'penwidth=2');
    lines.push(`  ${from} -> ${to} [${attrs.join(', ')}];`);
  });
  lines.push('}');
  return { ok: true, dot: `${lines.join('\n')}\n` };
}
