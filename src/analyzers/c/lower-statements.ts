/**
 * The statement binder: one `bindX` per C construct, each returning the Stmt it stands for.
 *
 *   if (c) A else B            -> if{cond(c), A, B}
 *   while (c) A / for / do     -> loop{cond, A, post}       for (;;), while (1): cond const true
 *   do { A } while (0)         -> loop{const false, A}      runs once; `break` leaves it
 *   list_for_each_entry(...)   (rewritten to `while` before parsing, or a call missing its ';'
 *   { A }                       followed by the body)  -> loop{cond: null, A}
 *   scoped_guard(T, &l) { A }  -> scoped{T, l, A, scope}    l is held in A's frame only
 *   guard(T)(&l);              -> ops[{guard: T, args: [l]}] held to the end of the block
 *   switch (x) { case: ... }   -> switch{cases}             fallthrough kept in order
 *   goto out; ... out: X       -> goto{out} ... label{out} X
 *   #ifdef A #else B #endif    -> if{other, A, B}           both configurations are possible
 *   DBG(list_for_each(...) { A });  a statement wrapped in a macro call: the inner statements
 *                                   are bound as statements, not merged into the call
 *
 * Every compound statement gets a scope number, so the interpreter can end the guards of the
 * frames a break, continue, goto or return leaves.
 */
import type { Node } from './parser.ts';
import { DEFINE_MACROS, isIteratorMacro, isWalkMacro } from '../locks/catalogue.ts';
import { COND_LOCK_FAILED } from '../locks/catalogue.ts';
import { ANY, N, P, Z, type CallEvent, type Cond, type Mask, type Op, type Stmt } from './ir.ts';
import { sparseCondLock, accessPath, bindCond, prefixStep, noteElementOf, bindExpression, callArguments, caseCond, constantArms, constantMask, constantOr, copiedMember, negatedCode, learnMemberType, lowerExpression, noteValue, returnedValue, storedFrom, storedName, storeOf, callFree, UNNAMED_POINTER, unwrap, valueBranch, withArgument, zeroTest } from './lower-expressions.ts';
import { line, mayMatter, noteOnce, type FnCtx } from './lower-context.ts';
import { declaredName, isFunctionPointerDeclarator, isPointerDeclarator, neverWrittenInFunction } from './syntax.ts';
import type { GuardedBranch } from './conditional-branches.ts';
import { opsOf } from './call-graph.ts';
import { ownerGuard } from './owner-guards.ts';

const NONE: Stmt = { k: 'ops', ops: [] };

export function bindStatement(node: Node, fx: FnCtx): Stmt {
  const guard = fx.file.guarded ? guardOf(node, fx.file.guarded) : undefined;
  if (guard) return guarded(node, guard, fx);
  return bindUnguarded(node, fx);
}

/**
 * The kept branch of a reduced `#if` group (`#ifdef X` / `} else {` / ...) that holds this
 * statement and not its parent: the statement compiles only under the branch's condition. An
 * `if` whose `if (c) {...} else` lies in the branch and whose else-block runs past it (the
 * branch's twin closes it: `#ifdef X` / `}` / `#endif`) is the if/else under the condition and
 * the else-block alone without it.
 */
function guardOf(node: Node, guards: readonly GuardedBranch[]): { branch: GuardedBranch; elseOnly: boolean } | undefined {
  const from = node.startPosition.row + 1;
  const to = node.endPosition.row + 1;
  for (const g of guards) {
    if (from <= g.line || from >= g.toLine) continue;
    if (to < g.toLine) return wrappedAbove(node, g) ? undefined : { branch: g, elseOnly: false };
    if (node.type !== 'if_statement') continue;
    const alt = node.childForFieldName('alternative');
    // An `else if` of a chain the branch holds from its first `if` is the first one's (see guarded).
    const link = node.parent?.type === 'else_clause';
    const chained = link && (node.parent?.parent?.startPosition.row ?? 0) + 1 > g.line;
    // `} else if (c) {` alone in the branch: without it, the else after the group follows the `if` before.
    if (!chained && (link || (alt && alt.startPosition.row + 1 < g.toLine))) return { branch: g, elseOnly: true };
  }
  return undefined;
}

/** Statements the binder reaches through bindStatement, each guarded on its own. */
const BOUND_STATEMENTS = new Set(['compound_statement', 'if_statement', 'for_statement', 'while_statement', 'do_statement', 'switch_statement', 'labeled_statement', 'expression_statement']);

/** An enclosing statement inside the branch too carries the guard (an `else {` or a `case` between them does not). */
function wrappedAbove(node: Node, g: GuardedBranch): boolean {
  for (let p = node.parent; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.startPosition.row + 1 <= g.line || p.endPosition.row + 1 >= g.toLine) return false;
    if (BOUND_STATEMENTS.has(p.type) && !(p.type === 'compound_statement' && p.parent?.type === 'switch_statement')) return true;
  }
  return false;
}

function guarded(node: Node, guard: { branch: GuardedBranch; elseOnly: boolean }, fx: FnCtx): Stmt {
  const cond = directiveCond(guard.branch.directive);
  const stmt = bindUnguarded(node, fx);
  if (!cond) return stmt;
  if (!guard.elseOnly) return { k: 'if', cond, then: stmt, else: null };
  return { k: 'if', cond, then: stmt, else: continuation(node, stmt, guard.branch) };
}

/**
 * Without the branch's condition, what runs of an `if` whose head the branch holds: the else
 * part that begins past the branch. Down an `else if` chain the branch holds (`if (a) .. else if
 * (b) ..` / `#endif` / `else if (c) ..`), the else of the last `if` in it; the bound chain is
 * walked, not bound again.
 */
