/**
 * Lowers one parsed C file to FileFacts (ir.ts): struct layouts, typedefs, globals, lock
 * definitions, and per function a statement tree of the calls it makes. This is the binder of
 * the analysis: one `bindX` per C construct, each returning the Stmt it stands for.
 *
 * Shapes built (see shared NOTES for how tree-sitter parses kernel macros):
 *
 *   if (c) A else B         -> if{cond(c), A, B}              trylock/interruptible in c split the state
 *   while (c) A / for / do  -> loop{cond, A, post}            fixpoint in held-locks.ts
 *   list_for_each_entry(...)   (expression_statement with a MISSING ';')
 *   { A }                   -> loop{cond: null, A}            the next sibling is the body
 *   scoped_guard(T, &l) { A } -> scoped{T, l, A}              same shape as the macro loop
 *   guard(T)(&l);           -> calls[{guard: T, args: [l]}]   held to the end of the block
 *   switch (x) { case: ... } -> switch{cases}                 fallthrough kept in order
 *   goto out; ... out: X    -> goto{out} ... label{out} X     label states joined in held-locks.ts
 *   #ifdef A #else B #endif -> if{other, A, B}                both configurations are possible
 *
 * It is not a type checker: it records declared types only as far as lock classes need them.
 */
import type { Node, Tree } from './parser.ts';
import { functionName } from './parser.ts';
import { DEFINE_MACROS, isIteratorMacro, LOCK_TYPES } from '../locks/catalogue.ts';
import type { AccessPath, CallEvent, Cond, FileFacts, FunctionIR, Stmt, StructIR, Test, TypeRef } from './ir.ts';

const OTHER: TypeRef = { k: 'other', name: '' };
/** Calls whose result is their argument, for conditions: `if (unlikely(!spin_trylock(&l)))`. */
const TRANSPARENT = new Set(['likely', 'unlikely', 'WARN_ON', 'WARN_ON_ONCE', 'READ_ONCE']);
const MAX_TEXT = 120;

const line = (n: Node): number => n.startPosition.row + 1;

/** Lowers a parsed file; never throws on odd input: what it cannot read goes to `skipped`. */
/**
 * The source being lowered. Most expressions make no call; finding no '(' in a node's span of
 * the source skips its subtree without creating tree-sitter Node objects (the dominant cost).
 */
let source = '';

const mayCall = (node: Node): boolean => {
  const i = source.indexOf('(', node.startIndex);
  return i !== -1 && i < node.endIndex;
};

