/**
 * A fixpoint stopped at its round cap leaves the analysis of that function incomplete: it is
 * reported in `skipped` with the function, never silent (as cycle enumeration's bound is). The
 * cap is lowered here so small programs hit it; real code hits the default on long loops.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';

const loop = {
  path: 'loop.c',
  text: [
    'static DEFINE_SPINLOCK(a);',
    'int more(void);',
    'void drain(void)',
    '{',
    '\twhile (more()) {',
    '\t\tspin_lock(&a);',
    '\t}',
    '}',
    '',
  ].join('\n'),
};

const labels = {
  path: 'labels.c',
  text: [
    'static DEFINE_SPINLOCK(a);',
    'int more(void);',
    'void retry(void)',
    '{',
    'again:',
    '\tif (more()) {',
    '\t\tspin_lock(&a);',
    '\t\tgoto again;',
    '\t}',
    '}',
    '',
  ].join('\n'),
};

describe('fixpoint caps', () => {
  it('a loop that has not settled after its rounds is reported with its function', async () => {
    const capped = await analyzeSources([loop], { maxRounds: 1 });
    expect(capped.json.skipped.map((s) => s.reason)).toContain('a loop in drain() did not settle in 1 rounds; the analysis of it may be incomplete');
    const settled = await analyzeSources([loop]);
    expect(settled.json.skipped).toEqual([]);
  });

  it('goto labels that have not settled are reported too', async () => {
    const capped = await analyzeSources([labels], { maxRounds: 1 });
    expect(capped.json.skipped.some((s) => s.reason.startsWith('the goto labels in retry() did not settle'))).toBe(true);
    expect((await analyzeSources([labels])).json.skipped).toEqual([]);
  });
});
