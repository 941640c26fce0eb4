/**
 * The whole program as the analysis sees it: every file's FileFacts merged into lookup tables
 * (struct layouts, typedefs, globals, lock definitions, prototypes, functions by name), which
 * definition a call reaches, and which functions a call through a pointer may reach. It holds no
 * analysis state and knows nothing of locks beyond declared lock types; lock-class resolution is
 * locks/lock-classes.ts.
 *
 * A call resolves to the definition in the same file, then the same directory, then the one
 * global definition, as the linker would for one build. Definitions under different
 * `arch/<name>/` directories are alternatives for different builds: a caller inside one arch
 * never reaches another's, and one outside reaches an arch definition only when it is the only
 * one. Two definitions of one function in one file (`#ifdef CONFIG_X` twins) resolve to the one
 * under the positive condition.
 */
import { configMacroDefined, configMacroValue, type KernelConfig } from './kernel-config.ts';
import { callEvents as callEventsOf, eachReturn, opsOf as opsOfBody } from './call-graph.ts';
import { unwrittenGlobals } from './unwritten-globals.ts';
import { NOT_LOCKS, WAIT_COMMANDS } from '../locks/catalogue.ts';
import { alignMacroArguments, hasMacroArgument } from './macro-arguments.ts';
import { runCommandArguments } from './command-arguments.ts';
import { DEBUG_SWITCH, Z, type AccessPath, type CallEvent, type FileFacts, type FunctionIR, type GlobalIR, type PointerStore, type PrototypeIR, type SetEvent, type TypeRef } from './ir.ts';
import { unitLocalStructs } from './unit-local-structs.ts';
import { kindsBeside, memberWritten, refusedBefore, type Kind } from './kind-tags.ts';
import { seenNearestFirst } from './include-order.ts';
import { embeddedInits, type EmbeddedInits } from './embedded-inits.ts';
import { holderEmbedding, indexLayers, storeContainer, tablesOfObject, type LayerIndex, type LayerTypes } from './ops-tables.ts';
import type { ConstantNames } from './comparison.ts';
import { evalPreprocCondition } from './preproc-expr.ts';
import { archOf } from '../util/arch-dir.ts';


export interface FunctionEntry {
  id: number;
  file: string;
  fn: FunctionIR;
}

/** A directory whose Makefile chooses features with `-D`, and the macros it passes in every build (context/kbuild.ts). */
export interface DirectoryDefines {
  dir: string;
  always: readonly string[];
  /** The macros it passes only in blocks its own defaults leave out (`ifeq ($(X),1)` with `X ?= 0`). */
  never?: readonly string[];
  /** Per source (path from `dir`), the macros every build of it gets beyond `always` (context/kbuild.ts objectDefines). */
  objects?: Readonly<Record<string, readonly string[]>>;
  /** Every macro it passes in some build. */
  passed?: readonly string[];
  /** Pairs of macros it passes only in blocks no build enters both of (`-DBCMSDIO` / `-DBCMPCIE`). */
  exclusive?: readonly (readonly [string, string])[];
}

/** Macros kbuild itself passes: `-DMODULE` for a module, the object's names. */
const KBUILD_DEFINES = new Set(['MODULE', 'KBUILD_MODNAME', 'KBUILD_BASENAME', 'KBUILD_STR']);
/** The options of lockdep's build: the one lockscope's reports mirror (macroDefined). */
const LOCKDEP_BUILD: ReadonlySet<string> = new Set(['CONFIG_LOCKDEP', 'CONFIG_PROVE_LOCKING', 'CONFIG_DEBUG_LOCK_ALLOC']);
/** Non-static functions of the same names two units must both define to be versions of one driver. */
const SHARED_GLOBALS = 3;
/** Units one name may be defined in and still count towards SHARED_GLOBALS. */
const MAX_VERSIONS = 4;

/**
 * The selector of another operating system (`__FREERTOS`, `__ECOS`, `_WIN32`, `__QNXNTO__`) or
 * another system's compiler (`_MSC_VER`, `__MINGW32__`): a vendor's OS layer builds one file for
 * several, and a Linux kernel build is none of them.
 */
const OTHER_OS = /^_*(?:UITRON|ECOS|FREERTOS|RTOS|VXWORKS|WIN32|WIN64|WINDOWS|QNX|QNXNTO|NUCLEUS|THREADX|UCOS|UCOSII|ZEPHYR|RTEMS|NUTTX|LITEOS|RTTHREAD|RT_THREAD|CMSIS_OS|APPLE|FreeBSD|NetBSD|OpenBSD|MSC_VER|CYGWIN|MINGW32|MINGW64)_*$/i;

const dirOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);

/**
 * Names every kernel file uses without declaring: `current` is a macro for the running task
 * (`struct task_struct *`), so `current->sighand->siglock` is the class of `tsk->sighand->siglock`.
 */
const KERNEL_GLOBALS: ReadonlyMap<string, TypeRef> = new Map([['current', { k: 'struct', name: 'task_struct' }]]);
/**
 * Members of the kernel's core structs that name a lock's owner, for snapshots without their
 * headers: `current->mm` is the task's mm_struct, so `&current->mm->mmap_sem` and a typed
 * `&mm->mmap_sem` are one class; `t->sighand->siglock` is sighand_struct's. Declared and learnt
 * layouts win.
 */
const MM: TypeRef = { k: 'struct', name: 'mm_struct', ptr: true };
const KERNEL_MEMBERS: Readonly<Record<string, Readonly<Record<string, TypeRef>>>> = {
  task_struct: { mm: MM, active_mm: MM, sighand: { k: 'struct', name: 'sighand_struct', ptr: true } },
  vm_area_struct: { vm_mm: MM },
  sighand_struct: { siglock: { k: 'lock', name: 'spinlock' } },
};

/** How many functions a call through a pointer may reach before lockscope stops following it. */

export const MAX_POINTER_TARGETS = 8;

const NO_FILES: ReadonlySet<string> = new Set();

/** Two containers (`layer2.ch`) one is: the same, or of one member where either's type is not known (`?.ch`). */
function sameContainer(a: string, b: string): boolean {
  if (a === b) return true;
  const [ta, ma] = [a.slice(0, a.lastIndexOf('.')), a.slice(a.lastIndexOf('.') + 1)];
  const [tb, mb] = [b.slice(0, b.lastIndexOf('.')), b.slice(b.lastIndexOf('.') + 1)];
  return ma === mb && (ta === '?' || tb === '?');
}

export class Program {
  readonly structs = new Map<string, Record<string, TypeRef>>();
  readonly typedefs = new Map<string, TypeRef>();
  /** Typedef names defined differently by two files, and each file's own typedefs. */
  private readonly ambiguousTypedefs = new Set<string>();
  private readonly typedefsIn = new Map<string, Map<string, TypeRef>>();
  /** Non-static globals by name; file statics are in `statics`. */
  readonly globals = new Map<string, TypeRef>();
  readonly statics = new Map<string, Map<string, TypeRef>>();
  private staticTypes?: Map<string, TypeRef>;
  /** A .c file -> the file that `#include`s it (sched_fair.c -> sched.c). */
  private readonly includedBy = new Map<string, string>();
  /** `DEFINE_*` locks: non-static by name, static per file. */
  readonly lockDefs = new Map<string, string>();
  readonly staticLockDefs = new Map<string, Map<string, string>>();
  readonly prototypes = new Map<string, PrototypeIR[]>();
  readonly functions: FunctionEntry[] = [];
  /** Notes on choices made while resolving (twins under #ifdef), for the report's skipped list. */
  readonly notes: { file: string; line: number; reason: string }[] = [];
  private readonly byName = new Map<string, FunctionEntry[]>();
  /** The kernel configuration (a user's .config, the tree's Kconfig symbols), when the front end read one. */
  private readonly config: KernelConfig | undefined;
  private readonly stores: PointerStore[] = [];
  private storesByMember?: Map<string, Set<string>>;
  /** storesByMember's keys by what comes before their last dot (`timer_list` for `timer_list.function`). */
  private memberKeysByTag?: Map<string, string[]>;
  /** The stores made in each function's own body, by its name (returnedPointers). */
  private storesIn?: Map<string, PointerStore[]>;
  private storeKeysByName?: Map<string, string[]>;
  /** The file each store was written in (a static stored there is that file's function). */
  private readonly storeFiles = new WeakMap<PointerStore, string>();
  /** Key -> name -> the files storing it, for names several files define (two files' static `_complete`). */
  private storedFrom?: Map<string, Map<string, Set<string>>>;
  /** `member\0function` -> the files storing that function into a member of that name. */
  private storeSites?: Map<string, Set<string>>;
  /** member -> the struct tags functions are stored into it on. */
  private tagsByMember?: Map<string, Set<string>>;
  /**
   * `callee#index` -> the functions passed there as arguments (`foo(dev, my_cb)`), each with the
   * files passing it: a static name several files define is each file's own.
   */
  private passedFiles?: Map<string, Map<string, Set<string>>>;
  /** `callee#i` -> the `caller#j` parameters handed on in that position. */
  private forwardedArgs?: Map<string, Set<string>>;
  private storedNames?: Set<string>;
  private exportedNames?: Set<string>;
  private tablesByFunction?: Map<string, Set<string>>;
  private tableNames?: Set<string>;
  private layers?: LayerIndex;
  /** The members some file assigns whole from another object (FileFacts.copiedMembers). */
  private copied?: Set<string>;
  /** Per member name, the containers each function stored there has its holders embedded in ('' for none): storeContainer. */
  private storeContainers?: Map<string, Map<string, Set<string>>>;
  private layerTypesOf?: LayerTypes;
  /** Global -> member -> the one function in it (globalPointers). */
  private globalPointersByName?: Map<string, Map<string, string>>;
  private callSites?: Map<string, { ev: CallEvent; caller: FunctionEntry }[]>;
  /** Stores of a variable into a member (`ubi->mtd = mtd`), by member name (refusedKinds). */
  private variableSets?: Map<string, { entry: FunctionEntry; set: SetEvent }[]>;
  private readonly refused = new Map<string, readonly Kind[]>();