export function lowerFile(path: string, tree: Tree, lines: number, macros: ReadonlyMap<number, string> = new Map()): FileFacts {
  source = tree.rootNode.text;
  const facts: FileFacts = { path, functions: [], structs: [], typedefs: {}, globals: {}, lockDefs: {}, skipped: [], lines };
  const structs = new Map<string, StructIR>();
  let anon = 0;

  /** A declared type; registers struct bodies met on the way (anonymous ones get a synthetic tag). */
  const typeOf = (node: Node | null, hint?: string): TypeRef => {
    if (!node) return OTHER;
    switch (node.type) {
      case 'struct_specifier':
      case 'union_specifier': {
        const name = node.childForFieldName('name')?.text;
        const body = node.childForFieldName('body');
        const tag = name ?? hint ?? `<anonymous#${++anon}>`;
        if (body) bindStructBody(tag, body);
        const kind = LOCK_TYPES.get(tag);
        return kind ? { k: 'lock', name: kind } : { k: 'struct', name: tag };
      }
      case 'type_identifier': {
        const kind = LOCK_TYPES.get(node.text);
        return kind ? { k: 'lock', name: kind } : { k: 'typedef', name: node.text };
      }
      case 'macro_type_specifier':
        return typeOf(node.childForFieldName('type'));
      default:
        return OTHER;
    }
  };

  const bindStructBody = (tag: string, body: Node): void => {
    const fields: Record<string, TypeRef> = {};
    for (const decl of body.namedChildren) {
      if (!decl || decl.type !== 'field_declaration') continue;
      const declarators = decl.childrenForFieldName('declarator').filter((d): d is Node => d !== null);
      const first = declarators[0] ? declaredName(declarators[0]) : undefined;
      // Members of an unnamed inner struct are reached as outer.member: flatten them.
      const t = typeOf(decl.childForFieldName('type'), first ? `${tag}.${first}` : undefined);
      if (declarators.length === 0 && t.k === 'struct' && t.name.startsWith('<anonymous')) {
        const inner = structs.get(t.name);
        if (inner) Object.assign(fields, inner.fields);
        continue;
      }
      for (const d of declarators) {
        const name = declaredName(d);
        if (name) fields[name] = t;
      }
    }
    const s = { tag, fields };
    structs.set(tag, s);
  };

  const bindTopLevel = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      switch (child.type) {
        case 'function_definition': {
          const fn = bindFunction(child, typeOf, facts, macros);
          if (fn) facts.functions.push(fn);
          break;
        }
        case 'declaration':
          bindGlobalDeclaration(child);
          break;
        case 'type_definition': {
          const t = typeOf(child.childForFieldName('type'));
          for (const d of child.childrenForFieldName('declarator')) {
            const name = d ? declaredName(d) : undefined;
            if (name) facts.typedefs[name] = t;
          }
          break;
        }
        case 'struct_specifier':
        case 'union_specifier':
          typeOf(child);
          break;
        case 'ERROR':
          bindTopLevel(child);
          break;
        default:
          if (child.type.startsWith('preproc_') || child.type === 'linkage_specification' || child.type === 'declaration_list') bindTopLevel(child);
          else if (child.type === 'expression_statement') bindTopLevelMacro(child);
      }
    }
  };

  /** `DEFINE_MUTEX(x);` without `static` parses as a call statement at top level. */
  const bindTopLevelMacro = (stmt: Node): void => {
    const call = stmt.firstNamedChild;
    if (call?.type !== 'call_expression') return;
    const kind = DEFINE_MACROS.get(call.childForFieldName('function')?.text ?? '');
    const arg = call.childForFieldName('arguments')?.firstNamedChild;
    if (kind && arg?.type === 'identifier') facts.lockDefs[arg.text] = kind;
  };

  const bindGlobalDeclaration = (decl: Node): void => {
    const typeNode = decl.childForFieldName('type');
    const defKind = typeNode?.type === 'type_identifier' ? DEFINE_MACROS.get(typeNode.text) : undefined;
    for (const d of decl.childrenForFieldName('declarator')) {
      if (!d) continue;
      if (defKind) {
        // `static DEFINE_SPINLOCK(x);`: a parenthesized declarator, not a call.
        const name = declaredName(d);
        if (name) facts.lockDefs[name] = defKind;
        continue;
      }
      if (isFunctionDeclarator(d)) continue;
      const name = declaredName(d);
      if (name) facts.globals[name] = typeOf(typeNode);
    }
    if (!defKind && decl.childrenForFieldName('declarator').length === 0) typeOf(typeNode);
  };

  bindTopLevel(tree.rootNode);
  facts.structs = [...structs.values()];
  if (tree.rootNode.hasError) reportErrors(tree.rootNode, undefined, facts.skipped);
  return facts;
}

/** Every ERROR region, outermost only, with the function it sits in: the parts not analyzed. */
function reportErrors(node: Node, fn: string | undefined, out: FileFacts['skipped']): void {
  for (const child of node.children) {
    if (!child || !child.hasError) continue;
    if (child.type === 'ERROR') {
      const lines = child.endPosition.row - child.startPosition.row + 1;
      out.push({ line: line(child), reason: `unparsed code${fn ? ` in ${fn}()` : ''} (${lines} line${lines > 1 ? 's' : ''}): skipped` });
      continue;
    }
    reportErrors(child, child.type === 'function_definition' ? (functionName(child) ?? fn) : fn, out);
  }
}

/** The name a declarator declares (`*x`, `x[4]`, `x = 1`, `(x)`). */
function declaredName(d: Node): string | undefined {
  let cur: Node | null = d;
  while (cur) {
    if (cur.type === 'identifier' || cur.type === 'field_identifier' || cur.type === 'type_identifier') return cur.text;
    if (cur.type === 'parenthesized_declarator') {
      cur = cur.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
      continue;
    }
    cur = cur.childForFieldName('declarator') ?? cur.namedChildren.find((c) => c?.type === 'identifier' || c?.type === 'field_identifier') ?? null;
  }
  return undefined;
}

