/**
 * Check run annotations for the inversions a pull request adds: one at each line that acquires
 * the second lock of an order edge of the cycle, the message carrying the lockdep-style chain
 * so the annotation reads on its own in the Files tab.
 */
import type { InversionJson } from '../analyzers/report-types.ts';
import type { Review } from '../review-types.ts';
import { stepText } from '../render/step-text.ts';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure';
  title: string;
  message: string;
}

/** Annotations for `review`'s added inversions, deduplicated, in report order. */
export function inversionAnnotations(review: Review): CheckAnnotation[] {
  const out: CheckAnnotation[] = [];
  const seen = new Set<string>();
  for (const inv of review.json.inversions.added) {
    for (const edge of inv.edges) {
      const site = edge.chain[edge.chain.length - 1];
      if (!site || !site.file || !Number.isInteger(site.line) || site.line < 1) continue;
      const key = `${site.file}:${site.line}:${edge.from}:${edge.to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        path: site.file,
        start_line: site.line,
        end_line: site.line,
        annotation_level: 'failure',
        title: `Lock-order inversion: ${edge.to} taken while holding ${edge.from}`,
        message: chainMessage(inv, edge.from, edge.to),
      });
    }
  }
  return out;
}

/**
 *   possible circular locking dependency: a.lock --> b.lock --> a.lock
 *   a.lock -> b.lock:
 *     drivers/x.c:10 f: acquires a.lock
 *     drivers/x.c:12 f: acquires b.lock
 *   b.lock -> a.lock: ...
 */
function chainMessage(inv: InversionJson, from: string, to: string): string {
  const lines = [`possible circular locking dependency, this pull request takes ${to} while holding ${from}.`];
  lines.push(`Chain exists of: ${[...inv.locks, inv.locks[0]].join(' --> ')}`);
  for (const e of inv.edges) {
    lines.push('', `${e.from} -> ${e.to}:`);
    for (const s of e.chain) lines.push(`  ${s.file}:${s.line} ${s.function}: ${stepText(s)}`);
  }
  // GitHub caps an annotation message at 64 KB.
  return lines.join('\n').slice(0, 60_000);
}
