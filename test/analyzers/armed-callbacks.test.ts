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

async function inversions(source: string, neverCalled: string[] = [], structsOnlyHere: string[] = []): Promise<string[][]> {
  const { json } = await analyzeSources([{ path: 'tst.c', text: source }], { neverCalled, structsOnlyHere });
  return json.inversions.map((i) => [...i.locks].sort());
}

describe('work items armed only by code that never runs', () => {
  it('a work function whose item only a function nothing calls queues never runs', async () => {
    expect(await inversions(selfTest(queueing), ['tst_deadlock'])).toEqual([]);
    const { json } = await analyzeSources([{ path: 'tst.c', text: selfTest(queueing) }], { neverCalled: ['tst_deadlock'] });
    expect(json.skipped.map((s) => s.reason)).toContain('lock_ab() runs nowhere: only dead code queues or arms the work, timer or tasklet it is registered on (or nothing does); its locks are left out');
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

// A touch driver's reset: with `rebuild` it only queues a rebuild work, which re-probes under
// the init mutex and then takes the reset mutex; without, it takes the reset mutex, then the
// init mutex. Every caller, directly or through the struct's reset member, passes false.
const rebuild = (flag: string) => `
struct ts_data {
	struct mutex reset_mutex;
	struct mutex init_mutex;
	struct delayed_work rb_work;
	struct workqueue_struct *rb_wq;
	int (*reset_device)(struct ts_data *d, bool rebuild);
};

static void ts_rebuild_work(struct work_struct *work)
{
	struct ts_data *d = container_of(work, struct ts_data, rb_work.work);

	mutex_lock(&d->init_mutex);
	mutex_lock(&d->reset_mutex);
	mutex_unlock(&d->reset_mutex);
	mutex_unlock(&d->init_mutex);
}

static int ts_reset_device(struct ts_data *d, bool rebuild)
{
	if (rebuild) {
		queue_delayed_work(d->rb_wq, &d->rb_work, 10);
		return 0;
	}
	mutex_lock(&d->reset_mutex);
	mutex_lock(&d->init_mutex);
	mutex_unlock(&d->init_mutex);
	mutex_unlock(&d->reset_mutex);
	return 0;
}

int ts_probe(struct ts_data *d)
{
	INIT_DELAYED_WORK(&d->rb_work, ts_rebuild_work);
	d->reset_device = ts_reset_device;
	return ts_reset_device(d, false);
}

int ts_fw_update(struct ts_data *d)
{
	return d->reset_device(d, ${flag});
}

void ts_remove(struct ts_data *d)
{
	cancel_delayed_work_sync(&d->rb_work);
}
`;

describe('work items armed only where every caller says not to', () => {
  it('a member work queued only under a parameter every caller passes false for never runs', async () => {
    expect(await inversions(rebuild('false'), [], ['ts_data'])).toEqual([]);
  });

  it('one call through the member passing true queues it', async () => {
    expect(await inversions(rebuild('true'), [], ['ts_data'])).toEqual([['ts_data.init_mutex', 'ts_data.reset_mutex']]);
  });

  it('a struct the tree names outside the program may be armed or called there: nothing is concluded', async () => {
    expect(await inversions(rebuild('false'))).toEqual([['ts_data.init_mutex', 'ts_data.reset_mutex']]);
  });
});

// dev_reset() is called directly and through d->reset, always with hard = false: its hard
// branch, which takes the bus lock under the config lock, orders nothing, where no file outside
// the program names struct dev.
const throughMember = `struct dev {
	struct mutex cfg_lock;
	struct mutex bus_lock;
	int (*reset)(struct dev *d, bool hard);
	int state;
};

static int dev_reset(struct dev *d, bool hard)
{
	mutex_lock(&d->cfg_lock);
	if (hard) {
		mutex_lock(&d->bus_lock);
		d->state = 0;
		mutex_unlock(&d->bus_lock);
	}
	mutex_unlock(&d->cfg_lock);
	return 0;
}

int dev_probe(struct dev *d)
{
	d->reset = dev_reset;
	return dev_reset(d, false);
}

int dev_write(struct dev *d, int v)
{
	mutex_lock(&d->bus_lock);
	d->reset(d, false);
	d->state = v;
	mutex_unlock(&d->bus_lock);
	return 0;
}
`;

describe('what every call through a stored function\'s member passes', () => {
  it('seeds the function\'s analysis, as for a function only called directly', async () => {
    const { json } = await analyzeSources([{ path: 'dev.c', text: throughMember }], { structsOnlyHere: ['dev'] });
    expect(json.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual(['dev.bus_lock -> dev.cfg_lock']);
    expect(json.inversions).toEqual([]);
  });

  it('not where the struct is named outside the program', async () => {
    const { json } = await analyzeSources([{ path: 'dev.c', text: throughMember }]);
    expect(json.inversions.map((i) => [...i.locks].sort())).toEqual([['dev.bus_lock', 'dev.cfg_lock']]);
  });
});
