/**
 * Which driver a chain is in. The drivers of a shared core each store their callbacks into the
 * core's ops members (`bdev->driver->sync_obj_wait`, `crtc_funcs->mode_set`). By the stores
 * alone, a call through such a member inside the core reaches every driver's callback, and a
 * chain that entered the core from one driver comes back out in another: nouveau's buffer
 * waiting on radeon's fence, a radeon crtc set by nouveau's mode_set.
 *
 * A module is what a Makefile links together (Program.moduleOf): the sources of a composite
 * object (`ath9k_htc-y := ...`), else a directory's files. A core function analysed for a caller in module M
 * (its module context) resolves a member that M stored callbacks into to M's callbacks, and to
 * those of the core's own directories: the object came from M. A caller whose directory stored
 * no callback into that member (usb-storage through usbcore into the host controller drivers)
 * keeps every target. A function's own analysis, with no caller's context, keeps them all.
 */
import type { CallGraph } from './call-graph.ts';
import { callEvents } from './call-graph.ts';
import { CONTAINER, type AccessPath, type FunctionIR } from './ir.ts';
import type { FunctionEntry, Program } from './program.ts';

/** A file's directory, as `drivers/gpu/drm/radeon/`; of a module (Program.moduleOf), the directory it is built in. */
const dirOf = (file: string): string => file.slice(0, file.lastIndexOf('/') + 1);

/**
 * Whether module `m` is a core `module` builds on by place: the plain files of a directory at
 * or above the module's, or a module linked in a directory above; never a module linked
 * separately in the same directory (a sibling driver: ath9k_htc.o beside ath9k.o), nor one below.
 */
export const isAbove = (m: string, module: string): boolean => m !== module && (m === dirOf(m) ? dirOf(module).startsWith(m) : dirOf(module).startsWith(dirOf(m)) && dirOf(module) !== dirOf(m));

/**
 * What a call through a pointer in `callerFile` reaches under module context `module`: the
 * module's own callbacks where it has any among the targets, with the caller's directory and
 * the directories above the module (a core helper the driver stored); else every target.
 */
export function coherentTargets(program: Program, targets: readonly FunctionEntry[], module: string, callerFile: string, makesObjects?: (module: string) => boolean, storedBy?: (t: FunctionEntry, module: string) => boolean): readonly FunctionEntry[] {
  if (targets.length === 0) return targets;
  const moduleOf = (file: string): string => program.moduleOf(file);
  const own = moduleOf(callerFile);
  const inContext = (t: FunctionEntry): boolean => {
    const m = moduleOf(t.file);
    return m === module || m === own || isAbove(m, module);
  };
  // Where the module stores its own functions into this member, the object is its own: of the
  // core's directory (or a parent's), only the functions the module stores itself
  // (`.read = generic_read`), not another driver's that lives in the core's directory.
  if (targets.some((t) => moduleOf(t.file) === module)) return targets.filter((t) => moduleOf(t.file) === module || (inContext(t) && (storedBy?.(t, module) ?? true)));
  // The module fills other members of the ops struct and leaves this one empty (a buffer
  // driver with no `move`): its objects reach no other driver's function there.
  return makesObjects?.(module) ? targets.filter(inContext) : targets;
}

const structMakers = new WeakMap<Program, Map<string, ReadonlySet<string>>>();

/** The directories whose functions are stored into some member of a struct the targets were stored into as `member`: those making objects of that ops struct. */
function makerDirs(program: Program, targets: readonly FunctionEntry[], member: string): ReadonlySet<string> {
  let memo = structMakers.get(program);
  if (!memo) structMakers.set(program, (memo = new Map()));
  const out = new Set<string>();
  const tags = new Set(targets.flatMap((t) => program.storesOf(t.fn.name, t.file).flatMap((x) => (x.member === member && x.tag ? [x.tag] : []))));
  for (const tag of tags) {
    let dirs = memo.get(tag);
    if (!dirs) memo.set(tag, (dirs = new Set(program.storedInto(tag, '*').map((x) => program.moduleOf(x.entry.file)))));
    for (const d of dirs) out.add(d);
  }
  return out;
}

