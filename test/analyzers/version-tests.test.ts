/**
 * `#if LINUX_VERSION_CODE ...` decided for the kernel tree's version (c/version-tests.ts): a
 * directive on version comparisons alone becomes `#if 1`/`#if 0` of the same length; one that
 * also names another macro stays as written.
 */
import { describe, expect, it } from 'vitest';
import { chooseParseableBranches } from '../../src/analyzers/c/conditional-branches.ts';
import { foldVersionTests, kernelVersion } from '../../src/analyzers/c/version-tests.ts';

const V3_0_36 = kernelVersion(3, 0, 36);

describe('version tests', () => {
  it('decides comparisons either way round, joined by && || ! and parentheses', () => {
    const text = [
      '#if LINUX_VERSION_CODE <= KERNEL_VERSION(2,6,25)',
      '#elif (LINUX_VERSION_CODE >= KERNEL_VERSION(3, 0, 0)) && !(KERNEL_VERSION(3,4,0) <= LINUX_VERSION_CODE)',
      '#if LINUX_VERSION_CODE > KERNEL_VERSION(2,6,39) /* new API */',
      '#if defined(CONFIG_PM) && LINUX_VERSION_CODE > KERNEL_VERSION(2,6,39)',
      '#ifdef LINUX_VERSION_CODE',
      '',
    ].join('\n');
    const folded = foldVersionTests(text, V3_0_36).split('\n');
    expect(folded.map((l) => l.trim())).toEqual(['#if 0', '#elif 1', '#if 1', '#if defined(CONFIG_PM) && LINUX_VERSION_CODE > KERNEL_VERSION(2,6,39)', '#ifdef LINUX_VERSION_CODE', '']);
    // Lines and columns stay.
    expect(folded.map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
  });

  it('with the old branch off, the loop header for the block after the group is the new one', () => {
    const src = 'void f(struct t *t)\n{\n#if LINUX_VERSION_CODE <= KERNEL_VERSION(2,6,25)\n\tread_lock(&l);\n\tsk_for_each(sk, node, t->chain)\n#else\n\tspin_lock(&t->lock);\n\tsk_nulls_for_each(sk, node, &t->head)\n#endif\n\t{\n\t\tcontinue;\n\t}\n}\n';
    const { text } = chooseParseableBranches(foldVersionTests(src, V3_0_36));
    expect(text.replace(/\s+/g, ' ').trim()).toBe('void f(struct t *t) { spin_lock(&t->lock); sk_nulls_for_each(sk, node, &t->head) { continue; } }');
  });
});