function continuation(node: Node, stmt: Stmt, g: GuardedBranch): Stmt | null {
  let n = node;
  let ir: Stmt | null = stmt;
  for (;;) {
    const alt = n.childForFieldName('alternative');
    if (!alt || ir?.k !== 'if') return null;
    const body = alt.type === 'else_clause' ? (alt.namedChildren.find((c) => c && c.type !== 'comment') ?? null) : alt;
    if (alt.startPosition.row + 1 < g.toLine && body?.type === 'if_statement' && body.startPosition.row + 1 < g.toLine && body.childForFieldName('alternative')) {
      n = body;
      ir = ir.else;
      continue;
    }
    return alt.startPosition.row + 1 < g.toLine || n !== node || node.parent?.type === 'else_clause' ? ir.else : null;
  }
}

function bindUnguarded(node: Node, fx: FnCtx): Stmt {
  switch (node.type) {
    case 'compound_statement':
      return bindBlock(named(node), fx);
    case 'expression_statement':
      return bindExpressionStatement(node, fx);
    case 'declaration':
      return bindLocalDeclaration(node, fx);
    case 'if_statement':
      return bindIf(node, fx);
    case 'while_statement': {
      const macro = fx.file.macros.get(node.startIndex);
      if (macro) return bindStatementMacro(macro, node, fx);
      return { k: 'loop', cond: bindLoopCond(node.childForFieldName('condition'), fx), body: bindOptional(node.childForFieldName('body'), fx), post: [], doWhile: false };
    }
    case 'do_statement':
      return { k: 'loop', cond: bindLoopCond(node.childForFieldName('condition'), fx), body: bindOptional(node.childForFieldName('body'), fx), post: [], doWhile: true };
    case 'for_statement':
      return bindFor(node, fx);
    case 'switch_statement':
      return bindSwitch(node, fx);
    case 'break_statement':
      return { k: 'break' };
    case 'continue_statement':
      return { k: 'continue' };
    case 'return_statement': {
      const value = node.firstNamedChild ?? null;
      const compound = value?.type === 'parenthesized_expression' ? value.firstNamedChild : null;
      if (compound?.type === 'compound_statement') return bindStatementExpression(compound, line(node), fx);
      return bindReturn(value, line(node), fx);
    }

    case 'goto_statement':
      return { k: 'goto', label: node.childForFieldName('label')?.text ?? '' };
    case 'labeled_statement': {
      const label = node.childForFieldName('label')?.text ?? '';
      const inner = named(node).filter((c) => c.type !== 'statement_identifier');
      return { k: 'block', scope: -1, body: [{ k: 'label', name: label }, ...inner.map((c) => bindStatement(c, fx))] };
    }
    case 'preproc_if':
    case 'preproc_ifdef':
    case 'preproc_else':
    case 'preproc_elif':
    case 'preproc_elifdef':
      return bindPreprocBranch(node, fx);
    case 'ERROR':
      return bindBlock(named(node), fx);
    case 'function_definition':
      // `foo_each(x) { ... }` the rewrite did not know, parsed as an old-style definition inside a
      // body: a statement macro with a body.
      return bindMisparsedMacro(node, fx);
    default:
      return NONE;
  }
}

/**
 * An iterator macro's arguments with the cursor first, as `list_for_each_entry(pos, head, m)`
 * has them: `skb_queue_walk(queue, skb)` and the other walks name the list first.
 */
function cursorFirst(name: string, args: Node[]): Node[] {
  return isWalkMacro(name) && args.length >= 2 ? [args[1] as Node, args[0] as Node, ...args.slice(2)] : args;
}

function bindMisparsedMacro(node: Node, fx: FnCtx): Stmt {
  const name = node.childForFieldName('type')?.text ?? '';
  const body = bindOptional(node.childForFieldName('body'), fx);
  const decl = node.childForFieldName('declarator');
  // (A walk's cursor is its second argument: none is taken from the declarator then.)
  const first = decl?.type === 'parenthesized_declarator' && !isWalkMacro(name) ? decl.namedChildren.find((c) => c?.type === 'identifier') : undefined;
  if (isIteratorMacro(name)) return { k: 'loop', cond: null, body, post: [], doWhile: false, ...(first ? { cursor: first.text } : {}) };
  return { k: 'if', cond: { k: 'other', ops: [] }, then: body, else: null };
}


const named = (node: Node): Node[] => node.namedChildren.filter((c): c is Node => c !== null);

function bindOptional(node: Node | null, fx: FnCtx): Stmt {
  return node ? bindStatement(node, fx) : NONE;
}

/** A loop condition: `1`/`true` loops until a break, goto or return; `0` runs the body once. */
function bindLoopCond(node: Node | null, fx: FnCtx) {
  const c = node?.type === 'parenthesized_expression' ? node.firstNamedChild : node;
  const m = constantMask(c ?? null);
  if (m !== undefined) return { k: 'const' as const, value: m !== 1 };
  return bindCond(node, fx);
}

/**
 * A block's statements in order. Iterator macros and scoped_guard come out as a call statement
 * missing its ';' followed by the body as the next sibling: they are joined here.
 */
export function bindBlock(children: Node[], fx: FnCtx): Stmt {
  const scope = ++fx.nextScope;
  const body: Stmt[] = [];
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as Node;
    if (child.type === 'comment') continue;
    const macro = macroHead(child, fx.file.source);
    let next = children[i + 1];
    while (macro && next?.type === 'comment') next = children[++i + 1];
    if (macro && next) {
      const bodyStmt = bindStatement(next, fx);
      i++;
      body.push(bindMacroWithBody(macro, bodyStmt, fx));
      continue;
    }
    body.push(bindStatement(child, fx));
  }
  return { k: 'block', body, scope };
}

