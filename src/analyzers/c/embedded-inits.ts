/**
 * Locks initialised through a struct embedded whole in another, by the member chain from the
 * container (`vol_root.anon.umount` for `init_rwsem(&root->anon.umount)`, `anon` a `struct
 * sblock`, not a pointer). lockdep keys a class by its init site: reached through the container,
 * that lock is a class of its own, not every `sblock.umount`.
 *
 * The init may be the container's own (`mutex_init(&d->rxq.lock)`) or a helper's that the
 * container hands its member to (`queue_init(&d->rxq)` doing `mutex_init(&q->lock)`). A helper's
 * init site is one class for every instance it initialises, so its chain counts only when each
 * of its calls hands in the same member of the same container: a helper called for `rxq` and
 * `txq`, or for a queue of no container, makes one class, which the member's own name stands for.
 * A function-like macro helper (`#define os_lock_init(l) spin_lock_init(&(l)->lock)`) is written
 * out where it is used: each use is a site, and a class, of its own.
 */
import { callEvents } from './call-graph.ts';
import { LOCK_INITS } from '../locks/catalogue.ts';
import type { AccessPath, FunctionIR, TypeRef } from './ir.ts';
import type { FunctionEntry, Program } from './program.ts';

export interface EmbeddedInits {
  /** Container chains with a lock init of their own (`ipc_dev.rx_recv.list_mutex`). */
  chains: ReadonlySet<string>;
  /**
   * The same locks as their embedded struct's own class (`frame_list.list_mutex`): a function
   * handed a pointer to such a struct takes whichever its caller's path names.
   */
  tails: ReadonlySet<string>;
}

interface Found { chain: string; tail: string }

/** The container chain a lock path goes through, if it reaches an embedded struct before the lock. */
function chainOf(program: Program, a: AccessPath, fn: FunctionIR, file: string): Found | undefined {
  return chainsOf(program, a, fn, file)[0];
}

/**
 * Every container chain of a lock path, outermost first: `dev.streams.q_free.lock` (an element
 * of `dev`'s array of `struct chan`) is also `chan.q_free.lock`, the name the same lock has
 * where a `struct chan *` reaches it (subscripts are dropped, so an array of structs reads as
 * one embedded struct). An inner one counts where a single outer one leads to it.
 */
function chainsOf(program: Program, a: AccessPath, fn: FunctionIR, file: string): Found[] {
  const out: Found[] = [];
  if (a.fields.length < 2) return out;
  let t: TypeRef | undefined = a.cast ? { k: 'struct', name: a.cast } : a.rootCall ? program.returnType(a.rootCall) : program.typeOfVariable(a.root, fn, file);
  for (let i = 0; t && i < a.fields.length - 1; i++) {
    const u: TypeRef = program.underlying(t, file);
    if (u.k !== 'struct' && u.k !== 'typedef') return out;
    const next: TypeRef | undefined = program.structs.get(u.name)?.[a.fields[i] as string];
    if (!next) return out;
    const inner = program.underlying(next, file);
    if ((next.k === 'struct' || next.k === 'typedef') && !next.ptr && inner.k !== 'lock') {
      out.push({ chain: `${u.name}.${a.fields.slice(i).join('.')}`, tail: `${inner.name}.${a.fields.slice(i + 1).join('.')}` });
    } else if (out.length > 0) return out;
    t = next;
  }
  return out;
}

/**
 * The paths an argument stands for: through a local aliasing an address (`q = &g.msg_q`) or
 * pointing into several (`q = &g.msg_q; ...; q = &g.act_q`). Only addresses point into a
 * container; a copied pointer (`shost->data`) points elsewhere.
 */
function pathsOf(arg: AccessPath, fn: FunctionIR): AccessPath[] {
  const alias = fn.aliases?.[arg.root];
  const local = alias ? (alias.text.startsWith('&') ? [alias] : undefined) : fn.pointsInto?.[arg.root];
  return local ? local.map((l) => ({ ...l, fields: [...l.fields, ...arg.fields] })) : [arg];
}

export function embeddedInits(program: Program): EmbeddedInits {
  const chains = new Set<string>();
  const tails = new Set<string>();
  const add = (f: Found): void => {
    chains.add(f.chain);
    tails.add(f.tail);
  };
  // An inner chain is a class only where one init site reaches it: `drbd_socket.work.q_lock`
  // is both `drbd_conf.data.work.q_lock` and `drbd_conf.meta.work.q_lock`, two classes.
  const inner = new Map<string, { f: Found; outer: Set<string> }>();
  const addAll = (found: readonly Found[]): void => {
    const [outer, ...rest] = found;
    if (!outer) return;
    add(outer);
    for (const f of rest) {
      const seen = inner.get(f.chain) ?? { f, outer: new Set<string>() };
      seen.outer.add(outer.chain);
      inner.set(f.chain, seen);
    }
  };
  /** helper function -> its inits through a parameter: which parameter, and the lock's members below it. */
  const helpers = new Map<FunctionEntry, { p: number; fields: string[] }[]>();
  for (const e of program.functions) {
    for (const ev of callEvents(e.fn.body)) {
      const arg = LOCK_INITS.has(ev.callee) ? ev.args[0] : undefined;
      if (!arg) continue;
      let own = false;
      for (const a of pathsOf(arg, e.fn)) {
        const found = chainsOf(program, a, e.fn, e.file);
        addAll(found);
        own ||= found.length > 0;
      }
      // `mutex_init(&q->lock)` with `q` a parameter: a helper whose callers say which container.
      const p = e.fn.params.findIndex((x) => x.name === arg.root);
      if (!own && p >= 0 && arg.fields.length > 0 && !arg.rootCall && !arg.cast) helpers.set(e, [...(helpers.get(e) ?? []), { p, fields: arg.fields }]);
    }
  }
  for (const { f, outer } of inner.values()) if (outer.size === 1) add(f);
  if (helpers.size === 0) return { chains, tails };
  // Each helper init: the one chain every call hands in, or none (`null`) once two differ or one has none.
  const handed = new Map<string, Found | null>();
  for (const e of program.functions) {
    for (const ev of callEvents(e.fn.body)) {
      if (ev.indirect) continue;
      const callee = program.resolveCallee(ev.callee, e.file);
      const inits = callee && helpers.get(callee);
      if (!inits) continue;
      for (const init of inits) {
        const key = `${callee.id}:${init.p}:${init.fields.join('.')}`;
        const before = handed.get(key);
        if (before === null) continue;
        const arg = ev.args[init.p];
        const paths = arg ? pathsOf(arg, e.fn) : [];
        const found = paths.length === 1 ? chainOf(program, { ...(paths[0] as AccessPath), fields: [...(paths[0] as AccessPath).fields, ...init.fields] }, e.fn, e.file) : undefined;
        // A macro's init is written out at each use: every use is an init site of its own.
        if (callee.fn.isMacro) {
          if (found) add(found);
          continue;
        }
        handed.set(key, found && (before === undefined || before.chain === found.chain) ? found : null);
      }
    }
  }
  for (const f of handed.values()) if (f) add(f);
  return { chains, tails };
}
