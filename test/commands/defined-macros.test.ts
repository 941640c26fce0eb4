import { describe, expect, it } from 'vitest';
import { DefinedMacros } from '../../src/commands/defined-macros.ts';

describe('macros the tree defines', () => {
  const found = (names: string[], ...texts: string[]): string[] => {
    const d = new DefinedMacros(names);
    for (const t of texts) d.note(t);
    return [...d.named].sort();
  };

  it('counts a #define and a -D flag, with or without spaces', () => {
    expect(found(['USE_DMA'], '#define USE_DMA 1\n')).toEqual(['USE_DMA']);
    expect(found(['USE_DMA'], '#  define\tUSE_DMA\n')).toEqual(['USE_DMA']);
    expect(found(['USE_DMA'], 'ccflags-y += -DUSE_DMA\n')).toEqual(['USE_DMA']);
    expect(found(['USE_DMA'], 'EXTRA_CFLAGS += -D USE_DMA=1\n')).toEqual(['USE_DMA']);
  });

  it('does not count a test, a longer name, a name that merely starts with D, or an #undef', () => {
    expect(found(['USE_DMA'], '#ifdef USE_DMA\n#endif\n', '#define USE_DMA_LATER 1\n', '#undef USE_DMA\n', 'x = DUSE_DMA;\n')).toEqual([]);
    // `DMA` and `DDMA` are both names: `-DDMA` defines DMA only.
    expect(found(['DMA', 'DDMA'], '-DDMA\n')).toEqual(['DMA']);
    expect(found(['DMA', 'DDMA'], '#define DDMA\n')).toEqual(['DDMA']);
  });

  it('finds every name over several texts, and stops when all are found', () => {
    const d = new DefinedMacros(['A_ON', 'B_ON']);
    d.note('#define A_ON\n');
    expect(d.done).toBe(false);
    d.note('obj-y += b.o\nccflags-y := -DB_ON\n');
    expect(d.done).toBe(true);
    expect([...d.named].sort()).toEqual(['A_ON', 'B_ON']);
  });
});
