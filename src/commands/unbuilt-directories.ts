/**
 * Directories of a kernel tree that no build enters: vendor trees carry spare copies of a driver
 * (`drivers/net/wireless/bcmdhd_4330/` beside the `bcmdhd/` the Makefile builds) whose Makefile
 * names only itself. kbuild enters a directory only when a Makefile above names it
 * (`obj-$(CONFIG_X) += name/`), so one whose name no Makefile outside it holds is compiled in no
 * configuration: its .c files call, write and define nothing a built kernel runs. The tree scan
 * leaves them out, as it leaves out nothing else; headers stay in (a built file may include one
 * by path). Under arch/ the Makefiles make directory names from parts (`mach-$(machine-y)`), so
 * nothing there is judged.
 */
import { dirname, relative, sep } from 'node:path';

/** The build files that name directories: Makefiles, Kbuild files and `*.mk` includes. */
const NAMES_DIRECTORIES = /^(?:Makefile|Kbuild)|\.mk$/;

/** Directories kbuild builds by patterns, not by name. */
const PATTERNED = /^arch(?:\/|$)/;

/**
 * The directories (paths relative to `root`) with a Makefile of their own whose name no build
 * file outside them mentions, with everything below them.
 */
export function unbuiltDirectories(root: string, buildFiles: readonly { path: string; text: string }[]): Set<string> {
  const makefiles = buildFiles.filter((f) => NAMES_DIRECTORIES.test(f.path.slice(f.path.lastIndexOf(sep) + 1)));
  const own = new Set<string>();
  // word -> the directories of the build files holding it
  const holders = new Map<string, Set<string>>();
  for (const f of makefiles) {
    const dir = relative(root, dirname(f.path)).split(sep).join('/');
    if (dir !== '' && !dir.startsWith('..')) own.add(dir);
    for (const word of new Set(f.text.split(/[^\w.-]+/))) {
      if (word === '') continue;
      let set = holders.get(word);
      if (!set) holders.set(word, (set = new Set()));
      set.add(dir);
    }
  }
  const unbuilt = new Set<string>();
  for (const dir of own) {
    if (PATTERNED.test(dir)) continue;
    const name = dir.slice(dir.lastIndexOf('/') + 1);
    if (![...(holders.get(name) ?? [])].some((d) => d !== dir && !d.startsWith(`${dir}/`))) unbuilt.add(dir);
  }
  return unbuilt;
}

/** Whether `path` (relative to the tree's root, `/`-separated) lies in one of `dirs` or below. */
export function isUnder(path: string, dirs: ReadonlySet<string>): boolean {
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) if (dirs.has(path.slice(0, i))) return true;
  return false;
}
