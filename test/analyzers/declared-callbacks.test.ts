/**
 * Callbacks bound where their object is defined are read from the source by pattern: each with
 * its macro, object, function and line; a file made of nothing but such lines is read in one pass.
 */
import { describe, expect, it } from 'vitest';
import { declaredCallbacks } from '../../src/analyzers/c/declared-callbacks.ts';

describe('declaredCallbacks', () => {
  it('finds work, timer and tasklet definitions with their lines', () => {
    const src = 'int x;\n\nstatic DECLARE_DELAYED_WORK(reg_timeout, reg_timeout_work);\n/* DECLARE_WORK(not, this) in a comment line */\nstatic DEFINE_TIMER(t, tick, 0, 0);\n  DECLARE_TASKLET(k, run_k, 0);\n';
    expect(declaredCallbacks(src)).toEqual([
      { macro: 'DECLARE_DELAYED_WORK', object: 'reg_timeout', fn: 'reg_timeout_work', line: 3 },
      { macro: 'DEFINE_TIMER', object: 't', fn: 'tick', line: 5 },
      { macro: 'DECLARE_TASKLET', object: 'k', fn: 'run_k', line: 6 },
    ]);
  });

  it('finds the initializers written as a member\'s value in a struct initializer', () => {
    const src = 'struct dr tcp_dr = {\n\t.tw_timer = TIMER_INITIALIZER(hangman, 0, (unsigned long)&tcp_dr),\n\t.work\t= __WORK_INITIALIZER(tcp_dr.work, kill_work),\n};\n#define T(f) TIMER_INITIALIZER(f, 0, 0)\n';
    expect(declaredCallbacks(src)).toEqual([
      { macro: 'TIMER_INITIALIZER', object: '', fn: 'hangman', line: 2 },
      { macro: '__WORK_INITIALIZER', object: 'tcp_dr.work', fn: 'kill_work', line: 3 },
    ]);
  });

  it('numbers the lines of a file of fifty thousand definitions', () => {
    const found = declaredCallbacks('static DECLARE_WORK(w, f);\n'.repeat(50_000));
    expect(found).toHaveLength(50_000);
    expect(found[49_999]).toEqual({ macro: 'DECLARE_WORK', object: 'w', fn: 'f', line: 50_000 });
  });

  it('finds nothing where no such macro is written', () => {
    expect(declaredCallbacks('void f(void) { INIT_WORK(&w, fn); }\n')).toEqual([]);
  });
});
