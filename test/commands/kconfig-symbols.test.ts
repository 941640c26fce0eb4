/**
 * Configuration symbols in a kernel tree: kbuild sets `CONFIG_FOO` only for a FOO some Kconfig
 * file declares. A driver testing `#ifdef CONFIG_SDIO_HCI`, which its Makefile only sets as a
 * make variable (`CONFIG_SDIO_HCI = n`) and no Kconfig declares, never compiles that branch.
 * Nor does one declared with no prompt, no default and nothing selecting it. Outside a kernel
 * tree, or for a symbol a configuration may set, the branch is analysed as before.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kconfigSymbols } from '../../src/commands/tree-mentions.ts';
import { cli } from './run-cli.ts';

const DRIVER = [
  '#include "autoconf.h"',
  'struct adapter { spinlock_t queue_lock; spinlock_t recvbuf_lock; int n; };',
  'static void free_recvframe(struct adapter *a)',
  '{',
  '#ifdef CONFIG_SDIO_HCI',
  '\tspin_lock(&a->recvbuf_lock);',
  '\ta->n--;',
  '\tspin_unlock(&a->recvbuf_lock);',
  '#endif',
  '}',
  'void flush_queue(struct adapter *a)',
  '{',
  '\tspin_lock(&a->queue_lock);',
  '\tfree_recvframe(a);',
  '\tspin_unlock(&a->queue_lock);',
  '}',
  'void recv_done(struct adapter *a)',
  '{',
  '\tspin_lock(&a->recvbuf_lock);',
  '\tspin_lock(&a->queue_lock);',
  '\ta->n = 0;',
  '\tspin_unlock(&a->queue_lock);',
  '\tspin_unlock(&a->recvbuf_lock);',
  '}',
  'EXPORT_SYMBOL(flush_queue);',
  'EXPORT_SYMBOL(recv_done);',
  '',
].join('\n');

function tree(kernel: boolean, declared: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-kconfig-'));
  mkdirSync(join(dir, 'drivers/net/wlan'), { recursive: true });
  mkdirSync(join(dir, 'include/linux'), { recursive: true });
  mkdirSync(join(dir, 'arch'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'obj-y += drivers/\n');
  if (kernel) writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\nsource "drivers/net/wlan/Kconfig"\n');
  writeFileSync(join(dir, 'drivers/net/wlan/Kconfig'), `config WLAN_USB\n\ttristate "USB wifi"\n${declared}`);
  writeFileSync(join(dir, 'drivers/net/wlan/Makefile'), 'CONFIG_USB_HCI = y\nCONFIG_SDIO_HCI = n\nEXTRA_CFLAGS += -DDRV_TXGLOM\nobj-$(CONFIG_WLAN_USB) += wlan.o\nwlan-objs := core.o\n');
  writeFileSync(join(dir, 'drivers/net/wlan/autoconf.h'), '#define CONFIG_USB_HCI 1\n');
  writeFileSync(join(dir, 'drivers/net/wlan/core.c'), DRIVER);
  return dir;
}

async function inversions(dir: string): Promise<string[]> {
  const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'drivers/net/wlan')], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { inversions: { locks: string[] }[] }).inversions.map((i) => i.locks.join(' <-> '));
}

describe('Kconfig symbols of a kernel tree', () => {
  it('reads config and menuconfig names from every Kconfig file', async () => {
    const dir = tree(true, 'menuconfig WLAN_EXTRA\n\tbool "extra"\n  config WLAN_DEBUG\n\tbool\n');
    expect([...(await kconfigSymbols(dir)).declared].sort()).toEqual(['WLAN_DEBUG', 'WLAN_EXTRA', 'WLAN_USB']);
  });

  it('leaves out the branch of a CONFIG_ name no Kconfig declares, and keeps a declared one', async () => {
    expect(await inversions(tree(true, ''))).toEqual([]);
    expect(await inversions(tree(true, 'config SDIO_HCI\n\tbool "SDIO"\n'))).toEqual(['adapter.queue_lock <-> adapter.recvbuf_lock']);
    // Declared with no prompt, no default, and nothing selects it: no configuration sets it either.
    expect(await inversions(tree(true, 'config SDIO_HCI\n\tbool\n'))).toEqual([]);
    expect(await inversions(tree(true, 'config SDIO_HCI\n\tbool\nconfig WLAN_SDIO\n\tbool "sdio"\n\tselect SDIO_HCI\n'))).toEqual(['adapter.queue_lock <-> adapter.recvbuf_lock']);
  });

  it('counts only the Kconfig files the top one reaches by source, a variable standing for any directory', async () => {
    // Declared only in a Kconfig nothing sources (a driver drop's own, for a standalone build): never set.
    const orphan = tree(true, '');
    mkdirSync(join(orphan, 'drivers/net/wlan/standalone'), { recursive: true });
    writeFileSync(join(orphan, 'drivers/net/wlan/standalone/Kconfig'), 'config SDIO_HCI\n\tbool "sdio"\n');
    expect((await kconfigSymbols(orphan)).declared.has('SDIO_HCI')).toBe(false);
    expect(await inversions(orphan)).toEqual([]);
    // Reached through `source "arch/$SRCARCH/Kconfig"` and an `rsource` relative to that file: declared.
    const reached = tree(true, '');
    writeFileSync(join(reached, 'Kconfig'), 'mainmenu "test"\nsource "$(srctree)/drivers/net/wlan/Kconfig"\nsource "arch/$SRCARCH/Kconfig"\n');
    mkdirSync(join(reached, 'arch/arm/bus'), { recursive: true });
    writeFileSync(join(reached, 'arch/arm/Kconfig'), 'config ARM\n\tdef_bool y\nrsource "bus/Kconfig"\n');
    writeFileSync(join(reached, 'arch/arm/bus/Kconfig'), 'config SDIO_HCI\n\tbool "sdio"\n');
    // An architecture's own top (`KBUILD_KCONFIG` in its Makefile) is a top too.
    mkdirSync(join(reached, 'arch/um'), { recursive: true });
    writeFileSync(join(reached, 'arch/um/Makefile'), 'KBUILD_KCONFIG := arch/um/Kconfig.$(HEADER_ARCH)\n');
    writeFileSync(join(reached, 'arch/um/Kconfig.x86'), 'config UML\n\tdef_bool y\n');
    expect([...(await kconfigSymbols(reached)).declared].sort()).toEqual(['ARM', 'SDIO_HCI', 'UML', 'WLAN_USB']);
    expect(await inversions(reached)).toEqual(['adapter.queue_lock <-> adapter.recvbuf_lock']);
  });

  it('outside a kernel tree nothing says which names are declared', async () => {
    expect(await inversions(tree(false, ''))).toEqual(['adapter.queue_lock <-> adapter.recvbuf_lock']);
  });
});
