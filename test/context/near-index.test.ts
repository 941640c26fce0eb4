/**
 * A remote base (the GitHub APIs: a request per file read) is indexed only around the patch:
 * the touched directories and their ancestors. chip/main.c still reaches core.c at the root,
 * and nothing under lib/ is read for the index; a local base is indexed whole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisCache } from '../../src/analyzers/analysis-cache.ts';
import { FactsCache } from '../../src/analyzers/c/facts-cache.ts';
import { SymbolIndexer } from '../../src/context/symbol-indexer.ts';
import { review } from '../../src/review.ts';
import { MemoryTree } from '../diff/memory-tree.ts';

const fixtures = join(import.meta.dirname, '../fixtures/context');
const driver = Object.fromEntries(
  ['common.h', 'core.c', 'channel.c', 'hw.c', 'chip/main.c', 'unrelated.c'].map((p) => [p, readFileSync(join(fixtures, 'driver', p), 'utf8')]),
);
const files = { ...driver, 'lib/far.c': 'void far_away(void)\n{\n}\n', 'lib/more/deeper.c': 'void deeper(void)\n{\n}\n' };
const PATCH = readFileSync(join(fixtures, 'chip-irq-calls-core.diff'), 'utf8');

class RemoteTree extends MemoryTree {
  readonly remote = true;
}

const deps = () => ({ cache: new FactsCache(), analyses: new AnalysisCache(), symbols: new SymbolIndexer() });

describe('the symbol index of a remote base', () => {
  it('covers the touched directories and their ancestors only, and still finds the inversion', async () => {
    const tree = new RemoteTree(files);
    const r = await review({ patches: [PATCH], base: tree }, deps());
    expect(r.json.verdict).toBe('adds-inversion');
    expect(r.json.context).toMatchObject({ mode: 'calls', files: 5, index: { scope: 'near', files: 6 } });
    expect(tree.reads.filter((p) => p.startsWith('lib/'))).toEqual([]);
  });

  it('covers the whole tree of a local base', async () => {
    const tree = new MemoryTree(files);
    const r = await review({ patches: [PATCH], base: tree }, deps());
    expect(r.json.context).toMatchObject({ mode: 'calls', files: 5, index: { scope: 'tree', files: 8 } });
  });
});
