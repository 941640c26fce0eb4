/**
 * The locks held at a program point on one path, each with the witness of how it was taken.
 * Besides real locks the set holds the atomic regions lockdep tracks the same way (hardirqs or
 * softirqs disabled, preemption disabled, an RCU read-side section): pseudo entries keyed `@...`
 * that take no part in lock ordering but tell the irq and sleep checkers where they are.
 * Operations return new arrays; nothing is mutated.
 */
import { N, type FunctionIR, type Mask } from '../c/ir.ts';
import type { LockKind } from '../report-types.ts';
import { refKey, type LockRef } from './lock-ref.ts';
import type { Chain } from './witness.ts';
import type { Facts } from '../flow/facts.ts';

/** The atomic regions, as pseudo-lock keys. */
export const HARDIRQ_OFF = '@hardirq-off';
export const SOFTIRQ_OFF = '@softirq-off';
export const PREEMPT_OFF = '@preempt-off';
export const RCU_READ = '@rcu';
/**
 * User accesses that never fault into the task's mm: the address limit raised to the kernel's
 * (`set_fs(KERNEL_DS)`: might_fault() returns at once) or page faults disabled (the access fails).
 */
export const NO_FAULT = '@no-fault';
/**
 * Allocations that never reclaim into the file system, whatever flags they pass: the task's
 * `memalloc_nofs_save()` (or `_noio_`) scope, which the allocator reads as GFP_NOFS (4.11 on).
 */
export const NO_FS_RECLAIM = '@no-fs-reclaim';
export type Region = typeof HARDIRQ_OFF | typeof SOFTIRQ_OFF | typeof PREEMPT_OFF | typeof RCU_READ | typeof NO_FAULT | typeof NO_FS_RECLAIM;

/** Spinning locks: holding one makes the context atomic. */
export const SPINNING = new Set(['spinlock', 'raw_spinlock', 'rwlock']);

/**
 * Whether a path is atomic as in_atomic() sees it: a spinning lock held, preemption or softirqs
 * disabled. Not irqs-off alone, nor an RCU read side (preemptible RCU counts neither).
 */
export function inAtomic(held: readonly Held[]): boolean {
  return held.some((h) => !h.phantom && (h.key === PREEMPT_OFF || h.key === SOFTIRQ_OFF || (h.kind !== undefined && SPINNING.has(h.kind))));
}

/** Whether a user access on this path takes nothing: atomic (the fault fails), or one that cannot fault (NO_FAULT). */
export function faultTakesNothing(held: readonly Held[]): boolean {
  return inAtomic(held) || held.some((h) => h.key === NO_FAULT);
}

/**
 * A reader that never waits for a writer queued behind it (lockdep's recursive read, read == 2):
 * an rwlock's reader, or a read acquisition the catalogue lets nest. Where such a reader takes a
 * lock that its holders hold as readers, nobody waits (lockdep's "-(*R)-> A -(S*)->" is no
 * dependency path).
 */
export const recursiveRead = (a: { read: boolean; kind: LockKind | undefined; nested: boolean }): boolean => a.read && (a.kind === 'rwlock' || a.nested);

/** Bits of the irq state at an acquisition, relative to the function's entry: what it disabled itself. */
export const IRQ_HARD = 1;
export const IRQ_SOFT = 2;

