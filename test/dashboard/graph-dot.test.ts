import { describe, expect, it } from 'vitest';
import type { EdgeJson } from '../../src/analyzers/report-types.ts';
import { dotString, graphDots, GRAPH_LIMITS } from '../../src/dashboard/graph-dot.ts';
import { createGraphSvgRenderer } from '../../src/dashboard/graph-svg.ts';

const e = (from: string, to: string): EdgeJson => ({ from, to, chain: [] });
const none = { added: [], removed: [] };

describe('dotString', () => {
  // A lock name is text from the patch: it must not close the string or inject attributes.
  it('escapes quotes, backslashes, ampersands and line breaks', () => {
    expect(dotString('a"];x->y[label="b')).toBe('"a\\"];x->y[label=\\"b"');
    expect(dotString('\\N\\G')).toBe('"\\\\N\\\\G"');
    expect(dotString('a&amp;b')).toBe('"a&amp;amp;b"');
    expect(dotString('two\nlines\r\u2028')).toBe('"two lines "');
    expect(dotString('x'.repeat(100))).toBe(`"${'x'.repeat(79)}…"`);
  });
});

describe('graphDots', () => {
  // The seed fix: both edges of device_domain_lock <-> intel_iommu.lock exist before, one after.
  it('colours the edge the patch removes green and dashed before it, and leaves it out (invisible) after it', () => {
    const before = { locks: [], edges: [e('device_domain_lock', 'intel_iommu.lock'), e('intel_iommu.lock', 'device_domain_lock')] };
    const after = { locks: [], edges: [e('intel_iommu.lock', 'device_domain_lock')] };
    const dots = graphDots({ before, after }, { added: [], removed: [e('device_domain_lock', 'intel_iommu.lock')] });
    if (!dots.before.ok || !dots.after.ok) throw new Error('not drawn');
    expect(dots.before.dot).toMatch(/n0 -> n1 \[id="before-e0", tooltip="device_domain_lock -> intel_iommu.lock", class="order removed", color="#2e7d32", penwidth=2.5, style="dashed"\]/);
    expect(dots.after.dot).toMatch(/n0 -> n1 \[id="after-e0", tooltip="device_domain_lock -> intel_iommu.lock", class="order absent", style="invis"\]/);
    expect(dots.after.dot).toMatch(/n1 -> n0 \[id="after-e1", [^\]]*class="order plain"\]/);
    expect(dots.after.dot).not.toContain('removed');
  });

  it('colours the edges the patch adds and their locks red after it only', () => {
    const graph = {
      before: { locks: [{ name: 'stats.lock', kind: 'spinlock' as const, seenAs: [] }], edges: [e('vport.mutex', 'ovs_mutex')] },
      after: { locks: [{ name: 'stats.lock', kind: 'spinlock' as const, seenAs: [] }], edges: [e('vport.mutex', 'ovs_mutex'), e('ovs_mutex', 'vport.mutex'), e('ovs_mutex', 'stats.lock')] },
    };
    const dots = graphDots(graph, { added: [e('ovs_mutex', 'vport.mutex')], removed: [] });
    if (!dots.after.ok || !dots.before.ok) throw new Error('not drawn');
    expect(dots.after.dot.match(/class="order added"/g)).toHaveLength(1);
    expect(dots.after.dot.match(/class="lock added"/g)).toHaveLength(2);
    expect(dots.after.dot).toMatch(/label="stats.lock", id="after-n1", class="lock"\]/);
    expect(dots.before.dot).not.toContain('added');
    // The lock only the after side has an edge to is still placed before, faint.
    expect(dots.before.dot).toMatch(/label="stats.lock", id="before-n1", class="lock"\]/);
  });

  it('draws the same nodes and edges in the same order on both sides, so the layouts match', () => {
    const graph = { before: { locks: [], edges: [e('a', 'b')] }, after: { locks: [], edges: [e('b', 'c')] } };
    const dots = graphDots(graph, { added: [e('b', 'c')], removed: [e('a', 'b')] });
    if (!dots.before.ok || !dots.after.ok) throw new Error('not drawn');
    const skeleton = (dot: string): string[] => [...dot.matchAll(/^ {2}(n\d+(?: -> n\d+)?) /gm)].map((m) => m[1] as string);
    expect(skeleton(dots.before.dot)).toEqual(['n0', 'n1', 'n2', 'n0 -> n1', 'n1 -> n2']);
    expect(skeleton(dots.after.dot)).toEqual(skeleton(dots.before.dot));
    expect(dots.before.dot).toMatch(/label="c", id="before-n2", class="lock absent"/);
  });

  it('draws a repeated edge once and names nodes by index, never by lock name', () => {
    const dots = graphDots({ before: { locks: [], edges: [e('b"x', 'a'), e('b"x', 'a')] }, after: { locks: [], edges: [] } }, none);
    if (!dots.before.ok) throw new Error('not drawn');
    expect(dots.before.dot.match(/->/g)).toHaveLength(2); // one edge statement plus its tooltip text
    expect(dots.before.dot).toContain('n1 -> n0');
  });

  // A tree-wide refactor touching hundreds of locks: say so rather than lay out a hairball.
  it('refuses graphs past the limits with a reason', () => {
    const edges = Array.from({ length: GRAPH_LIMITS.nodes + 1 }, (_, i) => e(`l${i}`, `l${i + 1}`));
    const dots = graphDots({ before: { locks: [], edges: [] }, after: { locks: [], edges } }, none);
    expect(dots.after).toEqual({ ok: false, reason: expect.stringContaining('too many to draw') });
  });
});

