/**
 * The terminal output of `lockscope analyze`: a summary line, every inversion as a lockdep-style
 * report (those of high confidence; those of low confidence one line each, saying why, unless
 * `--all` asks for their reports too), every finding of the other kinds in the layout of the report it mirrors (sleeping in
 * atomic context, context imbalance, irq state), then what the analyzer skipped (so a clean
 * result over half-parsed code is not taken for a clean bill of health). `--format json` is the
 * AnalysisJson itself, not this.
 */
import type { AnalysisJson, InversionJson } from '../../analyzers/report-types.ts';
import { confidenceSuffix, highFirst, isLow, lowBecause } from '../confidence-words.ts';
import { cycleLabel } from '../cycle-label.ts';
import { findingReport } from '../finding-report.ts';
import { lockdepNames } from '../lockdep-names.ts';
import { lockdepReport } from '../lockdep-report.ts';
import { oneLine } from '../one-line.ts';
import { plainStyle } from '../render-style.ts';

/** A cycle of a tree analysed by directory whose orders several directories make: which. */
const acrossLine = (inv: InversionJson): string[] =>
  inv.acrossDirectories ? [`across directories: ${inv.acrossDirectories.map((d) => oneLine(d)).join(', ')} (no one directory's analysis makes it)`] : [];

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * AnalysisJson -> "lockscope: 2 files, 14 functions, 3 lock classes, 4 edges, 1 inversion\n...".
 * Inversions of low confidence are one line each, their reasons given, unless `all`.
 */
export function renderAnalysisText(analysis: AnalysisJson, options: { all?: boolean } = {}): string {
  const style = plainStyle(analysis.locks ?? []);
  const names = lockdepNames(analysis.locks ?? []);
  const inversions = highFirst(analysis.inversions ?? []);
  const low = inversions.filter(isLow).length;
  const skipped = analysis.skipped ?? [];
  // Inversions and recursions are the inversions above; suppressed findings are judged safe.
  const others = (analysis.findings ?? []).filter((f) => f.kind !== 'inversion' && f.kind !== 'recursive' && !f.suppressed);
  const out = [
    `lockscope: ${count(analysis.files, 'file')}, ${count(analysis.functions, 'function')}, ${count((analysis.locks ?? []).length, 'lock class', 'lock classes')}, ${count((analysis.edges ?? []).length, 'edge')}, ${count(inversions.length, 'inversion')}${low ? ` (${low} of low confidence)` : ''}${others.length ? `, ${count(others.length, 'other finding')}` : ''}`,
    ...(analysis.config ? [`configuration: ${oneLine(analysis.config)}`] : []),
    '',
  ];
  if (inversions.length === 0) out.push('No lock-order inversion found.', '');
  const full = options.all ? inversions : inversions.filter((inv) => !isLow(inv));
  full.forEach((inv, i) => {
    out.push(`Inversion ${i + 1} of ${inversions.length}: ${cycleLabel(inv, style)}${confidenceSuffix(inv)}`, ...acrossLine(inv), '', ...lockdepReport(inv, names), '');
  });
  if (full.length < inversions.length) {
    out.push(`Of low confidence (${low}), by name (\`lockscope analyze --all\` prints their reports):`);
    for (const inv of inversions.filter(isLow)) out.push(`  ${cycleLabel(inv, style)}: ${lowBecause(inv)}${inv.acrossDirectories ? `; across ${inv.acrossDirectories.map((d) => oneLine(d)).join(', ')}` : ''}`);
    out.push('');
  }
  others.forEach((f, i) => {
    out.push(`Finding ${i + 1} of ${others.length} (${f.kind}): ${oneLine(f.title)}`, '', ...findingReport(f, names), '');
  });
  if (skipped.length > 0) {
    out.push(`Skipped (${skipped.length}), not analyzed:`);
    for (const s of skipped) out.push(`  ${oneLine(s.file)}:${s.line}: ${oneLine(s.reason)}`);
    out.push('');
  }
  return out.join('\n');
}
