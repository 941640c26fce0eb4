/** A step in words: a lock or region the caller holds, a region entered, by either spelling of the region. */
import { describe, expect, it } from 'vitest';
import type { ChainStep } from '../../src/analyzers/report-types.ts';
import { stepText } from '../../src/render/step-text.ts';

const hold = (lock: string): ChainStep => ({ function: 'nic_xmit', file: 'nic.c', line: 3, op: 'hold', lock, via: 'net_device_ops.ndo_start_xmit' });

describe('a step the caller holds', () => {
  it('names the lock and the member the function was called as', () => {
    expect(stepText(hold('rtnl_mutex'))).toBe('runs with rtnl_mutex held (called as net_device_ops.ndo_start_xmit)');
  });
  it('says a region in words, as the analysis names it and as the JSON does', () => {
    expect(stepText(hold('@softirq-off'))).toBe('runs with softirqs disabled (called as net_device_ops.ndo_start_xmit)');
    expect(stepText(hold('softirqs-disabled'))).toBe('runs with softirqs disabled (called as net_device_ops.ndo_start_xmit)');
    expect(stepText(hold('irqs-disabled'))).toBe('runs with hardirqs disabled (called as net_device_ops.ndo_start_xmit)');
  });
});

describe('a step that enters a region', () => {
  const enters = (lock: string): ChainStep => ({ function: 'sd_lock', file: 'sd.c', line: 9, op: 'irq-off', lock });
  it('says which, as the analysis names it and as the JSON does', () => {
    expect(stepText(enters('@softirq-off'))).toBe('disables softirqs');
    expect(stepText(enters('softirqs-disabled'))).toBe('disables softirqs');
    expect(stepText(enters('preemption-disabled'))).toBe('disables preemption');
    expect(stepText(enters('irqs-disabled'))).toBe('disables hardirqs');
  });
});
