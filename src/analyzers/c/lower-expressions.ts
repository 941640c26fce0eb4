/**
 * Expressions to operations and conditions. An expression becomes the calls it makes in
 * evaluation order (arguments before the call) and the assignments a later condition may
 * depend on; a branch condition becomes a Cond: a tested call (`!mutex_trylock(&m)`), a
 * side-effect-free atom the state can remember (`probe`, `dev->flags & F`, `IS_ERR(p)`), a
 * constant, or "other". Lock arguments become access paths. Nothing here knows lock semantics.
 *
 *   ret = mutex_lock_interruptible(&m);  -> [call mutex_lock_interruptible(&m) assignTo ret, set ret]
 *   if (!probe && dev->n > 0)            -> and(atom probe test Z, atom dev->n>0 test P|N)
 *   if (IS_ERR(p))                        -> atom p test N
 */
import type { Node } from './parser.ts';
import { ANY, AROUND_POINTER, CONTAINER, MEMBER_PATH, N, P, pathText, Z, type AccessPath, type CallEvent, type Cond, type Mask, type Op, type ReturnValue, type SetEvent, type TypeRef } from './ir.ts';
import { COMPARE_ZERO, comparisonAtom, ERRNO_NAME, errorCode, integerValue, isConstantName } from './comparison.ts';
import { LOCK_MAP_CALLS, LOCKDEP_CONDITIONS, WAIT_CONDITIONS } from '../locks/catalogue.ts';

import { line, mayMatter, noteAssignment, noteOnce, type Around, type FnCtx } from './lower-context.ts';
import { pastedCall } from './syntax.ts';

const MAX_TEXT = 120;
/** Calls whose result is their (first) argument, for conditions: `if (unlikely(!spin_trylock(&l)))`. */
const TRANSPARENT = new Set(['likely', 'unlikely', 'WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE', 'WARN_ON_SMP', '__builtin_expect']);
/** Calls with no effect a lock analysis sees, whose result a condition may test twice. */
export const PURE_CALLS: ReadonlySet<string> = new Set([
  'IS_ERR', 'IS_ERR_OR_NULL', 'PTR_ERR', 'ERR_PTR', 'test_bit', 'constant_test_bit', 'variable_test_bit', 'atomic_read', 'atomic64_read',
  'list_empty', 'hlist_empty', 'hlist_unhashed', 'in_interrupt', 'in_irq', 'in_softirq', 'in_atomic', 'irqs_disabled', 'READ_ONCE',
  'ACCESS_ONCE', 'unlikely', 'likely', 'is_power_of_2', 'netif_running', 'cpu_online', 'capable',
]);
/**
 * sparse's conditional context, `__cond_lock(x, c)` (`get_ldev(M)` is
 * `__cond_lock(local, _get_ldev_if_state(M, ..))`): its value is c's, and where that is not 0
 * the context x is entered. Returned, it is a test of c (lower-statements.ts bindReturn), so the
 * ways out of the call in c stay told apart by what they return (the one that dropped the
 * reference itself returns 0) and only the others enter x.
 */
export function sparseCondLock(n: Node): { context: Node; value: Node } | undefined {
  const u = unwrap(n);
  if (u.type !== 'call_expression' || u.childForFieldName('function')?.text !== '__cond_lock') return undefined;
  const [context, value] = callArguments(u);
  return context && value ? { context, value } : undefined;
}

/** Calls that return a pointer into their argument: the result is not a new object. */
const ACCESSOR = /^(container_of|list_(first_|last_|next_|prev_)?entry(_\w+)?|hlist_entry(_\w+)?|rb_entry(_\w+)?|rcu_dereference\w*|READ_ONCE|ACCESS_ONCE|to_\w+|\w+_to_\w+|\w+_entry|\w+_priv|\w*get_drvdata|get_\w+|\w+_get|\w+_of)$/;

/** The expression inside parentheses and casts. */
export const unwrap = (n: Node): Node => {
  let cur = n;
  // A node's type is a call into the parser's memory: read once per node (hot in the lowering).
  for (let type = cur.type; (type === 'parenthesized_expression' || type === 'cast_expression') && cur.namedChildCount > 0; ) {
    const next = type === 'cast_expression' ? cur.childForFieldName('value') : cur.firstNamedChild;
    if (!next) break;
    const nextType = next.type;
    if (nextType === 'compound_statement') break;
    cur = next;
    type = nextType;
  }
  return cur;
};

const args = (call: Node): Node[] => call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];

/** The constant mask of a literal argument or return value, if it is one. */
export function constantMask(node: Node | null): Mask | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  const t = n.text;
  // Read once: each read of a node's type is a call into the parser's memory.
  const type = n.type;
  // The grammar reads `TRUE` and `FALSE` as the literals `true` and `false`.
  if (t === '0' || t === 'NULL' || type === 'false' || t === '0UL' || t === '0L') return Z;
  if (type === 'true') return P;
  // tree-sitter reads `-1` as one number literal.
  if (type === 'number_literal') return /^0+[uUlL]*$/.test(t) || /^0x0+[uUlL]*$/i.test(t) ? Z : t.startsWith('-') ? N : P;

  if (type === 'unary_expression' && n.childForFieldName('operator')?.text === '-') {
    const a = n.childForFieldName('argument');
    if (a && (a.type === 'number_literal' || ERRNO_NAME.test(a.text))) return N;
  }
  if (type === 'call_expression' && /^(ERR_PTR|ERR_CAST)$/.test(n.childForFieldName('function')?.text ?? '')) return N;
  // `mod < 0 ? -1 : 0`: one of two constants, whichever way the condition goes (never > 0 here).
  if (type === 'conditional_expression') {
    const a = constantMask(n.childForFieldName('consequence'));
    const b = constantMask(n.childForFieldName('alternative'));
    return a !== undefined && b !== undefined ? a | b : undefined;
  }
  return undefined;
}

/** The calls an expression makes and the assignments it does, in evaluation order. */
export function bindExpression(node: Node | null, fx: FnCtx): Op[] {
  const out: Op[] = [];
  lowerExpression(node, out, fx);
  return out;
}

export function lowerExpression(node: Node | null, out: Op[], fx: FnCtx): void {
  if (!node || !mayMatter(fx.file.source, node)) return;
  switch (node.type) {
    case 'call_expression':
      lowerCall(node, out, fx);
      return;
    case 'assignment_expression':
      lowerAssignment(node, out, fx);
      return;
    case 'update_expression': {
      const arg = node.childForFieldName('argument');
      const target = arg ? lvalue(arg) : undefined;
      const step: 1 | -1 | undefined = /^--|--$/.test(node.text) ? -1 : /^\+\+|\+\+$/.test(node.text) ? 1 : undefined;
      if (target) out.push({ k: 'set', target: target.text, root: target.root, value: ANY, line: line(node), ...(step ? { step } : {}) });
      return;
    }
    case 'sizeof_expression':
    case 'alignof_expression':
    case 'offsetof_expression':
    case 'string_literal':
    case 'concatenated_string':
    case 'number_literal':
    case 'identifier':
    case 'field_identifier':
    case 'comment':
      return;
    default:
      for (const c of node.namedChildren) lowerExpression(c, out, fx);
  }
}

/**
 * `&l->dep_map`, `&sk->sk_lock.dep_map`, `&lock->dep_map` of a lock-typed `lock`: a lock's own
 * lockdep map, which lockdep's annotations (catalogue LOCK_MAP_CALLS) move between holders
 * (dcache's tree walk, the scheduler's runqueue lock across a switch) as bookkeeping of the lock.
 */
