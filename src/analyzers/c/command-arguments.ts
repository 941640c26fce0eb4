/**
 * Macro arguments that are statements: `#define __SLEEP_COND(wq, cond, lock_cmd, unlock_cmd)`
 * runs `unlock_cmd; io_schedule(); lock_cmd;` in its loop, and its users pass the lock and the
 * unlock as calls: `__SLEEP_COND(q, done, LOG_LOCK(log), LOG_UNLOCK(log))`. Read as a function
 * call, the arguments ran first, in the order written: lock, then unlock, and the lock the
 * caller held was taken twice. The preprocessor substitutes them where the body names them, so
 * such a call runs where the body runs its parameter, in the body's order.
 *
 * The macro's side is known where it is defined (`commandParams`, in the order its body runs
 * them), its users' side where they are written (a call among the arguments is tagged `argOf`),
 * and the two meet only in the program: there, the first command the body runs stays before
 * the macro's call and the others move after it, in the body's order. That is the body's own
 * order for the two shapes such macros have: `unlock; sleep; lock` (the sleep runs unlocked)
 * and `lock; work; unlock` (the work runs locked). Done in place, once: a moved call loses its
 * tag.
 *
 * A wait that drops its lock around its commands (`wait_event_lock_irq_cmd(wq, c, lock, cmd)`:
 * `spin_unlock_irq(&lock); cmd; schedule(); spin_lock_irq(&lock);`, locks/catalogue.ts
 * WAIT_COMMANDS) runs them between an unlock and a lock of that argument, written before the
 * wait's own call: the commands run unlocked, and the wait still sleeps, and takes the lock again,
 * as the catalogue says.
 */
import type { Node } from './parser.ts';
import type { CallEvent, Op, Stmt } from './ir.ts';

/** What a macro does with its arguments: those it runs as statements, in body order, and the lock it drops around them. */
export interface CommandArguments {
  commands: readonly number[];
  drops?: { arg: number; unlock: string; lock: string };
}

/** Indices of the parameters the macro body runs as whole statements (`unlock_cmd;`), in body order. */
export function commandParams(body: Node, params: readonly string[]): number[] {
  const order: number[] = [];
  for (const st of body.descendantsOfType('expression_statement')) {
    const only = st?.namedChildren.filter((c) => c?.type !== 'comment');
    if (only?.length !== 1 || only[0]?.type !== 'identifier') continue;
    const i = params.indexOf(only[0].text);
    if (i >= 0 && !order.includes(i)) order.push(i);
  }
  return order;
}

/** Moves, in every ops list of `body`, the calls a macro runs as statements to after its call. */
export function runCommandArguments(body: Stmt, commandsOf: (ev: CallEvent) => CommandArguments | undefined): void {
  eachOpsList(body, (ops) => {
    if (!ops.some((o) => o.k === undefined && o.callAt !== undefined)) return;
    for (let at = 0; at < ops.length; at++) {
      const ev = ops[at] as Op;
      if (ev.k !== undefined || ev.callAt === undefined) continue;
      const spec = commandsOf(ev);
      if (!spec?.commands.length) continue;
      if (spec.drops) {
        const lock = ev.args[spec.drops.arg];
        if (!lock) continue;
        const inside = spec.commands.flatMap((i) => takeArgument(ops, ev.callAt as number, i));
        if (!inside.length) continue;
        const around = (callee: string): CallEvent => ({ callee, args: [lock], line: ev.line });
        const here = ops.indexOf(ev);
        ops.splice(here, 0, around(spec.drops.unlock), ...inside, around(spec.drops.lock));
        at = here + inside.length + 2;
        continue;
      }
      const [first, ...rest] = spec.commands.map((i) => takeArgument(ops, ev.callAt as number, i));
      const after = rest.flat();
      if (!first?.length && !after.length) continue;
      const here = ops.indexOf(ev);
      ops.splice(here, 1, ...(first ?? []), ev, ...after);
      at = here + (first?.length ?? 0) + after.length;
    }
  });
}

/** Removes from `ops` the calls written as argument `i` of the call at `callAt`, with the calls among their own arguments. */
function takeArgument(ops: Op[], callAt: number, i: number): Op[] {
  const mine = new Set<Op>();
  const owners = new Set<number>();
  const claim = (o: CallEvent): void => {
    mine.add(o);
    if (o.callAt !== undefined) owners.add(o.callAt);
  };
  for (const o of ops) if (o.k === undefined && o.argOf?.at === callAt && o.argOf.i === i) claim(o);
  // The calls among a claimed call's own arguments (`LOCK(lock_of(x))`), to any depth.
  for (let grew = owners.size > 0; grew; ) {
    grew = false;
    for (const o of ops) {
      if (o.k !== undefined || !o.argOf || mine.has(o) || !owners.has(o.argOf.at)) continue;
      claim(o);
      grew = true;
    }
  }
  if (!mine.size) return [];
  const moved = ops.filter((o) => mine.has(o));
  ops.splice(0, ops.length, ...ops.filter((o) => !mine.has(o)));
  for (const o of moved) if (o.k === undefined) delete o.argOf;
  return moved;
}

function eachOpsList(st: Stmt, visit: (ops: Op[]) => void): void {
  switch (st.k) {
    case 'block':
      for (const b of st.body) eachOpsList(b, visit);
      break;
    case 'ops':
    case 'return':
      visit(st.ops);
      break;
    case 'if':
      eachOpsList(st.then, visit);
      if (st.else) eachOpsList(st.else, visit);
      break;
    case 'loop':
      eachOpsList(st.body, visit);
      break;
    case 'switch':
      for (const c of st.cases) for (const b of c) eachOpsList(b, visit);
      break;
    case 'scoped':
      eachOpsList(st.body, visit);
      break;
    default:
      break;
  }
}
