/**
 * A function-like macro that expands to several arguments: `_drbd_request_state(mdev,
 * NS(conn, C_WF_SYNC_UUID), CS_VERBOSE)` with `#define NS(T, S) ({..mask..}), ({..val..})` calls
 * a function of four parameters with three written arguments. Read by position, the flags went
 * to the state value and the callee's flags parameter was unknown: its test for the bit under
 * which it takes the caller's mutex took both ways. With exactly one upper-case macro call among
 * the arguments and fewer arguments than the callee has parameters, that argument stands for
 * the missing ones too: those after it are the callee's last. Done once per event, in place
 * (a second pass finds nothing to do).
 */
import type { AccessPath, CallEvent } from './ir.ts';

const MACRO_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Widens the macro argument of `ev` when the callee takes `params` and one macro argument explains the gap. */
export function alignMacroArguments(ev: CallEvent, params: number): void {
  const gap = params - ev.args.length;
  if (gap <= 0) return;
  const macros = ev.args.flatMap((a, i) => (isMacroCall(a) ? [i] : []));
  if (macros.length !== 1) return;
  const at = macros[0] as number;
  const shift = <T>(r: Record<number, T> | undefined): Record<number, T> | undefined =>
    r && Object.fromEntries(Object.entries(r).map(([k, v]) => [Number(k) > at ? Number(k) + gap : Number(k), v]));
  ev.args = [...ev.args.slice(0, at + 1), ...Array<null>(gap).fill(null), ...ev.args.slice(at + 1)];
  if (ev.consts) ev.consts = shift(ev.consts);
  if (ev.flags) ev.flags = shift(ev.flags);
  if (ev.lits) ev.lits = shift(ev.lits);
  if (ev.masked) ev.masked = shift(ev.masked);
}

/** Whether some argument is an upper-case macro call (cheap: asked before resolving the callee). */
export const hasMacroArgument = (ev: CallEvent): boolean => ev.args.some(isMacroCall);

const isMacroCall = (a: AccessPath | null): boolean => !!a?.rootCall && a.fields.length === 0 && MACRO_NAME.test(a.rootCall) && a.text.startsWith(`${a.rootCall}(`);