function ownLockMap(path: AccessPath | null, fx: FnCtx): boolean {
  if (!path || path.rootCall || path.fields[path.fields.length - 1] !== 'dep_map') return false;
  return path.fields.length >= 2 || fx.vars[path.root]?.k === 'lock';
}

function lowerCall(node: Node, out: Op[], fx: FnCtx): void {
  const fnNode = node.childForFieldName('function');
  const argNodes = args(node);
  // A call written as an argument is tagged with where it stands: a macro that runs that
  // argument as a statement runs it in its body (c/command-arguments.ts).
  let callAt: number | undefined;
  argNodes.forEach((a, i) => {
    const from = out.length;
    lowerExpression(a, out, fx);
    // A statement expression (`({ flush(p); kick(p); })`) is a command as a call is.
    const u = unwrap(a);
    if (u.type !== 'call_expression' && !(u.type === 'parenthesized_expression' && u.firstNamedChild?.type === 'compound_statement')) return;
    callAt = node.startIndex;
    for (const o of out.slice(from)) if (o.k === undefined && !o.argOf) o.argOf = { at: node.startIndex, i };
  });
  if (!fnNode) return;
  const ev = (callee: string, extra: Partial<CallEvent> = {}): CallEvent => {
    const e: CallEvent = { callee, args: argNodes.map((a) => argumentPath(a, fx)), line: line(node), ...(callAt !== undefined ? { callAt } : {}), ...extra };
    argNodes.forEach((a, i) => {
      noteArgument(e, i, a, (name) => !(name in fx.vars) && typeof fx.file.facts.namedConstants?.[name] === 'number');
      const cmp = comparisonArgument(a, fx);
      if (cmp) (e.conds ??= {})[i] = cmp;
    });
    return e;
  };
  const target = unwrapCallee(fnNode);
  const pasted = pastedCall(target);
  const held = heldCondition(target.type === 'identifier' ? target.text : '', argNodes);
  if (held) out.push({ callee: 'lockdep_assert_held', args: [accessPath(held)], line: line(node) });
  if (target.type === 'identifier') {
    const name = target.text;

    const t = fx.vars[name];
    // A parameter shadows any function of its name: `formatter(..)` calls through it, whatever
    // typedef (`bulkstat_one_pf formatter`, declared in some header) spells its type.
    if (t?.k === 'fn' || fx.params.includes(name)) out.push(ev(name, { indirect: { object: null, member: name } }));
    else if (LOCK_MAP_CALLS.has(name) && argNodes[0] && ownLockMap(argumentPath(argNodes[0], fx), fx)) {
      // lockdep's bookkeeping of a lock lockscope follows by its real calls: nothing to add.
    } else {
      // `wait_event(wq, cond)`: its condition, which a path may know holds (no sleep there).
      const at = WAIT_CONDITIONS.get(name);
      const until = at !== undefined && argNodes[at] ? bindCond(argNodes[at] as Node, fx) : undefined;
      out.push(until && callFree(until) ? ev(name, { until }) : ev(name));
    }
  } else if (target.type === 'call_expression' && target.childForFieldName('function')?.text === 'guard') {
    const guardType = target.childForFieldName('arguments')?.firstNamedChild?.text ?? '';
    out.push(ev('guard', { guard: guardType }));
  } else if (pasted && !pasted.words.some((w) => w in fx.vars || fx.params.includes(w) || w in fx.file.facts.globals)) {
    // `FNAME(walk_addr)(w, vcpu)`: the function a pasting macro names, by its own name (syntax.ts),
    // not the macro's; `READ_ONCE(hook)(x)` of a variable reads a pointer and calls through it.
    out.push(ev(pasted.name));
  } else if (target.type === 'field_expression') {
    const object = target.childForFieldName('argument');
    lowerExpression(object, out, fx);
    const member = target.childForFieldName('field')?.text ?? '';
    const dot = target.childForFieldName('operator')?.text === '.' ? { dot: true as const } : {};
    out.push(ev(member, { indirect: { object: object ? accessPath(object) : null, member, ...dot } }));
  } else {
    lowerExpression(fnNode, out, fx);
  }
  // `foo(&got)` may write `got`: what a condition remembered of it is forgotten.
  for (const a of argNodes) {
    if (a.type !== 'pointer_expression' || a.childForFieldName('operator')?.text !== '&') continue;
    const inner = a.childForFieldName('argument');
    if (inner?.type === 'identifier' && fx.vars[inner.text] && fx.vars[inner.text]?.k !== 'lock') {
      out.push({ k: 'set', target: inner.text, root: inner.text, value: ANY, line: line(node), byCall: true });
    }
  }
}

/** What argument `i` says beyond its path: a constant, a literal, a flag set, a masked variable. */
function noteArgument(e: CallEvent, i: number, a: Node, isConstant?: (name: string) => boolean): void {
  const m = constantMask(a);
  if (m !== undefined) (e.consts ??= {})[i] = m;
  if (a.type === 'number_literal') (e.lits ??= {})[i] = a.text;
  const flags = flagSet(a, isConstant);
  if (flags) (e.flags ??= {})[i] = flags;
  const ored = flags ? undefined : oredFlags(a, isConstant);
  if (ored) (e.ored ??= {})[i] = ored;
  const masked = maskedVariable(a);
  if (masked) (e.masked ??= {})[i] = masked;
  const u = unwrap(a);
  const inner = u.type === 'unary_expression' && u.childForFieldName('operator')?.text === '!' ? u.childForFieldName('argument') : null;
  if (inner && unwrap(inner).type === 'identifier') (e.negated ??= {})[i] = unwrap(inner).text;
  const offset = offsetVariable(u);
  if (offset) (e.offsets ??= {})[i] = offset;
  const choices = namesChosen(u);
  if (choices) (e.choices ??= {})[i] = choices;
}

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);

/** `trans != NULL`, `len > 0`: the one atom a comparison written as an argument tests (no call in it). */
function comparisonArgument(a: Node, fx: FnCtx): { key: string; test: Mask } | undefined {
  const u = unwrap(a);
  if (u.type !== 'binary_expression' || !COMPARISONS.has(u.childForFieldName('operator')?.text ?? '')) return undefined;
  const c = bindCond(u, fx);
  return c.k === 'atom' && !c.key.includes('(') ? { key: c.key, test: c.test } : undefined;
}

/** `c ? (T)f : g`: the names either arm is (casts and parentheses aside); undefined unless both are names. */
function namesChosen(u: Node): string[] | undefined {
  if (u.type !== 'conditional_expression') return undefined;
  const arms = [u.childForFieldName('consequence'), u.childForFieldName('alternative')].map((n) => (n ? unwrap(n) : null));
  if (!arms.every((n) => n?.type === 'identifier')) return undefined;
  return [...new Set(arms.map((n) => (n as Node).text))].sort();
}

/** `1029 + base`, `base + 4`, `base - 1`: the variable and the number added to it. */
function offsetVariable(u: Node): { root: string; add: number } | undefined {
  const op = u.type === 'binary_expression' ? u.childForFieldName('operator')?.text : undefined;
  if (op !== '+' && op !== '-') return undefined;
  const l = unwrap(u.childForFieldName('left') as Node);
  const r = unwrap(u.childForFieldName('right') as Node);
  const number = (n: Node): number | undefined => (n.type === 'number_literal' ? integerValue(n.text) : undefined);
  const right = number(r);
  if (l.type === 'identifier' && right !== undefined) return { root: l.text, add: op === '+' ? right : -right };
  const left = number(l);
  if (op === '+' && r.type === 'identifier' && left !== undefined) return { root: r.text, add: left };
  return undefined;
}

