import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trusted } from '../../src/dashboard/views/html.ts';

describe('html', () => {
  // Subjects and names arrive from patches: a subject with markup must render as text.
  it('escapes interpolated strings, including in attributes', () => {
    const subject = `<script>alert("x")</script>' onmouseover='1`;
    expect(html`<a title="${subject}">${subject}</a>`.value).toBe(
      '<a title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;1">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;1</a>',
    );
    expect(escapeHtml('a & b')).toBe('a &amp; b');
  });

  it('nests fragments and arrays without double escaping, and drops nullish and booleans', () => {
    const rows = ['<1>', '2'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${rows}${null}${undefined}${false}${0}</ul>`.value).toBe('<ul><li>&lt;1&gt;</li><li>2</li>0</ul>');
    expect(html`${trusted('<svg></svg>')}`.value).toBe('<svg></svg>');
  });
});
