/**
 * The kernel configuration a build is for: what `$(CONFIG_X)` expands to in its Makefiles and
 * whether `#ifdef CONFIG_X` is on in its C files. Two sources, either may be missing:
 * - a `.config` or defconfig the user names (`lockscope analyze --config FILE`): its `CONFIG_X=y`,
 *   `=m`, `=value` and `# CONFIG_X is not set` lines. A generated `.config` (its header says
 *   "Automatically generated") lists every option the build has, so one it does not list is
 *   off; a minimal defconfig (`make savedefconfig`) leaves the rest to Kconfig defaults: off for
 *   an option with no default that nothing selects, unknown for the others.
 * - the tree's Kconfig symbols: an option no Kconfig declares is never set by kbuild.
 * Pure: texts in, answers out.
 */

export interface KernelConfig {
  /**
   * What `$(CONFIG_X)` expands to: `y`, `m`, a value (`"str"`, `4`), or '' when the option is
   * not set; undefined when this configuration does not say. `option` is the whole name.
   */
  value(option: string): string | undefined;
  /** The file the values come from, for the reasons a report gives. */
  readonly source?: string;
}

export interface ConfigFile {
  path: string;
  /** Option name without `CONFIG_` -> its value, '' for `# CONFIG_X is not set`. */
  values: ReadonlyMap<string, string>;
  /** A generated `.config`: every option it does not list is off. */
  complete: boolean;
}

/** Reads a `.config` or defconfig; an error when the text has no option line at all. */
export function parseConfigFile(path: string, text: string): { ok: true; file: ConfigFile } | { ok: false; reason: string } {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const set = /^\s*CONFIG_(\w+)=(.*?)\s*$/.exec(line);
    if (set) {
      values.set(set[1] as string, (set[2] as string) === 'n' ? '' : (set[2] as string));
      continue;
    }
    const unset = /^\s*#\s*CONFIG_(\w+) is not set\s*$/.exec(line);
    if (unset) values.set(unset[1] as string, '');
  }
  if (values.size === 0) return { ok: false, reason: `${path}: no CONFIG_ option lines: not a kernel .config or defconfig` };
  return { ok: true, file: { path, values, complete: /^#\s*Automatically generated/m.test(text.slice(0, 2000)) } };
}

/** What the tree's Kconfig files say of their symbols. */
export interface KconfigSymbols {
  /** Every `config X` / `menuconfig X`. */
  declared: ReadonlySet<string>;
  /**
   * Off unless a configuration sets them: no `default` or `def_bool`/`def_tristate` in any of
   * their declarations, no `select`/`imply` of them anywhere, not a `choice` member. A minimal
   * defconfig (savedefconfig leaves out what equals its default) that does not name one has it off.
   */
  offByDefault: ReadonlySet<string>;
}

/** Reads Kconfig texts (every one of the tree's): the symbols they declare, and those off by default. */
export function readKconfig(texts: Iterable<string>): KconfigSymbols {
  const declared = new Set<string>();
  const defaulted = new Set<string>();
  const selected = new Set<string>();
  for (const text of texts) {
    let current: string | undefined;
    let choice = 0;
    for (const line of text.split('\n')) {
      const head = /^[ \t]*(menuconfig|config|choice|endchoice|menu|endmenu|if|endif|comment|source|mainmenu)\b[ \t]*(\w*)/.exec(line);
      if (head) {
        const word = head[1] as string;
        current = word === 'config' || word === 'menuconfig' ? (head[2] as string) : undefined;
        if (word === 'choice') choice++;
        else if (word === 'endchoice') choice = Math.max(0, choice - 1);
        if (current) {
          declared.add(current);
          // A choice picks one of its members by its own default: none is simply off.
          if (choice > 0) defaulted.add(current);
        }
        continue;
      }
      const sel = /^[ \t]*(?:select|imply)[ \t]+(\w+)/.exec(line);
      if (sel) selected.add(sel[1] as string);
      if (current && /^[ \t]*(?:default|def_bool|def_tristate)\b/.test(line)) defaulted.add(current);
    }
  }
  const offByDefault = new Set([...declared].filter((n) => !defaulted.has(n) && !selected.has(n)));
  return { declared, offByDefault };
}

/** The configuration both sources give, or undefined when there is neither. */
export function kernelConfig(file: ConfigFile | undefined, kconfig: KconfigSymbols | undefined): KernelConfig | undefined {
  const declared = kconfig?.declared;
  if (!file && !declared?.size) return undefined;
  return {
    ...(file ? { source: file.path } : {}),
    value(option: string): string | undefined {
      if (!option.startsWith('CONFIG_')) return undefined;
      const name = option.slice('CONFIG_'.length);
      const given = file?.values.get(name);
      if (given !== undefined) return given;
      if (file?.complete) return '';
      if (declared?.size && !declared.has(name)) return '';
      // A defconfig that does not name an option with no default, nothing selects: off.
      if (file && kconfig?.offByDefault.has(name)) return '';
      return undefined;
    },
  };
}

/**
 * Whether C's `#ifdef NAME` is on for a `CONFIG_` macro: kbuild's autoconf.h defines `CONFIG_X`
 * for `X=y` or a value, `CONFIG_X_MODULE` for `X=m`, nothing for an option not set. Undefined
 * when the configuration does not say (and for any other name).
 */
export function configMacroDefined(config: KernelConfig, name: string): boolean | undefined {
  if (!name.startsWith('CONFIG_')) return undefined;
  const module = /^(CONFIG_\w+)_MODULE$/.exec(name)?.[1];
  const of = module ? config.value(module) : undefined;
  if (of !== undefined) return of === 'm';
  const value = config.value(name);
  return value === undefined ? undefined : value !== '' && value !== 'm';
}

/** What `#if CONFIG_X` sees: 1 for `y`, the number for a numeric value, 0 for not set or `m`. */
export function configMacroValue(config: KernelConfig, name: string): number | undefined {
  const defined = configMacroDefined(config, name);
  if (defined === undefined) return undefined;
  if (!defined) return 0;
  const value = config.value(name) ?? '';
  if (value === 'y') return 1;
  return /^(?:0x[0-9a-fA-F]+|-?\d+)$/.test(value) ? Number(value) : undefined;
}