/** The same call with argument `i` written as `a` instead. */
export function withArgument(ev: CallEvent, i: number, a: Node): CallEvent {
  const { consts, lits, flags, ored, masked, negated, offsets, choices, conds, ...rest } = ev;
  const e: CallEvent = { ...rest, args: ev.args.map((x, j) => (j === i ? accessPath(a) : x)) };
  // What the other arguments say stays; noteArgument says what the new one does.
  const c = othersOf(consts, i);
  if (c) e.consts = c;
  const l = othersOf(lits, i);
  if (l) e.lits = l;
  const f = othersOf(flags, i);
  if (f) e.flags = f;
  const or = othersOf(ored, i);
  if (or) e.ored = or;
  const m = othersOf(masked, i);
  if (m) e.masked = m;
  const n = othersOf(negated, i);
  if (n) e.negated = n;
  const o = othersOf(offsets, i);
  if (o) e.offsets = o;
  const ch = othersOf(choices, i);
  if (ch) e.choices = ch;
  const cm = othersOf(conds, i);
  if (cm) e.conds = cm;
  noteArgument(e, i, a);
  return e;
}

/** A per-argument record without argument `i`'s entry; undefined when nothing is left. */
function othersOf<T>(r: Record<number, T> | undefined, i: number): Record<number, T> | undefined {
  if (!r) return undefined;
  const out: Record<number, T> = {};
  let any = false;
  for (const [k, v] of Object.entries(r)) {
    if (Number(k) === i) continue;
    out[Number(k)] = v;
    any = true;
  }
  return any ? out : undefined;
}

/** The arguments of a call expression, comments aside. */
export const callArguments = args;

/**
 * What a compound assignment leaves when its operand says: `x |= 1` is not 0 (a flag a lock
 * macro raises while it holds the lock), `x &= 0` is 0; any other is unknown.
 */
function compoundValue(op: string, right: Node | null): Mask {
  const m = right ? constantMask(unwrap(right)) : undefined;
  if (op === '|=' && m !== undefined && m !== Z) return P | N;
  if (op === '&=' && m === Z) return Z;
  return ANY;
}

/**
 * `(flags_t)(x)`, `(routine_t) (req->context)`: a cast to a typedef the parser does not know,
 * which it reads as a call of a parenthesized name with one argument; the value cast.
 */
function castReadAsCall(n: Node): Node | undefined {
  const typeName = n.type === 'call_expression' ? n.childForFieldName('function') : null;
  if (typeName?.type !== 'parenthesized_expression' || typeName.namedChildCount !== 1 || typeName.firstNamedChild?.type !== 'identifier') return undefined;
  const list = n.childForFieldName('arguments');
  return list?.namedChildCount === 1 ? (list.firstNamedChild ?? undefined) : undefined;
}

/**
 * `(*fn)(x)`, `(d->fn)(x)`, `((routine_t) (req->context))(x)`: the expression the called pointer
 * is read from. A called pointer cast to a typedef is read as cast (castReadAsCall), never as a
 * call of a parenthesized function returning one.
 */
function unwrapCallee(n: Node): Node {
  let cur = n;
  for (;;) {
    if (cur.type === 'parenthesized_expression' && cur.firstNamedChild) cur = cur.firstNamedChild;
    else if (cur.type === 'cast_expression' && cur.childForFieldName('value')) cur = cur.childForFieldName('value') as Node;
    else if (castReadAsCall(cur)) cur = castReadAsCall(cur) as Node;
    else if (cur.type === 'pointer_expression' && cur.childForFieldName('operator')?.text === '*' && cur.childForFieldName('argument')) cur = cur.childForFieldName('argument') as Node;
    else return cur;
  }
}

/** The constant bits `x &= ~(A | B)` clears and `x |= A | B` raises, named as a test names them (`x & A`). */
function flagBits(op: string, r: Node | null, fx: FnCtx): { names: string[]; set: boolean } | undefined {
  if (!r || (op !== '&=' && op !== '|=')) return undefined;
  let v = r;
  if (op === '&=') {
    if (v.type !== 'unary_expression' || v.childForFieldName('operator')?.text !== '~') return undefined;
    v = unwrap(v.childForFieldName('argument') ?? v);
  }
  const names = v.text.replace(/[()\s]/g, '').split('|');
  // Constants (`gcvPOWER_FLAG_ACQUIRE`), not the function's variables.
  return names.every((n) => /^[A-Za-z_]\w*$/.test(n) && !(n in fx.vars)) ? { names, set: op === '|=' } : undefined;
}

/** `F_A | F_B | 4`: the constants or'ed, when every operand is a constant name or a number. */
export function constantOr(r: Node, fx: FnCtx): string[] | undefined {
  const names = r.text.replace(/[()\s]/g, '').split('|');
  if (names.length < 2 || names.some((n) => n === '')) return undefined;
  return names.every((n) => (/^[A-Za-z_]\w*$/.test(n) && !(n in fx.vars)) || /^(0x[0-9a-fA-F]+|\d+)[uUlL]*$/.test(n)) ? names : undefined;
}

function lowerAssignment(node: Node, out: Op[], fx: FnCtx): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const before = out.length;
  lowerExpression(left, out, fx);
  lowerExpression(right, out, fx);
  if (!left) return;
  const target = lvalue(left);
  // `OCFS2_I(inode)->ip_flags |= F`: a member written through a call's result, which no set op
  // says (c/member-values.ts must not think it unwritten).
  if (!target) {
    const through = accessPath(unwrap(left));
    if (through && through.fields.length > 0 && (through.rootCall !== undefined || through.cast !== undefined)) (fx.file.facts.callWrites ??= []).push({ in: fx.name, path: through });
  }
  const op = node.childForFieldName('operator')?.text ?? '=';
  const r = right ? unwrap(right) : null;
  // The call whose result lands here: the last op, past the `&local` writes it may make (`c = lock_ctx(slot, &flags)`).
  let last: Op | undefined;
  for (let i = out.length - 1; i >= before; i--) {
    const o = out[i] as Op;
    if (o.k === undefined) {
      last = o;
      break;
    }
  }
  let assigned = false;
  const into = left.type === 'identifier' ? left.text : derefOf(left);
  // `p = ERR_PTR(-EINVAL)` is a value (an error pointer), not a call's unknown result.
  if (r?.type === 'call_expression' && constantMask(r) === undefined && into && last && last.k === undefined && op === '=' && last.line === line(r)) {
    last.assignTo = into;
    assigned = true;
  }

  if (left.type === 'identifier' && op === '=' && r) {
    noteValue(fx, left.text, r);
    const t = fx.vars[left.text];
    if (t) learnMemberType(fx, t, r);
  }
  // A call's result assigned to a variable is already a fact about it (assignTo): no blind write after it.
  if (target && !assigned) out.push(storeOf(target, op, right, fx, line(node), left.type === 'identifier'));

  // `*bpp = bp;`, `*bpp = get_buf(..);`: the object goes back to the caller through its parameter.
  const through = op === '=' && r ? fx.params.indexOf(storeRoot(left) ?? '') : -1;
  if (r?.type === 'identifier' && r.text in fx.vars && through >= 0) fx.givenBack.set(r.text, through);
  // `*kp = walker->key;`: locks on that object (`walker->key->sem`) go back too.
  const member = r?.type === 'field_expression' && through >= 0 ? accessPath(r) : null;
  if (member && member.root in fx.vars && !fx.params.includes(member.root)) fx.givenBack.set(pathText(member.text), through);
  if (r?.type === 'call_expression' && through >= 0 && last && last.k === undefined && last.line === line(r)) last.storedTo = through;
  // `d->ops.lock = my_lock;`, `c->ops = &clk_ops;`: a function or an ops table stored into a
  // member, for calls through it. A pointer the program cannot name (`c->ops = init->ops`) is
  // kept as '': that member may hold any table.
  if (op === '=' && r && left.type === 'field_expression') {
    const named = storedName(r);
    const path = named !== undefined || UNNAMED_POINTER.has(r.type) ? accessPath(left) : null;
    const from = r.type === 'field_expression' ? accessPath(r) : null;
    if (path) fx.file.facts.pointerStores.push({ path, in: fx.name, fn: named ?? '', ...(from ? { from } : {}) });
    // `ep->callbacks = req->callbacks`, `x.ops = *ops`: a member assigned whole from another object
    // (a struct copy's right side is an object, not a computed value), whose embedded functions
    // go with it (Program.keepEmbeddedIn).
    let whole = right;
    while (whole?.type === 'parenthesized_expression') whole = whole.namedChild(0);
    const field = left.childForFieldName('field')?.text;
    if (field && whole && COPIED_FROM.has(whole.type) && !(whole.type === 'pointer_expression' && whole.childForFieldName('operator')?.text === '&')) noteOnce(fx.file.facts, 'copiedMembers', field);
  }
}

