/**
 * `lockscope analyze --config FILE`: the analysis is for the build a .config or defconfig
 * describes. `#ifdef CONFIG_X` follows it (`X=m` defines CONFIG_X_MODULE, not CONFIG_X), and so
 * do the Makefiles: `obj-$(CONFIG_X) += x.o` for an X not set builds nothing, nor do the parts
 * of a composite object it names. A generated .config lists every option of its build, so one
 * it does not list is off; a minimal defconfig leaves the rest open. Without --config every
 * build the Kconfig allows is possible, as before.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configMacroDefined, configMacroValue, kernelConfig, parseConfigFile, readKconfig } from '../../src/analyzers/c/kernel-config.ts';
import { cli } from './run-cli.ts';

/** a.c orders a_lock -> b_lock only under CONFIG_FAST_PATH; b.c and c.c each order b_lock -> a_lock. */
function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-config-'));
  const drv = join(dir, 'drivers/misc/dev');
  mkdirSync(drv, { recursive: true });
  mkdirSync(join(dir, 'include/linux'), { recursive: true });
  mkdirSync(join(dir, 'arch'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'obj-y += drivers/\n');
  writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\nsource "drivers/misc/dev/Kconfig"\n');
  writeFileSync(join(drv, 'Kconfig'), 'config DEV_CORE\n\ttristate "core"\nconfig FAST_PATH\n\tbool "fast"\n\tdefault y if DEV_CORE\nconfig DEV_RESET\n\tbool "reset"\nconfig DEV_EXTRA\n\ttristate "extra"\n');
  writeFileSync(join(drv, 'Makefile'), 'obj-y += a.o\nobj-$(CONFIG_DEV_RESET) += b.o\nobj-$(CONFIG_DEV_EXTRA) += devx.o\ndevx-objs := c.o\n');
  writeFileSync(join(drv, 'dev.h'), 'struct dev { spinlock_t a_lock; spinlock_t b_lock; int n; };\n');
  const order = (name: string, first: string, second: string): string =>
    [`void ${name}(struct dev *d)`, '{', `\tspin_lock(&d->${first});`, `\tspin_lock(&d->${second});`, '\td->n++;', `\tspin_unlock(&d->${second});`, `\tspin_unlock(&d->${first});`, '}', `EXPORT_SYMBOL(${name});`].join('\n');
  writeFileSync(join(drv, 'a.c'), ['#include "dev.h"', 'void dev_tx(struct dev *d)', '{', '\tspin_lock(&d->a_lock);', '#ifdef CONFIG_FAST_PATH', '\tspin_lock(&d->b_lock);', '\td->n = 0;', '\tspin_unlock(&d->b_lock);', '#endif', '\tspin_unlock(&d->a_lock);', '}', 'EXPORT_SYMBOL(dev_tx);', ''].join('\n'));
  writeFileSync(join(drv, 'b.c'), ['#include "dev.h"', order('dev_reset', 'b_lock', 'a_lock'), ''].join('\n'));
  writeFileSync(join(drv, 'c.c'), ['#include "dev.h"', order('dev_extra', 'b_lock', 'a_lock'), ''].join('\n'));
  return dir;
}

async function analyze(dir: string, config?: string): Promise<{ code: number; inversions: string[]; witnesses: string[]; skipped: string[]; config?: string; err: string }> {
  const args = ['analyze', '--no-cache', '--format', 'json', ...(config !== undefined ? ['--config', config] : []), join(dir, 'drivers/misc/dev')];
  const r = await cli(args, { env: { HOME: dir }, cwd: dir });
  if (r.code !== 0) return { code: r.code, inversions: [], witnesses: [], skipped: [], err: r.err };
  const j = JSON.parse(r.out) as { inversions: { locks: string[]; chains?: unknown }[]; skipped: { file: string; reason: string }[]; config?: string };
  return {
    code: r.code,
    inversions: j.inversions.map((i) => i.locks.join(' <-> ')),
    witnesses: [...new Set(j.inversions.flatMap((i) => JSON.stringify(i).match(/\b[abc]\.c\b/g) ?? []))].sort(),
    skipped: j.skipped.map((s) => `${s.file}: ${s.reason}`),
    ...(j.config ? { config: j.config } : {}),
    err: r.err,
  };
}

