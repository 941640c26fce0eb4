import { describe, expect, it } from 'vitest';
import { endMacroStatements } from '../../src/analyzers/c/macro-statements.ts';

const body = (...lines: string[]): string => ['void f(void)', '{', ...lines, '}', ''].join('\n');

describe('endMacroStatements', () => {
  it('ends a block macro used as a statement with the next line\'s first blank, keeping every offset', () => {
    const text = body('\tspin_lock(&l);', '\tQUEUE_INSERT_TAIL(&q->list, &(e)->node)', '\tspin_unlock(&l);');
    const out = endMacroStatements(text);
    expect(out).toBe(body('\tspin_lock(&l);', '\tQUEUE_INSERT_TAIL(&q->list, &(e)->node)', ';spin_unlock(&l);'));
    expect(out.length).toBe(text.length);
  });

  it('ends each of several in a row, after a comment or an else', () => {
    expect(endMacroStatements(body('\t/* put back */', '\tLIST_ADD(a, b)', '\tLIST_DEL(c)', '\tcount++;'))).toBe(body('\t/* put back */', '\tLIST_ADD(a, b)', ';LIST_DEL(c)', ';count++;'));
    expect(endMacroStatements(body('\tif (x)', '\t\tfoo();', '\telse', '\t\tBAR(y)', '\tbaz();'))).toBe(body('\tif (x)', '\t\tfoo();', '\telse', '\t\tBAR(y)', ';baz();'));
  });

  it('ends a macro wrapping statements over several lines, a debug macro around a loop', () => {
    const loop = ['\tspin_lock(&l);', '\tDBG(list_for_each_entry(p, &head, node) {', '\t\tprintk("%d", p->n);', '\t})', '\tspin_unlock(&l);'];
    const out = endMacroStatements(body(...loop));
    expect(out).toBe(body(...loop.slice(0, 4), ';spin_unlock(&l);'));
    expect(out.length).toBe(body(...loop).length);
    expect(endMacroStatements(body('\tTRACE(a = b;', '\t      c = d;)', '\tgo();'))).toBe(body('\tTRACE(a = b;', '\t      c = d;)', ';go();'));
  });

  it('leaves alone what is no whole statement', () => {
    const kept = [
      body('\tx = a ||', '\t    check(b)', '\t    && c;'), // continued after
      body('\tx = a ||', '\t    check(b)', '\t    next(c);'), // continued before
      body('\tfoo(a,', '\t    b)', '\tbar();'), // split over lines
      body('\tfoo(a, ")",', '\t    b) /* { */', '\tbar();'), // split, braces only in a string or comment
      body('\tDBG(list_for_each(p, &h) {', '\t\tn++;', '\t}) + 1;', '\tbar();'), // the call goes on after its `)`
      body('\tif (ready(x))', '\t\tgo();'), // a keyword
      body('\tfoo(a) || bar(b)', '\tbaz();'), // not one call
      body('\tFOO(x)', '\t{', '\t\ty();', '\t}'), // a block follows
      'EXPORT_SYMBOL(f)\nint g(void);\n', // not indented: file scope
    ];
    for (const t of kept) expect(endMacroStatements(t)).toBe(t);
  });

  it('ends a macro item at file scope, so what follows is not taken for a function spanning the next ones', () => {
    const enumAfter = ['static DEF_QCMD(queuecommand)', '', 'enum action {', '\tABORT,', '};', ''];
    const out = endMacroStatements(enumAfter.join('\n'));
    expect(out).toBe(['      DEF_QCMD(queuecommand);', '', 'enum action {', '\tABORT,', '};', ''].join('\n'));
    expect(endMacroStatements('MODULE_NAME("x") \nstruct s;\n')).toBe('MODULE_NAME("x");\nstruct s;\n');
    const kept = [
      'SYSCALL_DEFINE2(kill, pid_t, pid, int, sig)\n{\n\treturn 0;\n}\n', // a body follows
      'static struct ioctl_trans t[] = {\nCOMPATIBLE_IOCTL(TCGETA)\nCOMPATIBLE_IOCTL(TCSETA)\n};\n', // inside an initialiser
      '#define MAKE(x) \\\nMAKE_ONE(x)\nenum e { A };\n', // a directive's continued line
      'int v =\nCOMPUTE(3)\n;\n', // an expression continued
      'static DEF_QCMD(q)\n', // nothing follows
    ];
    for (const t of kept) expect(endMacroStatements(t)).toBe(t);
  });
});