/** What an object assigned whole may be read from. */
const COPIED_FROM = new Set(['field_expression', 'identifier', 'pointer_expression', 'subscript_expression']);

/**
 * The write `target op right` makes (`x = 3`, `h->flags |= F`, `cmd.flags = flags` written as a
 * local's initializer): its value, or where it comes from, as far as the lowering can say.
 */
export function storeOf(target: { text: string; root: string }, op: string, right: Node | null, fx: FnCtx, at: number, toVariable: boolean): SetEvent {
  const r = right ? unwrap(right) : null;
  const set: SetEvent = { k: 'set', target: target.text, root: target.root, value: op === '=' ? (constantMask(right) ?? ANY) : compoundValue(op, right), line: at };
  const from = op === '=' && r ? storedFrom(r, fx) : undefined;
  const addr = op === '=' && r?.type === 'pointer_expression' && r.childForFieldName('operator')?.text === '&' ? accessPath(r) : null;
  if (addr) set.addr = addr;
  // `m1 = &sb->rename_mutex`: the address of an object is never NULL (a later `if (m1)` holds).
  if (addr && set.value === ANY) set.value = P;
  const copy = op === '=' && r?.type === 'field_expression' && target.text !== target.root ? accessPath(r) : null;
  if (copy && copy.fields.length > 0) set.copy = copy;
  // `*fbo = *bo`: a struct copied whole from another object (c/member-values.ts: same values).
  const derefed = op === '=' && target.text.startsWith('*') && r?.type === 'pointer_expression' && r.childForFieldName('operator')?.text === '*' ? r.childForFieldName('argument') : null;
  if (derefed?.type === 'identifier') set.wholeFrom = derefed.text;
  const member = toVariable && op === '=' && r ? copiedMember(r) : undefined;
  const code = op === '=' && r ? negatedCode(r) : undefined;
  if (member !== undefined) set.member = member;
  if (from !== undefined) set.from = from;
  else if (op === '=' && r && ((r.type === 'identifier' && FLAG.test(r.text) && !(r.text in fx.vars)) || r.type === 'number_literal')) set.lit = r.text;
  // `err = -ENOMEM;`: which error code, for a later `err == -EAGAIN` (here or in a caller, returned).
  else if (code) set.lit = code;
  else if (op === '=' && r?.type === 'identifier' && !(r.text in fx.vars)) set.name = r.text;
  // `flag &= ~FLAG_ACQUIRE`, `flag |= FLAG_RELEASE`: those bits are clear (set) after it.
  const bits = flagBits(op, r, fx);
  if (bits) set.bits = bits;
  const orOf = op === '=' && r?.type === 'binary_expression' ? constantOr(r, fx) : undefined;
  if (orOf) set.orOf = orOf;
  const oneOf = op === '=' ? constantArms(r, fx) : undefined;
  if (oneOf) set.oneOf = oneOf;
  return set;
}

/**
 * `secure ? 0 : FIRST_SHARED`: the constants a choice stores, numbers or names that are no
 * variable of the function (the analysis knows the names' values, the lowering does not).
 */
export function constantArms(node: Node | null, fx: FnCtx): string[] | undefined {
  const u = node ? unwrap(node) : null;
  if (u?.type !== 'conditional_expression') return undefined;
  const arms = [u.childForFieldName('consequence'), u.childForFieldName('alternative')].map((a) => (a ? unwrap(a) : null));
  const constant = (a: Node | null): a is Node => a !== null && (a.type === 'number_literal' || (a.type === 'identifier' && !(a.text in fx.vars)));
  return arms.every(constant) ? arms.map((a) => (a as Node).text) : undefined;
}

/** Values that may be a pointer to an ops table without naming one (`init->ops`, `get_ops(d)`, `a ? &x : &y`). */
export const UNNAMED_POINTER = new Set(['field_expression', 'call_expression', 'conditional_expression', 'subscript_expression', 'pointer_expression']);

/** The object or function a stored value names: `f`, `&ops` (a pointer expression is `&x` only with an identifier). */
export function storedName(v: Node): string | undefined {
  if (v.type === 'identifier') return v.text;
  const inner = v.type === 'pointer_expression' && v.childForFieldName('operator')?.text === '&' ? v.childForFieldName('argument') : null;
  return inner?.type === 'identifier' ? inner.text : undefined;
}

/**
 * `struct sighand_struct *sh = tsk->sighand;`: the member's type, for a layout the snapshot may
 * lack; `struct pm_data *pm = &kbdev->pm;`: the member is that struct, embedded.
 */
export function learnMemberType(fx: FnCtx, t: TypeRef, value: Node): void {
  if (t.k !== 'struct' && t.k !== 'typedef') return;
  let v = unwrap(value);
  let type = t;
  if (v.type === 'pointer_expression' && v.childForFieldName('operator')?.text === '&') {
    const inner = v.childForFieldName('argument');
    if (!inner) return;
    v = unwrap(inner);
    type = { k: t.k, name: t.name };
  }
  if (v.type !== 'field_expression') return;
  const path = accessPath(v);
  if (path && path.fields.length > 0) fx.file.facts.memberTypes.push({ path, in: fx.name, type });
}

/** `v` is an element of the list (or the object around the member) `of`; two different ones, of neither. */
export function noteElementOf(fx: FnCtx, v: string, of: Node | undefined, assigned = true): void {
  const path = of ? accessPath(of) : null;
  const lists = (fx.cursorLists ??= new Map());
  const seen = lists.get(v);
  lists.set(v, !path || path.rootCall || (seen && seen.text !== path.text) ? { root: '', fields: [], text: '' } : path);
  if (assigned) (fx.elementAssignments ??= new Map()).set(v, (fx.elementAssignments.get(v) ?? 0) + 1);
}

/** `container_of(host->ctl, struct cppi, ctl)` of a variable or member path: the object around it. */
function aroundOf(a: Node[]): { around?: Around } {
  const [ptr, type, member] = a;
  if (!ptr || !type || !member || member.type !== 'identifier' && member.type !== 'field_identifier') return {};
  const inner = accessPath(ptr);
  const text = inner?.text.replace(/\s+/g, '');
  // `struct` in a macro's type argument is blanked before parsing (macro-rewrite.ts).
  const tag = /^(?:const\s+)?(?:struct\s+)?(\w+)$/.exec(type.text.trim())?.[1];
  if (!inner || !text || !tag || inner.rootCall || inner.cast || !(MEMBER_PATH.test(text) || /^[A-Za-z_]\w*$/.test(text))) return {};
  return { around: { inner: { ...inner, text }, tag, member: member.text } };
}

