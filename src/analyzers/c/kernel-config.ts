/**
 * The kernel configuration a build is for: what `$(CONFIG_X)` expands to in its Makefiles and
 * whether `#ifdef CONFIG_X` is on in its C files. Two sources, either may be missing:
 * - a `.config` or defconfig the user names (`lockscope analyze --config FILE`): its `CONFIG_X=y`,
 *   `=m`, `=value` and `# CONFIG_X is not set` lines. A generated `.config` (its header says
 *   "Automatically generated") lists every option the build has, so one it does not list is
 *   off; a minimal defconfig (`make savedefconfig`) leaves the rest to Kconfig defaults, unknown
 *   here.
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

/** The configuration both sources give, or undefined when there is neither. */
export function kernelConfig(file: ConfigFile | undefined, declared: ReadonlySet<string> | undefined): KernelConfig | undefined {
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