  /** file -> name -> what a call from that file reaches (null: nothing). */
  private readonly resolved = new Map<string, Map<string, FunctionEntry | null>>();
  /** Struct tags that have a member of this name. */
  private membersIndex?: Map<string, string[]>;
  private mmapMember?: 'mmap_lock' | 'mmap_sem';
  private localStores?: Map<string, Map<string, string>>;
  private embeddedInits?: EmbeddedInits;
  private constructed?: ReadonlyMap<string, ReadonlyMap<string, string>>;

  /** Debug switches something defines: a file of the program (`#define DEBUG`) or the build (`-DDEBUG`). */
  private readonly debugDefined: ReadonlySet<string>;
  /** Per Makefile directory, the debug switches it passes (AnalysisOptions.debugDefines); undefined when the front end did not say. */
  private readonly debugDirs?: readonly { dir: string; names: readonly string[] }[];
  /** Per file, the debug switches it `#define`s. */
  private readonly debugDefinesOf = new Map<string, ReadonlySet<string>>();
  /** Per file, the headers it includes by quoted path (FileFacts.includesH): what one unit's preprocessor sees. */
  private readonly quotedHeaders = new Map<string, readonly string[]>();
  /** Per directory whose Makefile chooses features: the macros it passes in every build. */
  private readonly directoryDefines: readonly DirectoryDefines[];
  /** Every macro a file of the program `#define`s or the build passes. */
  private readonly definedAnywhere: ReadonlySet<string>;
  /** Macros a file of the program `#define`s. */
  private readonly fileDefined: ReadonlySet<string>;
  /** Macros a Makefile passes (`-DFOO`, `-DFOO=1`), in any build. */
  private readonly buildDefined: ReadonlySet<string>;
  /** Macros whose only `#define` in the program is commented out (`/* #define UART_LOOP *\/`). */
  private readonly commentedOut: ReadonlySet<string>;
  /** Macros nothing in the kernel tree names (AnalysisOptions.undefinedInTree). */
  private readonly undefinedInTree: ReadonlySet<string>;
  /** Per file, the macros it `#undef`s and never `#define`s, and the line of the first `#undef` (FileFacts.undefs). */
  private readonly undefs: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Per .c file, the macros it `#define`s outside every conditional (FileFacts.definedAt). */
  private readonly definedAt: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Per file that defines macros outside every conditional, its named constants (FileFacts.namedConstants). */
  private readonly constantsOf: ReadonlyMap<string, Readonly<Record<string, number | null>>>;

  /** Enumerators and integer macros any file declares: two declarations of one name with different values leave its value unknown. */
  private readonly namedConstants = new Map<string, number | null>();
  /**
   * The program's constant names beyond the upper-case ones: its enumerators and integer macros (not a global of the
   * same name), and `current`, the running task, the same on every step of one path: a lock
   * wrapper's `sb->owner = current` decides a later `sb->owner != current` of the same task.
   */
  readonly constants: ConstantNames = { value: (name) => (this.globals.has(name) && !this.constGlobals.has(name) ? undefined : name === 'current' ? null : this.namedConstants.get(name)) };
  /** File-scope `const` integers (FileFacts.constGlobals): an `extern uint x;` elsewhere does not make them variables. */
  private readonly constGlobals = new Set<string>();

  /** The program's files, a struct two `.c` units define renamed per unit (unit-local-structs.ts). */
  readonly files: readonly FileFacts[];

  /**
   * `buildDefines`: the macros the build passes (`ccflags-y := -DDEBUG`), when the Makefiles are
   * known (any, for debug switches); `directoryDefines`: the directories whose Makefiles choose
   * features, with the macros each passes in every build; `outsideStores`: what files outside
   * the program store of its objects (AnalysisOptions.outsideStores).
   */
  constructor(given: readonly FileFacts[], buildDefines: readonly string[] = [], directoryDefines: readonly DirectoryDefines[] = [], outsideStores: readonly PointerStore[] = [], config?: KernelConfig, undefinedInTree: readonly string[] = [], unmentionedOutside: readonly string[] = [], debugDirs?: readonly { dir: string; names: readonly string[] }[]) {
    this.config = config;
    this.debugDirs = debugDirs;
    this.undefinedInTree = new Set(undefinedInTree);
    this.stores.push(...outsideStores);
    for (const f of given) for (const inc of f.includesC ?? []) if (inc !== f.path && !this.includedBy.has(inc)) this.includedBy.set(inc, f.path);
    const files = (this.files = unitLocalStructs(given, (path) => this.unitOf(path)));
    const defines = files.flatMap((f) => f.defines ?? []);
    this.debugDefined = new Set([...buildDefines, ...defines.filter((n) => DEBUG_SWITCH.test(n))]);
    for (const f of files) {
      const debug = (f.defines ?? []).filter((n) => DEBUG_SWITCH.test(n));
      if (debug.length) this.debugDefinesOf.set(f.path, new Set(debug));
      if (f.includesH) this.quotedHeaders.set(f.path, f.includesH);
    }
    this.definedAnywhere = new Set([...buildDefines, ...defines]);
    this.fileDefined = new Set(defines);
    this.buildDefined = new Set(buildDefines);
    // A CONFIG_ option comes from the build's .config, unless the driver writes its own
    // config header: one that #defines CONFIG_ names itself decides those it comments out.
    const configHeader = (f: FileFacts): boolean => (f.defines ?? []).some((n) => n.startsWith('CONFIG_'));
    this.undefs = new Map(files.flatMap((f) => (f.undefs ? [[f.path, f.undefs] as const] : [])));
    this.definedAt = new Map(files.flatMap((f) => (f.definedAt ? [[f.path, f.definedAt] as const] : [])));
    this.constantsOf = new Map(files.flatMap((f) => (f.definedAt && f.namedConstants ? [[f.path, f.namedConstants] as const] : [])));
    this.commentedOut = new Set(files.flatMap((f) => (f.commentedDefines ?? []).filter((n) => !n.startsWith('CONFIG_') || configHeader(f))).filter((n) => !this.definedAnywhere.has(n)));
    this.directoryDefines = directoryDefines;
    const notBuilt = new Map<string, { file: string; line: number; off: string; names: string[] }>();
    for (const f of files) {
      for (const s of f.structs) {
        const known = this.structs.get(s.tag);
        // A forward use may have registered an empty body first; the fuller layout wins.
        if (!known || Object.keys(known).length < Object.keys(s.fields).length) this.structs.set(s.tag, s.fields);
      }
      for (const [k, v] of Object.entries(f.typedefs)) {
        const known = this.typedefs.get(k);
        if (!known) this.typedefs.set(k, v);
        else if (known.k !== v.k || known.name !== v.name) this.ambiguousTypedefs.add(k);
      }
      for (const n of f.constGlobals ?? []) this.constGlobals.add(n);
      for (const [k, v] of Object.entries(f.namedConstants ?? {})) {
        const known = this.namedConstants.get(k);
        this.namedConstants.set(k, known === undefined || known === v ? v : null);
      }
      for (const [k, v] of Object.entries(f.globals) as [string, GlobalIR][]) {
        if (v.isStatic) this.mapOf(this.statics, this.unitOf(f.path)).set(k, v.type);
        else if (!this.globals.has(k)) this.globals.set(k, v.type);
      }
      for (const [k, v] of Object.entries(f.lockDefs)) {
        // `#ifdef USE_SEM struct semaphore x; #else DEFINE_SPINLOCK(x); #endif`: the branch no build compiles defines nothing.
        if (v.config?.some((c) => this.configOff(c, f.path, v.line ?? 0))) continue;
        if (v.isStatic) this.mapOf(this.staticLockDefs, this.unitOf(f.path)).set(k, v.kind);
        else this.lockDefs.set(k, v.kind);
      }
      for (const p of f.prototypes) {
        const list = this.prototypes.get(p.name);
        if (list) list.push(p);
        else this.prototypes.set(p.name, [p]);
      }
      this.stores.push(...f.pointerStores);
      for (const st of f.pointerStores) this.storeFiles.set(st, f.path);
      for (const fn of f.functions) {
        const off = fn.config?.find((c) => this.configOff(c, f.path, fn.line));
        if (off) {
          const k = `${f.path}\0${off}`;
          const known = notBuilt.get(k);
          if (known) known.names.push(fn.name);
          else notBuilt.set(k, { file: f.path, line: fn.line, off, names: [fn.name] });
          continue;
        }
        const entry = { id: this.functions.length, file: f.path, fn };
        this.functions.push(entry);
        const list = this.byName.get(fn.name);
        if (list) list.push(entry);
        else this.byName.set(fn.name, [entry]);
      }
    }
    // One note per file and configuration: a driver can have dozens of functions under one.
    for (const { file, line, off, names } of notBuilt.values()) {
      const under = off.startsWith('!') ? `#ifndef ${off.slice(1)}` : `#ifdef ${off}`;
      const what = names.length === 1 ? `${names[0]}() is` : `${names.length} functions (${names[0]}() first) are`;
      this.notes.push({ file, line, reason: `${what} not analyzed: under ${under}, which no build compiles` });
    }
    // A variable no build writes keeps its initial value: a constant, as a `const` one is.
    const unwritten = unwrittenGlobals(files, {
      bodies: this.functions.map((e) => ({ file: e.file, line: e.fn.line, body: e.fn.body, locals: e.fn.vars })),
      value: (n) => {
        const v = this.namedConstants.get(n);
        return typeof v === 'number' ? v : undefined;
      },
      decided: (key, file, line) => this.configHolds(key, file, line),
      unmentionedOutside: new Set(unmentionedOutside),
    });
    for (const [name, value] of unwritten) {
      this.constGlobals.add(name);
      this.namedConstants.set(name, value);
    }
    this.indexAmbiguousTypedefs(files);
    this.learnMemberTypes();
    // `req(dev, NS(conn, C_WF), CS_VERBOSE)` for a four-parameter req: NS stands for two (macro-arguments.ts).
    for (const e of this.functions) {
      for (const ev of callEventsOf(e.fn.body)) {
        const callee = ev.indirect || !hasMacroArgument(ev) ? undefined : this.resolveCallee(ev.callee, e.file);
        if (callee && callee.fn.params.length > ev.args.length) alignMacroArguments(ev, callee.fn.params.length);
      }
      // `__SLEEP_COND(q, c, LOCK(l), UNLOCK(l))`: the calls it runs as statements run in it (command-arguments.ts).
      // A catalogue wait's commands are the catalogue's, as its effect is (the program's own
      // copy of the macro, md.h's wait_event_lock_irq, is not what the analysis applies).
      runCommandArguments(e.fn.body, (ev) => {
        if (ev.indirect) return undefined;
        const wait = WAIT_COMMANDS.get(ev.callee);
        const params = wait ? undefined : this.resolveCallee(ev.callee, e.file)?.fn.commandParams;
        return wait ?? (params ? { commands: params } : undefined);
      });
    }
    for (const [tag, members] of Object.entries(KERNEL_MEMBERS)) {
      const layout = this.structs.get(tag);
      const missing = Object.entries(members).filter(([m]) => !layout?.[m]);
      if (missing.length) this.structs.set(tag, { ...layout, ...Object.fromEntries(missing) });
    }
  }

