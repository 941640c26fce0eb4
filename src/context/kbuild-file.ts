/**
 * Which build file kbuild reads in a directory, and what it reads through it. scripts/Makefile.build
 * takes `$(kbuild-dir)/Kbuild` when there is one and the Makefile only otherwise, so a driver drop
 * that ships both (a Makefile for a standalone module build, passing `-DCONFIG_X450=1` of its own)
 * is built by its Kbuild alone; and a Kbuild's `include $(src)/Kbuild-env` is read as if written
 * in its place. Pure: texts and a reader in, text out.
 */

/**
 * Whether a Makefile beside a Kbuild is one kbuild never reads for its directory: every Makefile
 * but the top one (`VERSION =`) and an architecture's, which the top one includes for the lists it
 * sets (`core-y += arch/x86/`, `head-y :=`).
 */
export function shadowedByKbuild(makefile: string): boolean {
  return !/^[ \t]*(?:VERSION[ \t]*=|(?:head|init|core|drivers|net|libs)-y[ \t]*[:+]?=)/m.test(makefile);
}

/** A path an `include` names: from the including file's directory, or from the tree's root (`$(srctree)/`). */
export interface IncludedPath {
  from: 'dir' | 'root';
  path: string;
}

const MAX_DEPTH = 4;

/**
 * The text with each `include`, `-include` and `sinclude` line replaced by the text it names, as
 * make reads it: `$(src)`, `$(obj)` and the variables set to them (`DRIVER_DIR=$(src)`) are the
 * including file's directory, `$(srctree)` the root. A name with any other variable (`$(KDIR)/.config`),
 * or one `read` cannot give, is left as written: nothing read is better than a guess.
 */
export function withIncludes(text: string, read: (p: IncludedPath) => string | undefined, depth = 0): string {
  if (depth >= MAX_DEPTH || !/^[ \t]*(?:-|s)?include[ \t]/m.test(text)) return text;
  const vars = new Map<string, string>([
    ['src', '.'],
    ['obj', '.'],
  ]);
  const out: string[] = [];
  for (const line of text.replace(/\\\r?\n/g, ' ').split('\n')) {
    const set = /^[ \t]*([A-Za-z_]\w*)[ \t]*:?=[ \t]*(\S+)[ \t]*$/.exec(line);
    if (set) {
      const value = expand(set[2] as string, vars);
      if (value !== undefined && /^(?:\.|\$\(srctree\))(?:\/|$)/.test(value)) vars.set(set[1] as string, value);
      else vars.delete(set[1] as string);
    }
    const inc = /^[ \t]*(?:-|s)?include[ \t]+(.+?)[ \t]*$/.exec(line);
    if (!inc) {
      out.push(line);
      continue;
    }
    const texts: string[] = [];
    for (const word of (inc[1] as string).split(/[ \t]+/)) {
      const path = expand(word, vars);
      const target = path === undefined ? undefined : locate(path);
      const included = target && read(target);
      if (included !== undefined && included !== '') texts.push(withIncludes(included, read, depth + 1));
    }
    out.push(texts.length ? texts.join('\n') : line);
  }
  return out.join('\n');
}

/** `$(NAME)` and `${NAME}` replaced from `vars`; undefined when another variable is left. */
function expand(word: string, vars: ReadonlyMap<string, string>): string | undefined {
  const done = word.replace(/\$[({](\w+)[)}]/g, (all, name: string) => vars.get(name) ?? all);
  return /\$[({]srctree[)}]/.test(done) ? done : /\$/.test(done) ? undefined : done;
}

/** `$(srctree)/$(src)/x` is the directory's own; `$(srctree)/a/b` the root's; anything else the directory's. */
function locate(path: string): IncludedPath | undefined {
  const rooted = /^\$[({]srctree[)}]\/(.*)$/.exec(path);
  const rest = rooted ? (rooted[1] as string) : path;
  if (/\$/.test(rest) || rest.startsWith('/')) return undefined;
  const clean = rest.replace(/^(?:\.\/)+/, '');
  return rooted && !rest.startsWith('./') ? { from: 'root', path: clean } : { from: 'dir', path: clean };
}
