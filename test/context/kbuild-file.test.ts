import { describe, expect, it } from 'vitest';
import { type IncludedPath, shadowedByKbuild, withIncludes } from '../../src/context/kbuild-file.ts';

const files: Record<string, string> = {
  'dir:Kbuild-env': 'gpu-y += extra.o\ninclude $(src)/Kbuild-more\n',
  'dir:Kbuild-more': 'ccflags-y += -DWITH_TIMEOUT\n',
  'root:scripts/Kbuild.common': 'ccflags-y += -DCOMMON\n',
};
const read = (p: IncludedPath): string | undefined => files[`${p.from}:${p.path}`];

describe('a Kbuild read through its includes', () => {
  it('reads `$(src)`, a variable set to it, and `$(srctree)` paths in place of the include line', () => {
    const text = 'DRIVER_DIR=$(src)\ninclude $(DRIVER_DIR)/Kbuild-env\n-include $(srctree)/scripts/Kbuild.common\nobj-y := gpu.o\n';
    expect(withIncludes(text, read).split('\n')).toEqual(['DRIVER_DIR=$(src)', 'gpu-y += extra.o', 'ccflags-y += -DWITH_TIMEOUT', '', '', 'ccflags-y += -DCOMMON', '', 'obj-y := gpu.o', '']);
  });

  it('reads `$(srctree)/$(src)/x` and a bare name from the directory itself', () => {
    expect(withIncludes('include $(srctree)/$(src)/Kbuild-more', read)).toBe('ccflags-y += -DWITH_TIMEOUT\n');
    expect(withIncludes('sinclude Kbuild-more', read)).toBe('ccflags-y += -DWITH_TIMEOUT\n');
  });

  it('leaves an include of an unknown variable, or of a file it cannot read, as written', () => {
    const text = 'include $(KDIR)/.config\n-include MISSING\n';
    expect(withIncludes(text, read)).toBe(text);
  });

  it('reads includes at most four deep: a file that includes itself ends', () => {
    const self = (p: IncludedPath): string | undefined => (p.path === 'loop.mk' ? 'x-y += a.o\ninclude $(src)/loop.mk\n' : undefined);
    expect(withIncludes('include $(src)/loop.mk', self).match(/a\.o/g)?.length).toBe(4);
  });
});

describe('which of a Makefile and a Kbuild kbuild reads', () => {
  it('a driver’s Makefile beside a Kbuild is shadowed', () => {
    expect(shadowedByKbuild('export EXTRA_DEFINES += -DBIG_GPU=1\nall:\n\t$(MAKE) -C $(KDIR) M=$(CURDIR) modules\n')).toBe(true);
  });

  it('the top Makefile and an architecture’s, which the top one includes, are not', () => {
    expect(shadowedByKbuild('VERSION = 3\nPATCHLEVEL = 0\n')).toBe(false);
    expect(shadowedByKbuild('head-y := arch/x86/kernel/head_$(BITS).o\ncore-y += arch/x86/\n')).toBe(false);
  });
});
