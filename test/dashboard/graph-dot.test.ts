import { describe, expect, it } from 'vitest';
import type { EdgeJson, InversionJson } from '../../src/analyzers/report-types.ts';
import { dotString, graphDot, GRAPH_LIMITS } from '../../src/dashboard/graph-dot.ts';
import { createGraphSvgRenderer } from '../../src/dashboard/graph-svg.ts';

const e = (from: string, to: string): EdgeJson => ({ from, to, chain: [] });
const inv = (a: string, b: string): InversionJson => ({ locks: [a, b], edges: [e(a, b), e(b, a)] });

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

describe('graphDot', () => {
  // The seed fix: both edges of device_domain_lock <-> intel_iommu.lock exist before, one after.
  it('colours removed edges green and dashed before the patch, and leaves what remains grey after it', () => {
    const removed = inv('device_domain_lock', 'intel_iommu.lock');
    const before = graphDot({ locks: [], edges: removed.edges }, { added: [], removed: [removed] }, 'before');
    const after = graphDot({ locks: [], edges: [e('intel_iommu.lock', 'device_domain_lock')] }, { added: [], removed: [removed] }, 'after');
    if (!before.ok || !after.ok) throw new Error('not drawn');
    expect(before.dot.match(/class="order removed".*style="dashed"/g)).toHaveLength(2);
    expect(after.dot).not.toContain('removed');
    expect(after.dot).toMatch(/n1 -> n0 \[id="after-e0", class="order plain"/);
  });

  it('colours added edges and their locks red after the patch only', () => {
    const added = inv('ovs_mutex', 'vport.mutex');
    const view = { locks: [{ name: 'stats.lock', kind: 'spinlock' as const, seenAs: [] }], edges: [...added.edges, e('ovs_mutex', 'stats.lock')] };
    const after = graphDot(view, { added: [added], removed: [] }, 'after');
    const before = graphDot({ locks: view.locks, edges: [added.edges[0] as EdgeJson] }, { added: [added], removed: [] }, 'before');
    if (!after.ok || !before.ok) throw new Error('not drawn');
    expect(after.dot.match(/class="order added"/g)).toHaveLength(2);
    expect(after.dot.match(/class="lock added"/g)).toHaveLength(2);
    expect(after.dot).toMatch(/label="stats.lock", id="after-n1", class="lock"\]/);
    expect(before.dot).not.toContain('added');
  });

  it('draws a repeated edge once and names nodes by index, never by lock name', () => {
    const g = graphDot({ locks: [], edges: [e('b"x', 'a'), e('b"x', 'a')] }, { added: [], removed: [] }, 'before');
    if (!g.ok) throw new Error('not drawn');
    expect(g.dot.match(/->/g)).toHaveLength(2); // one edge statement plus its tooltip text
    expect(g.dot).toContain('n1 -> n0');
  });

  // A tree-wide refactor touching hundreds of locks: say so rather than lay out a hairball.
  it('refuses graphs past the limits with a reason', () => {
    const edges = Array.from({ length: GRAPH_LIMITS.nodes + 1 }, (_, i) => e(`l${i}`, `l${i + 1}`));
    const g = graphDot({ locks: [], edges }, { added: [], removed: [] }, 'after');
    expect(g).toEqual({ ok: false, reason: expect.stringContaining('too many to draw') });
  });
});

describe('createGraphSvgRenderer', () => {
  it('renders dot to an inline <svg> and keeps label markup as text', async () => {
    const render = createGraphSvgRenderer();
    const g = graphDot({ locks: [], edges: [e('<b>x</b>', 'y')] }, { added: [], removed: [] }, 'after');
    if (!g.ok) throw new Error('not drawn');
    const svg = await render(g.dot);
    if (!svg.ok) throw new Error(svg.reason);
    expect(svg.svg.startsWith('<svg')).toBe(true);
    expect(svg.svg).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(svg.svg).not.toContain('<b>');
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
