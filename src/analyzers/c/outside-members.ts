/**
 * Members that only ever hold objects the rest of the kernel made: `d->tty = filp_open(..)`,
 * and no other store of a member of that name in live code (no other value, no address handed
 * to a call that may fill it). Calls through such an object's function pointers
 * (`f->f_op->unlocked_ioctl`, however many calls below, the object handed on as an argument)
 * reach the outside's functions, not the program's own tables of that type: a serial port a
 * driver opened by name is not its own character device. Which function made the object is
 * `maker`'s to decide (a function with no body here, not an allocator).
 */
import { opsOf } from './call-graph.ts';
import { Z } from './ir.ts';
import type { FunctionEntry, Program } from './program.ts';
import type { Catalogue } from '../locks/catalogue.ts';

/**
 * Whether a function makes objects that are the outside's: no body in the program, and no
 * allocator (a zeroing one, or one taking gfp flags), whose objects the caller fills itself.
 */
export function madeOutside(name: string, program: Program, catalogue: Catalogue, zeroing: ReadonlySet<string>): boolean {
  if (program.hasFunction(name) || zeroing.has(name)) return false;
  const effect = catalogue.get(name);
  return !(effect?.k === 'sleep' && effect.gfpArg !== undefined);
}

/** Member name -> the one outside function every live store of it takes its value from. */
export function outsideMembers(program: Program, live: (e: FunctionEntry) => boolean, maker: (name: string) => boolean): ReadonlyMap<string, string> {
  const from = new Map<string, string | null>();
  for (const e of program.functions) {
    if (!live(e)) continue;
    opsOf(e.fn.body, (o) => {
      if (o.k !== 'set') return;
      const m = /(?:->|\.)(\w+)$/.exec(o.target)?.[1];
      if (!m) return;
      // NULL stored after the object is closed: nothing is called through it then.
      if (o.value === Z && o.from === undefined && o.call === undefined && o.name === undefined && !o.byCall) return;
      const made = o.call !== undefined && !o.byCall && maker(o.call) ? o.call : null;
      const old = from.get(m);
      from.set(m, old === undefined || old === made ? made : null);
    });
  }
  const out = new Map<string, string>();
  for (const [m, made] of from) if (made) out.set(m, made);
  return out;
}
