/**
 * lockdep's "BUG: held lock freed!" (checkers/held-lock-freed.ts) on the fixture
 * free--held-lock-of-freed-object.c: reported where a function frees an object holding a lock
 * inside it, not where a function without a body was handed the object in between (it may
 * have released the lock), nor for a lock that lives in another object reached through it.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';
import { AnalysisCache } from '../../src/analyzers/analysis-cache.ts';
import { FactsCache } from '../../src/analyzers/c/facts-cache.ts';
import { DirTree } from '../../src/diff/dir-tree.ts';
import { renderText } from '../../src/render/text/render-text.ts';
import { review } from '../../src/review.ts';
import { wholeFileDiff } from '../support/whole-file-diff.ts';

const path = 'free--held-lock-of-freed-object.c';
const text = readFileSync(join(import.meta.dirname, '../fixtures/c', path), 'utf8');

describe('held lock freed', () => {
  it('is reported for the free with the lock still held, with where it was taken and where freed', async () => {
    const { json } = await analyzeSources([{ path, text }]);
    const found = json.findings.filter((f) => f.kind === 'held-lock-freed');
    expect(found.map((f) => f.function)).toEqual(['free_root_held']);
    const f = found[0]!;
    expect(f.locks).toEqual(['sb_info.umount']);
    const lineOf = (needle: string, after: string): number => {
      const lines = text.split('\n');
      const from = lines.findIndex((l) => l.includes(after));
      return lines.findIndex((l, i) => i > from && l.includes(needle)) + 1;
    };
    expect(f.evidence.map((e) => e.chain.at(-1)?.line)).toEqual([lineOf('down_write(&root->sb.umount);', 'static void free_root_held'), lineOf('kfree(root);', 'static void free_root_held')]);
    expect(f.evidence[0]!.chain.at(-1)).toMatchObject({ function: 'free_root_held', op: 'acquire' });
    expect(f.evidence[1]!.chain.at(-1)).toMatchObject({ function: 'free_root_held', op: 'call', callee: 'kfree' });
  });

  it('a patch that drops the unlock before the free adds one, reported as lockdep words it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-freed-'));
    mkdirSync(join(dir, 'drivers/pool'), { recursive: true });
    const before = [
      'struct pool { struct mutex lock; int n; };',
      '',
      'void pool_destroy(struct pool *p)',
      '{',
      '\tmutex_lock(&p->lock);',
      '\tp->n = 0;',
      '\tmutex_unlock(&p->lock);',
      '\tkfree(p);',
      '}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'drivers/pool/pool.c'), before);
    const after = before.replace('\tmutex_unlock(&p->lock);\n', '');
    const r = await review({ patches: [wholeFileDiff('drivers/pool/pool.c', before, after)], base: new DirTree(dir), context: 'touched' }, { cache: new FactsCache(), analyses: new AnalysisCache() });
    expect(r.json.findings.added.map((f) => `${f.kind} ${f.function} ${f.locks.join(',')}`)).toEqual(['held-lock-freed pool_destroy pool.lock']);
    const text = renderText(r);
    expect(text).toContain('BUG: held lock freed!');
    expect(text).toContain('pool_destroy() is freeing memory at drivers/pool/pool.c:7, with a lock still held there!');
  });
});
