/**
 * A member only a dead setter sets, read through a local copy: a driver keeps its monitor
 * interfaces in a static table (`g_mon.mon_if[i].mon_ndev`) that one function fills, and that
 * function's only call sits under `#ifndef WLP2P`, which the driver's Makefile always defines.
 * The setter runs nowhere (analyze-program.ts deadFunctions: its every call is in a branch the
 * build leaves out), the member stays NULL, and the teardown's `ndev = ...mon_ndev; if (ndev)`
 * never takes the lock under it, nor does the removal's `if (g_mon.mon_if[i].mon_ndev == ndev)`
 * for a non-NULL ndev (c/unset-members.ts). Without `-DWLP2P` the setter runs and the
 * inversion is real.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const MONITOR = [
  'struct net_device;',
  'struct mon_if { struct net_device *mon_ndev; int flags; };',
  'static struct { struct mon_if mon_if[4]; struct mutex lock; } g_mon;',
  'extern struct mutex cfg_lock;',
  'int mon_add(struct net_device *nd)',
  '{',
  '\tmutex_lock(&g_mon.lock);',
  '\tg_mon.mon_if[0].mon_ndev = nd;',
  '\tmutex_unlock(&g_mon.lock);',
  '\treturn 0;',
  '}',
  'void mon_uninit(void)',
  '{',
  '\tint i;',
  '\tstruct net_device *ndev;',
  '\tmutex_lock(&g_mon.lock);',
  '\tfor (i = 0; i < 4; i++) {',
  '\t\tndev = g_mon.mon_if[i].mon_ndev;',
  '\t\tif (ndev) {',
  '\t\t\tmutex_lock(&cfg_lock);',
  '\t\t\tmutex_unlock(&cfg_lock);',
  '\t\t\tg_mon.mon_if[i].mon_ndev = NULL;',
  '\t\t}',
  '\t}',
  '\tmutex_unlock(&g_mon.lock);',
  '}',
  // Compared with an interface the caller holds: never equal to the NULL the table keeps.
  'int mon_del(struct net_device *ndev)',
  '{',
  '\tint i;',
  '\tif (!ndev)',
  '\t\treturn -EINVAL;',
  '\tmutex_lock(&g_mon.lock);',
  '\tfor (i = 0; i < 4; i++) {',
  '\t\tif (g_mon.mon_if[i].mon_ndev == ndev) {',
  '\t\t\tmutex_lock(&cfg_lock);',
  '\t\t\tmutex_unlock(&cfg_lock);',
  '\t\t\tbreak;',
  '\t\t}',
  '\t}',
  '\tmutex_unlock(&g_mon.lock);',
  '\treturn 0;',
  '}',
  'EXPORT_SYMBOL(mon_del);',
  '',
].join('\n');

const CFG = [
  'DEFINE_MUTEX(cfg_lock);',
  'int mon_add(struct net_device *nd);',
  'void mon_uninit(void);',
  'void cfg_down(struct net_device *nd)',
  '{',
  '\tmutex_lock(&cfg_lock);',
  '\tmon_uninit();',
  '\tmutex_unlock(&cfg_lock);',
  '}',
  'EXPORT_SYMBOL(cfg_down);',
  'void cfg_up(struct net_device *nd)',
  '{',
  '#ifndef WLP2P',
  '\tmon_add(nd);',
  '#endif',
  '}',
  'EXPORT_SYMBOL(cfg_up);',
  '',
].join('\n');

// A spare copy of the driver, as vendor trees carry: its Makefile names only itself.
const SPARE = {
  'drivers/net/mon_4330/Makefile': '# mon_4330\nobj-$(CONFIG_MON_4330) += mon_4330.o\nmon_4330-objs += mon.o\n',
  'drivers/net/mon_4330/mon.c': 'struct mon_if { struct net_device *mon_ndev; };\nstatic struct { struct mon_if mon_if[4]; } g_mon;\nvoid mon_set(struct net_device *nd) { g_mon.mon_if[0].mon_ndev = nd; }\n',
};

function kernelTree(makefile: string, extra: Record<string, string> = {}, drivers = 'obj-y += net/mon/\n'): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-copies-'));
  for (const d of ['include/linux', 'arch', 'drivers/net/mon', 'drivers/net/mon_4330']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'obj-y += drivers/\n');
  writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\nsource "drivers/net/mon_4330/Kconfig"\n');
  writeFileSync(join(dir, 'drivers/Makefile'), drivers);
  for (const [path, text] of Object.entries(extra)) writeFileSync(join(dir, path), text);
  writeFileSync(join(dir, 'drivers/net/mon/Makefile'), makefile);
  writeFileSync(join(dir, 'drivers/net/mon/mon.c'), MONITOR);
  writeFileSync(join(dir, 'drivers/net/mon/cfg.c'), CFG);
  return dir;
}

async function analyze(dir: string): Promise<{ inversions: string[]; skipped: string[] }> {
  const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'drivers/net/mon')], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out) as { inversions: { locks: string[] }[]; skipped: { reason: string }[] };
  return { inversions: json.inversions.map((i) => [...new Set(i.locks)].sort().join(' <-> ')), skipped: json.skipped.map((s) => s.reason) };
}

describe('a member a local copies, set only where the build never calls', () => {
  it('is NULL: the lock under the copy test is never taken', async () => {
    const dir = kernelTree('EXTRA_CFLAGS += -DWLP2P\nobj-y += mon.o cfg.o\n');
    try {
      const r = await analyze(dir);
      expect(r.inversions).toEqual([]);
      expect(r.skipped).toContain('mon_add() runs nowhere: only dead code calls it (a function that runs nowhere, or a branch the build or every caller leaves out); its locks are left out');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is NULL though a spare copy of the driver, which no Makefile enters, sets it', async () => {
    const dir = kernelTree('EXTRA_CFLAGS += -DWLP2P\nobj-y += mon.o cfg.o\n', SPARE);
    try {
      expect((await analyze(dir)).inversions).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is set when a Makefile builds the copy that sets it', async () => {
    const dir = kernelTree('EXTRA_CFLAGS += -DWLP2P\nobj-y += mon.o cfg.o\n', SPARE, 'obj-y += net/mon/\nobj-$(CONFIG_MON_4330) += net/mon_4330/\n');
    try {
      expect((await analyze(dir)).inversions).toEqual(['cfg_lock', '<anon mon.c:3>.lock <-> cfg_lock']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is set when the build keeps the call: the inversion stands', async () => {
    const dir = kernelTree('obj-y += mon.o cfg.o\n');
    try {
      expect((await analyze(dir)).inversions).toEqual(['cfg_lock', '<anon mon.c:3>.lock <-> cfg_lock']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
