/**
 * The orders a tree's directories make together through calls (review/tree-graph-build.ts
 * analyses each directory alone): a directory holds a lock around a call to a function it has
 * no body for, and another directory defines that function, which may take a lock. The edge is
 * `held -> taken`, its witness the caller's chain down to the call, then the callee's own
 * directory's chain to the acquisition.
 *
 * A call goes to a definition as a link would: the one under the caller's own `arch/`
 * directory, else the one non-static definition outside `arch/`. A caller outside `arch/`
 * reaches no architecture's own definition: which one runs depends on the build, and one odd
 * architecture's (a `dump_stack` that reads the stack with `__get_user`) would put its orders
 * under every generic caller. Two definitions outside `arch/` (two drivers' functions of one
 * name, never linked together) are no call target: left out. The callee's acquisitions are its summary's, for any caller:
 * constants a caller passes (which a directory's own analysis uses) are not known across.
 * A lock the callee takes that the caller holds is no order (a recursion across directories
 * depends on which objects they are): left out; so is a lock a page fault takes in the callee
 * where the caller is atomic (the fault fails, function-analysis.ts does the same in one program).
 *
 * A directory names the lock of a lock/unlock pair it has no body for after the lock call (an
 * inferred pair, locks/inferred-pairs.ts: `lock_super`). Where another directory defines that
 * call, and it returns holding one class (`super_block.s_lock`), the directory's inferred class
 * is that class (`aliases`): the join renames it, so `lock_super(sb)` in fs/ext2 and
 * `mutex_lock(&sb->s_lock)` in fs/ are one lock. One that returns holding nothing at all
 * (`user_shm_lock()` takes and drops a spinlock of its own: it counts, it locks nothing) is no
 * lock: its orders go. (A lock made by hand of a wait queue and a lockdep map, `mutex_acquire()`
 * being no catalogue call, would read as holding nothing too: none of Linux 3.0's is such a
 * pair.) A pair on an argument's class (`hlist_bl_lock(gl_hash_table)`) stays as it is.
 */
import type { StoredCall, StoredDefinition, StoredEdge, StoredFinding, StoredGraph } from './stored-graph.ts';
import { archOf } from '../util/arch-dir.ts';
import { baseKey, SPINNING } from '../locks/held-set.ts';
import type { LockKind } from '../report-types.ts';
import { sleepWords } from '../checkers/sleep-in-atomic.ts';

/** An edge made by two directories: `dirs` the caller's, then the callee's. */
export interface StitchedEdge {
  edge: StoredEdge;
  dirs: [string, string];
}

/** A sleep under a spinning lock two directories make: `dirs` the caller's, then the callee's. */
export interface StitchedFinding {
  finding: StoredFinding;
  dirs: [string, string];
}

interface Definition {
  dir: string;
  file: string;
  takes: NonNullable<StoredDefinition['takes']>;
  sleeps?: StoredDefinition['sleeps'];
  holds: readonly string[];
  holdsUnnamed: boolean;
}

/** Per directory, what each of its inferred classes is across the tree: a class, or no lock at all (null). */
export type InferredAliases = ReadonlyMap<string, ReadonlyMap<string, string | null>>;

/** `key` as a directory's `alias` has it (a subclass kept: `lock_super/1`); null where it is no lock. */
export function aliasedKey(key: string, alias: ReadonlyMap<string, string | null> | undefined): string | null {
  const base = baseKey(key);
  const to = alias?.get(base);
  if (to === undefined) return key;
  return to === null ? null : to + key.slice(base.length);
}

/** `e` with a directory's inferred classes renamed (`alias`); undefined where one is no lock. */
export function aliasedEdge(e: StoredEdge, alias: ReadonlyMap<string, string | null> | undefined): StoredEdge | undefined {
  const from = aliasedKey(e.from, alias);
  const to = aliasedKey(e.to, alias);
  if (from === null || to === null) return undefined;
  return from === e.from && to === e.to ? e : { ...e, from, to };
}

export class CallStitcher {
  /** Non-static definitions by name, once per file (a header two directories include). */
  readonly #defs = new Map<string, Definition[]>();
  readonly #calls: { dir: string; call: StoredCall }[] = [];
  /** Each directory's inferred classes (kind `inferred`). */
  readonly #inferred = new Map<string, string[]>();
  #aliases: InferredAliases | undefined;

  /** One directory's partition. */
  add(dir: string, part: StoredGraph): void {
    this.#aliases = undefined;
    for (const d of part.defines ?? []) {
      let list = this.#defs.get(d.fn);
      if (!list) this.#defs.set(d.fn, (list = []));
      if (!list.some((x) => x.file === d.file)) list.push({ dir, file: d.file, takes: d.takes ?? [], ...(d.sleeps ? { sleeps: d.sleeps } : {}), holds: d.holds ?? [], holdsUnnamed: d.holdsUnnamed === true });
    }
    for (const call of part.calls ?? []) this.#calls.push({ dir, call });
    const inferred = Object.keys(part.kinds).filter((k) => part.kinds[k] === 'inferred' && !k.includes('('));
    if (inferred.length) this.#inferred.set(dir, inferred);
  }

