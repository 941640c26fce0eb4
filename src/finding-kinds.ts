/**
 * The kinds of finding a review reports, and how a configuration file turns some off
 * (`.github/lockscope.yml`, the mail bot's config): either a mapping of kind to true/false
 * (`kinds: { sleep-in-atomic: false }`, unnamed kinds stay on) or the list of kinds to keep
 * (`kinds: [inversion, recursive]`). Validated like `lockFunctions`: each problem is a sentence
 * naming the entry. It decides nothing about findings; review() filters by the result.
 */
import type { FindingKind } from './analyzers/report-types.ts';

/** Every kind, in the order reports list them. */
export const ALL_KINDS: readonly FindingKind[] = [
  'inversion',
  'recursive',
  'irq-inconsistent',
  'irq-inversion',
  'sleep-in-atomic',
  'lock-leak',
  'held-lock-freed',
  'flush-under-lock',
  'reclaim-under-lock',
  'assert-not-held',
  'bad-unlock-balance',
];

export type KindsResult = { ok: true; value: FindingKind[] } | { ok: false; problems: string[] };

const isKind = (v: unknown): v is FindingKind => typeof v === 'string' && (ALL_KINDS as readonly string[]).includes(v);

/**
 * `{ sleep-in-atomic: false }` -> every kind but sleep-in-atomic; `[inversion]` -> [inversion];
 * absent -> every kind.
 */
export function parseKinds(raw: unknown, where = 'kinds'): KindsResult {
  if (raw === undefined || raw === null) return { ok: true, value: [...ALL_KINDS] };
  const known = `known kinds: ${ALL_KINDS.join(', ')}`;
  if (Array.isArray(raw)) {
    const problems = raw.flatMap((k, i) => (isKind(k) ? [] : [`\`${where}[${i}]\` is not a kind of finding (${known})`]));
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, value: ALL_KINDS.filter((k) => raw.includes(k)) };
  }
  if (typeof raw !== 'object') return { ok: false, problems: [`\`${where}\` must be a mapping of kind to true/false, or a list of kinds`] };
  const problems: string[] = [];
  const off = new Set<string>();
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!isKind(k)) problems.push(`unknown kind \`${where}.${k}\` (${known})`);
    else if (typeof v !== 'boolean') problems.push(`\`${where}.${k}\` must be true or false`);
    else if (!v) off.add(k);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: ALL_KINDS.filter((k) => !off.has(k)) };
}
