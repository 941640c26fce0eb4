/**
 * A macro no build defines: `lockscope analyze DIR` inside a kernel tree asks the rest of the
 * tree about the macros DIR tests and does not define. One no other file `#define`s and no
 * Makefile passes to DIR's files (its own, its parents', kbuild's global KBUILD_CFLAGS; not a
 * sibling driver's ccflags) is defined by no build, so its `#ifdef` branch is never compiled (a vendor
 * driver's unused variant; `#ifdef rcu_read_lock` where the kernel has it as a function, only
 * mentioned elsewhere). One a header defines or a Makefile's -D passes may be defined, and
 * stays open, as everything does outside a kernel tree.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testedMacros } from '../../src/analyzers/c/tested-macros.ts';
import { factsOf } from '../../src/analyzers/c/extract-facts.ts';
import { cli } from './run-cli.ts';

const leak = (lock: string): string[] => [`\tmutex_lock(&${lock});`, '\tif (bad)', '\t\treturn -1;', `\tmutex_unlock(&${lock});`, '\treturn 0;'];

const DRIVER = [
  'static DEFINE_MUTEX(cb_lock);',
  'static DEFINE_MUTEX(ev_lock);',
  'static DEFINE_MUTEX(dma_lock);',
  'static DEFINE_SPINLOCK(list_lock);',
  'int walk(void)',
  '{',
  '#ifdef rcu_read_lock',
  '\trcu_read_lock();',
  '#else',
  '\tspin_lock(&list_lock);',
  '#endif',
  '#ifdef rcu_read_unlock',
  '\trcu_read_unlock();',
  '#else',
  '\tspin_unlock(&list_lock);',
  '#endif',
  '\tmsleep(10);',
  '\treturn 0;',
  '}',
  'EXPORT_SYMBOL(walk);',
  '#ifdef MULTIPROCESS_CALLBACK',
  'int cb_free(int bad)',
  '{',
  ...leak('cb_lock'),
  '}',
  'EXPORT_SYMBOL(cb_free);',
  '#endif',
  'int ev_free(int bad)',
  '{',
  '#if defined(EVENT_QUEUE)',
  ...leak('ev_lock'),
  '#else',
  '\treturn 0;',
  '#endif',
  '}',
  'EXPORT_SYMBOL(ev_free);',
  '#ifdef USE_DMA',
  'int dma_free(int bad)',
  '{',
  ...leak('dma_lock'),
  '}',
  'EXPORT_SYMBOL(dma_free);',
  '#endif',
  '',
].join('\n');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(kernel: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-undef-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'drivers/cb'), { recursive: true });
  mkdirSync(join(dir, 'include/linux'), { recursive: true });
  mkdirSync(join(dir, 'arch/arm'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'obj-y += drivers/\n');
  if (kernel) writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\n');
  writeFileSync(join(dir, 'drivers/Makefile'), 'obj-y += cb/\n');
  writeFileSync(join(dir, 'drivers/cb/Makefile'), 'obj-y += cb.o\n');
  writeFileSync(join(dir, 'drivers/cb/cb.c'), DRIVER);
  // USE_DMA: a Makefile elsewhere passes it; EVENT_QUEUE: a header of the tree defines it.
  writeFileSync(join(dir, 'arch/arm/Makefile'), 'KBUILD_CFLAGS += -DUSE_DMA\n');
  writeFileSync(join(dir, 'include/linux/events.h'), '#define EVENT_QUEUE 1\n');
  writeFileSync(join(dir, 'include/linux/rcupdate.h'), 'static inline void rcu_read_lock(void) { }\nstatic inline void rcu_read_unlock(void) { }\n/* MULTIPROCESS_CALLBACK: mentioned, never defined */\n');
  // Passed only to another driver's files: kbuild gives a directory's flags to it and below.
  mkdirSync(join(dir, 'drivers/cb_v2'), { recursive: true });
  writeFileSync(join(dir, 'drivers/cb_v2/Makefile'), 'EXTRA_CFLAGS += -DMULTIPROCESS_CALLBACK\nobj-y += cb.o\n');
  return dir;
}

/** The locks of the findings, as `kind lock`. */
async function findings(dir: string): Promise<string[]> {
  const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'drivers/cb')], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out) as { findings: { kind: string; locks: string[] }[] };
  return json.findings.flatMap((f) => f.locks.map((l) => `${f.kind} ${l}`)).sort();
}

describe('macros no build defines', () => {
  it('lists the macros the files test and do not define, not Kconfig options or the compiler’s', async () => {
    const facts = await factsOf({ path: 'drivers/cb/cb.c', text: `${DRIVER}\n#define LOCAL_ONE 1\n#ifdef LOCAL_ONE\nint a(void) { return 0; }\n#endif\n#if defined(CONFIG_SMP) && !defined(__KERNEL__)\nint b(void) { return 0; }\n#endif\n` });
    expect(testedMacros([facts])).toEqual(['EVENT_QUEUE', 'MULTIPROCESS_CALLBACK', 'USE_DMA', 'rcu_read_lock', 'rcu_read_unlock']);
  });

  it('inside a kernel tree, leaves out the branches of a macro nothing in the tree names', async () => {
    // rcu_read_lock and rcu_read_unlock are functions there: both #else branches, the spinlock released before msleep().
    expect(await findings(tree(true))).toEqual(['lock-leak dma_lock', 'lock-leak ev_lock']);
  });

  it('outside a kernel tree, knows nothing of the rest and keeps every branch', async () => {
    expect(await findings(tree(false))).toEqual(['lock-leak cb_lock', 'lock-leak dma_lock', 'lock-leak ev_lock', 'sleep-in-atomic list_lock', 'sleep-in-atomic rcu_read_lock']);
  });
});
