/**
 * The on-disk symbol index (src/store/symbols-store.ts): the last tree's index by blob id
 * survives the process, a damaged file is detected and dropped, and a new indexer with the store
 * scans only the files whose blobs it has not seen: none for the same tree, one after a commit
 * that changes one file. Built on a real git repository (test/fixtures/context/driver).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SymbolIndexer } from '../../src/context/symbol-indexer.ts';
import { SymbolIndex } from '../../src/context/symbol-index.ts';
import { scanSymbols } from '../../src/context/symbol-scan.ts';
import { GitTree } from '../../src/diff/git-tree.ts';
import { DiskSymbolsStore, scannerBuild, symbolIndexerBeside } from '../../src/store/symbols-store.ts';
import { testRepo, type TestRepo } from '../commands/git-repo.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'lockscope-symbols-'));
const fixture = join(import.meta.dirname, '../fixtures/context/driver');

let repo: TestRepo;
beforeAll(() => {
  repo = testRepo(fixture);
  writeFileSync(join(repo.dir, 'unrelated.c'), `${readFileSync(join(fixture, 'unrelated.c'), 'utf8')}\nvoid other_more(void)\n{\n\tother_work();\n}\n`);
  repo.git(['commit', '-q', '-am', 'more']);
});
afterAll(() => repo.remove());

async function indexAt(indexer: SymbolIndexer, rev: string): Promise<SymbolIndex> {
  const base = await GitTree.open(repo.dir, rev);
  try {
    return await indexer.indexOf(base, []);
  } finally {
    base.close();
  }
}

describe('DiskSymbolsStore', () => {
  it('gives back what was saved, from another instance, for the same scanner build only', async () => {
    const dir = tmp();
    const symbols = scanSymbols('static int helper(void)\n{\n\treturn other();\n}\n');
    await new DiskSymbolsStore(dir, { build: 'b1' }).save(new Map([['blob1', symbols]]));
    expect(await new DiskSymbolsStore(dir, { build: 'b1' }).load()).toEqual(new Map([['blob1', symbols]]));
    expect(await new DiskSymbolsStore(dir, { build: 'b2' }).load()).toBeUndefined();
    expect(scannerBuild()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('detects a truncated or altered file, deletes it, and reads nothing from it', async () => {
    for (const damage of [(b: Buffer): Buffer => b.subarray(0, b.length - 3), (b: Buffer): Buffer => Buffer.from(b.map((x, i) => (i === b.length - 2 ? x ^ 1 : x)))]) {
      const dir = tmp();
      const store = new DiskSymbolsStore(dir, { build: 'b1' });
      await store.save(new Map([['blob1', scanSymbols('void f(void)\n{\n\tg();\n}\n')]]));
      writeFileSync(store.file, damage(readFileSync(store.file)));
      expect(await store.load()).toBeUndefined();
      expect(store.stats.corrupt).toBe(1);
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});

describe('a symbol indexer with a store', () => {
  it('scans the tree once across processes, then only the files a commit changed, and indexes the same', async () => {
    const dir = tmp();
    const first = new SymbolIndexer({ store: new DiskSymbolsStore(dir) });
    const cold = await indexAt(first, 'HEAD~');
    expect(first.scanned).toBe(6);

    // A new process (a new indexer) on the same tree: nothing is read and scanned again.
    const second = new SymbolIndexer({ store: new DiskSymbolsStore(dir) });
    const warm = await indexAt(second, 'HEAD~');
    expect(second.scanned).toBe(0);
    expect(warm.definitions('core_reset')).toEqual(cold.definitions('core_reset'));
    expect(warm.callers('chip_irq')).toEqual(cold.callers('chip_irq'));

    // The next commit changed unrelated.c only: one file scanned; its new function is indexed.
    const third = new SymbolIndexer({ store: new DiskSymbolsStore(dir) });
    const next = await indexAt(third, 'HEAD');
    expect(third.scanned).toBe(1);
    expect(next.definitions('other_more').map((d) => d.path)).toEqual(['unrelated.c']);
  });

  it("the mail bot's indexer keeps its index in facts/symbols next to its database", async () => {
    const dir = tmp();
    await indexAt(symbolIndexerBeside(join(dir, 'lockscope.db')), 'HEAD');
    expect(readdirSync(join(dir, 'facts', 'symbols')).sort()).toEqual([`${scannerBuild()}.idx`, 'trees']);
    const again = symbolIndexerBeside(join(dir, 'lockscope.db'));
    await indexAt(again, 'HEAD');
    expect(again.scanned).toBe(0);
  });
});

describe("a tree's finished index in the store", () => {
  it('is read back whole by the next process: no blob symbols loaded, nothing scanned, the same answers', async () => {
    const dir = tmp();
    const first = new SymbolIndexer({ store: new DiskSymbolsStore(dir) });
    const cold = await indexAt(first, 'HEAD~');
    const store = new DiskSymbolsStore(dir);
    const second = new SymbolIndexer({ store });
    const warm = await indexAt(second, 'HEAD~');
    expect(store.treeStats.hits).toBe(1);
    expect(store.stats.loads).toBe(0);
    expect(second.scanned).toBe(0);
    for (const name of ['core_reset', 'chip_irq', 'other_work', 'no_such_function']) {
      expect(warm.definitions(name)).toEqual(cold.definitions(name));
      expect(warm.callers(name)).toEqual(cold.callers(name));
    }
    expect(warm.definitions('core_reset').length).toBeGreaterThan(0);
    expect(warm.callers('chip_irq').length).toBeGreaterThan(0);
    expect([warm.files, warm.scope]).toEqual([cold.files, 'tree']);
  });

  it('is dropped when damaged, and the tree indexed again from the blob symbols', async () => {
    const dir = tmp();
    const base = await GitTree.open(repo.dir, 'HEAD');
    const key = (await base.cacheKey?.()) as string;
    base.close();
    const cold = await indexAt(new SymbolIndexer({ store: new DiskSymbolsStore(dir) }), 'HEAD');
    const file = new DiskSymbolsStore(dir).treeFile(key);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 5));
    const store = new DiskSymbolsStore(dir);
    const indexer = new SymbolIndexer({ store });
    const again = await indexAt(indexer, 'HEAD');
    expect(store.treeStats.corrupt).toBe(1);
    expect(store.stats.loads).toBe(1);
    expect(indexer.scanned).toBe(0);
    expect(again.callers('other_work')).toEqual(cold.callers('other_work'));
    // Written again, whole: the next process reads it.
    const next = new DiskSymbolsStore(dir);
    await indexAt(new SymbolIndexer({ store: next }), 'HEAD');
    expect(next.treeStats.hits).toBe(1);
  });

  it('keeps the most recently used trees only', async () => {
    const dir = tmp();
    const store = new DiskSymbolsStore(dir, { maxTrees: 1 });
    await indexAt(new SymbolIndexer({ store }), 'HEAD~');
    await indexAt(new SymbolIndexer({ store }), 'HEAD');
    expect(readdirSync(join(dir, 'trees'))).toHaveLength(1);
    const reread = new DiskSymbolsStore(dir, { maxTrees: 1 });
    await indexAt(new SymbolIndexer({ store: reread }), 'HEAD');
    expect(reread.treeStats.hits).toBe(1);
  });
});

describe('SymbolIndex.unpack', () => {
  it('refuses arrays that do not fit together', () => {
    const index = SymbolIndex.of([['a.c', scanSymbols('void f(void)\n{\n\tg();\n}\n')]], 'tree');
    const p = index.pack();
    expect(SymbolIndex.unpack(p, 'tree')?.definitions('f')).toEqual([{ path: 'a.c', isStatic: false, isMacro: false }]);
    expect(SymbolIndex.unpack({ ...p, callPaths: Int32Array.of(7) }, 'tree')).toBeUndefined();
    expect(SymbolIndex.unpack({ ...p, names: `${p.names}extra` }, 'tree')).toBeUndefined();
    // Looked up by binary search once read back: every name found, absent ones not.
    const many = SymbolIndex.of(['b', 'a', 'd', 'c', 'e'].map((x, i) => [`${i}.c`, scanSymbols(`void ${x}x(void)\n{\n\t${x}y();\n}\n`)] as const), 'tree');
    const back = SymbolIndex.unpack(many.pack(), 'tree');
    for (const x of ['a', 'b', 'c', 'd', 'e']) {
      expect(back?.definitions(`${x}x`)).toEqual(many.definitions(`${x}x`));
      expect(back?.callers(`${x}y`)).toEqual(many.callers(`${x}y`));
    }
    expect(back?.callers('zz')).toEqual([]);
    expect(back?.definitions('')).toEqual([]);
  });

  it('keeps one site for a name defined alike twice in a file, and both kinds when they differ', () => {
    const text = '#ifdef A\nstatic void f(void)\n{\n}\n#else\nstatic void f(void)\n{\n}\n#endif\n#define f(x) x\n';
    const index = SymbolIndex.of([['a.c', scanSymbols(text)], ['b.c', scanSymbols('static void f(void)\n{\n}\n')]], 'tree');
    expect(index.definitions('f')).toEqual([
      { path: 'a.c', isStatic: true, isMacro: false },
      { path: 'a.c', isStatic: false, isMacro: true },
      { path: 'b.c', isStatic: true, isMacro: false },
    ]);
  });
});
