/**
 * The lowered form of one C file that the lock analysis reads: per function, a small statement
 * tree whose leaves are operations (calls, in evaluation order, and the assignments conditions
 * depend on), plus the declared types lock classes are resolved through, the function pointers
 * stored into struct members, function-like macros as pseudo-functions, and sparse's lock
 * annotations. It is plain JSON, so a file's facts can be computed in a worker and cached by
 * content hash. It is not an AST: everything that cannot take a lock or decide a branch is dropped.
 */

import type { DeclaredCallback } from './declared-callbacks.ts';

/** A declared type, reduced to what lock-class resolution needs. */
export interface TypeRef {
  /** 'struct' (tag in `name`), 'typedef' (name), 'lock' (lock type, kind in `name`), 'fn' (function pointer), 'other'. */
  k: 'struct' | 'typedef' | 'lock' | 'fn' | 'other';
  name: string;
  /** A pointer (`struct foo *p`): tested against NULL, non-NULL means a valid object, not an ERR_PTR. */
  ptr?: boolean;
}


/**
 * A value as an access path: `&iommu->lock` is { root: 'iommu', fields: ['lock'] }.
 * Subscripts are dropped (`&p->q[i].lock` is p.q.lock: every element is one lockdep class).
 * `cast` keeps the struct tag of `((struct foo *)x)->lock` and of `container_of(x, struct foo, m)`;
 * `rootCall` names the function whose result is the root (`&sb_info(sb)->sem`: root is '').
 */
export interface AccessPath {
  root: string;
  fields: string[];
  text: string;
  cast?: string;
  rootCall?: string;
  /** The root call's first argument, when a path (`tree->inode` of `HFS_I(tree->inode)->lock`). */
  rootArg?: AccessPath;
}

/**
 * A debug switch: a macro only a developer defines (`DEBUG`, `IPMI_DEBUG_MSGING`, `DBG`), never a
 * Kconfig option (`CONFIG_*_DEBUG` is a build configuration like any other).
 */
export const DEBUG_SWITCH = /^(?!CONFIG_)(?:\w*_)?(?:DEBUG|DBG)(?:_\w*)?$/;

/** A member path without indexing or calls, as written with spaces removed: `handle->nmi`, `req.flags`. */
export const MEMBER_PATH = /^[A-Za-z_]\w*(?:(?:->|\.)\w+)+$/;

/** Accessors that compute the object around a member (`container_of(p, struct foo, node)`): the lock's root is that object. */
export const CONTAINER: ReadonlySet<string> = new Set(['container_of', 'list_entry', 'list_first_entry', 'list_last_entry', 'list_first_entry_or_null', 'hlist_entry', 'rb_entry', 'list_entry_rcu', 'hlist_entry_safe', 'list_next_entry']);

/** Of those, the ones that compute from their first argument itself (not from a list head's `next`). */
export const AROUND_POINTER: ReadonlySet<string> = new Set(['container_of', 'list_entry', 'hlist_entry', 'rb_entry', 'list_entry_rcu']);

/** Of those (and `list_prev_entry`), the ones that return an address inside an object: never NULL, unlike the `_or_null` and `_safe` forms. */
export const NEVER_NULL: ReadonlySet<string> = new Set([...CONTAINER, 'list_prev_entry'].filter((n) => !/_or_null$|_safe$/.test(n)));

/**
 * Abstract values of a tested expression, as a bit set: Z zero (0, NULL, false), P positive
 * (1, true, a valid pointer), N negative (-EINVAL, an ERR_PTR). A test is the set of values
 * that make it true: `x` is P|N, `!x` is Z, `x < 0` and `IS_ERR(x)` are N.
 */
export const Z = 1;
export const P = 2;
export const N = 4;
export const ANY = Z | P | N;
export type Mask = number;