/** A lock taken, with its witness: the steps from the analyzed function down to the acquiring line. */
export interface Acquisition {
  ref: LockRef;
  key: string;
  kind: LockKind | undefined;
  read: boolean;
  /** Taken with `*_nest_lock` (lockdep allows the same class again under its outer lock). */
  nested: boolean;
  chain: Chain;
  /** Keys of the caller's locks surely released before this acquisition: no edge from them. */
  after?: readonly string[];
  /** A trylock: it never waited, but what is taken under it does. */
  tryLock?: boolean;
  /** IRQ_HARD | IRQ_SOFT: the irqs this function had disabled when it took the lock. */
  irq?: number;
  /** Taken by a page fault (might_fault()): never in atomic context, where a fault takes nothing. */
  fault?: true;
  /**
   * Locks of one object (see gatesOf) the path took before this one and still holds, or took and
   * let go again (took-locks.ts): a caller that holds one of them deadlocks on it first, and
   * never gets here.
   */
  behind?: readonly string[];
  /**
   * The variable the lock was reached through (`inode` in `&inode->i_lock`), if any: a local or
   * parameter of the function the acquisition is recorded in (a callee's, carried up through the
   * variable its caller handed for that parameter).
   */
  root?: string;
  /** The member chain from `root` to the lock (`->i_lock`): with root, which object it is. */
  path?: string;
  /**
   * The build configuration of the path that takes it (`#X` facts: `#if defined(CONFIG_SMP)`
   * around the spin_lock in a wrapper): a caller's path known to be in another build does not.
   */
  config?: Facts;
  /**
   * The constants members of the parameters' objects hold on the path that takes it
   * (`l->type:=LK_SPIN` in a wrapper's switch arm): a caller whose object was created holding
   * another value (c/created-values.ts) never takes it.
   */
  when?: Facts;
  /**
   * Its caller's locks the path kept only because a nesting count below was not yet zero
   * (c/counted-releases.ts): a caller that took one of them itself never takes this one so.
   */
  counted?: readonly string[];
  /**
   * The path's tests of its function's parameters (`lock` nonzero in `if (lock) mutex_lock(..)`):
   * a call passing a constant they exclude takes nothing (param-conditions.ts).
   */
  given?: Facts;
}

/** The `#X` facts of a path: its build configuration, the same in every function of one build. */
export const configFacts = (facts: Facts): Facts | undefined => {
  const config = facts.filter((f) => f.key.startsWith('#'));
  return config.length ? config : undefined;
};

/**
 * `a` with these `after` and `irq`, built field by field. Not `{ ...a, after }`: V8 gives every
 * object made by spreading another and adding a field a hidden class of its own (604k of them,
 * 142 MB, in one fs/ analysis); built from one literal, they share a handful.
 */
export function acquisitionWith(a: Acquisition, after: readonly string[] | undefined, irq: number | undefined, behind = a.behind): Acquisition {
  const out: Acquisition = { ref: a.ref, key: a.key, kind: a.kind, read: a.read, nested: a.nested, chain: a.chain };
  if (after?.length) out.after = after;
  if (a.tryLock) out.tryLock = true;
  if (irq) out.irq = irq;
  if (a.fault) out.fault = true;
  if (behind?.length) out.behind = behind;
  if (a.config) out.config = a.config;
  if (a.when) out.when = a.when;
  if (a.counted) out.counted = a.counted;
  if (a.given) out.given = a.given;
  if (a.root !== undefined) out.root = a.root;
  if (a.path !== undefined) out.path = a.path;
  return out;
}

/** Kinds the same task cannot take twice: the second acquisition waits for itself. */
const NON_RECURSIVE = new Set<LockKind>(['spinlock', 'raw_spinlock', 'rwlock', 'mutex', 'rwsem', 'rt_mutex', 'semaphore', 'lockdep_map']);

/**
 * A lock there is exactly one of (a global or a static, not an element of an array) of a kind
 * that does not recurse: taken again by a task that holds it, it deadlocks then and there.
 */
export function singleLock(a: Acquisition): boolean {
  const r = a.ref;
  return 'c' in r && (r.provenance === 'global' || r.provenance === 'static') && !r.text.includes('[') && a.kind !== undefined && NON_RECURSIVE.has(a.kind);
}

/**
 * Which lock object an acquisition is, where its class does not say: the class with the variable
 * it was reached through and the members from there (`dev_file.lock|dev|->lock`).
 */
export function instanceId(a: { key: string; root?: string | undefined; path?: string | undefined }): string | undefined {
  return a.root !== undefined && a.path !== undefined && !a.path.includes('[') ? `${a.key}|${a.root}|${a.path}` : undefined;
}

/**
 * The locks a path took itself (a trylock too: it cannot succeed for a caller that holds it) and
 * holds exclusively: single locks and other classes of a kind that does not recurse, by key, and
 * those reached through a parameter in `params` (one the function never points elsewhere), by
 * instanceId too. What a later acquisition is behind: a caller holding that very lock hangs on it
 * first; one holding another lock of its class is where lockdep reports the recursion, and
 * lockdep records nothing after a report.
 */
