/**
 * Lock classes per translation unit. lockdep keys a class by the static `lock_class_key` that
 * `spin_lock_init()`, `mutex_init()`, `init_rwsem()` declare where they are called. Called in a
 * `static inline` constructor in a header (`_mali_osk_spinlock_irq_init()` doing
 * `spin_lock_init(&lock->spinlock)`), that key exists once per `.c` file the header is compiled
 * into: the locks one file creates are one class, another file's another. By the struct member
 * alone (`_mali_osk_spinlock_irq_s.spinlock`) every lock of the driver was one class, and two
 * locks always taken one inside the other looked like a recursion.
 *
 * Here: the members whose every init is in such a header function (`perUnit`), and for each
 * place a constructor's result is stored (`group->lock = _mali_osk_spinlock_irq_init(..)`: the
 * holder `mali_group.lock`; `gp_scheduler_lock = ..`: the global `@gp_scheduler_lock`), the
 * `.c` files that store it. A lock reached through a holder one file fills is that file's class.
 */
import { eachReturn, opsOf } from '../c/call-graph.ts';
import type { CallEvent } from '../c/ir.ts';
import type { Program } from '../c/program.ts';
import { LOCK_INITS } from './catalogue.ts';

export interface UnitClasses {
  /** `tag.member` of the locks every init of which is in a static function of a header. */
  perUnit: ReadonlySet<string>;
  /** Holder (`mali_group.lock`, `@gp_scheduler_lock`) -> the units that store a constructed object there. */
  createdIn: ReadonlyMap<string, ReadonlySet<string>>;
  /** `tag.member` -> every unit that constructs one. */
  unitsOf: ReadonlyMap<string, ReadonlySet<string>>;
}

const cache = new WeakMap<Program, UnitClasses>();

export function unitClasses(program: Program): UnitClasses {
  const known = cache.get(program);
  if (known) return known;
  const inHeader = new Map<string, boolean>();
  const constructors = new Map<string, Set<string>>();
  for (const e of program.functions) {
    const header = e.file.endsWith('.h') && e.fn.isStatic;
    // A constructor returns the object it initialised (`return lock;`); a helper that
    // initialises one in place (`skb_queue_head_init(&q)`) makes nothing of its own.
    const returned = new Set<string>();
    if (header) eachReturn(e.fn.body, (v) => {
      if (v.k === 'var') returned.add(v.name);
    });
    opsOf(e.fn.body, (o) => {
      if (o.k === 'set' || !LOCK_INITS.has(o.callee)) return;
      const arg = o.args[0];
      const field = arg?.fields[arg.fields.length - 1];
      if (!arg || !field || arg.rootCall) return;
      const tag = program.structOfPath({ ...arg, text: arg.text.replace(/^&/, ''), fields: arg.fields.slice(0, -1) }, e.fn, e.file);
      if (!tag) return;
      const key = `${tag}.${field}`;
      inHeader.set(key, (inHeader.get(key) ?? true) && header);
      if (header && returned.has(arg.root) && arg.root in e.fn.vars && !e.fn.params.some((p) => p.name === arg.root)) constructors.set(e.fn.name, (constructors.get(e.fn.name) ?? new Set()).add(key));
    });
  }
  const perUnit = new Set([...inHeader].filter(([, h]) => h).map(([k]) => k));
  const createdIn = new Map<string, Set<string>>();
  const unitsOf = new Map<string, Set<string>>();
  if (perUnit.size) {
    for (const e of program.functions) {
      if (e.file.endsWith('.h')) continue;
      const note = (target: string): void => {
        const fields = target.split(/->|\./);
        const root = fields.shift() as string;
        let holder: string | undefined;
        if (fields.length === 0) holder = root in e.fn.vars ? undefined : `@${root}`;
        else {
          const tag = program.structOfPath({ root, fields: fields.slice(0, -1), text: target }, e.fn, e.file);
          holder = tag ? `${tag}.${fields[fields.length - 1]}` : undefined;
        }
        if (!holder) return;
        const units = createdIn.get(holder) ?? new Set<string>();
        units.add(program.unitOf(e.file));
        createdIn.set(holder, units);
      };
      let made: CallEvent | undefined;
      opsOf(e.fn.body, (o) => {
        if (o.k !== 'set') {
          made = constructors.has(o.callee) ? o : undefined;
          for (const key of made ? (constructors.get(o.callee) ?? []) : []) unitsOf.set(key, (unitsOf.get(key) ?? new Set()).add(program.unitOf(e.file)));
          // `sched_lock = ctor(..)`: the call says where its result goes.
          if (made?.assignTo) note(made.assignTo);
          return;
        }
        // `group->lock = ctor(..)`: the store right after the call, on its line.
        if (made && made.line === o.line) note(o.target);
        made = undefined;
      });
    }
  }
  const out = { perUnit, createdIn, unitsOf };
  cache.set(program, out);
  return out;
}

/** The class name of a per-unit lock created in one unit: `<_mali_osk_spinlock_irq_s mali_group.c>.spinlock`. */
export function unitClassName(tag: string, field: string, unit: string): string {
  return `<${tag} ${unit.slice(unit.lastIndexOf('/') + 1)}>.${field}`;
}

/** Whether `c` is one unit's class of the struct class `structClass` (`_mali_osk_spinlock_irq_s.spinlock`). */
export function isUnitClassOf(c: string, structClass: string): boolean {
  const dot = structClass.lastIndexOf('.');
  return c.startsWith(`<${structClass.slice(0, dot)} `) && c.endsWith(`>${structClass.slice(dot)}`);
}
