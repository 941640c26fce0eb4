/**
 * A root of the analysed directory that files outside it call: what those callers hold is not
 * in the program, so an assertion the root reaches documents their duty and is not reported as
 * failing. Outside a kernel tree nothing can say who calls it, and the assertion is reported.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const BACKEND = [
  'struct gpu { spinlock_t hw_lock; int cores; };',
  'static void cores_update_nolock(struct gpu *g)',
  '{',
  '\tlockdep_assert_held(&g->hw_lock);',
  '\tg->cores = 0;',
  '}',
  'void gpu_set_core_mask(struct gpu *g)',
  '{',
  '\tcores_update_nolock(g);',
  '}',
  '',
].join('\n');

const CORE = [
  'struct gpu { spinlock_t hw_lock; int cores; };',
  'void gpu_set_core_mask(struct gpu *g);',
  'void gpu_sysfs_store(struct gpu *g)',
  '{',
  '\tspin_lock(&g->hw_lock);',
  '\tgpu_set_core_mask(g);',
  '\tspin_unlock(&g->hw_lock);',
  '}',
  '',
].join('\n');

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(kernel: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-outside-'));
  made.push(dir);
  mkdirSync(join(dir, 'drivers/gpu/backend'), { recursive: true });
  mkdirSync(join(dir, 'include/linux'), { recursive: true });
  mkdirSync(join(dir, 'arch'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'obj-y += drivers/\n');
  if (kernel) writeFileSync(join(dir, 'Kconfig'), 'mainmenu "test"\n');
  writeFileSync(join(dir, 'drivers/gpu/backend/pm.c'), BACKEND);
  writeFileSync(join(dir, 'drivers/gpu/core.c'), CORE);
  return dir;
}

async function assertions(dir: string): Promise<string[]> {
  const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, 'drivers/gpu/backend')], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out) as { findings: { kind: string; function: string }[] };
  return json.findings.filter((f) => f.kind === 'assert-not-held').map((f) => f.function);
}

describe('a root that files outside the program call', () => {
  it('is not said to reach an assertion without the lock: its callers are outside', async () => {
    expect(await assertions(tree(true))).toEqual([]);
  });

  it('outside a kernel tree, where nothing says who calls it, the assertion is reported', async () => {
    expect(await assertions(tree(false))).toEqual(['gpu_set_core_mask']);
  });
});