/** The call of `macro(args) <statement>`: an expression statement whose ';' is MISSING. */
function macroHead(node: Node, source: string): Node | undefined {
  // A statement ending in ';' has its ';': skip the child lookups for the common case.
  if (node.type !== 'expression_statement' || source.charCodeAt(node.endIndex - 1) === 59) return undefined;
  const last = node.child(node.childCount - 1);
  if (!last?.isMissing) return undefined;
  const call = node.firstNamedChild;
  return call?.type === 'call_expression' && call.childForFieldName('function')?.type === 'identifier' ? call : undefined;
}

/** `list_for_each_entry(...) body` or `scoped_guard(T, &l) body`, seen as `while (...) body`. */
function bindStatementMacro(name: string, node: Node, fx: FnCtx): Stmt {
  const cond = node.childForFieldName('condition');
  let macroArgs: Node[] = [];
  let inner = cond?.firstNamedChild ?? null;
  // The parenthesized arguments come back as a comma expression: flatten it.
  while (inner && inner.type === 'comma_expression') {
    const left = inner.childForFieldName('left');
    if (left) macroArgs.push(left);
    inner = inner.childForFieldName('right');
  }
  if (inner) macroArgs.push(inner);
  macroArgs = macroArgs.filter((a) => a.type !== 'comment');
  if (name === 'scoped_guard' || name === 'scoped_cond_guard') {
    // scoped_cond_guard(T, fail, &l): the lock comes after what to do when taking it fails.
    const lockArg = macroArgs[name === 'scoped_cond_guard' ? 2 : 1] ?? null;
    const scope = ++fx.nextScope;
    const body = bindOptional(node.childForFieldName('body'), fx);
    return { k: 'scoped', guard: macroArgs[0]?.text ?? '', lock: lockArg ? accessPath(lockArg) : null, line: line(node), body, scope };
  }
  const body = bindOptional(node.childForFieldName('body'), fx);
  const walked = cursorFirst(name, macroArgs);
  noteCursorList(walked, fx);
  return { k: 'loop', cond: { k: 'other', ops: macroArgs.flatMap((a) => bindExpression(a, fx)) }, body, post: [], doWhile: false, ...cursorOf(walked[0], walked) };
}

/**
 * The list an iterator walks: its first argument after the position that names a member or an
 * address (`&d->outs`; hlist's 4-argument form has a node cursor before it).
 */
function noteCursorList(args: readonly Node[], fx: FnCtx): void {
  if (args[0]?.type !== 'identifier') return;
  noteElementOf(fx, args[0].text, args.slice(1).find((a) => a.text.startsWith('&') || a.text.includes('->')), false);
}

function bindMacroWithBody(call: Node, body: Stmt, fx: FnCtx): Stmt {
  const name = call.childForFieldName('function')?.text ?? '';
  const callArgs = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null) ?? [];
  if (name === 'scoped_guard' || name === 'scoped_cond_guard') {
    const lockArg = callArgs[name === 'scoped_cond_guard' ? 2 : 1] ?? null;

    return { k: 'scoped', guard: callArgs[0]?.text ?? '', lock: lockArg ? accessPath(lockArg) : null, line: line(call), body, scope: ++fx.nextScope };
  }
  if (isIteratorMacro(name)) {
    const walked = cursorFirst(name, callArgs);
    noteCursorList(walked, fx);
    return { k: 'loop', cond: null, body, post: [], doWhile: false, ...cursorOf(walked[0], walked) };
  }
  // An unknown macro with a body (a custom iterator or a wrapper): run the body once, maybe.
  return { k: 'if', cond: { k: 'other', ops: bindExpression(call, fx) }, then: body, else: null };
}

/**
 * An expression statement. A statement-wrapping macro (`DBG(list_for_each_entry(p, &l, n)
 * { ... });`) parses as a call whose arguments hold an ERROR and a compound statement: those
 * are bound as statements, in order, so nothing after them is merged into the call.
 */
function bindExpressionStatement(node: Node, fx: FnCtx): Stmt {
  const expr = node.firstNamedChild ?? null;
  if (!expr || !mayMatter(fx.file.source, node)) return NONE;
  const stored = storedBranch(expr, fx);
  if (stored) return stored;
  if (expr.type === 'call_expression' && node.text.includes('{')) {
    const argNodes = expr.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null) ?? [];
    if (argNodes.some((a) => a.type === 'compound_statement')) return bindWrapped(argNodes, fx);
  }
  const chosen = chosenCall(expr, fx) ?? chosenArgument(expr, fx);
  if (chosen) return chosen;
  const ops = bindExpression(expr, fx);
  // The statement's own call, last of its ops: what it returns is dropped.
  const last = ops[ops.length - 1];
  if (unwrap(expr).type === 'call_expression' && last && last.k === undefined && !last.assignTo) last.discarded = true;
  const warned = warnedCondition(expr, fx);
  if (warned) return { k: 'block', scope: -1, body: [{ k: 'ops', ops }, { k: 'if', cond: warned, then: { k: 'ops', ops: [{ callee: '__builtin_unreachable', args: [], line: line(expr) }] }, else: null }] };
  return { k: 'ops', ops };
}

