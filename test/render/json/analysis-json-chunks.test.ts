/**
 * `analyze --format json` is written in pieces (a whole kernel's JSON exceeds V8's longest
 * string): the pieces must join to exactly the document JSON.stringify would give.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../../src/analyzers/analyze.ts';
import type { ChainStep } from '../../../src/analyzers/report-types.ts';
import { analysisJsonChunks } from '../../../src/render/json/render-json.ts';
import { withWhat } from '../../../src/render/step-text.ts';

const SOURCE = `
struct a { spinlock_t lock; };
struct b { spinlock_t lock; };
static DEFINE_MUTEX(m);
void ab(struct a *x, struct b *y) { spin_lock(&x->lock); spin_lock(&y->lock); spin_unlock(&y->lock); spin_unlock(&x->lock); }
void ba(struct a *x, struct b *y) { spin_lock(&y->lock); spin_lock(&x->lock); spin_unlock(&x->lock); spin_unlock(&y->lock); }
void sleeper(struct a *x) { spin_lock(&x->lock); mutex_lock(&m); mutex_unlock(&m); spin_unlock(&x->lock); }
`;

const isStep = (v: unknown): v is ChainStep => typeof v === 'object' && v !== null && 'op' in v && 'function' in v && 'line' in v && !Array.isArray(v);
const whole = (v: unknown): string => `${JSON.stringify(v, (_k, x: unknown) => (isStep(x) ? withWhat(x) : x), 2)}\n`;

describe('analysisJsonChunks', () => {
  it('joins to the JSON.stringify document, one chunk per array element', async () => {
    const r = await analyzeSources([{ path: 'x.c', text: SOURCE }]);
    expect(r.json.inversions.length).toBeGreaterThan(0);
    expect(r.json.findings.length).toBeGreaterThan(1);
    const chunks = [...analysisJsonChunks(r.json)];
    expect(chunks.join('')).toBe(whole(r.json));
    expect(chunks.length).toBeGreaterThan(r.json.findings.length + r.json.locks.length);
  });

  it('writes empty arrays inline, as JSON.stringify does', async () => {
    const r = await analyzeSources([{ path: 'y.c', text: 'int f(void) { return 0; }\n' }]);
    expect([...analysisJsonChunks(r.json)].join('')).toBe(whole(r.json));
  });
});
