import { describe, expect, it } from 'vitest';
import { authorName } from '../../../src/render/email/author-name.ts';
import { quoteHunks } from '../../../src/render/email/quote-hunks.ts';
import { renderEmail } from '../../../src/render/email/render-email.ts';
import { wrapProse } from '../../../src/render/email/wrap-prose.ts';
import type { HunkQuote } from '../../../src/review-types.ts';
import { linkOptions, loadReview, reviewCases } from '../review-fixtures.ts';

describe('renderEmail', () => {
  // The reply to the intel-iommu fix on the list: greeting, quote, verdict, evidence, signature.
  it('greets the author, quotes before it comments, and signs off', () => {
    const out = renderEmail(loadReview('removes'));
    const lines = out.split('\n');
    expect(lines[0]).toBe('Hi Jane Doe,');
    expect(lines[2]).toBe('> +++ b/drivers/iommu/dmar-lite.c');
    const firstProse = lines.findIndex((l, i) => i > 1 && l !== '' && !l.startsWith('>'));
    expect(lines[firstProse]).toBe('This patch removes the lock-order inversion device_domain_lock <->');
    expect(lines[firstProse + 1]).toBe('intel_iommu.lock.');
    expect(out).toContain('Chain exists of:\n  device_domain_lock --> intel_iommu.lock --> device_domain_lock');
    expect(out.endsWith('\n-- \nlockscope, lock-order review bot\n')).toBe(true);
  });

  it('marks the quoted lines that take and release locks', () => {
    const out = renderEmail(loadReview('removes'));
    expect(out).toContain('>  \tspin_lock_irqsave(&iommu->lock, flags);   <-- takes lock');
    expect(out).toContain('>  \t\tspin_unlock_irqrestore(&iommu->lock, flags);   <-- releases lock');
  });

  it('takes the name from a quoted display name and skips the greeting without one', () => {
    expect(renderEmail(loadReview('lockdep-confirmed')).startsWith('Hi Doe, Jane,\n')).toBe(true);
    expect(renderEmail(loadReview('recursive')).startsWith('> +++ b/')).toBe(true);
    expect(renderEmail(loadReview('error')).startsWith('lockscope could not review this patch:')).toBe(true);
  });

  it('words the lockdep cross-check, wrapped', () => {
    const out = renderEmail(loadReview('lockdep-confirmed'));
    expect(out).toContain('The lockdep report in the commit message (device_domain_lock / &iommu->lock)\nis confirmed fixed by this patch.');
  });

  // Mail readers and `git am` users see this raw: prose we wrap stays within 78 columns.
  it('keeps its own prose within 78 columns and never wraps quotes, chains or paths', () => {
    for (const name of reviewCases) {
      const lines = renderEmail(loadReview(name), linkOptions).split('\n');
      for (const l of lines) {
        const ours = !l.startsWith('>') && !l.startsWith(' ') && !l.startsWith('|') && !l.includes('/') && !l.startsWith('-> #') && !l.startsWith('---');
        if (ours && !/^\S+$/.test(l)) expect(l.length, `${name}: ${l}`).toBeLessThanOrEqual(78);
      }
    }
  });

  it('links the dashboard and suggests a tag prefixed "| " only when the patch adds an inversion', () => {
    const adds = renderEmail(loadReview('adds'), linkOptions);
    expect(adds).toContain('The full review:\n  https://lockscope.example.org/reviews/42');
    expect(adds).toMatch(/^\| Closes: https:\/\/lockscope\.example\.org\/reviews\/42$/m);
    expect(adds).not.toMatch(/^Closes:/m);
    expect(renderEmail(loadReview('removes'), linkOptions)).not.toContain('| Closes:');
    expect(renderEmail(loadReview('adds'))).not.toContain('lockscope.example.org');
  });

  it('gives a verdict per patch of a series', () => {
    const out = renderEmail(loadReview('series-2'));
    expect(out).toContain('Patch by patch:\n  [1/2] [PATCH 1/2] net: ringlet:');
    expect(out).toContain('  [2/2] [PATCH 2/2] net: ringlet: always take rx_lock before tx_lock: removes');
  });

  // A subject or author holding a newline must not forge headers or lines in the reply.
  it('prints control characters from the patch as escapes', () => {
    const out = renderEmail(loadReview('hostile'));
    expect(out).not.toContain('\u001b');
    expect(out).toContain('@everyone\\n\\x1b[31mred');
  });
});

describe('quoteHunks', () => {
  const big: HunkQuote = {
    file: 'drivers/x.c',
    function: 'f',
    header: '@@ -1,60 +1,61 @@ static void f(void)',
    lines: Array.from({ length: 60 }, (_, i) => (i === 30 ? '+\tspin_lock(&a);' : i === 50 ? '-\tfoo();' : ` \tline${i};`)),
    lockLines: [30],
  };

  // A long hunk: only the lock line, its neighbours and the changed lines are quoted.
  it('elides what does not matter and keeps what does', () => {
    const q = quoteHunks([big]);
    expect(q).toEqual([
      '> +++ b/drivers/x.c',
      '> @@ -1,60 +1,61 @@ static void f(void)',
      '> [...]',
      '>  \tline29;',
      '> +\tspin_lock(&a);   <-- takes lock',
      '>  \tline31;',
      '> [...]',
      '> -\tfoo();',
      '> [...]',
    ]);
  });

  it('never quotes more than 25 lines however many hunks there are', () => {
    const many = Array.from({ length: 10 }, (_, k) => ({ ...big, file: `drivers/x${k}.c` }));
    const q = quoteHunks(many);
    expect(q.length).toBeLessThanOrEqual(25);
    expect(q[q.length - 1]).toBe('> [...]');
    expect(q.every((l) => l.startsWith('>'))).toBe(true);
  });

  it('quotes nothing when there are no hunks, and ignores lock-line indexes out of range', () => {
    expect(quoteHunks([])).toEqual([]);
    expect(() => quoteHunks([{ ...big, lockLines: [-1, 999] }])).not.toThrow();
  });
});

describe('authorName', () => {
  it('extracts display names from From: values', () => {
    expect(authorName('Jane Doe <jane@example.org>')).toBe('Jane Doe');
    expect(authorName('"Doe, Jane" <jane@example.org>')).toBe('Doe, Jane');
    expect(authorName('jane@example.org (Jane Doe)')).toBe(null);
    expect(authorName('<jane@example.org>')).toBe(null);
    expect(authorName(null)).toBe(null);
  });
});

describe('wrapProse', () => {
  it('breaks at spaces only and gives an over-long word its own line', () => {
    const long = `x/${'y'.repeat(90)}.c`;
    expect(wrapProse(`see ${long} now`, 20)).toEqual(['see', long, 'now']);
    expect(wrapProse('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
  });
});
