/**
 * Suppressions as a maintainer uses them: an in-source `lockscope: safe-order A -> B (reason)`
 * for one order judged safe, and a baseline file of known findings (`lockscope baseline write`,
 * then `check --baseline`, or the base's own .lockscope-baseline.json). Both are shown in the
 * review as suppressed and do not count for its outcome; nothing is dropped.
 */
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../src/analyzers/analyze.ts';
import { review } from '../src/review.ts';
import { renderMarkdown } from '../src/render/markdown/render-markdown.ts';
import { renderText } from '../src/render/text/render-text.ts';
import { cli } from './commands/run-cli.ts';
import { MemoryTree } from './diff/memory-tree.ts';
import { wholeFileDiff as diffOf } from './support/whole-file-diff.ts';

const BASE = `
struct dev { struct mutex lock; struct queue *q; };
struct queue { struct mutex lock; };

void dev_flush(struct dev *d)
{
	mutex_lock(&d->lock);
	mutex_lock(&d->q->lock);
	mutex_unlock(&d->q->lock);
	mutex_unlock(&d->lock);
}
`;

/** Adds the other order: queue.lock -> dev.lock. */
const INVERTING = `${BASE}
void queue_kick(struct dev *d)
{
	mutex_lock(&d->q->lock);
	mutex_lock(&d->lock);
	mutex_unlock(&d->lock);
	mutex_unlock(&d->q->lock);
}
`;

describe('in-source safe-order annotations', () => {
  it('mark the inversion through that edge suppressed, with the reason and where it is written', async () => {
    const text = INVERTING.replace('void queue_kick', '/* lockscope: safe-order queue.lock -> dev.lock (the queue is private to this path) */\nvoid queue_kick');
    const r = await analyzeSources([{ path: 'd.c', text }]);
    const inv = r.json.findings.find((f) => f.kind === 'inversion');
    expect(inv?.suppressed).toEqual({ by: 'annotation', reason: 'the queue is private to this path', file: 'd.c', line: 13 });
    expect(r.json.inversions[0]?.suppressed?.by).toBe('annotation');
  });

  it('read a lock qualified by its file or function as reports name it', async () => {
    const text = `${BASE}/* lockscope: safe-order dev.lock (d.c) -> nosuch.lock (probe()) (stale) */\n`;
    const r = await analyzeSources([{ path: 'd.c', text }]);
    expect(r.json.skipped.map((s) => s.reason)).toContain('lockscope: safe-order dev.lock (d.c) -> nosuch.lock (probe()) matches no order lockscope sees (a lock renamed? the order gone?)');
  });

  it('say so when an annotation matches no order at all', async () => {
    const text = `${BASE}/* lockscope: safe-order dev.lock -> nosuch.lock (stale) */\n`;
    const r = await analyzeSources([{ path: 'd.c', text }]);
    expect(r.json.skipped.map((s) => s.reason)).toContain('lockscope: safe-order dev.lock -> nosuch.lock matches no order lockscope sees (a lock renamed? the order gone?)');
  });

  it('a patch adding an annotated order: the finding is shown as added and suppressed; the outcome is no-change', async () => {
    const after = INVERTING.replace('void queue_kick', '/* lockscope: safe-order queue.lock -> dev.lock: ordered by the queue state */\nvoid queue_kick');
    const r = await review({ patches: [diffOf('drivers/d/d.c', BASE, after)], base: new MemoryTree({ 'drivers/d/d.c': BASE }), context: 'touched' });
    expect(r.json.outcome).toBe('no-change');
    expect(r.json.verdict).toBe('no-change');
    expect(r.json.findings.added.map((f) => [f.kind, f.suppressed?.reason])).toEqual([['inversion', 'ordered by the queue state']]);
    // Without the annotation the same patch adds it.
    const plain = await review({ patches: [diffOf('drivers/d/d.c', BASE, INVERTING)], base: new MemoryTree({ 'drivers/d/d.c': BASE }), context: 'touched' });
    expect(plain.json.outcome).toBe('adds');
    // Rendered apart, with who suppressed it and where; not as a change the patch makes.
    const text = renderText(r);
    expect(text).toMatch(/^Suppressed, not counted \(1\):\n {2}dev.lock <-> queue.lock \(annotated safe at drivers\/d\/d\.c:\d+: ordered by the queue state/m);
    expect(text).not.toMatch(/possible circular locking dependency/);
    expect(renderText(plain)).toMatch(/possible circular locking dependency/);
    expect(renderMarkdown(r)).toMatch(/\*\*Suppressed, not counted \(1\)\*\*/);
  });
});

describe('baseline files', () => {
  it('baseline write records the findings; check --baseline shows them as known and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockscope-baseline-'));
    await mkdir(join(dir, 'drivers'));
    await writeFile(join(dir, 'drivers/d.c'), INVERTING);
    const w = await cli(['baseline', 'write', '--out', 'known.json', 'drivers'], { cwd: dir });
    expect(w.err).toBe('');
    expect(w.code).toBe(0);
    const file = JSON.parse(await readFile(join(dir, 'known.json'), 'utf8'));
    expect(file.schema).toBe('lockscope.baseline/1');
    expect(file.findings.map((f: { kind: string; locks: string[] }) => `${f.kind} ${f.locks.join(' ')}`)).toEqual(['inversion dev.lock queue.lock']);

    // A patch that touches the file and keeps the inversion in a moved function: known.
    await writeFile(join(dir, 'patch.diff'), diffOf('d.c', INVERTING, INVERTING.replace('queue_kick', 'queue_kick_now')));
    const base = join(dir, 'drivers');
    const r = await cli(['check', '--base', base, '--context', 'touched', '--baseline', 'known.json', '--format', 'json', 'patch.diff'], { cwd: dir });
    const json = JSON.parse(r.out);
    expect(json.baseline).toEqual({ source: 'known.json', known: 1 });
    const shown = [...json.findings.added, ...json.findings.unchanged].filter((f: { kind: string }) => f.kind === 'inversion');
    expect(shown.map((f: { suppressed?: { by: string } }) => f.suppressed?.by)).toEqual(['baseline']);
    expect(json.outcome).toBe('no-change');
  });

  it("the base's own .lockscope-baseline.json is read; a file that is not a baseline is an error in the review, nothing suppressed", async () => {
    const analysis = await analyzeSources([{ path: 'drivers/d/d.c', text: BASE }]);
    expect(analysis.findings).toHaveLength(0);
    const after = await analyzeSources([{ path: 'drivers/d/d.c', text: INVERTING }]);
    const key = after.findings.find((f) => f.kind === 'inversion')?.key as string;
    const baseline = JSON.stringify({ schema: 'lockscope.baseline/1', source: 'test', written: '2026-01-01T00:00:00.000Z', findings: [{ key, kind: 'inversion', locks: [], function: '', file: '', title: '' }] });
    const patch = diffOf('drivers/d/d.c', BASE, INVERTING);
    const known = await review({ patches: [patch], base: new MemoryTree({ 'drivers/d/d.c': BASE, '.lockscope-baseline.json': baseline }), context: 'touched' });
    expect(known.json.findings.added[0]?.suppressed?.by).toBe('baseline');
    expect(known.json.outcome).toBe('no-change');
    const broken = await review({ patches: [patch], base: new MemoryTree({ 'drivers/d/d.c': BASE, '.lockscope-baseline.json': '{"findings": 3}' }), context: 'touched' });
    expect(broken.json.errors.join('\n')).toMatch(/not a lockscope baseline/);
    expect(broken.json.outcome).toBe('adds');
  });
});
