/**
 * The GFP flags an allocation is made with, as the function making it knows them: written at
 * the call (`kmalloc(n, GFP_KERNEL)`, `GFP_KERNEL | __GFP_ZERO`), or handed in by the caller
 * through a parameter the function never assigns (`kmalloc(n, gfp)`). Then whether it sleeps,
 * or may reclaim into the file system, is the caller's to decide by what it passes there: the
 * checkers keep such an allocation as conditional on that parameter (sleep-in-atomic.ts,
 * reclaim-under-lock.ts) and decide it at each call site, where the same question is asked of
 * the call's argument.
 */
import { reassignedRoots } from '../c/call-graph.ts';
import type { CallEvent, FunctionIR } from '../c/ir.ts';

export type Gfp = { flags: readonly string[] } | { param: number };

/** The flags of argument `index` of `ev`, a call made in `fn`: written, or `fn`'s parameter. */
export function gfpAt(ev: CallEvent, index: number, fn: FunctionIR): Gfp | undefined {
  const written = ev.flags?.[index];
  if (written) return { flags: written };
  const arg = ev.args[index];
  if (!arg || arg.fields.length > 0 || arg.rootCall) return undefined;
  const param = fn.params.findIndex((p) => p.name === arg.root);
  if (param >= 0 && arg.text === arg.root && !reassignedRoots(fn.body).has(arg.root)) return { param };
  return { flags: [arg.text] };
}
