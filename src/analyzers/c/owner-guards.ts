/**
 * A reentrant lock's guard: `if (tid != s->owner) { lock(&s->lock); s->owner = tid; }`, or the
 * else-branch of `if (s->owner == tid) s->count++; else { lock(..); s->owner = tid; }`. The
 * block takes the object's lock only for a caller that is not its recorded owner, and records
 * that caller as the owner: the owner entering again only counts. Lockdep sees no second
 * acquisition then, so one taken inside such a block is no recursive locking, whatever the
 * analysis can prove of the two owner values (each caller asks for its thread's id itself).
 * The same holds for a block that asks the lock itself first: `if (!mutex_is_locked(&c->lock))
 * { unlock = true; mutex_lock(&c->lock); }` runs with the lock held either way, and takes it
 * only where nobody holds it.
 */
import type { Node } from './parser.ts';
import { unwrap } from './lower-expressions.ts';
import { HELD_QUERIES } from '../locks/catalogue.ts';

const MEMBER = /^([A-Za-z_]\w*)(?:(?:->|\.)\w+)+$/;
const IDENTITY = /^(?:[A-Za-z_]\w*|[A-Za-z_]\w*\(\))$/;
const CONSTANT = /^(?:NULL|[A-Z][A-Z0-9_]*|true|false)$/;
const squeeze = (s: string): string => s.replace(/\s+/g, '');

/** Which branch of an if statement a reentrant lock's owner guard covers, and the guarded object's root. */
export interface OwnerGuard {
  branch: 'then' | 'else';
  root: string;
  /**
   * The branch stores no owner itself: a function it calls must (`lock_fs(sb)` doing `sbi->
   * owner = current` after its mutex_lock). `owner=current`: the member's last name and the value.
   */
  storedBy?: string;
}

/**
 * `if (tid != s->owner) { ..; s->owner = tid; }` guards its then-branch; `if (m->thread == tid)
 * m->ref++; else { lock(m->mutex); ..; m->thread = tid; }` its else-branch (the store may sit
 * deeper in the branch, under the lock's success test). `then` and `otherwise` are the
 * statement's branches, as its binder found them.
 */
export function ownerGuard(condition: Node | null, then: Node | null, otherwise: Node | null): OwnerGuard | undefined {
  const written = condition ? unwrap(condition) : null;
  const asked = written ? heldQueryGuard(written, then, otherwise) : undefined;
  if (asked) return asked;
  // `bool needs_lock = (sbi->owner != current); if (needs_lock) ..`: the test the local holds.
  const local = written ? testedLocal(written) : undefined;
  const test = local ? local.value : written;
  const op = test?.type === 'binary_expression' ? test.childForFieldName('operator')?.text : undefined;
  if (!test || (op !== '!=' && op !== '==')) return undefined;
  const branch = (op === '!=') !== (local?.negated === true) ? 'then' : 'else';
  const body = branch === 'then' ? then : otherwise;
  if (!body) return undefined;
  const sides = [test.childForFieldName('left'), test.childForFieldName('right')].map((s) => (s ? squeeze(unwrap(s).text) : ''));
  for (const [member, value] of [sides, [...sides].reverse()] as const) {
    const root = MEMBER.exec(member ?? '')?.[1];
    // An owner is an identity: a variable or what a call answers, not a constant (`!= NULL`
    // then `= NULL` is a teardown) nor another member (`if (last != pending) last = pending`).
    if (root === undefined || !value || !IDENTITY.test(value) || CONSTANT.test(value)) continue;
    if (storesInto(body, member as string, value)) return { branch, root };
    return { branch, root, storedBy: `${/\w+$/.exec(member as string)?.[0]}=${value}` };
  }
  return undefined;
}

/**
 * `needs_lock` or `!needs_lock` where the function gives the local one value, at its
 * declaration, and never assigns it again: that value, parenthesised or not.
 */
