/**
 * The binder's state while lowering one file and one function: the source (for cheap text
 * checks that skip subtrees), the declared types seen so far, and what the function's
 * assignments tell about its locals (aliases of lock pointers, fresh objects). Private to the
 * lowering modules; FileFacts is what leaves them.
 */
import type { Node } from './parser.ts';
import type { AccessPath, FileFacts, TypeRef } from './ir.ts';
import type { GuardedBranch } from './conditional-branches.ts';

export interface FileCtx {
  /** The rewritten source the tree was parsed from. */
  source: string;
  path: string;
  /** Statement macros rewritten to `while` before parsing (macro-rewrite.ts), by start index. */
  macros: ReadonlyMap<number, string>;
  /** Kept branches of `#if` groups reduced before parsing, whose directives are gone (conditional-branches.ts). */
  guarded?: readonly GuardedBranch[];
  facts: FileFacts;
  typeOf(node: Node | null, hint?: string): TypeRef;
}

/** How a local was assigned, over the whole body (flow-insensitive, as kernel locals are). */
export interface Assignments {
  paths: Map<string, AccessPath>;
  /** Assigned a call result that is a new object (not an accessor like container_of). */
  freshCalls: number;
  /** The functions whose results those are (`file = filp_open(...)`). */
  makers: Set<string>;
  /** The pointer variables those calls were handed first (`vfd = video_devdata(file)`: file). */
  gotFrom?: Set<string>;
  /** Assigned NULL: no object (a `p = NULL` start leaves p no alias, the path may keep it NULL). */
  nulls: number;
  other: number;
  /** Of the `other` ones, `container_of(p->m, struct foo, f)` of a plain path, by how it is written. */
  arounds?: Map<string, Around>;
  aroundCount?: number;
}

/** The object around a member a pointer points to: `container_of(host->ctl, struct cppi, ctl)`. */
export interface Around {
  /** The pointer: a variable or a member path (`host->ctl`). */
  inner: AccessPath;
  tag: string;
  member: string;
}

export interface FnCtx {
  file: FileCtx;
  name: string;
  vars: Record<string, TypeRef>;
  params: readonly string[];
  /** Block and scoped-guard frames are numbered per function. */
  nextScope: number;
  assigned: Map<string, Assignments>;
  /** Variables read by some tested atom: their parameters are worth specialising on. */
  condReads: Set<string>;
  staticLocks: Record<string, string>;
  /** Locals stored through a parameter (`*bpp = bp;`, `req->buf = bp;`): given back to the caller, by parameter index. */
  givenBack: Map<string, number>;
  /** Iterator positions and the list each walks (`list_for_each_entry(o, &d->outs, head)`: o -> `&d->outs`). */
  cursorLists?: Map<string, AccessPath>;
  /** Of those, how many times each was assigned a container accessor's result (`b = list_first_entry(..)`). */
  elementAssignments?: Map<string, number>;
  /**
   * The prefix `--x` / `++x` of the `if` condition being lowered, whose step the lowering puts
   * before the test: in the test it reads as `x`, the value after the step.
   */
  steppedFirst?: { id: number; text: string; arg: string };
}

export const line = (n: Node): number => n.startPosition.row + 1;

/** Does the node's text hold something the lowering keeps (a call, an assignment, ++/--)? */
export function mayMatter(source: string, node: Node): boolean {
  const end = node.endIndex;
  for (let i = node.startIndex; i < end; i++) {
    const c = source.charCodeAt(i);
    // ( = + -
    if (c === 40 || c === 61) return true;
    if ((c === 43 || c === 45) && source.charCodeAt(i + 1) === c) return true;
  }
  return false;
}

export function noteAssignment(fx: FnCtx, name: string, how: { path?: AccessPath; fresh?: boolean; maker?: string; from?: string; nullPointer?: boolean; around?: Around }): void {
  if (!(name in fx.vars)) return;
  let a = fx.assigned.get(name);
  if (!a) fx.assigned.set(name, (a = { paths: new Map(), freshCalls: 0, makers: new Set(), nulls: 0, other: 0 }));
  if (how.path) a.paths.set(how.path.text.replace(/^&/, '&'), how.path);
  else if (how.fresh) {
    a.freshCalls++;
    a.makers.add(how.maker ?? '');
    (a.gotFrom ??= new Set()).add(how.from ?? '');
  }
  else if (how.nullPointer) a.nulls++;
  else a.other++;
  if (how.around) {
    const key = `${how.around.inner.text}|${how.around.tag}|${how.around.member}`;
    (a.arounds ??= new Map()).set(key, how.around);
    a.aroundCount = (a.aroundCount ?? 0) + 1;
  }
}

/** A member name noted once per file (`initialisedMembers`, `positionalInits`, `copiedMembers`, `volatileMembers`). */
export function noteOnce(facts: FileFacts, field: 'initialisedMembers' | 'positionalInits' | 'copiedMembers' | 'volatileMembers', name: string): void {
  const list = (facts[field] ??= []);
  if (!list.includes(name)) list.push(name);
}
