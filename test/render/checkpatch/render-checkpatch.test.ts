/**
 * The checkpatch format as its readers parse it: b4 lists each stdout line of a per-patch check as
 * a failure when it contains "ERROR:", else as a warning, and a silent run as "passed all checks"
 * (b4's LoreMessage.run_local_check); editors jump to `file:line:`. The byte-exact output per
 * review fixture is in test/fixtures/reviews/*.checkpatch.golden (renderers.case.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ChainStep, InversionJson } from '../../../src/analyzers/report-types.ts';
import { findingLine } from '../../../src/render/checkpatch/finding-line.ts';
import { renderCheckpatch } from '../../../src/render/checkpatch/render-checkpatch.ts';
import type { Finding } from '../../../src/render/checkpatch/review-findings.ts';
import type { Review } from '../../../src/review-types.ts';
import { loadReview } from '../review-fixtures.ts';

/** What b4 makes of a check command's stdout: one (flag, line) per line, or success when silent. */
function asB4Would(stdout: string): [string, string][] {
  const lines = stdout.trim() === '' ? [] : stdout.trim().split('\n');
  return lines.length === 0 ? [['success', 'passed all checks']] : lines.map((l) => [l.includes('ERROR:') ? 'fail' : 'warning', l]);
}

const TERSE = /^(?<file>[^:\n]+):(?<line>\d+): (?<level>ERROR|WARNING): (?<message>.+)$/;

const step = (fn: string, line: number, what = 'acquires x', file = 'drivers/a/a.c'): ChainStep => {
  const [verb, name] = what.split(' ');
  return verb === 'calls' ? { function: fn, file, line, op: 'call', callee: name as string } : { function: fn, file, line, op: 'acquire', lock: name as string };
};

