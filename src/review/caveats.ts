/**
 * The bounds and blind spots of an analysis that matter to one patch (issue 12): entries of the
 * analyses' `skipped` list inside a function the patch touches (a lock lockscope could not name,
 * a call through a pointer it did not follow, a loop that did not settle, code it could not
 * parse), and the whole-program bounds (cycle enumeration) when the patch changes the lock order,
 * since a bounded enumeration may hide a cycle through the patch's own edges. Nothing about code
 * the patch does not touch. Pure.
 */
import type { AnalysisResult } from '../analyzers/analyze-program.ts';
import type { CaveatJson, TouchedFunctionJson } from '../review-types.ts';

type Range = { file: string; line: number; endLine: number };

function touchedRanges(analysis: AnalysisResult, functions: readonly TouchedFunctionJson[]): Range[] {
  const out: Range[] = [];
  for (const f of functions) for (const at of analysis.functionsAt.get(f.name) ?? []) if (at.file === f.file) out.push(at);
  return out;
}

/** Caveats from the analysis after the patch first, then those only the base has; each reason once per file. */
export function caveatsFor(before: AnalysisResult, after: AnalysisResult, functions: readonly TouchedFunctionJson[], ordersChanged: boolean): CaveatJson[] {
  const out: CaveatJson[] = [];
  const seen = new Set<string>();
  for (const a of [after, before]) {
    const ranges = touchedRanges(a, functions);
    for (const s of a.json.skipped) {
      const whole = s.file === '' && s.line === 0;
      const inside = ranges.some((r) => r.file === s.file && s.line >= r.line && s.line <= r.endLine);
      if (!(inside || (whole && ordersChanged))) continue;
      const key = `${s.file}\u0000${s.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ file: s.file, line: s.line, reason: s.reason });
    }
  }
  return out;
}