describe('createGraphSvgRenderer', () => {
  it('renders dot to an inline <svg> and keeps label markup as text', async () => {
    const render = createGraphSvgRenderer();
    const g = graphDots({ before: { locks: [], edges: [] }, after: { locks: [], edges: [e('<b>x</b>', 'y')] } }, none).after;
    if (!g.ok) throw new Error('not drawn');
    const svg = await render(g.dot);
    if (!svg.ok) throw new Error(svg.reason);
    expect(svg.svg.startsWith('<svg')).toBe(true);
    expect(svg.svg).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(svg.svg).not.toContain('<b>');
  });

  // The point of one layout for both sides: a lock is where the reader saw it a moment ago.
  it('places every lock at the same position before and after the patch', async () => {
    const render = createGraphSvgRenderer();
    const locks = Array.from({ length: 30 }, (_, i) => `lock_${i}`);
    const before = { locks: [], edges: locks.slice(1).map((l, i) => e(locks[i] as string, l)) };
    const after = { locks: [], edges: [...before.edges.slice(0, 20), e('lock_29', 'lock_0'), ...before.edges.slice(21)] };
    const dots = graphDots({ before, after }, { added: [e('lock_29', 'lock_0')], removed: [e('lock_20', 'lock_21')] });
    if (!dots.before.ok || !dots.after.ok) throw new Error('not drawn');
    const [b, a] = [await render(dots.before.dot), await render(dots.after.dot)];
    if (!b.ok || !a.ok) throw new Error('not rendered');
    const positions = (svg: string): string[] => [...svg.matchAll(/<text[^>]*x="([\d.-]+)" y="([\d.-]+)"[^>]*>(lock_\d+)</g)].map((m) => `${m[3]}@${m[1]},${m[2]}`).sort();
    expect(positions(b.svg)).toHaveLength(30);
    expect(positions(a.svg)).toEqual(positions(b.svg));
    // Legible: lock labels at 14 points, not shrunk to fit.
    expect(b.svg).toMatch(/font-size="14.00"/);
  });

  it('answers a reason, not an exception, for dot it cannot parse or a Graphviz that fails to load', async () => {
    expect(await createGraphSvgRenderer()('digraph { a -> ')).toMatchObject({ ok: false });
    let loads = 0;
    const broken = createGraphSvgRenderer(() => {
      loads++;
      return Promise.reject(new Error('wasm missing'));
    });
    expect(await broken('digraph { a }')).toEqual({ ok: false, reason: 'the graph could not be drawn: wasm missing' });
    await broken('digraph { a }');
    expect(loads).toBe(2);
  });
});
