/**
 * V8 settings the analysis runs faster with, set by each entry point before any analysis code
 * gets hot (the CLI, and the bench processes that measure it). V8 flags are process-wide: the
 * lowering worker threads get them too.
 *
 * TurboFan's default inlining budget (920 bytes of bytecode inlined per function) builds huge
 * optimised versions of the flow functions (a summary applied at a call: 275-370 ms to compile);
 * the object shapes the paths carry vary, so each is deoptimised and compiled again, 27 times
 * on Linux 3.0's kernel/. With 400, `npm run bench` on kernel/, fs/ceph, aic7xxx and net/ipv4:
 * 10-20% less wall and CPU time for the same results.
 */
import { setFlagsFromString } from 'node:v8';

export const V8_FLAGS = ['--max-inlined-bytecode-size-cumulative=400'] as const;

export function tuneV8(): void {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
}
