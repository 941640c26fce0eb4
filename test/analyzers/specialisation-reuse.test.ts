/**
 * A specialised summary (a callee analysed for the constants a caller passes) is computed once
 * and reused wherever it is asked for again, however deep: recomputing it whenever it is asked
 * from nearer the top made a ladder of wrappers cost n^2 analyses, and a file system's B-tree
 * code (a 196-function recursive cycle under its transaction commit) two minutes.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';

/**
 * step_i(locked) takes m_i if locked, calls wrap_{i+1}(locked), which calls step_{i+1}(locked),
 * then step_{i+1}(locked) directly; only top() passes a constant, so every specialisation is
 * first asked for from below the one that asks for it again.
 */
function ladder(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i <= n; i++) lines.push(`static DEFINE_MUTEX(m${i});`);
  lines.push(`void step${n}(int locked) { if (locked) mutex_lock(&m${n}); if (locked) mutex_unlock(&m${n}); }`);
  for (let i = n - 1; i >= 0; i--) {
    lines.push(`static void wrap${i + 1}(int locked) { step${i + 1}(locked); }`);
    lines.push(`void step${i}(int locked)`, '{', `\tif (locked) mutex_lock(&m${i});`, `\twrap${i + 1}(locked);`, `\tstep${i + 1}(locked);`, `\tif (locked) mutex_unlock(&m${i});`, '}');
  }
  lines.push('void top(void) { step0(1); }');
  return `${lines.join('\n')}\n`;
}

describe('specialised summaries', () => {
  it('are computed once per key, not again each time one is asked for from nearer the top', async () => {
    const n = 30;
    const result = await analyzeSources([{ path: 'ladder.c', text: ladder(n) }]);
    // Every order of the ladder is still seen: m0 before m1 .. m30 through the specialisations.
    const edges = result.json.edges.map((e) => `${e.from} -> ${e.to}`);
    expect(edges).toContain('m0 -> m1');
    expect(edges).toContain(`m0 -> m${n}`);
    expect(edges).toContain(`m${n - 1} -> m${n}`);
    // Per rung a few analyses (generic, for the constant, for the value the path learnt): a
    // number per rung, not one that grows with the rungs above it (recomputed, 1,203 here).
    expect(result.stats.analyses).toBeLessThanOrEqual(10 * n);
  });
});
