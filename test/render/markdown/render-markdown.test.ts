import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChainStep, InversionJson } from '../../../src/analyzers/report-types.ts';
import { escapeHtml, escapeMarkdown } from '../../../src/render/markdown/escape-markdown.ts';
import { fencedBlock } from '../../../src/render/markdown/fenced-block.ts';
import { markdownLink } from '../../../src/render/markdown/markdown-link.ts';
import { renderMarkdown } from '../../../src/render/markdown/render-markdown.ts';
import type { Review } from '../../../src/review-types.ts';
import { outsideFences } from '../outside-fences.ts';
import { linkOptions, loadReview } from '../review-fixtures.ts';

describe('renderMarkdown', () => {
  // The PR comment for the intel-iommu fix.
  it('opens with a status heading and the verdict sentence in bold', () => {
    const lines = renderMarkdown(loadReview('removes')).split('\n');
    expect(lines[0]).toBe('### lockscope: Fixed');
    expect(lines[2]).toBe('**This patch removes the lock-order inversion device\\_domain\\_lock &lt;-&gt; intel\\_iommu.lock.**');
  });

  it('links removed edges to the base side and added ones to the head side', () => {
    const calls: string[] = [];
    const lineUrl = (file: string, line: number, side: 'base' | 'head'): string => {
      calls.push(`${side} ${file}:${line}`);
      return `https://example.org/${side}/${file}#L${line}`;
    };
    const out = renderMarkdown(loadReview('mixed'), { lineUrl });
    expect(calls).toContain('head drivers/dma/chan-lite.c:44');
    expect(calls).toContain('base drivers/dma/chan-lite.c:27');
    expect(calls.filter((c) => c.includes(':44')).every((c) => c.startsWith('head'))).toBe(true);
    // One row per edge the patch changes, at the patch's own line.
    expect(out).toContain('| Adds | dma\\_chan.lock -&gt; dma\\_dev.irq\\_lock, closing dma\\_chan.lock &lt;-&gt; dma\\_dev.irq\\_lock | [drivers/dma/chan-lite.c:44](https://example.org/head/drivers/dma/chan-lite.c#L44) |');
    expect(out).toContain('| Removes | dma\\_chan.lock -&gt; chan\\_list\\_lock, breaking chan\\_list\\_lock &lt;-&gt; dma\\_chan.lock | [drivers/dma/chan-lite.c:27](https://example.org/base/drivers/dma/chan-lite.c#L27) |');
  });

  it('puts each change in a collapsible block with the lockdep report fenced', () => {
    const out = renderMarkdown(loadReview('seed-iommu'));
    const start = out.indexOf('<details>');
    const block = out.slice(start, out.indexOf('</details>', start));
    expect(block).toContain('<summary>Removed: device&#95;domain&#95;lock -&gt; intel&#95;iommu.lock, breaking device&#95;domain&#95;lock &lt;-&gt; intel&#95;iommu.lock</summary>');
    expect(block).toContain('```text\n======================================================\nWARNING: possible circular locking dependency detected');
    expect(block).toContain('       CPU0                    CPU1');
    expect(block).toContain(' *** DEADLOCK ***\n```');
  });

  it('reports a finding of another kind in its own layout, with the count of pre-existing ones', () => {
    const out = renderMarkdown(loadReview('kind-sleep-added'));
    expect(out.split('\n')[0]).toBe('### lockscope: Locking problem added');
    expect(out).toContain('| Adds | a sleep in atomic context (kmalloc with gizmo.fifo\\_lock held, in gizmo\\_sleep\\_fill()) | drivers/gizmo/sleep.c:15 |');
    expect(out).toContain('```text\nBUG: sleeping function called from invalid context at drivers/gizmo/sleep.c:15');
    expect(out).toContain('1 pre-existing finding of other kinds in the analyzed files is unchanged.');
  });

  it('has no links without lineUrl and no dashboard line without dashboardUrl', () => {
    const out = renderMarkdown(loadReview('adds'));
    expect(out).not.toMatch(/\]\(/);
    expect(out).toContain('| Adds | udc\\_gadget.lock -&gt; cfg\\_mutex, closing cfg\\_mutex &lt;-&gt; udc\\_gadget.lock | drivers/usb/gadget/udc-lite.c:215 |');
    expect(renderMarkdown(loadReview('adds'), linkOptions)).toMatch(/\n\[Full review on the lockscope dashboard\]\(https:\/\/lockscope\.example\.org\/reviews\/42\)\n$/);
  });

  // A front end's link builder that throws or returns a javascript: URL costs the link, not the comment.
  it('survives a broken link builder and refuses non-http links', () => {
    const out = renderMarkdown(loadReview('adds'), {
      lineUrl: () => {
        throw new Error('no blob URL');
      },
      dashboardUrl: 'javascript:alert(1)',
    });
    expect(out).not.toMatch(/\]\(/);
    expect(markdownLink('x', 'javascript:alert(1)')).toBe('x');
    expect(markdownLink('x', 'https://e.org/a b(c)')).toBe('[x](https://e.org/a%20b%28c%29)');
  });

  it('lists the patches of a series, what a later one takes back, and the touched functions', () => {
    const out = renderMarkdown(loadReview('series-2'));
    expect(out).toContain('- 2/2 removes ringlet\\_priv.tx\\_lock -&gt; ringlet\\_priv.rx\\_lock, breaking ringlet\\_priv.rx\\_lock &lt;-&gt; ringlet\\_priv.tx\\_lock');
    expect(out).toContain('<summary>Functions touched (2)</summary>');
    const three = renderMarkdown(loadReview('series-3-add-remove'));
    expect(three).toContain('- 1/3 adds gizmo\\_list\\_lock -&gt; gizmo\\_hw\\_lock, closing gizmo\\_hw\\_lock &lt;-&gt; gizmo\\_list\\_lock\n- 2/3 changes nothing lockscope checks\n- 3/3 removes gizmo\\_list\\_lock -&gt; gizmo\\_hw\\_lock again');
    expect(three).toContain('- gizmo\\_list\\_lock -&gt; gizmo\\_hw\\_lock: introduced in 1/3, fixed by 3/3');
  });
});

