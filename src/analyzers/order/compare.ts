/**
 * Before/after comparison of two analyses, like Infer's ReportDiff with introduced/fixed/
 * preexisting: inversions are matched by their set of lock classes, findings of every kind by
 * their key (kind, lock classes, and the function for kinds that happen in one function), never
 * by line numbers, which a patch moves. Added ones carry the patched code's witnesses, removed
 * ones the base's. Also the verdict words of lockscope.review/1 and the outcome of /2.
 */
import type { AnalysisResult } from '../analyze-program.ts';
import type { Finding } from '../checkers/types.ts';
import type { Outcome, Verdict } from '../report-types.ts';
import type { Cycle } from './cycles.ts';
import { chainSteps, type Chain } from '../locks/witness.ts';


export interface OrderDiff {
  added: Cycle[];
  removed: Cycle[];
  unchanged: Cycle[];
}

export interface FindingDiff {
  added: Finding[];
  removed: Finding[];
  unchanged: Finding[];
}

export function compareAnalyses(before: AnalysisResult, after: AnalysisResult): OrderDiff {
  const beforeKeys = new Set(before.cycles.map((c) => c.key));
  const afterKeys = new Set(after.cycles.map((c) => c.key));
  return {
    added: after.cycles.filter((c) => !beforeKeys.has(c.key)),
    removed: before.cycles.filter((c) => !afterKeys.has(c.key)),
    unchanged: after.cycles.filter((c) => beforeKeys.has(c.key)),
  };
}

/**
 * Findings matched by key; for one present on both sides, its paths are compared too: a path
 * the patch adds (another function now takes the lock through a helper while holding it) makes
 * it an added finding marked `newPath`, a path it removes (with others left) a removed one. Paths
 * that only moved (the same lock operations, in renamed or moved functions) leave it unchanged,
 * marked `moved`.
 */
export function compareFindings(before: AnalysisResult, after: AnalysisResult): FindingDiff {
  const beforeByKey = new Map(before.findings.map((f) => [f.key, f]));
  const afterKeys = new Set(after.findings.map((f) => f.key));
  const diff: FindingDiff = { added: [], removed: before.findings.filter((f) => !afterKeys.has(f.key)), unchanged: [] };
  for (const f of after.findings) {
    const old = beforeByKey.get(f.key);
    if (!old) {
      diff.added.push(f);
      continue;
    }
    const change = pathChange(old, f);
    if (!change) diff.unchanged.push(f);
    else if (change.moved) diff.unchanged.push({ ...f, newPath: change });
    else if (change.added.length > 0) diff.added.push({ ...f, newPath: change });
    else diff.removed.push({ ...old, newPath: change });
  }
  return diff;
}

const pathIds = (f: Finding): Map<string, Chain> => {
  const n = f.locks.length;
  return new Map((f.paths ?? []).map((p) => [`${f.locks[p.edge]}>${f.locks[(p.edge + 1) % n]}@${p.path}`, p.chain]));
};

/** A chain's lock operations without where they are: what stays the same when code moves. */
const shapeOf = (c: Chain): string => chainSteps(c).filter((s) => s.op !== 'call').map((s) => `${s.op}:${s.lock ?? ''}`).join(',');

function pathChange(before: Finding, after: Finding): NonNullable<Finding['newPath']> | undefined {
  const b = pathIds(before);
  const a = pathIds(after);
  const added = [...a.keys()].filter((k) => !b.has(k)).sort();
  const removed = [...b.keys()].filter((k) => !a.has(k)).sort();
  if (added.length === 0 && removed.length === 0) return undefined;
  const shapes = (keys: string[], m: Map<string, Chain>): string => keys.map((k) => `${k.slice(0, k.indexOf('@'))}|${shapeOf(m.get(k) as Chain)}`).sort().join(';');
  const moved = added.length === removed.length && shapes(added, a) === shapes(removed, b);
  return { added, removed, ...(moved ? { moved: true } : {}) };
}

export function verdictOf(diff: OrderDiff): Verdict {
  if (diff.added.length > 0 && diff.removed.length > 0) return 'mixed';
  if (diff.added.length > 0) return 'adds-inversion';
  if (diff.removed.length > 0) return 'removes-inversion';
  return 'no-change';
}

export function outcomeOf(diff: FindingDiff): Outcome {
  if (diff.added.length > 0 && diff.removed.length > 0) return 'mixed';
  if (diff.added.length > 0) return 'adds';
  if (diff.removed.length > 0) return 'removes';
  return 'no-change';
}
