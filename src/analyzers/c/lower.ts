/**
 * Lowers one parsed C file to FileFacts (ir.ts): struct layouts, typedefs, globals, lock
 * definitions, prototypes, functions stored into struct members, and per function a statement
 * tree of operations (lower-statements.ts, lower-expressions.ts). Function-like `#define`s whose
 * body makes a call are lowered as pseudo-functions over their parameters, so a macro that wraps
 * a lock operation (`#define foo_lock(f) spin_lock(&(f)->lock)`) acts like the function it stands
 * for. It is not a type checker: it records declared types only as far as lock classes need them.
 */
import { declaredCallbacks } from './declared-callbacks.ts';
import { evalPreprocCondition } from './preproc-expr.ts';
import { valueUses } from './value-uses.ts';
import type { GuardedBranch } from './conditional-branches.ts';
import { posix } from 'node:path';
import type { Node, Tree } from './parser.ts';
import { functionName } from './parser.ts';
import { DEFINE_MACROS, LOCK_TYPES } from '../locks/catalogue.ts';
import { AROUND_POINTER, CONTAINER, MEMBER_PATH, type AccessPath, type Annotation, type FileFacts, type FunctionIR, type GlobalIR, type PrototypeIR, type StructIR, type TypeRef } from './ir.ts';
import { line, noteOnce, type Around, type FileCtx, type FnCtx } from './lower-context.ts';
import { bindStatement, collectStores } from './lower-statements.ts';
import { callArguments, unwrap } from './lower-expressions.ts';
import { callEvents } from './call-graph.ts';
import { testMemberCopiesAsMembers } from './member-copies.ts';
import { markCountedReleases } from './counted-releases.ts';
import { declaredName, isFunctionDeclarator, isFunctionPointerDeclarator, isPointerDeclarator, parameterList, pastedFunctionName } from './syntax.ts';
import { integerValue, shiftedValue } from './comparison.ts';
import { commandParams } from './command-arguments.ts';

const OTHER: TypeRef = { k: 'other', name: '' };
const UNSIGNED: TypeRef = { k: 'other', name: 'unsigned' };
/** `bool`: a mode of two values (analyze-program.ts specialises on it past its cap). */
const BOOL: TypeRef = { k: 'other', name: 'bool' };
const FN: TypeRef = { k: 'fn', name: '' };

export interface LowerInput {
  path: string;
  tree: Tree;
  lines: number;
  /** Statement macros rewritten before parsing (macro-rewrite.ts), by start index. */
  macros?: ReadonlyMap<number, string>;
  /** sparse annotations by function name (macro-rewrite.ts). */
  annotations?: ReadonlyMap<string, Annotation[]>;
  /** Functions marked `__init` (macro-rewrite.ts). */
  boot?: ReadonlySet<string>;
  /** Kept branches of reduced `#if` groups (conditional-branches.ts). */
  guarded?: readonly GuardedBranch[];
  /** Parses the body of a function-like macro wrapped as a function; absent: macros are skipped. */
  parse?: (text: string) => Tree;
}

/**
 * The lines of a body only a jump reaches after its work is done (`return 0;` then `error:`):
 * there the function undoes what it did, after something failed (the kernel's unwind idiom).
 * Where the work ends with a jump instead (`goto out;`, `out:` after the error labels), the
 * region ends before that label: it runs either way.
 */
function unwindLines(body: Node): { from: number; to?: number } | undefined {
  const top = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const jumps = (n: Node | undefined): boolean => n?.type === 'return_statement' || n?.type === 'goto_statement';
  const at = top.findIndex((c, i) => c.type === 'labeled_statement' && jumps(top[i - 1]));
  if (at < 0) return undefined;
  const from = (top[at] as Node).startPosition.row + 1;
  const last = top[at - 1];
  const success = last?.type === 'goto_statement' ? last.childForFieldName('label')?.text : undefined;
  const rejoin = success === undefined ? undefined : top.slice(at + 1).find((c) => c.type === 'labeled_statement' && c.childForFieldName('label')?.text === success);
  return rejoin ? { from, to: rejoin.startPosition.row } : { from };
}