function isFunctionDeclarator(d: Node): boolean {
  let cur: Node | null = d;
  while (cur) {
    if (cur.type === 'function_declarator') return true;
    if (cur.type === 'init_declarator') return false;
    cur = cur.childForFieldName('declarator');
  }
  return false;
}

type TypeOf = (node: Node | null, hint?: string) => TypeRef;

interface FnScope {
  vars: Record<string, TypeRef>;
  /** Statement macros rewritten to `while` before parsing (macro-rewrite.ts), by start index. */
  macros: ReadonlyMap<number, string>;
  typeOf: TypeOf;
  nextScope: number;
  facts: FileFacts;
  fn: string;
}

function bindFunction(def: Node, typeOf: TypeOf, facts: FileFacts, macros: ReadonlyMap<number, string>): FunctionIR | undefined {
  const name = functionName(def);
  const body = def.childForFieldName('body');
  if (!name || !body) return undefined;
  const isStatic = def.namedChildren.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
  const params: { name: string; type: TypeRef }[] = [];
  const vars: Record<string, TypeRef> = {};
  let fd: Node | null = def.childForFieldName('declarator');
  while (fd && fd.type !== 'function_declarator') fd = fd.childForFieldName('declarator');
  for (const p of fd?.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p?.type !== 'parameter_declaration') continue;
    const d = p.childForFieldName('declarator');
    const pname = d ? declaredName(d) : undefined;
    if (!pname) continue;
    const t = typeOf(p.childForFieldName('type'));
    params.push({ name: pname, type: t });
    vars[pname] = t;
  }
  const scope: FnScope = { vars, macros, typeOf, nextScope: 0, facts, fn: name };
  return { name, isStatic, line: line(def), endLine: def.endPosition.row + 1, params, vars, body: bindStatement(body, scope) };
}

function bindStatement(node: Node, s: FnScope): Stmt {
  switch (node.type) {
    case 'compound_statement':
      return bindBlock(node.namedChildren.filter((c): c is Node => c !== null), s);
    case 'expression_statement':
      return { k: 'calls', calls: mayCall(node) ? bindExpression(node.firstNamedChild ?? null) : [] };
    case 'declaration':
      return bindLocalDeclaration(node, s);
    case 'if_statement':
      return bindIf(node, s);
    case 'while_statement': {
      const macro = s.macros.get(node.startIndex);
      if (macro) return bindStatementMacro(macro, node, s);
      return { k: 'loop', cond: bindCond(node.childForFieldName('condition')), body: bindOptional(node.childForFieldName('body'), s), post: [], doWhile: false };
    }
    case 'do_statement':
      return { k: 'loop', cond: bindCond(node.childForFieldName('condition')), body: bindOptional(node.childForFieldName('body'), s), post: [], doWhile: true };
    case 'for_statement':
      return bindFor(node, s);
    case 'switch_statement':
      return bindSwitch(node, s);
    case 'break_statement':
      return { k: 'break' };
    case 'continue_statement':
      return { k: 'continue' };
    case 'return_statement': {
      const value = node.firstNamedChild ?? null;
      return { k: 'return', calls: bindExpression(value), value: returnedValue(value) };
    }
    case 'goto_statement':
      return { k: 'goto', label: node.childForFieldName('label')?.text ?? '' };
    case 'labeled_statement': {
      const label = node.childForFieldName('label')?.text ?? '';
      const inner = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'statement_identifier');
      return { k: 'block', scope: -1, body: [{ k: 'label', name: label }, ...inner.map((c) => bindStatement(c, s))] };
    }
    case 'preproc_if':
    case 'preproc_ifdef':
    case 'preproc_else':
    case 'preproc_elif':
    case 'preproc_elifdef':
      return bindPreprocBranch(node, s);
    case 'ERROR':
      return bindBlock(node.namedChildren.filter((c): c is Node => c !== null), s);
    default:
      return { k: 'calls', calls: [] };
  }
}

function bindOptional(node: Node | null, s: FnScope): Stmt {
  return node ? bindStatement(node, s) : { k: 'calls', calls: [] };
}

/**
 * A block's statements in order. Iterator macros and scoped_guard come out as a call statement
 * missing its ';' followed by the body as the next sibling: they are joined here.
 */
