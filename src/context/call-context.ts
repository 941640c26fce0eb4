/**
 * The `calls` context: the files a review analyzes so that the chains through the touched
 * functions are not cut at a file boundary. Starting from the functions the patch touches, it
 * walks the calls breadth first: depth 1 is the files defining what they call and the files
 * calling them, depth 2 the files defining what those callees call, and so on, each added file
 * with its quoted includes, until nothing new is called or the budget (files, bytes) runs out.
 * Nearest first, so the budget cuts the far end; what it cut is in the returned ContextJson.
 *
 *   chip/main.c: chip_irq() calls core_reset()        depth 1: core.c     (defines core_reset)
 *   core.c:      core_reset() calls channel_stop()    depth 2: channel.c  (defines channel_stop)
 *   channel.c:   channel_poll() calls chip_irq()      depth 1: channel.c  (a caller)
 *
 * Which definition a call reaches is decided like the analyzer does (pick-definition.ts) over
 * the symbol index's sites, and confirmed by lowering the picked file: a file goes in only when
 * its lowered facts define the callee (or call the touched function). Lock primitives and other
 * calls the analyzer knows without a body are not followed, nor are calls through pointers.
 *
 * It reads through the snapshots and lowers through extractFacts with the review's FactsCache,
 * so the analysis that follows finds every chosen file already lowered. It does not analyze.
 */
import { callEvents } from '../analyzers/c/call-graph.ts';
import { extractFacts } from '../analyzers/c/extract-facts.ts';
import type { FactsCache } from '../analyzers/c/facts-cache.ts';
import type { CallEvent, FileFacts, FunctionIR } from '../analyzers/c/ir.ts';
import { buildCatalogue } from '../analyzers/locks/catalogue.ts';
import type { Snapshot } from '../diff/snapshot.ts';
import { pickDefinition } from './pick-definition.ts';
import type { SymbolIndex } from './symbol-index.ts';
import type { ContextBudget, ContextJson, ContextLeftJson, DefinitionSite } from './types.ts';

export interface CallContextInput {
  /** The review's snapshots: the base first, then the tree after each patch. */
  snapshots: readonly Snapshot[];
  /** Files analyzed whatever the budget: the touched files, their includes, `--context-dir` files. */
  seeds: readonly string[];
  /** The C files the patches change (their definitions come from lowering every version, not the index). */
  touched: readonly string[];
  /** The functions the patches touch: the walk starts at them, and their callers are wanted. */
  roots: readonly { path: string; name: string }[];
  /** Touched files changed outside every function (a struct, a global): the walk also starts at all their functions, callers not wanted. */
  wholeFiles: readonly string[];
  index: SymbolIndex;
  budget: ContextBudget;
  /** Calls the analyzer knows without a body (lock primitives): not followed. */
  isPrimitive: (name: string) => boolean;
  cache: FactsCache;
}

/** Where the walk stops even with budget left: kernel call chains this deep are all of the kernel. */
const MAX_DEPTH = 32;
/** How many left-out files the JSON names. */
const LEFT_NAMED = 20;

interface Want {
  path: string;
  as: ContextLeftJson['as'];
  /** The callee it must define, the touched function it must call, or the file including it. */
  of: string;
}

const fnKey = (path: string, name: string): string => `${path}\u0000${name}`;

const CATALOGUE = buildCatalogue();
/** Registration APIs that name the object (`INIT_WORK(&d->w, fn)`, `timer_setup(&d->t, fn, 0)`). */
const REGISTERS = new Map(
  [...CATALOGUE].flatMap(([name, e]) => (e.k === 'register' && e.objArg !== undefined ? [[name, { fnArg: e.fnArg, objArg: e.objArg }] as const] : [])),
);

/** `cancel_work_sync(&d->reset_work)`: the member named, for a flush of a work or a timer. */
function flushedMember(ev: CallEvent): string | undefined {
  const e = CATALOGUE.get(ev.callee);
  if (e?.k !== 'flush' || (e.what !== 'work' && e.what !== 'timer')) return undefined;
  const fields = ev.args[e.arg]?.fields ?? [];
  return fields[fields.length - 1];
}