/**
 * `rc = locked ? cmdq_write(d, p) : cmdq_write_nolock(d, p);` (or the choice alone as a
 * statement): one arm runs, as in an if/else, not both in turn (bindReturn does the same for a
 * returned choice). Into a local, a member or through a pointer (`reg->gen = move ? dev->gen++ :
 * next_gen(dev);`, each arm then storing its own value), or nowhere; a target with a call of
 * its own keeps the plain lowering.
 */
function chosenCall(expr: Node, fx: FnCtx): Stmt | null {
  const u = unwrap(expr);
  const assign = u.type === 'assignment_expression' && u.childForFieldName('operator')?.text === '=' ? u : null;
  const left = assign?.childForFieldName('left');
  const local = left?.type === 'identifier' && left.text in fx.vars;
  const member = left && !local && (left.type === 'field_expression' || left.type === 'pointer_expression') && !hasCall(left) ? accessPath(left) : null;
  if (assign && !local && !member) return null;
  const right = assign ? assign.childForFieldName('right') : u;
  const choice = right ? unwrap(right) : null;
  if (choice?.type !== 'conditional_expression') return null;
  const condition = choice.childForFieldName('condition');
  const arms = [choice.childForFieldName('consequence'), choice.childForFieldName('alternative')];
  if (!condition || !arms[0] || !arms[1] || !arms.some((a) => a && (a.type === 'call_expression' || a.descendantsOfType('call_expression').length > 0))) return null;
  const arm = (a: Node): Stmt => {
    const ops = bindExpression(a, fx);
    const last = ops[ops.length - 1];
    const call = unwrap(a).type === 'call_expression' && last && last.k === undefined ? last : undefined;
    if (member) ops.push(storeOf(member, '=', a, fx, line(a), false));
    else if (call && left) call.assignTo = left.text;
    else if (call) call.discarded = true;
    else if (left) ops.push({ k: 'set', target: left.text, root: left.text, value: constantMask(a) ?? ANY, line: line(a) });
    return { k: 'ops', ops };
  };
  return { k: 'if', cond: bindCond(condition, fx), then: arm(arms[0]), else: arm(arms[1]) };
}

/**
 * `KAL_ACQUIRE_SPIN_LOCK(ad, msg ? LOCK_MSG : LOCK_MGT);` as a statement: the call is made with
 * one arm or the other, as `if (msg) f(ad, LOCK_MSG); else f(ad, LOCK_MGT);`. Each call then has a
 * constant to be specialised on, and the unlock that makes the same choice follows the lock's
 * branch; as one call with an unknown argument, a wrapper's `if (which < NUM)` around the lock and
 * the unlock went each way independently. Only a choice without calls in it or its condition.
 */
function chosenArgument(expr: Node, fx: FnCtx): Stmt | null {
  const u = unwrap(expr);
  if (u.type !== 'call_expression') return null;
  const argNodes = callArguments(u);
  const i = argNodes.findIndex((a) => unwrap(a).type === 'conditional_expression');
  const choice = i >= 0 ? unwrap(argNodes[i] as Node) : null;
  const condition = choice?.childForFieldName('condition');
  const arms = [choice?.childForFieldName('consequence'), choice?.childForFieldName('alternative')];
  if (!choice || !condition || !arms[0] || !arms[1] || hasCall(choice)) return null;
  const ops = bindExpression(expr, fx);
  let at = ops.length - 1;
  while (at >= 0 && ops[at]?.k !== undefined) at--;
  const call = ops[at];
  if (!call || call.k !== undefined) return null;
  const arm = (a: Node): Stmt => ({ k: 'ops', ops: [...ops.slice(0, at), { ...withArgument(call, i, unwrap(a)), discarded: true }, ...ops.slice(at + 1)] });
  return { k: 'if', cond: bindCond(condition, fx), then: arm(arms[0]), else: arm(arms[1]) };
}

const hasCall = (n: Node): boolean => n.type === 'call_expression' || n.descendantsOfType('call_expression').length > 0;

export const WARNINGS: ReadonlySet<string> = new Set(['WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE', 'WARN_ON_SMP', 'BUG_ON', 'VM_BUG_ON']);

/**
 * `BUG_ON(busiest == this_rq);`, `WARN_ON(event->parent);` as a statement: the code says the
 * condition never holds there. A path on which it holds ends in BUG(), or is a bug the kernel
 * already warns about, and is not followed further (`if (WARN_ON(c)) return;` uses the value:
 * both ways are code). Only a condition without calls: its ops already ran once, above.
 */
function warnedCondition(expr: Node, fx: FnCtx): Cond | null {
  const u = unwrap(expr);
  const fn = u.type === 'call_expression' ? u.childForFieldName('function') : null;
  if (fn?.type !== 'identifier' || !WARNINGS.has(fn.text)) return null;
  const arg = u.childForFieldName('arguments')?.firstNamedChild ?? null;
  const cond = arg ? bindCond(arg, fx) : null;
  return cond && callFree(cond) ? cond : null;
}

/** `locked = down_trylock(&s) == 0;` into a local: a branch that stores 1 or 0 (see valueBranch). */
function storedBranch(expr: Node, fx: FnCtx): Stmt | null {
  if (expr.type !== 'assignment_expression' || expr.childForFieldName('operator')?.text !== '=') return null;
  const left = expr.childForFieldName('left');
  const t = left?.type === 'identifier' ? fx.vars[left.text] : undefined;
  const branch = t && !t.ptr && left ? valueBranch(expr.childForFieldName('right'), isScalarLocal(left.text, fx)) : null;
  if (!left || !branch) return null;
  return branchStore(left.text, branch, line(expr), fx);
}