/** One call, in evaluation order; `args` are access paths where the argument is one. */
export interface CallEvent {
  k?: undefined;
  /** The function called; for an indirect call, the member or variable the pointer is read from. */
  callee: string;
  args: (AccessPath | null)[];
  line: number;
  /** Inside a reentrant lock's owner guard on the object rooted at this variable (c/owner-guards.ts). */
  ownerGuarded?: string;
  /** The guard's owner store is a callee's (`owner=current`, OwnerGuard.storedBy): its acquisitions are the owner's. */
  ownerStore?: string;
  /** This call has calls among its arguments, tagged `argOf` with this position (c/command-arguments.ts). */
  callAt?: number;
  /** A call written as argument `i` of the call at `at` (its `callAt`): `M(x, LOCK(l))`. */
  argOf?: { at: number; i: number };
  /** A wait's condition (`wait_event(wq, cond)`): where it already holds, the wait returns at once, without sleeping. */
  until?: Cond;
  /** Constant arguments by index (`foo(dev, 1)`, `foo(NULL)`): what a callee can be specialised on. */
  consts?: Record<number, Mask>;
  /** Constant flag sets among the arguments: `foo(ip, XFS_ILOCK_EXCL | XFS_IOLOCK_SHARED)`. */
  flags?: Record<number, string[]>;
  /** Constant flags or'ed into a value that is not constant: `find(name, flags | NO_LOCKING)` holds NO_LOCKING, whatever else it holds. */
  ored?: Record<number, string[]>;
  /** Number literals among the arguments, as written (a lockdep subclass: `mutex_lock_nested(&m, 1)`). */
  lits?: Record<number, string>;
  /** Variables passed masked by a constant flag set: `charge(gfp & GFP_RECLAIM_MASK)` is { root: 'gfp', mask: ['GFP_RECLAIM_MASK'] }. */
  masked?: Record<number, { root: string; mask: string[] }>;
  /** Arguments written as a comparison (`lookup(.., trans != NULL)`): the atom each tests, for a path that knows its truth. */
  conds?: Record<number, { key: string; test: Mask }>;
  /** Variables passed negated: `ack(d, !error)` is { 1: 'error' }. */
  negated?: Record<number, string>;
  /** Variables passed plus or minus a number: `read_reg(st, 1029 + base)` is { 1: { root: 'base', add: 1029 } }. */
  offsets?: Record<number, { root: string; add: number }>;
  /** Names an argument is one of: `dump(ev, in_kernel ? (dump_t)copy_k : (dump_t)copy_u, &buf)` is { 1: ['copy_k', 'copy_u'] }. */
  choices?: Record<number, string[]>;
  /** `ret = mutex_lock_interruptible(&m);`: the variable the result lands in. */
  assignTo?: string;
  /** `xfs_buf_read(...);` as a statement: the result (an object it may return locked) is dropped. */
  discarded?: true;
  /** `if (!lock_foo(x)) return -EAGAIN;`: tested for zero, the failure a bool or a pointer reports. */
  failsOnZero?: true;
  /** `return xfs_buf_get(...);`: the result is the caller's return value. */
  returned?: true;
  /** `*bpp = xfs_buf_get(...);`: the result goes back to the caller through parameter `storedTo`. */
  storedTo?: number;
  /** `guard(mutex)(&m)`: the guard type; the lock is held to the end of the enclosing block. */
  guard?: string;
  /**
   * A call through a pointer: `d->ops->lock_dev(d)` is { object: d->ops, member: 'lock_dev' };
   * `fn(x)` with a local or parameter `fn` is { object: null, member: 'fn' }. `dot`: the member
   * is read with `.` (`l2->ch.send(..)`): the object holding it is no pointer's target but a
   * struct in place, embedded in the one before it.
   */
  indirect?: { object: AccessPath | null; member: string; dot?: true };
}

/**
 * An assignment a condition may depend on: `got = 1;`, `owner = NULL;`, `x++`, or `&x` passed
 * to a call (it may be written). `target` is the assigned expression as written (`got`,
 * `dev->flags`); `root` its first identifier.
 */
