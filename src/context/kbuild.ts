/**
 * Which C files a kernel-style tree builds. Kbuild compiles `foo.c` only when a Makefile (or
 * Kbuild file) in its directory names `foo.o` (`obj-$(CONFIG_FOO) += foo.o`, `bar-objs := foo.o`),
 * or when another C file `#include`s it. A file no build names (a template such as a driver
 * skeleton, an example) is not kernel code: its locks would add orders no kernel runs. A directory
 * without a Makefile, or whose Makefile computes its objects (`$(wildcard ...)`, `%.o`), keeps
 * every file. Pure: paths and texts in, the files left out and why.
 */
import { includedCFiles } from '../analyzers/c/lower.ts';
import { DEBUG_SWITCH } from '../analyzers/c/ir.ts';
import type { DirectoryDefines } from '../analyzers/c/program.ts';
import type { AnalysisOptions } from '../analyzers/analyze-program.ts';
import type { KernelConfig } from '../analyzers/c/kernel-config.ts';
import { posix } from 'node:path';

export interface BuildFile {
  path: string;
  text: string;
}

/** The .c files no build names, with the reason a report shows. */
export function unbuiltFiles(files: readonly BuildFile[], makefiles: readonly BuildFile[], above?: readonly AboveMakefile[], config?: KernelConfig): Map<string, string> {
  const out = new Map<string, string>();
  if (makefiles.length === 0) return out;
  const byDir = new Map<string, string[]>();
  /** The Makefiles as written (comments aside): what they name in any configuration. */
  const writtenByDir = new Map<string, string[]>();
  const unread = new Map<string, Set<string>>();
  for (const m of makefiles) {
    const dir = dirOf(m.path);
    // A commented-out line (`#obj-y += hdmi/`) names nothing.
    const written = withPlainVariables(m.text.replace(/^[ \t]*#.*$/gm, ''));
    const text = config ? withPlainVariables(liveText(m.text, config)) : written;
    byDir.set(dir, [...(byDir.get(dir) ?? []), text]);
    writtenByDir.set(dir, [...(writtenByDir.get(dir) ?? []), written]);
    if (config) for (const o of unreadObjects(text, m.text)) addTo(unread, dir, o);
  }
  above = above?.map((m) => ({ ...m, text: withPlainVariables(config ? liveText(m.text, config) : m.text) }));
  const because = config?.source ? ` with ${config.source}` : '';
  const included = new Set<string>();
  for (const f of files) if (f.path.endsWith('.c')) for (const inc of includedCFiles(f.text, f.path)) included.add(inc);
  const variableByDir = new Map<string, RegExp[]>();
  for (const f of files) {
    if (!f.path.endsWith('.c') || included.has(f.path)) continue;
    const dir = dirOf(f.path);
    const texts = byDir.get(dir);
    if (!texts || texts.some(computesObjects)) continue;
    const base = f.path.slice(dir.length, -2);
    const object = `${base}.o`;
    // Named as an object, or by its path as a source on a list a Makefile above reads (`SRC +=
    // gpu/x.c` in a Kbuild its parent includes and compiles as `$(SRC:.c=.o)`): the build is
    // decided there. A bare `x.c` is a host tool's list (`SRCS= aicasm.c`), not kbuild's.
    const stem = base.replace(/[.+]/g, (c) => `\\${c}`);
    const named = new RegExp(`(?:(?:^|[\\s=:+/(,])${stem}\\.o|/${stem}\\.c)(?=$|[\\s),\\\\])`, 'm');
    let variable = variableByDir.get(dir);
    if (!variable) variableByDir.set(dir, (variable = texts.flatMap(variableObjects)));
    if (!texts.some((t) => named.test(t)) && !variable.some((o) => o.test(base))) out.set(f.path, `not built${because}: ${offReason(writtenByDir.get(dir) ?? [], named, object, dir)}`);
    else if (unread.get(dir)?.has(object)) out.set(f.path, `not built${because}: ${object} is part only of objects ${dir || './'}Makefile does not build`);
  }
  // Asked once per directory: every file of it has the same answer.
  const byDirectory = new Map<string, string | undefined>();
  for (const f of files) {
    if (!f.path.endsWith('.c') || included.has(f.path) || out.has(f.path)) continue;
    const dir = dirOf(f.path);
    if (!byDirectory.has(dir)) byDirectory.set(dir, notDescended(dir, byDir, above, because, writtenByDir));
    const reason = byDirectory.get(dir);
    if (reason) out.set(f.path, reason);
  }
  return out;
}

/**
 * `$(SUB)` and `${SUB}` replaced by the value of a variable the Makefile sets once, to text with no
 * variable in it (`MALI_SUBFOLDER := mali400ko/driver/src/devicedrv/mali`, then
 * `obj-$(CONFIG_MALI) += $(MALI_SUBFOLDER)/`): the object list is then as literal as make reads it.
 */
export function withPlainVariables(text: string): string {
  const values = new Map<string, string | null>();
  for (const m of text.matchAll(/^[ \t]*([A-Za-z_][\w-]*)[ \t]*(::?=|\+=|\?=|=)[ \t]*(.*)$/gm)) {
    const [, name, op, value] = m as unknown as [string, string, string, string];
    const plain = (op === '=' || op === ':=' || op === '::=') && !/[$\\]/.test(value) && !values.has(name);
    values.set(name, plain ? value.trim() : null);
  }
  const known = [...values].filter((e): e is [string, string] => e[1] !== null);
  if (known.length === 0) return text;
  const byName = new Map(known);
  return text.replace(/\$[({]([A-Za-z_][\w-]*)[)}]/g, (all, name: string) => byName.get(name) ?? all);
}

/**
 * Why no live line names an object: none names it at all, or those that do are ones the
 * configuration leaves out (`obj-$(CONFIG_ION) += ion.o` with ION off).
 */
function offReason(written: readonly string[], named: RegExp, object: string, dir: string): string {
  const line = written.flatMap((t) => t.split('\n')).find((l) => named.test(l));
  if (!line) return `no Makefile in ${dir || './'} names ${object}`;
  const option = /\$\((CONFIG_\w+)\)/.exec(line)?.[1];
  return option ? `${dir || './'}Makefile builds ${object} only with ${option}, which the configuration leaves off` : `${dir || './'}Makefile names ${object} only in blocks the configuration leaves out`;
}

/** A Makefile as the configured build reads it: no line of a block decided off, nor of `obj-` for an option not set. */
function liveText(text: string, config: KernelConfig): string {
  return [...makeLines(text, config)].flatMap((l) => (l.state === 'off' ? [] : [l.line])).join('\n');
}

/**
 * The objects a (live) Makefile names only as parts of composite objects it never builds:
 * `drv-objs := a.o b.o` (or `drv-y`, `drv-$(CONFIG_Y)`) where the Makefile names `drv.o` only on
 * lines the build does not read. A part any other line names (`obj-y`) is built, and so is one
 * of a list that is a plain variable (`mmu-$(CONFIG_MMU) := memory.o` read as `$(mmu-y)`, or
 * one whose `.o` the Makefile never names: the build may name it another way).
 */
function unreadObjects(text: string, raw: string): Set<string> {
  const composite = (name: string): boolean => new RegExp(`(?:^|[\\s=:+(,/])${name.replace(/[.+-]/g, (c) => `\\${c}`)}\\.o(?=$|[\\s),\\\\])`, 'm').test(raw) && !text.includes(`$(${name}-`);
  /** Object -> the composites listing it, '' for any other line. */
  const owners = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const name = /^\s*([\w.-]+?)-(?:objs|y|m|objs-y|objs-m|\$\(CONFIG_\w+\))\s*[:+]?=/.exec(line)?.[1];
    const owner = name && !/^(?:obj|lib|subdir|ccflags|asflags|ldflags|always|targets|hostprogs|extra|clean|header|head|core)$/.test(name) && composite(name) ? name : '';
    for (const o of line.matchAll(/(?:^|[\s=:+(,])([\w./-]+\.o)(?=$|[\s),\\])/g)) addTo(owners, o[1] as string, owner);
  }
  const built = new Map<string, boolean>();
  const isBuilt = (o: string): boolean => {
    const known = built.get(o);
    if (known !== undefined) return known;
    built.set(o, false);
    const result = [...(owners.get(o) ?? [])].some((c) => c === '' || isBuilt(`${c}.o`));
    built.set(o, result);
    return result;
  };
  return new Set([...owners.keys()].filter((o) => !isBuilt(o)));
}

/** A Makefile above the analysed directory, inside its kernel tree: `prefix` leads from it to the directory (`input/`). */
export interface AboveMakefile {
  prefix: string;
  text: string;
}

/**
 * Kbuild reaches a sub-directory only through a Makefile above it (`obj-$(CONFIG_X) += fimc-is/`
 * in its parent, or `obj-$(CONFIG_SERIO) += input/serio/` two levels up): a directory no such
 * Makefile names (an old copy of a driver left beside the new one) is not built. The parent's
 * Makefile decides, and only one that names sub-directories literally and computes none
 * (`mach-$(MACHINE)/`) nor its objects; for the analysed directory's own sub-directories, only
 * when the Makefiles above it inside the kernel tree were read (`above`).
 */
function notDescended(dir: string, byDir: ReadonlyMap<string, readonly string[]>, above: readonly AboveMakefile[] | undefined, because: string, written?: ReadonlyMap<string, readonly string[]>): string | undefined {
  /** A path `text` names leads to `target` (or above it), past `past` (a Makefile at `past` decides the rest). */
  const reaches = (text: string, target: string, past: string): boolean => pathsNamed(text).some((q) => target.startsWith(q) && q.length > past.length);
  for (let at = dir.lastIndexOf('/', dir.length - 2); dir.length > 0; at = dir.lastIndexOf('/', at - 1)) {
    const parent = at < 0 ? '' : dir.slice(0, at + 1);
    const texts = byDir.get(parent);
    const rel = dir.slice(parent.length);
    if (texts && (parent !== '' || above) && !texts.some((t) => computesObjects(t) || computesSubdirectories(t)) && texts.some(namesSubdirectory) && !texts.some((t) => reaches(t, rel, ''))) {
      // A Makefile higher up may name the path whole.
      const higher = [...byDir].some(([d, ts]) => d !== parent && parent.startsWith(d) && ts.some((t) => reaches(t, dir.slice(d.length), parent.slice(d.length))));
      if (!higher && !(above ?? []).some((m) => reaches(m.text, `${m.prefix}${dir}`, `${m.prefix}${parent}`))) {
        const part = unnamedPart(rel, texts.flatMap(pathsNamed));
        // Named as written, in a line or block the configuration leaves out: say which.
        const line = (written?.get(parent) ?? []).flatMap((t) => t.split('\n')).find((l) => reaches(l, rel, ''));
        if (!line) return `not built${because}: no Makefile in ${parent || './'} names ${part}`;
        const option = /\$\((CONFIG_\w+)\)/.exec(line)?.[1];
        return `not built${because}: ${parent || './'}Makefile ${option ? `builds ${part} only with ${option}, which the configuration leaves off` : `names ${part} only in blocks the configuration leaves out`}`;
      }
    }
    if (at < 0) break;
  }
  return undefined;
}

/**
 * The directories a Makefile reaches: those it descends into (`core/`, `a/b/c/`: kbuild enters
 * that one, not the ones between) and those it builds objects in (`common/x.o`).
 */
function pathsNamed(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s=:+(,])(?:\.\/)?((?:[\w.-]+\/)+)(?:[\w.-]+\.o)?(?=$|[\s),\\])/gm)) out.push(m[1] as string);
  return out;
}

