/**
 * The `json` renderer: exactly the lockscope.review/2 document (analysis/1 for `analyze`),
 * two-space indented, one trailing newline. Witness steps are structured; each also gets the
 * `what` sentence /1 promised ("acquires device_domain_lock"). Nothing is reordered; tools parse
 * this, people read the other formats.
 */
import type { AnalysisJson, ChainStep } from '../../analyzers/report-types.ts';
import type { Review } from '../../review-types.ts';
import { withWhat } from '../step-text.ts';

const isStep = (v: unknown): v is ChainStep => typeof v === 'object' && v !== null && 'op' in v && 'function' in v && 'line' in v && !Array.isArray(v);

function replacer(_key: string, value: unknown): unknown {
  return isStep(value) ? withWhat(value) : value;
}

/** Review -> its JSON document + "\n". */
export function renderJson(review: Review): string {
  return `${JSON.stringify(review.json, replacer, 2)}\n`;
}

/** `lockscope analyze --format json`. */
export function renderAnalysisJson(json: AnalysisJson): string {
  return `${JSON.stringify(json, replacer, 2)}\n`;
}