/** A plain integer local (not a pointer, a struct or a lock): a test stored in it is 1 or 0. */
function isScalarLocal(name: string, fx: FnCtx): boolean {
  const t = fx.vars[name];
  return t !== undefined && t.k === 'other' && !t.ptr && !fx.params.includes(name);
}

/** `x = c ? -1 : 0`, `x = a != b`: a branch on c storing one constant or the other. */
function branchStore(target: string, branch: NonNullable<ReturnType<typeof valueBranch>>, at: number, fx: FnCtx): Stmt {
  const store = (value: Mask, lit: string | undefined): Stmt => ({ k: 'ops', ops: [{ k: 'set', target, root: target, value, line: at, ...(lit !== undefined ? { lit } : {}) }] });
  return { k: 'if', cond: bindCond(branch.cond, fx), then: store(branch.then, branch.thenLit), else: store(branch.else, branch.elseLit) };
}

function bindWrapped(argNodes: Node[], fx: FnCtx): Stmt {
  const body: Stmt[] = [];
  for (let i = 0; i < argNodes.length; i++) {
    const a = argNodes[i] as Node;
    const next = argNodes[i + 1];
    if (a.type === 'ERROR' && next?.type === 'compound_statement') {
      const head = a.namedChildren.find((c) => c?.type === 'call_expression') ?? null;
      const name = head?.childForFieldName('function')?.text ?? '';
      const inner = bindStatement(next, fx);
      i++;
      if (head && isIteratorMacro(name)) {
        const headArgs = cursorFirst(name, head.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null) ?? []);
        body.push({ k: 'loop', cond: { k: 'other', ops: bindExpression(head, fx) }, body: inner, post: [], doWhile: false, ...cursorOf(headArgs[0]) });
      }
      else body.push({ k: 'ops', ops: head ? bindExpression(head, fx) : [] }, inner);
      continue;
    }
    if (a.type === 'compound_statement') body.push(bindStatement(a, fx));
    else body.push({ k: 'ops', ops: bindExpression(a, fx) });
  }
  return { k: 'block', scope: -1, body };
}

/**
 * `return ({ struct x *t; t = __lock_timer(id); t; });` (a statement-expression macro's value):
 * its statements run, and its last expression is what is returned.
 */
function bindStatementExpression(compound: Node, at: number, fx: FnCtx): Stmt {
  const children = named(compound).filter((c) => c.type !== 'comment');
  const last = children[children.length - 1];
  if (last?.type !== 'expression_statement') return { k: 'block', scope: -1, body: [bindBlock(children, fx), { k: 'return', ops: [], value: { k: 'none' }, line: at }] };
  const value = last.firstNamedChild ?? null;
  const body = bindBlock(children.slice(0, -1), fx);
  return { k: 'block', scope: -1, body: [body, { k: 'return', ops: bindExpression(value, fx), value: returnedValue(value), line: at }] };
}

/** An iterator's position variable: `list_for_each_entry(pos, head, member)` iterates `pos`. */

function cursorOf(arg: Node | undefined, args: readonly Node[] = []): { cursor?: string; over?: string } {
  if (arg?.type !== 'identifier') return {};
  // `&msgs`, a variable's own address: a list the function may have built itself.
  const list = args.slice(1).find((a) => a.text.startsWith('&') || a.text.includes('->'));
  const over = list ? /^&\s*(\w+)$/.exec(list.text)?.[1] : undefined;
  return over ? { cursor: arg.text, over } : { cursor: arg.text };
}

function bindIf(node: Node, fx: FnCtx): Stmt {
  const alt = node.childForFieldName('alternative');
  // `else // off` / `{`: the comment is a named child of the clause, not its body.
  const elseBody = alt ? (alt.type === 'else_clause' ? (alt.namedChildren.find((c) => c && c.type !== 'comment') ?? null) : alt) : null;
  const condition = node.childForFieldName('condition');
  const consequence = node.childForFieldName('consequence');
  // `if (--s->depth == -1)`: the step, then the test of what it left.
  const step = prefixStep(condition);
  const stepArg = step?.childForFieldName('argument');
  const pre = step ? bindExpression(step, fx) : [];
  if (step && stepArg) fx.steppedFirst = { id: step.id, text: step.text.replace(/\s+/g, ''), arg: stepArg.text.replace(/\s+/g, '') };
  const cond = bindCond(condition, fx);
  fx.steppedFirst = undefined;
  const then = bindOptional(consequence, fx);
  const otherwise = elseBody ? bindStatement(elseBody, fx) : null;
  const guard = ownerGuard(condition, consequence, elseBody);
  const guarded = guard?.branch === 'then' ? then : guard ? otherwise : null;
  if (guard && guarded) {
    opsOf(guarded, (o) => {
      if (o.k !== undefined) return;
      o.ownerGuarded = guard.root;
      if (guard.storedBy) o.ownerStore = guard.storedBy;
    });
  }
  const stmt: Stmt = { k: 'if', cond, then, else: otherwise };
  return pre.length ? { k: 'block', scope: -1, body: [{ k: 'ops', ops: pre }, stmt] } : stmt;
}

function bindFor(node: Node, fx: FnCtx): Stmt {
  const init = node.childForFieldName('initializer');
  const pre: Stmt = init ? (init.type === 'declaration' ? bindLocalDeclaration(init, fx) : { k: 'ops', ops: bindExpression(init, fx) }) : NONE;
  const cond = node.childForFieldName('condition');
  const update = node.childForFieldName('update');
  const loop: Stmt = {
    k: 'loop',
    // `for (;;)` has no condition: it loops until a break, goto or return.
    cond: cond ? bindLoopCond(cond, fx) : { k: 'const', value: true },
    body: bindOptional(node.childForFieldName('body'), fx),
    post: update ? bindExpression(update, fx) : [],
    doWhile: false,
  };
  return { k: 'block', scope: ++fx.nextScope, body: [pre, loop] };
}

