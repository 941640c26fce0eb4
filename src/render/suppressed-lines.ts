/**
 * What a review shows but does not count: added findings a `lockscope_safe_order` annotation in
 * the code or the repository's baseline file marks as known. One line each, with who suppressed
 * it and where, so a maintainer can check the justification rather than trust a silence.
 */
import type { FindingJson, InversionJson, SuppressionJson } from '../analyzers/report-types.ts';
import type { ReviewJson } from '../review-types.ts';
import { cycleLabel } from './cycle-label.ts';
import { findingPhrase } from './finding-words.ts';
import type { RenderStyle } from './render-style.ts';
import { inversionKey } from '../analyzers/analysis-json.ts';

function byWhom(s: SuppressionJson, text: (x: string) => string): string {
  if (s.by === 'baseline') return 'known in the baseline file';
  const at = s.file ? ` at ${text(s.file)}${s.line ? `:${s.line}` : ''}` : '';
  return `annotated safe${at}${s.reason ? `: ${text(s.reason)}` : ''}`;
}

/** One line per suppressed added inversion or finding (an inversion listed once, either way). */
export function suppressedLines(json: Pick<ReviewJson, 'inversions' | 'findings'>, style: RenderStyle): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const invs: readonly InversionJson[] = json.inversions?.added ?? [];
  for (const inv of invs) {
    if (!inv.suppressed) continue;
    seen.add(inversionKey(inv.locks));
    out.push(`${cycleLabel(inv, style)} (${byWhom(inv.suppressed, style.text)})`);
  }
  const fs: readonly FindingJson[] = json.findings?.added ?? [];
  for (const f of fs) {
    if (!f.suppressed || seen.has(inversionKey(f.locks))) continue;
    out.push(`${findingPhrase(f, style)} (${byWhom(f.suppressed, style.text)})`);
  }
  return out;
}
