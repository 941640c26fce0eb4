/**
 * A semaphore taken and released like a lock deadlocks as a mutex would, but lockdep does not
 * track semaphores: the cycle is reported, and the report says lockdep would not show it (the
 * JSON's `untracked`, a closing line in the lockdep-style block). A mutex cycle says nothing.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';
import { lockLabeler } from '../../src/render/lock-labeler.ts';
import { lockdepReport } from '../../src/render/lockdep-report.ts';

const DIRS = (kind: 'struct semaphore' | 'struct mutex', lock: string, unlock: string): string => `
struct dir_info { ${kind} hash_lock; int n; };
static void lock_dir(struct dir_info *d) { ${lock}(&d->hash_lock); }
static void unlock_dir(struct dir_info *d) { ${unlock}(&d->hash_lock); }
int remove_entry(struct dir_info *dir, struct dir_info *child)
{
	lock_dir(dir);
	lock_dir(child);
	child->n = 0;
	unlock_dir(child);
	unlock_dir(dir);
	return 0;
}
`;

async function inversionsOf(text: string) {
  const r = await analyzeSources([{ path: 'dir.c', text }]);
  return r.json.inversions;
}

describe('cycles through a semaphore used as a lock', () => {
  it('are reported with the semaphore named as untracked by lockdep', async () => {
    const [inv, ...rest] = await inversionsOf(DIRS('struct semaphore', 'down', 'up'));
    expect(rest).toEqual([]);
    expect(inv?.locks).toEqual(['dir_info.hash_lock']);
    expect(inv?.untracked).toEqual(['dir_info.hash_lock']);
    const text = lockdepReport(inv!, lockLabeler([])).join('\n');
    expect(text).toMatch(/\*\*\* DEADLOCK \*\*\*\n[\s\S]*\(dir_info\.hash_lock\) is a semaphore taken and released like a lock: lockdep does not track semaphores/);
  });

  it('say nothing of the kind for a mutex', async () => {
    const [inv] = await inversionsOf(DIRS('struct mutex', 'mutex_lock', 'mutex_unlock'));
    expect(inv?.locks).toEqual(['dir_info.hash_lock']);
    expect(inv?.untracked).toBeUndefined();
    expect(lockdepReport(inv!, lockLabeler([])).join('\n')).not.toContain('semaphore');
  });
});
