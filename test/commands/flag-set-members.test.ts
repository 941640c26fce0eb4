/**
 * A feature word a driver fills once with constant flags: `lockscope analyze drivers/wl` in a
 * kernel tree, where the beacon path takes its lock only `if (dev->features & WL_BEACONS)` and
 * the driver's only store leaves WL_BEACONS out (analyzers/c/unset-members.ts, flagSetMembers).
 * Another driver carrying its own copy of the header sets the bit in its own struct: that says
 * nothing of ours (commands/member-visibility.ts). A board file that includes our header and
 * stores the bit, a `|=` in the driver, or a store through an accessor's result, brings the
 * beacon lock (and its inversion) back.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { treeInversions } from './tree-inversions.ts';

const HEADER = [
  '#define WL_SCAN (1 << 0)',
  '#define WL_ASSOC (1 << 1)',
  '#define WL_BEACONS (1 << 6)',
  'struct wl_dev { unsigned short features; struct mutex beacon_lock; struct mutex conf_mutex; int interval; };',
  '',
].join('\n');

const DRIVER = [
  '#include "wl.h"',
  'void wl_init(struct wl_dev *dev)',
  '{',
  '\tdev->features = WL_SCAN | WL_ASSOC;',
  '}',
  'EXPORT_SYMBOL(wl_init);',
  'void wl_reset(struct wl_dev *dev)',
  '{',
  '\tdev->features = 0;',
  '}',
  'EXPORT_SYMBOL(wl_reset);',
  'static void wl_beacons_stop(struct wl_dev *dev)',
  '{',
  '\tmutex_lock(&dev->beacon_lock);',
  '\tdev->interval = 0;',
  '\tmutex_unlock(&dev->beacon_lock);',
  '}',
  'void wl_stop(struct wl_dev *dev)',
  '{',
  '\tmutex_lock(&dev->conf_mutex);',
  '\tif (dev->features & WL_BEACONS)',
  '\t\twl_beacons_stop(dev);',
  '\tmutex_unlock(&dev->conf_mutex);',
  '}',
  'EXPORT_SYMBOL(wl_stop);',
  'void wl_beacon_cb(struct wl_dev *dev)',
  '{',
  '\tif (!(dev->features & WL_BEACONS))',
  '\t\treturn;',
  '\tmutex_lock(&dev->beacon_lock);',
  '\tmutex_lock(&dev->conf_mutex);',
  '\tdev->interval++;',
  '\tmutex_unlock(&dev->conf_mutex);',
  '\tmutex_unlock(&dev->beacon_lock);',
  '}',
  'EXPORT_SYMBOL(wl_beacon_cb);',
  '',
].join('\n');

function kernelTree(extra: Record<string, string> = {}, driver = DRIVER): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-flags-'));
  const files: Record<string, string> = {
    Makefile: 'obj-y += drivers/ arch/\n',
    Kconfig: 'mainmenu "test"\n',
    'include/linux/types.h': 'typedef unsigned short u16;\n',
    'arch/x/Makefile': '',
    'drivers/Makefile': 'obj-y += wl/ wl2/\n',
    'drivers/wl/wl.h': HEADER,
    'drivers/wl/main.c': driver,
    // A second driver with its own copy of the header, which does beacon.
    'drivers/wl2/wl.h': HEADER,
    'drivers/wl2/main.c': '#include "wl.h"\nvoid wl2_init(struct wl_dev *dev)\n{\n\tdev->features = WL_SCAN | WL_BEACONS;\n\tdev->features |= WL_ASSOC;\n}\n',
    ...extra,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const inversions = (dir: string): Promise<string[]> => treeInversions(dir, 'drivers/wl');

describe('members every store gives a constant flag set', () => {
  it('a bit no store names is never set: the beacon lock under it is never taken', async () => {
    const dir = kernelTree();
    try {
      expect(await inversions(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bit kept in a local (`short on = dev->features & WL_BEACONS; if (on)`) is as dead as the bit test', async () => {
    const local = DRIVER.replace('\tif (dev->features & WL_BEACONS)\n', '\tshort on = dev->features & WL_BEACONS;\n\n\tif (on)\n').replace(
      '\tif (!(dev->features & WL_BEACONS))\n',
      '\tshort on = dev->features & WL_BEACONS;\n\n\tif (!on)\n',
    );
    expect(local.match(/short on/g)).toHaveLength(2);
    const dir = kernelTree({}, local);
    try {
      expect(await inversions(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is set by a file that includes our header, or by a |= in the driver', async () => {
    const board = kernelTree({ 'arch/x/board.c': '#include "../../drivers/wl/wl.h"\nvoid board_wl(struct wl_dev *dev)\n{\n\tdev->features = WL_BEACONS;\n}\n' });
    const raised = kernelTree({}, DRIVER.replace('\tdev->features = 0;', '\tdev->features |= WL_BEACONS;'));
    // Through an accessor's result, a store the lowering keeps no record of: still a write.
    const accessor = kernelTree({}, `struct wl_dev *to_wl(void *p);\n${DRIVER.replace('\tdev->features = 0;', '\tto_wl(dev)->features = WL_BEACONS;')}`);
    try {
      expect(await inversions(board)).toEqual(['wl_dev.beacon_lock <-> wl_dev.conf_mutex']);
      expect(await inversions(raised)).toEqual(['wl_dev.beacon_lock <-> wl_dev.conf_mutex']);
      expect(await inversions(accessor)).toEqual(['wl_dev.beacon_lock <-> wl_dev.conf_mutex']);
    } finally {
      for (const d of [board, raised, accessor]) rmSync(d, { recursive: true, force: true });
    }
  });
});