export interface SetEvent {
  k: 'set';
  target: string;
  root: string;
  /** What is assigned, when it is a constant. */
  value: Mask;
  /** What is assigned, when it is a variable (`handle->nmi = nmi`): the target holds what the path knows of it. */
  from?: string;
  /** What is assigned, when it is a named or numeric constant (`ev.queue = QUEUE_DIRECT`): decides `== OTHER`. */
  lit?: string;
  /** `st = eRfOff`: a name that is no variable of the function; a constant when the program declares it an enumerator. */
  name?: string;
  line: number;
  /** `foo(&x)`: the call before it may have written x (and said what it left on it: an out-parameter). */
  byCall?: true;
  /** `p->lock = &e->lock`, `*lockp = &e->lock`: the address stored, which a pointer member then names. */
  addr?: AccessPath;
  /** `s->lock = port_of(ref)->lock`: the member read and stored (a lock pointer copied from another). */
  copy?: AccessPath;
  /** `*fbo = *bo`: the pointer whose object is copied whole into the target's. */
  wholeFrom?: string;
  /** `ndev = g.mon_if[i].mon_ndev`: the member a local copies, by its last name (zero when nothing sets it: c/unset-members.ts). */
  member?: string;
  /** `--s->counter` (-1), `s->counter++` (1): a counter stepped. */
  step?: 1 | -1;
  /** `flag &= ~F_ACQUIRE` (`set` false), `flag |= F_DONE` (true): flag bits known clear or set after it. */
  bits?: { names: string[]; set: boolean };
  /** `flags = F_A | F_B`: exactly these constants or'ed together (names or numbers). */
  orOf?: string[];
  /** `start = secure ? 0 : FIRST_SHARED`: one of these constants (numbers or names), whichever the condition picks. */
  oneOf?: string[];
}

export type Op = CallEvent | SetEvent;

/** A branch condition, kept structured so it can split the state and be remembered as a fact. */
export type Cond =
  | { k: 'not'; c: Cond }
  | { k: 'and'; a: Cond; b: Cond }
  | { k: 'or'; a: Cond; b: Cond }
  /** A call whose result is tested (`if (!mutex_trylock(&m))`): `test` is the set of results that make it true. */
  | {
      k: 'call';
      ev: CallEvent;
      pre: Op[];
      test: Mask;
      /**
       * `FOO_IOMMU != foo_get_type()`: the result compared with this constant; `test` is then P
       * (taken when equal) or Z (when not). Two such tests of one read-only call agree.
       */
      equals?: string;
    }
  /**
   * A side-effect-free expression (`probe`, `dev->flags & F`, `owner == current`, `IS_ERR(p)`):
   * `key` names it (canonical text), `reads` the variables it reads, `test` the values that make
   * it true. A tested atom is remembered until something assigns what it reads.
   */
  | { k: 'atom'; key: string; reads: string[]; test: Mask; memory: boolean }
  /** `while (1)`, `for (;;)`: a constant. */
  | { k: 'const'; value: boolean }
  /** Anything else: its operations run, both branches are possible. */
  | { k: 'other'; ops: Op[] };

/** What a `return` returns, as far as a caller's test can use it. */
export type ReturnValue =
  /** `text`: an error code returned negated (`return -EINVAL;`), which a caller may compare with another. */
  | { k: 'const'; mask: Mask; text?: string }
  /**
   * `return err;`: whatever the state knows of the variable. `inside`: `return container_of(p,
   * struct foo, m);`, an address inside the object p points into: not NULL and not an error where
   * p is not, an error where p is one.
   */
  | { k: 'var'; name: string; inside?: true }
  /** `return mutex_trylock(&m);`: the last call's result. */
  | { k: 'call' }
  | { k: 'none' };

