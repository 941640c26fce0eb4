/**
 * The context a function says it runs in, by asserting it before it does anything else:
 * `lockdep_assert_irqs_disabled()`, `WARN_ON(!irqs_disabled())`, `BUG_ON(!in_interrupt())`
 * (lowered as a branch on the query that ends in `__builtin_unreachable`, c/lower-statements.ts
 * warnedCondition). Its callers are in that context (hrtimers_resume() runs on the resume path's
 * irqs-off section), so the locks it takes are taken there. An assertion after code that may
 * enter the context itself (`local_irq_save(f); WARN_ON(!irqs_disabled())`) says nothing of
 * the callers: only the statements before the first other call count, and declaration macros
 * the program does not define (`LIST_HEAD(firing);`) are not calls.
 *
 * A function that calls an asserting one on every path, with nothing before the call that may
 * enter the context, runs in it too (assertedThroughCalls).
 */
import type { Region } from '../locks/held-set.ts';
import { effectOf, type Catalogue, type LockEffect } from '../locks/catalogue.ts';
import type { Stmt } from './ir.ts';
import { Z } from './ir.ts';
import { WARNINGS } from './lower-statements.ts';
import { callEvents } from './call-graph.ts';
import type { FunctionEntry, Program } from './program.ts';


/** lockdep's own assertions of a context, by name. */
const ASSERTIONS: ReadonlyMap<string, string> = new Map([
  ['lockdep_assert_irqs_disabled', 'irqs_disabled()'],
  ['lockdep_assert_in_softirq', 'in_softirq()'],
]);

export interface Asserted {
  query: string;
  region: Region;
  line: number;
  /** The callee whose assertion this is, when the function only calls it (assertedThroughCalls). */
  through?: string;
}

/**
 * The context queries a function asserts on entry (keys of `queries`), with the region each
 * means. `declares`: calls that only declare (`LIST_HEAD(x)`, a macro nothing defines).
 */
export function assertedContexts(body: Stmt, queries: ReadonlyMap<string, Region>, declares: (callee: string) => boolean = () => false): Asserted[] {
  const out: Asserted[] = [];
  // Calls that only ask or warn may come before an assertion (`irqs_disabled()` runs, then `WARN_ON`).
  const asking = (callee: string): boolean => WARNINGS.has(callee) || queries.has(`${callee}()`) || declares(callee);
  const visit = (st: Stmt): boolean => {
    switch (st.k) {
      case 'block':
        return st.body.every(visit);
      case 'ops':
        for (const op of st.ops) {
          if (op.k === 'set') continue;
          const asserted = ASSERTIONS.get(op.callee);
          const region = asserted ? queries.get(asserted) : undefined;
          if (asserted && region) out.push({ query: asserted, region, line: op.line });
          else if (!asking(op.callee)) return false;
        }
        return true;
      case 'if': {
        const c = st.cond;
        const region = c.k === 'atom' && c.test === Z ? queries.get(c.key) : undefined;
        const stops = st.then.k === 'ops' && st.then.ops.some((o) => o.k === undefined && o.callee === '__builtin_unreachable');
        if (c.k !== 'atom' || !region || !stops || st.else) return false;
        const first = st.then.k === 'ops' ? st.then.ops[0] : undefined;
        out.push({ query: c.key, region, line: first?.line ?? 0 });
        return true;
      }
      default:
        return false;
    }
  };
  visit(body);
  return out;
}

/** A macro's name (`LIST_HEAD`, `DEFINE_WAIT`) that is neither a function of the program nor a known kernel API: it declares. */
export function declarationMacro(program: Program, catalogue: Catalogue): (callee: string) => boolean {
  return (callee) => /^[A-Z][A-Z0-9_]*$/.test(callee) && !program.hasFunction(callee) && !catalogue.has(callee);
}

const regionOf = (e: LockEffect | undefined): Region | undefined => (e && 'region' in e ? e.region : undefined);

/** +1 where the effect enters `region`, -1 where it leaves it, 0 otherwise. */
function regionStep(e: LockEffect | undefined, region: Region): number {
  if (regionOf(e) !== region || !e) return 0;
  if (e.k === 'region') return e.enter ? 1 : -1;
  return e.k === 'release' ? -1 : e.k === 'acquire' || e.k === 'tryAcquire' || e.k === 'condAcquire' ? 1 : 0;
}

/**
 * Functions that call one asserting a context (`direct`, by function id) on every path, with
 * nothing before the call that may enter it, run in that context too: update_process_times()
 * ends by calling run_posix_cpu_timers(), which BUG()s unless irqs are off, so the scheduler
 * tick it runs first runs with irqs off. Before the call, a kernel API of that region, or a
 * function of the program that enters it more often than it leaves it (a `lock_irq` wrapper),
 * ends the search; so does a way out (`return`, `goto`) that could skip the call. To a fixpoint:
 * the callers of such a function in turn.
 */
