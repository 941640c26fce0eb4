/**
 * A local copy of a member or another variable (`function = hdr->Function;`): until either is
 * assigned again, a test of one is a test of the other. `if (hdr->Function == TM)
 * mutex_lock(..); ... if (function == TM) mutex_unlock(..);` takes and releases under one
 * condition. The path keeps the copy as a fact `function:≡hdr->Function` (forgotten, as any
 * fact, when what it reads is assigned), and a test of either side is also remembered for the
 * other (interpreter.ts, evalCond).
 */
import { comparisonAtom, comparisonSides, isConstantName, type ConstantNames } from '../c/comparison.ts';
import { MEMBER_PATH, P, type Mask } from '../c/ir.ts';
import type { Fact, Facts } from './facts.ts';

export const COPY = ':≡';

const IDENT = /^[A-Za-z_]\w*$/;

/** The fact that `target` holds a copy of `from`, when both are plain (a local, a member path). */
export function copyFact(target: string, from: string): Fact | undefined {
  if (!IDENT.test(target) || target === from || !(IDENT.test(from) || MEMBER_PATH.test(from))) return undefined;
  const root = /^\w+/.exec(from)?.[0] as string;
  return { key: `${target}${COPY}${from}`, mask: P, reads: root === target ? [target] : [target, root], memory: from !== root };
}

/** The same test written with the copy's other side: its key, its reads, and how a mask maps to it (and back). */
export interface CopiedAtom {
  key: string;
  reads: string[];
  memory: boolean;
  map: (m: Mask) => Mask;
}

const same = (m: Mask): Mask => m;

/** The roots a side reads: none for a constant. */
function sideReads(side: string, names: ConstantNames | undefined): string[] {
  const root = /^[A-Za-z_]\w*/.exec(side)?.[0];
  return root && !(side === root && isConstantName(root, names)) ? [root] : [];
}

/** An atom over a copied value, written over the value it was copied from (or to). */
export function copiedAtom(facts: Facts, key: string, names: ConstantNames | undefined): CopiedAtom | undefined {
  if (!facts.some((f) => f.key.includes(COPY))) return undefined;
  const sides = comparisonSides(key);
  for (const f of facts) {
    const at = f.key.indexOf(COPY);
    if (at < 0) continue;
    const pair = [f.key.slice(0, at), f.key.slice(at + COPY.length)] as const;
    for (const [a, b] of [pair, [pair[1], pair[0]] as const]) {
      if (key === a) return { key: b, reads: sideReads(b, names), memory: b.includes('->') || b.includes('.'), map: same };
      const i = sides ? sides.indexOf(a) : -1;
      if (!sides || i < 0) continue;
      const l = i === 0 ? b : sides[0];
      const r = i === 1 ? b : sides[1];
      const atom = comparisonAtom(l, r, 0);
      const map = (m: Mask): Mask => comparisonAtom(l, r, m).truth;
      return { key: atom.key, reads: [...new Set([...sideReads(l, names), ...sideReads(r, names)])], memory: /->|\./.test(l + r), map };
    }
  }
  return undefined;
}

/** The other side of the first fact keyed `${root}${relation}…` on this path. */
function relatedTo(facts: Facts, root: string, relation: string): string | undefined {
  const prefix = `${root}${relation}`;
  for (const f of facts) if (f.key.startsWith(prefix)) return f.key.slice(prefix.length);
  return undefined;
}

/** What `root` is a copy of on this path (`seq->private` after `t = seq->private`), if anything. */
export const copiedRoot = (facts: Facts, root: string): string | undefined => relatedTo(facts, root, COPY);

const POINTS_TO = ':→';

/**
 * The fact that the local pointer `target` holds the address `addr` (`lock_p = &ch->obuf_lock`)
 * on this path: a later `write_lock(lock_p)` takes that lock, though another path stored the
 * address of another (forgotten, as any fact, when either side is assigned).
 */
export function pointsToFact(target: string, addr: { text: string; root: string }): Fact | undefined {
  const to = addr.text.replace(/^&\s*/, '');
  if (!IDENT.test(target) || !(IDENT.test(to) || MEMBER_PATH.test(to))) return undefined;
  return { key: `${target}${POINTS_TO}${to}`, mask: P, reads: [...new Set([target, addr.root])], memory: false, assigned: true };
}

/** What the local pointer `root` points to on this path (`ch->obuf_lock`), if a store said. */
export const pointedBy = (facts: Facts, root: string): string | undefined => relatedTo(facts, root, POINTS_TO);
