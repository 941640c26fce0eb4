/**
 * What every caller passes a static function. A static function whose name is never used as a
 * value (c/lower.ts, valueFunctions) runs only from the calls the program shows, and so does a
 * non-static one the rest of the kernel tree never names (`calledOnlyByName`: the front end
 * asked, c/never-called.ts); when each of
 * them writes a constant for a parameter the function tests (`dump_table(DUMP_FROM_USER)`), or
 * an address (`process_connect(ch, &flags)`: never NULL), the
 * function's own analysis starts from those constants, as a specialisation for one call would.
 * So the branch no caller takes orders nothing: the function's orders are those of its callers.
 * A static function stored only into members of structs the program itself defines and no file
 * outside it names (`structsOnlyHere`: the front end asked the tree), and handed to no call, runs
 * from the program's calls through those members too (`d->reset(d, false)`): every call through
 * a member of that name, of such a struct or of an unknown type, counts as one of its calls.
 */
import { callEvents } from '../c/call-graph.ts';
import type { ConstantNames } from '../c/comparison.ts';
import { ANY, N, P, Z, type CallEvent } from '../c/ir.ts';
import type { FunctionEntry, Program } from '../c/program.ts';
import type { ArgValue } from './summary.ts';
import { writtenTag } from '../c/unit-local-structs.ts';

/**
 * `joined`: per function, each tested parameter's one value over all calls. `tuples`: where every
 * call writes a constant for each tested parameter and they write several combinations
 * (`isr(dev, MANAGE, 0)`, `isr(dev, HIGH, 1)`), each combination once, at most MAX_TUPLES: the
 * joined values lose which go together, and a branch only `MANAGE` with error 1 would take runs
 * on no call.
 */
export interface CallerConstants {
  joined: Map<number, ArgValue[]>;
  tuples: Map<number, ArgValue[][]>;
}

const MAX_TUPLES = 16;