function bindBlock(children: Node[], s: FnScope): Stmt {
  const scope = ++s.nextScope;
  const body: Stmt[] = [];
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as Node;
    if (child.type === 'comment') continue;
    const macro = macroHead(child);
    const next = children[i + 1];
    if (macro && next && next.type !== 'comment') {
      const bodyStmt = bindStatement(next, s);
      i++;
      body.push(bindMacroWithBody(macro, bodyStmt, s));
      continue;
    }
    body.push(bindStatement(child, s));
  }
  return { k: 'block', body, scope };
}

/** The call of `macro(args) <statement>`: an expression statement whose ';' is MISSING. */
function macroHead(node: Node): Node | undefined {
  // A statement ending in ';' has its ';': skip the child lookups for the common case.
  if (node.type !== 'expression_statement' || source.charCodeAt(node.endIndex - 1) === 59) return undefined;
  const last = node.child(node.childCount - 1);
  if (!last?.isMissing) return undefined;
  const call = node.firstNamedChild;
  return call?.type === 'call_expression' && call.childForFieldName('function')?.type === 'identifier' ? call : undefined;
}

/** `list_for_each_entry(...) body` or `scoped_guard(T, &l) body`, seen as `while (...) body`. */
function bindStatementMacro(name: string, node: Node, s: FnScope): Stmt {
  const body = bindOptional(node.childForFieldName('body'), s);
  const cond = node.childForFieldName('condition');
  let args: Node[] = [];
  let inner = cond?.firstNamedChild ?? null;
  // The parenthesized arguments come back as a comma expression: flatten it.
  while (inner && inner.type === 'comma_expression') {
    const left = inner.childForFieldName('left');
    if (left) args.push(left);
    inner = inner.childForFieldName('right');
  }
  if (inner) args.push(inner);
  args = args.filter((a) => a.type !== 'comment');
  if (name === 'scoped_guard' || name === 'scoped_cond_guard') {
    const lockArg = args[1] ?? null;
    return { k: 'scoped', guard: args[0]?.text ?? '', lock: lockArg ? accessPath(lockArg) : null, line: line(node), body };
  }
  return { k: 'loop', cond: { k: 'other', calls: args.flatMap((a) => bindExpression(a)) }, body, post: [], doWhile: false };
}

function bindMacroWithBody(call: Node, body: Stmt, s: FnScope): Stmt {
  const name = call.childForFieldName('function')?.text ?? '';
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null) ?? [];
  if (name === 'scoped_guard' || name === 'scoped_cond_guard') {
    const lockArg = args[1] ?? null;
    return { k: 'scoped', guard: args[0]?.text ?? '', lock: lockArg ? accessPath(lockArg) : null, line: line(call), body };
  }
  if (isIteratorMacro(name)) return { k: 'loop', cond: null, body, post: [], doWhile: false };
  // An unknown macro with a body (a custom iterator or a wrapper): run the body once, maybe.
  void s;
  return { k: 'if', cond: { k: 'other', calls: bindExpression(call) }, then: body, else: null };
}

function bindIf(node: Node, s: FnScope): Stmt {
  const alt = node.childForFieldName('alternative');
  const elseBody = alt ? (alt.type === 'else_clause' ? alt.firstNamedChild : alt) : null;
  return {
    k: 'if',
    cond: bindCond(node.childForFieldName('condition')),
    then: bindOptional(node.childForFieldName('consequence'), s),
    else: elseBody ? bindStatement(elseBody, s) : null,
  };
}

function bindFor(node: Node, s: FnScope): Stmt {
  const init = node.childForFieldName('initializer');
  const pre: Stmt = init ? (init.type === 'declaration' ? bindLocalDeclaration(init, s) : { k: 'calls', calls: bindExpression(init) }) : { k: 'calls', calls: [] };
  const cond = node.childForFieldName('condition');
  const update = node.childForFieldName('update');
  const loop: Stmt = {
    k: 'loop',
    cond: cond ? bindCond(cond) : null,
    body: bindOptional(node.childForFieldName('body'), s),
    post: update ? bindExpression(update) : [],
    doWhile: false,
  };
  return { k: 'block', scope: -1, body: [pre, loop] };
}

