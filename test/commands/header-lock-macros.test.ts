/**
 * The lock-wrapping macros of a kernel tree's headers (`#define pte_unmap_unlock(pte, ptl) do {
 * spin_unlock(ptl); ... } while (0)`): `lockscope analyze mm` in a test tree whose directory
 * takes a page-table lock through a local pointer and drops it with the header's macro, then its
 * caller sleeps. With the macro the lock is released before the sleep; without it the call is
 * of unknown effect, the lock stays held, and the sleep is reported under it. A macro two
 * definitions give (two builds') or one named as a lock operation itself is not used.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockMacroText } from '../../src/context/header-lock-macros.ts';
import { cli } from './run-cli.ts';
import { TREE_ROOT, writeTree } from './write-tree.ts';

const LOCK_OPS = new Set(['spin_lock', 'spin_unlock', 'mutex_lock', 'mutex_unlock', 'local_bh_disable']);
const isLockOp = (n: string): boolean => LOCK_OPS.has(n);

const PAGE = [
  '#include <linux/pgtable_lock.h>',
  'struct page { unsigned long flags; };',
  '',
  'static int clear_young(struct mm *mm, pmd_t *pmd, unsigned long addr)',
  '{',
  '\tspinlock_t *ptl = pte_lockptr(mm, pmd);',
  '\tpte_t *pte = pte_offset_map(pmd, addr);',
  '',
  '\tspin_lock(ptl);',
  '\tif (!pte_present(*pte))',
  '\t\tgoto unlock;',
  '\tset_pte_at(mm, addr, pte, pte_mkold(*pte));',
  'unlock:',
  '\tpte_unmap_unlock(pte, ptl);',
  '\treturn 0;',
  '}',
  '',
  'int age_page(struct mm *mm, pmd_t *pmd, struct page *page)',
  '{',
  '\tclear_young(mm, pmd, 0);',
  '\tlock_page(page);',
  '\treturn 0;',
  '}',
  'EXPORT_SYMBOL(age_page);',
  '',
].join('\n');

const header = (macro: string[]): string => [
  '#ifndef _PGTABLE_LOCK_H',
  '#define _PGTABLE_LOCK_H',
  'struct mm { spinlock_t page_table_lock; };',
  ...macro,
  '#endif',
  '',
].join('\n');

const UNLOCK = ['#define pte_unmap_unlock(pte, ptl)\tdo {\t\\', '\tspin_unlock(ptl);\t\t\\', '\tpte_unmap(pte);\t\t\\', '} while (0)'];
const LOCK = ['#define pte_offset_map_lock(mm, pmd, address, ptlp)\t\\', '({\t\\', '\tspinlock_t *__ptl = pte_lockptr(mm, pmd);\t\\', '\tpte_t *__pte = pte_offset_map(pmd, address);\t\\', '\t*(ptlp) = __ptl;\t\\', '\tspin_lock(__ptl);\t\\', '\t__pte;\t\\', '})'];

/**
 * A fault handler hands its page-table lock to a helper that drops it (the header's macro) to
 * sleep, then takes it again through the same pointer (`pte_offset_map_lock(.., &ptl)` re-points
 * it) and drops that at the end: its caller then sleeps holding nothing.
 */
const FAULT = [
  '#include <linux/pgtable_lock.h>',
  'struct page { unsigned long flags; };',
  '',
  'static int wp_page(struct mm *mm, pmd_t *pmd, unsigned long addr, pte_t *pte, spinlock_t *ptl, struct page *page)',
  '{',
  '\tif (!trylock_page(page)) {',
  '\t\tpte_unmap_unlock(pte, ptl);',
  '\t\tlock_page(page);',
  '\t\tpte = pte_offset_map_lock(mm, pmd, addr, &ptl);',
  '\t}',
  '\tunlock_page(page);',
  '\tpte_unmap_unlock(pte, ptl);',
  '\treturn 0;',
  '}',
  '',
  'int wp_fault(struct mm *mm, pmd_t *pmd, unsigned long addr, struct page *page)',
  '{',
  '\tspinlock_t *ptl = pte_lockptr(mm, pmd);',
  '\tpte_t *pte = pte_offset_map(pmd, addr);',
  '',
  '\tspin_lock(ptl);',
  '\twp_page(mm, pmd, addr, pte, ptl, page);',
  '\tmsleep(1);',
  '\treturn 0;',
  '}',
  'EXPORT_SYMBOL(wp_fault);',
  '',
].join('\n');

async function sleepsIn(dir: string): Promise<string[]> {
  const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'mm')], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out) as { findings: { kind: string; function: string }[] };
  return json.findings.filter((f) => f.kind === 'sleep-in-atomic').map((f) => f.function);
}

describe('lock-wrapping macros in the tree headers a directory includes', () => {
  it('keeps each macro defined once whose body calls a lock operation, on its own lines, and nothing else', () => {
    const text = header(UNLOCK);
    const kept = lockMacroText(text, isLockOp)?.split('\n');
    expect(kept?.slice(3, 7)).toEqual(UNLOCK);
    expect(kept?.filter((l) => l.trim())).toHaveLength(4);
    // Two definitions (one per build), a macro that calls no lock operation, one named as a lock operation: none kept.
    expect(lockMacroText(header([...UNLOCK, '#else', ...UNLOCK]), isLockOp)).toBeUndefined();
    // An atomic region's entry is one too.
    expect(lockMacroText(header(['#define proto_bh_disable() local_bh_disable()']), isLockOp)?.split('\n')[3]).toBe('#define proto_bh_disable() local_bh_disable()');
    expect(lockMacroText(header(['#define pte_unmap_nolock(pte, ptl) pte_unmap(pte)']), isLockOp)).toBeUndefined();
    expect(lockMacroText(header(['#define spin_unlock(l) raw_spin_unlock(&(l)->rlock)', '#define mutex_unlock(m) spin_unlock(&(m)->wait_lock)']), isLockOp)).toBeUndefined();
  });

  it('a lock handed down and dropped through the header macro is not held at the sleep after it, however named', async () => {
    const dir = writeTree('lockscope-hmacro-', { ...TREE_ROOT, 'mm/Makefile': 'obj-y += fault.o\n', 'mm/fault.c': FAULT, 'include/linux/pgtable_lock.h': header([...UNLOCK, '', ...LOCK]) });
    try {
      expect(await sleepsIn(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a lock the header macro releases is not held past it: no sleep reported under it', async () => {
    const withMacro = writeTree('lockscope-hmacro-', { ...TREE_ROOT, 'mm/Makefile': 'obj-y += page.o\n', 'mm/page.c': PAGE, 'include/linux/pgtable_lock.h': header(UNLOCK) });
    const without = writeTree('lockscope-hmacro-', { ...TREE_ROOT, 'mm/Makefile': 'obj-y += page.o\n', 'mm/page.c': PAGE, 'include/linux/pgtable_lock.h': header([]) });
    try {
      expect(await sleepsIn(withMacro)).toEqual([]);
      expect(await sleepsIn(without)).toEqual(['age_page']);
    } finally {
      rmSync(withMacro, { recursive: true, force: true });
      rmSync(without, { recursive: true, force: true });
    }
  });
});