export type Stmt =
  /** `scope` identifies the block for guards declared in it and gotos leaving it. */
  | { k: 'block'; body: Stmt[]; scope: number }
  | { k: 'ops'; ops: Op[] }
  /**
   * `counted`: the test that a member counter the statement before stepped down is now zero
   * (`--s->counter; if (s->counter == 0) unlock(..)`): a nesting count's last release.
   */
  | { k: 'if'; cond: Cond; then: Stmt; else: Stmt | null; counted?: string }
  /** while/for/do and iterator macros; `cond` null means "may run zero or more times". */
  /**
   * `cursor`: an iterator macro's position variable (`pos` of `list_for_each_entry(pos, ...)`),
   * which points at an element, never NULL, inside the body. `over`: the local list it walks,
   * when it is one (`&msgs`: msgs).
   */
  | { k: 'loop'; cond: Cond | null; body: Stmt; post: Op[]; doWhile: boolean; cursor?: string; over?: string }
  /** `tests[i]`: `subject == label` for case i when both are simple (a variable, a constant). */
  | { k: 'switch'; pre: Op[]; cases: Stmt[][]; hasDefault: boolean; tests?: (Cond | null)[] }

  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'return'; ops: Op[]; value: ReturnValue; line: number }
  | { k: 'goto'; label: string }
  | { k: 'label'; name: string }
  /** `scoped_guard(T, &l) { ... }`: l is held for the body only; `scope` is the body's frame. */
  | { k: 'scoped'; guard: string; lock: AccessPath | null; line: number; body: Stmt; scope: number };

/** sparse's context annotations on a function: `void f(struct x *p) __acquires(&p->lock);` */
export interface Annotation {
  k: 'acquires' | 'releases' | 'must_hold' | 'cond_acquires';
  /** The argument as written, `&p->lock`. */
  arg: string;
}

export interface FunctionIR {
  name: string;
  /** True for `static` functions: resolved within their file first. */
  isStatic: boolean;
  /** Returns a pointer (`void *ref_lock(u32 ref)`): a non-zero result is an object, not an error code. */
  returnsPointer?: true;
  /** A function-like `#define` lowered as a function over its parameters. */
  isMacro?: boolean;
  /**
   * A macro's parameters its body runs as statements (`unlock_cmd;` in `#define
   * __SLEEP_COND(wq, cond, lock_cmd, unlock_cmd)`), in the order the body runs them: a call
   * written as that argument runs there, not before the macro (c/command-arguments.ts).
   */
  commandParams?: number[];
  line: number;
  endLine: number;
  params: { name: string; type: TypeRef }[];
  /** Parameters and locals by name (kernel style rarely shadows). */
  vars: Record<string, TypeRef>;
  /**
   * Locals assigned exactly one access path (`spinlock_t *l = &s->lock;`): a lock reached
   * through the local is the lock of that path.
   */
  aliases?: Record<string, AccessPath>;
  /** Locals assigned only addresses of several paths, or one and NULL (`q = &g.msg_q; ... q = &g.act_q;`): each one of them in turn. */
  pointsInto?: Record<string, AccessPath[]>;
  /** Locals only ever assigned a call's result (`obj = foo_alloc()`): new objects, not the caller's. */
  fresh?: string[];
  /** Of those, the ones only ever assigned results of one function: which (`file = filp_open(..)`). */
  freshFrom?: Record<string, string>;
  /**
   * Locals made only by one function from a pointer handed to it first (`vfd =
   * video_devdata(file)`): the object was got from that one (c/module-context.ts handedIn).
   */
  gotFrom?: Record<string, string>;
  /**
   * Its whole body is `return container_of(p, struct foo, m);` of its first parameter
   * (`ceph_inode(inode)`, `XFS_I(inode)`): a call's result is the object around the argument,
   * the same object wherever the same argument is handed to it, not a new one.
   */
  containerAccessor?: true;
  /**
   * Locals stored through a parameter (`*bpp = bp;`): the caller gets them as it gets a returned
   * value (local -> parameter index). Also a local's member (`*kp = w->key;`, keyed by its
   * pathText): locks on that object go back with it.
   */
  givenBack?: Record<string, number>;
  /**
   * Iterator positions and the list each walks (`list_for_each_entry(o, &d->outs, head)`: o ->
   * `&d->outs`): an element of a list in an object the caller handed in is that object's.
   */
  cursorLists?: Record<string, AccessPath>;
  /** `static DEFINE_MUTEX(m);` inside the body: name -> lock kind. */
  staticLocks?: Record<string, string>;
  /** Indexes of parameters some condition reads: a caller's constant argument for them is worth a specialised summary. */
  condParams?: number[];
  /** Tested locals that start as a copy of a parameter (`sk = cur; ... if (!sk)`), by local: the parameter each copies. */
  paramCopies?: Record<string, string>;
  /**
   * Tested locals that start as what a parameter points to (`session = *psession; ... if
   * (!session)`), by local: the parameter. The caller's variable handed by address decides them.
   */
  pointeeCopies?: Record<string, string>;
  /**
   * Members of parameters copied into locals the function tests (`autostopped = ohci->autostop;
   * ohci->autostop = 0; ... if (!autostopped)`): what a caller knows of the member decides the
   * test, though the function assigns the member after the copy (member-copies.ts would not).
   */
  testedMemberCopies?: string[];
  annotations?: Annotation[];
  /** Marked `__init`: runs at boot (or module load) only. */
  boot?: true;
  /** Of a `__init` function, the line its unwind path starts at: a label only a jump reaches. */
  unwindFrom?: number;
  /** ...and the last line of it, when a later label the success path jumps to ends it. */
  unwindTo?: number;
  /** The preprocessor conditions around the definition (`CONFIG_SMP`, `!CONFIG_SMP`). */
  config?: string[];
  body: Stmt;
}