function bindSwitch(node: Node, s: FnScope): Stmt {
  const pre = bindExpression(node.childForFieldName('condition'));
  const cases: Stmt[][] = [];
  let hasDefault = false;
  const body = node.childForFieldName('body');
  const loose: Stmt[] = [];
  for (const c of body?.namedChildren ?? []) {
    if (!c) continue;
    if (c.type !== 'case_statement') {
      loose.push(bindStatement(c, s));
      continue;
    }
    if (!c.childForFieldName('value')) hasDefault = true;
    const stmts = c.namedChildren.filter((x): x is Node => x !== null && x !== c.childForFieldName('value'));
    const block = bindBlock(stmts, s);
    cases.push(block.k === 'block' ? block.body : [block]);
  }
  if (loose.length > 0) cases.unshift(loose);
  return { k: 'switch', pre, cases, hasDefault };
}

/** `#ifdef CONFIG_X ... #else ... #endif` in a body: either branch may be the compiled one. */
function bindPreprocBranch(node: Node, s: FnScope): Stmt {
  const alt = node.childForFieldName('alternative');
  const stmts = node.namedChildren.filter(
    (c): c is Node => c !== null && c !== alt && c !== node.childForFieldName('condition') && c !== node.childForFieldName('name') && !c.type.startsWith('preproc_arg'),
  );
  return { k: 'if', cond: { k: 'other', calls: [] }, then: bindBlock(stmts, s), else: alt ? bindStatement(alt, s) : null };
}

function bindLocalDeclaration(decl: Node, s: FnScope): Stmt {
  const t = s.typeOf(decl.childForFieldName('type'));
  const calls: CallEvent[] = [];
  for (const d of decl.childrenForFieldName('declarator')) {
    if (!d) continue;
    const name = declaredName(d);
    if (name) s.vars[name] = t;
    if (d.type === 'init_declarator') {
      const value = d.childForFieldName('value');
      const before = calls.length;
      lowerExpression(value, calls);
      const last = calls[calls.length - 1];
      if (name && last && calls.length > before && value?.type === 'call_expression') last.assignTo = name;
    }
  }
  return { k: 'calls', calls };
}

/**
 * What a return statement returns, as far as a caller's test can use it: `return 0;`,
 * `return false;`, `return NULL;` are zero; `return 1;`, `return -EBUSY;`, `return true;` nonzero.
 */
function returnedValue(node: Node | null): 'zero' | 'nonzero' | 'other' {
  if (!node) return 'other';
  let cur = node;
  while (cur.type === 'parenthesized_expression' && cur.firstNamedChild) cur = cur.firstNamedChild;
  const text = cur.text;
  if (text === '0' || text === 'false' || text === 'NULL') return 'zero';
  if (cur.type === 'number_literal' || text === 'true') return 'nonzero';
  if (cur.type === 'unary_expression' && cur.childForFieldName('operator')?.text === '-' && /^[A-Z][A-Z0-9_]*$|^\d+$/.test(cur.childForFieldName('argument')?.text ?? '')) return 'nonzero';
  return 'other';
}

/** The calls an expression makes, in evaluation order (arguments before the call). */
function bindExpression(node: Node | null): CallEvent[] {
  const out: CallEvent[] = [];
  lowerExpression(node, out);
  return out;
}

function lowerExpression(node: Node | null, out: CallEvent[]): void {
  if (!node || !mayCall(node)) return;
  switch (node.type) {
    case 'call_expression': {
      const fnNode = node.childForFieldName('function');
      const args = node.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
      for (const a of args) lowerExpression(a, out);
      if (fnNode?.type === 'identifier') {
        out.push({ callee: fnNode.text, args: args.map(accessPath), line: line(node) });
      } else if (fnNode?.type === 'call_expression' && fnNode.childForFieldName('function')?.text === 'guard') {
        const guardType = fnNode.childForFieldName('arguments')?.firstNamedChild?.text ?? '';
        out.push({ callee: 'guard', guard: guardType, args: args.map(accessPath), line: line(node) });
      } else {
        lowerExpression(fnNode, out);
      }
      return;
    }
    case 'assignment_expression': {
      const right = node.childForFieldName('right');
      const before = out.length;
      lowerExpression(node.childForFieldName('left'), out);
      lowerExpression(right, out);
      const left = node.childForFieldName('left');
      const last = out[out.length - 1];
      if (right?.type === 'call_expression' && left?.type === 'identifier' && last && out.length > before) last.assignTo = left.text;
      return;
    }
    case 'sizeof_expression':
    case 'alignof_expression':
    case 'string_literal':
    case 'number_literal':
    case 'identifier':
    case 'field_identifier':
    case 'comment':
      return;
    default:
      for (const c of node.namedChildren) lowerExpression(c, out);
  }
}