export function assertedThroughCalls(program: Program, catalogue: Catalogue, direct: ReadonlyMap<number, readonly Asserted[]>): Map<number, Asserted[]> {
  const out = new Map<number, Asserted[]>();
  const assertedBy = (id: number): readonly Asserted[] | undefined => direct.get(id) ?? out.get(id);
  // A kernel API's effect, as the analysis applies it: over a body of that name unless the body wins.
  const apiEffect = (name: string): LockEffect | undefined => effectOf(catalogue, name, (n) => program.hasFunction(n));
  // Whether a function of the program may return in the region more (or less) often than it came in.
  const unbalanced = new Map<string, boolean>();
  const leavesChanged = (entry: FunctionEntry, region: Region, seen: Set<number>): boolean => {
    const key = `${entry.id}:${region}`;
    const hit = unbalanced.get(key);
    if (hit !== undefined) return hit;
    if (seen.has(entry.id)) return false;
    seen.add(entry.id);
    let net = 0;
    let changed = false;
    // Saves and restores of one flags variable put back the state the save found, however often
    // each is written (an irqsave in a loop, restored on two ways out): they count once as a pair.
    const byFlags = new Map<string, { enters: boolean; leaves: boolean }>();
    for (const ev of callEvents(entry.fn.body)) {
      if (ev.indirect) continue;
      const effect = apiEffect(ev.callee);
      const callee = effect ? undefined : program.resolveCallee(ev.callee, entry.file);
      if (callee) {
        changed ||= leavesChanged(callee, region, seen);
        continue;
      }
      const step = regionStep(effect, region);
      const flags = step && effect && 'flagsArg' in effect && effect.flagsArg !== undefined ? ev.args[effect.flagsArg]?.text : undefined;
      if (!flags) {
        net += step;
        continue;
      }
      const seenFlags = byFlags.get(flags) ?? { enters: false, leaves: false };
      if (step > 0) seenFlags.enters = true;
      else seenFlags.leaves = true;
      byFlags.set(flags, seenFlags);
    }
    for (const { enters, leaves } of byFlags.values()) if (enters !== leaves) net += enters ? 1 : -1;
    changed ||= net !== 0;
    unbalanced.set(key, changed);
    return changed;
  };
  const changes = (entry: FunctionEntry, callee: string, region: Region): boolean => {
    const effect = apiEffect(callee);
    if (effect) return regionOf(effect) === region;
    const target = program.resolveCallee(callee, entry.file);
    return target !== undefined && leavesChanged(target, region, new Set());
  };
  /** What `entry` asserts by calling, on its way in, a function that asserts it. */
  const through = (entry: FunctionEntry): Asserted[] => {
    const found: Asserted[] = [];
    // The regions still open: each closes at the first thing that may enter it.
    const open = new Set<Region>();
    for (const ev of callEvents(entry.fn.body)) {
      if (ev.indirect) continue;
      const callee = program.resolveCallee(ev.callee, entry.file);
      for (const a of (callee && assertedBy(callee.id)) ?? []) open.add(a.region);
    }
    if (!open.size) return found;
    const clean = (st: Stmt, inLoop: boolean): boolean => {
      switch (st.k) {
        case 'return':
        case 'goto':
          return false;
        case 'break':
        case 'continue':
          return inLoop;
        case 'block':
          return st.body.every((b) => clean(b, inLoop));
        case 'if':
          return clean(st.then, inLoop) && (!st.else || clean(st.else, inLoop)) && callEvents(st).every((ev) => !touches(ev.callee));
        case 'loop':
          return clean(st.body, true) && callEvents(st).every((ev) => !touches(ev.callee));
        case 'switch':
          return st.cases.every((c) => c.every((b) => clean(b, true))) && callEvents(st).every((ev) => !touches(ev.callee));
        default:
          return callEvents(st).every((ev) => !touches(ev.callee));
      }
    };
    const touches = (callee: string): boolean => [...open].some((r) => changes(entry, callee, r));
    const walk = (st: Stmt): boolean => {
      if (st.k === 'block') return st.body.every(walk);
      if (st.k === 'ops') {
        for (const op of st.ops) {
          if (op.k === 'set' || op.indirect) continue;
          const callee = program.resolveCallee(op.callee, entry.file);
          for (const a of (callee && assertedBy(callee.id)) ?? []) {
            if (open.has(a.region) && !found.some((f) => f.region === a.region)) found.push({ query: a.query, region: a.region, line: op.line, through: op.callee });
          }
          for (const r of [...open]) if (changes(entry, op.callee, r)) open.delete(r);
          for (const f of found) open.delete(f.region);
          if (!open.size) return false;
        }
        return true;
      }
      if (st.k === 'label') return true;
      if (!clean(st, false)) return false;
      return true;
    };
    walk(entry.fn.body);
    return found;
  };
  // Every function once, then the callers of each one found, until none is.
  const callers = new Map<string, FunctionEntry[]>();
  for (const entry of program.functions) {
    for (const ev of callEvents(entry.fn.body)) {
      if (ev.indirect) continue;
      const list = callers.get(ev.callee) ?? [];
      if (list[list.length - 1] !== entry) list.push(entry);
      callers.set(ev.callee, list);
    }
  }
  let todo: readonly FunctionEntry[] = program.functions;
  while (todo.length) {
    const next: FunctionEntry[] = [];
    for (const entry of todo) {
      if (direct.has(entry.id) || out.has(entry.id)) continue;
      const found = through(entry);
      if (!found.length) continue;
      out.set(entry.id, found);
      next.push(...(callers.get(entry.fn.name) ?? []));
    }
    todo = next;
  }
  return out;
}
