/**
 * Builds Graphviz `dot` text for the two pictures of the lock-order graph around a patch, before
 * and after it: lock classes as nodes, order edges `from -> to` as arrows. Both pictures are laid
 * out from the same graph (the union of both sides: an edge missing on one side is drawn
 * invisible there, a lock missing is drawn faint), so every lock sits in the same place before
 * and after and the eye sees only what changed. The edges the patch ADDS are red on the after
 * side, the edges it REMOVES green and dashed on the before side, with their locks; everything
 * else is grey.
 *
 *   before:  device_domain_lock --(green, dashed)--> intel_iommu.lock
 *            intel_iommu.lock   --(grey)-----------> device_domain_lock
 *   after:   device_domain_lock    (invisible edge)   intel_iommu.lock
 *            intel_iommu.lock   --(grey)-----------> device_domain_lock
 *
 * Lock names come from the patched code, so they never become dot identifiers: nodes are `n0`,
 * `n1`..., and names only appear in escaped, quoted labels and tooltips. Not a renderer: see
 * graph-svg.ts.
 */
import type { GraphView } from '../review-types.ts';

export type GraphSide = 'before' | 'after';

/** The order edges the patch adds and removes, by lock class names. */
export interface EdgeHighlight {
  added: readonly { from: string; to: string }[];
  removed: readonly { from: string; to: string }[];
}

/** Past this many nodes or edges the picture is unreadable and slow to lay out: we say so instead. */
export const GRAPH_LIMITS = { nodes: 150, edges: 400 };

const COLORS = { added: '#c62828', removed: '#2e7d32', plain: '#757575', faint: '#d0d0d0', text: '#212121' };

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

/** Either the dot text or why the graph is not drawn. */
export type GraphDot = { ok: true; dot: string } | { ok: false; reason: string };

function namesOf(view: GraphView): Set<string> {
  const names = new Set<string>();
  for (const lock of view.locks) names.add(lock.name);
  for (const e of view.edges) {
    names.add(e.from);
    names.add(e.to);
  }
  return names;
}

/**
 * Both sides' dot. Node and edge `id`s are prefixed by the side so both pictures can sit in one
 * page; `class` is `added`, `removed`, `plain` or `absent` (the SVG keeps it).
 */
export function graphDots(graph: { before: GraphView; after: GraphView }, highlight: EdgeHighlight): { before: GraphDot; after: GraphDot } {
  const present = { before: namesOf(graph.before), after: namesOf(graph.after) };
  const names = new Set([...present.before, ...present.after]);
  const edges = new Map<string, { from: string; to: string }>();
  const sides = { before: new Set<string>(), after: new Set<string>() };
  for (const side of ['before', 'after'] as const) {
    for (const e of graph[side].edges) {
      const key = edgeKey(e.from, e.to);
      sides[side].add(key);
      if (!edges.has(key)) edges.set(key, { from: e.from, to: e.to });
    }
  }
  if (names.size > GRAPH_LIMITS.nodes || edges.size > GRAPH_LIMITS.edges) {
    const reason = `the graph has ${names.size} lock classes and ${edges.size} edges, too many to draw`;
    return { before: { ok: false, reason }, after: { ok: false, reason } };
  }
  const added = new Set(highlight.added.map((e) => edgeKey(e.from, e.to)));
  const removed = new Set(highlight.removed.map((e) => edgeKey(e.from, e.to)));
  const sorted = [...names].sort();
  const ids = new Map(sorted.map((name, i) => [name, `n${i}`]));
  const ordered = [...edges.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const draw = (side: GraphSide): GraphDot => {
    // An edge the patch adds exists only after it, one it removes only before it.
    const hot = side === 'after' ? added : removed;
    const kind = side === 'after' ? 'added' : 'removed';
    const color = side === 'after' ? COLORS.added : COLORS.removed;
    const hotLocks = new Set([...hot].flatMap((k) => k.split('\u0000')));
    const lines = [
      `digraph ${side} {`,
      '  graph [rankdir=LR, bgcolor="transparent", pad="0.3", nodesep="0.5", ranksep="0.9"];',
      `  node [shape=box, style="rounded", fontname="Helvetica", fontsize=14, margin="0.15,0.06", color="${COLORS.plain}", fontcolor="${COLORS.text}"];`,
      `  edge [color="${COLORS.plain}", arrowsize=0.8, penwidth=1.2];`,
    ];
    for (const name of sorted) {
      const id = ids.get(name) as string;
      const attrs = [`label=${dotString(name)}`, `id="${side}-${id}"`];
      if (!present[side].has(name)) attrs.push('class="lock absent"', `color="${COLORS.faint}"`, `fontcolor="${COLORS.faint}"`);
      else if (hotLocks.has(name)) attrs.push(`class="lock ${kind}"`, `color="${color}"`, `fontcolor="${color}"`, 'penwidth=2');
      else attrs.push('class="lock"');
      lines.push(`  ${id} [${attrs.join(', ')}];`);
    }
    ordered.forEach(([key, e], i) => {
      const attrs = [`id="${side}-e${i}"`, `tooltip=${dotString(`${e.from} -> ${e.to}`)}`];
      if (!sides[side].has(key)) attrs.push('class="order absent"', 'style="invis"');
      else if (hot.has(key)) attrs.push(`class="order ${kind}"`, `color="${color}"`, 'penwidth=2.5', ...(side === 'before' ? ['style="dashed"'] : []));
      else attrs.push('class="order plain"');
      lines.push(`  ${ids.get(e.from)} -> ${ids.get(e.to)} [${attrs.join(', ')}];`);
    });
    lines.push('}');
    return { ok: true, dot: `${lines.join('\n')}\n` };
  };
  return { before: draw('before'), after: draw('after') };
}
