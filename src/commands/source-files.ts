/**
 * Reads the .c and .h files under the paths given on the command line (the CLI's I/O edge for
 * `lockscope analyze`). Paths in the result are relative to the path given, as reports promise.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { SourceFile } from '../analyzers/analyze.ts';
import { compilesUnder } from '../context/kbuild.ts';
import { kbuildText } from './kbuild-text.ts';
import { MAX_FILE_BYTES } from './read-limits.ts';
import { treeRootOf } from './tree-mentions.ts';


/**
 * `makefiles`: the Makefile and Kbuild files beside them, for which files a kernel tree builds
 * (context/kbuild.ts). `parentMakefiles`: when one directory is given, the Makefiles up to
 * `PARENT_LEVELS` above it that compile its files by path (`dhd-y := src/dhd_linux.o`): their
 * flags are the build's for the whole directory. `directory`: that one directory, absolute;
 * `root`: the kernel tree it belongs to (tree-mentions.ts treeRootOf), when there is one.
 */
export type SourcesResult = { ok: true; files: SourceFile[]; skipped: string[]; makefiles: SourceFile[]; parentMakefiles: SourceFile[]; directory?: string; root?: string } | { ok: false; reason: string };

const PARENT_LEVELS = 4;

export async function readSources(paths: readonly string[], cwd: string): Promise<SourcesResult> {
  const files: SourceFile[] = [];
  const skipped: string[] = [];
  const makefiles: SourceFile[] = [];
  /** Each directory given, with its kernel tree's root (asked once: the walk, the Makefiles above and the caller need it). */
  const roots = new Map<string, string | undefined>();
  for (const p of paths) {
    const full = resolve(cwd, p);
    let st;
    try {
      st = await stat(full);
    } catch {
      return { ok: false, reason: `cannot read ${p}: no such file or directory` };
    }
    if (st.isFile()) {
      if (st.size > MAX_FILE_BYTES) skipped.push(`${p}: larger than ${MAX_FILE_BYTES} bytes`);
      else files.push({ path: basename(p), text: await readFile(full, 'utf8') });
      continue;
    }
    const tree = st.isDirectory() ? await treeRootOf(full) : undefined;
    roots.set(full, tree);
    const root = tree ?? full;
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : 1));
      const hasKbuild = entries.some((e) => e.isFile() && e.name === 'Kbuild');
      for (const e of entries) {
        const child = join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== '.git' && e.name !== 'node_modules') await walk(child);
        } else if (e.isFile() && (e.name === 'Makefile' || e.name === 'Kbuild')) {
          const text = (await stat(child)).size <= MAX_FILE_BYTES ? kbuildText(child, await readFile(child, 'utf8'), hasKbuild, root) : undefined;
          if (text !== undefined) makefiles.push({ path: relative(full, child), text });
        } else if (e.isFile() && /\.[ch]$/.test(e.name)) {
          const size = (await stat(child)).size;
          if (size > MAX_FILE_BYTES) skipped.push(`${relative(full, child)}: larger than ${MAX_FILE_BYTES} bytes`);
          else files.push({ path: relative(full, child), text: await readFile(child, 'utf8') });
        }
      }
    };
    await walk(full);
  }
  const only = paths.length === 1 ? resolve(cwd, paths[0] as string) : undefined;
  const cFiles = files.filter((f) => f.path.endsWith('.c')).map((f) => f.path);
  const directory = only && (await stat(only)).isDirectory() ? only : undefined;
  const tree = directory ? roots.get(directory) : undefined;
  const parentMakefiles = directory ? await makefilesAbove(directory, cFiles, tree ?? directory) : [];
  return { ok: true, files, skipped, makefiles, parentMakefiles, ...(directory ? { directory } : {}), ...(tree ? { root: tree } : {}) };
}

async function makefilesAbove(dir: string, cFiles: readonly string[], root: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (let level = 1, above = dirname(dir); level <= PARENT_LEVELS && above !== dirname(above); level++, above = dirname(above)) {
    const hasKbuild = await stat(join(above, 'Kbuild')).then((s) => s.isFile(), () => false);
    for (const name of ['Makefile', 'Kbuild']) {
      const file = join(above, name);
      const written = await readFile(file, 'utf8').catch(() => undefined);
      const text = written !== undefined && written.length <= MAX_FILE_BYTES ? kbuildText(file, written, hasKbuild, root) : undefined;
      if (text !== undefined && compilesUnder(text, relative(above, dir), cFiles)) out.push({ path: relative(dir, file), text });
    }
  }
  return out;
}