  /**
   * Whether `#ifdef NAME` is off in every build lockscope speaks for: NAME is a debug switch
   * (`DEBUG_MSGING`) that no file of the program and no Makefile defines. Code under it is a
   * developer's tracing, not what a kernel with lockdep runs. A `.c` file sees only its own
   * unit's `#define`s (itself, the file that includes it, their quoted headers) and the
   * Makefiles of its directory and those above: another driver's `#define DEBUG` is not its own.
   * A header may be in any unit, so for one every definition in the program counts.
   */
  debugSwitchOff(name: string, file: string): boolean {
    if (!DEBUG_SWITCH.test(name)) return false;
    if (!this.debugDefined.has(name)) return true;
    if (!file.endsWith('.c')) return false;
    const byBuild = this.debugDirs ? this.debugDirs.some((d) => file.startsWith(d.dir) && d.names.includes(name)) : this.buildDefined.has(name);
    if (byBuild) return false;
    for (const f of seenNearestFirst([this.unitOf(file), file], (path) => this.quotedHeaders.get(path), 4)) if (this.debugDefinesOf.get(f)?.has(name)) return false;
    return true;
  }

  /**
   * Whether the builds lockscope speaks for define macro NAME, as `#ifdef NAME` in `file` asks:
   * yes when the Makefile of the file's directory (or one above) passes it in every build
   * (`-DDHDTHREAD`); no for a debug switch nothing defines, for a switch whose only `#define` is
   * commented out, and for a feature macro under such a Makefile when no Makefile and no file
   * defines it (`#ifdef PROP_TXSTATUS`), and below a line `line` of a file that `#undef`s it and
   * does not `#define` it. Else not known.
   * Kconfig options (`CONFIG_*`) are decided only by the kernel configuration (c/kernel-config.ts); the compiler's and kbuild's own names never.
   */
  macroDefined(name: string, file: string, line?: number): boolean | undefined {
    if (!/^\w+$/.test(name)) return undefined;
    // `#undef USE_ENGINE` above, and no `#define` of it in the file: off here, whatever else defines it.
    const undef = this.undefs.get(file)?.[name];
    if (undef !== undefined && line !== undefined && undef < line) return false;
    // `#define MSOS_MUTEX_USE_SEM` at the top of this very file, under no conditional: on below it.
    const at = this.definedAt.get(file)?.[name];
    if (at !== undefined && line !== undefined && at < line) return true;
    const dirs = this.buildDirectoriesOf(file);
    if (dirs.some((d) => d.always.includes(name) || d.objects?.[file.slice(d.dir.length)]?.includes(name))) return true;
    if (dirs.some((d) => d.never?.includes(name)) && !this.fileDefined.has(name)) return false;
    if (this.debugSwitchOff(name, file)) return false;
    // A switch its author left commented out (`/* #define UART_LOOP */`) and nothing else defines.
    if (this.commentedOut.has(name)) return false;
    // Passed only by Makefiles that do not build this file (a vendor's standalone Makefile
    // beside the kbuild one): kbuild compiles a file with its own directory's and its parents' flags.
    if (dirs.length > 0 && this.buildDefined.has(name) && !this.fileDefined.has(name) && !DEBUG_SWITCH.test(name) && !name.startsWith('CONFIG_') && !dirs.some((d) => d.passed?.includes(name))) return false;
    // The .config's value, and an option no Kconfig of the tree declares (`CONFIG_SDIO_HCI` a
    // driver's Makefile only sets as a make variable) is never set by kbuild; `CONFIG_FOO_MODULE`
    // is FOO's. A driver's own config header that #defines the name decides instead.
    if (this.config && !this.definedAnywhere.has(name)) {
      const configured = configMacroDefined(this.config, name);
      if (configured !== undefined) return configured;
    }
    // lockdep's own build, unless the user's configuration said otherwise above: lock classes
    // exist only there (a lock init wrapper is a macro, one class per call site), and lockscope
    // speaks for lockdep.
    if (LOCKDEP_BUILD.has(name)) return true;
    if (OTHER_OS.test(name) && !this.definedAnywhere.has(name)) return false;
    // No file, Makefile or Kconfig of the kernel tree names it: no build defines it.
    if (this.undefinedInTree.has(name) && !this.definedAnywhere.has(name)) return false;
    if (name.startsWith('CONFIG_') || name.startsWith('_') || KBUILD_DEFINES.has(name) || this.definedAnywhere.has(name)) return undefined;
    return dirs.length > 0 ? false : undefined;
  }

  /**
   * The directories whose Makefiles pass their flags to `file`: its own directory chain's; for a
   * `.c` file another includes (`#include "../wlags49_h2/wl_main.c"`), the including unit's; for
   * a header outside them, the units' that include it by quoted path, when they all agree.
   */
  private buildDirectoriesOf(file: string): readonly DirectoryDefines[] {
    const at = (f: string): DirectoryDefines[] => this.directoryDefines.filter((d) => f.startsWith(d.dir));
    const own = at(file);
    if (own.length || this.directoryDefines.length === 0) return own;
    const unit = this.unitOf(file);
    if (unit !== file) return at(unit);
    if (!file.endsWith('.h')) return own;
    if (!this.headerIncluders) {
      this.headerIncluders = new Map();
      for (const [f, headers] of this.quotedHeaders) for (const h of headers) (this.headerIncluders.get(h) ?? this.headerIncluders.set(h, []).get(h))?.push(f);
    }
    const seen = (this.headerIncluders.get(file) ?? []).map((f) => at(this.unitOf(f)));
    const first = seen[0];
    return first?.length && seen.every((x) => x.length === first.length && x.every((d, i) => d === first[i])) ? first : own;
  }

  private headerIncluders?: Map<string, string[]>;

  /**
   * What `#if NAME` sees: 0 for a macro no build defines (macroDefined), else the integer a
   * file of the program `#define`s it to (`#define QNX_DEBUGGING 0`), when every definition
   * agrees and no Makefile passes its own (`-DNAME=1`); else undefined.
   */
  macroValue(name: string, file: string, line?: number): number | undefined {
    const defined = this.macroDefined(name, file, line);
    if (defined === false) return 0;
    // `#if CONFIG_NR_CPUS > 1`-style values come from the .config.
    if (defined && name.startsWith('CONFIG_') && this.config && !this.definedAnywhere.has(name)) return configMacroValue(this.config, name);
    // Defined, by a file (`#define TX_TEST 0` at its top): the value that file gives it.
    if (!this.definedAnywhere.has(name) || this.buildDefined.has(name)) return undefined;
    // This very file's `#define BIN_DL 0` above the line, under no conditional: what its
    // preprocessor sees, whatever another file defines the name to.
    const at = this.definedAt.get(file)?.[name];
    const own = at !== undefined && line !== undefined && at < line ? this.constantsOf.get(file)?.[name] : undefined;
    if (typeof own === 'number') return own;
    const value = this.namedConstants.get(name);
    return typeof value === 'number' ? value : undefined;
  }

