/**
 * Parameters a function hands straight to a lock operation as the lock (`spin_lock(lock)`,
 * `spin_unlock((spinlock_t *)lock)`, or a local copy of it): an OS layer's lock wrapper. Such a parameter is presumed a
 * valid lock on entry, so a defensive `if (lock) spin_lock(lock); else printk(...)` does not give
 * every caller a way out where nothing was locked (or nothing unlocked). A caller that passes NULL
 * as a constant still gets that branch: its specialised summary knows the argument.
 */
import { callEvents } from '../c/call-graph.ts';
import type { FunctionIR } from '../c/ir.ts';
import type { Catalogue } from './catalogue.ts';

const LOCK_OPERATIONS = new Set(['acquire', 'tryAcquire', 'condAcquire', 'release']);

export function lockPointerParams(fn: FunctionIR, catalogue: Catalogue): number[] {
  const out = new Set<number>();
  for (const ev of callEvents(fn.body)) {
    const effect = ev.indirect ? undefined : catalogue.get(ev.callee);
    if (!effect || !LOCK_OPERATIONS.has(effect.k) || !('arg' in effect) || ('field' in effect && effect.field) || ('fixedClass' in effect && effect.fixedClass)) continue;
    const a = ev.args[effect.arg];
    if (!a || a.fields.length > 0 || a.rootCall || a.text.startsWith('&')) continue;
    // `struct mutex *m = (struct mutex *)handle; mutex_lock(m);`: a local copy of the parameter.
    const alias = fn.aliases?.[a.root];
    const root = alias && alias.fields.length === 0 && !alias.rootCall && !alias.text.startsWith('&') ? alias.root : a.root;
    const p = fn.params.findIndex((x) => x.name === root);
    if (p >= 0) out.add(p);
  }
  return [...out];
}