/** A lock argument as an access path, or null when it is not one (a call result, arithmetic). */
function accessPath(node: Node): AccessPath | null {
  const fields: string[] = [];
  let cast: string | undefined;
  let cur: Node | null = node;
  while (cur) {
    switch (cur.type) {
      case 'pointer_expression':
      case 'parenthesized_expression':
        cur = cur.childForFieldName('argument') ?? cur.firstNamedChild ?? null;
        continue;
      case 'cast_expression': {
        const t = cur.childForFieldName('type')?.childForFieldName('type');
        if (t?.type === 'struct_specifier') cast = t.childForFieldName('name')?.text;
        else if (t?.type === 'type_identifier') cast = t.text;
        cur = cur.childForFieldName('value');
        continue;
      }
      case 'field_expression':
        fields.unshift(cur.childForFieldName('field')?.text ?? '');
        cur = cur.childForFieldName('argument');
        continue;
      case 'subscript_expression':
        cur = cur.childForFieldName('argument');
        continue;

      case 'identifier': {
        const text = node.text.replace(/\s+/g, '');
        const path: AccessPath = { root: cur.text, fields, text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}...` : text };
        if (cast) path.cast = cast;
        return path;
      }
      default:
        return null;
    }
  }
  return null;
}

const ZERO = new Set(['0', 'NULL', 'false']);

/** A branch condition, structured where it can split the held set. */
function bindCond(node: Node | null): Cond {
  if (!node) return { k: 'other', calls: [] };
  switch (node.type) {
    case 'parenthesized_expression':
      return bindCond(node.firstNamedChild ?? null);
    case 'unary_expression':
      if (node.childForFieldName('operator')?.text === '!') return { k: 'not', c: bindCond(node.childForFieldName('argument')) };
      break;
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (op === '&&') return { k: 'and', a: bindCond(left), b: bindCond(right) };
      if (op === '||') return { k: 'or', a: bindCond(left), b: bindCond(right) };
      if (left && right && ZERO.has(right.text)) {
        const test: Test | undefined = op === '==' ? 'zero' : op === '!=' ? 'nonzero' : op === '<' ? 'negative' : op === '>=' ? 'nonnegative' : undefined;
        if (test) return tested(left, test);
      }
      break;
    }
    case 'call_expression':
    case 'identifier':
    case 'assignment_expression':
      return tested(node, 'nonzero');
  }
  return { k: 'other', calls: bindExpression(node) };
}

const flip: Record<Test, Test> = { zero: 'nonzero', nonzero: 'zero', negative: 'nonnegative', nonnegative: 'negative' };

/** `node` tested with `test`; sees through likely()/unlikely() and `(ret = call())`. */
function tested(node: Node, test: Test): Cond {
  let cur = node;
  while (cur.type === 'parenthesized_expression' && cur.firstNamedChild) cur = cur.firstNamedChild;
  if (cur.type === 'unary_expression' && cur.childForFieldName('operator')?.text === '!') {
    const inner = cur.childForFieldName('argument');
    return inner ? tested(inner, flip[test]) : { k: 'other', calls: [] };
  }
  if (cur.type === 'identifier') return { k: 'var', name: cur.text, test, pre: [] };
  if (cur.type === 'assignment_expression' && cur.childForFieldName('right')?.type === 'call_expression') {
    const calls = bindExpression(cur);
    const ev = calls.pop();
    if (ev) return { k: 'call', ev, pre: calls, test };
  }
  if (cur.type === 'call_expression') {
    const fn = cur.childForFieldName('function');
    const args = cur.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null) ?? [];
    if (fn?.type === 'identifier' && TRANSPARENT.has(fn.text) && args.length === 1 && args[0]) {
      const inner = bindCond(args[0]);
      return test === 'nonzero' ? inner : test === 'zero' ? { k: 'not', c: inner } : { k: 'other', calls: bindExpression(cur) };
    }
    const calls = bindExpression(cur);
    const ev = calls.pop();
    if (ev) return { k: 'call', ev, pre: calls, test };
  }
  return { k: 'other', calls: bindExpression(cur) };
}
