/**
 * The pre-scan on the shapes kernel files take: what it must find (definitions in kernel style,
 * static ones, function-like macros, calls in bodies and macro bodies) and what it must not take
 * for a definition (prototypes, DEFINE_* declarations, EXPORT_SYMBOL, calls in comments and strings).
 */
import { describe, expect, it } from 'vitest';
import { scanSymbols } from '../../src/context/symbol-scan.ts';

const defs = (text: string): string[] => scanSymbols(text).defs.map((d) => `${d.isStatic ? 'static ' : ''}${d.isMacro ? '#' : ''}${d.name}`);

describe('scanSymbols', () => {
  it('finds kernel-style definitions, static or not, with attributes between the parameters and the body', () => {
    const text = `static int __init e1000_init_module(void)
{
	return pci_register_driver(&e1000_driver);
}

int
e1000e_up(struct e1000_adapter *adapter)
{
	e1000_configure(adapter);
	return 0;
}

static void lock_it(struct foo *f)
	__acquires(&f->lock)
{
	spin_lock(&f->lock);
}

static inline unsigned long
twice(unsigned long x) { return x * 2; }
`;
    expect(defs(text)).toEqual(['static e1000_init_module', 'e1000e_up', 'static lock_it', 'static twice']);
    expect(scanSymbols(text).calls).toEqual(['pci_register_driver', 'e1000_configure', 'spin_lock']);
  });

  it('does not take prototypes, declarations or top-level macro uses for definitions', () => {
    const text = `int e1000e_up(struct e1000_adapter *adapter);
extern void channel_flush(void)
	__releases(x);
static DEFINE_SPINLOCK(hw_lock);
EXPORT_SYMBOL(e1000e_up);
module_init(e1000_init_module);
static int (*hook)(int) = NULL;
struct ops { int (*open)(struct dev *); };
`;
    expect(defs(text)).toEqual([]);
    expect(scanSymbols(text).calls).toEqual(expect.arrayContaining(['DEFINE_SPINLOCK', 'EXPORT_SYMBOL', 'module_init']));
  });

  it('takes function-like macros for definitions and records the calls in their bodies', () => {
    const text = `#define chip_lock(c) \\
	spin_lock(&(c)->lock)
#define CHIP_MAX 4
#include "chip.h"
#if defined(CONFIG_X) && IS_ENABLED(CONFIG_Y)
#endif
`;
    expect(defs(text)).toEqual(['#chip_lock']);
    expect(scanSymbols(text).calls).toEqual(['spin_lock']);
  });

  it('ignores comments and strings', () => {
    const text = `/* core_reset(chip) is called under the lock */
void f(void)
{
	// channel_flush();
	printk("hw_poke(%d)\\n", 1);
	g('(');
}
`;
    expect(defs(text)).toEqual(['f']);
    expect(scanSymbols(text).calls).toEqual(['printk', 'g']);
  });

  // #ifdef branches that each open a brace would leave the depth off by one for the rest of the file.
  it('resynchronises on braces at column 0 after unbalanced #ifdef branches', () => {
    const text = `void a(int x)
{
#ifdef CONFIG_FOO
	if (x) {
#else
	if (!x) {
#endif
		b();
	}
}

void c(void)
{
	d();
}
`;
    expect(defs(text)).toEqual(['a', 'c']);
    expect(scanSymbols(text).calls).toEqual(['b', 'd']);
  });
});
