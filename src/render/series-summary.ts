/**
 * A series patch by patch, for the cover-letter reply and the series tables: what each patch
 * changes, and where something one patch introduces a later one takes away again (issue 12):
 *   "1/3 adds cfg_lock -> tbl_lock, closing cfg_lock <-> tbl_lock"
 *   "3/3 removes cfg_lock -> tbl_lock again"
 *   "cfg_lock -> tbl_lock: introduced in 1/3, fixed by 3/3"
 *   "The series as a whole does not change the lock order: it is clean."
 * Order changes are named by their edges, other findings by their phrase. Words only.
 */
import type { FindingJson } from '../analyzers/report-types.ts';
import { reviewOutcome } from '../review-outcome.ts';
import type { ReviewJson } from '../review-types.ts';
import { cycleLabel } from './cycle-label.ts';
import { findingPhrase } from './finding-words.ts';
import type { RenderStyle } from './render-style.ts';
import { changeBlocks, type Block, type Change } from './review-changes.ts';
import { changePhrase } from './verdict-sentence.ts';

/** What one item of a patch is, across the series: an edge by its classes, a finding by kind, classes and function. */
function itemKey(b: Block): string {
  if (b.type === 'finding') return `${b.finding.kind}:${b.finding.locks.join(',')}:${b.finding.function}`;
  const e = b.edges[0];
  if (e && b.path) return `path:${e.from}>${e.to}@${e.chain[0]?.function ?? ''}>${e.chain[e.chain.length - 1]?.function ?? ''}`;
  return e ? `edge:${e.from}>${e.to}` : `cycle:${[...b.cycle.locks].sort().join(',')}`;
}

function itemWords(b: Block, style: RenderStyle, again: boolean): string {
  const verb = b.change === 'added' ? 'adds' : 'removes';
  if (b.type === 'finding') return `${verb} ${findingPhrase(b.finding as FindingJson, style)}${again ? ' again' : ''}`;
  const e = b.edges[0];
  const cycle = b.cycle.locks.length === 1 ? `the recursive locking of ${style.lock(b.cycle.locks[0] ?? '')}` : cycleLabel(b.cycle, style);
  if (!e) return `${verb} the lock-order inversion ${cycle}${again ? ' again' : ''}`;
  const edge = `${style.lock(e.from)}${style.step}${style.lock(e.to)}`;
  if (again) return `${verb} ${edge} again`;
  if (b.path) return `${verb} a path ${edge} to ${cycle}`;
  return `${verb} ${edge}, ${b.change === 'added' ? 'closing' : 'breaking'} ${cycle}`;
}

export interface SeriesSummary {
  /** One line per patch: "2/5 adds A -> B, closing A <-> B; removes ..." */
  patches: string[];
  /** "A -> B: introduced in 2/5, fixed by 4/5", for items a later patch takes away again. */
  attributions: string[];
  /** The series as a whole, one sentence. */
  whole: string;
}

export function seriesSummary(json: ReviewJson, style: RenderStyle): SeriesSummary {
  const total = json.patches.length;
  const introduced = new Map<string, { patch: number; words: string }>();
  const attributions: string[] = [];
  const patches = json.patches.map((p, i) => {
    const n = `${i + 1}/${total}`;
    const items: string[] = [];
    for (const change of ['added', 'removed'] as Change[]) {
      for (const b of changeBlocks(p, change)) {
        const key = itemKey(b);
        const earlier = change === 'removed' ? introduced.get(key) : undefined;
        items.push(itemWords(b, style, earlier !== undefined));
        if (change === 'added') introduced.set(key, { patch: i + 1, words: b.type === 'finding' ? findingPhrase(b.finding, style) : itemWords(b, style, true).replace(/^adds /, '').replace(/ again$/, '') });
        else if (earlier) {
          attributions.push(`${earlier.words}: introduced in ${earlier.patch}/${total}, fixed by ${n}`);
          introduced.delete(key);
        }
      }
    }
    const quiet = p.verdict === 'error' ? 'could not be reviewed' : 'changes nothing lockscope checks';
    return `${n} ${items.length > 0 ? items.join('; ') : quiet}`;
  });
  const outcome = reviewOutcome(json);
  const whole =
    outcome === 'no-change'
      ? `The series as a whole ${attributions.length > 0 ? 'adds and removes nothing in the end: it is clean' : 'does not change the lock order: it is clean'}.`
      : `The series as a whole ${changePhrase(json, style)}.`;
  return { patches, attributions, whole };
}
