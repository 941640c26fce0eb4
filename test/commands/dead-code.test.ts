/**
 * Dead code in a kernel tree: `lockscope analyze DIR` asks the rest of the tree about the
 * non-static functions DIR only defines. One nothing calls, stores or exports anywhere (and the
 * static helpers only it calls) runs nowhere: its orders are left out and listed as skipped.
 * Outside a kernel tree, or with a mention elsewhere, it is analysed as before.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maybePasted, pasteChains, uncalledCandidates } from '../../src/analyzers/c/never-called.ts';
import { factsOf } from '../../src/analyzers/c/extract-facts.ts';
import { cli } from './run-cli.ts';
import { definitionAt } from '../../src/commands/tree-mentions.ts';

const DRIVER = [
  'static DEFINE_SPINLOCK(irq_lock);',
  'static DEFINE_SPINLOCK(reg_lock);',
  'static void pwm_ack(void)',
  '{',
  '\tspin_lock(&reg_lock);',
  '\tspin_unlock(&reg_lock);',
  '}',
  'int pwm_set_intr(int on)',
  '{',
  '\tspin_lock(&irq_lock);',
  '\tpwm_ack();',
  '\tspin_unlock(&irq_lock);',
  '\treturn 0;',
  '}',
  'int pwm_config(int v)',
  '{',
  '\tspin_lock(&reg_lock);',
  '\tspin_lock(&irq_lock);',
  '\tspin_unlock(&irq_lock);',
  '\tspin_unlock(&reg_lock);',
  '\treturn v;',
  '}',
  'EXPORT_SYMBOL(pwm_config);',
  '',
].join('\n');

function tree(kernel: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-dead-'));
  mkdirSync(join(dir, 'drivers/pwm'), { recursive: true });
  mkdirSync(join(dir, 'include/linux'), { recursive: true });
  mkdirSync(join(dir, 'arch'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'obj-y += drivers/\n');
  if (kernel) writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\n');
  writeFileSync(join(dir, 'drivers/pwm/pwm.c'), DRIVER);
  writeFileSync(join(dir, 'include/linux/pwm.h'), 'int pwm_config(int v);\n');
  return dir;
}

async function analyse(dir: string): Promise<{ inversions: number; skipped: string[] }> {
  const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'drivers/pwm')], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out) as { inversions: unknown[]; skipped: { reason: string }[] };
  return { inversions: json.inversions.length, skipped: json.skipped.map((s) => s.reason) };
}

describe('dead code in a kernel tree', () => {
  it('names as candidates the non-static functions the sources mention only where they define them', async () => {
    const facts = await factsOf({ path: 'pwm.c', text: DRIVER });
    expect(uncalledCandidates([{ path: 'pwm.c', text: DRIVER }], [facts]).candidates).toEqual(['pwm_set_intr']);
    // Called by name only: dead where its callers are (pwm_irq here); a prototype calls nothing.
    const called = `int pwm_set_intr(int on);\n${DRIVER}void pwm_irq(void) { pwm_set_intr(1); }\n`;
    expect(uncalledCandidates([{ path: 'pwm.c', text: called }], [await factsOf({ path: 'pwm.c', text: called })]).candidates).toEqual(['pwm_irq', 'pwm_set_intr']);
    const stored = `${DRIVER}void (*pwm_hook)(int) = pwm_set_intr;\n`;
    expect(uncalledCandidates([{ path: 'pwm.c', text: stored }], [await factsOf({ path: 'pwm.c', text: stored })]).candidates).toEqual([]);
  });

  it('a mention in `#if 0`, or in a static table only `#if 0` code registers, keeps nothing alive', async () => {
    const table = 'static struct pwm_ops ops = { .set = pwm_set_intr, .config = pwm_config };\n#if 0\nvoid pwm_old_init(void) { pwm_register(&ops); }\n#endif\n';
    const sources = [{ path: 'pwm.c', text: DRIVER }, { path: 'pwm-ops.c', text: table }];
    expect(uncalledCandidates(sources, await Promise.all(sources.map((s) => factsOf(s)))).candidates).toEqual(['pwm_set_intr']);
    const registered = table.replace('#if 0\n', '').replace('#endif\n', '');
    const live = [{ path: 'pwm.c', text: DRIVER }, { path: 'pwm-ops.c', text: registered }];
    // Registered by compiled code: only the registering function, which nothing here calls, is a candidate.
    expect(uncalledCandidates(live, await Promise.all(live.map((s) => factsOf(s)))).candidates).toEqual(['pwm_old_init']);
  });

  it('takes a macro paste chain whole: its literal pieces in order, a word for each argument', () => {
    // A chain of arguments alone, or with no word of its own, fits any name; one in a definition the macro makes calls nothing.
    const chains = new Set(pasteChains('#define lpfc_param_set(attr, v) lpfc_##attr##_init(v)\n#define cat(a, b) a ## b\n#define join(a, b) a ## _ ## b\n#define module_driver(__driver) static int __init __driver##_init(void) { return 0; } module_init(__driver##_init);\n'));
    expect([...chains]).toEqual(['lpfc_\0_init']);
    const known = (w: string): boolean => ['bus', 'link_speed'].includes(w);
    expect(maybePasted('lpfc_link_speed_init', chains, known)).toBe(true);
    expect(maybePasted('bus_init', chains, known)).toBe(false);
    expect(maybePasted('lpfc_queue_init', chains, known)).toBe(false);
  });

  it('never names one a macro may call by a pasted name, or one a macro defines', async () => {
    const text = [
      '#define fsm_set_state(fsm, st) do { (fsm)->sm = st; st ## _entry(fsm); } while (0)',
      'void rx_sm_started_entry(struct rx *rx) { spin_lock(&rx->lock); spin_unlock(&rx->lock); }',
      'void rx_start(struct rx *rx) { fsm_set_state(rx, rx_sm_started); }',
      'SYSCALL_DEFINE(fadvise64)(int fd, long len) { return 0; }',
      '',
    ].join('\n');
    const names = uncalledCandidates([{ path: 'rx.c', text }], [await factsOf({ path: 'rx.c', text })]).candidates;
    expect(names).not.toContain('rx_sm_started_entry');
    expect(names).not.toContain('fadvise64');
    expect(names).toContain('rx_start');
  });

  it('leaves out a function nothing in the tree mentions, and the static helper only it calls', async () => {
    const dir = tree(true);
    try {
      const r = await analyse(dir);
      expect(r.inversions).toBe(0);
      expect(r.skipped).toContain('pwm_set_intr() runs nowhere: nothing in the tree calls, stores or exports it; its locks are left out');
      expect(r.skipped).toContain('pwm_ack() runs nowhere: only dead code calls it (a function that runs nowhere, or a branch the build or every caller leaves out); its locks are left out');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a prototype in a header elsewhere keeps nothing alive, nor does a call from dead code', async () => {
    const dir = tree(true);
    try {
      writeFileSync(join(dir, 'include/linux/pwm-intr.h'), 'extern int pwm_set_intr(int on);\nint pwm_selftest(void);\n//\tint pwm_selftest(void);\n/* pwm_selftest() is for bring-up */\n');
      writeFileSync(join(dir, 'drivers/pwm/pwm.h'), '// int pwm_selftest(void);\n');
      writeFileSync(join(dir, 'drivers/pwm/selftest.c'), 'int pwm_set_intr(int on);\nint pwm_selftest(void)\n{\n\treturn pwm_set_intr(1);\n}\n');
      const r = await analyse(dir);
      expect(r.inversions).toBe(0);
      expect(r.skipped).toContain('pwm_selftest() runs nowhere: nothing in the tree calls, stores or exports it; its locks are left out');
      // A live caller elsewhere keeps the chain alive.
      mkdirSync(join(dir, 'arch/arm/mach-x'), { recursive: true });
      writeFileSync(join(dir, 'arch/arm/mach-x/board.c'), 'void board_init(void) { pwm_selftest(); }\n');
      expect((await analyse(dir)).inversions).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps it when another file of the tree mentions it, or when no kernel tree is around', async () => {
    const dir = tree(true);
    const plain = tree(false);
    try {
      mkdirSync(join(dir, 'arch/arm/mach-x'), { recursive: true });
      writeFileSync(join(dir, 'arch/arm/mach-x/board.c'), 'void board_irq(void) { pwm_set_intr(1); }\n');
      expect((await analyse(dir)).inversions).toBe(1);
      // A header elsewhere pasting a prefix onto names may call it by one it never spells,
      // when the rest of the name is written somewhere as an argument.
      writeFileSync(join(dir, 'arch/arm/mach-x/board.c'), '\n');
      writeFileSync(join(dir, 'include/linux/irqs.h'), '#define PWM_CALL(n, on) pwm_set_ ## n(on)\n');
      expect((await analyse(dir)).inversions).toBe(0);
      writeFileSync(join(dir, 'arch/arm/mach-x/board.c'), 'void board_irq(void) { PWM_CALL(intr, 1); }\n');
      expect((await analyse(dir)).inversions).toBe(1);
      const r = await analyse(plain);
      expect(r.inversions).toBe(1);
      expect(r.skipped.filter((s) => s.includes('runs nowhere'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('a call in another copy of the driver, which defines the function itself, calls that copy', async () => {
    const dir = tree(true);
    try {
      mkdirSync(join(dir, 'drivers/pwm-v2'), { recursive: true });
      // The second copy defines and calls its own pwm_set_intr(): ours still runs nowhere.
      writeFileSync(join(dir, 'drivers/pwm-v2/core.c'), 'int pwm_set_intr(int on)\n{\n\treturn on;\n}\n');
      writeFileSync(join(dir, 'drivers/pwm-v2/irq.c'), 'int pwm_set_intr(int on);\nvoid v2_irq(void) { pwm_set_intr(1); }\n');
      const r = await analyse(dir);
      expect(r.inversions).toBe(0);
      expect(r.skipped).toContain('pwm_set_intr() runs nowhere: nothing in the tree calls, stores or exports it; its locks are left out');
      // A static copy serves its own file only: a call from the copy's other file may be ours.
      writeFileSync(join(dir, 'drivers/pwm-v2/core.c'), 'static int pwm_set_intr(int on)\n{\n\treturn on;\n}\n');
      expect((await analyse(dir)).inversions).toBe(1);
      // A directory with no copy of its own calls ours.
      writeFileSync(join(dir, 'drivers/pwm-v2/core.c'), 'int pwm_set_intr(int on)\n{\n\treturn on;\n}\n');
      mkdirSync(join(dir, 'drivers/board'), { recursive: true });
      writeFileSync(join(dir, 'drivers/board/board.c'), 'void board_irq(void) { pwm_set_intr(1); }\n');
      expect((await analyse(dir)).inversions).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds definitions: a function\'s, static or not, and a struct\'s; not a prototype or a call', () => {
    const text = 'static int a(int x)\n{\n}\nint b(void) __attribute__((cold))\n{\n}\nint c(void);\nstruct d {\n\tint x;\n};\nstruct d *e;\nvoid f(void) { a(1); }\n';
    const at = (w: string): number => text.indexOf(w === 'd2' ? 'd *e' : `${w}(`) >= 0 ? text.indexOf(w === 'd2' ? 'd *e' : `${w}(`) : text.indexOf(`${w} {`);
    expect(definitionAt(text, at('a'), 'a')).toBe('static');
    expect(definitionAt(text, at('b'), 'b')).toBe('global');
    expect(definitionAt(text, at('c'), 'c')).toBeUndefined();
    expect(definitionAt(text, at('d'), 'd')).toBe('struct');
    expect(definitionAt(text, at('d2'), 'd')).toBeUndefined();
    expect(definitionAt(text, text.lastIndexOf('a(1)'), 'a')).toBeUndefined();
  });
});
