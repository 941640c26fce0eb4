/**
 * The context a function says it runs in, by asserting it before it does anything else:
 * `lockdep_assert_irqs_disabled()`, `WARN_ON(!irqs_disabled())`, `BUG_ON(!in_interrupt())`
 * (lowered as a branch on the query that ends in `__builtin_unreachable`, c/lower-statements.ts
 * warnedCondition). Its callers are in that context (hrtimers_resume() runs on the resume path's
 * irqs-off section), so the locks it takes are taken there. An assertion after code that may
 * enter the context itself (`local_irq_save(f); WARN_ON(!irqs_disabled())`) says nothing of
 * the callers: only the statements before the first other call count.
 */
import type { Region } from '../locks/held-set.ts';
import type { Stmt } from './ir.ts';
import { Z } from './ir.ts';
import { WARNINGS } from './lower-statements.ts';


/** lockdep's own assertions of a context, by name. */
const ASSERTIONS: ReadonlyMap<string, string> = new Map([
  ['lockdep_assert_irqs_disabled', 'irqs_disabled()'],
  ['lockdep_assert_in_softirq', 'in_softirq()'],
]);

/** The context queries a function asserts on entry (keys of `queries`), with the region each means. */
export function assertedContexts(body: Stmt, queries: ReadonlyMap<string, Region>): { query: string; region: Region; line: number }[] {
  const out: { query: string; region: Region; line: number }[] = [];
  // Calls that only ask or warn may come before an assertion (`irqs_disabled()` runs, then `WARN_ON`).
  const asking = (callee: string): boolean => WARNINGS.has(callee) || queries.has(`${callee}()`);
  const visit = (st: Stmt): boolean => {
    switch (st.k) {
      case 'block':
        return st.body.every(visit);
      case 'ops':
        for (const op of st.ops) {
          if (op.k === 'set') continue;
          const asserted = ASSERTIONS.get(op.callee);
          const region = asserted ? queries.get(asserted) : undefined;
          if (asserted && region) out.push({ query: asserted, region, line: op.line });
          else if (!asking(op.callee)) return false;
        }
        return true;
      case 'if': {
        const c = st.cond;
        const region = c.k === 'atom' && c.test === Z ? queries.get(c.key) : undefined;
        const stops = st.then.k === 'ops' && st.then.ops.some((o) => o.k === undefined && o.callee === '__builtin_unreachable');
        if (c.k !== 'atom' || !region || !stops || st.else) return false;
        const first = st.then.k === 'ops' ? st.then.ops[0] : undefined;
        out.push({ query: c.key, region, line: first?.line ?? 0 });
        return true;
      }
      default:
        return false;
    }
  };
  visit(body);
  return out;
}