/** A pointer variable handed as a call's first argument (`video_devdata(file)`, `netdev_priv(dev)`), else ''. */
function pointerHanded(arg: Node | undefined, fx: FnCtx): string {
  const a = arg ? unwrap(arg) : undefined;
  if (a?.type !== 'identifier') return '';
  const t = fx.vars[a.text];
  return t?.ptr ? a.text : '';
}

/** Records what a local is assigned: an access path (an alias), a new object, or something else. */
export function noteValue(fx: FnCtx, name: string, value: Node): void {
  const v = unwrap(value);
  if (v.text === 'NULL') return noteAssignment(fx, name, { nullPointer: true });
  if (v.type === 'call_expression') {
    const callee = v.childForFieldName('function')?.text ?? '';
    if (ACCESSOR.test(callee)) {
      noteAssignment(fx, name, AROUND_POINTER.has(callee) ? aroundOf(callArguments(v)) : {});
      // `b = list_first_entry(&d->lru, ..)`: an element of that list (see FunctionIR.cursorLists).
      if (CONTAINER.has(callee)) noteElementOf(fx, name, callArguments(v)[0]);
    } else noteAssignment(fx, name, { fresh: true, maker: /^[A-Za-z_]\w*$/.test(callee) ? callee : '', from: pointerHanded(callArguments(v)[0], fx) });
    return;
  }
  const path = v.type === 'identifier' || v.type === 'field_expression' || v.type === 'pointer_expression' ? accessPath(v) : null;
  noteAssignment(fx, name, path ? { path } : {});
}

/** The variable a store through memory writes into: `out` in `*out = x`, `r->buf = x`, `v[i] = x`. */
function storeRoot(n: Node): string | undefined {
  let u = unwrap(n);
  let through = false;
  while (u.type === 'pointer_expression' || u.type === 'subscript_expression' || u.type === 'field_expression') {
    const next = u.childForFieldName('argument');
    if (!next) return undefined;
    u = unwrap(next);
    through = true;
  }
  return through && u.type === 'identifier' ? u.text : undefined;
}

/** `*out` as a condition reads it (`IS_ERR(*out)`): an out-parameter's pointee, one value like a variable. */
function derefOf(n: Node): string | undefined {
  const u = unwrap(n);
  const arg = u.type === 'pointer_expression' && u.childForFieldName('operator')?.text === '*' ? u.childForFieldName('argument') : null;
  const a = arg ? unwrap(arg) : null;
  return a?.type === 'identifier' ? `*${a.text}` : undefined;
}

/** An assigned expression a condition may read: a variable, `*out`, or a member chain. */
function lvalue(n: Node): { text: string; root: string } | undefined {
  const u = unwrap(n);
  if (u.type === 'identifier') return { text: u.text, root: u.text };
  const deref = derefOf(u);
  if (deref) return { text: deref, root: deref };
  if (u.type === 'field_expression') {
    const p = accessPath(u);
    if (p && p.root) return { text: p.text, root: p.root };
  }
  return undefined;
}

/** A lock argument (or any value) as an access path, or null when it is not one (arithmetic, a string). */
export function accessPath(node: Node): AccessPath | null {
  const fields: string[] = [];
  let cast: string | undefined;
  /** The cast met first is of the whole value (no member read outside it). */
  let wholeValue = false;
  let cur: Node | null = node;
  // `(void *)&img` is `&img` as text too: what a path knows of img's members goes with it to the callee.
  let textNode = node;
  let outer = true;
  while (cur) {
    switch (cur.type) {
      case 'pointer_expression':
        outer = false;
        cur = cur.childForFieldName('argument') ?? cur.firstNamedChild ?? null;
        continue;
      case 'parenthesized_expression': {
        const inner = cur.childForFieldName('argument') ?? cur.firstNamedChild ?? null;
        // `(reg)`, as a macro body passes its argument on: the same value, written `reg`.
        if (textNode === cur && inner) textNode = inner;
        cur = inner;
        continue;
      }
      case 'cast_expression': {
        const t = cur.childForFieldName('type')?.childForFieldName('type');
        if (t?.type === 'struct_specifier') cast = t.childForFieldName('name')?.text;
        else if (t?.type === 'type_identifier') cast = t.text;
        if (cast !== undefined) wholeValue = fields.length === 0;
        cur = cur.childForFieldName('value');
        if (outer && !cast && cur) textNode = cur;
        continue;
      }
      case 'field_expression':
        outer = false;
        fields.unshift(cur.childForFieldName('field')?.text ?? '');
        cur = cur.childForFieldName('argument');
        continue;
      case 'subscript_expression':
        outer = false;
        cur = cur.childForFieldName('argument');
        continue;
      case 'call_expression': {
        // `&sb_info(sb)->sem`, `&container_of(x, struct foo, m)->lock`: the root is a call's result.
        const fn = cur.childForFieldName('function');
        if (fn?.type !== 'identifier') return null;
        const a = args(cur);
        // The object the call computes from (`HFS_I(tree->inode)`): where it was reached says its init site.
        const from = a[0] && fields.length > 0 ? accessPath(a[0]) : null;
        const rootArg = from && from.root && !from.rootCall ? { rootArg: from } : {};
        if (CONTAINER.has(fn.text) && a[1] && !cast) {
          cast = a[1].text.replace(/^struct\s+/, '').trim();
          return withText({ root: '', fields, text: '', cast, rootCall: fn.text, ...rootArg }, textNode);
        }
        return withText({ root: '', fields, text: '', rootCall: fn.text, ...(cast ? { cast } : {}), ...rootArg }, textNode);
      }
      case 'identifier':
        // `(struct semaphore *)thiz->priv`: a cast of the whole value, not of thiz; the object is
        // thiz's priv. (`((struct foo *)p)->lock` and `(struct nbd *)v` read members from it.)
        if (wholeValue && fields.length > 0) cast = undefined;
        return withText({ root: cur.text, fields, text: '', ...(cast ? { cast } : {}) }, textNode);
      default:
        return null;
    }
  }
  return null;
}

/**
 * A call's argument as a path: also an element reached by pointer arithmetic on an array or
 * pointer (`spin_unlock(conf->hash_locks + i - 1)`), read as `&conf->hash_locks[i - 1]` is: the
 * array's path, the whole expression as text.
 */
function argumentPath(node: Node, fx: FnCtx): AccessPath | null {
  const direct = accessPath(node);
  if (direct) return direct;
  let cur = unwrap(node);
  while (cur.type === 'binary_expression' && /^[+-]$/.test(cur.childForFieldName('operator')?.text ?? '')) cur = unwrap(cur.childForFieldName('left') as Node);
  // A member, or a global array: a local or a parameter plus a number is more often a number.
  if (cur === unwrap(node) || !(cur.type === 'field_expression' || (cur.type === 'identifier' && !(cur.text in fx.vars)))) return null;
  const base = accessPath(cur);
  return base ? withText(base, node) : null;
}

