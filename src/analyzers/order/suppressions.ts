/**
 * Orders a maintainer has judged safe, written in the code: `/* lockscope: safe-order dev.lock ->
 * q.lock (q is always a fresh queue here) *\/`. A finding with an edge so marked is kept and shown
 * as suppressed, with the reason and where it was written; it no longer counts for a verdict.
 * An annotation that matches no edge is reported too: a stale suppression is worth knowing.
 */
import type { Finding, Suppression } from '../checkers/types.ts';
import type { Cycle } from './cycles.ts';

export interface SafeOrder {
  from: string;
  to: string;
  file: string;
  line: number;
  reason: string;
}

/** A lock named in an annotation matches a class by its report name or internal key, subclass or not. */
function matches(written: string, key: string, names: ReadonlyMap<string, string>): boolean {
  const shown = names.get(key) ?? key;
  const base = (s: string): string => s.replace(/\/[^/]*$/, '');
  return written === shown || written === key || written === base(shown) || written === base(key);
}

/**
 * Marks suppressed the lock-order findings and cycles one of whose edges an annotation names;
 * returns the annotations that matched nothing.
 */
export function applySafeOrders(orders: readonly SafeOrder[], findings: Finding[], cycles: Cycle[], names: ReadonlyMap<string, string>): SafeOrder[] {
  if (orders.length === 0) return [];
  const used = new Set<SafeOrder>();
  const suppressionOf = (locks: readonly string[]): Suppression | undefined => {
    for (let i = 0; i < locks.length; i++) {
      const from = locks[i] as string;
      const to = locks[(i + 1) % locks.length] as string;
      const o = orders.find((x) => matches(x.from, from, names) && matches(x.to, to, names));
      if (o) {
        used.add(o);
        return { by: 'annotation', reason: o.reason || 'judged safe in the code', file: o.file, line: o.line };
      }
    }
    return undefined;
  };
  for (const f of findings) {
    if (f.kind !== 'inversion' && f.kind !== 'recursive') continue;
    const s = suppressionOf(f.locks);
    if (s) f.suppressed = s;
  }
  for (const c of cycles) {
    const s = suppressionOf(c.locks);
    if (s) c.suppressed = s;
  }
  return orders.filter((o) => !used.has(o));
}
