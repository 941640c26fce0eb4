/**
 * What a function knows of the elements of a list it builds itself: `LIST_HEAD(msgs)`, then
 * `m->user = user; list_add_tail(&m->link, &msgs);` in a loop. The members every element had
 * when it was added hold for the loop that walks the list afterwards (`list_for_each_entry_safe(m,
 * n, &msgs, link) deliver(m)`: deliver's `if (!m->user)` is false there), and a list nothing was
 * added to runs no walk at all. Any other use of the list's address (a splice into it, a helper
 * handed it) makes its elements unknown.
 *
 * As facts: `msgs[]` is Z for a list known empty, P for one whose every element is described by
 * the `msgs[]->member` facts (Z|P: either, where paths joined; facts.ts's join keeps an element
 * fact of one path where the other's list is empty); no `msgs[]` fact, nothing known.
 */
import { callEvents } from '../c/call-graph.ts';
import { ANY, P, Z, type CallEvent, type FunctionIR, type Mask, type Stmt } from '../c/ir.ts';
import { withFact, type Fact, type Facts } from './facts.ts';

const ADD = /^list_(?:add|add_tail|move|move_tail)(?:_rcu)?$/;
const EMPTIES = new Set(['LIST_HEAD', 'INIT_LIST_HEAD']);
/** Calls handed the list that read it and add nothing. */
const READS = /^(?:list_empty(?:_careful)?|list_is_singular|list_is_last|list_first_entry(?:_or_null)?|list_last_entry|list_del(?:_init)?)$/;

const marker = (list: string): string => `${list}[]`;
const element = (list: string, member: string): string => `${list}[]->${member}`;

/**
 * The lists a function declares itself (`LIST_HEAD(msgs)`, or a `struct list_head` local) and
 * walks with an iterator: only there do their elements' facts pay for the paths they split.
 */
export function localLists(fn: FunctionIR): ReadonlySet<string> {
  const walked = walkedLists(fn.body);
  if (walked.size === 0) return walked;
  const out = new Set<string>();
  const params = new Set(fn.params.map((p) => p.name));
  for (const [name, t] of Object.entries(fn.vars)) if (walked.has(name) && !params.has(name) && t.k === 'struct' && t.name === 'list_head' && !t.ptr) out.add(name);
  for (const ev of callEvents(fn.body)) {
    const a = ev.args[0];
    if (ev.callee === 'LIST_HEAD' && a && a.fields.length === 0 && walked.has(a.root) && !params.has(a.root)) out.add(a.root);
  }
  return out;
}

/** The lists iterator loops walk (`over`). */
function walkedLists(st: Stmt, out = new Set<string>()): Set<string> {
  switch (st.k) {
    case 'block':
      for (const b of st.body) walkedLists(b, out);
      break;
    case 'if':
      walkedLists(st.then, out);
      if (st.else) walkedLists(st.else, out);
      break;
    case 'loop':
      if (st.over) out.add(st.over);
      walkedLists(st.body, out);
      break;
    case 'switch':
      for (const c of st.cases) for (const b of c) walkedLists(b, out);
      break;
    case 'scoped':
      walkedLists(st.body, out);
      break;
    default:
      break;
  }
  return out;
}

/** The list of ours whose address an argument is (`&msgs`; LIST_HEAD's bare name), if any. */
function listArg(ev: CallEvent, i: number, lists: ReadonlySet<string>): string | undefined {
  const a = ev.args[i];
  if (!a || a.fields.length > 0 || a.rootCall || !lists.has(a.root)) return undefined;
  const text = a.text.replace(/\s+/g, '');
  return text === `&${a.root}` || (ev.callee === 'LIST_HEAD' && text === a.root) ? a.root : undefined;
}

/** The path's facts after a call that may touch one of the function's own lists. */
export function afterListCall(facts: Facts, ev: CallEvent, lists: ReadonlySet<string>): Facts {
  if (lists.size === 0 || ev.indirect) return facts;
  let out = facts;
  ev.args.forEach((_, i) => {
    const list = listArg(ev, i, lists);
    if (list === undefined) return;
    if (EMPTIES.has(ev.callee)) out = withFact(forgetList(out, list), { key: marker(list), mask: Z, reads: [list], memory: false });
    else if (ADD.test(ev.callee) && i === 1) out = added(out, list, ev);
    else if (!READS.test(ev.callee)) return (out = forgetList(out, list));
    out = stamped(out, list, ev.line);
  });
  return out;
}

/** The call's own "may have written the list" (a `set` by the call, c/lower.ts) keeps what we said of it here. */
function stamped(facts: Facts, list: string, line: number): Facts {
  const prefix = marker(list);
  return facts.some((f) => f.key.startsWith(prefix) && f.call !== line) ? facts.map((f) => (f.key.startsWith(prefix) ? { ...f, call: line } : f)) : facts;
}

function forgetList(facts: Facts, list: string): Facts {
  const prefix = marker(list);
  const kept = facts.filter((f) => !f.key.startsWith(prefix));
  return kept.length === facts.length ? facts : kept;
}

/** `list_add_tail(&m->link, &msgs)`: msgs's elements are those it had, and m as the path knows it. */
function added(facts: Facts, list: string, ev: CallEvent): Facts {
  const state = facts.find((f) => f.key === marker(list))?.mask;
  const item = ev.args[0];
  const text = item?.text.replace(/\s+/g, '').replace(/^&\((.*)\)$/, '&$1');
  const x = item && !item.rootCall && item.fields.length === 1 && text === `&${item.root}->${item.fields[0] as string}` ? item.root : undefined;
  if (state === undefined) return facts;
  if (x === undefined) return forgetList(facts, list);
  // What the path knows of the item's own members (`m->user` non-NULL), as masks by member.
  const known = new Map<string, Mask>();
  for (const f of facts) {
    const m = new RegExp(`^${x}->(\\w+)$`).exec(f.key);
    if (m && f.mask !== ANY) known.set(m[1] as string, f.mask);
  }
  let out = facts;
  if (state === Z) {
    // The first element: what the path knows of it.
    for (const [member, mask] of known) out = withFact(out, { key: element(list, member), mask, reads: [list], memory: false });
  } else {
    // Empty, or elements with these facts (`msgs[]` Z|P, paths joined): each one's and this one's.
    for (const f of facts) {
      if (!f.key.startsWith(`${marker(list)}->`)) continue;
      const mine = known.get(f.key.slice(marker(list).length + 2));
      const mask = mine === undefined ? ANY : f.mask | mine;
      out = out.filter((g) => g.key !== f.key);
      if (mask !== ANY) out = withFact(out, { ...f, mask });
    }
  }
  return withFact(out.filter((f) => f.key !== marker(list)), { key: marker(list), mask: P, reads: [list], memory: false });
}

/**
 * Entering the walk of list `list` with position `cursor`: null where the list is known empty
 * (the body never runs), else the facts with what every element had (`m->user` non-NULL).
 */
export function walkingList(facts: Facts, list: string, cursor: string): Facts | null {
  const state = facts.find((f) => f.key === marker(list))?.mask;
  if (state === Z) return null;
  if (state === undefined) return facts;
  let out = facts;
  const prefix = `${marker(list)}->`;
  for (const f of facts) {
    if (f.key.startsWith(prefix)) out = withFact(out, { key: `${cursor}->${f.key.slice(prefix.length)}`, mask: f.mask, reads: [cursor], memory: true } satisfies Fact);
  }
  return out;
}
