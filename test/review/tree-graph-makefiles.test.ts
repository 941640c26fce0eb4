/**
 * A tree analysed directory by directory reads each directory's Makefile as `lockscope analyze`
 * of that directory does (context/kbuild.ts): a driver whose Makefile chooses its features with
 * `-D` is analysed with them and without the ones nothing defines, and a debug switch it passes
 * reaches its own files only. A Kbuild beside a Makefile is the one kbuild reads.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../commands/run-cli.ts';

const driver = (prefix: string, macro: string): string => `static DEFINE_MUTEX(${prefix}_lock);
static DEFINE_MUTEX(${prefix}_trace_lock);
void ${prefix}_op(void)
{
	mutex_lock(&${prefix}_lock);
#ifdef ${macro}
	mutex_lock(&${prefix}_trace_lock);
	mutex_unlock(&${prefix}_trace_lock);
#endif
	mutex_unlock(&${prefix}_lock);
}
`;

describe('a tree analysed by directory', () => {
  it("reads each directory's Makefile for the features and debug switches it passes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-by-dir-make-'));
    mkdirSync(join(dir, 'feat'));
    mkdirSync(join(dir, 'dbg'));
    mkdirSync(join(dir, 'plain'));
    // Chooses its features: DRV_WDS is passed by no build.
    writeFileSync(join(dir, 'feat/Makefile'), 'obj-y += feat.o\nccflags-y += -DDRV_WPA -DDRV_WEXT\n');
    writeFileSync(join(dir, 'feat/feat.c'), driver('feat', 'DRV_WDS'));
    // Passes its own debug switch.
    writeFileSync(join(dir, 'dbg/Makefile'), 'obj-y += dbg.o\nccflags-$(CONFIG_DBG_DEBUG) += -DDBG_DEBUG\n');
    writeFileSync(join(dir, 'dbg/dbg.c'), driver('dbg', 'DBG_DEBUG'));
    // A Kbuild shadows the Makefile beside it (a standalone module build passing its own -D).
    mkdirSync(join(dir, 'drop'));
    writeFileSync(join(dir, 'drop/Kbuild'), 'obj-y += drop.o\nccflags-y += -DDROP_WPA\n');
    writeFileSync(join(dir, 'drop/Makefile'), 'obj-m += drop.o\nEXTRA_CFLAGS += -DDROP_WPA -DDROP_WDS\n');
    writeFileSync(join(dir, 'drop/drop.c'), driver('drop', 'DROP_WDS'));
    // Says nothing of its features: an unknown macro may be either.
    writeFileSync(join(dir, 'plain/Makefile'), 'obj-y += plain.o\n');
    writeFileSync(join(dir, 'plain/plain.c'), driver('plain', 'PLAIN_OPT'));
    const r = await cli(['analyze', '--by-directory', '--no-cache', '--format', 'json', dir], { env: { HOME: dir } });
    expect(r.code).toBe(0);
    const edges = (JSON.parse(r.out) as { edges: { from: string; to: string }[] }).edges.map((e) => `${e.from} -> ${e.to}`).sort();
    expect(edges).toEqual(['dbg_lock -> dbg_trace_lock', 'plain_lock -> plain_trace_lock']);
  });
});