/** Whether directory `module` makes objects of the ops struct the targets were stored into as `member`. */
export const makesObjectsOf = (program: Program, targets: readonly FunctionEntry[], member: string, module: string): boolean => makerDirs(program, targets, member).has(module);

/**
 * What a driver's own call through a pointer reaches, with no caller's context: where the
 * targets span several directories, the caller's among them and none below it, the caller's
 * callbacks, those of the directories above it and of the libraries it calls: a driver calls
 * its own ops, never a sibling driver's it has no call into. A core above its drivers (a target
 * below its directory) reaches them all.
 */
export function ownTargets(program: Program, targets: readonly FunctionEntry[], callerFile: string): readonly FunctionEntry[] {
  const own = dirOf(callerFile);
  if (targets.length < 2 || !targets.some((t) => dirOf(t.file) === own)) return targets;
  if (targets.some((t) => dirOf(t.file) !== own && dirOf(t.file).startsWith(own))) return targets;
  // A library the driver calls (libsas for a SAS driver) made some of its objects: its callbacks stay.
  const uses = calledDirectories(program, own);
  const kept = targets.filter((t) => {
    const m = dirOf(t.file);
    return m === own || own.startsWith(m) || uses.has(m);
  });
  return kept.length === targets.length ? targets : kept;
}

const calledDirs = new WeakMap<Program, Map<string, ReadonlySet<string>>>();

/** The directories whose functions the functions of directory `dir` call by name. */
function calledDirectories(program: Program, dir: string): ReadonlySet<string> {
  let memo = calledDirs.get(program);
  if (!memo) calledDirs.set(program, (memo = new Map()));
  let out = memo.get(dir);
  if (out) return out;
  const found = new Set<string>();
  for (const e of program.functions) {
    if (dirOf(e.file) !== dir) continue;
    for (const ev of callEvents(e.fn.body)) {
      if (ev.indirect) continue;
      const callee = program.resolveCallee(ev.callee, e.file);
      if (callee) found.add(dirOf(callee.file));
    }
  }
  memo.set(dir, (out = found));
  return out;
}

/**
 * Is the object reached from a parameter, directly, through locals assigned once from one, or
 * as an element of a list in one (`list_for_each_entry(o, &d->outs, ..)`, `b =
 * list_first_entry(&d->lru, ..)`: the object's own outputs and buffers)? Only then did the
 * caller hand it in; a list of registered handlers (`lf->func(..)` with lf from a global list)
 * runs every one registered, whoever calls. Given `isGlobal` (the program's variables and the
 * kernel's `current`), a function-like macro's name it neither takes nor declares nor is a
 * global counts too: its user's own variable (`#define set_bit(r, v) { x = c->read(c, r); ..}`),
 * the object the macro runs on, as its user's caller handed it that.
 */
export function handedIn(path: AccessPath, fn: FunctionIR, isGlobal?: (name: string) => boolean): boolean {
  let root = gotFrom(path);
  for (let i = 0; i < 6; i++) {
    if (root === undefined) return false;
    if (fn.params.some((p) => p.name === root)) return true;
    if (isGlobal && fn.isMacro && !(root in fn.vars) && /^[A-Za-z_]\w*$/.test(root) && !isGlobal(root)) return true;
    const alias = fn.aliases?.[root] ?? fn.cursorLists?.[root];
    if (!alias) {
      root = fn.gotFrom?.[root];
      continue;
    }
    if (alias.root === root) return false;
    root = gotFrom(alias);
  }
  return false;
}

/**
 * The variable a path's object was reached from: its root, or for a getter's result
 * (`video_devdata(file)`, `netdev_priv(dev)`, container_of) the variable handed to the getter:
 * an object got from one the caller handed in is still the caller's. Not a lookup by anything
 * else (`find_dev(id)`, a global table).
 */