export function gatesOf(held: readonly Held[], params?: ReadonlySet<string>): string[] {
  let out: string[] | undefined;
  for (const h of held) {
    if (h.entry || h.read || h.nested || h.phantom) continue;
    if (singleLock(h)) (out ??= []).push(h.key);
    else if (h.kind !== undefined && HANGS.has(h.kind) && !h.tryLock) {
      // Any other class: a caller holding it is where lockdep reports the recursion and stops.
      if ('c' in h.ref) (out ??= []).push(h.key);
      const id = params && h.root !== undefined && params.has(h.root) ? instanceId(h) : undefined;
      if (id) (out ??= []).push(id);
    }
  }
  return out ?? NO_GATES;
}
const NO_GATES: string[] = [];

/** A lock of a kind that does not recurse, not under a nest_lock: taken where its class is held, lockdep reports the recursion there. */
export function recursesOn(a: Acquisition): boolean {
  return a.kind !== undefined && HANGS.has(a.kind) && !a.nested;
}

/** Kinds a second exclusive acquisition by the holder hangs on (not semaphores: some count). */
const HANGS = new Set<LockKind>(['spinlock', 'raw_spinlock', 'rwlock', 'mutex', 'rwsem', 'rt_mutex', 'lockdep_map']);

/**
 * Whether taking `a` where `h` is held hangs the task there: the same lock object (a single
 * lock, or one reached the same way from a variable not reassigned since, not an array
 * element), of a kind that does not recurse, held and taken exclusively. Its recursion is
 * reported; nothing after it on that path runs.
 */
export function hangsOn(h: Held, a: { key: string; root?: string | undefined; path?: string | undefined; read: boolean; kind: LockKind | undefined }): boolean {
  if (h.key !== a.key || h.entry || h.read || h.phantom || h.unnamed || a.read || h.tryLock) return false;
  const kind = h.kind ?? a.kind;
  if (!kind || !HANGS.has(kind)) return false;
  if (singleLock(h)) return true;
  return h.root !== undefined && h.root === a.root && h.path !== undefined && h.path === a.path && !h.path.includes('[');
}

/** `->info->lock` of `d->info->lock` from root `d`; undefined when the text does not start there. */
export function pathFrom(text: string, root: string): string | undefined {
  const rest = text.startsWith(root) ? text.slice(root.length) : '';
  return rest.startsWith('->') || rest.startsWith('.') ? rest : undefined;
}

export interface Held extends Acquisition {
  /** Frame of a guard()/scoped_guard() that releases it; 0 for ordinary locks. */
  scope: number;
  /** Held on entry, as `lockdep_assert_held()` / `__must_hold()` say: the caller's lock. */
  entry?: boolean;
  /** sparse's `__acquire(x)`: no lock behind it, held only so `__release(x)` balances. Orders nothing. */
  phantom?: boolean;
  /** Of a phantom: a context its function hands its caller (`__cond_lock()`'s), kept in the function's ways out. */
  handed?: true;
  /** A lock lockscope could not name (`spin_lock(lock_for(cpu))`): orders nothing, still atomic if spinning. */
  unnamed?: boolean;
  /** In a summary's exit: on the object the function returns (`return bp;`). */
  returned?: boolean;
  /** In a summary's exit: on the object its parameter `arg` points to (`xfs_buf_lock(bp)`). */
  arg?: number;
  /**
   * Taken by the function that initialised it, before it let the object out (setup-phase.ts):
   * orders nothing taken before this line of that function, where it lets the object out.
   */
  setupUntil?: number;
}

/**
 * `h` with some fields replaced, built field by field for the reason acquisitionWith gives.
 * `root`, `returned` and `arg` are taken from `over` alone: they say how this frame reaches it.
 */
export function heldWith(h: Held, over: { ref?: LockRef; key?: string; chain?: Chain; scope?: number; root?: string | undefined; path?: string | undefined; returned?: boolean; arg?: number }): Held {
  const out: Held = { ref: over.ref ?? h.ref, key: over.key ?? h.key, kind: h.kind, read: h.read, nested: h.nested, chain: over.chain ?? h.chain, scope: over.scope ?? h.scope };
  if (h.after) out.after = h.after;
  if (h.tryLock) out.tryLock = true;
  if (h.irq) out.irq = h.irq;
  if (h.behind) out.behind = h.behind;
  if (h.entry) out.entry = true;
  if (h.phantom) out.phantom = true;
  if (h.handed) out.handed = true;
  if (h.unnamed) out.unnamed = true;
  if (over.root) out.root = over.root;
  // The member chain goes with its root: a lock no longer reached from a variable has none.
  const path = over.root ? (over.path ?? h.path) : undefined;
  if (path !== undefined) out.path = path;
  if (over.returned) out.returned = true;
  if (over.arg !== undefined) out.arg = over.arg;
  return out;
}

