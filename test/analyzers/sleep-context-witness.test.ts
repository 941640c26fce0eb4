/**
 * A hardirq callback that reaches a sleep two ways: one behind `if (in_interrupt()) return;`,
 * which that context never passes, and one unguarded. The finding stands, and its witness is the
 * unguarded way: the guarded one must not lose its test by meeting the other in the summary.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';

const SOURCE = `
static int send_msg(int ch)
{
	if (unlikely(in_interrupt() || in_atomic()))
		return -1;
	msleep(100);
	return 0;
}

static void do_reset(void)
{
	msleep(5);
}

static irqreturn_t wdt_isr(int irq, void *data)
{
	send_msg(1);
	if (data)
		do_reset();
	return IRQ_HANDLED;
}

static irqreturn_t msg_isr(int irq, void *data)
{
	send_msg(2);
	return IRQ_HANDLED;
}

int hw_init(void *md)
{
	request_irq(5, wdt_isr, 0, "wdt", md);
	return request_irq(6, msg_isr, 0, "msg", md);
}
`;

describe('a sleep behind a context test, beside an unguarded one', () => {
  it('reports the hardirq callback with the unguarded witness, and not the one that reaches only the guarded sleep', async () => {
    const { json } = await analyzeSources([{ path: 'wdt.c', text: SOURCE }]);
    const sleeps = json.findings.filter((f) => f.kind === 'sleep-in-atomic');
    expect(sleeps.map((f) => f.function)).toEqual(['wdt_isr']);
    const witness = JSON.stringify(sleeps[0]?.evidence[1]);
    expect(witness).toContain('do_reset');
    expect(witness).not.toContain('send_msg');
  });
});