function bindSwitch(node: Node, fx: FnCtx): Stmt {
  const subject = node.childForFieldName('condition');
  const pre = bindExpression(subject, fx);
  const cases: Stmt[][] = [];
  const tests: (Cond | null)[] = [];
  let hasDefault = false;
  const body = node.childForFieldName('body');
  const loose: Stmt[] = [];
  for (const c of switchItems(body)) {
    if (c.type !== 'case_statement') {
      // After a case label, a statement tree-sitter left outside the case (the ones after an
      // `#ifdef` inside it) is still that case's: it runs on that case's way, not on every one.
      const s = bindStatement(c, fx);
      if (cases.length > 0) cases[cases.length - 1]?.push(s);
      else loose.push(s);
      continue;
    }
    const value = c.childForFieldName('value');
    if (!value) hasDefault = true;
    const stmts = named(c).filter((x) => x.id !== value?.id);
    const block = bindBlock(stmts, fx);
    cases.push(block.k === 'block' ? block.body : [block]);
    tests.push(subject && value ? caseCond(subject, value, fx) : null);
  }
  if (loose.length > 0) {
    cases.unshift(loose);
    tests.unshift(null);
  }
  return { k: 'switch', pre, cases, hasDefault, ...(tests.some((t) => t !== null) ? { tests } : {}) };

}

/**
 * The items of a switch body, with the cases under `#ifdef CONFIG_X` (and its `#else`) lifted
 * out: each is a case of some build, and left inside its conditional it would be a statement
 * every path runs before the first case, whatever the subject is.
 */
function switchItems(body: Node | null): Node[] {
  const out: Node[] = [];
  const visit = (children: readonly Node[]): void => {
    for (const c of children) {
      const conditional = c.type === 'preproc_if' || c.type === 'preproc_ifdef' || c.type === 'preproc_else' || c.type === 'preproc_elif' || c.type === 'preproc_elifdef';
      if (conditional && named(c).some((x) => x.type === 'case_statement' || x.type.startsWith('preproc_el'))) {
        const skip = new Set([c.childForFieldName('condition')?.id, c.childForFieldName('name')?.id]);
        visit(named(c).filter((x) => !skip.has(x.id) && !x.type.startsWith('preproc_arg')));
      } else out.push(c);
    }
  };
  if (body) visit(named(body));
  return out;
}

/**
 * `#ifdef CONFIG_X ... #else ... #endif` in a body: either branch may be the compiled one, and
 * exactly one of them is (an `#else` is its branch's whole alternative, not another choice).
 */
function bindPreprocBranch(node: Node, fx: FnCtx): Stmt {
  const alt = node.childForFieldName('alternative');
  const condition = node.childForFieldName('condition');
  const name = node.childForFieldName('name');
  const skip = new Set([alt?.id, condition?.id, name?.id]);
  const stmts = named(node).filter((c) => !skip.has(c.id) && !c.type.startsWith('preproc_arg'));
  if (node.type === 'preproc_else') return bindBlock(stmts, fx);
  return { k: 'if', cond: configCond(node), then: bindBlock(stmts, fx), else: alt ? bindStatement(alt, fx) : null };
}

/**
 * A preprocessor condition as an atom (`#CONFIG_SMP`) that is one value for the whole build: a
 * lock helper and its unlock helper under the same `#ifdef` agree on it, through their summaries.
 */