function withText(p: AccessPath, node: Node): AccessPath {
  // Blanks go, except one between two words (`struct dev`).
  const text = node.text.replace(/(\w)\s+(?=\w)/g, '$1 ').replace(/(?<!\w)\s+|\s+(?!\w)/g, '');
  p.text = text.length
 > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}...` : text;
  return p;
}

const FLAG = /^_*[A-Z][A-Z0-9_]+$/;

/** `XFS_ILOCK_EXCL | XFS_IOLOCK_SHARED` (constants or'ed together): the flag names; else undefined. */
export function flagSet(node: Node, isConstant?: (name: string) => boolean): string[] | undefined {
  const n = unwrap(node);
  // An upper-case name, or one the file defines as an integer (`#define lbmSYNC 0x0008`).
  if (n.type === 'identifier') return FLAG.test(n.text) || isConstant?.(n.text) ? [n.text] : undefined;
  // `(flags_t)(A | B)`: a cast to a typedef the parser does not know reads as a call.
  const cast = castReadAsCall(n);
  if (cast) return flagSet(cast, isConstant);
  // `A | B`, and `A + B` of distinct flags (`CS_VERBOSE + CS_WAIT_COMPLETE`): the same bits.
  const op = n.type === 'binary_expression' ? n.childForFieldName('operator')?.text : undefined;
  if (op === '|' || op === '+') {
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    const a = l ? flagSet(l, isConstant) : undefined;
    const b = r ? flagSet(r, isConstant) : undefined;
    if (!a || !b || (op === '+' && a.some((x) => b.includes(x)))) return undefined;
    return [...a, ...b];
  }
  return undefined;
}

/**
 * `flags | NO_LOCKING`, `mode | A | B`: the constant flags an `|` of a variable part and flag
 * names holds whatever the variable part is; undefined unless it has both.
 */
function oredFlags(node: Node, isConstant?: (name: string) => boolean): string[] | undefined {
  const names: string[] = [];
  let variable = false;
  const walk = (x: Node): void => {
    const n = unwrap(x);
    const l = n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '|' ? n.childForFieldName('left') : null;
    const r = l ? n.childForFieldName('right') : null;
    if (l && r) {
      walk(l);
      walk(r);
      return;
    }
    const f = flagSet(n, isConstant);
    if (f) names.push(...f);
    else variable = true;
  };
  walk(node);
  return variable && names.length > 0 ? [...new Set(names)].sort() : undefined;
}

/** `g.mon_if[i].mon_ndev`, `p->dev`: the member a value reads, by its last name. */
export function copiedMember(node: Node): string | undefined {
  const u = unwrap(node);
  return u.type === 'field_expression' ? u.childForFieldName('field')?.text : undefined;
}

/**
 * What an assignment copies, as tests name it: a variable (`p = q`), a member path from one
 * (`p = q->parent`) or what one points to (`p = *pp`). The target then holds what the path
 * knows of it. Else undefined.
 */
export function storedFrom(node: Node, fx: FnCtx): string | undefined {
  if (node.type === 'identifier') return node.text in fx.vars ? node.text : undefined;
  // `session = *psession`: what the caller's variable held (an out-parameter's pointee).
  const pointee = derefOf(node);
  if (pointee !== undefined) return pointee.slice(1) in fx.vars ? pointee : undefined;
  if (node.type !== 'field_expression') return undefined;
  const p = accessPath(node);
  return p && p.fields.length > 0 && !p.rootCall && !p.cast && p.root in fx.vars && /^\w+(?:(?:->|\.)\w+)+$/.test(p.text) ? p.text : undefined;
}

/** `gfp & GFP_RECLAIM_MASK` (a variable and'ed with a constant flag set): both; else undefined. */
function maskedVariable(node: Node): { root: string; mask: string[] } | undefined {
  const n = unwrap(node);
  if (n.type !== 'binary_expression' || n.childForFieldName('operator')?.text !== '&') return undefined;
  const l = n.childForFieldName('left');
  const r = n.childForFieldName('right');
  if (!l || !r) return undefined;
  for (const [v, m] of [[l, r], [r, l]] as const) {
    const u = unwrap(v);
    const mask = u.type === 'identifier' && !FLAG.test(u.text) ? flagSet(m) : undefined;
    if (mask) return { root: u.text, mask };
  }
  return undefined;
}

/**
 * A value that is one of two constants by a condition, as a branch on it: `c ? 0 : -EBUSY`,
 * and a test of a call's result kept as a value (`down_trylock(&s) == 0`, `!trylock(l)`: 1 or
 * 0). Returned or stored in a local, it links the lock a trylock took to the value its caller
 * tests; as an opaque value it would let a path return -EBUSY holding the lock.
 */
export function valueBranch(node: Node | null, anyTest = false): { cond: Node; then: Mask; else: Mask; thenLit?: string; elseLit?: string } | null {
  if (!node) return null;
  const u = unwrap(node);
  if (u.type === 'conditional_expression') {
    const cond = u.childForFieldName('condition');
    const x = u.childForFieldName('consequence');
    const y = u.childForFieldName('alternative');
    const a = constantMask(x);
    const b = constantMask(y);
    if (!cond || a === undefined || b === undefined || a === b) return null;
    return { cond, then: a, else: b, ...litOf(x, 'thenLit'), ...litOf(y, 'elseLit') };
  }
  // Stored (`int cow = mod != 0;`): a test of anything, so a caller's constant decides it too.
  const tested = u.type === 'unary_expression' ? u.childForFieldName('operator')?.text === '!'
    : u.type === 'binary_expression' && (anyTest ? /^([!=]=|[<>]=?)$/ : /^[!=]=$/).test(u.childForFieldName('operator')?.text ?? '');
  // `short single = ieee->features & F_SINGLE;`: a bit test, nonzero or zero (its value is the bit, not 1).
  const bit = anyTest && u.type === 'binary_expression' && u.childForFieldName('operator')?.text === '&' && FLAG.test(unwrap(u.childForFieldName('right') as Node).text);
  if (bit) return { cond: u, then: P, else: Z };
  if (!tested) return null;
  if (anyTest) return { cond: u, then: P, else: Z, thenLit: '1', elseLit: '0' };
  return u.descendantsOfType('call_expression').length > 0 ? { cond: u, then: P, else: Z } : null;
}

/** A numeric constant's text, as the constant a branch stores (`ins_len = mod < 0 ? -1 : 0`). */
function litOf(n: Node | null, key: 'thenLit' | 'elseLit'): Partial<Record<'thenLit' | 'elseLit', string>> {
  return n?.type === 'number_literal' ? { [key]: n.text } : {};
}

/** `-EINVAL`: a kernel error code, negated (its name as written, `-EINVAL`); undefined for anything else. */
export function negatedCode(node: Node): string | undefined {
  const u = unwrap(node);
  if (u.type !== 'unary_expression' || u.childForFieldName('operator')?.text !== '-') return undefined;
  const a = u.childForFieldName('argument');
  return a ? errorCode(`-${unwrap(a).text}`) : undefined;
}

/** What a return statement returns, as far as a caller's test can use it. */
export function returnedValue(node: Node | null): ReturnValue {
  if (!node) return { k: 'none' };
  const mask = constantMask(node);
  const code = mask === N ? negatedCode(node) : undefined;
  if (mask !== undefined) return code ? { k: 'const', mask, text: code } : { k: 'const', mask };
  const u = unwrap(node);
  if (u.type === 'identifier') return { k: 'var', name: u.text };
  // `return &desc->txd;`: the address of an object is never NULL.
  if (u.type === 'pointer_expression' && u.childForFieldName('operator')?.text === '&') return { k: 'const', mask: P };
  // `return e->object;` after `if (e->object)`: what the path learnt of that member.
  const member = u.type === 'field_expression' ? u.text.replace(/\s+/g, '') : '';
  if (MEMBER_PATH.test(member)) return { k: 'var', name: member };
  if (u.type === 'call_expression') {
    const fn = u.childForFieldName('function')?.text ?? '';
    // `return container_of(p, struct arr, perm);` after `if (IS_ERR(p)) return ERR_CAST(p);`.
    const from = AROUND_POINTER.has(fn) ? callArguments(u)[0] : undefined;
    const inner = from ? unwrap(from) : undefined;
    if (inner?.type === 'identifier') return { k: 'var', name: inner.text, inside: true };
    if (!TRANSPARENT.has(fn) && !PURE_CALLS.has(fn)) return { k: 'call' };
  }
  return { k: 'none' };
}