function gotFrom(path: AccessPath): string | undefined {
  if (!path.rootCall) return path.root;
  if (CONTAINER.has(path.rootCall)) return path.root || path.rootArg?.root;
  const arg = path.rootArg;
  return arg && !arg.rootCall && arg.fields.length <= 1 ? arg.root : undefined;
}

const NONE: ReadonlySet<string> = new Set();

/** How many calls below a function a member call may be and still make it worth a module specialisation. */
const MODULE_DEPTH = 3;

/** How many calls below, through calls handing on the object the caller handed in, it still may be. */
const HANDED_DEPTH = 8;

/**
 * Per function, the modules whose context changes what it (or a function at most two calls
 * below it) reaches through a pointer: the directories of targets of a member of an object
 * handed in, that functions of several directories are stored into. A call from another
 * directory is worth a summary specialised on the caller's module only when its module is
 * among them. Deeper down the object is seldom still the caller's, and every core function
 * that ends in a dispatch (`dev_queue_xmit`) would be specialised per driver.
 */
export function moduleSensitivity(program: Program, graph: CallGraph): (e: FunctionEntry) => ReadonlySet<string> {
  const own: ReadonlySet<string>[] = new Array<ReadonlySet<string>>(program.functions.length).fill(NONE);
  for (const e of program.functions) {
    let dirs: Set<string> | undefined;
    for (const ev of callEvents(e.fn.body)) {
      if (!ev.indirect?.object || !handedIn(ev.indirect.object, e.fn, (n) => program.hasVariable(n, e.fn, e.file))) continue;
      const targets = program.pointerTargets(ev.indirect.object, ev.indirect.member, e.fn, e.file, ev.args, ev.indirect.dot)?.targets ?? [];
      const here = new Set(targets.map((t) => program.moduleOf(t.file)));
      // And the directories that fill the ops struct but leave this member empty.
      if (here.size > 0) for (const d of makerDirs(program, targets, ev.indirect.member)) here.add(d);
      if (here.size > 1) for (const d of here) (dirs ??= new Set()).add(d);
    }
    if (dirs) own[e.id] = dirs;
  }
  // Calls that hand on an object the function was handed (`core_move(b)`, `evict(b->dev)`): the
  // object is still the caller's however deep, so they carry the sensitivity further down. So do
  // calls through a pointer that hand it on (`ah->priv_ops.set_channel(ah, chan)`), to each
  // function the pointer may hold.
  const handing = program.functions.map((e) => {
    const out = new Set<number>();
    for (const ev of callEvents(e.fn.body)) {
      if (!ev.args.some((a) => a && handedIn(a, e.fn, (n) => program.hasVariable(n, e.fn, e.file)))) continue;
      const callees = ev.indirect ? (program.pointerTargets(ev.indirect.object, ev.indirect.member, e.fn, e.file, ev.args, ev.indirect.dot)?.targets ?? []) : [program.resolveCallee(ev.callee, e.file)];
      for (const callee of callees) if (callee && callee.id !== e.id) out.add(callee.id);
    }
    return [...out];
  });
  let level = own;
  for (let k = 1; k < MODULE_DEPTH; k++) {
    const prev = level;
    level = own.map((mine, id) => {
      // Shared, not copied, where one set is all there is: most functions only pass one up.
      const below = [...new Set((graph.succ[id] ?? []).map((s) => prev[s] as ReadonlySet<string>).filter((x) => x !== NONE))];
      if (below.length === 0) return mine;
      if (mine === NONE && below.length === 1) return below[0] as ReadonlySet<string>;
      return new Set([...mine, ...below.flatMap((x) => [...x])]);
    });
  }
  const base = level;
  for (let k = MODULE_DEPTH; k < HANDED_DEPTH; k++) {
    const prev = level;
    level = base.map((mine, id) => {
      const below = [...new Set((handing[id] ?? []).map((s) => prev[s] as ReadonlySet<string>).filter((x) => x !== NONE && x !== mine))];
      if (below.length === 0) return mine;
      if (mine === NONE && below.length === 1) return below[0] as ReadonlySet<string>;
      return new Set([...mine, ...below.flatMap((x) => [...x])]);
    });
  }
  return (e) => level[e.id] ?? NONE;
}

