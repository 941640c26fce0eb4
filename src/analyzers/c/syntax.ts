/**
 * Small questions about tree-sitter C nodes that several binders ask: the name a declarator
 * declares, whether it declares a function or a function pointer, a definition's name.
 */
import type { Node } from './parser.ts';

/** The name a declarator declares (`*x`, `x[4]`, `x = 1`, `(x)`, `(*fn)(int)`). */
export function declaredName(d: Node): string | undefined {
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
