/**
 * A work item, timer or tasklet runs its function only once something queues or arms it:
 * `INIT_WORK(&w, fn)` in an init that runs says nothing of whether `fn` ever does. For items that
 * are file statics (`static struct work_struct w`), nothing outside the file names them, and for
 * members of a struct the program defines and no file of the kernel tree outside it names (the
 * front end asked: structCandidates), nothing outside the program, so the
 * program's calls that hand the item over are every way it can be armed: a cancel, a flush or a
 * pending test arms nothing, every other call (`queue_work_on`, `schedule_delayed_work`, a helper
 * of the driver's own) may. The program (analyze-program.ts, deadFunctions) takes a function
 * registered only on such items, none of them armed by a call that runs, as one that never runs:
 * a self-test whose trigger nothing calls deadlocks on purpose, and never; a rebuild work queued
 * only under `if (rebuild)` when every caller passes false never runs either.
 */
import { callEvents } from './call-graph.ts';
import type { AccessPath, FileFacts } from './ir.ts';
import type { FunctionEntry, Program } from './program.ts';
import type { Catalogue } from '../locks/catalogue.ts';
import { writtenTag } from './unit-local-structs.ts';

/** Calls that take an item without arming it (besides registrations and the waits the catalogue knows). */
const NOT_ARMING = new Set([
  'cancel_work', 'cancel_delayed_work', 'work_pending', 'delayed_work_pending', 'work_busy',
  'del_timer', 'timer_pending', 'init_timer', 'destroy_timer_on_stack', 'tasklet_kill', 'tasklet_disable', 'tasklet_enable',
  'destroy_work_on_stack', 'destroy_delayed_work_on_stack', 'debug_object_init',
]);

/**
 * The struct tags the files define: a front end asks the kernel tree which of them no file
 * outside the program names (AnalysisOptions.structsOnlyHere). Only the program's code then
 * reaches their members: it arms the work items in them and calls the functions stored there.
 * Facts in, names out.
 */
export function structCandidates(facts: readonly FileFacts[]): string[] {
  return [...new Set(facts.flatMap((f) => f.structs.filter((s) => Object.keys(s.fields).length > 0 && /^[A-Za-z_]\w*$/.test(s.tag)).map((s) => s.tag)))].sort();
}

export interface ArmedCallbacks {
  /** Function id -> the items it is registered on, when every registration of it is on an item the program alone reaches. */
  handlers: ReadonlyMap<number, readonly string[]>;
  /** Item -> the calls that may arm it. */
  arming: ReadonlyMap<string, readonly { caller: FunctionEntry; line: number }[]>;
}

/** `onlyHere`: struct tags no file outside the program names (structCandidates); items in other structs are never taken as unarmed. */
export function armedCallbacks(program: Program, catalogue: Catalogue, onlyHere: ReadonlySet<string>): ArmedCallbacks {
  const handlers = new Map<number, string[]>();
  const elsewhere = new Set<number>();
  const arming = new Map<string, { caller: FunctionEntry; line: number }[]>();
  const statics = (e: FunctionEntry): ReadonlyMap<string, unknown> | undefined => program.statics.get(program.unitOf(e.file));
  const isStatic = (a: AccessPath, e: FunctionEntry): boolean => !a.rootCall && !(a.root in e.fn.vars) && statics(e)?.has(a.root) === true;
  const staticItem = (a: AccessPath, e: FunctionEntry): string => `${program.unitOf(e.file)}\0${a.root}`;
  // `&d->rb_work`, `&d->x.work`: the member of the object's struct that holds it, up to field i.
  const memberItem = (a: AccessPath, e: FunctionEntry, i: number): string | undefined => {
    const tag = program.structOfPath({ ...a, fields: a.fields.slice(0, i), text: a.text.replace(/^&/, '') }, e.fn, e.file);
    return tag ? `${tag}.${a.fields[i]}` : undefined;
  };
  const ownStruct = (item: string): boolean => {
    const tag = item.slice(0, item.lastIndexOf('.'));
    return Object.keys(program.structs.get(tag) ?? {}).length > 0 && onlyHere.has(writtenTag(tag));
  };
  // `&w` of a file static, or the last member of a struct the program defines.
  const itemOf = (a: AccessPath | null | undefined, e: FunctionEntry): string | undefined => {
    if (!a) return undefined;
    if (a.fields.length === 0) return isStatic(a, e) ? staticItem(a, e) : undefined;
    const item = memberItem(a, e, a.fields.length - 1);
    return item && ownStruct(item) ? item : undefined;
  };
  // Registrations first: only their items' arming calls are wanted.
  const calls = program.functions.map((e) => ({ e, evs: callEvents(e.fn.body).filter((ev) => !ev.indirect) }));
  for (const { e, evs } of calls) {
    for (const ev of evs) {
      const effect = catalogue.get(ev.callee);
      if (effect?.k === 'register' && effect.objArg !== undefined && (effect.what === 'work' || effect.what === 'timer' || effect.what === 'tasklet')) {
        const target = program.functionArgument(ev.args[effect.fnArg], e.file);
        if (!target) continue;
        const item = itemOf(ev.args[effect.objArg], e);
        if (!item) elsewhere.add(target.id);
        else handlers.set(target.id, [...(handlers.get(target.id) ?? []), item]);
        continue;
      }
      // Handed to any other call (a driver's own init wrapper): registered where we cannot see.
      for (const a of ev.args) {
        const fn = program.functionArgument(a, e.file);
        if (fn) elsewhere.add(fn.id);
      }
    }
  }
  for (const id of elsewhere) handlers.delete(id);
  // Stored into a member or a table too: run from wherever that is.
  for (const [id] of handlers) if (program.isStored((program.functions[id] as FunctionEntry).fn.name)) handlers.delete(id);
  const items = new Set([...handlers.values()].flat());
  // A member of an unknown type hands over every item of that member name (`?.rb_work`).
  const byMember = new Map<string, string[]>();
  for (const item of items) {
    if (item.includes('\0')) continue;
    const member = item.slice(item.lastIndexOf('.') + 1);
    byMember.set(member, [...(byMember.get(member) ?? []), item]);
  }
  const arm = (item: string, c: { caller: FunctionEntry; line: number }): void => {
    const list = arming.get(item);
    if (list) list.push(c);
    else arming.set(item, [c]);
  };
  // Every item a call's argument may hand over: the static, and the member at each depth
  // (`&d->dw.work` hands over `d->dw` too).
  for (const { e, evs } of calls) {
    for (const ev of evs) {
      const effect = catalogue.get(ev.callee);
      if (effect?.k === 'flush' || effect?.k === 'register' || NOT_ARMING.has(ev.callee)) continue;
      for (const a of ev.args) {
        if (!a) continue;
        const c = { caller: e, line: ev.line };
        if (isStatic(a, e) && items.has(staticItem(a, e))) arm(staticItem(a, e), c);
        for (let i = 0; i < a.fields.length; i++) {
          const field = a.fields[i] as string;
          if (!byMember.has(field)) continue;
          const item = memberItem(a, e, i);
          if (item === undefined) for (const any of byMember.get(field) ?? []) arm(any, c);
          else if (items.has(item)) arm(item, c);
        }
      }
    }
  }
  return { handlers, arming };
}
