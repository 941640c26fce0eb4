/**
 * The SARIF fingerprint of an inversion: a sha256 over its set of lock classes, so code scanning
 * keeps one alert for "A <-> B" while lines move, functions are renamed or the cycle is found
 * from another entry point. It is the same key compare.ts uses (the class set), hashed.
 */
import { createHash } from 'node:crypto';

/** ["intel_iommu.lock", "device_domain_lock"] -> sha256("device_domain_lock\nintel_iommu.lock") in hex. */
export function inversionFingerprint(locks: readonly string[]): string {
  const set = [...new Set(locks)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(set.join('\n'), 'utf8').digest('hex');
}
