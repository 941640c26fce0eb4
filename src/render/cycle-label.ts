/**
 * The short name of a lock-order inversion used in sentences and tables: "A <-> B" for the
 * classic AB-BA pair, "A -> B -> C -> A" for longer cycles and "A -> A" for recursive locking.
 * It names the cycle only; the evidence is lockdep-report.ts.
 */
import type { InversionJson } from '../analyzers/report-types.ts';
import type { RenderStyle } from './render-style.ts';

/** ["device_domain_lock", "intel_iommu.lock"] -> "device_domain_lock <-> intel_iommu.lock". */
export function cycleLabel(inversion: InversionJson, style: Pick<RenderStyle, 'lock' | 'pair' | 'step'>): string {
  const names = inversion.locks.map(style.lock);
  if (names.length === 0) return '(empty cycle)';
  if (names.length === 2) return names.join(style.pair);
  return [...names, names[0]].join(style.step);
}
