/**
 * What sleeps depends on the kernel: disable_irq() and synchronize_irq() wait for a threaded
 * handler with wait_event(), which calls might_sleep() first only since 3.19, free_irq() takes
 * a mutex only since 4.13, and vfree() calls might_sleep() only since 4.10. Inside a kernel tree `lockscope analyze` reads the version from the
 * top Makefile; under a spinlock on 3.4 they are no sleep in atomic context, on 4.4 the first two
 * are, on 4.13 all three.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const DRIVER = [
  'static DEFINE_SPINLOCK(irq_lock);',
  'static DEFINE_SPINLOCK(rx_lock);',
  'void dev_quiesce(int irq)',
  '{',
  '\tspin_lock(&irq_lock);',
  '\tdisable_irq(irq);',
  '\tspin_unlock(&irq_lock);',
  '}',
  'EXPORT_SYMBOL(dev_quiesce);',
  'void dev_drain(void)',
  '{',
  '\tspin_lock(&rx_lock);',
  '\tmsleep(1);',
  '\tspin_unlock(&rx_lock);',
  '}',
  'EXPORT_SYMBOL(dev_drain);',
  '',
].join('\n');

/** A driver that frees a vmalloc()ed table under a spinlock. */
const TABLE = [
  'void dev_table_free(void *table)',
  '{',
  '\tspin_lock(&rx_lock);',
  '\tvfree(table);',
  '\tspin_unlock(&rx_lock);',
  '}',
  'EXPORT_SYMBOL(dev_table_free);',
  '',
].join('\n');

/** A driver that frees its interrupt under a spinlock. */
const RELEASE = [
  'void dev_release(int irq, void *dev)',
  '{',
  '\tspin_lock(&irq_lock);',
  '\tfree_irq(irq, dev);',
  '\tspin_unlock(&irq_lock);',
  '}',
  'EXPORT_SYMBOL(dev_release);',
  '',
].join('\n');

const IRQ_CORE = [
  'static DECLARE_WAIT_QUEUE_HEAD(wait_for_threads);',
  'static atomic_t threads_active;',
  'void synchronize_irq(unsigned int irq)',
  '{',
  '\twait_event(wait_for_threads, !atomic_read(&threads_active));',
  '}',
  'EXPORT_SYMBOL(synchronize_irq);',
  'void disable_irq(unsigned int irq)',
  '{',
  '\tsynchronize_irq(irq);',
  '}',
  'EXPORT_SYMBOL(disable_irq);',
  '',
].join('\n');

function kernelTree(version: number, patchlevel: number, driver = DRIVER): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-version-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'drivers/dev'), { recursive: true });
  mkdirSync(join(dir, 'include/linux'), { recursive: true });
  mkdirSync(join(dir, 'arch/arm'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), `VERSION = ${version}\nPATCHLEVEL = ${patchlevel}\nSUBLEVEL = 0\nobj-y += drivers/ kernel/\n`);
  writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\n');
  writeFileSync(join(dir, 'drivers/Makefile'), 'obj-y += dev/\n');
  writeFileSync(join(dir, 'drivers/dev/Makefile'), 'obj-y += dev.o\n');
  writeFileSync(join(dir, 'drivers/dev/dev.c'), driver);
  // The tree's own disable_irq(): its wait is what the version decides, body or no body.
  mkdirSync(join(dir, 'kernel/irq'), { recursive: true });
  writeFileSync(join(dir, 'kernel/irq/Makefile'), 'obj-y += manage.o\n');
  writeFileSync(join(dir, 'kernel/irq/manage.c'), IRQ_CORE);
  return dir;
}

async function sleepers(version: number, patchlevel: number, route: 'directory' | 'by-directory' = 'directory', driver = DRIVER): Promise<string[]> {
  const dir = kernelTree(version, patchlevel, driver);
  const args = route === 'directory' ? [join(dir, 'drivers/dev')] : ['--by-directory', dir];
  const r = await cli(['analyze', '--no-cache', '--format', 'json', ...args], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out) as { findings: { kind: string; function: string }[] };
  return json.findings.filter((f) => f.kind === 'sleep-in-atomic').map((f) => f.function).sort();
}

describe('sleeping calls by kernel version', () => {
  it('on 3.4, disable_irq() under a spinlock is no sleep in atomic context; msleep() is', async () => {
    expect(await sleepers(3, 4)).toEqual(['dev_drain']);
  });

  it('on 4.4, both are', async () => {
    expect(await sleepers(4, 4)).toEqual(['dev_drain', 'dev_quiesce']);
  });

  it('on 4.12, free_irq() under a spinlock is no sleep in atomic context; on 4.13 it is', async () => {
    expect(await sleepers(4, 12, 'directory', DRIVER + RELEASE)).toEqual(['dev_drain', 'dev_quiesce']);
    expect(await sleepers(4, 13, 'directory', DRIVER + RELEASE)).toEqual(['dev_drain', 'dev_quiesce', 'dev_release']);
  });

  it('on 4.9, vfree() under a spinlock is no sleep in atomic context; on 4.10 it is', async () => {
    expect(await sleepers(4, 9, 'directory', DRIVER + TABLE)).toEqual(['dev_drain', 'dev_quiesce']);
    expect(await sleepers(4, 10, 'directory', DRIVER + TABLE)).toEqual(['dev_drain', 'dev_quiesce', 'dev_table_free']);
  });

  it('the whole tree by directory reads the version too', async () => {
    expect(await sleepers(3, 4, 'by-directory')).toEqual(['dev_drain']);
    expect(await sleepers(4, 4, 'by-directory')).toEqual(['dev_drain', 'dev_quiesce']);
  });

  it('a review of a patch adding a function that calls disable_irq() under a spinlock adds a finding only where it sleeps', async () => {
    const patch = [
      'diff --git a/drivers/dev/dev.c b/drivers/dev/dev.c',
      '--- a/drivers/dev/dev.c',
      '+++ b/drivers/dev/dev.c',
      '@@ -16,3 +16,10 @@ void dev_drain(void)',
      ' \tspin_unlock(&rx_lock);',
      ' }',
      ' EXPORT_SYMBOL(dev_drain);',
      '+void dev_reset(int irq)',
      '+{',
      '+\tspin_lock(&rx_lock);',
      '+\tdisable_irq(irq);',
      '+\tspin_unlock(&rx_lock);',
      '+}',
      '+EXPORT_SYMBOL(dev_reset);',
      '',
    ].join('\n');
    const outcome = async (version: number): Promise<{ code: number; added: string[] }> => {
      const dir = kernelTree(version, 4);
      writeFileSync(join(dir, 'fix.patch'), patch);
      const r = await cli(['check', '--no-cache', '--format', 'json', '--base', dir, join(dir, 'fix.patch')], { env: { HOME: dir } });
      const json = JSON.parse(r.out) as { findings: { added: { kind: string; title: string }[] } };
      return { code: r.code, added: json.findings.added.map((f) => `${f.kind}: ${f.title}`) };
    };
    expect(await outcome(3)).toEqual({ code: 0, added: [] });
    const modern = await outcome(4);
    expect(modern.code).toBe(1);
    expect(modern.added).toEqual([expect.stringMatching(/^sleep-in-atomic: .*disable_irq/)]);
  });
});
