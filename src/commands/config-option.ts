/** `--config FILE`, shared by analyze and check: the kernel .config or defconfig, read and parsed. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseConfigFile, type ConfigFile } from '../analyzers/c/kernel-config.ts';

export async function readConfigOption(path: string, cwd: string): Promise<{ ok: true; file: ConfigFile } | { ok: false; reason: string }> {
  const text = await readFile(resolve(cwd, path), 'utf8').catch((e: NodeJS.ErrnoException) => new Error(`--config ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`));
  if (text instanceof Error) return { ok: false, reason: text.message };
  return parseConfigFile(path, text);
}
