/**
 * The `json` renderer: exactly the lockscope.review/1 document, two-space indented, one trailing
 * newline. Nothing is added or reordered; tools parse this, people read the other formats.
 */
import type { Review } from '../../review-types.ts';

/** Review -> JSON.stringify(review.json, null, 2) + "\n". */
export function renderJson(review: Review): string {
  return `${JSON.stringify(review.json, null, 2)}\n`;
}
