/**
 * Which definition a call reaches, by the analyzer's rule (src/analyzers/c/program.ts
 * resolveCallee), on the situations a kernel tree has: static helpers with the same name in two
 * drivers, arch alternatives, a header's static inline, and a user-space copy under tools/.
 */
import { describe, expect, it } from 'vitest';
import { pickDefinition } from '../../src/context/pick-definition.ts';
import type { DefinitionSite } from '../../src/context/types.ts';

const site = (path: string, extra: Partial<DefinitionSite> = {}): DefinitionSite => ({ path, isStatic: false, isMacro: false, ...extra });
const pick = (sites: DefinitionSite[], caller: string): string | undefined => pickDefinition(sites, caller)?.path;

describe('pickDefinition', () => {
  it('prefers the same file, then the same directory, then the one global definition', () => {
    const sites = [site('drivers/a/x.c', { isStatic: true }), site('drivers/a/y.c'), site('drivers/b/z.c')];
    expect(pick(sites, 'drivers/a/x.c')).toBe('drivers/a/x.c');
    expect(pick(sites, 'drivers/a/w.c')).toBe('drivers/a/y.c');
    // Two visible definitions elsewhere: no single one is the one linked.
    expect(pick(sites, 'fs/f.c')).toBeUndefined();
    expect(pick([site('lib/one.c')], 'fs/f.c')).toBe('lib/one.c');
  });

  it("never reaches another file's static function, unless it is in a header", () => {
    expect(pick([site('drivers/a/x.c', { isStatic: true })], 'drivers/a/y.c')).toBeUndefined();
    expect(pick([site('include/linux/h.h', { isStatic: true })], 'drivers/a/y.c')).toBe('include/linux/h.h');
  });

  it('keeps arch alternatives apart and prefers generic code', () => {
    const sites = [site('arch/x86/lib/delay.c'), site('arch/arm/lib/delay.c')];
    expect(pick(sites, 'arch/arm/kernel/time.c')).toBe('arch/arm/lib/delay.c');
    expect(pick(sites, 'drivers/net/e.c')).toBeUndefined();
    expect(pick([site('arch/x86/lib/delay.c')], 'drivers/net/e.c')).toBe('arch/x86/lib/delay.c');
    expect(pick([site('arch/x86/lib/delay.c')], 'arch/arm/kernel/time.c')).toBeUndefined();
    expect(pick([...sites, site('lib/delay.c')], 'drivers/net/e.c')).toBe('lib/delay.c');
  });

  it('prefers a real function to a macro, and a header when .c files disagree', () => {
    expect(pick([site('include/a.h', { isMacro: true }), site('lib/a.c')], 'fs/f.c')).toBe('lib/a.c');
    expect(pick([site('mm/slab.c'), site('mm/slub.c'), site('include/linux/slab.h', { isStatic: true })], 'fs/f.c')).toBe('include/linux/slab.h');
  });

  it('does not reach into the user-space programs of a kernel tree from kernel code', () => {
    const sites = [site('mm/slab.c'), site('mm/slub.c'), site('tools/virtio/linux/virtio.h', { isStatic: true })];
    expect(pick(sites, 'drivers/net/e1000e/netdev.c')).toBeUndefined();
    expect(pick(sites, 'tools/virtio/virtio_test.c')).toBe('tools/virtio/linux/virtio.h');
  });
});
