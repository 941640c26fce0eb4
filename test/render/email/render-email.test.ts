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
    expect(out).toContain('======================================================\nWARNING: possible circular locking dependency detected');
    expect(out).not.toContain('Chain exists of:');
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
    expect(out).toContain('Patch by patch:\n  1/2 changes nothing lockscope checks\n  2/2 removes ringlet_priv.tx_lock -> ringlet_priv.rx_lock, breaking');
  });

  // The cover letter of a series whose 3/3 fixes what 1/3 broke: one summary, no reports.
  it('summarises a series on its cover letter, patch by patch, within 78 columns', () => {
    const out = renderEmail(loadReview('series-3-add-remove'), { ...linkOptions, cover: true });
    expect(out).toContain(
      [
        'Patch by patch:',
        '  1/3 adds gizmo_list_lock -> gizmo_hw_lock, closing gizmo_hw_lock <->',
        '    gizmo_list_lock',
        '  2/3 changes nothing lockscope checks',
        '  3/3 removes gizmo_list_lock -> gizmo_hw_lock again',
        '',
        'gizmo_list_lock -> gizmo_hw_lock: introduced in 1/3, fixed by 3/3',
        '',
        'The series as a whole adds and removes nothing in the end: it is clean.',
      ].join('\n'),
    );
    expect(out).not.toContain('WARNING:');
    expect(out).not.toMatch(/^> /m);
    for (const l of out.split('\n')) if (!l.startsWith(' ') && !l.includes('/reviews/')) expect(l.length, l).toBeLessThanOrEqual(78);
  });

  // The kernel test robot's reply: base, reproduce line, "| " tags, and nothing bigger than a screenful or two.
  it('says the base and how it was chosen, a reproduce line, and Reported-by/Closes tags prefixed "| "', () => {
    const out = renderEmail(loadReview('edge-closes-five'), { ...linkOptions, reportedBy: 'lockscope <lockscope@bot.example.org>', closesUrl: 'https://lore.example.org/all/lockscope-1@bot.example.org/' });
    expect(out).toContain("Base: git 1a2b3c4d5e6f (the patch's base-commit: trailer).");
    expect(out).toContain("reproduce:\n        b4 am -o - 'order-add@example.org' | lockscope check --repo path/to/linux --rev 1a2b3c4d5e6f -");
    expect(out).toContain('| Reported-by: lockscope <lockscope@bot.example.org>\n| Closes: https://lore.example.org/all/lockscope-1@bot.example.org/');
    expect(out).toContain('and 4 longer cycles through this edge (the full review lists them).');
    expect(out.split('\n').length).toBeLessThanOrEqual(100);
  });

  it('caps the reply: blocks past the budget are counted with where to see them', () => {
    const r = loadReview('edge-closes-five');
    const edge = r.json.edges!.added[0]!;
    // Sixty edges, each closing its own copy of the cycle: a driver patch gone wrong.
    const many = Array.from({ length: 60 }, (_, i) => {
      const inv = r.json.inversions.added[0]!;
      const locks = inv.locks.map((l) => `${l}_${i}`);
      return { inv: { locks, edges: inv.edges.map((e) => ({ ...e, from: `${e.from}_${i}`, to: `${e.to}_${i}` })) }, edge: { ...edge, from: `${edge.from}_${i}`, to: `${edge.to}_${i}`, cycles: [[...locks].sort().join(' <-> ')] } };
    });
    r.json.inversions.added = many.map((m) => m.inv);
    r.json.edges = { added: many.map((m) => m.edge), removed: [] };
    const out = renderEmail(r, linkOptions);
    expect(out.split('\n').length).toBeLessThanOrEqual(160);
    expect(out).toMatch(/\n59 more findings are not shown here; see the full review at\nhttps:\/\/lockscope\.example\.org\/reviews\/42\.\n/);
    expect(renderEmail(r).replace(/\n/g, ' ')).toContain('run `lockscope check` on this patch to see them.');
  });

  // A subject or author holding a newline must not forge headers or lines in the reply.
  it('prints control characters from the patch as escapes', () => {
    const r = loadReview('hostile');
    r.meta[0]!.author = '"Mallory\n\u001b[31mred" <mallory@example.org>';
    const out = renderEmail(r);
    expect(out).not.toContain('\u001b');
    expect(out).toContain('Hi Mallory\\n\\x1b[31mred,');
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