export const isPseudo = (key: string): boolean => key.charCodeAt(0) === 64; // '@'

/**
 * Locks of a callee's counted ways (c/counted-releases.ts) in this function's terms: a region as
 * it is, a lock as `here` names it; one it cannot name is left out.
 */
export function countedHere(keys: readonly string[], here: (key: string) => LockRef | null): string[] {
  const out: string[] = [];
  for (const k of keys) {
    // A region, or a lock on an object the callee looked up (`~class`): as it is.
    if (isPseudo(k) || isLookedUp(k)) out.push(k);
    else {
      const r = here(k);
      if (r) out.push(refKey(r));
    }
  }
  return out;
}

/**
 * Whether this path took one of these locks (or entered one of these regions) itself, not held
 * on entry for its caller: a way out, sleep or acquisition kept only because a nesting count
 * below was not yet zero is then not its way, the count it added being the one that reaches zero.
 */
export const tookItself = (held: readonly Held[], keys: readonly string[]): boolean =>
  keys.some((k) => held.some((h) => !h.phantom && (isLookedUp(k) ? onUnnamedObject(h, k.slice(1)) : h.key === k && !h.entry)));

/**
 * A lock of class `key` this function took on an object it cannot name (a helper looked it up
 * and kept it locked): what a callee's release on an object it looked up (`~key`) releases.
 */
export const onUnnamedObject = (h: Held, key: string): boolean => h.key === key && h.root === undefined && !h.entry;

/**
 * A `gone` entry for a lock of class `key` released on an object the function looked up again
 * (`le = lookup(tree, id); up_read(&le->mutex)`): it releases a caller's lock of that class
 * only where the caller cannot name its object either, one taken on an object a helper looked
 * up (`leb_read_lock()`), never the caller's own `&n->lock`.
 */
export const lookedUpKey = (key: string): string => `~${key}`;
export const isLookedUp = (key: string): boolean => key.charCodeAt(0) === 126; // '~'

/** A gone entry that names no lock a caller can match by key: a kind (`?spinlock`) or a looked-up object's class. */
export const isMarker = (key: string): boolean => key.charCodeAt(0) === 63 || isLookedUp(key); // '?'

/** The identity of a held entry for joins: which lock, how, in which frame; not which witness. */
export const heldId = (h: Held): string => `${h.key}|${h.read ? 'r' : 'w'}|${h.scope}|${h.tryLock ? 't' : ''}${h.entry ? 'e' : ''}${h.phantom ? 'p' : ''}`;

/** The base class of a key: `inode.i_mutex/I_MUTEX_PARENT` is a subclass of `inode.i_mutex`. */
export const baseKey = (key: string): string => {
  const i = key.indexOf('/');
  return i < 0 ? key : key.slice(0, i);
};

/** The irq bits disabled in a held set. */
export function irqBits(held: readonly Held[]): number {
  let bits = 0;
  for (const h of held) {
    // A caller's region a summary was specialised for (a context query): the caller's, not ours.
    if (h.phantom) continue;
    if (h.key === HARDIRQ_OFF) bits |= IRQ_HARD | IRQ_SOFT;
    else if (h.key === SOFTIRQ_OFF) bits |= IRQ_SOFT;
  }
  return bits;
}

/**
 * Drops the lock an unlock of `key` ends: among entries of the same base class, the most recent
 * one's exact key (so unlocking the child of a `_nested` pair leaves the parent held), every
 * entry with that key. Reports whether one was held, and whether it was the caller's (entry).
 */
export function releaseHeld(held: readonly Held[], key: string, root?: string): { held: readonly Held[]; found: boolean; entry: boolean; key?: string } {
  const base = baseKey(key);
  let target: string | undefined;
  for (let i = held.length - 1; i >= 0 && target === undefined; i--) {
    const h = held[i] as Held;
    if (!isPseudo(h.key) && baseKey(h.key) === base) target = h.key;
  }
  if (target === undefined) return { held, found: false, entry: false };
  // Two objects' locks of one class (`lock(other); lock_nested(sk); unlock(sk)`): the one this
  // unlock names goes, when the variables say which; else every entry of the class.
  const mine = root === undefined ? [] : held.filter((h) => h.key === target && h.root === root);
  const one = mine.length === 1 && held.some((h) => h.key === target && h.root !== root) ? mine[0] : undefined;
  let entry = false;
  const out = held.filter((h) => {
    if (h.key !== target || (one && h !== one)) return true;
    if (h.entry) entry = true;
    return false;
  });
  return { held: out, found: true, entry, key: target };
}