/** A function prototype (or definition) seen in the file: its return type and parameters. */
export interface PrototypeIR {
  name: string;
  returns: TypeRef;
  params: { name: string; type: TypeRef }[];
  annotations?: Annotation[];
}

export interface StructIR {
  tag: string;
  fields: Record<string, TypeRef>;
}

/**
 * A function stored into a struct member: `.lock_dev = my_lock` in an initializer of `struct
 * foo_ops` ({ tag: 'foo_ops', fields: ['lock_dev'] }), or `d->ops.lock = my_lock` in a function
 * ({ path: d->ops.lock, in: the function }).
 */
export type PointerStore =
  /** `local`, `in`: the local variable and the function of an initializer inside one (`struct walk_control wc = { .process = f }`). */
  | { tag: string; fields: string[]; fn: string; variable?: string; local?: string; in?: string }

  /** `from`: the member a value read from one holds (`w->end_io = bio->bi_end_io`: a callback saved, to run elsewhere). */
  | { path: AccessPath; in: string; fn: string; from?: AccessPath };

/** A file-scope variable: its type and whether it is `static` (one class per file). */
export interface GlobalIR {
  type: TypeRef;
  isStatic: boolean;
  /**
   * A scalar's initial value: its integer (`4` for `0x4`) or the name written (`TRUE`); `0` for a static one with none: the
   * value it keeps if no code of any build writes it (Program.unwrittenGlobals).
   */
  init?: string;
}

/** What one file contributes to the program. */
export interface FileFacts {
  path: string;
  /** `static DECLARE_DELAYED_WORK(w, fn);`: callbacks bound where their object is defined (c/declared-callbacks.ts). */
  declaredCallbacks?: DeclaredCallback[];
  functions: FunctionIR[];
  prototypes: PrototypeIR[];
  structs: StructIR[];
  typedefs: Record<string, TypeRef>;
  globals: Record<string, GlobalIR>;
  /** `DEFINE_SPINLOCK(x)` and friends: name -> lock kind and storage. */
  lockDefs: Record<string, { kind: string; isStatic: boolean; config?: string[]; line?: number }>;
  pointerStores: PointerStore[];
  /**
   * Member types learnt from assignments, for layouts the snapshot does not have:
   * `struct sighand_struct *sh = tsk->sighand;` says task_struct's `sighand` is a sighand_struct.
   */
  memberTypes: { path: AccessPath; in: string; type: TypeRef }[];
  /**
   * Orders a maintainer has judged safe, in the code: `/* lockscope: safe-order dev.lock -> q.lock
   * (q is always a fresh queue here) *\/`. Reports show what they suppress; nothing is dropped.
   */
  suppressions?: { from: string; to: string; line: number; reason: string }[];


