/**
 * A finding keeps its identity across a patch that only changes how its lock is taken: turning
 * spin_lock() into spin_lock_bh() around a sleep neither adds nor removes the sleep-in-atomic
 * finding (it names the lock, not the softirq region the _bh variant also enters).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirTree } from '../src/diff/dir-tree.ts';
import { review } from '../src/review.ts';

const BASE = `static DEFINE_SPINLOCK(rx_lock);

void rx_drain(void)
{
	spin_lock(&rx_lock);
	msleep(1);
	spin_unlock(&rx_lock);
}
`;

const PATCH = `--- a/drivers/rx/rx.c
+++ b/drivers/rx/rx.c
@@ -2,7 +2,7 @@
 
 void rx_drain(void)
 {
-	spin_lock(&rx_lock);
+	spin_lock_bh(&rx_lock);
 	msleep(1);
-	spin_unlock(&rx_lock);
+	spin_unlock_bh(&rx_lock);
 }
`;

describe('finding identity across a change of lock variant', () => {
  it('spin_lock -> spin_lock_bh around a sleep leaves the sleep-in-atomic finding unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-identity-'));
    mkdirSync(join(dir, 'drivers/rx'), { recursive: true });
    writeFileSync(join(dir, 'drivers/rx/rx.c'), BASE);
    const r = await review({ patches: [PATCH], base: new DirTree(dir), context: 'touched' }).finally(() => rmSync(dir, { recursive: true, force: true }));
    const sleeps = (k: 'added' | 'removed' | 'unchanged'): string[] => r.json.findings[k].filter((f) => f.kind === 'sleep-in-atomic').map((f) => `${f.function} ${f.locks.join(',')}`);
    expect(sleeps('added')).toEqual([]);
    expect(sleeps('removed')).toEqual([]);
    expect(sleeps('unchanged')).toEqual(['rx_drain rx_lock']);
    expect(r.json.outcome).toBe('no-change');
  });
});