  /**
   * What the build makes of a preprocessor atom: `#NAME` (`#ifdef NAME`) 1 or 0 by
   * macroDefined, `#if EXPR` the expression's value by ifValue; undefined when not known.
   */
  configValue(key: string, file: string, line?: number): number | undefined {
    if (key.startsWith('#if ')) return this.ifValue(key.slice(4), file, line);
    if (!/^#\w+$/.test(key)) return undefined;
    const defined = this.macroDefined(key.slice(1), file, line);
    return defined === undefined ? undefined : defined ? 1 : 0;
  }

  /** Whether the build takes the branch of a `#NAME` / `#if X` atom (configValue as a truth); undefined when not known. */
  configHolds(key: string, file: string, line?: number): boolean | undefined {
    const v = this.configValue(key, file, line);
    return v === undefined ? undefined : v !== 0;
  }

  /**
   * What `#if EXPR` sees: one macro's value (macroValue), or an expression over what the build
   * decides (`defined(A) && !IS_ENABLED(B)`, c/preproc-expr.ts); undefined where it depends on
   * what nothing says. In an expression a name the program does not define is unknown, not 0:
   * a kernel header outside the program may define it (`WIRELESS_EXT`, `BITS_PER_LONG`), unless
   * it is a `CONFIG_` option the configuration decides.
   */
  ifValue(expression: string, file: string, line?: number): number | undefined {
    if (/^\w+$/.test(expression)) return this.macroValue(expression, file, line);
    return evalPreprocCondition(expression, {
      defined: (n) => this.macroDefined(n, file, line),
      value: (n) => (this.undefinedInTree.has(n) && !this.definedAnywhere.has(n) ? 0 : !n.startsWith('CONFIG_') && this.macroDefined(n, file, line) === false ? undefined : this.macroValue(n, file, line)),
    });
  }

  /** The macros some Makefile passes only in the conditional that also builds certain objects (`ifneq ($(CONFIG_CFG80211),)`). */
  objectMacroNames(): ReadonlySet<string> {
    if (!this.objectMacros) this.objectMacros = new Set(this.directoryDefines.flatMap((d) => Object.values(d.objects ?? {}).flat()));
    return this.objectMacros;
  }

  private objectMacros?: ReadonlySet<string>;

  /**
   * What the program says of builds beyond `#ifdef`s (order/one-build.ts `BuildRules`): the units
   * a file's unit never links with (exclusiveUnits), the macros each file's object gets from the
   * Makefile conditional that names it, and pairs of macros passed only in blocks no build enters
   * both of (context/kbuild.ts). Each left out when nothing says it.
   */
  buildRules(): {
    exclusiveOf?: (file: string) => { unit: string; excludes: ReadonlySet<string> } | undefined;
    objectMacros?: (file: string) => readonly string[] | undefined;
    apart?: (a: string, b: string) => boolean;
  } {
    const exclusive = this.exclusiveUnits();
    const pairs = new Set(this.directoryDefines.flatMap((d) => (d.exclusive ?? []).map(([a, b]) => `${a}\u0000${b}`)));
    const withObjects = this.directoryDefines.filter((d) => d.objects);
    const exclusiveOf = (file: string): { unit: string; excludes: ReadonlySet<string> } | undefined => {
      const unit = this.unitOf(file);
      const excludes = exclusive.get(unit);
      return excludes ? { unit, excludes } : undefined;
    };
    return {
      ...(exclusive.size ? { exclusiveOf } : {}),
      ...(withObjects.length ? { objectMacros: (file: string) => withObjects.flatMap((d) => (file.startsWith(d.dir) ? (d.objects?.[file.slice(d.dir.length)] ?? []) : [])) } : {}),
      ...(pairs.size ? { apart: (a: string, b: string) => pairs.has(a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`) } : {}),
    };
  }

  /** A configuration a definition sits under (`X`, `!X`) that no build compiles. */
  private configOff(config: string, file: string, line: number): boolean {
    const negated = config.startsWith('!');
    const name = negated ? config.slice(1) : config;
    // `#if FEATURE` with `#define FEATURE (0)` above it (lower.ts keys `#if` conditions so).
    if (name.startsWith('#if ')) {
      const value = this.ifValue(name.slice(4), file, line);
      return value !== undefined && (value !== 0) === negated;
    }
    if (!/^\w+$/.test(name)) return false;
    const defined = this.macroDefined(name, file, line);
    return defined !== undefined && defined === negated;
  }

  /**
   * The mm_struct member that is its mmap lock in this tree: `mmap_lock` from Linux 5.8 on,
   * `mmap_sem` before. The layout says, else the API the code calls (`mmap_read_lock()` is 5.8's).
   */
  mmapLockMember(): 'mmap_lock' | 'mmap_sem' {
    if (this.mmapMember) return this.mmapMember;
    const layout = this.structs.get('mm_struct');
    if (layout?.mmap_lock) return (this.mmapMember = 'mmap_lock');
    if (layout?.mmap_sem) return (this.mmapMember = 'mmap_sem');
    const modern = this.functions.some((e) => callEventsOf(e.fn.body).some((ev) => /^mmap_(read|write)_(lock|unlock|trylock)/.test(ev.callee)));
    return (this.mmapMember = modern ? 'mmap_lock' : 'mmap_sem');
  }

  /**
   * Layouts the snapshot lacks (a header outside it), completed from assignments that tell a
   * member's type: `struct sighand_struct *sh = tsk->sighand;` in a function where `tsk` is a
   * `struct task_struct *` adds `sighand: struct sighand_struct` to task_struct. Declared layouts win.
   */
  private learnMemberTypes(): void {
    const fnByName = new Map(this.functions.map((e) => [e.fn.name, e]));
    for (const f of this.files) {
      for (const m of f.memberTypes) {
        const owner = fnByName.get(m.in);
        if (!owner) continue;
        const field = m.path.fields[m.path.fields.length - 1] as string;
        const tag = this.structOfPath({ ...m.path, fields: m.path.fields.slice(0, -1) }, owner.fn, f.path);
        if (!tag) continue;
        const layout = this.structs.get(tag) ?? {};
        if (layout[field]) continue;
        this.structs.set(tag, { ...layout, [field]: m.type });
      }
    }
  }

  private mapOf<V>(m: Map<string, Map<string, V>>, file: string): Map<string, V> {
    let inner = m.get(file);
    if (!inner) m.set(file, (inner = new Map()));
    return inner;
  }

  /** Whether any file of the program defines `name` (a function or a function-like macro). */
  hasFunction(name: string): boolean {
    return this.byName.has(name);
  }

  /** The body a call to `name` from `file` reaches, or undefined (no body in the program). */

  resolveCallee(name: string, file: string): FunctionEntry | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    let byFile = this.resolved.get(file);
    if (!byFile) this.resolved.set(file, (byFile = new Map()));
    const hit = byFile.get(name);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.pick(list, file) ?? null;
    byFile.set(name, found);
    return found ?? undefined;

  }

  /**
   * The kernel module a file is linked into: the composite object its directory's Makefile lists
   * it in (`dir/ath9k_htc.o`, context/kbuild.ts compositeModules), else its directory (`dir/`).
   * Each is a driver of its own to module context (c/module-context.ts).
   */
  moduleOf(file: string): string {
    return this.modules?.[this.unitOf(file)] ?? file.slice(0, file.lastIndexOf('/') + 1);
  }

  /** The composite modules of the program's directories (AnalysisOptions.modules). */
  useModules(modules: Readonly<Record<string, string>> | undefined): void {
    this.modules = modules && Object.keys(modules).length ? modules : undefined;
  }

  private modules?: Readonly<Record<string, string>>;

  /**
   * The translation unit a file is compiled in: itself, or the file that `#include`s it (up
   * the chain). Statics are visible across a unit; a static lock is one class per unit.
   */
  unitOf(file: string): string {
    let unit = file;
    for (let i = 0; i < 8; i++) {
      const up = this.includedBy.get(unit);
      if (!up || up === file) break;
      unit = up;
    }
    return unit;
  }

  /**
   * Translation units never linked into one build: two `.c` units in one directory that both
   * define a non-static function of one name (`bus_txdata()` in an SDIO and in a PCIe back end)
   * would not link together, so they are alternatives, as arch directories are; and so are two
   * units anywhere that both export one (`EXPORT_SYMBOL(voc_start)` in a driver and in its
   * second version beside it): the kernel refuses the second export; and two units anywhere
   * that define several (SHARED_GLOBALS) non-static functions of the same names, a driver's two
   * versions side by side. Per unit, the units it excludes.
   */
  private exclusiveUnits(): ReadonlyMap<string, ReadonlySet<string>> {
    const out = new Map<string, Set<string>>();
    const exclude = (a: string, b: string): void => {
      (out.get(a) ?? out.set(a, new Set()).get(a))?.add(b);
      (out.get(b) ?? out.set(b, new Set()).get(b))?.add(a);
    };
    const shared = new Map<string, number>();
    const exportsOf = new Map<string, Set<string>>();
    for (const f of this.files) {
      if (!f.exports) continue;
      const unit = this.unitOf(f.path);
      let names = exportsOf.get(unit);
      if (!names) exportsOf.set(unit, (names = new Set()));
      for (const n of f.exports) names.add(n);
    }
    for (const [name, list] of this.byName) {
      if (list.length < 2) continue;
      const byDir = new Map<string, Set<string>>();
      const definers = new Set<string>();
      for (const e of list) {
        // A definition under `#ifndef X` (a stub for builds without the other unit) is kept apart
        // from the other by its condition (order/one-build.ts), not by its unit.
        if (e.fn.isStatic || e.fn.isMacro || !e.file.endsWith('.c') || archOf(e.file) || e.fn.config?.length) continue;
        const unit = this.unitOf(e.file);
        definers.add(unit);
        for (const group of exportsOf.get(unit)?.has(name) ? [dirOf(unit), '\u0000exported'] : [dirOf(unit)]) {
          let units = byDir.get(group);
          if (!units) byDir.set(group, (units = new Set()));
          units.add(unit);
        }
      }
      for (const units of byDir.values()) {
        if (units.size < 2) continue;
        for (const a of units) for (const b of units) if (a < b) exclude(a, b);
      }
      // A name many units define (`init_module` in old-style modules) tells no two of them apart.
      const sorted = definers.size <= MAX_VERSIONS ? [...definers].sort() : [];
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) {
          const pair = `${sorted[i]}\u0000${sorted[j]}`;
          shared.set(pair, (shared.get(pair) ?? 0) + 1);
        }
      }
    }
    for (const [pair, n] of shared) {
      if (n < SHARED_GLOBALS) continue;
      const [a, b] = pair.split('\u0000') as [string, string];
      exclude(a, b);
    }
    return out;
  }

  private pick(list: FunctionEntry[], file: string): FunctionEntry | undefined {
    if (list.length === 1) {
      const only = list[0] as FunctionEntry;
      // A static function, or a macro a .c file defines, is its unit's alone: another unit's
      // call by that name is to a definition elsewhere (a header's, or one outside the program).
      if ((only.fn.isStatic || only.fn.isMacro) && this.unitOf(only.file) !== this.unitOf(file) && !only.file.endsWith('.h')) return undefined;
      const arch = archOf(only.file);
      return arch && archOf(file) && archOf(file) !== arch ? undefined : only;
    }
    const unit = this.unitOf(file);
    const sameFile = list.filter((e) => this.unitOf(e.file) === unit);
    if (sameFile.length) return this.twin(sameFile);
    const callerArch = archOf(file);
    // A bus driver's own `#define dbg(..)` is not the one its core's files use under that name (their header's).
    const visible = list.filter((e) => (!(e.fn.isStatic || e.fn.isMacro) || e.file.endsWith('.h')) && (callerArch ? !archOf(e.file) || archOf(e.file) === callerArch : true));
    const dir = dirOf(file);
    const sameDir = visible.filter((e) => dirOf(e.file) === dir);
    if (sameDir.length) return this.twin(sameDir);
    const real = visible.filter((e) => !e.fn.isMacro);
    const pool = real.length ? real : visible;
    const generic = pool.filter((e) => !archOf(e.file));
    if (generic.length === 1) return generic[0];
    if (generic.length === 0 && pool.length === 1) return pool[0];
    // Definitions in several places (arch alternatives, same name in two drivers): no single
    // body is the one this build links; a header's static inline is included everywhere.
    const headers = generic.filter((e) => e.file.endsWith('.h'));
    return headers.length === 1 ? headers[0] : undefined;
  }

  /** Two definitions in one file: the one under a positive `#ifdef`, noted. */
  private twin(list: FunctionEntry[]): FunctionEntry {
    if (list.length === 1) return list[0] as FunctionEntry;
    const real = list.filter((e) => !e.fn.isMacro);
    const pool = real.length ? real : list;
    const positive = pool.find((e) => (e.fn.config ?? []).every((c) => !c.startsWith('!'))) ?? (pool[0] as FunctionEntry);
    const cfg = (positive.fn.config ?? []).join(' && ');
    this.notes.push({
      file: positive.file,
      line: positive.fn.line,
      reason: `${pool.length} definitions of ${positive.fn.name}() in this file${cfg ? `; the one under ${cfg} is analyzed` : '; the first is analyzed'}`,
    });
    return positive;
  }

  /**
   * Follows typedefs (bounded, typedef cycles exist in broken code). A name two files define
   * differently (`conf_t` in raid1.h and raid10.h) is resolved as `file` sees it: its own
   * definition, else one of the headers it includes; with no file, or none of them, not at all.
   */
  underlying(t: TypeRef, file?: string): TypeRef {
    let cur = t;
    for (let i = 0; i < 8 && cur.k === 'typedef'; i++) {
      const next = this.ambiguousTypedefs.has(cur.name) ? (file ? this.typedefSeenFrom(cur.name, file) : undefined) : this.typedefs.get(cur.name);
      if (!next) break;
      cur = next;
    }
    return cur;
  }

  /** Where each file finds the typedef names two files define differently (ambiguousTypedefs). */
  private indexAmbiguousTypedefs(files: readonly FileFacts[]): void {
    if (this.ambiguousTypedefs.size === 0) return;
    for (const f of files) for (const [k, v] of Object.entries(f.typedefs)) if (this.ambiguousTypedefs.has(k)) this.mapOf(this.typedefsIn, f.path).set(k, v);
  }

  /** An ambiguous typedef as `file` sees it: defined there, or in a header it includes (or those include), nearest first. */
  private typedefSeenFrom(name: string, file: string): TypeRef | undefined {
    for (const f of seenNearestFirst([this.unitOf(file), file], (path) => this.quotedHeaders.get(path), 4)) {
      const t = this.typedefsIn.get(f)?.get(name);
      if (t) return t;
    }
    return undefined;
  }

  /** The declared return type of a function (definition or prototype), if known. */
  returnType(name: string): TypeRef | undefined {
    const list = this.prototypes.get(name);
    if (!list) return undefined;
    for (const p of list) {
      const t = this.underlying(p.returns);
      if (t.k === 'struct' || t.k === 'typedef') return t;
    }
    return undefined;
  }

  /**
   * Values of names the program's own files do not define, from the headers outside it they
   * include (the front end read them: context/header-constants.ts). The program's own win.
   */
  addHeaderConstants(values: Readonly<Record<string, number>>): void {
    for (const [k, v] of Object.entries(values)) if (!this.namedConstants.has(k)) this.namedConstants.set(k, v);
  }

  /**
   * Lock-annotated prototypes from the tree's headers (the front end read them:
   * context/header-constants.ts annotatedHeaderFiles), for functions the program calls but
   * does not define and declares no annotation for. Only annotations on a parameter
   * (`__releases(&f->lock)`) mean something in the caller's terms: a prototype with another
   * (`__acquires(tty_lock)`, `__acquires(RCU)`) is left to the inferred pairs. Functions lockdep
   * does not order (`srcu_read_lock`) stay out.
   */
  addHeaderPrototypes(prototypes: readonly PrototypeIR[]): void {
    const notLocks = new Set(NOT_LOCKS);
    for (const p of prototypes) {
      if (this.byName.has(p.name) || notLocks.has(p.name) || this.prototypes.get(p.name)?.some((q) => q.annotations)) continue;
      const params = new Set(p.params.map((q) => q.name));
      const onParams = p.annotations?.every((a) => params.has(/^&?\(?([A-Za-z_]\w*)/.exec(a.arg.replace(/\s+/g, ''))?.[1] ?? ''));
      if (!onParams) continue;
      const list = this.prototypes.get(p.name);
      if (list) list.push(p);
      else this.prototypes.set(p.name, [p]);
    }
  }

  /** Struct tags that declare a member named `field`. */
  structsWithMember(field: string): readonly string[] {
    if (!this.membersIndex) {
      this.membersIndex = new Map();
      for (const [tag, fields] of this.structs) {
        for (const f of Object.keys(fields)) {
          const list = this.membersIndex.get(f);
          if (list) list.push(tag);
          else this.membersIndex.set(f, [tag]);
        }
      }
    }
    return this.membersIndex.get(field) ?? [];
  }

  /** Whether `name` is a variable of the program's files (a global, or a static of `file`'s unit), not a local. */
  isGlobalVariable(name: string, file: string): boolean {
    return this.globals.has(name) || this.statics.get(this.unitOf(file))?.has(name) === true;
  }

  /** Whether `name` names a variable with a type inside `fn` (local, parameter, static, global): a macro's free name has none. */
  hasVariable(name: string, fn: FunctionIR, file: string): boolean {
    return this.typeOfVariable(name, fn, file) !== undefined;
  }

  /** The type a variable has inside `fn`: local or parameter, then the file's statics, then globals, then the kernel's own. */
  typeOfVariable(name: string, fn: FunctionIR, file: string): TypeRef | undefined {
    return fn.vars[name] ?? this.statics.get(this.unitOf(file))?.get(name) ?? this.globals.get(name) ?? KERNEL_GLOBALS.get(name);
  }


  /**
   * The struct tag an access path points into, walking member types: `d->ops` with `d` a
   * `struct foo *` whose `ops` is `const struct foo_ops *` is `foo_ops`.
   */
  structOfPath(path: AccessPath, fn: FunctionIR, file: string): string | undefined {
    let t: TypeRef | undefined = path.cast ? { k: 'struct', name: path.cast } : path.rootCall ? this.returnType(path.rootCall) : this.typeOfVariable(path.root, fn, file);
    if (!t) return undefined;
    t = this.underlying(t, file);
    for (const f of path.fields) {
      if (t.k !== 'struct' && t.k !== 'typedef') return undefined;
      const next: TypeRef | undefined = this.structs.get(t.name)?.[f];
      if (!next) return undefined;
      t = this.underlying(next, file);
    }
    return t.k === 'struct' || t.k === 'typedef' ? t.name : undefined;
  }

  /**
   * The functions a call through `object->member` may reach: those stored into that member of
   * that struct type; by member name alone when the type is unknown. Returns null when there are
   * more than MAX_POINTER_TARGETS (too many to follow: the call is reported instead).
   */
  pointerTargets(object: AccessPath | null, member: string, fn: FunctionIR, file: string, args?: readonly (AccessPath | null)[], dot?: boolean): { targets: FunctionEntry[]; via: string } | null {
    this.indexStores();
    const stored = this.storesByMember as Map<string, Set<string>>;
    const keys: string[] = [];
    const index = { get: (key: string): Set<string> | undefined => (keys.push(key), stored.get(key)) };
    const names = new Set<string>();
    let byNameOnly = false;
    if (!object) {
      // `fn(data)` through a parameter: the functions callers pass in that position.
      const i = fn.params.findIndex((p) => p.name === member);
      if (i >= 0) for (const n of this.passedAt(fn.name, i)) names.add(n);
    } else {
      // Through a named global object (`cpu_dev.handler(...)`): what is stored into that object's
      // member when anything is; other objects of its type hold other functions.
      if (!(object.root in fn.vars)) for (const n of index.get(`@${[object.root, ...object.fields, member].join('.')}`) ?? []) names.add(n);
      const tag = names.size > 0 ? undefined : this.structOfPath(object, fn, file);
      if (tag) {
        for (const n of index.get(`${tag}.${member}`) ?? []) names.add(n);
        this.keepTablesOf(names, object, `${tag}.${member}`, fn, file);
      }
      // By member name alone only when one struct type is known to have such a member: a
      // `->callback` of an unknown type is not every function ever stored in a `callback`. A
      // call whose object's type is known takes only stores whose type is not: a function
      // stored into another struct's `reset` is not this struct's `reset`.
      if (names.size === 0 && (this.tagsByMember?.get(member)?.size ?? 0) <= 1) {
        for (const n of index.get(`${tag ? '?' : '*'}.${member}`) ?? []) names.add(n);
        byNameOnly = names.size > 0;
      }
      this.keepEmbeddedIn(names, object, member, fn, file, dot === true);
    }
    let targets: FunctionEntry[] = [];
    for (const n of [...names].sort()) {
      // A name several files define: the function of each file that stored it there.
      const files = new Set(keys.flatMap((k) => [...(this.storedFrom?.get(k)?.get(n) ?? [])]));
      for (const e of files.size ? [...files].map((f) => this.storedFunction(n, f)) : [this.storedFunction(n, file)]) if (e && !targets.includes(e)) targets.push(e);
    }
    // A function taking a `struct early_suspend *` is no target of a call handing it a
    // `struct rmi_function_container *`: found by member name alone, it was another struct's,
    // even when it is the only candidate. Stores into this struct's own member are its targets:
    // there the types only choose among them, and a mismatch of all is our type knowledge's fault.
    if (args?.length && (targets.length > 1 || byNameOnly)) {
      const typed = targets.filter((t) => args.every((a, i) => this.argumentFits(a, fn, file, t, i)));
      if (typed.length || byNameOnly) targets = typed;
    }
    if (object && object.fields.length > 0 && targets.length > 0) {
      const refused = this.refusedKinds(object, fn, file);
      if (refused.length) targets = targets.filter((t) => !this.storedOnlyBeside(t, member, refused));
    }
    if (targets.length > MAX_POINTER_TARGETS) return null;
    return { targets, via: `${object ? `${object.text}->` : ''}${member}` };
  }

  /**
   * The kinds the pointer member `object` ends in (`ubi->mtd`) never holds: each store of the
   * program into that member of that struct is of a variable whose kind was tested and turned
   * away before it (kind-tags.ts). None when any store is of something else.
   */
  private refusedKinds(object: AccessPath, fn: FunctionIR, file: string): readonly Kind[] {
    const member = object.fields[object.fields.length - 1] as string;
    const holder = this.structOfPath({ ...object, fields: object.fields.slice(0, -1) }, fn, file);
    if (!holder) return [];
    const key = `${holder}.${member}`;
    const hit = this.refused.get(key);
    if (hit) return hit;
    if (!this.variableSets) {
      this.variableSets = new Map();
      for (const entry of this.functions) {
        opsOfBody(entry.fn.body, (o) => {
          if (o.k !== 'set') return;
          const m = memberWritten(o.target)?.member;
          if (!m) return;
          const list = this.variableSets?.get(m) ?? [];
          list.push({ entry, set: o });
          this.variableSets?.set(m, list);
        });
      }
    }
    let out: Kind[] | undefined;
    for (const { entry, set } of this.variableSets.get(member) ?? []) {
      const fields = set.target.split(/->|\./);
      const root = fields.shift() as string;
      if (!/^\w+$/.test(root) || fields.some((f) => !/^\w+$/.test(f))) continue;
      // `ubi->mtd = NULL`: no object, no kind.
      if (set.value === Z && set.from === undefined) continue;
      if (this.structOfPath({ root, fields: fields.slice(0, -1), text: set.target }, entry.fn, entry.file) !== holder) continue;
      const kinds = refusedBefore(entry.fn.body, set);
      out = (out ?? kinds).filter((k) => kinds.some((o) => o.member === k.member && o.value === k.value));
      if (!out.length) break;
    }
    this.refused.set(key, out ?? []);
    return out ?? [];
  }

  /** Whether every store of `target` into a member called `member` sets, beside it, a kind in `refused`. */
  private storedOnlyBeside(target: FunctionEntry, member: string, refused: readonly Kind[]): boolean {
    let sites = 0;
    for (const s of this.stores) {
      if (s.fn !== target.fn.name) continue;
      if (!('path' in s)) {
        if (s.fields[s.fields.length - 1] === member) return false;
        continue;
      }
      if (s.path.fields[s.path.fields.length - 1] !== member) continue;
      const owner = this.byName.get(s.in)?.find((e) => e.file === this.storeFiles.get(s));
      if (!owner) return false;
      const kinds = kindsBeside(s.path, owner.fn);
      const turnedAway = refused.some((k) => {
        const values = kinds.get(k.member);
        return values !== undefined && [...values].every((v) => refused.some((r) => r.member === k.member && r.value === v));
      });
      if (!turnedAway) return false;
      sites++;
    }
    return sites > 0;
  }

  /**
   * Of the functions stored into `key` (`gen_ops.init`), those a call through `object` may
   * reach when the tables it may point to are known (ops-tables.ts): the ones in those tables,
   * and any stored outside a table initialiser (`hw->ops.init = f`).
   */
  private keepTablesOf(names: Set<string>, object: AccessPath, key: string, fn: FunctionIR, file: string): void {
    if (names.size < 2) return;
    const types = (this.layerTypesOf ??= this.layerTypes());
    this.layers ??= indexLayers(this.stores, types);
    const tables = tablesOfObject(this.layers, object, fn, file, types);
    if (!tables) return;
    const index = this.storesByMember as Map<string, Set<string>>;
    const member = key.slice(key.lastIndexOf('.') + 1);
    const tabled = index.get(`#${key}`);
    const kept = [...names].filter((n) => !tabled?.has(n) || [...tables].some((t) => index.get(`@${t}.${member}`)?.has(n)));
    if (kept.length === 0 || kept.length === names.size) return;
    names.clear();
    for (const n of kept) names.add(n);
  }

  /**
   * Of the functions stored into member `member`, those a call through a holder embedded in a
   * container (`l2->ch.send(..)`, a channel inside a `struct layer2`) may reach: stored into a
   * holder of that container, or of none (through a pointer, which may point into any). One
   * stored only into the channel of another struct (`mgr->ch.send = mgr_send`, a `struct
   * manager`'s) is another object's function. A member some file assigns whole (`ep->cb =
   * req->cb`) carries the functions of another container's: through it, every store counts. A
   * call through a pointer keeps them all: a pointer reaches an embedded holder by `&x.m`, by
   * container_of() on one of its members, by an array member decaying, and more.
   */
  private keepEmbeddedIn(names: Set<string>, object: AccessPath, member: string, fn: FunctionIR, file: string, dot: boolean): void {
    const stored = names.size ? this.storeContainers?.get(member) : undefined;
    if (!stored) return;
    const container = holderEmbedding(object, dot, fn, file, (this.layerTypesOf ??= this.layerTypes()));
    if (container === undefined) return;
    this.copied ??= new Set(this.files.flatMap((f) => f.copiedMembers ?? []));
    const copied = (c: string): boolean => (this.copied as Set<string>).has(c.slice(c.lastIndexOf('.') + 1));
    // Into a container's member copied whole from another's (`ep->cb = req->cb`): any container's.
    if (copied(container)) return;
    const reaches = (c: string): boolean => c === '' || sameContainer(c, container) || copied(c);
    for (const n of [...names]) {
      const where = stored.get(n);
      if (where && ![...where].some(reaches)) names.delete(n);
    }
  }

  /**
   * The type of a file-scope static of that name in the first unit that has one, from an index
   * built once: asked for every store of the program, a walk of every unit each time was
   * quadratic in the program (a stack sample of the whole-Linux-3.0 analysis found it there).
   */
  private anyStaticType(name: string): TypeRef | undefined {
    if (!this.staticTypes) {
      this.staticTypes = new Map();
      for (const unit of this.statics.values()) for (const [n, t] of unit) if (!this.staticTypes.has(n)) this.staticTypes.set(n, t);
    }
    return this.staticTypes.get(name);
  }

  private layerTypes(): LayerTypes {
    return {
      structOfPath: (path, fn, file) => this.structOfPath(path, fn, file),
      memberType: (tag, field) => {
        const raw = this.structs.get(tag)?.[field];
        return raw && (raw.ptr ? { ...this.underlying(raw), ptr: true } : this.underlying(raw));
      },
      isFunction: (name) => this.byName.has(name),
      objectType: (name) => this.globals.get(name) ?? this.anyStaticType(name),
      functionNamed: (name) => this.byName.get(name)?.[0],
      callsOf: (name) => {
        if (!this.callSites) {
          this.callSites = new Map();
          for (const e of this.functions) {
            for (const ev of callEventsOf(e.fn.body)) {
              if (ev.indirect) continue;
              const list = this.callSites.get(ev.callee);
              if (list) list.push({ ev, caller: e });
              else this.callSites.set(ev.callee, [{ ev, caller: e }]);
            }
          }
        }
        return this.callSites.get(name) ?? [];
      },
    };
  }

  /** Whether argument `a` may be parameter `i` of `target`: not when they are pointers to two different struct types. */
  private argumentFits(a: AccessPath | null, fn: FunctionIR, file: string, target: FunctionEntry, i: number): boolean {
    const param = target.fn.params[i]?.type;
    if (!a || !param?.ptr || a.rootCall) return true;
    const want = this.underlying(param, target.file);
    if (want.k !== 'struct') return true;
    // `data->fc`, `&data->dev`, `fc`: the struct type the argument points to.
    const have = this.structOfPath({ ...a, text: a.text.replace(/^&/, '') }, fn, file);
    return have === undefined || have === want.name;
  }

  /**
   * Whether a lock is initialised through a struct embedded whole in another, by this member
   * chain from the container (`vol_root.anon.umount`): a class of its own (embedded-inits.ts).
   */
  initialisedEmbedded(chain: string): boolean {
    this.embeddedInits ??= embeddedInits(this);
    return this.embeddedInits.chains.has(chain);
  }

  /** Whether some container initialises its own instances of this struct member lock (`frame_list.list_mutex`). */
  embeddedSomewhere(c: string): boolean {
    this.embeddedInits ??= embeddedInits(this);
    return this.embeddedInits.tails.has(c);
  }

  /** The function an argument names (`release` in `kref_put(&o->ref, release)`), seen from `file`; not a member or a call's result. */
  functionArgument(arg: AccessPath | null | undefined, file: string): FunctionEntry | undefined {
    return arg && arg.fields.length === 0 && !arg.rootCall ? this.resolveCallee(arg.root, file) : undefined;
  }

  /** The function a stored name stands for, seen from `file`: a static of another file too (it was stored there). */
  storedFunction(name: string, file: string): FunctionEntry | undefined {
    return this.resolveCallee(name, file) ?? this.byName.get(name)?.[0];
  }

  /** The functions some call passes to `callee` as argument `index` (a callback parameter). */
  private passedAt(callee: string, index: number): ReadonlySet<string> {
    return new Set(this.passedWithFiles(callee, index).keys());
  }

  /** As passedAt, with the files each name is passed from. */
  private passedWithFiles(callee: string, index: number): ReadonlyMap<string, ReadonlySet<string>> {
    if (!this.passedFiles) {
      const files = new Map<string, Map<string, Set<string>>>();
      const forwarded = new Map<string, Set<string>>();
      const add = (map: Map<string, Set<string>>, k: string, v: string): void => {
        let s = map.get(k);
        if (!s) map.set(k, (s = new Set()));
        s.add(v);
      };
      const visit = (e: FunctionEntry, evs: readonly CallEvent[]): void => {
        for (const ev of evs) {
          if (ev.indirect) continue;
          ev.args.forEach((a, i) => {
            if (!a || a.fields.length > 0 || a.rootCall) return;
            // A parameter handed on (`walk_from(root, down, up, data)`) is what this function's
            // callers pass for it, not a function named like it (`up()`).
            const p = e.fn.params.findIndex((x) => x.name === a.root);
            if (p >= 0) add(forwarded, `${ev.callee}#${i}`, `${e.fn.name}#${p}`);
            else if (!(a.root in e.fn.vars) && this.byName.has(a.root)) {
              const k = `${ev.callee}#${i}`;
              let byName = files.get(k);
              if (!byName) files.set(k, (byName = new Map()));
              add(byName, a.root, e.file);
            }
          });
        }
      };
      for (const e of this.functions) visit(e, callEventsOf(e.fn.body));
      this.passedFiles = files;
      this.forwardedArgs = forwarded;
    }
    const out = new Map<string, Set<string>>();
    const seen = new Set<string>();
    const walk = (k: string, depth: number): void => {
      if (seen.has(k) || depth > 8) return;
      seen.add(k);
      for (const [n, from] of this.passedFiles?.get(k) ?? []) {
        let f = out.get(n);
        if (!f) out.set(n, (f = new Set()));
        for (const file of from) f.add(file);
      }
      for (const f of this.forwardedArgs?.get(k) ?? []) walk(f, depth + 1);
    };
    walk(`${callee}#${index}`, 0);
    return out;
  }

  /** A store of a parameter (`urb->complete = complete_fn` in a fill helper): the functions the helper's callers pass for it, each with the file passing it. */
  private storedParameter(s: PointerStore, fnOf: ReadonlyMap<string, FunctionEntry>): { name: string; file: string }[] | undefined {
    if ('tag' in s || !s.fn) return undefined;
    // The parameter, even where a function of the program has its name (`done` here, a static `done` elsewhere).
    const i = fnOf.get(s.in)?.fn.params.findIndex((p) => p.name === s.fn) ?? -1;
    if (i < 0) return undefined;
    return [...this.passedWithFiles(s.in, i)].flatMap(([name, files]) => [...files].sort().map((file) => ({ name, file })));
  }

  /** The functions callers pass to `callee`'s parameter `index`, directly or through wrappers of their own. */
  passedFor(callee: string, index: number): FunctionEntry[] {
    const out = new Set<FunctionEntry>();
    for (const [name, files] of [...this.passedWithFiles(callee, index)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const file of [...files].sort()) {
        const e = this.storedFunction(name, file);
        if (e) out.add(e);
      }
    }
    return [...out];
  }

  /** Whether some call hands a function over as an argument (`setup_timer(&t, fn, 0)`, `INIT_WORK(&w, fn)`): a callback registered to run later. */
  isPassed(name: string): boolean {
    this.passedAt('', 0);
    for (const byName of (this.passedFiles as Map<string, Map<string, Set<string>>>).values()) if (byName.has(name)) return true;
    return false;
  }

  /** Whether some file of the program exports the function (`EXPORT_SYMBOL(name)`): modules outside may call it. */
  isExported(name: string): boolean {
    this.exportedNames ??= new Set(this.files.flatMap((f) => f.exports ?? []));
    return this.exportedNames.has(name);
  }

  /** Whether a function is stored into some struct member (a callback: its callers are elsewhere). */

  isStored(name: string): boolean {
    this.indexStores();
    if (!this.storedNames) {
      this.storedNames = new Set();
      for (const names of (this.storesByMember as Map<string, Set<string>>).values()) for (const n of names) this.storedNames.add(n);
    }
    return this.storedNames.has(name);
  }

  /**
   * The functions one function stores into the members of its own local object
   * (`struct walk_control wc = { .process_func = f };`, `scan.process_task = f;`), by member:
   * the calls through them in the callees it hands `&wc` to. A member given two functions
   * there is left out (which one a call sees depends on the path).
   */
  localPointers(fn: FunctionIR, variable: string): ReadonlyMap<string, string> | undefined {
    if (!this.localStores) {
      const all = new Map<string, Map<string, string | null>>();
      const note = (key: string, member: string, target: string): void => {
        let m = all.get(key);
        if (!m) all.set(key, (m = new Map()));
        const had = m.get(member);
        m.set(member, had === undefined || had === target ? target : null);
      };
      for (const s of this.stores) {
        if (!this.byName.has(s.fn)) continue;
        if ('tag' in s) {
          if (s.local && s.in && s.fields.length === 1) note(`${s.in}\u0000${s.local}`, s.fields[0] as string, s.fn);
        } else if (s.path.fields.length === 1 && !s.path.rootCall && !s.path.cast) {
          note(`${s.in}\u0000${s.path.root}`, s.path.fields[0] as string, s.fn);
        }
      }
      this.localStores = new Map([...all].map(([k, m]) => [k, new Map([...m].filter((e): e is [string, string] => e[1] !== null))]));
    }
    if (!(variable in fn.vars) || fn.params.some((p) => p.name === variable)) return undefined;
    const found = this.localStores.get(`${fn.name}\u0000${variable}`);
    return found?.size ? found : undefined;
  }

  /**
   * The functions in a global object's pointer members, where one function alone is ever
   * stored into the member (`a_lock.lock = sem_take` at init, or `{ .lock = sem_take }`), by
   * member: what `&a_lock` handed to a callee carries, as a local object's do (localPointers).
   */
  globalPointers(fn: FunctionIR, variable: string): ReadonlyMap<string, string> | undefined {
    if (variable in fn.vars || this.byName.has(variable)) return undefined;
    return this.globalPointerIndex().get(variable);
  }

  /** globalPointers' answer for every global, built once: a hot path asks it at each `&global` handed on. */
  private globalPointerIndex(): ReadonlyMap<string, ReadonlyMap<string, string>> {
    if (this.globalPointersByName) return this.globalPointersByName;
    this.indexStores();
    const byGlobal = new Map<string, Map<string, string>>();
    const members = (global: string): Map<string, string> => {
      let m = byGlobal.get(global);
      if (!m) byGlobal.set(global, (m = new Map()));
      return m;
    };
    // One function alone stored into a direct member (`@a_lock.lock`).
    for (const [key, names] of this.storesByMember as Map<string, Set<string>>) {
      const dot = key.indexOf('.');
      if (!key.startsWith('@') || dot < 0 || key.includes('.', dot + 1) || names.size !== 1) continue;
      members(key.slice(1, dot)).set(key.slice(dot + 1), [...names][0] as string);
    }
    // A global pointer every assignment of fills from one constructor (`ops_lock = lock_create()`).
    for (const [global, made] of this.constructedPointers()) {
      const m = members(global);
      for (const [member, f] of made) if (!m.has(member)) m.set(member, f);
    }
    for (const [global, m] of byGlobal) if (m.size === 0) byGlobal.delete(global);
    return (this.globalPointersByName = byGlobal);
  }

  /**
   * Global pointers assigned only from calls of constructors, with the functions the
   * constructors put into the object they return (`p = kzalloc(..); p->lock = sem_lock; return
   * p;`), member by member, where every such assignment agrees.
   */
  private constructedPointers(): ReadonlyMap<string, ReadonlyMap<string, string>> {
    if (this.constructed) return this.constructed;
    const made = new Map<string, Map<string, string | null>>();
    const spoiled = new Set<string>();
    const merge = (global: string, pointers: ReadonlyMap<string, string> | undefined): void => {
      if (!pointers) {
        spoiled.add(global);
        return;
      }
      let m = made.get(global);
      if (!m) made.set(global, (m = new Map()));
      for (const [k, f] of pointers) m.set(k, m.has(k) && m.get(k) !== f ? null : f);
    };
    for (const e of this.functions) {
      const isGlobal = (name: string): boolean => !(name in e.fn.vars) && (this.globals.has(name) || (this.statics.get(this.unitOf(e.file))?.has(name) ?? false));
      opsOfBody(e.fn.body, (o) => {
        if (o.k === 'set') {
          // `ops_lock = NULL;` at teardown leaves nothing to call through.
          if (o.target === o.root && !o.byCall && isGlobal(o.root) && o.value !== Z) spoiled.add(o.root);
          return;
        }
        if (!o.assignTo || !isGlobal(o.assignTo)) return;
        const callee = o.indirect ? undefined : this.resolveCallee(o.callee, e.file);
        merge(o.assignTo, callee ? this.returnedPointers(callee) : undefined);
      });
    }
    const out = new Map<string, ReadonlyMap<string, string>>();
    for (const [g, m] of made) {
      if (spoiled.has(g)) continue;
      const kept = new Map([...m].filter((x): x is [string, string] => x[1] !== null));
      if (kept.size) out.set(g, kept);
    }
    return (this.constructed = out);
  }

  /** The functions a function stores into the members of the one local it returns (`return p;`), one per member. */
  private returnedPointers(e: FunctionEntry): ReadonlyMap<string, string> | undefined {
    const returned = new Set<string>();
    eachReturn(e.fn.body, (v) => {
      if (v.k === 'var') returned.add(v.name);
    });
    const v = returned.size === 1 ? [...returned][0] : undefined;
    if (!v || !(v in e.fn.vars)) return undefined;
    const out = new Map<string, string | null>();
    if (!this.storesIn) {
      // Once per program: asked for every global assigned from a call, a scan of every store each time is quadratic.
      this.storesIn = new Map();
      for (const s of this.stores) {
        if ('tag' in s) continue;
        let list = this.storesIn.get(s.in);
        if (!list) this.storesIn.set(s.in, (list = []));
        list.push(s);
      }
    }
    for (const s of this.storesIn.get(e.fn.name) ?? []) {
      if ('tag' in s || s.path.root !== v || s.path.fields.length !== 1 || !this.byName.has(s.fn)) continue;
      const m = s.path.fields[0] as string;
      out.set(m, out.has(m) && out.get(m) !== s.fn ? null : s.fn);
    }
    const kept = new Map([...out].filter((x): x is [string, string] => x[1] !== null));
    return kept.size ? kept : undefined;
  }

  /** Whether an argument is one of the program's functions (`dlm_lock(.., my_ast, ..)`), not a local or parameter of `fn` named like one. */
  namesFunction(a: AccessPath | null | undefined, fn: FunctionIR): a is AccessPath {
    return !!a && a.fields.length === 0 && !a.rootCall && !(a.root in fn.vars) && this.hasFunction(a.root);
  }

  /** Initializers that store something other than a function (`{ .lock = &port_lock }`): struct, member, name. */
  initialisedData(): { tag: string; member: string; name: string }[] {
    const out: { tag: string; member: string; name: string }[] = [];
    for (const s of this.stores) if ('tag' in s && s.fields.length === 1 && !this.byName.has(s.fn)) out.push({ tag: s.tag, member: s.fields[0] as string, name: s.fn });
    return out;
  }

  /**
   * Whether the program saves what member `member` of struct `tag` holds into another member
   * (`w->end_io = bio->bi_end_io;`): it interposes on that callback and may run the saved one
   * itself, anywhere (a completion deferred to a worker thread).
   */
  savesMember(tag: string, member: string): boolean {
    if (!this.savedMembers) {
      const saved = new Set<string>();
      for (const s of this.stores) {
        if (!('from' in s) || !s.from || s.from.fields.length === 0) continue;
        // The storing function of the store's own file (a static name several files define).
        const defs = this.byName.get(s.in);
        const owner = defs?.find((e) => e.file === this.storeFiles.get(s)) ?? defs?.[0];
        const of = owner && this.structOfPath({ ...s.from, fields: s.from.fields.slice(0, -1) }, owner.fn, owner.file);
        if (of) saved.add(`${of}.${s.from.fields[s.from.fields.length - 1]}`);
      }
      this.savedMembers = saved;
    }
    return this.savedMembers.has(`${tag}.${member}`);
  }
  private savedMembers: Set<string> | undefined;

  /** The functions stored into these members of struct `tag` (`t.function = fn;` for a timer_list; `'*'`: any member), each with its member. */
  storedInto(tag: string, members: readonly string[] | '*'): { member: string; entry: FunctionEntry }[] {
    this.indexStores();
    const index = this.storesByMember as Map<string, Set<string>>;
    const keys = members === '*' ? (this.memberKeysByTag?.get(tag) ?? []) : members.map((m) => `${tag}.${m}`);
    const out: { member: string; entry: FunctionEntry }[] = [];
    for (const k of keys) {
      for (const n of index.get(k) ?? []) {
        // A static name several files define (`edge_bulk_in_callback` in two drivers): the function
        // of each file that stored it there, not the first of the name.
        const files = this.storedFrom?.get(k)?.get(n);
        const entries = files?.size ? [...files].sort().map((f) => this.storedFunction(n, f)) : [this.byName.get(n)?.[0]];
        for (const entry of new Set(entries)) if (entry) out.push({ member: k.slice(tag.length + 1), entry });
      }
    }
    return out;
  }

  private indexStores(): void {

    if (this.storesByMember) return;
    const index = new Map<string, Set<string>>();
    const tagsByMember = new Map<string, Set<string>>();
    const storedFrom = new Map<string, Map<string, Set<string>>>();
    let from: string | undefined;
    const storeSites = new Map<string, Set<string>>();
    const add = (key: string, fn: string): void => {
      let s = index.get(key);
      if (!s) index.set(key, (s = new Set()));
      s.add(fn);
      if (from !== undefined) {
        const site = `${key.slice(key.lastIndexOf('.') + 1)}\0${fn}`;
        let files = storeSites.get(site);
        if (!files) storeSites.set(site, (files = new Set()));
        files.add(from);
      }
      if (from === undefined || (this.byName.get(fn)?.length ?? 0) < 2) return;
      let byName = storedFrom.get(key);
      if (!byName) storedFrom.set(key, (byName = new Map()));
      let files = byName.get(fn);
      if (!files) byName.set(fn, (files = new Set()));
      files.add(from);
    };
    const fnOf = new Map(this.functions.map((e) => [e.fn.name, e]));
    const tables = new Map<string, Set<string>>();
    const containers = new Map<string, Map<string, Set<string>>>();
    const types = (this.layerTypesOf ??= this.layerTypes());
    // One store of the function `fn`: under its struct's member, its object's path, its table.
    const indexOne = (s: PointerStore, fn: string): void => {
      let tag: string | undefined;
      let member: string | undefined;
      if ('tag' in s) {
        let t = this.underlying({ k: 'typedef', name: s.tag });
        if (t.k === 'typedef') t = { k: 'struct', name: t.name };
        for (const f of s.fields.slice(0, -1)) {
          const next: TypeRef | undefined = this.structs.get(t.name)?.[f];
          if (!next) {
            t = { k: 'other', name: '' };
            break;
          }
          t = this.underlying(next);
        }
        tag = t.k === 'struct' || t.k === 'typedef' ? t.name : undefined;
        member = s.fields[s.fields.length - 1];
        if (s.variable) {
          add(`@${[s.variable, ...s.fields].join('.')}`, fn);
          // In a table object's initializer: reached only through that table (keepTablesOf).
          if (tag && member) add(`#${tag}.${member}`, fn);
          const t = tables.get(fn) ?? new Set<string>();
          t.add(s.variable);
          tables.set(fn, t);
        }
      } else {
        const owner = fnOf.get(s.in);
        member = s.path.fields[s.path.fields.length - 1];
        // Stored together by one function (`hw->ops.acquire = get_a; hw->ops.release = put_a;`): one table.
        const t = tables.get(fn) ?? new Set<string>();
        t.add(`${s.in}()`);
        tables.set(fn, t);
        if (owner && !(s.path.root in owner.fn.vars)) add(`@${[s.path.root, ...s.path.fields].join('.')}`, fn);

        if (owner && member) tag = this.structOfPath({ ...s.path, fields: s.path.fields.slice(0, -1) }, owner.fn, owner.file);
      }
      if (!member) return;
      let byName = containers.get(member);
      if (!byName) containers.set(member, (byName = new Map()));
      let where = byName.get(fn);
      if (!where) byName.set(fn, (where = new Set()));
      where.add(storeContainer(s, types));
      if (tag) {
        add(`${tag}.${member}`, fn);
        const tags = tagsByMember.get(member) ?? new Set<string>();
        tags.add(tag);
        tagsByMember.set(member, tags);
      }
      else add(`?.${member}`, fn);
      add(`*.${member}`, fn);
    };
    for (const s of this.stores) {
      from = this.storeFiles.get(s);
      // A parameter stored (`urb->complete = complete_fn` in a fill helper): what callers pass for
      // it, each as stored from the file that passes it (its own static of that name).
      const passed = this.storedParameter(s, fnOf);
      if (passed) {
        for (const { name, file } of passed) {
          from = file;
          indexOne(s, name);
        }
      } else if (this.byName.has(s.fn)) indexOne(s, s.fn);
    }
    this.storesByMember = index;
    // Every member of one tag at once (storedInto '*'), without a scan of every key per tag.
    const byTag = new Map<string, string[]>();
    for (const k of index.keys()) {
      const dot = k.lastIndexOf('.');
      if (dot < 0) continue;
      const t = k.slice(0, dot);
      let list = byTag.get(t);
      if (!list) byTag.set(t, (list = []));
      list.push(k);
    }
    this.memberKeysByTag = byTag;
    this.storedFrom = storedFrom;
    this.storeSites = storeSites;
    this.tagsByMember = tagsByMember;
    this.tablesByFunction = tables;
    this.storeContainers = containers;
  }

  /**
   * The struct members a function is stored into (`d->reset = f`, `.reset = f` in a table), by
   * tag (undefined where the object's type is unknown) and member name; of a name several files
   * define, the stores `file`'s unit makes.
   */
  /** The files storing function `name` into a member called `member` (`.vidioc_default = cx18_default`). */
  storeFilesOf(name: string, member: string): ReadonlySet<string> {
    this.indexStores();
    return this.storeSites?.get(`${member}\0${name}`) ?? NO_FILES;
  }

  storesOf(name: string, file?: string): { tag: string | undefined; member: string }[] {
    this.indexStores();
    const out: { tag: string | undefined; member: string }[] = [];
    for (const key of this.storeKeysOf(name)) {
      if (/^[*@#]/.test(key)) continue;
      // A name several files define: only the stores of `file`'s translation unit are its.
      const from = file ? this.storedFrom?.get(key)?.get(name) : undefined;
      if (from && file && ![...from].some((f) => this.unitOf(f) === this.unitOf(file))) continue;
      const dot = key.lastIndexOf('.');
      out.push({ tag: key.startsWith('?.') ? undefined : key.slice(0, dot), member: key.slice(dot + 1) });
    }
    return out;
  }

  /**
   * The member keys each function is stored under, in the index's order: built once. Asked
   * for every static function, a walk of the whole index each time was quadratic: on all of
   * Linux 3.0 it held the analysis for over ten minutes before the first function.
   */
  private storeKeysOf(name: string): readonly string[] {
    if (!this.storeKeysByName) {
      const byName = new Map<string, string[]>();
      for (const [key, names] of this.storesByMember as Map<string, Set<string>>) {
        for (const n of names) {
          const keys = byName.get(n);
          if (keys) keys.push(key);
          else byName.set(n, [key]);
        }
      }
      this.storeKeysByName = byName;
    }
    return this.storeKeysByName.get(name) ?? [];
  }

  /** The initialised objects a function is stored in (`static struct phy_ops ich8_ops = { .acquire = f }`): its ops tables. */
  tablesOf(fn: string): ReadonlySet<string> | undefined {
    this.indexStores();
    return this.tablesByFunction?.get(fn);
  }

  /** A global initialised with functions (`static const struct foo_ops revoke_ops = { .add = f }`). */
  isOpsTable(name: string): boolean {
    if (!this.tableNames) {
      this.indexStores();
      this.tableNames = new Set();
      for (const tables of this.tablesByFunction?.values() ?? []) for (const t of tables) if (!t.endsWith('()')) this.tableNames.add(t);
    }
    return this.tableNames.has(name);
  }
}
