/**
 * A reentrant lock's guard: `if (tid != s->owner) { lock(&s->lock); s->owner = tid; }`. The
 * block takes the object's lock only for a caller that is not its recorded owner, and records
 * that caller as the owner: the owner entering again only counts. Lockdep sees no second
 * acquisition then, so one taken inside such a block is no recursive locking, whatever the
 * analysis can prove of the two owner values (each caller asks for its thread's id itself).
 */
import type { Node } from './parser.ts';
import { unwrap } from './lower-expressions.ts';

const MEMBER = /^([A-Za-z_]\w*)(?:(?:->|\.)\w+)+$/;
const IDENTITY = /^(?:[A-Za-z_]\w*|[A-Za-z_]\w*\(\))$/;
const CONSTANT = /^(?:NULL|[A-Z][A-Z0-9_]*|true|false)$/;
const squeeze = (s: string): string => s.replace(/\s+/g, '');

/** The root of the object whose owner member the if statement guards (`s`), or undefined. */
export function ownerGuardRoot(ifNode: Node): string | undefined {
  const cond = ifNode.childForFieldName('condition');
  const test = cond ? unwrap(cond) : null;
  if (test?.type !== 'binary_expression' || test.childForFieldName('operator')?.text !== '!=') return undefined;
  const sides = [test.childForFieldName('left'), test.childForFieldName('right')].map((s) => (s ? squeeze(unwrap(s).text) : ''));
  const body = ifNode.childForFieldName('consequence');
  if (!body) return undefined;
  for (const [member, value] of [sides, [...sides].reverse()] as const) {
    const root = MEMBER.exec(member ?? '')?.[1];
    // An owner is an identity: a variable or what a call answers, not a constant (`!= NULL`
    // then `= NULL` is a teardown) nor another member (`if (last != pending) last = pending`).
    if (root === undefined || !value || !IDENTITY.test(value) || CONSTANT.test(value)) continue;
    if (storesInto(body, member as string, value)) return root;
  }
  return undefined;
}

/** Does the block (its own statements, not nested ones) assign `value` to `member`? */
function storesInto(body: Node, member: string, value: string): boolean {
  const statements = body.type === 'compound_statement' ? body.namedChildren : [body];
  return statements.some((s) => {
    const e = s?.type === 'expression_statement' ? s.firstNamedChild : null;
    if (e?.type !== 'assignment_expression' || e.childForFieldName('operator')?.text !== '=') return false;
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    return left !== null && right !== null && squeeze(left.text) === member && squeeze(unwrap(right).text) === value;
  });
}
