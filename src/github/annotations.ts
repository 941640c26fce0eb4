/**
 * Check run annotations for what a pull request adds: for an order edge that closes a cycle, one
 * at the PR's line of it (where a function the PR touches takes the edge's second lock or calls
 * the helper that does; the message carrying the lockdep-style report of
 * the shortest cycle it closes); for a finding of another kind, one at its line with its report.
 * Each annotation reads on its own in the Files tab; one for a cycle of low confidence is a
 * warning, not a failure.
 */
import { lowBecause, lowTag } from '../render/confidence-words.ts';
import { findingReport } from '../render/finding-report.ts';
import { kindNoun } from '../render/finding-words.ts';
import { lockdepNames } from '../render/lockdep-names.ts';
import { lockdepReport } from '../render/lockdep-report.ts';
import { changeBlocks, edgeSite, touchedSet } from '../render/review-changes.ts';
import { reviewLocks } from '../render/review-locks.ts';
import type { Review } from '../review-types.ts';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning';
  title: string;
  message: string;
}

// GitHub caps an annotation message at 64 KB.
const MAX_MESSAGE = 60_000;

/** Annotations for `review`'s added edges and findings, deduplicated, in report order. */
export function changeAnnotations(review: Review): CheckAnnotation[] {
  const out: CheckAnnotation[] = [];
  const seen = new Set<string>();
  const names = lockdepNames(reviewLocks(review), (t) => t);
  // The PR's own line (a call into a helper that takes the lock), so the annotation shows in the diff.
  const touched = touchedSet(review.json);
  const push = (file: string, line: number, key: string, title: string, message: string, level: CheckAnnotation['annotation_level'] = 'failure'): void => {
    if (!file || !Number.isInteger(line) || line < 1 || seen.has(key)) return;
    seen.add(key);
    out.push({ path: file, start_line: line, end_line: line, annotation_level: level, title, message: message.slice(0, MAX_MESSAGE) });
  };
  for (const b of changeBlocks(review.json, 'added')) {
    if (b.type === 'finding') {
      const f = b.finding;
      push(f.file, f.line, `${f.file}:${f.line}:${f.kind}:${f.locks.join(',')}`, `${kindNoun(f.kind)[0]?.toUpperCase()}${kindNoun(f.kind).slice(1)}: ${f.title}`, findingReport(f, names).join('\n'));
      continue;
    }
    const report = lockdepReport(b.cycle, names, { focal: b.focal }).join('\n');
    const longer = b.longer.length > 0 ? `\n\nand ${b.longer.length} longer ${b.longer.length === 1 ? 'cycle' : 'cycles'} through this edge.` : '';
    const why = lowBecause(b.cycle);
    const doubt = why ? `\n\nLow confidence: ${why}.` : '';
    const edges = b.edges.length > 0 ? b.edges : b.cycle.edges;
    for (const e of edges) {
      const site = edgeSite(e, touched);
      if (!site) continue;
      push(site.file, site.line, `${site.file}:${site.line}:${e.from}:${e.to}`, `Lock-order inversion: ${e.to} taken while holding ${e.from}${lowTag(b.cycle)}`, `${report}${longer}${doubt}`, why ? 'warning' : 'failure');
    }
  }
  return out;
}
