/**
 * Reads a kernel tree's build file as kbuild does (context/kbuild-file.ts): the I/O edge for its
 * `include` lines.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { type IncludedPath, shadowedByKbuild, withIncludes } from '../context/kbuild-file.ts';
import { MAX_FILE_BYTES } from './read-limits.ts';


/**
 * A build file as kbuild reads it: nothing for a Makefile a Kbuild beside it shadows, and the
 * files its `include` lines name in their place, read only inside the tree (`root`).
 */
export function kbuildText(file: string, text: string, hasKbuild: boolean, root: string): string | undefined {
  if (basename(file) === 'Makefile' && hasKbuild && shadowedByKbuild(text)) return undefined;
  const dir = dirname(file);
  return withIncludes(text, (p: IncludedPath) => {
    const target = resolve(p.from === 'root' ? root : dir, p.path);
    if (target !== root && !target.startsWith(root + sep)) return undefined;
    try {
      return statSync(target).size <= MAX_FILE_BYTES ? readFileSync(target, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  });
}
