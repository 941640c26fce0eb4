/**
 * Small questions about tree-sitter C nodes that several binders ask: the name a declarator
 * declares, whether it declares a function or a function pointer, a definition's name.
 */
import type { Node } from './parser.ts';

/** The name a declarator declares (`*x`, `x[4]`, `x = 1`, `(x)`, `(*fn)(int)`). */
export function declaredName(d: Node): string | undefined {
  let cur: Node | null = d;
  while (cur) {
    // Read once: each read of a node's type is a call into the parser's memory.
    const type = cur.type;
    if (type === 'identifier' || type === 'field_identifier' || type === 'type_identifier') return cur.text;
    if (type === 'parenthesized_declarator') {
      cur = cur.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
      continue;
    }
    cur = cur.childForFieldName('declarator') ?? cur.namedChildren.find((c) => c?.type === 'identifier' || c?.type === 'field_identifier') ?? null;
  }
  return undefined;
}

/**
 * The name a function-like macro of plain words makes by pasting (`#define FNAME(name)
 * paging64_##name`), as it is written without spaces: `FNAME(fetch)`, `PASTE(a,b)`. A definition
 * `static int FNAME(fetch)(...)` and a call `FNAME(fetch)(...)` are both named so, one name per
 * pasted function: never the macro's alone, which every function it names would share.
 */
function pastedName(macro: string, words: readonly string[]): string {
  return `${macro}(${words.join(',')})`;
}

/**
 * `FNAME(fetch)` as the declarator of a function declarator (`int FNAME(fetch)(int x)`): a
 * function declarator of an identifier whose parameters are each a lone word. None otherwise.
 */
export function pastedDeclaratorName(fd: Node | null): string | undefined {
  if (fd?.type !== 'function_declarator') return undefined;
  const macro = fd.childForFieldName('declarator');
  const params = fd.childForFieldName('parameters');
  if (macro?.type !== 'identifier' || !params) return undefined;
  const words: string[] = [];
  for (const p of params.namedChildren) {
    if (!p || p.type === 'comment') continue;
    const word = p.type === 'parameter_declaration' && p.namedChildCount === 1 ? p.firstNamedChild : null;
    if (word?.type !== 'type_identifier') return undefined;
    words.push(word.text);
  }
  return words.length ? pastedName(macro.text, words) : undefined;
}

/** The pasted name a declarator declares a function by (`*FNAME(alloc)(int x)`), if it does. */
export function pastedFunctionName(d: Node | null): string | undefined {
  let cur = d;
  while (cur && cur.type !== 'function_declarator') cur = cur.childForFieldName('declarator');
  return pastedDeclaratorName(cur?.childForFieldName('declarator') ?? null);
}

/**
 * `FNAME(walk_addr)` as the function a call calls (`FNAME(walk_addr)(w, vcpu)`): a call of a
 * macro's name (upper case: `ops_for(READ)(x)` calls a function that returns a pointer) whose
 * arguments are each an identifier, with the words; none otherwise.
 */
export function pastedCall(call: Node): { name: string; words: string[] } | undefined {
  if (call.type !== 'call_expression') return undefined;
  const macro = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (macro?.type !== 'identifier' || !args || !/^[A-Z][A-Z0-9_]*$/.test(macro.text)) return undefined;
  const words: string[] = [];
  for (const a of args.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type !== 'identifier') return undefined;
    words.push(a.text);
  }
  return words.length ? { name: pastedName(macro.text, words), words } : undefined;
}

/** `int foo(void)` (a prototype), not `int (*fn)(void)` (a pointer) nor `int x = f()`. */
export function isFunctionDeclarator(d: Node): boolean {
  let cur: Node | null = d;
  while (cur) {
    if (cur.type === 'function_declarator') {
      const inner = cur.childForFieldName('declarator');
      return !(inner?.type === 'parenthesized_declarator' && inner.text.includes('*'));
    }
    if (cur.type === 'init_declarator') return false;
    cur = cur.childForFieldName('declarator');
  }
  return false;
}

/** `int (*fn)(void)`, `void (*handler)(int) = x`: a pointer to a function. */
export function isFunctionPointerDeclarator(d: Node): boolean {
  let cur: Node | null = d;
  while (cur) {
    if (cur.type === 'function_declarator') {
      const inner = cur.childForFieldName('declarator');
      return inner?.type === 'parenthesized_declarator' && inner.text.includes('*');
    }
    cur = cur.childForFieldName('declarator');
  }
  return false;
}

/** The parameter list of a function declarator inside `d`. */
export function parameterList(d: Node | null): Node | null {
  let fd: Node | null = d;
  while (fd && fd.type !== 'function_declarator') fd = fd.childForFieldName('declarator');
  return fd?.childForFieldName('parameters') ?? null;
}

/** `*p`, `*p = x`: the declarator declares a pointer. */
export function isPointerDeclarator(d: Node): boolean {
  let cur: Node | null = d;
  while (cur) {
    if (cur.type === 'pointer_declarator') return true;
    if (cur.type === 'identifier' || cur.type === 'function_declarator') return false;
    cur = cur.childForFieldName('declarator');
  }
  return false;
}

/**
 * Whether the function around `node` never writes the variable `name`: no assignment to it, no
 * `++`/`--` of it, and its address never taken (a write through a pointer we cannot see).
 */
export function neverWrittenInFunction(node: Node, name: string): boolean {
  let fn: Node | null = node;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn) return false;
  const named = (n: Node | null): boolean => {
    let cur = n;
    while (cur?.type === 'parenthesized_expression') cur = cur.firstNamedChild;
    return cur?.type === 'identifier' && cur.text === name;
  };
  for (const a of fn.descendantsOfType(['assignment_expression', 'update_expression', 'pointer_expression'])) {
    if (!a) continue;
    if (a.type === 'assignment_expression' && named(a.childForFieldName('left'))) return false;
    if (a.type === 'update_expression' && named(a.childForFieldName('argument'))) return false;
    if (a.type === 'pointer_expression' && a.childForFieldName('operator')?.text === '&' && named(a.childForFieldName('argument'))) return false;
  }
  return true;
}
