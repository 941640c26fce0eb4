/**
 * The baseline file (`.lockscope-baseline.json` at the repository root, or `--baseline FILE`):
 * the findings a tree had when `lockscope baseline write` ran. Later reviews show a finding it
 * records as known (suppressed by the baseline), never drop it. Findings are matched by the key
 * reviews match them by (kind, lock classes, function), so moved code stays known.
 */
import type { AnalysisResult } from '../analyzers/analyze-program.ts';
import { findingJson } from '../analyzers/analysis-json.ts';

export const BASELINE_FILE = '.lockscope-baseline.json';
const SCHEMA = 'lockscope.baseline/1';

export interface BaselineEntry {
  key: string;
  kind: string;
  locks: string[];
  function: string;
  file: string;
  title: string;
}

export interface BaselineFile {
  schema: typeof SCHEMA;
  /** What was analyzed, for a reader: "dir /src/linux (2,310 files)". */
  source: string;
  written: string;
  findings: BaselineEntry[];
}

/** Today's findings of an analysis as a baseline (suppressed ones included: they are known too). */
export function baselineOf(result: AnalysisResult, source: string, now: Date): BaselineFile {
  const findings = result.findings
    .map((f) => {
      const j = findingJson(f, result.names);
      return { key: f.key, kind: f.kind, locks: j.locks, function: f.function, file: f.file, title: j.title };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { schema: SCHEMA, source, written: now.toISOString(), findings };
}

/** The keys a baseline file records; a clear error for anything that is not one. */
export function parseBaseline(text: string, where: string): { ok: true; keys: Set<string> } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `${where}: not JSON (${(err as Error).message})` };
  }
  const file = data as Partial<BaselineFile> | null;
  if (!file || typeof file !== 'object' || file.schema !== SCHEMA || !Array.isArray(file.findings)) {
    return { ok: false, reason: `${where}: not a lockscope baseline (expected "schema": "${SCHEMA}" and a findings list)` };
  }
  const keys = new Set<string>();
  for (const f of file.findings) if (f && typeof f === 'object' && typeof f.key === 'string') keys.add(f.key);
  return { ok: true, keys };
}
