/**
 * A non-static function the rest of the kernel tree never names runs only from the program's own
 * calls, as a static one does: when every call passes the same constant for a parameter it tests
 * (`bus_init(bus, FALSE)`), its analysis starts from it, and the branch no caller takes (the lock
 * taken `if (enforce)` around a sleep) reports nothing. An error message spelling its name is no
 * mention, nor a macro elsewhere whose paste makes other names; a call from elsewhere in the tree
 * keeps both branches.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const BUS = [
  '#include "bus.h"',
  'int bus_init(struct bus *b, int enforce)',
  '{',
  '\tif (enforce)',
  '\t\tspin_lock(&b->lock);',
  '\tb->up = 1;',
  '\tmsleep(10);',
  '\tif (enforce)',
  '\t\tspin_unlock(&b->lock);',
  '\treturn 0;',
  '}',
  '',
].join('\n');

const PROBE = [
  '#include "bus.h"',
  // A message naming it is no mention: only a string that is the name alone may look it up.
  'static int wl_probe(struct bus *b) { int err = bus_init(b, FALSE); if (err) pr_err("%s, bus_init failed\\n", __func__); return err; }',
  'static int wl_resume(struct bus *b) { return bus_init(b, FALSE); }',
  // Live callers: the driver registers them.
  'static struct bus_driver wl_driver = { .probe = wl_probe, .resume = wl_resume };',
  '',
].join('\n');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(outsideCall: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-callers-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'drivers/wl'), { recursive: true });
  mkdirSync(join(dir, 'drivers/misc'), { recursive: true });
  mkdirSync(join(dir, 'include/linux'), { recursive: true });
  mkdirSync(join(dir, 'arch'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'obj-y += drivers/\n');
  writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\n');
  writeFileSync(join(dir, 'drivers/Makefile'), 'obj-y += wl/ misc/\n');
  writeFileSync(join(dir, 'drivers/wl/Makefile'), 'obj-y += bus.o probe.o\n');
  writeFileSync(join(dir, 'drivers/misc/Makefile'), 'obj-y += other.o\n');
  writeFileSync(join(dir, 'drivers/wl/bus.h'), '#define FALSE 0\nstruct bus { spinlock_t lock; int up; };\nint bus_init(struct bus *b, int enforce);\n');
  writeFileSync(join(dir, 'drivers/wl/bus.c'), BUS);
  writeFileSync(join(dir, 'drivers/wl/probe.c'), PROBE);
  // A macro elsewhere pasting `lpfc_ ## attr ## _init` makes lpfc_ names only, not every `_init`.
  const paste = '#define lpfc_param_set(attr) lpfc_##attr##_init()\nvoid other(void) { lpfc_param_set(bus); }\n';
  writeFileSync(join(dir, 'drivers/misc/other.c'), outsideCall ? 'void other(struct bus *b) { bus_init(b, 1); }\n' : paste);
  return dir;
}

async function sleepFindings(dir: string): Promise<string[]> {
  const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'drivers/wl')], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out) as { findings: { kind: string; function: string }[] };
  return json.findings.filter((f) => f.kind === 'sleep-in-atomic').map((f) => f.function);
}

describe('what every caller passes a non-static function the tree never names elsewhere', () => {
  it('starts its analysis from the constant, a message naming it notwithstanding: the branch no caller takes reports nothing', async () => {
    expect(await sleepFindings(tree(false))).toEqual([]);
  });

  it('keeps both branches when a file elsewhere in the tree calls it', async () => {
    expect(await sleepFindings(tree(true))).toEqual(['bus_init']);
  });
});