describe('checkpatch renderer', () => {
  it('is silent for a fix: b4 reports "passed all checks"', () => {
    for (const name of ['removes', 'lockdep-confirmed', 'series-2', 'no-change']) {
      expect(asB4Would(renderCheckpatch(loadReview(name))), name).toEqual([['success', 'passed all checks']]);
    }
  });

  it('fails the patch in b4 with one terse line per added edge, at a line of a touched function', () => {
    const out = renderCheckpatch(loadReview('three-lock'));
    expect(asB4Would(out).map(([flag]) => flag)).toEqual(['fail']);
    const m = TERSE.exec(out.trimEnd());
    expect(m?.groups).toMatchObject({ file: 'fs/jfl/super.c', line: '305', level: 'ERROR' });
    // The cycle is read from the edge the patch adds (jfl_statfs takes lock_quota under s_lock).
    expect(m?.groups?.message).toMatch(/^possible circular locking dependency: jfl_sb_info\.s_lock -> lock_quota \(inferred\) -> journal_lock -> jfl_sb_info\.s_lock \(see /);
  });

  // A patch that edits nbq_submit, which already takes the locks of a known inversion.
  it('warns about a pre-existing inversion only when the patch touches a function on its chains', () => {
    const review = loadReview('lockdep-not-confirmed');
    expect(asB4Would(renderCheckpatch(review)).map(([flag]) => flag)).toEqual(['warning']);
    const elsewhere: Review = { ...review, json: { ...review.json, functions: [{ file: 'drivers/block/nbq.c', name: 'nbq_probe', hunks: 1 }] } };
    expect(renderCheckpatch(elsewhere)).toBe('');
  });

  it('says on every line which base it checked against and how that base was chosen', () => {
    const review = loadReview('adds');
    const withBase: Review = { ...review, json: { ...review.json, base: { tree: 'git 0123456789ab', rev: 'v6.1', chosenBy: 'rev', note: 'not shown here' } } };
    expect(renderCheckpatch(withBase)).toMatch(/\(see drivers\/usb\/gadget\/udc-lite\.c:150 udc_configure; base git 0123456789ab \(--rev v6\.1\)\)\n$/);
    const failed = loadReview('error');
    const trailer: Review = { ...failed, json: { ...failed.json, base: { tree: 'git fedcba987654', rev: 'fedcba987654', chosenBy: 'trailer' } } };
    expect(renderCheckpatch(trailer)).toBe(
      "WARNING: lockscope could not check this patch: drivers/iommu/dmar-lite.c: hunk 2 (@@ -88,7 +88,8 @@) does not apply at or near line 88 [PATCH_APPLY] (base git fedcba987654 (the patch's base-commit: trailer))\n",
    );
  });

  // lockscope.review/2 brings findings of other kinds; the renderer must not need to know them.
  it('renders review/2 findings of any kind through the same one-line mapping', () => {
    const review = loadReview('no-change');
    const irq: Finding = {
      kind: 'irq-inversion',
      locks: ['a_lock', 'b_lock'],
      function: 'b_irq',
      title: 'HARDIRQ-safe -> HARDIRQ-unsafe lock order detected: a_lock -> b_lock',
      evidence: [
        { label: 'a_lock -> b_lock', chain: [step('b_take', 10), step('b_take', 12)] },
        { label: 'a_lock in hardirq', chain: [step('b_irq', 40)] },
      ],
    };
    const withFindings = { ...review, json: { ...review.json, functions: [{ file: 'drivers/a/a.c', name: 'b_take', hunks: 1 }], findings: { added: [irq], removed: [], unchanged: [] } } } as unknown as Review;
    expect(renderCheckpatch(withFindings)).toBe(
      'drivers/a/a.c:12: ERROR: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected: a_lock -> b_lock (see drivers/a/a.c:40 b_irq)\n',
    );
  });

  it('anchors on the last step the patch touches, else on where the first chain takes its lock', () => {
    const finding: Finding = {
      kind: 'inversion',
      locks: ['a', 'b'],
      function: '',
      title: 'possible circular locking dependency: a -> b -> a',
      evidence: [
        { label: 'a -> b', chain: [step('f', 1), step('f', 2, 'calls g'), step('g', 9)] },
        { label: 'b -> a', chain: [step('h', 20), step('h', 21)] },
      ],
    };
    expect(findingLine(finding, 'ERROR', new Set(['drivers/a/a.c\u0000f']))).toBe('drivers/a/a.c:2: ERROR: possible circular locking dependency: a -> b -> a (see drivers/a/a.c:21 h)');
    expect(findingLine(finding, 'ERROR', new Set(['drivers/a/a.c\u0000h']))).toBe('drivers/a/a.c:21: ERROR: possible circular locking dependency: a -> b -> a (see drivers/a/a.c:9 g)');
    expect(findingLine(finding, 'ERROR', new Set())).toBe('drivers/a/a.c:9: ERROR: possible circular locking dependency: a -> b -> a (see drivers/a/a.c:21 h)');
  });

  // fs/jffs2 in Linux 3.0: a one-line change to gc.c sits on 250 elementary cycles of seven locks.
  it('gives findings at the same line one line, and at most five warnings before a count', () => {
    const cycle = (locks: string[], line: number): InversionJson => ({
      locks,
      edges: locks.map((l, i) => ({ from: l, to: locks[(i + 1) % locks.length] as string, chain: i === 0 ? [step('gc', line - 1), step('gc', line)] : [step('other', 500)] })),
    });
    const unchanged = [cycle(['a', 'b'], 10), cycle(['a', 'c', 'b'], 10), cycle(['a', 'd', 'b'], 10), ...[20, 30, 40, 50, 60, 70].map((l) => cycle(['x', 'y'], l)), cycle(['x', 'z', 'y'], 70)];
    const added = [cycle(['p', 'q'], 80), cycle(['p', 'r', 'q'], 80)];
    const review = loadReview('no-change');
    const dense = { ...review, json: { ...review.json, functions: [{ file: 'drivers/a/a.c', name: 'gc', hunks: 1 }], inversions: { added, removed: [], unchanged } } } as unknown as Review;
    expect(renderCheckpatch(dense).split('\n')).toEqual([
      'drivers/a/a.c:80: ERROR: possible circular locking dependency: p -> q -> p (see drivers/a/a.c:500 other; and 1 more finding at this line)',
      'drivers/a/a.c:10: WARNING: possible circular locking dependency: a -> b -> a (present before this patch, in code it touches; see drivers/a/a.c:500 other; and 2 more findings at this line)',
      ...[20, 30, 40, 50].map((l) => `drivers/a/a.c:${l}: WARNING: possible circular locking dependency: x -> y -> x (present before this patch, in code it touches; see drivers/a/a.c:500 other)`),
      'WARNING: 3 more pre-existing findings run through code this patch touches (lockscope check --format text lists them all)',
      '',
    ]);
  });

  // One edge closing five cycles: one ERROR line, at the patch's line, counting the longer cycles.
  it('gives an added edge one line, at the line the patch wrote, with the longer cycles it closes counted', () => {
    expect(renderCheckpatch(loadReview('edge-closes-five'))).toBe(
      "drivers/gizmo/order.c:62: ERROR: possible circular locking dependency: gizmo_state_mutex -> gizmo_bus_mutex -> gizmo_state_mutex (see drivers/gizmo/order.c:21 gizmo_bus_reset; and 4 longer cycles through this edge; base git 1a2b3c4d5e6f (the patch's base-commit: trailer))\n",
    );
    expect(renderCheckpatch(loadReview('kind-leak-added'))).toMatch(/^drivers\/gizmo\/leak\.c:19: ERROR: context imbalance in gizmo_leak_read\(\): returns holding gizmo\.io_mutex on some paths \(see drivers\/gizmo\/leak\.c:17 gizmo_leak_read; /);
  });

  it('keeps one finding on one line whatever the names hold', () => {
    const out = renderCheckpatch(loadReview('hostile'));
    expect(out.split('\n')).toHaveLength(2);
    expect(out).not.toContain('\u001b');
    const forged: Finding = { kind: 'inversion', locks: ['x'], function: '', title: 'x\nERROR: forged', evidence: [{ label: 'x', chain: [step('f\r\nWARNING: y', 3, 'acquires x', 'a\nb.c')] }] };
    expect(findingLine(forged, 'WARNING', new Set(), [], 0, 0, true)).toBe('a\\nb.c:3: WARNING: x\\nERROR: forged (present before this patch, in code it touches)');
  });
});
