import { describe, expect, it } from 'vitest';
import { valueUses, withoutUnusedCode } from '../../src/analyzers/c/value-uses.ts';

const statics = new Set(['foo_ioctl', 'foo_open', 'bar_cb', 'baz_cb', 'qux_cb']);

describe('where a file names its static functions as values', () => {
  it('a static table nothing compiled names stores its functions for no caller', () => {
    const src = [
      'static long foo_ioctl(struct file *f, unsigned c, unsigned long a) { return 0; }',
      'static int foo_open(struct inode *i, struct file *f) { return 0; }',
      'static struct file_operations foo_fops = {',
      '\t.open = foo_open,',
      '\t.unlocked_ioctl = foo_ioctl,',
      '};',
      '#if 0',
      'static int foo_init(void) { cdev_init(&foo_cdev, &foo_fops); return 0; }',
      '#endif',
      '/* bar_cb is registered in foo_fops */',
    ].join('\n');
    expect(valueUses(src, statics)).toEqual({ valued: [], onlyInUnusedTables: ['foo_ioctl', 'foo_open'] });
  });

  it('a table compiled code names keeps them, and so does one an #else branch or a pasted name reaches', () => {
    const used = 'static struct ops t = { .cb = bar_cb };\nint reg(void) { return register_ops(&t); }\n';
    expect(valueUses(used, statics).valued).toEqual(['bar_cb']);
    const elseBranch = 'static struct ops t = { .cb = bar_cb };\n#if 0\nint a(void) { return 0; }\n#else\nint b(void) { return register_ops(&t); }\n#endif\n';
    expect(valueUses(elseBranch, statics).valued).toEqual(['bar_cb']);
    const pasted = '#define REG(n) register_ops(&n##_ops)\nstatic struct ops baz_ops = { .cb = baz_cb };\nint c(void) { return REG(baz); }\n';
    expect(valueUses(pasted, statics).valued).toEqual(['baz_cb']);
  });

  it('a table named only inside an unused table is unused too; a string or comment names nothing', () => {
    const src = 'static struct inner in_ops = { .cb = qux_cb };\nstatic struct outer drv = { .ops = &in_ops };\nconst char *s = "drv";\n// drv\n';
    expect(valueUses(src, statics)).toEqual({ valued: [], onlyInUnusedTables: ['qux_cb'] });
  });

  it('a pasted name (`FNAME(fetch)`) is a value use where written, spaces or not, and not where called', () => {
    const pasted = new Set(['FNAME(fetch)', 'PASTE(a,b)', 'FNAME(walk)']);
    const src = 'int f(void) { ops.f = FNAME( fetch ); ops.g = PASTE(a, b); return FNAME(walk)(0) + FNAMEwalk; }';
    expect(valueUses(src, pasted)).toEqual({ valued: ['FNAME(fetch)', 'PASTE(a,b)'], onlyInUnusedTables: [] });
  });

  it('a name outside any table is a value use as before', () => {
    expect(valueUses('int f(void) { INIT_WORK(&w, bar_cb); return foo_open(0, 0); }', statics)).toEqual({ valued: ['bar_cb'], onlyInUnusedTables: [] });
  });

  it('in one translation unit with another .c file, a table may be named there: none is unused', () => {
    const src = 'static struct ops driver_template = { .cb = bar_cb };\n#include "scsi_module.c"\n';
    expect(valueUses(src, statics)).toEqual({ valued: ['bar_cb'], onlyInUnusedTables: [] });
    const table = 'static struct ops t = { .cb = bar_cb };\n#if 0\nint a(void) { return reg(&t); }\n#endif\n';
    expect(withoutUnusedCode(table)).not.toContain('bar_cb');
    expect(withoutUnusedCode(table, true)).toContain('bar_cb');
    expect(withoutUnusedCode(table, true)).not.toContain('reg(&t)');
  });
});
