/**
 * Gate locks: the other locks a path holds while it makes an order edge. A cycle can deadlock
 * only if every one of its CPUs is at its edge at once; two edges made while holding one lock
 * class in modes that exclude each other (write and anything; two readers share) never are:
 *
 *   CPU0: write_lock(G); lock(A); lock(B)        edge A -> B, beside G:w
 *   CPU1: read_lock(G);  lock(B); lock(A)        edge B -> A, beside G:r   -> no deadlock
 *
 * A lock of a cycle counts too: the CPU that holds it as the edge's `from` holds it all along.
 * Gates are per class, so a class of which a path may hold two instances at once (taken nested,
 * or under a subclass) gates nothing: two CPUs may hold different ones. A gate is kept only if
 * every witness of the edge holds it (intersect), in the weakest mode any of them holds it in.
 */
import { isPseudo, type Acquisition, type Held } from '../locks/held-set.ts';
import { isClass } from '../locks/lock-ref.ts';

/** `w:<class>` or `r:<class>`: a lock held besides an edge's ends, and how. */
export type Gate = string;

const gateOf = (h: { key: string; read: boolean }): Gate => `${h.read ? 'r' : 'w'}:${h.key}`;
const classOf = (g: Gate): string => g.slice(2);

/** Whether a held lock can be a gate: a real lock class, not one of several instances held (nested, a subclass). */
const gating = (h: Held): boolean => !isPseudo(h.key) && !h.phantom && !h.unnamed && !h.nested && isClass(h.ref) && !h.key.includes('/');

/** The gates a path holds when it takes `taken` while holding `held`: every other gating lock. */
export function gatesBeside(held: readonly Held[], from: string, taken: Acquisition): readonly Gate[] | undefined {
  let out: Gate[] | undefined;
  for (const h of held) if (h.key !== from && h.key !== taken.key && gating(h)) (out ??= []).push(gateOf(h));
  return out && [...new Set(out)].sort();
}

/** Gates both sets hold: a lock read-held in either is read-held. */
export function intersectGates(a: readonly Gate[] | undefined, b: readonly Gate[] | undefined): readonly Gate[] | undefined {
  if (!a?.length || !b?.length) return undefined;
  const modes = new Map(b.map((g) => [classOf(g), g[0]]));
  const out: Gate[] = [];
  for (const g of a) {
    const m = modes.get(classOf(g));
    if (m !== undefined) out.push(m === 'r' || g[0] === 'r' ? `r:${classOf(g)}` : g);
  }
  return out.length ? out : undefined;
}

/** Gates either set holds (one path holding both): a lock write-held in either is write-held. */
export function unionGates(a: readonly Gate[] | undefined, b: readonly Gate[] | undefined): readonly Gate[] | undefined {
  if (!a?.length) return b;
  if (!b?.length) return a;
  const modes = new Map<string, Gate>();
  for (const g of [...a, ...b]) {
    const old = modes.get(classOf(g));
    if (!old || old[0] === 'r') modes.set(classOf(g), g);
  }
  return [...modes.values()].sort();
}

/** What an edge's CPU holds while it waits for `to`: its gates and `from` itself. */
interface GatedEdge {
  from: string;
  held: { read: boolean; nested: boolean; key: string };
  beside?: readonly Gate[] | undefined;
}

/**
 * Whether two of the edges hold one class in modes that exclude each other, so their CPUs are
 * never at them at once. `multi`: classes a path may hold two instances of; they gate nothing.
 */
export function gatedCycle(edges: readonly GatedEdge[], multi: ReadonlySet<string>): string | undefined {
  const holds = edges.map((e) => {
    const m = new Map<string, string>();
    for (const g of e.beside ?? []) m.set(classOf(g), g[0] as string);
    if (!e.held.nested && !e.from.includes('/')) m.set(e.from, e.held.read ? 'r' : 'w');
    return m;
  });
  for (let i = 0; i < holds.length; i++) {
    for (let j = i + 1; j < holds.length; j++) {
      for (const [c, m] of holds[i] as Map<string, string>) {
        const other = (holds[j] as Map<string, string>).get(c);
        if (other !== undefined && !(m === 'r' && other === 'r') && !multi.has(c)) return c;
      }
    }
  }
  return undefined;
}
