/**
 * Directories no build enters (commands/unbuilt-directories.ts): a directory's Makefile naming
 * itself does not build it; one a Makefile above (or anywhere outside it) names is built; arch/
 * is never judged, its Makefiles make names from parts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUnder, unbuiltDirectories } from '../../src/commands/unbuilt-directories.ts';

const root = '/tree';
const file = (path: string, text: string): { path: string; text: string } => ({ path: join(root, path), text });

describe('unbuilt directories', () => {
  const files = [
    file('Makefile', 'obj-y += drivers/\n'),
    file('drivers/Makefile', 'obj-y += net/\n'),
    file('drivers/net/Makefile', 'obj-$(CONFIG_WL) += wl/\nWLDIR := wl_new\nobj-y += $(WLDIR)/\n'),
    file('drivers/net/wl/Makefile', 'obj-m += wl.o\n'),
    file('drivers/net/wl_new/Makefile', 'obj-m += wl.o\n'),
    file('drivers/net/wl_4330/Makefile', '# wl_4330\nobj-m += wl_4330.o\n'),
    file('drivers/net/wl_4330/sub/Makefile', 'obj-y += x.o\n'),
    file('arch/arm/mach-foo/Makefile', 'obj-y += board.o\n'),
  ];
  const unbuilt = unbuiltDirectories(root, files);

  it('is a directory only its own Makefiles name, with what is below it', () => {
    expect([...unbuilt].sort()).toEqual(['drivers/net/wl_4330', 'drivers/net/wl_4330/sub']);
    expect(isUnder('drivers/net/wl_4330/include/wl.c', unbuilt)).toBe(true);
    expect(isUnder('drivers/net/wl_4330.c', unbuilt)).toBe(false);
    expect(isUnder('drivers/net/wl/wl.c', unbuilt)).toBe(false);
  });

  it('leaves arch/ alone', () => {
    expect(isUnder('arch/arm/mach-foo/board.c', unbuilt)).toBe(false);
  });
});
