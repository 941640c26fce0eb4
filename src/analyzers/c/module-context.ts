/**
 * Which driver a chain is in. The drivers of a shared core each store their callbacks into the
 * core's ops members (`bdev->driver->sync_obj_wait`, `crtc_funcs->mode_set`). By the stores
 * alone, a call through such a member inside the core reaches every driver's callback, and a
 * chain that entered the core from one driver comes back out in another: nouveau's buffer
 * waiting on radeon's fence, a radeon crtc set by nouveau's mode_set.
 *
 * A module is built from one directory. A core function analysed for a caller in directory M
 * (its module context) resolves a member that M stored callbacks into to M's callbacks, and to
 * those of the core's own directories: the object came from M. A caller whose directory stored
 * no callback into that member (usb-storage through usbcore into the host controller drivers)
 * keeps every target. A function's own analysis, with no caller's context, keeps them all.
 */
import type { CallGraph } from './call-graph.ts';
import { callEvents } from './call-graph.ts';
import type { AccessPath, FunctionIR } from './ir.ts';
import type { FunctionEntry, Program } from './program.ts';

/** The module a file belongs to: its directory, as `drivers/gpu/drm/radeon/`. */
export const moduleOf = (file: string): string => file.slice(0, file.lastIndexOf('/') + 1);

/**
 * What a call through a pointer in `callerFile` reaches under module context `module`: the
 * module's own callbacks where it has any among the targets, with the caller's directory and
 * the directories above the module (a core helper the driver stored); else every target.
 */
export function coherentTargets(targets: readonly FunctionEntry[], module: string, callerFile: string): readonly FunctionEntry[] {
  if (targets.length < 2 || !targets.some((t) => moduleOf(t.file) === module)) return targets;
  const own = moduleOf(callerFile);
  return targets.filter((t) => {
    const m = moduleOf(t.file);
    return m === module || m === own || module.startsWith(m);
  });
}

/**
 * Is the object reached from a parameter, directly or through locals assigned once from one?
 * Only then did the caller hand it in; a list of registered handlers (`lf->func(..)` with lf
 * from a global list) runs every one registered, whoever calls.
 */
export function handedIn(path: AccessPath, fn: FunctionIR): boolean {
  let root = path.root;
  for (let i = 0; i < 4 && !path.rootCall; i++) {
    if (fn.params.some((p) => p.name === root)) return true;
    const alias = fn.aliases?.[root];
    if (!alias || alias.rootCall || alias.root === root) return false;
    root = alias.root;
  }
  return false;
}

const NONE: ReadonlySet<string> = new Set();

/** How many calls below a function a member call may be and still make it worth a module specialisation. */
const MODULE_DEPTH = 3;

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
      if (!ev.indirect?.object || !handedIn(ev.indirect.object, e.fn)) continue;
      const targets = program.pointerTargets(ev.indirect.object, ev.indirect.member, e.fn, e.file, ev.args)?.targets ?? [];
      const here = new Set(targets.map((t) => moduleOf(t.file)));
      if (here.size > 1) for (const d of here) (dirs ??= new Set()).add(d);
    }
    if (dirs) own[e.id] = dirs;
  }
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
  return (e) => level[e.id] ?? NONE;
}
