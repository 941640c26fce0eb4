/** `--config FILE`, shared by analyze and check: the kernel .config or defconfig, read and parsed. */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseConfigFile, type ConfigFile } from '../analyzers/c/kernel-config.ts';

export async function readConfigOption(path: string, cwd: string): Promise<{ ok: true; file: ConfigFile } | { ok: false; reason: string }> {
  const text = await readFile(resolve(cwd, path), 'utf8').catch((e: NodeJS.ErrnoException) => new Error(`--config ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`));
  if (text instanceof Error) return { ok: false, reason: text.message };
  return parseConfigFile(path, text);
}

/**
 * The configuration `analyze` follows: `given` (null: any build the Kconfig allows), else, when
 * undefined, the `.config` at the kernel tree's root if it has one (what kbuild builds).
 */
export async function analysedConfigPath(root: string | undefined, given: string | null | undefined): Promise<string | undefined> {
  if (given !== undefined) return given ?? undefined;
  if (!root) return undefined;
  const own = join(root, '.config');
  return (await stat(own).then((s) => s.isFile(), () => false)) ? own : undefined;
}
