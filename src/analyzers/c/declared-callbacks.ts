/**
 * Callbacks bound where their object is defined, not by a call: `static
 * DECLARE_DELAYED_WORK(reg_timeout, reg_timeout_work);`, `DEFINE_TIMER(t, fn, ...)`,
 * `DECLARE_TASKLET(t, fn, data)`. Each is the registration `INIT_DELAYED_WORK(&reg_timeout,
 * reg_timeout_work)` would be: a flush of the object waits for that function, and the function
 * runs in the object's context. So do the initializers those macros are made of, written as a
 * member's value in a struct's initializer (`.tw_timer = TIMER_INITIALIZER(hangman, 0, data)`,
 * `.work = __WORK_INITIALIZER(dr.work, kill_work)`). tree-sitter recovers from such a line with
 * an error tree that keeps neither name where it can be found, so the source is read by pattern.
 */

export interface DeclaredCallback {
  /** The macro (`DECLARE_DELAYED_WORK`). */
  macro: string;
  /** The object it defines (`reg_timeout`, `tcp_death_row.twkill_work`); '' where an initializer does not name it. */
  object: string;
  /** The function bound to it. */
  fn: string;
  line: number;
}

interface CallbackContext {
  ctx: 'process' | 'softirq';
  what: 'work' | 'timer' | 'tasklet';
}

const WORK: CallbackContext = { ctx: 'process', what: 'work' };
const TASKLET: CallbackContext = { ctx: 'softirq', what: 'tasklet' };

/** What each macro's function runs as. */
export const DECLARED_CALLBACKS: ReadonlyMap<string, CallbackContext> = new Map<string, CallbackContext>([
  ['DECLARE_WORK', WORK],
  ['DECLARE_DELAYED_WORK', WORK],
  ['DECLARE_DEFERRABLE_WORK', WORK],
  ['DECLARE_DEFERRED_WORK', WORK],
  ['DEFINE_TIMER', { ctx: 'softirq', what: 'timer' }],
  ['DECLARE_TASKLET', TASKLET],
  ['DECLARE_TASKLET_DISABLED', TASKLET],
  ['DECLARE_TASKLET_OLD', TASKLET],
  ['TIMER_INITIALIZER', { ctx: 'softirq', what: 'timer' }],
  ['__TIMER_INITIALIZER', { ctx: 'softirq', what: 'timer' }],
  ['__WORK_INITIALIZER', WORK],
  ['__DELAYED_WORK_INITIALIZER', WORK],
  ['__DEFERRED_WORK_INITIALIZER', WORK],
]);

/** Initializers whose first argument is the function, not the object. */
const FUNCTION_FIRST = new Set(['TIMER_INITIALIZER', '__TIMER_INITIALIZER']);
const DEFINITIONS = [...DECLARED_CALLBACKS.keys()].filter((k) => !k.includes('INITIALIZER'));
const INITIALIZERS = [...DECLARED_CALLBACKS.keys()].filter((k) => k.includes('INITIALIZER'));

/** A definition at the start of a line (not in a comment), or an initializer as a member's value (`= X(`). */
const PATTERN = new RegExp(
  `^[ \\t]*(?:static[ \\t]+)?(${DEFINITIONS.join('|')})[ \\t]*\\([ \\t]*(\\w+)[ \\t]*,[ \\t]*(\\w+)|=[ \\t]*(${INITIALIZERS.join('|')})[ \\t]*\\([ \\t]*([\\w.]+)[ \\t]*(?:,[ \\t]*(\\w+))?`,
  'gm',
);

/** The callbacks `source` binds by definition, in order. */
export function declaredCallbacks(source: string): DeclaredCallback[] {
  if (!/DECLARE_|DEFINE_TIMER|_INITIALIZER/.test(source)) return [];
  const out: DeclaredCallback[] = [];
  // Lines counted on from the last match: a file of many such lines is read once, not once each.
  let line = 1;
  let from = 0;
  for (const m of source.matchAll(PATTERN)) {
    for (let i = source.indexOf('\n', from); i >= 0 && i < m.index; i = source.indexOf('\n', i + 1)) line++;
    from = m.index;
    if (m[1]) out.push({ macro: m[1], object: m[2] as string, fn: m[3] as string, line });
    else if (FUNCTION_FIRST.has(m[4] as string)) out.push({ macro: m[4] as string, object: '', fn: m[5] as string, line });
    else if (m[6]) out.push({ macro: m[4] as string, object: m[5] as string, fn: m[6], line });
  }
  return out;
}
