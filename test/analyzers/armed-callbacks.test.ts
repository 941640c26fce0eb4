import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';

// A watchdog self-test: two work functions take two locks in opposite orders on purpose. Their
// items are initialised in the module's init, which runs; only the trigger queues them.
const selfTest = (trigger: string): string => `
static spinlock_t tst_a;
static spinlock_t tst_b;
static struct work_struct w_a;
static struct work_struct w_b;

static void lock_ab(struct work_struct *w)
{
	spin_lock(&tst_a);
	spin_lock(&tst_b);
	spin_unlock(&tst_b);
	spin_unlock(&tst_a);
}

static void lock_ba(struct work_struct *w)
{
	spin_lock(&tst_b);
	spin_lock(&tst_a);
	spin_unlock(&tst_a);
	spin_unlock(&tst_b);
}

${trigger}

static int __init tst_init(void)
{
	spin_lock_init(&tst_a);
	spin_lock_init(&tst_b);
	INIT_WORK(&w_a, lock_ab);
	INIT_WORK(&w_b, lock_ba);
	return 0;
}
module_init(tst_init);

static void __exit tst_exit(void)
{
	cancel_work_sync(&w_a);
	cancel_work_sync(&w_b);
}
module_exit(tst_exit);
`;

const queueing = `int tst_deadlock(void)
{
	queue_work_on(0, system_wq, &w_a);
	queue_work_on(1, system_wq, &w_b);
	return 0;
}`;

async function inversions(source: string, neverCalled: string[] = []): Promise<string[][]> {
  const { json } = await analyzeSources([{ path: 'tst.c', text: source }], { neverCalled });
  return json.inversions.map((i) => [...i.locks].sort());
}

describe('work items armed only by code that never runs', () => {
  it('a work function whose item only a function nothing calls queues never runs', async () => {
    expect(await inversions(selfTest(queueing), ['tst_deadlock'])).toEqual([]);
  });

  it('the same work functions run once a live caller may queue them', async () => {
    expect(await inversions(selfTest(queueing))).toEqual([['tst_a', 'tst_b']]);
  });

  it('an item handed to a helper of the driver may be armed there', async () => {
    const viaHelper = `extern void tst_kick(struct work_struct *w);\nint tst_deadlock(void)\n{\n\ttst_kick(&w_a);\n\ttst_kick(&w_b);\n\treturn 0;\n}\nvoid tst_poke(void) { tst_kick(&w_a); tst_kick(&w_b); }`;
    expect(await inversions(selfTest(viaHelper), ['tst_deadlock'])).toEqual([['tst_a', 'tst_b']]);
  });

  it('a cancel or a flush arms nothing: items only ever cancelled never run', async () => {
    expect(await inversions(selfTest('void tst_stop(void) { cancel_work(&w_a); flush_work(&w_b); }'))).toEqual([]);
  });
});
