/**
 * The lowered form of one C file that the lock analysis reads: per function, a small statement
 * tree whose leaves are the calls made, in evaluation order, plus the declared types the lock
 * classes are resolved through. It is plain JSON, so a file's facts can be computed in a worker
 * and cached by content hash. It is not an AST: everything that cannot take a lock is dropped.
 */

/** A declared type, reduced to what lock-class resolution needs. */
export interface TypeRef {
  /** 'struct' (tag in `name`), 'typedef' (name), 'lock' (lock type, kind in `name`), 'other'. */
  k: 'struct' | 'typedef' | 'lock' | 'other';
  name: string;
  /** Pointer depth is irrelevant for `->` vs `.`; arrays count as the element type. */
}

/**
 * A call argument as an access path: `&iommu->lock` is { root: 'iommu', fields: ['lock'] }.
 * Subscripts are dropped (`&p->q[i].lock` is p.q.lock: every element is one lockdep class).
 * `cast` keeps the struct tag of `((struct foo *)x)->lock`.
 */
export interface AccessPath {
  root: string;
  fields: string[];
  text: string;
  cast?: string;
}

/** One call, in evaluation order; `args` are access paths where the argument is one. */
export interface CallEvent {
  callee: string;
  args: (AccessPath | null)[];
  line: number;
  /** `ret = mutex_lock_interruptible(&m);`: the variable the result lands in. */
  assignTo?: string;
  /** `guard(mutex)(&m)`: the guard type; the lock is held to the end of the enclosing block. */
  guard?: string;
}

/** A branch condition, kept structured so trylock and lock_interruptible results can split the state. */
export type Cond =
  | { k: 'not'; c: Cond }
  | { k: 'and'; a: Cond; b: Cond }
  | { k: 'or'; a: Cond; b: Cond }
  /** A call whose result is tested; `test` says which result means "condition true". */
  | { k: 'call'; ev: CallEvent; pre: CallEvent[]; test: Test }
  /** A variable holding an earlier call's result (`if (ret)`, `if (err < 0)`). */
  | { k: 'var'; name: string; test: Test; pre: CallEvent[] }
  /** Anything else: its calls are made, both branches are possible. */
  | { k: 'other'; calls: CallEvent[] };

/** How a tested value makes the condition true: `x`/`x != 0` nonzero, `!x`/`x == 0` zero, `x < 0` negative. */
export type Test = 'nonzero' | 'zero' | 'negative' | 'nonnegative';

export type Stmt =
  | { k: 'block'; body: Stmt[]; scope: number }
  | { k: 'calls'; calls: CallEvent[] }
  | { k: 'if'; cond: Cond; then: Stmt; else: Stmt | null }
  /** while/for/do and iterator macros; `cond` null means "may run zero or more times". */
  | { k: 'loop'; cond: Cond | null; body: Stmt; post: CallEvent[]; doWhile: boolean }
  | { k: 'switch'; pre: CallEvent[]; cases: Stmt[][]; hasDefault: boolean }
  | { k: 'break' }
  | { k: 'continue' }
  /** `value`: whether the function returns a constant zero or nonzero here (for conditional wrappers). */
  | { k: 'return'; calls: CallEvent[]; value: 'zero' | 'nonzero' | 'other' }
  | { k: 'goto'; label: string }
  | { k: 'label'; name: string }
  /** `scoped_guard(T, &l) { ... }`: l is held for the body only. */
  | { k: 'scoped'; guard: string; lock: AccessPath | null; line: number; body: Stmt };

export interface FunctionIR {
  name: string;
  /** True for `static` functions: resolved within their file first. */
  isStatic: boolean;
  line: number;
  endLine: number;
  params: { name: string; type: TypeRef }[];
  /** Parameters and locals by name (kernel style rarely shadows). */
  vars: Record<string, TypeRef>;
  body: Stmt;
}

export interface StructIR {
  tag: string;
  fields: Record<string, TypeRef>;
}

/** What one file contributes to the program. */
export interface FileFacts {
  path: string;
  functions: FunctionIR[];
  structs: StructIR[];
  typedefs: Record<string, TypeRef>;
  globals: Record<string, TypeRef>;
  /** `DEFINE_SPINLOCK(x)` and friends: name -> lock kind. */
  lockDefs: Record<string, string>;
  /** Parts tree-sitter could not parse, and constructs skipped. */
  skipped: { line: number; reason: string }[];
  lines: number;
}