function testedLocal(test: Node): { value: Node; negated: boolean } | undefined {
  const negated = test.type === 'unary_expression' && test.childForFieldName('operator')?.text === '!';
  const name = negated ? unwrap(test.childForFieldName('argument') as Node) : test;
  if (name.type !== 'identifier') return undefined;
  let fn: Node | null = test.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn) return undefined;
  const seen = localWrites(fn).get(name.text);
  const value = seen && seen.inits.length === 1 && seen.writes === 0 ? seen.inits[0]?.childForFieldName('value') : null;
  return value ? { value: unwrap(value), negated } : undefined;
}

/** Per function (by tree and node id): each name's declarations, and how often it is assigned. */
const writesByFunction = new WeakMap<object, Map<number, Map<string, { inits: Node[]; writes: number }>>>();

/**
 * One walk of the function for every tested local it holds: many `if (flag)` tests in one long
 * function each walked it twice (7% of the lowering of Linux 3.0 kernel/).
 */
function localWrites(fn: Node): Map<string, { inits: Node[]; writes: number }> {
  let byId = writesByFunction.get(fn.tree);
  if (!byId) writesByFunction.set(fn.tree, (byId = new Map()));
  const names = byId.get(fn.id);
  if (names) return names;
  const found = new Map<string, { inits: Node[]; writes: number }>();
  const of = (name: string): { inits: Node[]; writes: number } => {
    let n = found.get(name);
    if (!n) found.set(name, (n = { inits: [], writes: 0 }));
    return n;
  };
  for (const d of fn.descendantsOfType(['init_declarator', 'assignment_expression', 'update_expression'])) {
    if (!d) continue;
    if (d.type === 'init_declarator') {
      const declared = d.childForFieldName('declarator')?.text;
      if (declared !== undefined) of(declared).inits.push(d);
      continue;
    }
    const target = d.childForFieldName(d.type === 'update_expression' ? 'argument' : 'left');
    if (target) of(squeeze(target.text)).writes++;
  }
  byId.set(fn.id, found);
  return found;
}

/** Does the branch assign `value` to `member`, anywhere in it? */
function storesInto(body: Node, member: string, value: string): boolean {
  const assignments = body.type === 'assignment_expression' ? [body] : body.descendantsOfType('assignment_expression');
  return assignments.some((e) => {
    if (!e || e.childForFieldName('operator')?.text !== '=') return false;
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    return left !== null && right !== null && squeeze(left.text) === member && squeeze(unwrap(right).text) === value;
  });
}

/**
 * `if (!mutex_is_locked(&c->lock)) mutex_lock(&c->lock);` guards its then-branch, `if
 * (spin_is_locked(&c->lock)) ..; else spin_lock(&c->lock);` its else-branch: the branch takes
 * the lock it asked about (the same operand) only when the query said nobody holds it.
 */
function heldQueryGuard(test: Node, then: Node | null, otherwise: Node | null): OwnerGuard | undefined {
  const negated = test.type === 'unary_expression' && test.childForFieldName('operator')?.text === '!';
  const query = negated ? unwrap(test.childForFieldName('argument') as Node) : test;
  if (query.type !== 'call_expression' || !HELD_QUERIES.has(query.childForFieldName('function')?.text ?? '')) return undefined;
  const operand = query.childForFieldName('arguments')?.namedChildren[0];
  const root = operand ? MEMBER.exec(squeeze(unwrap(operand).text).replace(/^&/, ''))?.[1] : undefined;
  const body = negated ? then : otherwise;
  if (!operand || root === undefined || !body) return undefined;
  const asked = squeeze(unwrap(operand).text);
  const calls = body.type === 'call_expression' ? [body] : body.descendantsOfType('call_expression');
  const takes = calls.some((c) => squeeze(c?.childForFieldName('arguments')?.namedChildren[0]?.text ?? '') === asked);
  return takes ? { branch: negated ? 'then' : 'else', root } : undefined;
}