/**
 * `x != NULL`, `p->m != 0`, `!!p->m`, `!p->m`, `p->m == NULL`: a test of whether a variable or
 * member path is zero. Returned, it is an accessor a caller's condition asks (`if
 * (is_cgroup(c))`), lowered as a branch on that test.
 */
export function zeroTest(u: Node): boolean {
  let cur = u;
  for (;;) {
    const op = cur.childForFieldName('operator')?.text;
    if (cur.type === 'unary_expression' && op === '!') {
      const arg = cur.childForFieldName('argument');
      if (!arg) return false;
      cur = unwrap(arg);
      continue;
    }
    if (cur.type === 'binary_expression' && (op === '==' || op === '!=')) {
      const left = cur.childForFieldName('left');
      const right = cur.childForFieldName('right');
      const other = right && constantMask(right) === Z ? left : left && constantMask(left) === Z ? right : null;
      if (!other) return false;
      cur = unwrap(other);
      continue;
    }
    break;
  }
  return cur !== u && (cur.type === 'identifier' || (cur.type === 'field_expression' && MEMBER_PATH.test(cur.text.replace(/\s+/g, ''))));
}

// ---- conditions ----

/** `!x` is true exactly where x is zero: the test on x that `test` on `!x` means. */
const throughNot = (test: Mask): Mask => (test & (P | N) ? Z : 0) | (test & Z ? P | N : 0);
/** A comparison `x R 0` true for the values `truth` of x: the test on x that `test` on the comparison means. */
const throughComparison = (test: Mask, truth: Mask): Mask => (test & (P | N) ? truth : 0) | (test & Z ? ANY & ~truth : 0);

