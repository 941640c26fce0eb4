/**
 * Which functions get a summary for a caller in a context they ask about (`in_interrupt()`):
 * every caller, transitively, of one that asks, also past the callers the call graph keeps for
 * witnesses of a hub (a send path every command of a driver goes through).
 */
import { describe, expect, it } from 'vitest';
import { buildCallGraph, MAX_CALLERS_KEPT } from '../../src/analyzers/c/call-graph.ts';
import { buildCatalogue } from '../../src/analyzers/locks/catalogue.ts';
import { heldQueries } from '../../src/analyzers/locks/held-queries.ts';
import { LockClasses } from '../../src/analyzers/locks/lock-classes.ts';
import { entryOf, programOf } from './c-snippets.ts';

describe('context queries asked below', () => {
  it('reach the callers of every caller of a hub that asks', async () => {
    const commands = Array.from({ length: MAX_CALLERS_KEPT + 6 }, (_, i) => `int cmd_${i}(struct link *l)\n{\n\treturn link_send(l, ${i});\n}\n`);
    const program = await programOf({
      'drivers/x/send.c': [
        'struct link { wait_queue_head_t wq; int credit; };',
        'int link_send(struct link *l, int cmd)',
        '{',
        '\tif (!in_interrupt())',
        '\t\twait_event_interruptible_timeout(l->wq, l->credit > 0, 100);',
        '\treturn cmd;',
        '}',
        ...commands,
        `void suspend(struct link *l)\n{\n\tcmd_${MAX_CALLERS_KEPT + 5}(l);\n}\n`,
      ].join('\n'),
    });
    const catalogue = buildCatalogue();
    const asked = heldQueries(program, new LockClasses(program), catalogue, buildCallGraph(program, catalogue));
    expect([...(asked?.get(entryOf(program, `cmd_${MAX_CALLERS_KEPT + 5}`).id) ?? [])]).toEqual(['@softirq-off']);
    expect([...(asked?.get(entryOf(program, 'suspend').id) ?? [])]).toEqual(['@softirq-off']);
  });
});
