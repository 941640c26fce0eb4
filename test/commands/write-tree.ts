/** A kernel-style tree written to a fresh temporary directory: each file by its path from the root. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The root Makefile, Kconfig and an architecture directory, as `analyze` looks for a tree. */
export const TREE_ROOT: Readonly<Record<string, string>> = { Makefile: 'obj-y += net/ arch/\n', Kconfig: 'mainmenu "test"\n', 'arch/x/Makefile': '' };

export function writeTree(prefix: string, files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