const ZERO = new Set(['0', 'NULL', 'false']);
/** `0`, `NULL`, and `false` or `FALSE` (tree-sitter reads both as the literal). */
const isZero = (node: Node): boolean => ZERO.has(unwrap(node).text) || unwrap(node).type === 'false';
const MIRROR: Record<string, string> = { '==': '==', '!=': '!=', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

/**
 * `if (--s->depth == -1)`, `if (!--ref)`: the one prefix step of a condition without calls, on a
 * variable or member path, which the lowering can put before the test (a count's last release).
 * Not in a condition that may not evaluate it (`ok && --n == 0`, `a ? --n : 0`).
 */
export function prefixStep(cond: Node | null): Node | undefined {
  // No `++` or `--` in the text, no step: most conditions are done without walking the tree
  // (each descendantsOfType call scans every node type of the grammar first).
  if (!cond || !/\+\+|--/.test(cond.text)) return undefined;
  if (cond.descendantsOfType(['call_expression', 'conditional_expression']).length > 0) return undefined;
  if (cond.descendantsOfType('binary_expression').some((b) => ['&&', '||'].includes(b.childForFieldName('operator')?.text ?? ''))) return undefined;
  const steps = cond.descendantsOfType('update_expression');
  const step = steps.length === 1 ? steps[0] : undefined;
  const arg = step?.childForFieldName('argument');
  if (!step || !arg || (step.firstChild?.text !== '--' && step.firstChild?.text !== '++')) return undefined;
  return arg.type === 'identifier' || MEMBER_PATH.test(arg.text.replace(/\s+/g, '')) ? step : undefined;
}

/** A condition made of atoms only: no call of its own to run (its ops already ran once). */
export function callFree(c: Cond): boolean {
  if (c.k === 'atom') return true;
  if (c.k === 'not') return callFree(c.c);
  if (c.k === 'and' || c.k === 'or') return callFree(c.a) && callFree(c.b);
  return false;
}

/** A branch condition, structured where it can split the state or be remembered. */
export function bindCond(node: Node | null, fx: FnCtx): Cond {
  if (!node) return { k: 'other', ops: [] };
  return tested(node, P | N, fx);
}

/** `node` tested with `test` (the values of node that make the branch taken). */
function tested(node: Node, test: Mask, fx: FnCtx): Cond {
  const cur = unwrap(node);
  switch (cur.type) {
    case 'unary_expression':
      if (cur.childForFieldName('operator')?.text === '!') {
        const inner = cur.childForFieldName('argument');
        return inner ? tested(inner, throughNot(test), fx) : other(cur, fx);
      }
      break;
    case 'number_literal':
    case 'true':
    case 'false': {
      const m = constantMask(cur);
      if (m !== undefined) return { k: 'const', value: (m & test) !== 0 };
      break;
    }
    case 'binary_expression': {
      const op = cur.childForFieldName('operator')?.text ?? '';
      const left = cur.childForFieldName('left');
      const right = cur.childForFieldName('right');
      if (!left || !right) break;
      // A logical operator's value is 0 or 1: tested for truth or falsehood only.
      if (op === '&&' || op === '||') {
        const wantTrue = (test & (P | N)) !== 0;
        const wantFalse = (test & Z) !== 0;
        if (wantTrue && wantFalse) return other(cur, fx);
        const a = tested(left, P | N, fx);
        const b = tested(right, P | N, fx);
        const c: Cond = op === '&&' ? { k: 'and', a, b } : { k: 'or', a, b };
        return wantTrue ? c : { k: 'not', c };
      }
      const truth = COMPARE_ZERO[op];
      if (truth !== undefined) {
        if (isZero(right)) return tested(left, throughComparison(test, truth), fx);
        if (isZero(left)) return tested(right, throughComparison(test, COMPARE_ZERO[MIRROR[op] as string] as Mask), fx);
        const compared = comparedCall(op, left, right, test, fx);
        if (compared) return compared;
        const l = pure(left, fx);
        const r = pure(right, fx);
        if (l && r) {
          const atom = comparisonAtom(l.key, r.key, truth);
          const reads = [...new Set([...l.reads, ...r.reads])].sort();
          for (const v of reads) fx.condReads.add(v);
          return { k: 'atom', key: atom.key, reads, test: throughComparison(test, atom.truth), memory: l.memory || r.memory };
        }
      }

      break;
    }
    case 'call_expression': {
      const fn = cur.childForFieldName('function');
      const a = args(cur);
      const name = fn?.type === 'identifier' ? fn.text : '';
      if (TRANSPARENT.has(name) && a[0]) return tested(a[0], test, fx);
      if (name === 'IS_ERR' && a[0] && pure(a[0], fx)) return tested(a[0], throughComparison(test, N), fx);
      if (name === 'IS_ERR_OR_NULL' && a[0] && pure(a[0], fx)) return tested(a[0], throughComparison(test, Z | N), fx);
      break;
    }
    case 'assignment_expression': {
      // `if ((ret = mutex_lock_interruptible(&m)))`: the call's result, remembered in ret.
      const right = cur.childForFieldName('right');
      if (right && unwrap(right).type === 'call_expression' && cur.childForFieldName('left')?.type === 'identifier') {
        const ops = bindExpression(cur, fx);
        // The call carries the variable its result lands in (assignTo). The `&local` writes after
        // it only forget what was known of those locals: as well before the call as after.
        const i = ops.findIndex((o) => o.k === undefined && o.assignTo !== undefined);
        const ev = ops[i];
        if (ev && ev.k === undefined) return { k: 'call', ev, pre: [...ops.slice(0, i), ...ops.slice(i + 1)], test };

        return { k: 'other', ops };
      }
      break;
    }
  }
  const atom = pure(cur, fx);
  if (atom) {
    for (const r of atom.reads) fx.condReads.add(r);
    return canonicalAtom({ k: 'atom', key: atom.key, reads: atom.reads, test, memory: atom.memory });
  }
  if (cur.type === 'call_expression') {
    const ops = bindExpression(cur, fx);
    // The tested call is the last call; the `&local` writes lowered after it (`&flags`) only
    // forget what was known of those locals: as well before the call as after.
    let i = ops.length - 1;
    for (let o = ops[i]; o?.k === 'set' && o.byCall; o = ops[i]) i--;
    const ev = ops[i];
    if (ev && ev.k === undefined) {
      if (test === Z) ev.failsOnZero = true;
      return { k: 'call', ev, pre: [...ops.slice(0, i), ...ops.slice(i + 1)], test };
    }
    return { k: 'other', ops };
  }
  return other(cur, fx);
}

/**
 * `FOO_IOMMU != foo_get_type()`, `get_mode(dev) == MODE_X`: a call's result compared for
 * equality with a constant name, the branch taken when equal (test P) or not (Z).
 */
function comparedCall(op: string, left: Node, right: Node, test: Mask, fx: FnCtx): Cond | undefined {
  if (op !== '==' && op !== '!=') return undefined;
  const l = unwrap(left);
  const r = unwrap(right);
  const [call, constant] = l.type === 'call_expression' ? [l, r] : [r, l];
  // `mutex_lock_interruptible(&m) == -EINTR`: an error code, decided by the codes the call fails with.
  const code = negatedCode(constant);
  // A named constant only: a number keeps what the callee's summary says of its result (`trylock() == 1`).
  // `TRUE` is a literal to tree-sitter, as `true` is: a constant 1.
  // An upper-case name with leading underscores (`_MALI_OSK_ERR_OK`) is a constant too.
  if (call.type !== 'call_expression' || (!code && constant.type !== 'true' && (constant.type !== 'identifier' || constant.text in fx.vars || !isConstantName(constant.text.replace(/^_+/, ''))))) return undefined;
  const whenTrue = (test & (P | N)) !== 0;
  if (whenTrue && (test & Z) !== 0) return undefined;
  const ops = bindExpression(call, fx);
  const ev = ops[ops.length - 1];
  if (!ev || ev.k !== undefined) return undefined;
  return { k: 'call', ev, pre: ops.slice(0, -1), test: (op === '==') === whenTrue ? P : Z, equals: code ?? (constant.type === 'true' ? '1' : constant.text) };
}

function other(node: Node, fx: FnCtx): Cond {
  return { k: 'other', ops: bindExpression(node, fx) };
}

/**
 * A side-effect-free expression as an atom: its canonical text, the variables it reads, and
 * whether it reads memory (a member, a global, a pure call) rather than only locals.
 */
function pure(node: Node, fx: FnCtx): { key: string; reads: string[]; memory: boolean } | undefined {
  const reads = new Set<string>();
  let memory = false;
  const ok = (n: Node): boolean => {
    switch (n.type) {
      case 'identifier':
        if (fx.vars[n.text]) reads.add(n.text);
        else if (!/^[A-Z][A-Z0-9_]*$/.test(n.text)) memory = true;
        return true;
      case 'number_literal':
      case 'char_literal':
      case 'true':
      case 'false':
      case 'null':
      case 'field_identifier':
      case 'sizeof_expression':
        return true;
      case 'field_expression': {
        memory = true;
        // `to_ctx(dev)->owner`: a member of what an accessor returns reads memory, nothing more.
        const object = n.childForFieldName('argument') as Node;
        const call = unwrap(object);
        const callee = call.type === 'call_expression' ? call.childForFieldName('function') : null;
        if (callee?.type === 'identifier' && ACCESSOR.test(callee.text)) return args(call).every(ok);
        return ok(object);
      }
      case 'subscript_expression':
        memory = true;
        return ok(n.childForFieldName('argument') as Node) && ok(n.childForFieldName('index') as Node);
      case 'parenthesized_expression':
        return n.firstNamedChild !== null && n.firstNamedChild.type !== 'compound_statement' && ok(n.firstNamedChild);
      case 'cast_expression':
        return ok(n.childForFieldName('value') as Node);
      case 'unary_expression':
      case 'pointer_expression':
        if (n.type === 'pointer_expression') memory = true;
        return ok(n.childForFieldName('argument') as Node);
      case 'binary_expression':
        return ok(n.childForFieldName('left') as Node) && ok(n.childForFieldName('right') as Node);
      case 'call_expression': {
        const fn = n.childForFieldName('function');
        if (fn?.type !== 'identifier' || !PURE_CALLS.has(fn.text)) return false;
        memory = true;
        return args(n).every(ok);
      }
      case 'update_expression':
        return fx.steppedFirst?.id === n.id && ok(n.childForFieldName('argument') as Node);
      default:
        return false;
    }
  };
  if (!ok(node)) return undefined;
  let key = node.text.replace(/\s+/g, '');
  if (fx.steppedFirst) key = key.replace(fx.steppedFirst.text, fx.steppedFirst.arg);
  if (key.length > 160) return undefined;
  // `a != b` and `a == b` are one atom, tested for opposite values.
  key = key.replace(/^\((.*)\)$/, '$1');
  return { key, reads: [...reads].sort(), memory };
}

/** `x != y` is the atom `x == y` tested for falsehood; other atoms are tested as written. */
function canonicalAtom(c: Extract<Cond, { k: 'atom' }>): Extract<Cond, { k: 'atom' }> {
  const m = /^([^!=<>]+)!=([^!=<>]+)$/.exec(c.key);
  if (!m) return c;
  return { ...c, key: `${m[1]}==${m[2]}`, test: throughNot(c.test) };
}

/** `lockdep_is_held(l)` as exactly the condition a LOCKDEP_CONDITIONS call states: its `l`. */
function heldCondition(callee: string, argNodes: readonly Node[]): Node | null {
  const spec = LOCKDEP_CONDITIONS.get(callee);
  let cond = spec ? argNodes[spec.arg] : undefined;
  if (!spec || !cond) return null;
  cond = bare(cond);
  if (spec.negated) {
    if (cond.type !== 'unary_expression' || cond.childForFieldName('operator')?.text !== '!') return null;
    const inner = cond.childForFieldName('argument');
    if (!inner) return null;
    cond = bare(inner);
  }
  if (cond.type !== 'call_expression' || !/^lockdep_is_held(?:_type)?$/.test(cond.childForFieldName('function')?.text ?? '')) return null;
  return args(cond)[0] ?? null;
}

function bare(n: Node): Node {
  let cur = n;
  while (cur.type === 'parenthesized_expression' && cur.firstNamedChild) cur = cur.firstNamedChild;
  return cur;
}

/**
 * `case LABEL:` of `switch (subject)` as the test `subject == LABEL`, when the subject is a pure
 * expression and the label a constant: a caller's constant argument then picks the case.
 */
export function caseCond(subject: Node, value: Node, fx: FnCtx): Cond | null {
  const l = pure(subject, fx);
  // A case label is a constant whatever its spelling (`case eRfOn:` names an enumerator).
  const label = bare(value);
  const r = label.type === 'identifier' && !(label.text in fx.vars) ? { key: label.text, reads: [], memory: false } : pure(value, fx);
  if (!l || !r || r.reads.length > 0 || r.memory) return null;
  const atom = comparisonAtom(l.key, r.key, Z);
  for (const v of l.reads) fx.condReads.add(v);
  return { k: 'atom', key: atom.key, reads: l.reads, test: atom.truth, memory: l.memory };
}