/**
 * Of a call's targets in the caller's own directory, those its file is linked with. A
 * directory often builds several modules: a core and the bus drivers beside it (`card-pci.c`
 * and `card-usb.c` next to `card-core.c`), each storing its own functions into the core's ops.
 * A bus driver's objects carry its own functions, or its core's, never a sibling's it has no
 * call into. Files link by direct calls, either way and transitively: the caller's file, the
 * files it calls into (its core and libraries) and those calling into it (drivers on it). Only
 * where the caller's own file defines one of the targets (a driver filling the ops it calls
 * through): a core holding objects others fill (a log type any module registers) reaches every
 * one of them. A header's functions are every file's.
 */
export function linkedTargets(program: Program, targets: readonly FunctionEntry[], callerFile: string): readonly FunctionEntry[] {
  if (targets.length < 2 || !callerFile.endsWith('.c')) return targets;
  const dir = dirOf(callerFile);
  const links = fileLinks(program, dir);
  // A .c file another includes (`#include "sched_rt.c"`) is of that one's unit.
  const caller = program.unitOf(callerFile);
  const uses = links.reach(caller, 'calls');
  const users = links.reach(caller, 'calledBy');
  const here = (t: FunctionEntry): boolean => dirOf(t.file) === dir && t.file.endsWith('.c');
  if (!targets.some((t) => program.unitOf(t.file) === caller)) return targets;
  const kept = targets.filter((t) => !here(t) || uses.has(program.unitOf(t.file)) || users.has(program.unitOf(t.file)));
  return kept.length === targets.length ? targets : kept;
}

const linksMemo = new WeakMap<Program, Map<string, FileLinks>>();

/** The direct calls between the units (.c files with those they include) of one directory, and what each reaches by them. */
class FileLinks {
  private readonly edges = { calls: new Map<string, Set<string>>(), calledBy: new Map<string, Set<string>>() };
  private readonly reached = { calls: new Map<string, ReadonlySet<string>>(), calledBy: new Map<string, ReadonlySet<string>>() };

  constructor(program: Program, dir: string) {
    for (const e of program.functions) {
      if (dirOf(e.file) !== dir || !e.file.endsWith('.c')) continue;
      for (const ev of callEvents(e.fn.body)) {
        if (ev.indirect) continue;
        const callee = program.resolveCallee(ev.callee, e.file);
        if (!callee || dirOf(callee.file) !== dir || !callee.file.endsWith('.c')) continue;
        const [from, to] = [program.unitOf(e.file), program.unitOf(callee.file)];
        if (from === to) continue;
        add(this.edges.calls, from, to);
        add(this.edges.calledBy, to, from);
      }
    }
  }

  /** The unit and every unit its direct calls reach (`calls`), or that reach it (`calledBy`). */
  reach(file: string, way: 'calls' | 'calledBy'): ReadonlySet<string> {
    let out = this.reached[way].get(file);
    if (out) return out;
    const seen = new Set([file]);
    const todo = [file];
    for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
      for (const g of this.edges[way].get(f) ?? []) {
        if (seen.has(g)) continue;
        seen.add(g);
        todo.push(g);
      }
    }
    this.reached[way].set(file, (out = seen));
    return out;
  }
}

function add(map: Map<string, Set<string>>, from: string, to: string): void {
  let s = map.get(from);
  if (!s) map.set(from, (s = new Set()));
  s.add(to);
}

function fileLinks(program: Program, dir: string): FileLinks {
  let memo = linksMemo.get(program);
  if (!memo) linksMemo.set(program, (memo = new Map()));
  let links = memo.get(dir);
  if (!links) memo.set(dir, (links = new FileLinks(program, dir)));
  return links;
}