/** The part of `rel` down to its first directory no named path leads through (`shared/` of `shared/x/` when `devicedrv/` is named). */
function unnamedPart(rel: string, named: readonly string[]): string {
  const parts = rel.split('/').filter(Boolean);
  let prefix = '';
  for (const p of parts) {
    prefix += `${p}/`;
    if (!named.some((q) => q.startsWith(prefix))) return prefix;
  }
  return rel;
}

/** `obj-y += $(DIRS)`, `obj-y += mach-$(MACH)/`: an object list whose names come from variables. */
const computesSubdirectories = (text: string): boolean => /^\s*(?:obj|subdir)-[^=\n]*=[^\n]*\$[({]/m.test(text);

/** `obj-y += core/`, `obj-$(CONFIG_X) += x/`, `obj-y += a/b/`: a Makefile that descends into sub-directories by name. */
const namesSubdirectory = (text: string): boolean => /^\s*(?:obj|subdir)-[\w$()]*\s*[:+]?=.*(?:^|[\s=])[\w./-]+\/(?:\s|$)/m.test(text);

/**
 * The macros Makefiles pass to the compiler (`ccflags-y := -DDEBUG`, `CFLAGS_pm.o += -DFOO_DEBUG=1`),
 * commented-out lines aside. Conditional ones (`ccflags-$(CONFIG_X_DEBUG)`) count: some build defines them.
 */
export function buildDefines(makefiles: readonly BuildFile[]): string[] {
  const out = new Set<string>();
  for (const m of makefiles) {
    for (const line of m.text.split('\n')) {
      if (/^\s*#/.test(line)) continue;
      for (const d of passedOn(line)) out.add(d);
    }
  }
  return [...out].sort();
}

/**
 * Per Makefile, the debug switches it passes (`ccflags-$(CONFIG_X_DEBUG) := -DDEBUG`): kbuild gives
 * them to that directory's files and those below it, never to a sibling driver's.
 */
export function debugDefines(makefiles: readonly BuildFile[]): { dir: string; names: string[] }[] {
  const out: { dir: string; names: string[] }[] = [];
  for (const m of makefiles) {
    const names = new Set<string>();
    for (const line of m.text.split('\n')) if (!/^\s*#/.test(line)) for (const d of passedOn(line)) if (DEBUG_SWITCH.test(d)) names.add(d);
    if (names.size) out.push({ dir: dirOf(m.path), names: [...names].sort() });
  }
  return out;
}

/**
 * The kernel modules a directory's Makefiles link from several sources (`ath9k_htc-y +=
 * htc_hst.o wmi.o`, `foo-objs := a.o b.o` for an `obj-$(CONFIG_FOO) += foo.o`): per source
 * file, the module it is linked into, named `dir/foo.o`. One directory often builds several
 * (a PCI driver, a USB driver and the hardware library both use), each with its own objects;
 * beside them, a module built from one source is one of its own.
 */
export function compositeModules(makefiles: readonly BuildFile[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of makefiles) {
    const dir = dirOf(m.path);
    const lines = [...makeLines(m.text)].map((l) => l.line);
    const built = new Set(lines.flatMap((l) => (/^\s*obj-[\w$()]*\s*[:+]?=/.test(l) ? [...l.matchAll(/([\w-]+)\.o\b/g)].map((o) => o[1] as string) : [])));
    const linked = new Set<string>();
    for (const l of lines) {
      const list = /^\s*([\w-]+)-(?:y|m|objs|\$\(CONFIG_\w+\))\s*[:+]?=(.*)$/.exec(l);
      const name = list?.[1];
      if (!name || name === 'obj' || !built.has(name)) continue;
      linked.add(name);
      for (const o of (list?.[2] ?? '').matchAll(/(?:^|\s)([\w./-]+)\.o(?=\s|$)/g)) out[posix.normalize(`${dir}${o[1] as string}.c`)] = `${dir}${name}.o`;
    }
    // Beside a composite module, an object built from its one source is a module of its own
    // (airport.o next to orinoco.o), not the core of the directory.
    if (linked.size) for (const name of built) if (!linked.has(name) && !name.includes('/')) out[posix.normalize(`${dir}${name}.c`)] ??= `${dir}${name}.o`;
  }
  return out;
}

/**
 * What a directory's build files tell its analysis: the macros they pass (all of them, the
 * debug switches by directory, the features each directory chooses) and the modules they link.
 * `lockscope analyze DIR` and each partition of a tree read them alike.
 */
export function makefileOptions(makefiles: readonly BuildFile[], config: KernelConfig | undefined): Pick<AnalysisOptions, 'buildDefines' | 'debugDefines' | 'directoryDefines' | 'modules'> {
  const defines = buildDefines(makefiles);
  const debug = debugDefines(makefiles);
  const features = directoryDefines(makefiles, config);
  const modules = compositeModules(makefiles);
  return {
    ...(defines.length ? { buildDefines: defines } : {}),
    ...(debug.length ? { debugDefines: debug } : {}),
    ...(features.length ? { directoryDefines: features } : {}),
    ...(Object.keys(modules).length ? { modules } : {}),
  };
}

/**
 * The tree directories Makefiles add to the include path (`ccflags-y := -Iinclude/drm`,
 * `-I$(srctree)/include/x`, `-I$(src)/hw`), tree-relative: `directory` is the analysed
 * directory's own path in the tree, and a Makefile's path is relative to it. Paths built from
 * other variables, or climbing out of the tree, are left out.
 */
export function includeDirs(makefiles: readonly BuildFile[], directory: string): string[] {
  const out = new Set<string>();
  for (const m of makefiles) {
    const own = posix.join(directory, posix.dirname(m.path));
    for (const line of m.text.split('\n')) {
      if (/^\s*#/.test(line)) continue;
      for (const f of line.matchAll(/(?:^|\s)-I\s*(\S+)/g)) {
        const dir = (f[1] as string).replace(/^\$\((?:srctree|TOPDIR)\)\//, '').replace(/^\$\((?:src|obj)\)/, own);
        if (dir.includes('$') || dir.startsWith('/')) continue;
        const norm = posix.normalize(dir).replace(/\/$/, '');
        if (!norm.startsWith('..') && norm !== '.') out.add(norm);
      }
    }
  }
  return [...out].sort();
}

/**
 * What a build file passes to the compiler for the files of `directory`: kbuild gives a
 * Makefile's ccflags (`EXTRA_CFLAGS += -DPROP_TXSTATUS`) to its own directory and below, so a
 * sibling driver's Makefile passes nothing here except what it adds to every file
 * (`KBUILD_CFLAGS`); every other build file (a script writing a header) counts whole.
 */
export function flagsReaching(directory: string, path: string, text: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!/^(?:Makefile|Kbuild)/.test(name) && !name.endsWith('.mk')) return text;
  const dir = path.slice(0, path.lastIndexOf('/'));
  const within = (a: string, b: string): boolean => a === b || a.startsWith(`${b}/`);
  if (within(directory, dir) || within(dir, directory)) return text;
  return text.split('\n').filter((l) => /^\s*KBUILD_\w*FLAGS\b/.test(l)).join('\n');
}

/**
 * Each directory whose Makefile chooses features with `-D` (`DHDCFLAGS = -DDHDTHREAD -DCSCAN`,
 * not only a debug switch), with the macros it passes in every build: those outside an
 * `ifeq`/`ifneq`/`ifdef` block and not on a `ccflags-$(CONFIG_X)` line, and those in a block
 * the Makefile's own defaults decide (`MALI_UPPER_HALF_SCHEDULING ?= 1` then
 * `ifeq ($(MALI_UPPER_HALF_SCHEDULING),1)`); and the macros it passes only in blocks those
 * defaults leave out (`never`).
 */
export function directoryDefines(makefiles: readonly BuildFile[], config?: KernelConfig): DirectoryDefines[] {
  const out: DirectoryDefines[] = [];
  for (const m of makefiles) {
    const always = new Set<string>();
    const passed = new Set<string>();
    const off = new Set<string>();
    let features = false;
    /** Under each stack of conditionals: the macros passed there, and the objects named there. */
    const definedUnder = new Map<string, Set<string>>();
    const objectUnder = new Map<string, Set<string>>();
    for (const { line, state, under } of makeLines(m.text, config)) {
      const conditional = state === 'unknown' || /^[^=]*\$\(CONFIG_/.test(line);
      // `X := $(filter-out -DX,$(X))` where every build reads it: no longer passed.
      if (state === 'on' && !conditional) for (const name of removedOn(line)) always.delete(name);
      for (const name of passedOn(line)) {
        if (!DEBUG_SWITCH.test(name)) features = true;
        if (state === 'off') off.add(name);
        else passed.add(name);
        if (state === 'on' && !conditional) always.add(name);
        if (state !== 'off' && !/^[^=]*\$\(CONFIG_/.test(line)) addTo(definedUnder, under.join('\n'), name);
      }
      if (state === 'off' || /(?:^|\s)-D/.test(line)) continue;
      for (const o of line.matchAll(/(?:^|[\s=:+(,])([\w./-]+)\.o(?=$|[\s),\\])/g)) addTo(objectUnder, `${o[1] as string}.c`, under.join('\n'));
    }
    const never = [...off].filter((n) => !passed.has(n)).sort();
    const objects = objectDefines(definedUnder, objectUnder, always);
    const exclusive = exclusiveMacros(m.text, always, config);
    if (features) out.push({ dir: dirOf(m.path), always: [...always].sort(), ...(never.length ? { never } : {}), ...(objects ? { objects } : {}), passed: [...passed].sort(), ...(exclusive.length ? { exclusive } : {}) });
  }
  return out;
}

/** A Makefile test as a literal: variable `v` is (`eq`) or is not the value `value`. */
interface MakeLiteral {
  v: string;
  value: string;
  eq: boolean;
}

/** `ifeq ($(V),y)`, `ifneq ($(V),)`, `ifdef V`, `else ifeq (..)` (the negation); undefined for others. */
function literalOf(cond: string): MakeLiteral | undefined {
  const m = /^(else\s+)?(ifeq|ifneq|ifdef|ifndef)\s*(.*?)\s*$/.exec(cond);
  if (!m) return undefined;
  const [, negated, word, rest] = m as unknown as [string, string | undefined, string, string];
  let lit: MakeLiteral | undefined;
  if (word === 'ifdef' || word === 'ifndef') lit = /^\w+$/.test(rest) ? { v: rest, value: '', eq: word === 'ifndef' } : undefined;
  else {
    const t = /^\(\s*\$\((\w+)\)\s*,\s*([^)$]*?)\s*\)$|^["']\$\((\w+)\)["']\s+["']([^"'$]*)["']$/.exec(rest);
    const v = t?.[1] ?? t?.[3];
    const value = t?.[2] ?? t?.[4];
    lit = v !== undefined && value !== undefined ? { v, value, eq: word === 'ifeq' } : undefined;
  }
  return lit && negated ? { ...lit, eq: !lit.eq } : lit;
}

/** Two tests no build passes both: one variable equal to two values, or equal and not equal to one. */
const excludes = (a: MakeLiteral, b: MakeLiteral): boolean => a.v === b.v && (a.eq && b.eq ? a.value !== b.value : a.eq !== b.eq && a.value === b.value);

/**
 * Pairs of macros a Makefile passes only in blocks no build enters both of: the two arms of one
 * test (`ifneq ($(CONFIG_X_PCIE),)` / `else`), or tests of variables set only in those arms
 * (`BUS_PCIE=y` in one, `BUS_SDIO=y` in the other; later `ifeq ($(BUS_SDIO),y)` passes
 * `-DBCMSDIO` and `ifeq ($(BUS_PCIE),y)` passes `-DBCMPCIE`).
 */
function exclusiveMacros(text: string, always: ReadonlySet<string>, config?: KernelConfig): [string, string][] {
  const assigned = new Map<string, { value: string; under: readonly string[] }[]>();
  const stacksOf = new Map<string, (readonly MakeLiteral[] | undefined)[]>();
  const lines = [...makeLines(text, config)];
  for (const { line, state, under } of lines) {
    if (state === 'off') continue;
    const a = /^\s*([A-Za-z_]\w*)\s*(?::=|\?=|=)\s*(\S*)\s*$/.exec(line);
    if (a) assigned.set(a[1] as string, [...(assigned.get(a[1] as string) ?? []), { value: a[2] as string, under }]);
  }
  // A test of a variable set once, under one test, to a plain value: that test, or its negation.
  const resolve = (lit: MakeLiteral): MakeLiteral | undefined => {
    const sets = assigned.get(lit.v);
    if (!sets || sets.length !== 1) return lit;
    const only = sets[0] as { value: string; under: readonly string[] };
    const base = only.under.length === 1 ? literalOf(only.under[0] as string) : undefined;
    if (!base || only.value === '') return undefined;
    if (lit.value === only.value || lit.value === '') return (lit.value === only.value) === lit.eq ? base : { ...base, eq: !base.eq };
    return undefined;
  };
  for (const { line, state, under } of lines) {
    if (state === 'off') continue;
    const names = passedOn(line).filter((n) => !always.has(n));
    if (names.length === 0) continue;
    const lits = under.map((u) => literalOf(u));
    const stack = lits.every((l) => l !== undefined) ? lits.map((l) => resolve(l as MakeLiteral)) : [undefined];
    const known = stack.every((l) => l !== undefined) && stack.length > 0 ? (stack as MakeLiteral[]) : undefined;
    for (const n of names) stacksOf.set(n, [...(stacksOf.get(n) ?? []), known]);
  }
  const apart = (x: readonly MakeLiteral[] | undefined, y: readonly MakeLiteral[] | undefined): boolean => !!x && !!y && x.some((a) => y.some((b) => excludes(a, b)));
  const names = [...stacksOf.keys()].sort();
  const out: [string, string][] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = stacksOf.get(names[i] as string) ?? [];
      const b = stacksOf.get(names[j] as string) ?? [];
      if (a.every((x) => b.every((y) => apart(x, y)))) out.push([names[i] as string, names[j] as string]);
    }
  }
  return out;
}

/** The macros a Makefile line passes: its `-DX` words, not those a `$(filter-out -DX,..)` removes. */
function passedOn(line: string): string[] {
  return [...line.replace(FILTER_OUT, '').matchAll(/(?:^|\s)-D(\w+)/g)].map((d) => d[1] as string);
}

/** The macros a line's `$(filter-out -DX -DY,..)` removes. */
function removedOn(line: string): string[] {
  return [...line.matchAll(FILTER_OUT)].flatMap((f) => [...f[0].matchAll(/-D(\w+)/g)].map((d) => d[1] as string));
}

const FILTER_OUT = /\$\(filter-out\s[^,]*,/g;

const addTo = (map: Map<string, Set<string>>, key: string, value: string): void => {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
};

/**
 * The macros each object's every build gets beyond the Makefile's `always` ones: an object named
 * only inside `ifneq ($(CONFIG_BCMDHD_SDIO),)` is compiled only where that block's
 * `DHDCFLAGS += -DBDC` is passed too (so is one named inside a block within it). Keyed by the
 * source's path from the Makefile's directory (`dhd_cdc.c`).
 */
function objectDefines(definedUnder: ReadonlyMap<string, ReadonlySet<string>>, objectUnder: ReadonlyMap<string, ReadonlySet<string>>, always: ReadonlySet<string>): Record<string, string[]> | undefined {
  let out: Record<string, string[]> | undefined;
  for (const [source, stacks] of objectUnder) {
    let common: Set<string> | undefined;
    for (const stack of stacks) {
      // What is passed under this stack of conditionals or under any stack it is nested in.
      const levels = stack === '' ? [] : stack.split('\n');
      const here = new Set<string>();
      for (let i = 1; i <= levels.length; i++) for (const d of definedUnder.get(levels.slice(0, i).join('\n')) ?? []) here.add(d);
      common = common ? new Set([...common].filter((d) => here.has(d))) : here;
    }
    const extra = [...(common ?? [])].filter((d) => !always.has(d)).sort();
    if (extra.length) (out ??= {})[source] = extra;
  }
  return out;
}

/**
 * A Makefile's lines (continuations joined, comments and conditionals out) with whether the
 * default build reads them: `on` outside any conditional or inside ones its own defaults
 * decide true, `off` inside one they decide false, `unknown` inside any other. A default is a
 * variable the Makefile sets to a plain value outside conditionals (`X ?= 1`, `X := y`), before
 * the test; the command line or environment may still override a `?=` one: lockscope speaks
 * for the default build.
 */
function* makeLines(text: string, config?: KernelConfig): Generator<{ line: string; state: 'on' | 'off' | 'unknown'; under: readonly string[] }> {
  const vars = new Map<string, string>();
  // `ifeq ($(CONFIG_SLP),y)`, `obj-$(CONFIG_X) +=`: what the configuration says, unless the
  // Makefile sets the variable itself (an option no Kconfig declares is empty in every build).
  if (config) {
    const setHere = new Set([...text.matchAll(/^\s*(CONFIG_\w+)\s*[:?+]?=/gm)].map((m) => m[1] as string));
    for (const m of text.matchAll(/\$\((CONFIG_\w+)\)|\bifn?def\s+(CONFIG_\w+)/g)) {
      const name = (m[1] ?? m[2]) as string;
      const value = setHere.has(name) ? undefined : config.value(name);
      if (value !== undefined) vars.set(name, value);
    }
  }
  const stack: ('on' | 'off' | 'unknown')[] = [];
  /** The conditionals around the line as written (`ifneq ($(CONFIG_X),)`, `else ifneq ($(CONFIG_X),)`). */
  const under: string[] = [];
  const state = (): 'on' | 'off' | 'unknown' => (stack.includes('off') ? 'off' : stack.includes('unknown') ? 'unknown' : 'on');
  for (const raw of text.replace(/\\\r?\n/g, ' ').split('\n')) {
    // A `#` comments out the rest of the logical line, continuations and all: `-DSTA_ONLY \`
    // then `#  -DHERMES25 \` passes no HERMES25, nor anything on the lines continuing it.
    const line = raw.replace(/\r$/, '').replace(/(^|[^\\$])#.*$/, '$1');
    if (/^\s*$/.test(line)) continue;
    const cond = /^\s*(ifeq|ifneq|ifdef|ifndef|else|endif)\b\s*(.*)$/.exec(line);
    if (cond) {
      const [, word, rest] = cond as unknown as [string, string, string];
      if (word === 'endif') {
        stack.pop();
        under.pop();
      } else if (word === 'else') {
        const top = stack.pop() ?? 'unknown';
        under.push(`else ${under.pop() ?? ''} ${rest}`.trim());
        // `else ifeq (...)`: decided only when the first branch was off.
        const chained = /^(ifeq|ifneq|ifdef|ifndef)\b\s*(.*)$/.exec(rest);
        const next = top === 'unknown' ? 'unknown' : top === 'on' ? 'off' : chained ? decide(chained[1] as string, chained[2] as string, vars) : 'on';
        stack.push(next);
      } else {
        stack.push(decide(word, rest, vars));
        under.push(`${word} ${rest.trim()}`);
      }
      continue;
    }
    const assign = /^\s*([A-Za-z_][\w-]*)\s*(\?=|:=|::=|=)\s*([^$#]*?)\s*(?:#.*)?$/.exec(line);
    if (assign && stack.length === 0) {
      const [, name, op, value] = assign as unknown as [string, string, string, string];
      if (op !== '?=' || !vars.has(name)) vars.set(name, value);
    } else if (/^\s*([A-Za-z_][\w-]*)\s*(\?=|:=|::=|=|\+=)/.exec(line)?.[1]) {
      // Set from another variable, added to, or set under a conditional: no longer a plain default.
      const name = /^\s*([A-Za-z_][\w-]*)/.exec(line)?.[1] as string;
      if (!/^(?:ccflags|EXTRA_CFLAGS|obj|subdir-ccflags|CFLAGS_)/.test(name)) vars.delete(name);
    }
    const chosen = config ? choosingLine(line, vars) : { line, off: false };
    yield { line: chosen.line, state: chosen.off ? 'off' : state(), under: [...under] };
  }
}

/**
 * `obj-$(CONFIG_X) += x.o` with X known: the line as kbuild reads it (`obj-y`, `obj-m`), and
 * whether no list kbuild reads gets its words: `obj-` for an option not set, and `ccflags-m`
 * (kbuild reads flags only from `-y` lists).
 */
function choosingLine(line: string, vars: ReadonlyMap<string, string>): { line: string; off: boolean } {
  const lhs = /^(\s*[\w-]*)\$\((CONFIG_\w+)\)(\s*(?::=|\+=|=))/.exec(line);
  const value = lhs ? vars.get(lhs[2] as string) : undefined;
  if (!lhs || value === undefined || !['y', 'm', ''].includes(value)) return { line, off: false };
  const list = lhs[1] as string;
  const off = value === '' || (value === 'm' && /^\s*(?:ccflags|asflags|ldflags|subdir-ccflags|EXTRA_CFLAGS|cflags)-$/.test(list));
  return { line: `${list}${value}${lhs[3] as string}${line.slice(lhs[0].length)}`, off };
}

/** `ifeq ($(X),1)`, `ifneq "$(X)" "y"`, `ifdef X` with X a known default. */
function decide(word: string, rest: string, vars: ReadonlyMap<string, string>): 'on' | 'off' | 'unknown' {
  if (word === 'ifdef' || word === 'ifndef') {
    const name = rest.trim();
    if (!vars.has(name)) return 'unknown';
    const set = (vars.get(name) ?? '') !== '';
    return set === (word === 'ifdef') ? 'on' : 'off';
  }
  const m = /^\(\s*\$\((\w+)\)\s*,\s*([^)$]*?)\s*\)$|^["']\$\((\w+)\)["']\s+["']([^"'$]*)["']$/.exec(rest.trim());
  const name = m?.[1] ?? m?.[3];
  const value = m?.[2] ?? m?.[4];
  if (!name || value === undefined || !vars.has(name)) return 'unknown';
  return (vars.get(name) === value) === (word === 'ifeq') ? 'on' : 'off';
}

/**
 * Whether a Makefile compiles files of its sub-directory `rel` by path (`dhd-y :=
 * src/dhd_linux.o`, for `dhd_linux.c` among `cFiles`, paths relative to `rel`): a driver whose
 * sources sit below its Makefile. Its `-D` flags then apply to them when the sub-directory is
 * analysed alone. A directory's own aggregate (`mm/built-in.o` in the top Makefile) is no file.
 */
export function compilesUnder(makefile: string, rel: string, cFiles: readonly string[]): boolean {
  const escaped = rel.replace(/[.+*?^$()[\]{}|\\]/g, (c) => `\\${c}`);
  const sources = new Set(cFiles);
  for (const m of makefile.matchAll(new RegExp(`(?:^|[\\s=:+(,])${escaped}/([\\w./-]*)\\.o(?=$|[\\s),\\\\])`, 'gm'))) {
    if (sources.has(`${m[1] as string}.c`)) return true;
  }
  return false;
}

const dirOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);

/**
 * The objects whose names a variable completes (`traps_$(BITS).o`, `${ARCH}_setup.o`), as
 * patterns of the file stems they may be (`traps_32`, `traps_64`): which one the build picks is
 * the variable's, and each may be built.
 */
function variableObjects(text: string): RegExp[] {
  const found: RegExp[] = [];
  for (const m of text.matchAll(/(?:^|[\s=:+(,])((?:[\w.-]|\$[({]\w+[)}])*\$[({]\w+[)}](?:[\w.-]|\$[({]\w+[)}])*)\.o(?=$|[\s),\\])/gm)) {
    const parts = (m[1] as string).split(/\$[({]\w+[)}]/).map((p) => p.replace(/[.+-]/g, (c) => `\\${c}`));
    found.push(new RegExp(`^${parts.join('\\w+')}$`));
  }
  return found;
}

const COMPUTED = /\$\((?:wildcard|patsubst|subst|addsuffix|foreach)\b|%\.o|\$\(\w+:[^)=]*=[^)]*\.o\)/;

/**
 * A Makefile that builds its object list (`$(wildcard *.c)`, `$(patsubst %.c,%.o,..)`): every
 * file may be built. Only where an object list, or a variable one reads, is computed: a path a
 * shared include works out (`MTK_PLATFORM := $(subst ",,$(CONFIG_MTK_PLATFORM))`, for `-I`
 * flags) computes no object.
 */
const computesObjects = (text: string): boolean => {
  if (!COMPUTED.test(text)) return false;
  const lines = text.replace(/\\\r?\n/g, ' ').split('\n');
  const lists = lines.filter((l) => (/^\s*[\w$().-]+-(?:y|m|objs|\$\([\w]+\))\s*[:+]?=/.test(l) || /^\s*(?:obj|lib|subdir)-/.test(l)) && !/^\s*(?:(?:sub)?(?:cc|as|ld)flags|subdir-ccflags)-/.test(l));
  if (lists.some((l) => COMPUTED.test(l))) return true;
  const computedVars = lines.flatMap((l) => {
    const m = /^\s*([A-Za-z_][\w-]*)\s*(?::=|\+=|\?=|=)(.*)$/.exec(l);
    return m && COMPUTED.test(m[2] as string) ? [m[1] as string] : [];
  });
  return computedVars.some((v) => lists.some((l) => l.includes(`$(${v})`) || l.includes(`\${${v}}`)));
};