function configCond(node: Node): Cond {
  if (node.type === 'preproc_ifdef' || node.type === 'preproc_elifdef') {
    const name = node.childForFieldName('name')?.text;
    if (!name) return { k: 'other', ops: [] };
    return definedAtom(name, /^#\s*(ifndef|elifndef)/.test(node.text));
  }
  return ifCond(node.childForFieldName('condition')?.text ?? '');
}

/** An `#if` expression as configCond reads it. */
function ifCond(expression: string): Cond {
  const text = expression.replace(/\s+/g, '');
  if (!text) return { k: 'other', ops: [] };
  // `#if 0`: code switched off for every build; `#if 1`: on for every build.
  if (/^\d+$/.test(text)) return { k: 'const', value: Number(text) !== 0 };
  // `#if defined(X)` asks what `#ifdef X` asks; `#if X` asks X's value (`#define X 0` is defined, and off).
  const m = /^(!?)(?:defined\(?(\w+)\)?|(\w+))$/.exec(text);
  if (m) return { k: 'atom', key: m[2] ? `#${m[2]}` : `#if ${m[3]}`, reads: [], test: m[1] ? Z : P | N, memory: false };
  return { k: 'atom', key: `#if ${text}`, reads: [], test: P | N, memory: false };
}

/** A directive's condition from its text (`#ifdef X`, `#if !defined(X)`), as configCond reads the node; comments dropped. */
function directiveCond(directive: string): Cond | undefined {
  const m = /^#\s*(ifdef|ifndef|if)\b(.*)$/.exec(directive.replace(/\/\*.*?(\*\/|$)|\/\/.*$/g, '').trim());
  if (!m) return undefined;
  const rest = (m[2] ?? '').trim();
  if (m[1] === 'if') return ifCond(rest);
  return /^\w+$/.test(rest) ? definedAtom(rest, m[1] === 'ifndef') : undefined;
}

/** `#ifdef NAME` (`#ifndef` when negative) as an atom one value for the whole build. */
function definedAtom(name: string, negative: boolean): Cond {
  return { k: 'atom', key: `#${name}`, reads: [], test: negative ? Z : P | N, memory: false };
}



export function bindLocalDeclaration(decl: Node, fx: FnCtx): Stmt {
  const typeNode = decl.childForFieldName('type');
  // `static DEFINE_MUTEX(m);` inside a function: a lock of its own, one per function.
  const defKind = typeNode?.type === 'type_identifier' ? DEFINE_MACROS.get(typeNode.text) : undefined;
  const t = fx.file.typeOf(typeNode);
  // `static arch_spinlock_t lock = __ARCH_SPIN_LOCK_UNLOCKED;`: an object of its own, one per
  // function, never an alias of its initializer.
  const isStatic = decl.namedChildren.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
  const ops: Op[] = [];
  const stmts: Stmt[] = [];
  for (const d of decl.childrenForFieldName('declarator')) {
    if (!d) continue;
    const name = declaredName(d);
    if (defKind && name) {
      fx.staticLocks[name] = defKind;
      continue;
    }
    if (isStatic && name && !isPointerDeclarator(d) && !isFunctionPointerDeclarator(d)) {
      fx.staticLocks[name] = t.k === 'lock' ? t.name : 'unknown';
      fx.vars[name] = t;
      // `static const struct foo_ops ops = { .f = fn }` inside a function: a table like a global one.
      const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      if (value?.type === 'initializer_list' && (t.k === 'struct' || t.k === 'typedef')) collectStores(value, t.name, [], fx);
      // `static int force_load = 1;` the function never writes: that value wherever it is read.
      const mask = value && value.type !== 'initializer_list' ? constantMask(value) : undefined;
      if (mask !== undefined && neverWrittenInFunction(decl, name)) ops.push({ k: 'set', target: name, root: name, value: mask, line: line(d), ...(unwrap(value as Node).type === 'number_literal' ? { lit: unwrap(value as Node).text } : {}) });
      continue;
    }


    if (name) fx.vars[name] = isFunctionPointerDeclarator(d) ? { k: 'fn', name: '' } : isPointerDeclarator(d) ? { k: t.k, name: t.name, ptr: true } : t;

    if (d.type === 'init_declarator') {
      const value = d.childForFieldName('value');
      if (!value || !name) continue;
      if (value.type === 'initializer_list') {
        if (t.k === 'struct' || t.k === 'typedef') {
          collectStores(value, t.name, [], fx, undefined, { local: name, in: fx.name });
          if (!isPointerDeclarator(d)) initialisedMembers(value, name, [], fx, ops);
        }
        continue;
      }
      const before = ops.length;
      lowerExpression(value, ops, fx);
      // The call whose result lands here: the last call, past the `&local` writes it may make.
      let last: Op | undefined;
      for (let i = ops.length - 1; i >= before; i--) {
        if (ops[i]?.k === undefined) {
          last = ops[i];
          break;
        }
      }
      noteValue(fx, name, value);
      learnMemberType(fx, t, value);
      // `int ins_len = mod < 0 ? -1 : 0;`, `int cow = mod != 0;`: stored as its assignment is.
      const branch = !isPointerDeclarator(d) && (t.k === 'other' || t.k === 'typedef') ? valueBranch(value, t.k === 'other') : null;
      // A call's result lands in the variable (a fact about it, assignTo); anything else is a plain write.
      if (last && last.k === undefined && unwrap(value).type === 'call_expression' && constantMask(value) === undefined) last.assignTo = name;
      else if (branch && ops.length === before) {
        stmts.push({ k: 'ops', ops: ops.splice(0) }, branchStore(name, branch, line(d), fx));
      } else {
        const from = storedFrom(unwrap(value), fx);
        const v = unwrap(value);
        // `int x = 3;` a literal; `RF_STATE st = eRfOff;` a name the analysis may know as an enumerator.
        const orOf = v.type === 'binary_expression' ? constantOr(v, fx) : undefined;
        const code = negatedCode(v);
        const lit = v.type === 'number_literal' ? { lit: v.text } : code ? { lit: code } : v.type === 'identifier' && from === undefined && !(v.text in fx.vars) ? { name: v.text } : orOf ? { orOf } : {};
        const member = copiedMember(v);
        const oneOf = constantArms(v, fx);
        ops.push({ k: 'set', target: name, root: name, value: constantMask(value) ?? ANY, line: line(d), ...(from !== undefined ? { from } : {}), ...(member !== undefined ? { member } : {}), ...lit, ...(oneOf ? { oneOf } : {}) });
      }


    }
  }
  return stmts.length ? { k: 'block', scope: -1, body: [...stmts, { k: 'ops', ops }] } : { k: 'ops', ops };
}

/**
 * `return value;`. A choice between calls (`return nb ? mutex_trylock(m) : mutex_lock(m);`) is
 * a branch: one arm runs, as in `if (nb) return ...; else return ...;`, not both in turn.
 */
function bindReturn(value: Node | null, at: number, fx: FnCtx): Stmt {
  // `return __cond_lock(x, c);`: `if (c) { enter x; return 1; } return 0;`.
  const cond = value ? sparseCondLock(value) : undefined;
  const context = cond ? accessPath(cond.context) : null;
  if (cond && context) {
    const enter: CallEvent = { callee: '__cond_lock', args: [context], line: at };
    const failed: CallEvent = { callee: COND_LOCK_FAILED, args: [context], line: at };
    return { k: 'if', cond: bindCond(cond.value, fx), then: { k: 'return', ops: [enter], value: { k: 'const', mask: P }, line: at }, else: { k: 'return', ops: [failed], value: { k: 'const', mask: Z }, line: at } };
  }
  const u = value ? unwrap(value) : null;
  const consequence = u?.type === 'conditional_expression' ? u.childForFieldName('consequence') : null;
  const alternative = u?.type === 'conditional_expression' ? u.childForFieldName('alternative') : null;
  const condition = u?.childForFieldName('condition');
  if (consequence && alternative && condition && [consequence, alternative].some((a) => a.type === 'call_expression' || a.descendantsOfType('call_expression').length > 0)) {
    return { k: 'if', cond: bindCond(condition, fx), then: bindReturn(consequence, at, fx), else: bindReturn(alternative, at, fx) };
  }
  // `return c->cgrp != NULL;`: an accessor's test, a branch as `if (c->cgrp) return 1; return 0;`
  // is, so a caller that knows the member (a fresh object's, left 0) gets the one answer.
  const branch = valueBranch(value) ?? (u && zeroTest(u) ? { cond: u, then: P, else: Z } : null);
  if (branch) {
    const ret = (mask: Mask): Stmt => ({ k: 'return', ops: [], value: { k: 'const', mask }, line: at });
    return { k: 'if', cond: bindCond(branch.cond, fx), then: ret(branch.then), else: ret(branch.else) };
  }
  const ops = bindExpression(value, fx);
  const returned = returnedValue(value);
  const last = ops[ops.length - 1];
  if (returned.k === 'call' && last && last.k === undefined) last.returned = true;
  return { k: 'return', ops, value: returned, line: at };
}

/** An initialiser's value that leaves a member 0. */
const ZERO_VALUE = /^\(?\s*(?:0+[uUlL]*|0[xX]0+[uUlL]*|false|NULL)\s*\)?$/;

/**
 * `struct cmd c = { .id = 1, .flags = flags };`: each named member's value, written as its
 * assignment would be (`c.flags = flags`), for a test of it here or in a callee handed `&c`.
 * A value with a call in it is not lowered here (what the call returns is not known either).
 */
function initialisedMembers(list: Node, variable: string, prefix: readonly string[], fx: FnCtx, ops: Op[]): void {
  for (const item of list.namedChildren) {
    if (item?.type !== 'initializer_pair') continue;
    const { fields, onlyMembers } = pairFields(item, prefix);
    // `[2] = x`, `.a[1] = x`: an element, which no member path names.
    if (!onlyMembers) return;
    const value = item.childForFieldName('value');
    if (!value || fields.length === prefix.length || fields.includes('')) continue;
    if (value.type === 'initializer_list') initialisedMembers(value, variable, fields, fx, ops);
    else if (value.descendantsOfType('call_expression').length === 0) ops.push(storeOf({ text: [variable, ...fields].join('.'), root: variable }, '=', value, fx, line(item), false));
  }
}

/**
 * The members an initializer pair names (`.inner.x = v`, GNU `x: v`) after `prefix`, and whether
 * every designator was a member's (none an element's `[i]`).
 */
function pairFields(item: Node, prefix: readonly string[]): { fields: string[]; onlyMembers: boolean } {
  const designators = item.childrenForFieldName('designator').filter((d): d is Node => d !== null);
  const fields = [...prefix];
  let onlyMembers = true;
  for (const d of designators) {
    if (d.type === 'field_designator') fields.push(d.namedChildren[0]?.text ?? '');
    else if (d.type === 'field_identifier') fields.push(d.text);
    else onlyMembers = false;
  }
  // GNU `member: value`
  const gnu = item.namedChildren.find((c) => c?.type === 'field_identifier');
  if (designators.length === 0 && gnu) fields.push(gnu.text);
  return { fields, onlyMembers };
}

/**
 * `{ .lock_dev = my_lock, .inner = { .x = f } }` in an initializer of `struct foo_ops`: the
 * functions stored into each member, for calls through it. Positional values are skipped.
 */
export function collectStores(list: Node, tag: string, prefix: string[], fx: Pick<FnCtx, 'file'>, variable?: string, local?: { local: string; in: string }): void {
  for (const item of list.namedChildren) {
    if (!item) continue;
    if (item.type === 'initializer_list') {
      collectStores(item, tag, prefix, fx, variable, local);
      continue;
    }
    if (item.type !== 'initializer_pair') {
      // `{ 1, &ops }`: which members these set is not written down (unset-members.ts).
      if (!item.type.includes('comment') && !ZERO_VALUE.test(item.text)) noteOnce(fx.file.facts, 'positionalInits', tag);
      continue;
    }
    const { fields } = pairFields(item, prefix);
    const value = item.childForFieldName('value');
    if (!value) continue;
    if (value.type !== 'initializer_list' && fields.length > prefix.length && !ZERO_VALUE.test(value.text)) {
      noteOnce(fx.file.facts, 'initialisedMembers', fields[fields.length - 1] as string);
      (fx.file.facts.initialisedValues ??= []).push({ tag, fields, value: value.text.replace(/\s+/g, '') });
    }
    if (value.type === 'initializer_list') collectStores(value, tag, fields, fx, variable, local);
    else if (fields.length > prefix.length) {
      // A value that may point somewhere the program cannot name (`.ops = &tables[1]`) is kept as ''.
      const v = unwrap(value);
      const fn = storedName(v) ?? (UNNAMED_POINTER.has(v.type) ? '' : undefined);
      if (fn !== undefined) fx.file.facts.pointerStores.push({ tag, fields, fn, ...(variable ? { variable } : {}), ...(local ?? {}) });
    }
  }
}