describe('kernel configuration (lockscope analyze --config)', () => {
  it('reads .config and defconfig lines', () => {
    const r = parseConfigFile('x', '# comment\nCONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_NR=4\nCONFIG_S="x"\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.file.complete).toBe(false);
    const c = kernelConfig(r.file, { declared: new Set(['A', 'B', 'C', 'NR', 'S', 'D']), offByDefault: new Set() });
    if (!c) throw new Error('no config');
    expect(['CONFIG_A', 'CONFIG_B', 'CONFIG_C', 'CONFIG_D', 'CONFIG_UNDECLARED'].map((n) => c.value(n))).toEqual(['y', 'm', '', undefined, '']);
    expect(['CONFIG_A', 'CONFIG_B', 'CONFIG_B_MODULE', 'CONFIG_A_MODULE', 'CONFIG_C', 'CONFIG_D', 'CONFIG_S'].map((n) => configMacroDefined(c, n))).toEqual([true, false, true, false, false, undefined, true]);
    expect(['CONFIG_A', 'CONFIG_NR', 'CONFIG_C', 'CONFIG_S'].map((n) => configMacroValue(c, n))).toEqual([1, 4, 0, undefined]);
    const full = parseConfigFile('.config', '#\n# Automatically generated file; DO NOT EDIT.\n# Linux/arm 3.0.8 Kernel Configuration\n#\nCONFIG_A=y\n');
    expect(full.ok && kernelConfig(full.file, undefined)?.value('CONFIG_D')).toBe('');
    expect(parseConfigFile('notes.txt', 'hello\n')).toEqual({ ok: false, reason: 'notes.txt: no CONFIG_ option lines: not a kernel .config or defconfig' });
  });

  it('without --config, every build the Kconfig allows: both orders reach a_lock <-> b_lock', async () => {
    const dir = tree();
    const r = await analyze(dir);
    expect(r.inversions).toEqual(['dev.a_lock <-> dev.b_lock']);
    expect(r.skipped).toEqual([]);
    expect(r.config).toBeUndefined();
  });

  it('without --config, the tree’s own .config when it has one, as kbuild builds it; --any-config every build again', async () => {
    const dir = tree();
    writeFileSync(join(dir, '.config'), '#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_DEV_CORE=y\n# CONFIG_FAST_PATH is not set\nCONFIG_DEV_RESET=y\n');
    const own = await analyze(dir);
    expect(own.inversions).toEqual([]);
    expect(own.config).toBe(join(dir, '.config'));
    expect(own.skipped.filter((s) => s.startsWith('c.c'))).toHaveLength(1);
    const r = await cli(['analyze', '--no-cache', '--format', 'json', '--any-config', join(dir, 'drivers/misc/dev')], { env: { HOME: dir }, cwd: dir });
    const any = JSON.parse(r.out) as { inversions: { locks: string[] }[]; config?: string };
    expect(any.inversions.map((i) => i.locks.join(' <-> '))).toEqual(['dev.a_lock <-> dev.b_lock']);
    expect(any.config).toBeUndefined();
    const both = await cli(['analyze', '--config', '.config', '--any-config', join(dir, 'drivers/misc/dev')], { env: { HOME: dir }, cwd: dir });
    expect(both.code).toBe(2);
    expect(both.err).toContain('--config and --any-config exclude each other');
  });

  it('an option the .config leaves unset turns off its #ifdef and the objects its Makefile lines name', async () => {
    const dir = tree();
    writeFileSync(join(dir, 'defconfig.off'), 'CONFIG_DEV_CORE=y\n# CONFIG_FAST_PATH is not set\nCONFIG_DEV_RESET=y\nCONFIG_DEV_EXTRA=m\n');
    const off = await analyze(dir, 'defconfig.off');
    expect(off.inversions).toEqual([]);
    expect(off.config).toBe('defconfig.off');

    // The fast path on; the reset object not built, the composite `devx.o` (c.c) built as a module.
    writeFileSync(join(dir, 'defconfig.reset-off'), 'CONFIG_FAST_PATH=y\n# CONFIG_DEV_RESET is not set\nCONFIG_DEV_EXTRA=m\n');
    const noReset = await analyze(dir, 'defconfig.reset-off');
    expect(noReset.inversions).toEqual(['dev.a_lock <-> dev.b_lock']);
    expect(noReset.witnesses).toEqual(['a.c', 'c.c']);
    expect(noReset.skipped).toContain('b.c: not built with defconfig.reset-off: ./Makefile builds b.o only with CONFIG_DEV_RESET, which the configuration leaves off');

    // Neither: the composite's parts go with it.
    writeFileSync(join(dir, 'defconfig.none'), 'CONFIG_FAST_PATH=y\n# CONFIG_DEV_RESET is not set\n# CONFIG_DEV_EXTRA is not set\n');
    const none = await analyze(dir, 'defconfig.none');
    expect(none.inversions).toEqual([]);
    expect(none.skipped).toContain('c.c: not built with defconfig.none: c.o is part only of objects ./Makefile does not build');
  });

  it('CONFIG_X=m defines CONFIG_X_MODULE, not CONFIG_X; a generated .config turns off what it does not list', async () => {
    const dir = tree();
    writeFileSync(join(dir, 'modular'), 'CONFIG_FAST_PATH=m\nCONFIG_DEV_RESET=y\n');
    expect((await analyze(dir, 'modular')).inversions).toEqual([]);
    // A minimal defconfig that does not mention FAST_PATH leaves it to its Kconfig default: open.
    writeFileSync(join(dir, 'minimal'), 'CONFIG_DEV_RESET=y\n');
    expect((await analyze(dir, 'minimal')).inversions).toEqual(['dev.a_lock <-> dev.b_lock']);
    // The same line in a generated .config: FAST_PATH and DEV_EXTRA are off.
    writeFileSync(join(dir, 'dot-config'), '#\n# Automatically generated make config: don\'t edit\n# Linux kernel version: 3.0.8\n#\nCONFIG_DEV_RESET=y\n');
    const full = await analyze(dir, 'dot-config');
    expect(full.inversions).toEqual([]);
    expect(full.skipped.some((s) => s.startsWith('c.c: not built with dot-config'))).toBe(true);
  });

  it('an #if expression over options (IS_ENABLED, defined, &&) follows the configuration', async () => {
    const dir = tree();
    const a = join(dir, 'drivers/misc/dev/a.c');
    writeFileSync(a, ['#include "dev.h"', 'void dev_tx(struct dev *d)', '{', '\tspin_lock(&d->a_lock);', '#if IS_ENABLED(CONFIG_FAST_PATH) && !defined(CONFIG_DEV_CORE)', '\tspin_lock(&d->b_lock);', '\td->n = 0;', '\tspin_unlock(&d->b_lock);', '#endif', '\tspin_unlock(&d->a_lock);', '}', 'EXPORT_SYMBOL(dev_tx);', ''].join('\n'));
    writeFileSync(join(dir, 'fast-module'), 'CONFIG_FAST_PATH=m\nCONFIG_DEV_RESET=y\n# CONFIG_DEV_CORE is not set\n');
    expect((await analyze(dir, 'fast-module')).inversions).toEqual(['dev.a_lock <-> dev.b_lock']);
    writeFileSync(join(dir, 'fast-core'), 'CONFIG_FAST_PATH=m\nCONFIG_DEV_RESET=y\nCONFIG_DEV_CORE=y\n');
    expect((await analyze(dir, 'fast-core')).inversions).toEqual([]);
  });

  it('in an #if expression a name the program does not define is unknown, not 0: a kernel header may define it', async () => {
    const dir = tree();
    const drv = join(dir, 'drivers/misc/dev');
    // Named by a header of the tree, outside the analysed directory (no value the program reads).
    mkdirSync(join(dir, 'include/uapi/linux'), { recursive: true });
    writeFileSync(join(dir, 'include/uapi/linux/wireless.h'), '#define WIRELESS_EXT 22\n');
    // A Makefile choosing features with -D: there a feature macro nothing defines is off for #ifdef.
    writeFileSync(join(drv, 'Makefile'), 'EXTRA_CFLAGS += -DDEV_FEATURE\nobj-y += a.o b.o\n');
    writeFileSync(join(drv, 'a.c'), ['#include "dev.h"', 'void dev_tx(struct dev *d)', '{', '\tspin_lock(&d->a_lock);', '#if WIRELESS_EXT > 20 && !defined(DEV_OLD_API)', '\tspin_lock(&d->b_lock);', '\td->n = 0;', '\tspin_unlock(&d->b_lock);', '#endif', '\tspin_unlock(&d->a_lock);', '}', 'EXPORT_SYMBOL(dev_tx);', ''].join('\n'));
    writeFileSync(join(dir, 'reset.config'), 'CONFIG_DEV_RESET=y\n');
    expect((await analyze(dir, 'reset.config')).inversions).toEqual(['dev.a_lock <-> dev.b_lock']);
  });

  it('lockscope check --config: a patch adds an inversion only in the builds the .config describes', async () => {
    const dir = tree();
    const base = join(dir, 'drivers/misc/dev');
    const patch = [
      'diff --git a/b.c b/b.c',
      '--- a/b.c',
      '+++ b/b.c',
      '@@ -1,1 +1,9 @@',
      ' #include "dev.h"',
      '+void dev_flip(struct dev *d)',
      '+{',
      '+\tspin_lock(&d->b_lock);',
      '+\tspin_lock(&d->a_lock);',
      '+\td->n--;',
      '+\tspin_unlock(&d->a_lock);',
      '+\tspin_unlock(&d->b_lock);',
      '+}',
      '',
    ].join('\n');
    writeFileSync(join(base, 'b.c'), '#include "dev.h"\n');
    writeFileSync(join(base, 'c.c'), '#include "dev.h"\n');
    const check = async (config?: string): Promise<{ code: number; json: { outcome?: string; context?: { config?: string } }; out: string }> => {
      const args = ['check', '--no-cache', '--base', base, '--context', 'dir', ...(config ? ['--config', config] : [])];
      const json = await cli([...args, '--format', 'json', '-'], { stdin: patch, env: { HOME: dir }, cwd: dir });
      const text = await cli([...args, '-'], { stdin: patch, env: { HOME: dir }, cwd: dir });
      return { code: json.code, json: JSON.parse(json.out) as never, out: text.out };
    };
    const any = await check();
    expect(any.code).toBe(1);
    expect(any.json.outcome).toBe('adds');
    expect(any.json.context?.config).toBeUndefined();
    writeFileSync(join(dir, 'slow.config'), '# CONFIG_FAST_PATH is not set\n');
    const slow = await check('slow.config');
    expect(slow.code).toBe(0);
    expect(slow.json.outcome).toBe('no-change');
    expect(slow.json.context?.config).toBe('slow.config');
    expect(slow.out).toContain('Configuration: slow.config');
    const missing = await cli(['check', '--base', base, '--config', 'nope.config', '-'], { stdin: patch, env: { HOME: dir }, cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--config nope.config: no such file');
  });

  it('a missing or unreadable --config file is a usage error naming it', async () => {
    const dir = tree();
    const missing = await analyze(dir, 'no-such.config');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--config no-such.config: no such file');
    writeFileSync(join(dir, 'README'), 'not a config\n');
    const wrong = await analyze(dir, 'README');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('README: no CONFIG_ option lines');
  });
});

describe('Kconfig defaults under a minimal defconfig', () => {
  const KCONFIG = [
    'config GPU_2D',
    '\tbool "2D core"',
    '\tdepends on ARCH_X',
    'config GPU_3D',
    '\tbool "3D core"',
    '\tdefault y',
    'config GPU_IOMMU',
    '\tbool',
    'config GPU',
    '\ttristate "GPU"',
    '\tselect GPU_IOMMU',
    'choice',
    '\tprompt "MMU"',
    'config GPU_MMU_GPUMMU',
    '\tbool "GPU MMU"',
    'config GPU_MMU_IOMMU',
    '\tbool "IOMMU"',
    'endchoice',
    'menuconfig GPU_DEBUG',
    '\tbool "debug" if EXPERT',
    '\tdef_bool n',
    '',
  ].join('\n');

  it('reads which options are off unless set: no default, never selected, no choice member', () => {
    const k = readKconfig([KCONFIG]);
    expect([...k.declared].sort()).toEqual(['GPU', 'GPU_2D', 'GPU_3D', 'GPU_DEBUG', 'GPU_IOMMU', 'GPU_MMU_GPUMMU', 'GPU_MMU_IOMMU']);
    expect([...k.offByDefault].sort()).toEqual(['GPU', 'GPU_2D']);
  });

  it('a defconfig that does not name such an option has it off; a generated .config decides alone; without a file nothing changes', () => {
    const k = readKconfig([KCONFIG]);
    const r = parseConfigFile('defconfig', 'CONFIG_GPU=y\n');
    if (!r.ok) throw new Error(r.reason);
    const c = kernelConfig(r.file, k);
    expect(['CONFIG_GPU', 'CONFIG_GPU_2D', 'CONFIG_GPU_3D', 'CONFIG_GPU_IOMMU', 'CONFIG_GPU_MMU_IOMMU'].map((n) => c?.value(n))).toEqual(['y', '', undefined, undefined, undefined]);
    expect(kernelConfig(undefined, k)?.value('CONFIG_GPU_2D')).toBeUndefined();
  });
});

describe('options no configuration sets (readKconfig neverSet)', () => {
  const KCONFIG = [
    'config BROKEN',
    '\tbool',
    '',
    'config SELECTED',
    '\tbool',
    '',
    'config QUIET_OFF',
    '\tbool',
    '\tdefault n',
    '',
    'config ON_BY_ENV',
    '\tstring',
    '\toption env="ARCH"',
    '',
    'config OLD',
    '\ttristate "old driver"',
    '\tdepends on (PCI || ISA) && BROKEN',
    '\thelp',
    '\t  Text that looks like a keyword:',
    '',
    '\t  config IN_HELP',
    '\tselect SELECTED',
    '',
    'config EITHER',
    '\tbool "either bus"',
    '\tdepends on (PCI || ISA && BROKEN)',
    '',
    'config OLDER',
    '\tbool "needs OLD"',
    '\tdepends on OLD=y',
    '',
    'config FORCED',
    '\tbool "forced on by a select"',
    '\tdepends on BROKEN',
    '',
    'config FORCER',
    '\tbool "forcer"',
    '\tselect FORCED',
    '',
    'if BROKEN',
    'config IN_IF',
    '\tbool "inside if"',
    'endif',
    '',
    'menu "old things"',
    '\tdepends on BROKEN',
    '',
    'config IN_MENU',
    '\tbool "inside menu"',
    '',
    'endmenu',
    '',
    'config AFTER_MENU',
    '\tboolean "after the menu"',
    '',
  ].join('\n');

  it('are those with no prompt, no default but n and no select, and those every declaration of which depends on one', () => {
    const k = readKconfig([KCONFIG]);
    expect([...(k.neverSet ?? [])].sort()).toEqual(['BROKEN', 'IN_IF', 'IN_MENU', 'OLD', 'OLDER', 'QUIET_OFF']);
    // Help text declares nothing; an attribute indented less than the text ends it.
    expect(k.declared.has('IN_HELP')).toBe(false);
    expect(k.declared.has('AFTER_MENU')).toBe(true);
  });

  it('are off without a configuration file, and in a defconfig that does not name them', () => {
    const k = readKconfig([KCONFIG]);
    const c = kernelConfig(undefined, k);
    expect(['CONFIG_OLD', 'CONFIG_EITHER', 'CONFIG_FORCED', 'CONFIG_AFTER_MENU'].map((n) => c?.value(n))).toEqual(['', undefined, undefined, undefined]);
  });
});