  /** `.c` files this one `#include`s ("sched_fair.c"), by path: one translation unit with it. */
  includesC?: string[];
  /** Headers this one `#include`s by quoted path ("raid1.h"), by path: where a typedef two headers define differently comes from. */
  includesH?: string[];
  /**
   * Constants this file names: enumerators, and macros of an integer value (`#define FALSE 0`),
   * with their value where the declaration gives it (null: not known).
   */
  namedConstants?: Record<string, number | null>;
  /** File-scope `const` integers it defines (`const uint dhd_deferred_tx = 1;`): constants, whatever `extern` elsewhere declares them. */
  constGlobals?: string[];
  /**
   * Variables the file hands out: `module_param(x, ...)` (set at load time) and `&x` anywhere
   * (a caller, a sysctl table or an ops table may write through it).
   */
  exposedVariables?: string[];
  /** Every macro this file `#define`s: what an `#ifdef` may find defined (debug switches among them, see DEBUG_SWITCH). */
  defines?: string[];
  /**
   * Macros this `.c` file `#define`s outside every preprocessor conditional and never `#undef`s,
   * with the line of that `#define` (`#define MSOS_MUTEX_USE_SEM` near the top): on below it.
   */
  definedAt?: Record<string, number>;
  /** Macros whose `#define` this file comments out (`/* #define UART_LOOP *\/`): switches left off. */
  commentedDefines?: string[];
  /** Functions the file exports (`EXPORT_SYMBOL(name)`, `EXPORT_SYMBOL_GPL(name)`). */
  exports?: string[];
  /**
   * Macros this file `#undef`s and never `#define`s, with the line of the first `#undef`
   * (`#undef USE_ENGINE` below the includes: a switch its author turned off for this file).
   */
  undefs?: Record<string, number>;
  /** Members a designated initialiser gives a value other than 0 (`.cansleep = true`): set somewhere (unset-members.ts). */
  initialisedMembers?: string[];
  /** Members assigned whole from another object (`ep->callbacks = req->callbacks`): an embedded table copied into another container. */
  copiedMembers?: string[];
  /** Struct tags initialised by position (`{ 1, &ops }`): any of their members may be set. */
  positionalInits?: string[];
  /** Members declared `volatile` (`unsigned char volatile ToPcFlag`): a device or another CPU writes them, never only code. */
  volatileMembers?: string[];
  /** Members written through a call's result or a cast (`OCFS2_I(inode)->ip_flags |= F`), in function `in`: no set op says them. */
  callWrites?: { in: string; path: AccessPath }[];
  /** Designated initialisers of a value other than 0 (`.kind = OBJ_USER` in a `struct obj`), with the member path under the tag: c/member-values.ts. */
  initialisedValues?: { tag: string; fields: string[]; value: string }[];
  /** Static functions of this file named as values (`.cb = foo`, `&foo`): called from places the program may not see. */
  valueFunctions?: string[];
  /** Static functions named only in static tables nothing the file compiles names (c/value-uses.ts): never called. */
  unusedTableFunctions?: string[];
  /** Parts tree-sitter could not parse, and constructs skipped. */
  skipped: { line: number; reason: string }[];
  lines: number;
}

/** An access path's text without spaces, parentheses or a leading `&`: `&(w->key->sem)` is `w->key->sem`. */
export const pathText = (text: string): string => text.replace(/[\s()]/g, '').replace(/^&/, '');
