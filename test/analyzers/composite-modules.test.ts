/**
 * One directory, several modules (c/module-context.ts, Program.moduleOf): a hardware library
 * two drivers beside it both use, each storing its own register operations into the library's
 * object. The PCI driver's objects carry its own operations, never the USB driver's: the
 * library's call through the member, reached from the PCI driver under a spinlock, is not the
 * USB driver's sleeping one, and a member the PCI driver leaves empty calls nothing for it.
 * Which files make which module is the Makefile's word (context/kbuild.ts compositeModules).
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';
import { compositeModules } from '../../src/context/kbuild.ts';

const sources = [
  {
    path: 'wl/hw.c',
    text: `
struct hw;
struct hw_ops { void (*rmw)(struct hw *ah, int reg); void (*read)(struct hw *ah, int reg); void (*write_flush)(struct hw *ah); };
struct hw { struct hw_ops ops; int bits; };
void hw_set_bits(struct hw *ah, int reg)
{
	ah->ops.rmw(ah, reg);
}
void hw_flush(struct hw *ah)
{
	if (ah->ops.write_flush)
		ah->ops.write_flush(ah);
}
`,
  },
  {
    path: 'wl/pci.c',
    text: `
struct softc { spinlock_t lock; struct hw *ah; };
static void pci_rmw(struct hw *ah, int reg) { ah->bits |= reg; }
static void pci_read(struct hw *ah, int reg) { ah->bits = reg; }
void pci_attach(struct softc *sc)
{
	sc->ah = kzalloc(sizeof(struct hw), GFP_KERNEL);
	sc->ah->ops.rmw = pci_rmw;
	sc->ah->ops.read = pci_read;
}
void pci_rx(struct softc *sc)
{
	spin_lock(&sc->lock);
	hw_set_bits(sc->ah, 4);
	hw_flush(sc->ah);
	spin_unlock(&sc->lock);
}
`,
  },
  {
    path: 'wl/usb.c',
    text: `
struct usb_priv { spinlock_t tx_lock; struct mutex cmd_mutex; struct hw *ah; };
static struct usb_priv *priv_of(struct hw *ah);
static void usb_rmw(struct hw *ah, int reg) { mutex_lock(&priv_of(ah)->cmd_mutex); ah->bits |= reg; mutex_unlock(&priv_of(ah)->cmd_mutex); }
static void usb_read(struct hw *ah, int reg) { ah->bits = reg; }
static void usb_flush(struct hw *ah) { mutex_lock(&priv_of(ah)->cmd_mutex); mutex_unlock(&priv_of(ah)->cmd_mutex); }
void usb_attach(struct usb_priv *p)
{
	p->ah = kzalloc(sizeof(struct hw), GFP_KERNEL);
	p->ah->ops.rmw = usb_rmw;
	p->ah->ops.read = usb_read;
	p->ah->ops.write_flush = usb_flush;
}
void usb_tx(struct usb_priv *p)
{
	spin_lock(&p->tx_lock);
	hw_set_bits(p->ah, 2);
	spin_unlock(&p->tx_lock);
}
`,
  },
];

const makefile = { path: 'wl/Makefile', text: 'wl_hw-y := hw.o\nobj-$(CONFIG_WL_HW) += wl_hw.o\nwl_pci-y += pci.o\nobj-$(CONFIG_WL_PCI) += wl_pci.o\nwl_usb-objs := usb.o\nobj-$(CONFIG_WL_USB) += wl_usb.o\n' };

const sleepsIn = async (modules?: Record<string, string>): Promise<string[]> => {
  const r = await analyzeSources(sources, modules ? { modules } : {});
  return r.json.findings.filter((f) => f.kind === 'sleep-in-atomic').map((f) => `${f.function}: ${f.locks.join(' ')}`).sort();
};

describe('modules linked from one directory', () => {
  it('reads which module each source is linked into from the Makefile', () => {
    expect(compositeModules([makefile])).toEqual({ 'wl/hw.c': 'wl/wl_hw.o', 'wl/pci.c': 'wl/wl_pci.o', 'wl/usb.c': 'wl/wl_usb.o' });
    // Beside a composite, a driver built from its one source is a module of its own, not the
    // directory's core; a directory of single-source objects only is one module, as before.
    const withCard = { path: makefile.path, text: `${makefile.text}obj-$(CONFIG_WL_CS) += wl_cs.o\n` };
    expect(compositeModules([withCard])['wl/wl_cs.c']).toBe('wl/wl_cs.o');
    expect(compositeModules([{ path: 'x/Makefile', text: 'obj-y += a.o b.o\n' }])).toEqual({});
  });

  it("reaches only the calling driver's own operations through the library it shares", async () => {
    // As one module (no Makefile), the PCI receive path reaches the USB driver's mutex.
    expect(await sleepsIn()).toContain('pci_rx: softc.lock');
    const found = await sleepsIn(compositeModules([makefile]));
    expect(found).not.toContain('pci_rx: softc.lock');
    // The USB driver's own spinlock around the same library call still sleeps.
    expect(found).toContain('usb_tx: usb_priv.tx_lock');
  });
});
