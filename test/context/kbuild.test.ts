/**
 * Which files a kernel-style tree builds (context/kbuild.ts): the ones its directory's Makefile
 * names as objects, or another C file includes; a directory without a Makefile, or one that
 * computes its objects, keeps everything. Then `lockscope analyze` on a real directory: a
 * template no Makefile builds adds no order, and is listed as skipped; debug code a Makefile
 * switches on (`-DDEBUG`) is analysed, and the same code with no Makefile defining it is not;
 * a driver whose Makefile chooses its features (`-DDRV_THREADED`) is analysed as built with them
 * and without the ones nothing defines, also when only the sub-directory holding its sources is
 * analysed and the Makefile compiling them by path sits above it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDefines, compilesUnder, debugDefines, directoryDefines, flagsReaching, includeDirs, unbuiltFiles, withPlainVariables } from '../../src/context/kbuild.ts';
import { kernelConfig, parseConfigFile } from '../../src/analyzers/c/kernel-config.ts';
import { cli } from '../commands/run-cli.ts';

const c = (path: string, text = 'int x;\n') => ({ path, text });

describe('unbuilt files', () => {
  it('leaves out a .c file its directory Makefile does not name, and keeps named, included and unmanaged ones', () => {
    const files = [
      c('usb/core.c'),
      c('usb/hub-ops.c'),
      c('usb/sched.c', '#include "sched_rt.c"\n'),
      c('usb/sched_rt.c'),
      c('usb/skeleton.c'),
      c('usb/core.h'),
      c('misc/tool.c'),
      c('gen/a.c'),
      c('sub/a.c'),
    ];
    const makefiles = [
      c('usb/Makefile', 'obj-$(CONFIG_USB) += usbcore.o\nusbcore-objs := core.o hub-ops.o \\\n\tsched.o\n'),
      c('gen/Makefile', 'obj-y += $(patsubst %.c,%.o,$(wildcard *.c))\n'),
      // A substitution reference computes them too, read as the build reads it or not.
      c('sub/Makefile', 'SRC := a.c\nobj-y += drv.o\ndrv-y := $(SRC:.c=.o)\n'),
    ];
    expect([...unbuiltFiles(files, makefiles)]).toEqual([['usb/skeleton.c', 'not built: no Makefile in usb/ names skeleton.o']]);
    expect([...unbuiltFiles(files, makefiles, undefined, kernelConfig(undefined, { declared: new Set(['USB']), offByDefault: new Set() }))]).toEqual([['usb/skeleton.c', 'not built: no Makefile in usb/ names skeleton.o']]);
    expect(unbuiltFiles(files, []).size).toBe(0);
  });

  it('a path a shared include works out for -I flags computes no object; one an object list reads does', () => {
    const files = [c('mag/mag.c'), c('mag/old/old.c'), c('mag/new/new.c'), c('gen/x.c'), c('gen/y.c')];
    const shared = 'PLATFORM := $(subst ",,$(CONFIG_PLATFORM))\nccflags-y += -I$(srctree)/mach/$(PLATFORM)/include\n';
    const makefiles = [
      c('mag/Makefile', `${shared}obj-y += mag.o\nobj-y += new/\n`),
      c('mag/old/Makefile', `${shared}obj-y := old.o\n`),
      c('mag/new/Makefile', `${shared}obj-y := new.o\n`),
      c('gen/Makefile', 'SRCS := $(wildcard $(src)/*.c)\nobj-y += $(SRCS:.c=.o)\n'),
    ];
    expect([...unbuiltFiles(files, makefiles)]).toEqual([['mag/old/old.c', 'not built: no Makefile in mag/ names old/']]);
  });

  it('says why the configuration leaves a named object out: its option is off, or the block it is named in', () => {
    const files = [c('drv/a.c'), c('drv/ion.c'), c('drv/slp.c')];
    const makefiles = [c('drv/Makefile', 'obj-y += a.o\nobj-$(CONFIG_ION) += ion.o\nifeq ($(CONFIG_SLP),y)\nobj-y += slp.o\nendif\n')];
    const config = kernelConfig({ path: 'defconfig', values: new Map([['ION', ''], ['SLP', '']]), complete: true }, undefined);
    expect([...unbuiltFiles(files, makefiles, undefined, config)]).toEqual([
      ['drv/ion.c', 'not built with defconfig: drv/Makefile builds ion.o only with CONFIG_ION, which the configuration leaves off'],
      ['drv/slp.c', 'not built with defconfig: drv/Makefile names slp.o only in blocks the configuration leaves out'],
    ]);
  });

  it('a commented-out line names nothing: `#obj-y += hdmi/` and `# old.o` build no file', () => {
    const files = [c('out/hdmi/cec/cec.c'), c('out/hdmi-new/cec/cec.c'), c('out/old.c'), c('out/mlc.c')];
    const makefiles = [c('out/Makefile', 'obj-y += mlc.o hdmi-new/\n#obj-y += hdmi/ old.o\n'), c('out/hdmi-new/Makefile', 'obj-y += cec/\n'), c('out/hdmi-new/cec/Makefile', 'obj-y += cec.o\n'), c('out/hdmi/Makefile', 'obj-y += cec/\n')];
    expect([...unbuiltFiles(files, makefiles).keys()]).toEqual(['out/old.c', 'out/hdmi/cec/cec.c']);
  });

  it('with a configuration: a composite nothing builds takes its parts along; a list read as a variable is no composite', () => {
    const files = [c('mm/memory.c'), c('mm/nommu.c'), c('mm/slab.c'), c('ib/addr.c'), c('ib/cma.c'), c('ib/old.c'), c('ib/verbs.c')];
    const makefiles = [
      // mm/Makefile's way: `mmu-y` is a plain list, read as $(mmu-y).
      c('mm/Makefile', 'mmu-y := nommu.o\nmmu-$(CONFIG_MMU) := memory.o\nobj-y := slab.o $(mmu-y)\n'),
      // infiniband-$(X) := ib_addr.o names objects, it is not a composite `infiniband.o`.
      c('ib/Makefile', 'infiniband-$(CONFIG_ADDR) := ib_addr.o rdma_cm.o\nobj-$(CONFIG_IB) += ib_core.o $(infiniband-y)\nobj-$(CONFIG_OLD) += ib_old.o\nib_core-y := verbs.o\nib_addr-y := addr.o\nrdma_cm-y := cma.o\nib_old-y := old.o\n'),
    ];
    const config = kernelConfig({ path: 'defconfig', values: new Map([['MMU', 'y'], ['IB', 'y'], ['ADDR', 'y'], ['OLD', '']]), complete: false }, undefined);
    expect([...unbuiltFiles(files, makefiles, undefined, config)]).toEqual([['ib/old.c', 'not built with defconfig: old.o is part only of objects ib/Makefile does not build']]);
  });

  it('keeps a file its directory Kbuild lists by source path for a Makefile above to compile', () => {
    // `BACKEND += backend/gpu/x.c`, read by the parent's Kbuild as `$(BACKEND:.c=.o)`.
    const files = [c('gpu/hw.c'), c('gpu/irq.c'), c('gpu/old.c')];
    const out = unbuiltFiles(files, [c('gpu/Kbuild', 'BACKEND += \\\n\tbackend/gpu/hw.c \\\n\tbackend/gpu/irq.c\n')]);
    expect([...out]).toEqual([['gpu/old.c', 'not built: no Makefile in gpu/ names old.o']]);
    // A host tool's own list names bare sources: not kbuild's.
    const tool = unbuiltFiles([c('asm/asm.c')], [c('asm/Makefile', 'PROG= asm\nSRCS= asm.c\n')]);
    expect([...tool.keys()]).toEqual(['asm/asm.c']);
  });

  it('matches the object name whole: `xskeleton.o` does not build skeleton.c', () => {
    const out = unbuiltFiles([c('d/skeleton.c'), c('d/xskeleton.c')], [c('d/Makefile', 'obj-m += xskeleton.o\n')]);
    expect([...out.keys()]).toEqual(['d/skeleton.c']);
  });

  it('an object a variable completes (`traps_$(BITS).o`) may be any file of that shape, and only those', () => {
    // BITS comes from the architecture's top Makefile: here it could be either.
    const makefile = 'obj-y := traps.o traps_$(BITS).o irq-${SUBARCH}.o\n';
    const files = ['d/traps.c', 'd/traps_32.c', 'd/traps_64.c', 'd/irq-sh4.c', 'd/traps_tool.c.bak.c', 'd/ptrace_32.c'].map((p) => c(p));
    expect([...unbuiltFiles(files, [c('d/Makefile', makefile)]).keys()]).toEqual(['d/traps_tool.c.bak.c', 'd/ptrace_32.c']);
  });

  it('leaves out a sub-directory no Makefile above descends into, unless that Makefile computes its directories', () => {
    const files = [c('media/fimc/core.c'), c('media/fimc-legacy/core.c'), c('media/fimc-legacy/sub/x.c'), c('media/top.c'), c('arch/mach-a/board.c')];
    const makefiles = [
      c('media/Makefile', 'obj-$(CONFIG_FIMC) += fimc/\nobj-y += top.o\n'),
      c('media/fimc/Makefile', 'obj-y += core.o\n'),
      c('media/fimc-legacy/Makefile', 'obj-y += core.o sub/\n'),
      c('media/fimc-legacy/sub/Makefile', 'obj-y += x.o\n'),
      c('arch/Makefile', 'obj-y += common/\nobj-y += mach-$(MACHINE)/\n'),
      c('arch/mach-a/Makefile', 'obj-y += board.o\n'),
    ];
    expect([...unbuiltFiles(files, makefiles)]).toEqual([
      ['media/fimc-legacy/core.c', 'not built: no Makefile in media/ names fimc-legacy/'],
      ['media/fimc-legacy/sub/x.c', 'not built: no Makefile in media/ names fimc-legacy/'],
    ]);
  });

  it('says which option or block leaves out a sub-directory the Makefile names as written', () => {
    const files = [c('i2c/ov-ecs/ov.c'), c('i2c/ov/ov.c'), c('i2c/imx/imx.c')];
    const makefiles = [
      c('i2c/Makefile', 'ifdef CONFIG_GMIN_MID\nobj-$(CONFIG_VIDEO_OV) += ov-ecs/\nelse\nobj-y += ov/\nendif\nifeq ($(CONFIG_IMX),y)\nobj-m += imx/\nendif\n'),
      c('i2c/ov-ecs/Makefile', 'obj-y += ov.o\n'),
      c('i2c/ov/Makefile', 'obj-y += ov.o\n'),
      c('i2c/imx/Makefile', 'obj-y += imx.o\n'),
    ];
    const parsed = parseConfigFile('.config', '# CONFIG_GMIN_MID is not set\n# CONFIG_VIDEO_OV is not set\n# CONFIG_IMX is not set\n');
    const config = parsed.ok ? kernelConfig(parsed.file, { declared: new Set(['GMIN_MID', 'VIDEO_OV', 'IMX']), offByDefault: new Set() }) : undefined;
    expect([...unbuiltFiles(files, makefiles, undefined, config)]).toEqual([
      ['i2c/ov-ecs/ov.c', 'not built with .config: i2c/Makefile builds ov-ecs/ only with CONFIG_VIDEO_OV, which the configuration leaves off'],
      ['i2c/imx/imx.c', 'not built with .config: i2c/Makefile names imx/ only in blocks the configuration leaves out'],
    ]);
  });

  it('asks the Makefiles above the analysed directory about its own sub-directories, and only when it has them', () => {
    const files = [c('serio/i8042.c'), c('keyboard/atkbd.c'), c('old/x.c')];
    const makefiles = [c('Makefile', 'obj-$(CONFIG_INPUT) += input-core.o\nobj-$(CONFIG_INPUT_KEYBOARD) += keyboard/\n'), c('serio/Makefile', 'obj-y += i8042.o\n'), c('keyboard/Makefile', 'obj-y += atkbd.o\n'), c('old/Makefile', 'obj-y += x.o\n')];
    // drivers/Makefile names input/serio/; nothing names input/old/.
    const above = [{ prefix: 'input/', text: 'obj-$(CONFIG_INPUT) += input/\nobj-$(CONFIG_SERIO) += input/serio/\n' }];
    expect([...unbuiltFiles(files, makefiles, above)]).toEqual([['old/x.c', 'not built: no Makefile in ./ names old/']]);
    // Without the Makefiles above, the directory's own sub-directories are not judged.
    expect(unbuiltFiles(files, makefiles).size).toBe(0);
  });

  it('reads a sub-directory named through a plain variable, and a multi-level path as the one directory kbuild enters', () => {
    const files = [c('gpu/src/drv/core/x.c'), c('gpu/src/drv/common/y.c'), c('gpu/src/tools/compiler/z.c'), c('gpu/src/w.c')];
    const makefiles = [
      c('Makefile', 'DRV_SUB := gpu/src/drv\nobj-$(CONFIG_GPU) += $(DRV_SUB)/\n'),
      c('gpu/src/drv/Makefile', 'obj-y += core/\ndrv-y := common/y.o\nobj-y += drv.o\n'),
      c('gpu/src/drv/core/Makefile', 'obj-y += x.o\n'),
    ];
    // The compiler beside the driver is reached by no Makefile: nothing between ./ and gpu/src/drv/ is entered.
    expect([...unbuiltFiles(files, makefiles, [])]).toEqual([
      ['gpu/src/tools/compiler/z.c', 'not built: no Makefile in ./ names gpu/src/tools/'],
      ['gpu/src/w.c', 'not built: no Makefile in ./ names gpu/src/'],
    ]);
    expect(withPlainVariables('A := x/y\nB = $(C)\nobj-y += $(A)/ ${A}/z.o $(B)/\n')).toBe('A := x/y\nB = $(C)\nobj-y += x/y/ x/y/z.o $(B)/\n');
  });

  it('does not count a macro a Makefile only filters out, and drops one filtered out in every build', () => {
    const text = 'DRVCFLAGS += -DDRV_A -DDRV_B\nDRVCFLAGS := $(filter-out -DDRV_B,$(DRVCFLAGS))\nifeq ($(CONFIG_X),y)\n  DRVCFLAGS := $(filter-out -DDRV_C -DDRV_A,$(DRVCFLAGS))\nendif\nEXTRA_CFLAGS += $(DRVCFLAGS)\n';
    expect(buildDefines([c('drv/Makefile', text)])).toEqual(['DRV_A', 'DRV_B']);
    expect(directoryDefines([c('drv/Makefile', text)])).toEqual([{ dir: 'drv/', always: ['DRV_A'], passed: ['DRV_A', 'DRV_B'] }]);
  });

  it('lockscope analyze leaves a template out of the program and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-kbuild-'));
    mkdirSync(join(dir, 'notify'));
    writeFileSync(join(dir, 'notify/Makefile'), 'obj-$(CONFIG_NOTIFY) += core.o ring.o\n');
    writeFileSync(join(dir, 'notify/core.c'), 'static DEFINE_MUTEX(core_lock);\nvoid ring_poke(void);\nvoid core_notify(void)\n{\n\tmutex_lock(&core_lock);\n\tring_poke();\n\tmutex_unlock(&core_lock);\n}\n');
    writeFileSync(join(dir, 'notify/ring.c'), 'static DEFINE_MUTEX(ring_lock);\nvoid ring_poke(void)\n{\n\tmutex_lock(&ring_lock);\n\tmutex_unlock(&ring_lock);\n}\n');
    // A template that copies ring_poke() under its own names and calls back into the core.
    writeFileSync(join(dir, 'notify/template.c'), 'static DEFINE_MUTEX(ring_lock);\nvoid core_notify(void);\nvoid template_poke(void)\n{\n\tmutex_lock(&ring_lock);\n\tcore_notify();\n\tmutex_unlock(&ring_lock);\n}\n');
    const r = await cli(['analyze', '--no-cache', '--format', 'json', dir], { env: { HOME: dir } });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { edges: { from: string; to: string }[]; skipped: { file: string; reason: string }[]; files: unknown };
    expect(json.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual(['core_lock -> ring_lock']);
    expect(json.skipped).toContainEqual({ file: 'notify/template.c', line: 0, reason: 'not built: no Makefile in notify/ names template.o' });
  });

  it('reads the macros Makefiles define, conditional ones too, and not commented-out lines', () => {
    const makefiles = [
      c('a/Makefile', 'ccflags-$(CONFIG_A_DEBUG) := -DDEBUG\nCFLAGS_pm.o += -DPM_TRACE=1 -Iinclude\n# ccflags-y := -DNOT_THIS\n'),
      c('b/Kbuild', 'EXTRA_CFLAGS += -DB_DEBUG\n'),
    ];
    expect(buildDefines(makefiles)).toEqual(['B_DEBUG', 'DEBUG', 'PM_TRACE']);
  });

  it('lockscope analyze compiles debug code a Makefile switches on, and only then', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-kbuild-'));
    mkdirSync(join(dir, 'port'));
    writeFileSync(join(dir, 'port/port.c'), 'static DEFINE_MUTEX(port_lock);\nstatic DEFINE_MUTEX(dump_lock);\nvoid port_rx(void)\n{\n\tmutex_lock(&port_lock);\n#ifdef PORT_DEBUG\n\tmutex_lock(&dump_lock);\n\tmutex_unlock(&dump_lock);\n#endif\n\tmutex_unlock(&port_lock);\n}\n');
    const edges = async (): Promise<string[]> => {
      const r = await cli(['analyze', '--no-cache', '--format', 'json', dir], { env: { HOME: dir } });
      expect(r.code).toBe(0);
      return (JSON.parse(r.out) as { edges: { from: string; to: string }[] }).edges.map((e) => `${e.from} -> ${e.to}`);
    };
    writeFileSync(join(dir, 'port/Makefile'), 'obj-y += port.o\n');
    expect(await edges()).toEqual([]);
    writeFileSync(join(dir, 'port/Makefile'), 'obj-y += port.o\nccflags-$(CONFIG_PORT_DEBUG) += -DPORT_DEBUG\n');
    expect(await edges()).toEqual(['port_lock -> dump_lock']);
    // kbuild gives a Makefile's flags to its own directory and below: a sibling driver testing
    // the same switch is not compiled with it.
    mkdirSync(join(dir, 'uart'));
    writeFileSync(join(dir, 'uart/Makefile'), 'obj-y += uart.o\n');
    writeFileSync(join(dir, 'uart/uart.c'), 'static DEFINE_MUTEX(uart_lock);\nstatic DEFINE_MUTEX(uart_dump_lock);\nvoid uart_rx(void)\n{\n\tmutex_lock(&uart_lock);\n#ifdef PORT_DEBUG\n\tmutex_lock(&uart_dump_lock);\n\tmutex_unlock(&uart_dump_lock);\n#endif\n\tmutex_unlock(&uart_lock);\n}\n');
    expect(await edges()).toEqual(['port_lock -> dump_lock']);
  });

  it('says which directory each debug switch a Makefile passes belongs to', () => {
    const makefiles = [c('a/Makefile', 'ccflags-$(CONFIG_A_DEBUG) := -DDEBUG -DA_FEATURE\n# ccflags-y := -DB_DEBUG\n'), c('Makefile', 'KBUILD_CFLAGS += -DTOP_DBG\n'), c('b/Makefile', 'obj-y += b.o\n')];
    expect(debugDefines(makefiles)).toEqual([{ dir: 'a/', names: ['DEBUG'] }, { dir: '', names: ['TOP_DBG'] }]);
  });

  it('reads the features a directory Makefile always passes: not in ifeq blocks, not on ccflags-$(CONFIG_X) lines', () => {
    const makefiles = [
      c('drv/Makefile', 'DRVCFLAGS = -Wall -DDRV_THREADED \\\n\t-DDRV_SCAN=2 -Iinclude\nifneq ($(CONFIG_DRV_EXT),)\nDRVCFLAGS += -DDRV_EXT\nendif\nccflags-$(CONFIG_DRV_PM) += -DDRV_PM\n# DRVCFLAGS += -DNOT_THIS\nEXTRA_CFLAGS = $(DRVCFLAGS)\n'),
      c('dbg/Makefile', 'ccflags-y := -DDEBUG\n'),
      c('plain/Makefile', 'obj-y += plain.o\n'),
    ];
    expect(directoryDefines(makefiles)).toEqual([{ dir: 'drv/', always: ['DRV_SCAN', 'DRV_THREADED'], passed: ['DRV_EXT', 'DRV_PM', 'DRV_SCAN', 'DRV_THREADED'] }]);
  });

  it('ends a continued line at a comment: the lines continuing it are commented out too', () => {
    const text = 'ccflags-y += -I$(src) \\\n\t\t-DBUS_PCMCIA \\\n\t\t-DSTA_ONLY \\\n#\t\t-DHERMES25 \\\n#\t\t-DDBG \\\n\nobj-y += wl.o\n';
    expect(directoryDefines([c('wl/Makefile', text)])).toEqual([{ dir: 'wl/', always: ['BUS_PCMCIA', 'STA_ONLY'], passed: ['BUS_PCMCIA', 'STA_ONLY'] }]);
  });

  it("decides the ifeq blocks a Makefile's own defaults decide: the default build's features", () => {
    const text = [
      'UPPER_HALF ?= 1',
      'OVERLAP ?= 0',
      'STATE := y',
      'ifeq ($(UPPER_HALF),1)',
      '\tccflags-y += -DUPPER_HALF',
      'else',
      '\tccflags-y += -DLOWER_HALF',
      'endif',
      'ifeq ($(OVERLAP),1)',
      '\tccflags-y += -DNO_OVERLAP',
      'endif',
      'ifneq "$(STATE)" "y"',
      '\tccflags-y += -DNO_STATE',
      'endif',
      'ifeq ($(FROM_ENV),1)',
      '\tccflags-y += -DFROM_ENV',
      'endif',
      'ifdef STATE',
      '\tccflags-y += -DWITH_STATE',
      'endif',
      '',
    ].join('\n');
    // FROM_ENV has no default here: its block may go either way.
    expect(directoryDefines([c('gpu/Kbuild', text)])).toEqual([{ dir: 'gpu/', always: ['UPPER_HALF', 'WITH_STATE'], never: ['LOWER_HALF', 'NO_OVERLAP', 'NO_STATE'], passed: ['FROM_ENV', 'UPPER_HALF', 'WITH_STATE'] }]);
  });

  it('gives an object named only inside a Makefile conditional the macros that same conditional passes', () => {
    const text = [
      'DRVCFLAGS = -DDRV_THREADED',
      'ifneq ($(CONFIG_DRV_SDIO),)',
      '  DRVCFLAGS += -DDRV_BDC -DDRV_SDIO',
      'endif',
      'ifneq ($(CONFIG_DRV_PCIE),)',
      '  DRVCFLAGS += -DDRV_PCIE',
      'endif',
      'DRVOFILES := drv_common.o',
      'ifneq ($(CONFIG_DRV_SDIO),)',
      '  DRVOFILES += drv_cdc.o sdio/drv_bus.o',
      '  ifeq ($(CONFIG_DRV_OOB),y)',
      '    DRVOFILES += drv_oob.o',
      '  endif',
      'endif',
      'ifneq ($(CONFIG_DRV_PCIE),)',
      '  DRVOFILES += drv_msgbuf.o drv_cdc.o',
      'endif',
      'EXTRA_CFLAGS = $(DRVCFLAGS)',
      'drv-objs := $(DRVOFILES)',
      '',
    ].join('\n');
    // drv_cdc.o is also built for PCIe, where DRV_BDC is not passed: none of its block's macros are certain.
    expect(directoryDefines([c('drv/Makefile', text)])).toEqual([
      {
        dir: 'drv/',
        always: ['DRV_THREADED'],
        objects: { 'sdio/drv_bus.c': ['DRV_BDC', 'DRV_SDIO'], 'drv_oob.c': ['DRV_BDC', 'DRV_SDIO'], 'drv_msgbuf.c': ['DRV_PCIE'] },
        passed: ['DRV_BDC', 'DRV_PCIE', 'DRV_SDIO', 'DRV_THREADED'],
      },
    ]);
  });

  it('lockscope analyze builds an object named only under a Makefile conditional with that conditional\'s macros', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-kbuild-objects-'));
    mkdirSync(join(dir, 'drv'));
    writeFileSync(
      join(dir, 'drv/Makefile'),
      'ifneq ($(CONFIG_DRV_SDIO),)\n  DRVCFLAGS += -DDRV_BDC\nendif\nDRVOFILES := drv_core.o\nifneq ($(CONFIG_DRV_SDIO),)\n  DRVOFILES += drv_cdc.o\nendif\nEXTRA_CFLAGS += $(DRVCFLAGS)\ndrv-objs := $(DRVOFILES)\n',
    );
    writeFileSync(join(dir, 'drv/drv_core.c'), 'spinlock_t bus_lock;\nspinlock_t hdr_lock;\nvoid drv_rx(void)\n{\n\tspin_lock(&bus_lock);\n\tspin_lock(&hdr_lock);\n\tspin_unlock(&hdr_lock);\n\tspin_unlock(&bus_lock);\n}\n');
    // Without BDC headers, the header lock is taken before the bus lock: a build that compiles drv_cdc.c always has BDC.
    writeFileSync(join(dir, 'drv/drv_cdc.c'), 'extern spinlock_t bus_lock;\nextern spinlock_t hdr_lock;\nvoid drv_hdrpull(void)\n{\n#ifndef DRV_BDC\n\tspin_lock(&hdr_lock);\n\tspin_lock(&bus_lock);\n\tspin_unlock(&bus_lock);\n\tspin_unlock(&hdr_lock);\n#endif\n}\n');
    const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'drv')], { env: { HOME: dir } });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { edges: { from: string; to: string }[]; inversions: unknown[] };
    expect(json.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual(['bus_lock -> hdr_lock']);
    expect(json.inversions).toEqual([]);
  });

  it('lockscope analyze builds a driver with the features its Makefile passes, and without the ones nothing defines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-kbuild-'));
    mkdirSync(join(dir, 'drv'));
    writeFileSync(
      join(dir, 'drv/drv.c'),
      [
        'static DEFINE_MUTEX(cfg_lock);',
        'static DEFINE_SPINLOCK(txq_lock);',
        'static DEFINE_SPINLOCK(bus_lock);',
        'void drv_tx(void)',
        '{',
        '\tmutex_lock(&cfg_lock);',
        '#ifndef DRV_THREADED',
        '\tspin_lock(&txq_lock);',
        '\tspin_unlock(&txq_lock);',
        '#endif',
        '\tmutex_unlock(&cfg_lock);',
        '}',
        '#ifdef DRV_PROPTX',
        'void drv_credit(void)',
        '{',
        '\tspin_lock(&txq_lock);',
        '\tspin_lock(&bus_lock);',
        '\tspin_unlock(&bus_lock);',
        '\tspin_unlock(&txq_lock);',
        '}',
        '#endif',
        'void drv_poll(void)',
        '{',
        '#if (LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 25))',
        '\tmutex_lock(&cfg_lock);',
        '#endif',
        '\tspin_lock(&bus_lock);',
        '\tspin_unlock(&bus_lock);',
        '#if (LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 25))',
        '\tmutex_unlock(&cfg_lock);',
        '#endif',
        '}',
        'void drv_rx(void)',
        '{',
        '\tspin_lock(&bus_lock);',
        '#ifdef CONFIG_DRV_STATS',
        '\tspin_lock(&txq_lock);',
        '\tspin_unlock(&txq_lock);',
        '#endif',
        '\tspin_unlock(&bus_lock);',
        '}',
        '',
      ].join('\n'),
    );
    const analyzed = async (): Promise<{ edges: string[]; skipped: string[] }> => {
      const r = await cli(['analyze', '--no-cache', '--format', 'json', dir], { env: { HOME: dir } });
      expect(r.code).toBe(0);
      const json = JSON.parse(r.out) as { edges: { from: string; to: string }[]; skipped: { reason: string }[] };
      return { edges: json.edges.map((e) => `${e.from} -> ${e.to}`).sort(), skipped: json.skipped.map((s) => s.reason) };
    };
    writeFileSync(join(dir, 'drv/Makefile'), 'obj-y += drv.o\n');
    expect((await analyzed()).edges).toEqual(['bus_lock -> txq_lock', 'cfg_lock -> bus_lock', 'cfg_lock -> txq_lock', 'txq_lock -> bus_lock']);
    writeFileSync(join(dir, 'drv/Makefile'), 'DRVCFLAGS = -DDRV_THREADED\nobj-y += drv.o\nEXTRA_CFLAGS = $(DRVCFLAGS)\n');
    const built = await analyzed();
    // A version test is no feature macro: decided by no Makefile.
    expect(built.edges).toEqual(['bus_lock -> txq_lock', 'cfg_lock -> bus_lock']);
    expect(built.skipped).toContain('drv_credit() is not analyzed: under #ifdef DRV_PROPTX, which no build compiles');
  });

  it('lockscope analyze does not take the macros of a Makefile that does not build the file (a standalone one beside kbuild\'s)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-kbuild-'));
    mkdirSync(join(dir, 'drv/src/sys'), { recursive: true });
    mkdirSync(join(dir, 'drv/src/linux'), { recursive: true });
    writeFileSync(
      join(dir, 'drv/src/sys/cdc.c'),
      ['static DEFINE_SPINLOCK(txq_lock);', 'static DEFINE_SPINLOCK(wlfc_lock);', 'void cdc_pull(void)', '{', '\tspin_lock(&txq_lock);', '#ifdef DRV_PROPTX', '\tspin_lock(&wlfc_lock);', '\tspin_unlock(&wlfc_lock);', '#endif', '\tspin_unlock(&txq_lock);', '}', ''].join('\n'),
    );
    writeFileSync(join(dir, 'drv/Makefile'), 'obj-$(CONFIG_DRV) += drv.o\ndrv-objs := src/sys/cdc.o\nEXTRA_CFLAGS += -DDRV_THREADED\n');
    // Broadcom-style: builds outside kbuild with vpath, its own flags.
    writeFileSync(join(dir, 'drv/src/linux/Makefile'), 'vpath %.c ../sys\nDFLAGS += -DDRV_PROPTX\nCFILES += cdc.c\n');
    const r = await cli(['analyze', '--no-cache', '--format', 'json', dir], { env: { HOME: dir } });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { edges: { from: string; to: string }[] };
    expect(json.edges).toEqual([]);
    // The kbuild Makefile passing it, the order is there.
    writeFileSync(join(dir, 'drv/Makefile'), 'obj-$(CONFIG_DRV) += drv.o\ndrv-objs := src/sys/cdc.o\nEXTRA_CFLAGS += -DDRV_THREADED -DDRV_PROPTX\n');
    const again = JSON.parse((await cli(['analyze', '--no-cache', '--format', 'json', dir], { env: { HOME: dir } })).out) as { edges: { from: string; to: string }[] };
    expect(again.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual(['txq_lock -> wlfc_lock']);
  });

  it('pairs the macros a Makefile passes only in blocks no build enters both of, through variables set in the two arms', () => {
    const text = [
      'ifneq ($(CONFIG_DRV_PCIE),)',
      '  BUS_PCIE=y',
      'else',
      '  BUS_SDIO=y',
      'endif',
      'DRVCFLAGS = -DDRV_COMMON',
      'ifeq ($(BUS_SDIO),y)',
      '  DRVCFLAGS += -DDRV_SDIO -DDRV_GLOM',
      'endif',
      'ifeq ($(BUS_PCIE),y)',
      '  DRVCFLAGS += -DDRV_PCIE',
      'endif',
      'ifeq ($(CONFIG_DRV_DEBUG),y)',
      '  DRVCFLAGS += -DDRV_TRACE',
      'endif',
      'ifeq ($(CONFIG_SLP),y)',
      '  DRVCFLAGS += -DDRV_GLOM',
      'endif',
      'EXTRA_CFLAGS += $(DRVCFLAGS)',
      '',
    ].join('\n');
    const [d] = directoryDefines([c('drv/Makefile', text)]);
    // DRV_GLOM is also passed under CONFIG_SLP, which a PCIe build may have; DRV_TRACE under any.
    expect(d?.exclusive).toEqual([['DRV_PCIE', 'DRV_SDIO']]);
  });

  it('takes a Makefile test of a CONFIG_ option no Kconfig declares as empty, unless the Makefile sets it', () => {
    const text = [
      'ifneq ($(CONFIG_DRV_PCIE),)',
      '  BUS_PCIE=y',
      'else',
      '  BUS_SDIO=y',
      'endif',
      'ifeq ($(BUS_SDIO),y)',
      '  DRVCFLAGS += -DDRV_SDIO -DDRV_BT_WAR',
      'endif',
      'ifeq ($(BUS_PCIE),y)',
      '  DRVCFLAGS += -DDRV_PCIE',
      'endif',
      'ifeq ($(CONFIG_SLP),y)',
      '  DRVCFLAGS += -DDRV_BT_WAR -DDRV_SLP',
      'endif',
      'CONFIG_LOCAL_HCI = y',
      'ifeq ($(CONFIG_LOCAL_HCI),y)',
      '  DRVCFLAGS += -DDRV_LOCAL',
      'endif',
      'EXTRA_CFLAGS += $(DRVCFLAGS)',
      '',
    ].join('\n');
    const open = directoryDefines([c('drv/Makefile', text)])[0];
    expect(open?.exclusive).toEqual([['DRV_PCIE', 'DRV_SDIO']]);
    // A tree whose Kconfig declares DRV_PCIE but no SLP: the SLP block never runs.
    const [d] = directoryDefines([c('drv/Makefile', text)], kernelConfig(undefined, { declared: new Set(['DRV_PCIE']), offByDefault: new Set() }));
    expect(d?.never).toEqual(['DRV_SLP']);
    expect(d?.always).toEqual(['DRV_LOCAL']);
    expect(d?.exclusive).toEqual([['DRV_BT_WAR', 'DRV_PCIE'], ['DRV_PCIE', 'DRV_SDIO']]);
  });

  it('lockscope analyze drops a cycle whose orders need macros of two bus back ends a Makefile never passes together', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-kbuild-'));
    mkdirSync(join(dir, 'drv'));
    const makefile = (pcieElse: boolean): string =>
      [
        'ifneq ($(CONFIG_DRV_PCIE),)',
        '  BUS_PCIE=y',
        pcieElse ? 'else' : 'endif\nifneq ($(CONFIG_DRV_SDIO),)',
        '  BUS_SDIO=y',
        'endif',
        'ifeq ($(BUS_SDIO),y)',
        '  DRVCFLAGS += -DDRV_SDIO',
        'endif',
        'ifeq ($(BUS_PCIE),y)',
        '  DRVCFLAGS += -DDRV_PCIE',
        'endif',
        'DRVOFILES := drv_linux.o',
        'ifeq ($(BUS_PCIE),y)',
        '  DRVOFILES += drv_pcie.o',
        'endif',
        'EXTRA_CFLAGS += $(DRVCFLAGS)',
        'obj-m += drv.o',
        'drv-objs := $(DRVOFILES)',
        '',
      ].join('\n');
    writeFileSync(join(dir, 'drv/drv.h'), 'struct info { spinlock_t a_lock; spinlock_t b_lock; int n; };\nvoid bus_poke(struct info *d);\n');
    writeFileSync(
      join(dir, 'drv/drv_linux.c'),
      ['#include "drv.h"', 'void drv_flush(struct info *d)', '{', '\tspin_lock(&d->a_lock);', '#ifdef DRV_SDIO', '\tbus_poke(d);', '#endif', '\tspin_unlock(&d->a_lock);', '}', 'void bus_poke(struct info *d)', '{', '\tspin_lock(&d->b_lock);', '\td->n++;', '\tspin_unlock(&d->b_lock);', '}', ''].join('\n'),
    );
    writeFileSync(
      join(dir, 'drv/drv_pcie.c'),
      ['#include "drv.h"', 'void pcie_tx(struct info *d)', '{', '\tspin_lock(&d->b_lock);', '\tspin_lock(&d->a_lock);', '\td->n = 0;', '\tspin_unlock(&d->a_lock);', '\tspin_unlock(&d->b_lock);', '}', ''].join('\n'),
    );
    const inversions = async (): Promise<string[]> => {
      const r = await cli(['analyze', '--no-cache', '--format', 'json', dir], { env: { HOME: dir } });
      expect(r.code).toBe(0);
      return (JSON.parse(r.out) as { inversions: { locks: string[] }[] }).inversions.map((i) => i.locks.join(' <-> '));
    };
    // The two arms of one test: an SDIO build has no drv_pcie.o, a PCIe build no DRV_SDIO.
    writeFileSync(join(dir, 'drv/Makefile'), makefile(true));
    expect(await inversions()).toEqual([]);
    // Two separate options: a build may have both, and the cycle.
    writeFileSync(join(dir, 'drv/Makefile'), makefile(false));
    expect(await inversions()).toEqual(['info.a_lock <-> info.b_lock']);
  });

  it('lockscope analyze shows a cycle through an object built only with -DDRV_CFG by the path that build has', async () => {
    // core_open() reaches if_mutex two ways, `#if !defined(DRV_CFG)` and `#else`, through one
    // helper; cfg.c, built only in the Makefile block that passes -DDRV_CFG, calls it holding
    // big_mutex. core.c also has stubs of cfg.c's functions under `#ifndef DRV_CFG`: no unit
    // conflict, since no build compiles both. The cycle is reported, by the `#else` path.
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-kbuild-'));
    mkdirSync(join(dir, 'drv'));
    writeFileSync(
      join(dir, 'drv/Makefile'),
      ['DRVCFLAGS := -DDRV_CORE', 'DRVOFILES := core.o', 'ifneq ($(CONFIG_DRV_CFG),)', '  DRVOFILES += cfg.o', '  DRVCFLAGS += -DDRV_CFG', 'endif', 'EXTRA_CFLAGS += $(DRVCFLAGS)', 'obj-m += drv.o', 'drv-objs := $(DRVOFILES)', ''].join('\n'),
    );
    writeFileSync(
      join(dir, 'drv/core.c'),
      [
        'DEFINE_MUTEX(if_mutex);', 'DEFINE_MUTEX(big_mutex);',
        'static void if_lock(void)', '{', '\tmutex_lock(&if_mutex);', '}',
        'static void wext_start(void)', '{', '\tif_lock();', '\tmutex_unlock(&if_mutex);', '}',
        'static void power_on(void)', '{', '\tif_lock();', '\tmutex_unlock(&if_mutex);', '}',
        'static void cfg_start(void)', '{', '\tpower_on();', '}',
        '#ifndef DRV_CFG', 'int cfg_get_addr(char *addr)', '{ return 0; }', '#endif',
        'int core_open(void)', '{', '#if !defined(DRV_CFG)', '\twext_start();', '#else', '\tcfg_start();', '#endif', '\treturn 0;', '}',
        'void core_cleanup(void)', '{', '\tmutex_lock(&if_mutex);', '\tmutex_lock(&big_mutex);', '\tmutex_unlock(&big_mutex);', '\tmutex_unlock(&if_mutex);', '}', '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'drv/cfg.c'),
      [
        'extern struct mutex big_mutex;', 'int core_open(void);',
        'int cfg_get_addr(char *addr)', '{', '\taddr[0] = 1;', '\treturn 0;', '}',
        'int cfg_open(void)', '{', '\tint ret;', '', '\tmutex_lock(&big_mutex);', '\tret = core_open();', '\tmutex_unlock(&big_mutex);', '\treturn ret;', '}', '',
      ].join('\n'),
    );
    const r = await cli(['analyze', '--no-cache', '--format', 'json', dir], { env: { HOME: dir } });
    expect(r.code).toBe(0);
    const inversions = (JSON.parse(r.out) as { inversions: { locks: string[]; edges: { from: string; chain: { function: string }[] }[] }[] }).inversions;
    expect(inversions.map((i) => i.locks.join(' <-> '))).toEqual(['big_mutex <-> if_mutex']);
    const through = inversions[0]?.edges.find((e) => e.from === 'big_mutex')?.chain.map((s) => s.function);
    expect(through).toEqual(['cfg_open', 'cfg_open', 'core_open', 'cfg_start', 'power_on', 'if_lock']);
  });

  it('knows a Makefile compiles files of a sub-directory by path, not a similar name nor the directory aggregate', () => {
    const files = ['dhd/sys/dhd_linux.c', 'shared/osl.c', 'a.c'];
    expect(compilesUnder('dhd-y := src/dhd/sys/dhd_linux.o \\\n\tsrc/shared/osl.o\n', 'src', files)).toBe(true);
    expect(compilesUnder('obj-y += sub.dir/a.o\n', 'sub.dir', files)).toBe(true);
    expect(compilesUnder('obj-y += xsrc/a.o\n', 'src', files)).toBe(false);
    expect(compilesUnder('obj-y += src/b.o\n', 'src', files)).toBe(false);
    expect(compilesUnder('EXTRA_CFLAGS += -I$(src)/src/include/\nobj-y += drv.o\n', 'src', files)).toBe(false);
    expect(compilesUnder('core-y += mm/\nvmlinux-main := mm/built-in.o\n', 'mm', files)).toBe(false);
  });

  it('lockscope analyze of the sources sub-directory alone takes the flags of the Makefile above that compiles it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-kbuild-'));
    mkdirSync(join(dir, 'drv/src'), { recursive: true });
    writeFileSync(
      join(dir, 'drv/src/core.c'),
      [
        'static DEFINE_SPINLOCK(sd_lock);',
        'static DEFINE_SPINLOCK(flow_lock);',
        'void core_dpc(void)',
        '{',
        '\tspin_lock(&sd_lock);',
        '\tspin_lock(&flow_lock);',
        '\tspin_unlock(&flow_lock);',
        '\tspin_unlock(&sd_lock);',
        '}',
        'void core_tx(void)',
        '{',
        '\tspin_lock(&flow_lock);',
        '#ifndef DRV_THREADED',
        '\tspin_lock(&sd_lock);',
        '\tspin_unlock(&sd_lock);',
        '#endif',
        '\tspin_unlock(&flow_lock);',
        '}',
        '',
      ].join('\n'),
    );
    const cycles = async (): Promise<number> => {
      const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'drv/src')], { env: { HOME: dir } });
      expect(r.code).toBe(0);
      return (JSON.parse(r.out) as { inversions: unknown[] }).inversions.length;
    };
    expect(await cycles()).toBe(1);
    // A Makefile above that does not compile src/ by path is not the build's.
    writeFileSync(join(dir, 'drv/Makefile'), 'DRVCFLAGS = -DDRV_THREADED\nobj-m += other.o\n');
    expect(await cycles()).toBe(1);
    writeFileSync(join(dir, 'drv/Makefile'), 'DRVCFLAGS = -DDRV_THREADED\nEXTRA_CFLAGS += $(DRVCFLAGS)\nobj-m += drv.o\ndrv-y := src/core.o\n');
    expect(await cycles()).toBe(0);
  });
});

describe('flagsReaching', () => {
  const MK = 'EXTRA_CFLAGS += -DPROP_TXSTATUS\nKBUILD_CFLAGS += -DARCH_WIDE\nobj-y += a.o\n';
  it('gives a Makefile whole to its own directory, those below it and above it', () => {
    expect(flagsReaching('/t/drivers/wl/bcm', '/t/drivers/wl/bcm/Makefile', MK)).toBe(MK);
    expect(flagsReaching('/t/drivers/wl/bcm', '/t/drivers/wl/Makefile', MK)).toBe(MK);
    expect(flagsReaching('/t/drivers/wl', '/t/drivers/wl/bcm/Kbuild', MK)).toBe(MK);
  });

  it("gives only KBUILD_CFLAGS of a sibling's Makefile, and any other build file whole", () => {
    expect(flagsReaching('/t/drivers/wl/bcm', '/t/drivers/wl/bcm_34/Makefile', MK)).toBe('KBUILD_CFLAGS += -DARCH_WIDE');
    expect(flagsReaching('/t/drivers/wl/bcm', '/t/scripts/mkcompile_h', '#define UTS_VERSION "1"\n')).toBe('#define UTS_VERSION "1"\n');
  });
});

describe('includeDirs', () => {
  it('gives the tree directories -I adds, from the tree root or the Makefile\'s own directory; none built from other variables or climbing out', () => {
    const makefiles = [
      { path: 'Makefile', text: 'ccflags-y := -Iinclude/drm -I$(src)/hw\nEXTRA_CFLAGS += -I $(srctree)/include/x -I$(FOO)/y -I../../etc\n# ccflags-y += -Icommented\n' },
      { path: 'sub/Makefile', text: 'ccflags-y += -I$(obj)\n' },
    ];
    expect(includeDirs(makefiles, 'drivers/gpu')).toEqual(['drivers/gpu/hw', 'drivers/gpu/sub', 'include/drm', 'include/x']);
  });
});