  /** What each directory's inferred classes are, by the definitions of their lock calls elsewhere (after every partition is added). */
  aliases(): InferredAliases {
    if (this.#aliases) return this.#aliases;
    const out = new Map<string, Map<string, string | null>>();
    for (const [dir, keys] of this.#inferred) {
      const mine = new Map<string, string | null>();
      for (const key of keys) {
        const defs = this.#targets(dir, key);
        const def = defs.length === 1 ? defs[0] : undefined;
        if (!def) continue;
        if (def.holds.length === 1) mine.set(key, def.holds[0] as string);
        else if (def.holds.length === 0 && !def.holdsUnnamed) mine.set(key, null);
      }
      if (mine.size) out.set(dir, mine);
    }
    return (this.#aliases = out);
  }

  /** The edges of every call some other directory defines the callee of, in the order the calls were added. */
  edges(): StitchedEdge[] {
    const out: StitchedEdge[] = [];
    const aliases = this.aliases();
    for (const { dir, call } of this.#calls) {
      const from = aliasedKey(call.from, aliases.get(dir));
      // Held on an object still being set up: it orders nothing (its sleeps are still sleeps).
      if (from === null || call.private) continue;
      for (const def of this.#targets(dir, call.callee)) {
        // The callee's classes are its own directory's: so are the names its inferred ones get.
        const theirs = aliases.get(def.dir);
        for (const t of def.takes) {
          const to = aliasedKey(t.to, theirs);
          if (to === null || baseKey(to) === baseKey(from)) continue;
          if (t.after?.some((k) => baseKey(aliasedKey(k, theirs) ?? k) === baseKey(from))) continue;
          // A user access where the caller is atomic (or has faults off) fails without the fault's lock.
          if (call.noFault && t.taken.fault) continue;
          const taken = { ...t.taken, steps: [...call.call, ...t.taken.steps] };
          out.push({ edge: { from, to, held: call.held, taken }, dirs: [dir, def.dir] });
        }
      }
    }
    return out;
  }

  /**
   * "Sleeping function called from invalid context" through a call across: a spinning lock
   * (`kinds`) held around a call whose callee's own directory says it may sleep (without a
   * condition a caller could decide). One per function and lock, the shortest witness.
   */
  sleeps(kinds: Readonly<Record<string, LockKind>>): StitchedFinding[] {
    const out = new Map<string, StitchedFinding>();
    const aliases = this.aliases();
    for (const { dir, call: given } of this.#calls) {
      const from = aliasedKey(given.from, aliases.get(dir));
      if (from === null) continue;
      const call = from === given.from ? given : { ...given, from };
      const kind = kinds[call.from];
      const holder = call.held.steps[0];
      if (!kind || !SPINNING.has(kind) || !holder) continue;
      for (const def of this.#targets(dir, call.callee)) {
        const z = def.sleeps;
        const theirs = aliases.get(def.dir);
        if (!z || z.after?.some((k) => baseKey(aliasedKey(k, theirs) ?? k) === baseKey(call.from))) continue;
        const steps = [...call.call, ...z.steps];
        const last = steps[steps.length - 1] as StoredCall['call'][number];
        const words = sleepWords(holder.function, call.from, z.callee);
        const old = out.get(words.key);
        if (old && (old.finding.evidence[1]?.steps.length ?? 0) <= steps.length) continue;
        out.set(words.key, {
          finding: {
            kind: 'sleep-in-atomic', locks: [call.from], function: holder.function, file: last.file, line: last.line,
            title: words.title,
            evidence: [
              { label: words.entered, steps: call.held.steps, lock: call.from },
              { label: words.sleeps, steps },
            ],
            key: words.key,
            notes: [`across directories: ${dir}, ${def.dir} (no one directory's analysis sees it)`],
          },
          dirs: [dir, def.dir],
        });
      }
    }
    return [...out.values()];
  }

  /** The definitions a call from `dir` may reach: none where the directory has one itself, or the name is ambiguous. */
  #targets(dir: string, callee: string): Definition[] {
    const defs = this.#defs.get(callee);
    if (!defs?.length || defs.some((d) => d.dir === dir)) return [];
    const generic = defs.filter((d) => archOf(d.file) === undefined);
    if (generic.length > 1) return [];
    const arch = archOf(`${dir}/`);
    const own = arch === undefined ? [] : defs.filter((d) => archOf(d.file) === arch);
    if (own.length) return own.length === 1 ? own : [];
    return generic;
  }
}