describe('markdown escaping helpers', () => {
  it('escapes HTML and markdown syntax inline', () => {
    expect(escapeMarkdown('<script>|`*_[x](y)~#')).toBe('&lt;script&gt;\\|\\`\\*\\_\\[x\\](y)\\~\\#');
    expect(escapeHtml('<b>`x`_')).toBe('&lt;b&gt;&#96;x&#96;&#95;');
    expect(escapeMarkdown('ping @torvalds')).toBe('ping @\u200btorvalds');
  });

  it('picks a fence longer than any backtick run inside', () => {
    expect(fencedBlock(['a ```` b'])).toBe('`````text\na ```` b\n`````');
    expect(fencedBlock(['plain'])).toBe('```text\nplain\n```');
  });
});

// Any lock, function or file name a patch can hold: no HTML tag of its own survives outside
// code, and the renderer does not throw.
describe('renderMarkdown over arbitrary names', () => {
  const name = fc.string({ minLength: 1, maxLength: 24, unit: fc.constantFrom('<', '>', '`', '|', '*', '_', '[', ']', '(', ')', '\n', '&', '#', 'a', 'b', ' ', '/', 'script', 'details', '"', '\\', '!', '@') });
  it('escapes every tag and never throws', () => {
    fc.assert(
      fc.property(name, name, name, name, (a, b, fn, file) => {
        const step = (lock: string, line: number): ChainStep => ({ function: fn, file, line, op: 'acquire', lock });
        const inv: InversionJson = { locks: [a, b], edges: [{ from: a, to: b, chain: [step(a, 1), step(b, 2)] }, { from: b, to: a, chain: [step(b, 3), step(a, 4)] }] };
        const base = loadReview('adds');
        const r: Review = {
          ...base,
          json: { ...base.json, inversions: { added: [inv], removed: [inv], unchanged: [inv] }, patches: [{ subject: a, messageId: null, verdict: 'mixed', inversions: { added: [inv], removed: [], unchanged: [] }, outcome: 'mixed', findings: { added: [], removed: [], unchanged: [] } }, { subject: fn, messageId: null, verdict: 'no-change', inversions: { added: [], removed: [], unchanged: [] }, outcome: 'no-change', findings: { added: [], removed: [], unchanged: [] } }], functions: [{ file, name: fn, hunks: 1 }], errors: [b] },
          graph: { before: { locks: [{ name: a, kind: 'mutex', seenAs: [b], inferred: true }], edges: [] }, after: { locks: [], edges: [] } },
        };
        const out = renderMarkdown(r, linkOptions);
        const prose = outsideFences(out);
        const tags = new Set([...prose.matchAll(/<\/?([A-Za-z][\w-]*)/g)].map((m) => m[1]));
        for (const t of tags) expect(['details', 'summary']).toContain(t);
        expect((prose.match(/<details>/g) ?? []).length).toBe((prose.match(/<\/details>/g) ?? []).length);
      }),
      { numRuns: 200, seed: 20240311 },
    );
  });
});