/**
 * An unlock of a lock lockscope cannot name: an unnamed lock of that kind taken here first, else
 * the most recent held lock of that kind.
 */
export function releaseLatestOfKind(held: readonly Held[], kind: LockKind): readonly Held[] {
  const unnamed = releaseUnnamedOfKind(held, kind);
  if (unnamed !== held) return unnamed;
  for (let i = held.length - 1; i >= 0; i--) {
    const h = held[i] as Held;
    if (!isPseudo(h.key) && !h.unnamed && h.kind === kind) return releaseHeld(held, h.key).held;
  }
  return held;
}

/** The most recent unnamed lock of that kind released, if one is held. */
export function releaseUnnamedOfKind(held: readonly Held[], kind: LockKind): readonly Held[] {
  for (let i = held.length - 1; i >= 0; i--) {
    const h = held[i] as Held;
    if (h.unnamed && h.kind === kind) return [...held.slice(0, i), ...held.slice(i + 1)];
  }
  return held;
}

/** Leaves one atomic region (the innermost entry of it). */

export function popRegion(held: readonly Held[], region: Region): readonly Held[] {
  for (let i = held.length - 1; i >= 0; i--) if (held[i]?.key === region) return [...held.slice(0, i), ...held.slice(i + 1)];
  return held;
}

/**
 * `variable` is assigned: the locks taken through its old value are no longer reached through
 * it (a loop cursor moved on: `vma = vma->vm_next`), so a later NULL test of it says nothing
 * about them.
 */
export function unrooted(held: readonly Held[], variable: string): readonly Held[] {
  if (!held.some((h) => h.root === variable)) return held;
  return held.map((h) => (h.root === variable ? heldWith(h, {}) : h));
}

/**
 * Whether a held lock lives inside the object `variable` points to: reached from it through
 * members embedded whole (`p->lock`, `root->anon_super.s_umount`), not through another pointer
 * (`p->parent->lock` lives in the parent; `spin_lock(p->lock)` with `spinlock_t *lock` elsewhere).
 */
export function lockInside(h: Held, variable: string): boolean {
  if (h.root !== variable || ('pointedTo' in h.ref && h.ref.pointedTo)) return false;
  const text = h.ref.text.replace(/^&/, '').replace(/[()\s]/g, '');
  return text.startsWith(`${variable}->`) && !text.slice(variable.length + 2).includes('->');
}

/** On a path where `variable` is NULL, no lock reached through it can be held. */
export function withoutRoot(held: readonly Held[], variable: string): readonly Held[] {
  return held.some((h) => h.root === variable) ? held.filter((h) => h.root !== variable) : held;
}

export function withoutScopes(held: readonly Held[], scopes: ReadonlySet<number>): readonly Held[] {
  return held.some((h) => h.scope !== 0 && scopes.has(h.scope)) ? held.filter((h) => h.scope === 0 || !scopes.has(h.scope)) : held;
}

/**
 * `gone` with one more release of the caller's `key`: a multiset, since an unlock helper may
 * release two locks of one class (`double_unlock(a, b)` drops a->lock and b->lock). Two copies at
 * most: more is a loop releasing, not more locks.
 */
export function withGone(gone: readonly string[], key: string): readonly string[] {
  let n = 0;
  for (const k of gone) if (k === key) n++;
  return n >= 2 ? gone : [...gone, key].sort();
}

/**
 * Whether a path returning `ret` returns an error: a negative value (`return -EINVAL;`, `return
 * ret;` after `if (ret)`), but from a function returning a pointer only an ERR_PTR, not a pointer
 * merely tested non-NULL (`return e->object;` after `if (e->object)`).
 */
export function heldOnError(ret: Mask, fn: FunctionIR): boolean {
  return fn.returnsPointer ? ret === N : (ret & N) !== 0;
}