const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/** Member names every struct uses for its lock: they say nothing about which lock it is. */
const GENERIC_LOCK_NAMES = new Set(['lock', 'mutex', 'sem', 'rwsem', 'spinlock', 'slock', 'mtx', 'rwlock', 'lk', 'lck']);

/**
 * The lock a primitive call takes, by a name lowering keeps: a global's (`&cache_mutex`), a
 * member's (`&d->dev_mutex` is `dev_mutex`), a named class (`rtnl_lock()`). None for a local or
 * parameter lock, or a member name every struct uses.
 */
function lockNameOf(ev: CallEvent, fn: FunctionIR): string | undefined {
  const e = CATALOGUE.get(ev.callee);
  if (!e || (e.k !== 'acquire' && e.k !== 'condAcquire' && e.k !== 'tryAcquire')) return undefined;
  if (e.fixedClass) return e.fixedClass;
  const a = ev.args[e.arg];
  if (!a || a.rootCall) return undefined;
  const name = e.field ?? (a.fields.length ? a.fields[a.fields.length - 1] : fn.vars[a.root] ? undefined : a.root);
  return name && !GENERIC_LOCK_NAMES.has(name) ? name : undefined;
}


/** The files to analyze (sorted) and what the review says about them. */
export async function callContext(input: CallContextInput): Promise<{ files: string[]; json: ContextJson }> {
  const { snapshots, index, budget } = input;
  const base = snapshots[0] as Snapshot;
  const touched = new Set(input.touched);
  const facts = new Map<string, FileFacts[]>();

  /** The file's distinct texts across the snapshots (one for a file no patch changes). */
  const textsOf = async (path: string): Promise<string[]> => {
    if (!touched.has(path)) {
      const t = await base.read(path);
      return t === undefined ? [] : [t];
    }
    const out: string[] = [];
    for (const s of snapshots) {
      const t = await s.read(path);
      if (t !== undefined && !out.includes(t)) out.push(t);
    }
    return out;
  };
  const sizeOf = async (path: string): Promise<number> => Math.max(0, ...(await textsOf(path)).map((t) => t.length));
  const lower = async (paths: readonly string[]): Promise<void> => {
    const todo = paths.filter((p) => !facts.has(p));
    const sources: { path: string; text: string }[] = [];
    for (const path of todo) for (const text of await textsOf(path)) sources.push({ path, text });
    const lowered = await extractFacts(sources, { cache: input.cache });
    for (const p of todo) facts.set(p, []);
    lowered.forEach((f, i) => facts.get((sources[i] as { path: string }).path)?.push(f));
  };
  const functionsOf = (path: string, name: string): FunctionIR[] => (facts.get(path) ?? []).flatMap((f) => f.functions.filter((fn) => fn.name === name));
  /** The functions the lowered file registers for a work or timer member named `member` (`INIT_WORK(&d->member, fn)`). */
  const registeredIn = (path: string, member: string): string[] =>
    (facts.get(path) ?? []).flatMap((f) =>
      f.functions.flatMap((fn) =>
        callEvents(fn.body).flatMap((ev) => {
          const r = REGISTERS.get(ev.callee);
          const obj = r?.objArg !== undefined ? ev.args[r.objArg] : undefined;
          const target = r ? ev.args[r.fnArg] : undefined;
          return obj?.fields[obj.fields.length - 1] === member && target && target.fields.length === 0 ? [target.root] : [];
        }),
      ),
    );


  await lower(input.touched);
  /** Definition sites: the index's, except for changed files, whose every version is lowered. */
  const sitesOf = (name: string): DefinitionSite[] => {
    const out = index.definitions(name).filter((s) => !touched.has(s.path));
    for (const path of input.touched) for (const fn of functionsOf(path, name)) out.push({ path, isStatic: fn.isStatic, isMacro: fn.isMacro ?? false });
    return out;
  };

  /**
   * Does a call from `caller` reach this definition? Also when a header's static inline twin
   * would win: with a global definition beside it, that inline is the feature-off stub
   * (`#else return -ENOSYS;`), and the context never brings in the header a caller includes
   * with `<...>`, so the analysis links the call to the definition here.
   */
  const reaches = (def: { path: string; name: string }, caller: string): boolean => {
    if (caller === def.path) return false;
    const sites = sitesOf(def.name);
    if (pickDefinition(sites, caller)?.path === def.path) return true;
    return pickDefinition(sites.filter((s) => !s.path.endsWith('.h') || s.path === def.path), caller)?.path === def.path;
  };

  const included = new Map<string, number>();
  for (const seed of input.seeds) included.set(seed, await sizeOf(seed));
  let bytes = [...included.values()].reduce((a, b) => a + b, 0);
  let cutBy: ContextJson['cutBy'];
  const left: ContextLeftJson[] = [];
  let leftCount = 0;
  let deepest = 0;
  const leftPaths = new Set<string>();
  const leave = (w: Want, depth: number, why: 'files' | 'bytes'): void => {
    cutBy ??= why;
    // Wanted again deeper (a caller that also defines a callee): named once, at its first reason.
    if (leftPaths.has(w.path)) return;
    leftPaths.add(w.path);
    leftCount++;
    if (left.length < LEFT_NAMED) left.push({ path: w.path, as: w.as, of: w.of, depth });
  };

  /** Does the lowered file hold what it was wanted for? Includes need no proof. */
  const confirms = (w: Want): boolean => {
    if (w.as === 'include') return true;
    if (w.as === 'callee') return functionsOf(w.path, w.of).length > 0;
    if (w.as === 'registers') return registeredIn(w.path, w.of).length > 0;

    return (facts.get(w.path) ?? []).some((f) => f.functions.some((fn) => callEvents(fn.body).some((ev) => !ev.indirect && ev.callee === w.of)));
  };

  /**
   * Admits the wanted files in order while the budget lasts, each (once lowered and confirmed)
   * followed by its quoted includes. Returns false once the file budget is spent.
   */
  const admit = async (wants: readonly Want[], depth: number): Promise<boolean> => {
    const why = new Map<string, Want[]>();
    for (const w of wants) why.set(w.path, [...(why.get(w.path) ?? []), w]);
    const queue = [...why.values()].map((ws) => ws[0] as Want).filter((w) => !included.has(w.path));
    while (queue.length > 0) {
      // A batch that fits, lowered together (large batches go to worker threads).
      const batch: Want[] = [];
      let batchBytes = 0;
      while (queue.length > 0) {
        const w = queue[0] as Want;
        if (included.has(w.path) || batch.some((b) => b.path === w.path)) {
          queue.shift();
          continue;
        }
        if (included.size + batch.length >= budget.files) break;
        const size = await sizeOf(w.path);
        queue.shift();
        if (bytes + batchBytes + size > budget.bytes) {
          leave(w, depth, 'bytes');
          continue;
        }
        batch.push(w);
        batchBytes += size;
      }
      if (batch.length === 0) break;
      await lower(batch.filter((w) => w.as !== 'include').map((w) => w.path));
      for (const w of batch) {
        // A file wanted for several reasons is confirmed by any of them.
        if (!(why.get(w.path) ?? [w]).some(confirms)) continue;
        included.set(w.path, await sizeOf(w.path));
        bytes += included.get(w.path) as number;
        deepest = Math.max(deepest, depth);
        const includes = (await base.contextFiles([w.path], 'touched')).filter((p) => p !== w.path && !included.has(p));
        queue.unshift(...includes.map((p) => ({ path: p, as: 'include' as const, of: w.path })));
      }
    }
    if (queue.length === 0) return true;
    for (const w of queue) if (!included.has(w.path)) leave(w, depth, 'files');
    cutBy = 'files';
    return false;
  };

  /** Files in the flushing file's directory or its parent that call a registration API. */
  const registrars = (path: string): string[] => {
    const near = new Set([dirOf(path), dirOf(dirOf(path))]);
    const out = new Set<string>();
    for (const api of REGISTERS.keys()) for (const file of index.callers(api)) if (near.has(dirOf(file))) out.add(file);
    return [...out].sort();
  };

  // The other users of the locks the touched functions take, in the touched files (`cache_get()`
  // beside a patched `cache_copy_out()`): a cycle through such a lock closes in their callers
  // (a profiler holding mmap_sem calls cache_get()), which no call from the patch reaches.
  const rootKeys = new Set(input.roots.map((r) => fnKey(r.path, r.name)));
  const lockNames = new Set(input.roots.flatMap((r) => functionsOf(r.path, r.name).flatMap((fn) => callEvents(fn.body).flatMap((ev) => lockNameOf(ev, fn) ?? []))));
  const peers = lockNames.size === 0 ? [] : dedupe(input.touched.flatMap((path) => (facts.get(path) ?? []).flatMap((f) => f.functions.filter((fn) => !rootKeys.has(fnKey(path, fn.name)) && callEvents(fn.body).some((ev) => { const n = lockNameOf(ev, fn); return n !== undefined && lockNames.has(n); })).map((fn) => ({ path, name: fn.name })))));

  const whole = input.wholeFiles.flatMap(
(path) => (facts.get(path) ?? []).flatMap((f) => f.functions.map((fn) => ({ path, name: fn.name }))));
  let frontier = dedupe([...input.roots, ...whole]);
  const visited = new Set(frontier.map((f) => fnKey(f.path, f.name)));
  for (let depth = 1; frontier.length > 0 && depth <= MAX_DEPTH; depth++) {
    const wants: Want[] = [];
    const calls: { path: string; name: string }[] = [];
    if (depth > 1) await lower(frontier.map((f) => f.path));
    const flushed: { path: string; member: string }[] = [];
    for (const f of frontier) {
      for (const fn of functionsOf(f.path, f.name)) {
        for (const ev of callEvents(fn.body)) {
          const member = flushedMember(ev);
          if (member) flushed.push({ path: f.path, member });
          if (ev.indirect || input.isPrimitive(ev.callee)) continue;

          const site = pickDefinition(sitesOf(ev.callee), f.path);
          if (!site) continue;
          wants.push({ path: site.path, as: 'callee', of: ev.callee });
          calls.push({ path: site.path, name: ev.callee });
        }
      }
    }
    if (depth === 1) {
      for (const r of input.roots) for (const caller of index.callers(r.name)) if (reaches(r, caller)) wants.push({ path: caller, as: 'caller', of: r.name });
      for (const p of peers) for (const caller of index.callers(p.name)) if (reaches(p, caller)) wants.push({ path: caller, as: 'lock-user caller', of: p.name });
    }
    // A work or timer flushed under a lock runs a function registered elsewhere (`INIT_WORK` in
    // the probe code): the files nearby that register one for that member, then that function.
    const candidates = flushed.map(({ path, member }) => ({ member, files: [...new Set([path, ...registrars(path)])] }));
    for (const { member, files } of candidates) for (const file of files) wants.push({ path: file, as: 'registers', of: member });
    let more = await admit(wants, depth);
    for (const { member, files } of candidates) {
      for (const file of files.filter((f) => included.has(f))) {
        for (const name of registeredIn(file, member)) {
          const site = pickDefinition(sitesOf(name), file);
          if (site) calls.push({ path: site.path, name });
          if (site && !included.has(site.path)) more = (await admit([{ path: site.path, as: 'callee', of: name }], depth)) && more;
        }
      }
    }
    frontier = dedupe(calls).filter((c) => included.has(c.path) && !visited.has(fnKey(c.path, c.name)));
    for (const f of frontier) visited.add(fnKey(f.path, f.name));
    if (!more) break;
  }

  return {
    files: [...included.keys()].sort(),
    json: {
      mode: 'calls',
      files: included.size,
      bytes,
      depth: deepest,
      ...(cutBy ? { cutBy, left, leftCount } : {}),
      index: { scope: index.scope, files: index.files },
    },
  };
}

function dedupe(fns: readonly { path: string; name: string }[]): { path: string; name: string }[] {
  const seen = new Set<string>();
  return fns.filter((f) => !seen.has(fnKey(f.path, f.name)) && seen.add(fnKey(f.path, f.name)) !== undefined);
}