export function callerConstants(program: Program, testedParams: (e: FunctionEntry) => readonly number[] | undefined, calledOnlyByName: ReadonlySet<string> = new Set(), structsOnlyHere: ReadonlySet<string> = new Set()): CallerConstants {
  const valued = new Set(program.files.flatMap((f) => f.valueFunctions ?? []));
  const candidates = new Map<string, FunctionEntry[]>();
  // Member name -> the stored functions a call through a member of that name may reach, with
  // the structs they are stored in (a call through another struct's member reaches none of them).
  const throughMember = new Map<string, Map<string, Set<string>>>();
  // Tables handed to code outside the program (`register_ring_ops(&ring_ops)`): called from there too.
  const handedOut = new Set<string>();
  for (const caller of program.functions) {
    for (const ev of callEvents(caller.fn.body)) {
      if (ev.indirect || program.hasFunction(ev.callee)) continue;
      for (const a of ev.args) if (a && a.fields.length === 0) handedOut.add(a.root);
    }
  }
  const storedOnly = (e: FunctionEntry): { tag: string; member: string }[] | undefined => {
    if (!e.fn.isStatic || program.isPassed(e.fn.name) || [...(program.tablesOf(e.fn.name) ?? [])].some((t) => handedOut.has(t))) return undefined;
    const stores = program.storesOf(e.fn.name, e.file);
    const own = (x: { tag: string | undefined }): x is { tag: string; member: string } =>
      x.tag !== undefined && Object.keys(program.structs.get(x.tag) ?? {}).length > 0 && structsOnlyHere.has(writtenTag(x.tag));
    return stores.length > 0 && stores.every(own) ? stores : undefined;
  };
  for (const e of program.functions) {
    if (!(e.fn.isStatic || calledOnlyByName.has(e.fn.name)) || e.fn.isMacro || !testedParams(e)?.length) continue;
    if (valued.has(e.fn.name)) {
      const stores = storedOnly(e);
      if (!stores) continue;
      for (const { tag, member } of stores) {
        const byName = throughMember.get(member) ?? new Map<string, Set<string>>();
        byName.set(e.fn.name, (byName.get(e.fn.name) ?? new Set()).add(tag));
        throughMember.set(member, byName);
      }
    }
    const same = candidates.get(e.fn.name);
    if (same) same.push(e);
    else candidates.set(e.fn.name, [e]);
  }
  const sites = new Map<number, CallEvent[]>();
  const addSite = (callee: FunctionEntry, ev: CallEvent): void => {
    const calls = sites.get(callee.id);
    if (calls) calls.push(ev);
    else sites.set(callee.id, [ev]);
  };
  for (const caller of program.functions) {
    for (const ev of callEvents(caller.fn.body)) {
      if (ev.indirect) {
        const stored = throughMember.get(ev.indirect.member);
        if (!stored) continue;
        const object = ev.indirect.object;
        const tag = object ? program.structOfPath(object, caller.fn, caller.file) : undefined;
        for (const [name, tags] of stored) {
          if (tag && !tags.has(tag)) continue;
          // A pointer of another arity is another pointer type: not this function's call.
          for (const callee of candidates.get(name) ?? []) if (callee.fn.params.length === ev.args.length) addSite(callee, ev);
        }
        continue;
      }
      if (!candidates.has(ev.callee)) continue;
      const callee = program.resolveCallee(ev.callee, caller.file);
      if (!callee || !candidates.get(ev.callee)?.includes(callee)) continue;
      addSite(callee, ev);
    }
  }
  const out = new Map<number, ArgValue[]>();
  const tuples = new Map<number, ArgValue[][]>();
  // An address (`process(ch, &flags)`) is no constant but never NULL: for the join, non-zero.
  // (Not for the combinations: one would stand for every address.)
  const passed = (ev: CallEvent, i: number): ArgValue | undefined => written(ev, i, program.constants) ?? (isAddress(ev, i) ? { mask: P } : undefined);
  for (const [id, evs] of sites) {
    const callee = program.functions[id] as FunctionEntry;
    const tested = new Set(testedParams(callee));
    const args = callee.fn.params.map((_, i): ArgValue => (tested.has(i) ? joined(evs.map((ev) => passed(ev, i))) : { mask: ANY }));
    if (args.some((a) => a.mask !== ANY || a.flags)) out.set(id, args);
    // A parameter no call writes a constant for (the object) stays open in every combination;
    // one some calls write and others do not leaves no combinations to tell.
    const rows = evs.map((ev) => callee.fn.params.map((_, i): ArgValue | undefined => (tested.has(i) ? written(ev, i, program.constants) : { mask: ANY })));
    const open = callee.fn.params.map((_, i) => rows.every((r) => r[i] === undefined));
    const each = new Map<string, ArgValue[]>();
    for (const row of rows) {
      const tuple = row.map((a, i) => (open[i] ? { mask: ANY } : a));
      if (tuple.some((a) => a === undefined)) {
        each.clear();
        break;
      }
      each.set(JSON.stringify(tuple.map((a) => [a?.mask, a?.lit, a?.flags])), tuple as ArgValue[]);
    }
    if (each.size > 1 && each.size <= MAX_TUPLES) tuples.set(id, [...each.values()]);
  }
  return { joined: out, tuples };
}

/** The constant a call writes for argument i (`NULL`, `0`, `DUMP_FROM_USER`, `A | B`), or undefined. */
function written(ev: CallEvent, i: number, constants: ConstantNames): ArgValue | undefined {
  const c = ev.consts?.[i];
  const flags = ev.flags?.[i];
  if (c === undefined && !flags) return undefined;
  const lit = ev.lits?.[i] ?? (flags?.length === 1 ? flags[0] : undefined);
  let mask = c;
  if (mask === undefined && flags) {
    const values = flags.map((f) => constants.value(f));
    if (values.every((v) => typeof v === 'number')) {
      const v = (values as number[]).reduce((a, b) => a | b, 0);
      mask = v < 0 ? N : v > 0 ? P : Z;
    }
  }
  return { mask: mask ?? ANY, ...(flags ? { flags } : {}), ...(lit !== undefined ? { lit } : {}) };
}

/** One value for all the calls: the same constant at each, else what their signs allow together; nothing when one call passes no constant. */
function joined(values: readonly (ArgValue | undefined)[]): ArgValue {
  const first = values[0];
  if (!first || values.some((v) => v === undefined)) return { mask: ANY };
  const key = (v: ArgValue): string => JSON.stringify([v.mask, v.lit, v.flags]);
  if (values.every((v) => key(v as ArgValue) === key(first))) return first;
  return { mask: values.reduce((m, v) => m | (v as ArgValue).mask, 0) };
}

/** `&x`, `&p->m`: the address of an object, never NULL. */
const isAddress = (ev: CallEvent, i: number): boolean => {
  const a = ev.args[i];
  return !!a && !a.rootCall && /^&\s*[A-Za-z_]/.test(a.text);
};