/** Lowers a parsed file; never throws on odd input: what it cannot read goes to `skipped`. */
export function lowerFile(input: LowerInput): FileFacts {
  const { path, tree, lines } = input;
  const facts: FileFacts = { path, functions: [], prototypes: [], structs: [], typedefs: {}, globals: {}, lockDefs: {}, pointerStores: [], memberTypes: [], skipped: [], lines };
  const structs = new Map<string, StructIR>();
  const annotations = input.annotations ?? new Map<string, Annotation[]>();
  const base = path.slice(path.lastIndexOf('/') + 1);

  /** A declared type; registers struct bodies met on the way (anonymous ones are named by file and line). */
  const typeOf = (node: Node | null, hint?: string): TypeRef => {
    if (!node) return OTHER;
    switch (node.type) {
      case 'struct_specifier':
      case 'union_specifier': {
        const name = node.childForFieldName('name')?.text;
        const body = node.childForFieldName('body');
        const tag = name ?? hint ?? `<anon ${base}:${line(node)}>`;
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
      // `unsigned int`: never negative (a switch's cases may cover all it can hold, flow/switch-coverage.ts).
      case 'sized_type_specifier':
        return node.text.startsWith('unsigned') ? UNSIGNED : OTHER;
      case 'primitive_type':
        return node.text === 'bool' || node.text === '_Bool' ? BOOL : OTHER;
      case 'enum_specifier': {
        const body = node.childForFieldName('body');
        if (body) bindEnumBody(body);
        return OTHER;
      }
      default:
        return OTHER;
    }
  };

  /** `enum { eRfOn, eRfOff = 4, eRfSleep }`: each enumerator's value where the declaration says it (0, 4, 5). */
  const bindEnumBody = (body: Node): void => {
    const values = (facts.namedConstants ??= {});
    let next: number | null = 0;
    for (const e of body.namedChildren) {
      if (e?.type !== 'enumerator') continue;
      const name = e.childForFieldName('name')?.text;
      const v = e.childForFieldName('value');
      // `CMD_ASYNC = (1 << 1)`, `BIT(2)`, `F_ALL = F_A | F_B`: worked out as the preprocessor would.
      const text = v?.text.replace(/\s/g, '').replace(/\bBIT(?:_ULL)?\((\d+)\)/g, '(1<<$1)');
      const value: number | null = text === undefined ? next : (integerValue(text.replace(/[()]/g, '')) ?? evalPreprocCondition(text, { defined: () => undefined, value: (n) => values[n] ?? undefined }) ?? null);
      if (name) values[name] = value;
      next = value === null ? null : value + 1;
    }
  };

  // Node offsets count from the start of the file; the root node starts at the first token, past
  // any leading blank lines (a blanked `#ifdef __cplusplus` guard, a file opening with empty lines).
  const root = tree.rootNode;
  const file: FileCtx = { source: ' '.repeat(root.startIndex) + root.text, path, macros: input.macros ?? new Map(), ...(input.guarded?.length ? { guarded: input.guarded } : {}), facts, typeOf };
  const exposed = exposedVariables(file.source);
  if (exposed.length) facts.exposedVariables = exposed;
  const included = includedCFiles(file.source, path);
  if (included.length) facts.includesC = included;
  const headers = includedHeaders(file.source, path);
  if (headers.length) facts.includesH = headers;
  const defines = new Set<string>();
  for (const m of file.source.matchAll(/^[ \t]*#[ \t]*define[ \t]+(\w+)(\(?)([^\n]*)$/gm)) {
    const name = m[1] as string;
    defines.add(name);
    // `#define OFF 0`, `#define MAX_SLOTS (16)`: an object-like macro of an integer value is a constant of that value.
    const value = m[2] ? undefined : macroInteger(m[3]);
    if (value !== undefined) {
      const values = (facts.namedConstants ??= {});
      values[name] = Object.hasOwn(values, name) && values[name] !== value ? null : value;
    }
  }
  if (defines.size) facts.defines = [...defines];
  const declared = declaredCallbacks(file.source);
  if (declared.length) facts.declaredCallbacks = declared;
  if (defines.size && path.endsWith('.c')) {
    const at = unconditionalDefines(file.source);
    if (Object.keys(at).length) facts.definedAt = at;
  }
  const commented = new Set([...file.source.matchAll(/(?:\/\*|\/\/)[ \t]*#[ \t]*define[ \t]+(\w+)/g)].map((m) => m[1] as string));
  if (commented.size) facts.commentedDefines = [...commented];
  const exported = new Set([...file.source.matchAll(/^[ \t]*EXPORT_SYMBOL(?:_GPL)?[ \t]*\([ \t]*(\w+)[ \t]*\)/gm)].map((m) => m[1] as string));
  if (exported.size) facts.exports = [...exported];
  // Lines counted as the matches go, not from the start of the file for each one.
  let undefLine = 1;
  let counted = 0;
  for (const m of file.source.matchAll(/^[ \t]*#[ \t]*undef[ \t]+(\w+)/gm)) {
    for (let i = file.source.indexOf('\n', counted); i !== -1 && i < m.index; i = file.source.indexOf('\n', i + 1)) undefLine++;
    counted = m.index;
    const name = m[1] as string;
    if (defines.has(name)) continue;
    const undefs = (facts.undefs ??= {});
    undefs[name] ??= undefLine;
  }

  const bindStructBody = (tag: string, body: Node): void => {
    const fields: Record<string, TypeRef> = {};
    for (const decl of memberDeclarations(body)) {
      const declarators = decl.childrenForFieldName('declarator').filter((d): d is Node => d !== null);
      const first = declarators[0] ? declaredName(declarators[0]) : undefined;
      // Members of an unnamed inner struct are reached as outer.member: flatten them.
      const t = typeOf(decl.childForFieldName('type'), first ? `${tag}.${first}` : undefined);
      if (declarators.length === 0 && t.k === 'struct' && t.name.startsWith('<anon')) {
        const inner = structs.get(t.name);
        if (inner) Object.assign(fields, inner.fields);
        continue;
      }
      const isVolatile = decl.namedChildren.some((c) => c?.type === 'type_qualifier' && c.text === 'volatile');
      for (const d of declarators) {
        const name = declaredName(d);
        if (name && isVolatile) noteOnce(facts, 'volatileMembers', name);
        // A pointer member is marked (`ptr`): a struct embedded whole may hold a lock class of its
        // own, and a lock a member points to (`spinlock_t *lock`) lives outside the object.
        if (name && !(name in fields)) fields[name] = isFunctionPointerDeclarator(d) ? FN : isPointerDeclarator(d) && (t.k === 'struct' || t.k === 'typedef' || t.k === 'lock') ? { k: t.k, name: t.name, ptr: true } : t;
      }
    }
    structs.set(tag, { tag, fields });
  };

  const paramsOf = (declarator: Node | null): { name: string; type: TypeRef }[] => {
    const out: { name: string; type: TypeRef }[] = [];
    for (const p of parameterList(declarator)?.namedChildren ?? []) {
      if (p?.type !== 'parameter_declaration') continue;
      const d = p.childForFieldName('declarator');
      const pname = d ? declaredName(d) : undefined;
      if (!pname) continue;
      const t = typeOf(p.childForFieldName('type'));
      out.push({ name: pname, type: d && isFunctionPointerDeclarator(d) ? FN : d && isPointerDeclarator(d) ? { k: t.k, name: t.name, ptr: true } : t });

    }
    return out;
  };

  const bindFunction = (def: Node, config: string[]): void => {
    const name = functionName(def);
    const body = def.childForFieldName('body');
    if (!name || !body) return;
    const isStatic = def.namedChildren.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
    const declarator = def.childForFieldName('declarator');
    const params = paramsOf(declarator);
    facts.prototypes.push({ name, returns: typeOf(def.childForFieldName('type')), params });
    const fn = bindBody(name, params, body, file);
    fn.isStatic = isStatic;
    if (declarator && isPointerDeclarator(declarator)) fn.returnsPointer = true;
    if (returnsObjectAroundFirst(body, params)) fn.containerAccessor = true;
    fn.line = line(def);
    fn.endLine = def.endPosition.row + 1;
    const ann = annotations.get(name);
    if (ann) fn.annotations = ann;
    if (input.boot?.has(name)) {
      fn.boot = true;
      const unwind = unwindLines(body);
      if (unwind) {
        fn.unwindFrom = unwind.from;
        if (unwind.to !== undefined) fn.unwindTo = unwind.to;
      }
    }
    if (config.length) fn.config = [...config];
    facts.functions.push(fn);
  };

  const bindTopLevel = (node: Node, config: string[]): void => {
    for (const child of node.namedChildren) if (child) bindOne(child, config);
  };

  const bindOne = (child: Node, config: string[]): void => {
    switch (child.type) {
      case 'function_definition':
        bindFunction(child, config);
        break;
      case 'declaration':
        bindGlobalDeclaration(child, config);
        break;
      case 'type_definition': {
        const t = typeOf(child.childForFieldName('type'));
        for (const d of child.childrenForFieldName('declarator')) {
          const name = d ? declaredName(d) : undefined;
          if (name) facts.typedefs[name] = d && isFunctionPointerDeclarator(d) ? FN : t;
        }
        break;
      }
      case 'struct_specifier':
      case 'union_specifier':
      case 'enum_specifier':
        typeOf(child);
        break;
      case 'preproc_function_def':
        bindMacro(child, config);
        break;
      case 'preproc_ifdef':
      case 'preproc_if':
      case 'preproc_elif':
      case 'preproc_elifdef':
        bindPreproc(child, config);
        break;
      case 'preproc_else':
      case 'ERROR':
      case 'linkage_specification':
      case 'declaration_list':
        bindTopLevel(child, config);
        break;
      case 'expression_statement':
        bindTopLevelMacro(child, config);
        break;
    }
  };

  /** `#ifdef CONFIG_SMP` ... `#else` ...: the configuration each definition belongs to. */
  const bindPreproc = (node: Node, config: string[]): void => {
    const cond = preprocCondition(node);
    const alt = node.childForFieldName('alternative');
    // `#if 0` ... `#else`: only the alternative is ever built; `#if 1`: only the first branch.
    if (cond !== undefined && /^\d+$/.test(cond)) {
      if (Number(cond) === 0) {
        if (alt?.type === 'preproc_else') bindTopLevel(alt, config);
        else if (alt) bindPreproc(alt, config);
        return;
      }
      const skip = new Set([alt?.id, node.childForFieldName('condition')?.id]);
      for (const child of node.namedChildren) if (child && !skip.has(child.id)) bindOne(child, config);
      return;
    }
    const skip = new Set([alt?.id, node.childForFieldName('condition')?.id, node.childForFieldName('name')?.id]);
    const inner = cond ? [...config, cond] : config;
    for (const child of node.namedChildren) if (child && !skip.has(child.id)) bindOne(child, inner);
    if (alt) {
      const negated = cond ? [...config, negate(cond)] : config;
      if (alt.type === 'preproc_else') bindTopLevel(alt, negated);
      else bindPreproc(alt, negated);
    }
  };

  /** A lock object's definition, with the `#ifdef`s around it (`#ifdef USE_SEM` / `#else DEFINE_SPINLOCK(x)`). */
  const lockDef = (kind: string, isStatic: boolean, config: string[], at: Node): { kind: string; isStatic: boolean; config?: string[]; line?: number } =>
    config.length ? { kind, isStatic, config, line: at.startPosition.row + 1 } : { kind, isStatic };

  /** `DEFINE_MUTEX(x);` without `static` parses as a call statement at top level. */
  const bindTopLevelMacro = (stmt: Node, config: string[]): void => {
    const call = stmt.firstNamedChild;
    if (call?.type !== 'call_expression') return;
    const kind = DEFINE_MACROS.get(call.childForFieldName('function')?.text ?? '');
    const arg = call.childForFieldName('arguments')?.firstNamedChild;
    if (kind && arg?.type === 'identifier') facts.lockDefs[arg.text] = lockDef(kind, false, config, stmt);
  };

  const bindGlobalDeclaration = (decl: Node, config: string[]): void => {
    const typeNode = decl.childForFieldName('type');
    const defKind = typeNode?.type === 'type_identifier' ? DEFINE_MACROS.get(typeNode.text) : undefined;
    const isStatic = decl.namedChildren.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
    for (const d of decl.childrenForFieldName('declarator')) {
      if (!d) continue;
      if (defKind) {
        // `static DEFINE_SPINLOCK(x);`: a parenthesized declarator, not a call.
        const name = declaredName(d);
        if (name) facts.lockDefs[name] = lockDef(defKind, isStatic, config, decl);
        continue;
      }
      if (isFunctionDeclarator(d)) {
        const name = pastedFunctionName(d) ?? declaredName(d);
        if (name) {
          const proto: PrototypeIR = { name, returns: typeOf(typeNode), params: paramsOf(d) };
          const ann = annotations.get(name);
          if (ann) proto.annotations = ann;
          facts.prototypes.push(proto);
        }
        continue;
      }
      const name = declaredName(d);
      if (!name) continue;
      const t = isFunctionPointerDeclarator(d) ? FN : typeOf(typeNode);
      const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      // `const uint dhd_deferred_tx = 1;`: never written, a constant of the program like `#define`'s.
      const constant = constantGlobal(decl, d, value);
      if (constant !== undefined) {
        const values = (facts.namedConstants ??= {});
        values[name] = Object.hasOwn(values, name) && values[name] !== constant ? null : constant;
        (facts.constGlobals ??= []).push(name);
        continue;
      }
      const init = scalarInit(d, value, isStatic, t);
      facts.globals[name] = { type: t, isStatic, ...(init !== undefined ? { init } : {}) } satisfies GlobalIR;
      if (value?.type === 'initializer_list' && (t.k === 'struct' || t.k === 'typedef')) collectStores(value, t.name, [], { file }, name);

    }
    if (!defKind && decl.childrenForFieldName('declarator').length === 0) typeOf(typeNode);
  };

  /**
   * `#define foo_lock(f) spin_lock(&(f)->lock)`: the body wrapped as `void foo_lock(void *f) { ... }`,
   * parsed at the macro's own lines, and lowered like a function. Bodies that are not C
   * statements (token pasting, declarations) do not parse and are left out.
   */
  const bindMacro = (def: Node, config: string[]): void => {
    if (!input.parse) return;
    const name = def.childForFieldName('name')?.text;
    const value = def.childForFieldName('value');
    if (!name || !value) return;
    const params: string[] = [];
    for (const p of def.childForFieldName('parameters')?.children ?? []) {
      if (!p) continue;
      if (p.type === 'identifier') params.push(p.text);
      else if (p.text === '...') params.push('__VA_ARGS__');
    }
    const result = macroResultType(value.text);
    if (result) facts.prototypes.push({ name, returns: result, params: params.map((p) => ({ name: p, type: OTHER })) });
    if (!/\w\s*\(/.test(value.text) || value.text.includes('#')) return;
    const defLine = line(def);
    const bodyText = value.text.replace(/\\\r?\n/g, ' \n');
    const header = `void ${name}(${params.length ? params.map((p) => `void *${p}`).join(', ') : 'void'}) {`;
    // An expression macro's value is the macro's value: `#define lock_t(id) ({ ...; t; })`.
    const statement = /^\s*(do\b|\{|if\b|for\b|while\b|switch\b)/.test(bodyText) || (!/^\s*\(\{/.test(bodyText) && bodyText.includes(';'));

    // The body where it stands: after a `\` continuation it starts on a later line than the #define.
    const text = `${'\n'.repeat(Math.max(0, value.startPosition.row))}${header}${statement ? '' : 'return '}${bodyText};\n}`;

    let tree: Tree;
    try {
      tree = input.parse(text);
    } catch {
      return;
    }
    try {
      if (tree.rootNode.hasError) return;
      const fnDef = tree.rootNode.namedChildren.find((c) => c?.type === 'function_definition');
      const body = fnDef?.childForFieldName('body');
      if (!fnDef || !body) return;
      const macroParams = params.map((p) => ({ name: p, type: OTHER }));
      const fn = bindBody(name, macroParams, body, { ...file, source: text, macros: new Map() });
      if (!hasCall(fn)) return;
      fn.isMacro = true;
      const commands = commandParams(body, params);
      if (commands.length) fn.commandParams = commands;
      fn.isStatic = false;
      fn.line = defLine;
      fn.endLine = value.endPosition.row + 1;
      // `#ifdef DRV_FINEGRAIN` / `#define MMU_LOCK() os_mutex_lock(..)`: built where its
      // condition is, as a function would be (Program leaves out those no build compiles).
      if (config.length) fn.config = [...config];

      facts.functions.push(fn);
    } finally {
      tree.delete();
    }
  };

  bindTopLevel(tree.rootNode, []);
  // The root node's text starts at its first token: lines count from there.
  const suppressions = safeOrders(file.source, tree.rootNode.startPosition.row);
  if (suppressions.length) facts.suppressions = suppressions;

  facts.structs = [...structs.values()];
  const uses = valueUses(file.source, new Set(facts.functions.filter((f) => f.isStatic && !f.isMacro).map((f) => f.name)));
  if (uses.valued.length) facts.valueFunctions = uses.valued;
  if (uses.onlyInUnusedTables.length) facts.unusedTableFunctions = uses.onlyInUnusedTables;
  if (tree.rootNode.hasError) reportErrors(tree.rootNode, undefined, facts.skipped);
  return facts;
}

const PREPROC_BRANCHES = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef']);

/**
 * A struct body's member declarations, with those under `#ifdef CONFIG_X` (any branch): a member
 * only some builds have is still that member's type (`rq->hrtick_timer.function = hrtick;`).
 */
function memberDeclarations(body: Node): Node[] {
  const out: Node[] = [];
  for (const c of body.namedChildren) {
    if (c?.type === 'field_declaration') out.push(c);
    else if (c && PREPROC_BRANCHES.has(c.type)) out.push(...memberDeclarations(c));
  }
  return out;
}

/** The value of a file-scope `const` integer with a literal initialiser (not a pointer, not an array). */
function constantGlobal(decl: Node, declarator: Node, value: Node | null): number | undefined {
  if (!value || declarator.type !== 'init_declarator' || declarator.childForFieldName('declarator')?.type !== 'identifier') return undefined;
  if (!decl.namedChildren.some((c) => c?.type === 'type_qualifier' && c.text === 'const')) return undefined;
  return macroInteger(value.text);
}

/**
 * A scalar global's initial value: its integer (`0x4`, `NULL`, `false`) or the name written
 * (`TRUE`, an enumerator, a macro), `0` for a static one without initialiser (zeroed at load);
 * undefined for arrays, structs, locks, function pointers and anything computed.
 */
function scalarInit(declarator: Node, value: Node | null, isStatic: boolean, t: TypeRef): string | undefined {
  const name = declarator.type === 'init_declarator' ? declarator.childForFieldName('declarator') : declarator;
  if (name?.type !== 'identifier' || t.k === 'struct' || t.k === 'fn' || t.k === 'lock') return undefined;
  if (!value) return isStatic ? '0' : undefined;
  const n = macroInteger(value.text);
  if (n !== undefined) return String(n);
  const text = value.text.replace(/\s+/g, '');
  return /^[A-Za-z_]\w*$/.test(text) ? text : undefined;
}

/** `module_param(x, ..)`, `module_param_named(n, x, ..)`, and `&x`: the variables a file hands out. */
export function exposedVariables(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(/\b(?:module_param\w*|core_param)\s*\(\s*(\w+)\s*(?:,\s*(\w+))?/g)) {
    out.add(m[1] as string);
    if (m[2]) out.add(m[2]);
  }
  for (const m of source.matchAll(/(?<![&\w)\]]\s*)&(?!&)\s*([A-Za-z_]\w*)\b(?!\s*(?:->|\.|\[))/g)) out.add(m[1] as string);
  return [...out].sort();
}

/** The integer an object-like macro's value is (`0`, `(16)`, `-1`, `false`), if it is one. */
function macroInteger(value: string | undefined): number | undefined {
  if (!value) return undefined;
  // `((gctUINT32) ~0U)`: a cast to a scalar type changes no test of it.
  // A block comment may open on the line and close lines below (`#define lbmSYNC 0x0008 /* do not`).
  const text = value.replace(/\/\*.*?\*\/|\/\/.*$/g, '').replace(/\/\*.*$/, '').replace(/\(\s*(?:unsigned\s+|signed\s+)?[A-Za-z_]\w*\s*\)\s*(?=[~\-\d])/g, '').replace(/[\s()]/g, '');
  // `~0U`: all bits set, as unsigned.
  if (/^~0+[uUlL]*$/.test(text)) return 0xffffffff;
  // `#define IM_NULL NULL`, `#define NIL ((void *)0)`: a null pointer is 0 to a test.
  if (text === 'false' || text === 'NULL' || text === 'void*0') return 0;
  if (text === 'true') return 1;
  return integerValue(text) ?? shiftedValue(text);
}

const PRIMITIVE = /^(?:void|char|short|int|long|unsigned|signed|float|double|bool|_Bool|[us](?:8|16|32|64)|u?int(?:8|16|32|64)_t|size_t|uintptr_t)$/;

/**
 * What an accessor macro evaluates to, when its value says so: a cast to a struct pointer
 * (`((struct ctx *)((d)->priv))`) or a container_of (`container_of(d, struct foo, dev)`). A
 * lock reached through its result (`&to_ctx(d)->lock`) is then that struct's member, as through
 * a function's declared return type.
 */
function macroResultType(value: string): TypeRef | undefined {
  let s = value.replace(/\\\r?\n/g, ' ').trim();
  const CAST = /^\(\s*(?:const\s+)?(struct\s+)?(\w+)\s*\*\s*\)/;
  while (s.startsWith('(') && !CAST.test(s)) s = s.slice(1).trimStart();
  const cast = CAST.exec(s);
  if (cast) {
    const tag = cast[2] as string;
    if (cast[1]) return { k: 'struct', name: tag, ptr: true };
    return PRIMITIVE.test(tag) ? undefined : { k: 'typedef', name: tag, ptr: true };
  }
  const call = /^(\w+)\s*\(/.exec(s);
  if (!call || !CONTAINER.has(call[1] as string)) return undefined;
  // `struct` in a macro's type argument is blanked before parsing (macro-rewrite.ts).
  const tag = /^\w+\s*\([^,]+,\s*(?:const\s+)?(?:struct\s+)?(\w+)\s*,/.exec(s)?.[1];
  return tag ? { k: 'struct', name: tag, ptr: true } : undefined;
}

function bindBody(name: string, params: { name: string; type: TypeRef }[], body: Node, file: FileCtx): FunctionIR {
  const vars: Record<string, TypeRef> = {};
  for (const p of params) vars[p.name] = p.type;
  const fx: FnCtx = { file, name, vars, params: params.map((p) => p.name), nextScope: 0, assigned: new Map(), condReads: new Set(), staticLocks: {}, givenBack: new Map() };
  const stmt = bindStatement(body, fx);
  markCountedReleases(stmt);
  const fn: FunctionIR = { name, isStatic: false, line: 0, endLine: 0, params, vars, body: stmt };
  const aliases: Record<string, AccessPath> = {};
  const fresh: string[] = [];
  for (const [v, a] of fx.assigned) {
    if (fx.params.includes(v)) continue;
    const only = a.paths.size === 1 ? [...a.paths.values()][0] : undefined;
    const other = a.other + a.nulls;
    if (only && a.freshCalls === 0 && other === 0) aliases[v] = only;
    else if (a.freshCalls === 0 && a.other === 0 && [...a.paths.keys()].every((t) => t.startsWith('&')) && a.paths.size) (fn.pointsInto ??= {})[v] = [...a.paths.values()];
    else if (a.freshCalls > 0 && a.paths.size === 0 && a.other === 0) {
      if (a.nulls === 0) fresh.push(v);
      // `struct file *f = NULL; ... f = filp_open(..)`: a NULL start calls nothing through it.
      const maker = a.makers.size === 1 ? [...a.makers][0] : undefined;
      if (maker) (fn.freshFrom ??= {})[v] = maker;
      const from = a.gotFrom?.size === 1 ? [...a.gotFrom][0] : undefined;
      if (maker && from) (fn.gotFrom ??= {})[v] = from;
    }
  }
  // `cppi = container_of(host->ctl, struct cppi, ctl)` and nothing else: tests through it are
  // tests of that object, which a callee handed `host` reaches the same way (member-copies.ts).
  const arounds: Record<string, Around> = {};
  for (const [v, a] of fx.assigned) {
    const only = a.arounds?.size === 1 ? [...a.arounds.values()][0] : undefined;
    if (only && !fx.params.includes(v) && a.paths.size === 0 && a.freshCalls === 0 && a.nulls === 0 && a.other === a.aroundCount) arounds[v] = only;
  }
  if (Object.keys(aliases).length) fn.aliases = aliases;
  if (Object.keys(aliases).length || Object.keys(arounds).length) testMemberCopiesAsMembers(stmt, aliases, fx.condReads, arounds);
  if (fresh.length) fn.fresh = fresh.sort();
  // Elements of one list only: a position assigned nothing else (a container accessor's result is all its assignments).
  const onlyElements = (v: string): boolean => {
    const a = fx.assigned.get(v);
    return !a || (a.paths.size === 0 && a.freshCalls === 0 && a.nulls === 0 && a.other === (fx.elementAssignments?.get(v) ?? 0));
  };
  const lists = [...(fx.cursorLists ?? [])].filter(([v, a]) => a.root !== '' && !fx.params.includes(v) && onlyElements(v));
  if (lists.length) fn.cursorLists = Object.fromEntries(lists);
  if (fx.givenBack.size) fn.givenBack = Object.fromEntries([...fx.givenBack].sort());
  if (Object.keys(fx.staticLocks).length) fn.staticLocks = fx.staticLocks;
  // A parameter passed as a lockdep subclass (`mutex_lock_nested(&v->m, depth)`): a caller's
  // constant for it names the class, so it is worth a specialised summary as a tested one is.
  for (const ev of callEvents(stmt)) {
    if (!ev.callee.endsWith('_nested')) continue;
    for (const a of ev.args.slice(1)) if (a && a.fields.length === 0 && !a.rootCall && a.text === a.root && fx.params.includes(a.root)) fx.condReads.add(a.root);
  }
  // `sk = cur; ... if (!sk)`: a local that starts as a copy of a parameter is tested as that
  // parameter on the path where it still is one (flow/copies.ts), however often it is assigned
  // later: a caller's value for the parameter decides the test, so it is worth specialising on.
  const paramCopies = testedCopiesOf(fx, (root) => root);
  if (Object.keys(paramCopies).length) fn.paramCopies = paramCopies;
  // `session = *psession; ... if (!session)`: the caller's variable handed as `&session` decides it.
  const pointeeCopies = testedCopiesOf(fx, (root) => `*${root}`);
  if (Object.keys(pointeeCopies).length) fn.pointeeCopies = pointeeCopies;
  const memberCopies = testedMemberCopiesOf(fx);
  if (memberCopies.length) fn.testedMemberCopies = memberCopies;
  const condParams = fx.params.map((p, i) => (fx.condReads.has(p) ? i : -1)).filter((i) => i >= 0);

  if (condParams.length) fn.condParams = condParams;
  return fn;
}

/**
 * Tested locals whose one assigned path is `written(param)` of a parameter (the parameter itself,
 * or what it points to), by local: the parameter, which becomes worth specialising on.
 */
function testedCopiesOf(fx: FnCtx, written: (param: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [v, a] of fx.assigned) {
    if (!fx.condReads.has(v) || fx.params.includes(v)) continue;
    const copied = [...a.paths.values()].filter((path) => path.fields.length === 0 && !path.rootCall && path.text === written(path.root) && fx.params.includes(path.root));
    if (copied.length !== 1) continue;
    const param = (copied[0] as AccessPath).root;
    out[v] = param;
    fx.condReads.add(param);
  }
  return out;
}

/** Member paths of parameters (`ohci->autostop`) some tested local is assigned; their parameters become worth specialising on. */
function testedMemberCopiesOf(fx: FnCtx): string[] {
  const out = new Set<string>();
  for (const [v, a] of fx.assigned) {
    if (!fx.condReads.has(v) || fx.params.includes(v)) continue;
    for (const path of a.paths.values()) {
      if (path.fields.length === 0 || path.rootCall || path.cast || !fx.params.includes(path.root) || !MEMBER_PATH.test(path.text)) continue;
      out.add(path.text);
      fx.condReads.add(path.root);
    }
  }
  return [...out].sort();
}

function hasCall(fn: FunctionIR): boolean {
  return JSON.stringify(fn.body).includes('"callee"');
}

/** `#ifdef X` is "X", `#ifndef X` "!X", `#if defined(X)` / `#if X` "X"; other conditions as written. */
function preprocCondition(node: Node): string | undefined {
  if (node.type === 'preproc_ifdef' || node.type === 'preproc_elifdef') {
    const name = node.childForFieldName('name')?.text;
    if (!name) return undefined;
    return node.text.startsWith('#ifndef') || node.text.startsWith('#elifndef') ? `!${name}` : name;
  }
  const cond = node.childForFieldName('condition')?.text.replace(/\s+/g, '');
  if (!cond) return undefined;
  // `#if 0`, `#if (0)`: a number the caller decides by.
  const number = /^\(?(\d+)\)?$/.exec(cond)?.[1];
  if (number !== undefined) return number;
  const m = /^(!?)defined\(?(\w+)\)?$/.exec(cond);
  if (m) return `${m[1]}${m[2]}`;
  // `#if NAME` asks its value (`#define NAME (0)` is off), unlike `#ifdef NAME`; a Kconfig
  // option is 1 or not defined, so `#if CONFIG_X` stays the plain name the build rules know.
  const bare = /^(!?)\(?(\w+)\)?$/.exec(cond);
  if (bare) return (bare[2] as string).startsWith('CONFIG_') ? `${bare[1]}${bare[2]}` : `${bare[1]}#if ${bare[2]}`;
  return `#if ${cond}`;
}

function negate(cond: string): string {
  return cond.startsWith('!') ? cond.slice(1) : `!${cond}`;
}

/** Every ERROR region, outermost only, with the function it sits in: the parts not analyzed. */
function reportErrors(node: Node, fn: string | undefined, out: FileFacts['skipped'], seen = new Set<string>()): void {
  for (const child of node.children) {
    if (!child || !child.hasError) continue;
    if (child.type === 'ERROR') {
      const lines = child.endPosition.row - child.startPosition.row + 1;
      const entry = { line: line(child), reason: `unparsed code${fn ? ` in ${fn}()` : ''} (${lines} line${lines > 1 ? 's' : ''}): skipped` };
      // Two error nodes on one line (`,RPC_DEFINITION(A, B)` in an enum: the comma and the call) are one report.
      const key = `${entry.line}\0${entry.reason}`;
      if (!seen.has(key)) out.push(entry);
      seen.add(key);
      continue;
    }
    reportErrors(child, child.type === 'function_definition' ? (functionName(child) ?? fn) : fn, out, seen);
  }
}

// A lock as reports name it, maybe qualified by its file or function (`lock (debugfs.c)`,
// `lock (probe())`); what follows in parentheses or after a colon is the reason.
const SAFE_ORDER_LOCK = String.raw`([^\s:]+(?:\s\((?:[\w./-]+\.[ch]|\w+\(\))\))?)`;
const SAFE_ORDER = new RegExp(String.raw`lockscope:\s*safe-order\s+${SAFE_ORDER_LOCK}\s*->\s*${SAFE_ORDER_LOCK}(?:\s*[:(]\s*([^)*\n]*))?`, 'g');


/**
 * `lockscope: safe-order A -> B (why)` in a comment: the maintainer's word that B taken while A
 * is held cannot deadlock. Names are as reports print them (`dev.lock`, `lock (debugfs.c)`).
 */
function safeOrders(source: string, firstRow: number): { from: string; to: string; line: number; reason: string }[] {
  if (!source.includes('lockscope:')) return [];
  const out: { from: string; to: string; line: number; reason: string }[] = [];
  for (const m of source.matchAll(SAFE_ORDER)) {
    let line = 1 + firstRow;
    for (let i = source.indexOf('\n');
 i !== -1 && i < (m.index as number); i = source.indexOf('\n', i + 1)) line++;
    out.push({ from: m[1] as string, to: m[2] as string, line, reason: (m[3] ?? '').trim() });
  }
  return out;
}

/** The headers a file includes by quoted path ("raid1.h"), as paths next to it: where its typedefs come from. */
export function includedHeaders(source: string, path: string): string[] {
  const dir = posix.dirname(path);
  return [...source.matchAll(/^[ \t]*#[ \t]*include[ \t]+"([^"\n]+\.h)"/gm)].map((m) => posix.join(dir, m[1] as string));
}

/**
 * `#include "sched_fair.c"`: a .c file compiled as part of this one, so its statics and ours
 * see each other. Paths are resolved against this file's directory, as the preprocessor does.
 */
export function includedCFiles(source: string, path: string): string[] {
  if (!source.includes('.c"')) return [];
  const dir = posix.dirname(path);
  return [...source.matchAll(/^[ \t]*#[ \t]*include[ \t]+"([^"\n]+\.c)"/gm)].map((m) => posix.join(dir, m[1] as string));
}

/** The macros a file `#define`s outside every `#if`/`#ifdef` and never `#undef`s, with their line. */
function unconditionalDefines(source: string): Record<string, number> {
  const out: Record<string, number> = {};
  const undefined_ = new Set([...source.matchAll(/^[ \t]*#[ \t]*undef[ \t]+(\w+)/gm)].map((m) => m[1] as string));
  let depth = 0;
  let line = 0;
  for (const text of source.split('\n')) {
    line++;
    const d = /^[ \t]*#[ \t]*(if|ifdef|ifndef|endif|define)\b[ \t]*(\w*)/.exec(text);
    if (!d) continue;
    if (d[1] === 'endif') depth = Math.max(0, depth - 1);
    else if (d[1] === 'define') {
      const name = d[2] as string;
      if (depth === 0 && name && !undefined_.has(name)) out[name] ??= line;
    } else depth++;
  }
  return out;
}

/** `{ return container_of(inode, struct ceph_inode_info, vfs_inode); }` over the first parameter. */
function returnsObjectAroundFirst(body: Node, params: readonly { name: string }[]): boolean {
  const statements = body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const only = statements.length === 1 ? statements[0] : undefined;
  if (only?.type !== 'return_statement') return false;
  const returned = only.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
  const value = returned ? unwrap(returned) : undefined;
  if (value?.type !== 'call_expression' || !AROUND_POINTER.has(value.childForFieldName('function')?.text ?? '')) return false;
  const first = callArguments(value)[0];
  return first?.type === 'identifier' && first.text === params[0]?.name;
}
