/** GitHub rejects a comment or check output over 65,535 characters; a big report must still post. */
import { describe, expect, it } from 'vitest';
import { COMMENT_MARKER, commentBody } from '../../src/github/comment-body.ts';
import { GITHUB_TEXT_LIMIT, truncateForGitHub } from '../../src/github/truncate-for-github.ts';

describe('truncateForGitHub', () => {
  it('a report that fits is untouched', () => {
    expect(truncateForGitHub('short\n', 'note')).toBe('short\n');
  });

  it('a PR adding hundreds of inversions gets a report cut at a line end, fences closed, the note last', () => {
    const block = '```text\n' + 'WARNING: possible circular locking dependency detected\n'.repeat(40) + '```\n';
    const report = block.repeat(60);
    expect(report.length).toBeGreaterThan(GITHUB_TEXT_LIMIT);
    const out = truncateForGitHub(report, '_cut; full report: https://x/reviews/1_');
    expect(out.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
    expect(out.endsWith('_cut; full report: https://x/reviews/1_')).toBe(true);
    const body = out.slice(0, out.lastIndexOf('\n\n_cut'));
    expect(body.split('\n').filter((l) => l.startsWith('```')).length % 2).toBe(0);
  });

  it('never splits a surrogate pair (an emoji in a function comment) at the cut', () => {
    const out = truncateForGitHub('😀'.repeat(40), 'n', 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('commentBody', () => {
  it('starts with the hidden marker ensureComment finds, and a cut body links the dashboard', () => {
    const body = commentBody('x\n'.repeat(40_000), 'https://lockscope.example.org/reviews/3');
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(body.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
    expect(body).toContain('https://lockscope.example.org/reviews/3');
  });
});
