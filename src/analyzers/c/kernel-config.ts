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
  /**
   * Never set by any configuration: a symbol no one can turn on (no prompt, no default other
   * than `n`, nothing selects it: `config BROKEN` with only `bool`), and one every declaration of
   * which depends on such a symbol (`depends on PCI && BROKEN`, or inside `if BROKEN` or a menu
   * that `depends on BROKEN`) and nothing selects (a `select` ignores dependencies).
   */
  neverSet?: ReadonlySet<string>;
}

/** One `config X` declaration: whether it can be shown to the user, and what it depends on. */
interface Declaration {
  name: string;
  prompt: boolean;
  /** The top-level `&&` conjuncts of its own `depends on` lines and of the blocks around it. */
  needs: string[];
}

/** A line's indentation in columns, a tab to the next multiple of 8. */
function indentOf(line: string): number {
  let col = 0;
  for (const c of line) {
    if (c === ' ') col++;
    else if (c === '\t') col = col - (col % 8) + 8;
    else break;
  }
  return col;
}

/** `expr` cut at each `op` outside parentheses, the parts trimmed. */
function splitTopLevel(expr: string, op: '&&' | '||'): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && c === op[0] && expr[i + 1] === op[1]) {
      out.push(expr.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  out.push(expr.slice(start).trim());
  return out;
}

/**
 * `A && (B || C) && !D` -> ['A', '(B || C)', '!D']: the parts that must each hold. An `||`
 * outside parentheses binds looser than `&&`: the whole is then one part.
 */
function conjuncts(expr: string): string[] {
  if (splitTopLevel(expr, '||').length > 1) return [expr.trim()];
  // `(A && B)` around the whole: its inside.
  return splitTopLevel(expr, '&&')
    .flatMap((c) => (/^\((.*)\)$/.test(c) && balanced(c.slice(1, -1)) ? conjuncts(c.slice(1, -1)) : [c]))
    .filter((c) => c !== '');
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** A conjunct that is a symbol's own truth (`BROKEN`, `BROKEN=y`): the symbol. */
const SYMBOL_TRUTH = /^(\w+)(?:\s*(?:=|!=\s*n\b)\s*[ym])?$/;

/** Reads Kconfig texts (every one of the tree's): the symbols they declare, and those off by default. */
export function readKconfig(texts: Iterable<string>): KconfigSymbols {
  const declared = new Set<string>();
  const defaulted = new Set<string>();
  const selected = new Set<string>();
  const defaultsOn = new Set<string>();
  const declarations: Declaration[] = [];
  for (const text of texts) {
    let current: Declaration | undefined;
    let choice = 0;
    // The `if` blocks and menus around a line: each a list of conjuncts (a menu's from its `depends on`).
    const blocks: { kind: 'if' | 'menu'; needs: string[] }[] = [];
    let menuHead: { needs: string[] } | undefined;
    // Inside a help text (prose, a word that looks like a keyword included): until a line
    // indented less than its first line, as kconfig reads it. Undefined: not in one; 0: its
    // first line not seen yet.
    let help: number | undefined;
    for (const line of text.split('\n')) {
      if (help !== undefined) {
        if (line.trim() === '') continue;
        const indent = indentOf(line);
        if (help === 0) help = indent;
        if (indent >= help && help > 0) continue;
        help = undefined;
      }
      if (/^[ \t]*(?:---help---|help)[ \t]*$/.test(line)) {
        help = 0;
        continue;
      }
      const head = /^[ \t]*(menuconfig|config|choice|endchoice|menu|endmenu|if|endif|comment|source|mainmenu)\b[ \t]*(.*)$/.exec(line);
      if (head) {
        const word = head[1] as string;
        const rest = (head[2] as string).replace(/#.*$/, '').trim();
        const name = word === 'config' || word === 'menuconfig' ? /^\w+/.exec(rest)?.[0] : undefined;
        menuHead = undefined;
        current = undefined;
        if (word === 'choice') choice++;
        else if (word === 'endchoice') choice = Math.max(0, choice - 1);
        else if (word === 'if') blocks.push({ kind: 'if', needs: conjuncts(rest) });
        else if (word === 'menu') {
          const block = { kind: 'menu' as const, needs: [] as string[] };
          blocks.push(block);
          menuHead = block;
        } else if (word === 'endif' || word === 'endmenu') {
          const at = blocks.map((b) => b.kind).lastIndexOf(word === 'endif' ? 'if' : 'menu');
          if (at >= 0) blocks.splice(at, 1);
        }
        if (name) {
          declared.add(name);
          // A choice picks one of its members by its own default: none is simply off.
          if (choice > 0) defaulted.add(name);
          // A choice member is set by its choice, whatever its own prompt.
          current = { name, prompt: choice > 0, needs: blocks.flatMap((b) => b.needs) };
          declarations.push(current);
        }
        continue;
      }
      const sel = /^[ \t]*(?:select|imply)[ \t]+(\w+)/.exec(line);
      if (sel) selected.add(sel[1] as string);
      const depends = /^[ \t]*depends[ \t]+on[ \t]+(.*)$/.exec(line);
      if (depends) {
        const needs = conjuncts((depends[1] as string).replace(/#.*$/, ''));
        if (current) current.needs.push(...needs);
        else if (menuHead) menuHead.needs.push(...needs);
      }
      if (!current) continue;
      const def = /^[ \t]*(default|def_bool|def_tristate)\b[ \t]*(.*)$/.exec(line);
      if (def) defaulted.add(current.name);
      // A default other than `n`, or `option env="ARCH"` (the environment's value): can be on.
      if ((def && !/^n\b\s*(?:#.*)?$/.test((def[2] as string).trim())) || /^[ \t]*option[ \t]+env\b/.test(line)) defaultsOn.add(current.name);
      if (/^[ \t]*(?:(?:bool|boolean|tristate|string|int|hex)[ \t]+["']|prompt\b)/.test(line)) current.prompt = true;
    }
  }
  const offByDefault = new Set([...declared].filter((n) => !defaulted.has(n) && !selected.has(n)));
  return { declared, offByDefault, neverSet: neverSetSymbols(declarations, defaultsOn, selected) };
}

/** The symbols no configuration sets (KconfigSymbols.neverSet), to a fixed point. */
function neverSetSymbols(declarations: readonly Declaration[], defaultsOn: ReadonlySet<string>, selected: ReadonlySet<string>): Set<string> {
  const byName = new Map<string, Declaration[]>();
  for (const d of declarations) byName.set(d.name, [...(byName.get(d.name) ?? []), d]);
  const never = new Set<string>();
  for (const [name, ds] of byName) if (!defaultsOn.has(name) && !selected.has(name) && ds.every((d) => !d.prompt)) never.add(name);
  const off = (c: string): boolean => never.has(SYMBOL_TRUTH.exec(c)?.[1] ?? '');
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, ds] of byName) {
      if (never.has(name) || selected.has(name) || !ds.every((d) => d.needs.some(off))) continue;
      never.add(name);
      grew = true;
    }
  }
  return never;
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
      if (kconfig?.neverSet?.has(name)) return '';
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
