/**
 * The sections of a plain-text review that the text and mail renderers share, as parts a
 * renderer lays out in its medium (prose may be wrapped, report lines never are):
 *   one block per edge the patch adds or removes ("Adds A -> B at file:line (fn), closing A <-> B,
 *   as lockdep would report it ...", the lockdep report, "and 4 longer cycles through this edge")
 *   and per finding of another kind (its kernel-style report);
 *   the pre-existing findings as one count, plus those on chains through code the patch touches;
 *   the bounds and blind spots of the analysis inside that code.
 */
import { inversionKey } from '../analyzers/analysis-json.ts';
import type { EdgeChangeJson, FindingKind, Review } from '../review-types.ts';
import { lowBecause } from './confidence-words.ts';
import { cycleLabel } from './cycle-label.ts';
import { findingReport } from './finding-report.ts';
import { findingPhrase, kindNoun } from './finding-words.ts';
import type { LockdepNames } from './lockdep-names.ts';
import { lockdepReport } from './lockdep-report.ts';
import { oneLine } from './one-line.ts';
import type { RenderStyle } from './render-style.ts';
import { edgeSite, preexisting, type Block } from './review-changes.ts';

/** Prose (a renderer may wrap it) or preformatted lines (never wrapped). */
export type Part = { prose: string } | { lines: string[] };

export interface SectionContext {
  style: RenderStyle;
  names: LockdepNames;
  /** Witness steps shown per chain before the middle is elided (mail). */
  maxSteps?: number;
  /** What lists the longer cycles ("lockscope check --format json", the dashboard). */
  longerWhere: string;
  /** Functions the patch touches (review-changes.ts touchedSet): where an edge's line is taken from. */
  touched?: ReadonlySet<string>;
}

const VERB = { added: 'Adds', removed: 'Removes' } as const;
const CODE = { added: 'the patched code', removed: 'the code before the patch' } as const;

/** "a" or "an" before a kind's noun. */
const kindArticle = (kind: FindingKind): string => (/^[aeiou]/.test(kindNoun(kind)) ? 'an' : 'a');

/**
 * "device_domain_lock -> intel_iommu.lock at drivers/x.c:93 (domain_remove_one_dev_info)": the
 * line is the patch's own (the last step of the witness in a function the patch touches), else
 * where the second lock is taken.
 */
export function edgeWords(e: EdgeChangeJson, style: RenderStyle, touched?: ReadonlySet<string>): string {
  const site = edgeSite(e, touched);
  const where = site ? ` at ${style.text(site.file)}:${site.line} (${style.text(site.function)})` : '';
  return `${style.lock(e.from)}${style.step}${style.lock(e.to)}${where}`;
}

/**
 * The first sentence of a block: what the patch changes, where, and what that closes or breaks;
 * with `tail`, ", as lockdep would report it for the patched code:" introducing the report.
 */
export function blockHeadline(block: Block, style: RenderStyle, tail = true, touched?: ReadonlySet<string>): string {
  const verb = VERB[block.change];
  const end = (words: string): string => (tail ? `, ${words} for ${CODE[block.change]}:` : '.');
  if (block.type === 'finding') {
    const f = block.finding;
    return `${verb} ${kindArticle(f.kind)} ${kindNoun(f.kind)} in ${style.text(f.function)}() at ${style.text(f.file)}:${f.line}${end('as it would be reported')}`;
  }
  const cycle = cycleLabel(block.cycle, style);
  const kind = block.cycle.locks.length === 1 ? `the recursive locking of ${style.lock(block.cycle.locks[0] ?? '')}` : cycle;
  if (block.edges.length === 0) return `${verb} ${block.cycle.locks.length === 1 ? kind : `the lock-order inversion ${cycle}`}${end('as lockdep would report it')}`;
  const edges = block.edges.map((e) => edgeWords(e, style, touched));
  const joined = edges.length === 1 ? edges[0] : `${edges.slice(0, -1).join(', ')} and ${edges[edges.length - 1]}`;
  if (block.path) {
    // The cycle was there already: the patch adds another way to one of its edges (or takes one away).
    const what = block.cycle.locks.length === 1 ? kind : `the lock-order inversion ${cycle}`;
    return block.change === 'added'
      ? `${verb} ${joined}, a new path to ${what}, which was there before the patch${end('as lockdep would report it')}`
      : `${verb} ${joined}, one of the paths to ${what}, which other paths keep${end('as lockdep would report it')}`;
  }
  const effect = block.change === 'added' ? 'closing' : 'breaking';
  // Closed through code the review did not analyse: say so, and where those edges come from.
  const through = block.cycle.throughTree ? ' through the rest of the tree (its lock-order graph)' : '';
  return `${verb} ${joined}, ${effect} ${kind}${through}${end('as lockdep would report it')}`;
}

/** One block: its headline, its report, the count of longer cycles. */
export function blockParts(block: Block, ctx: SectionContext): Part[] {
  const parts: Part[] = [{ prose: blockHeadline(block, ctx.style, true, ctx.touched) }];
  if (block.type === 'finding') {
    parts.push({ lines: ['', ...findingReport(block.finding, ctx.names, ctx.maxSteps)] });
    return parts;
  }
  parts.push({ lines: ['', ...lockdepReport(block.cycle, ctx.names, { focal: block.focal, ...(ctx.maxSteps !== undefined ? { maxSteps: ctx.maxSteps } : {}) })] });
  const why = lowBecause(block.cycle);
  if (why) parts.push({ lines: [''] }, { prose: `Low confidence: ${why}. Reports with long or indirect witnesses are more often wrong; check the frames of the longest one first.` });
  const n = block.longer.length;
  const through = block.path ? 'this path' : 'this edge';
  if (n > 0) parts.push({ lines: [''] }, { prose: `and ${n} longer ${n === 1 ? 'cycle' : 'cycles'} through ${through} (${ctx.longerWhere} ${n === 1 ? 'lists it' : 'lists them'}).` });
  return parts;
}

/** "12 pre-existing lock-order inversions in the analyzed files are unchanged." plus the touched ones. */
export function preexistingParts(review: Review, ctx: SectionContext, maxListed = 5): Part[] {
  const p = preexisting(review);
  if (p.inversions + p.findings === 0) return [];
  const counts: string[] = [];
  if (p.inversions > 0) counts.push(`${p.inversions} pre-existing lock-order ${p.inversions === 1 ? 'inversion' : 'inversions'}`);
  if (p.findings > 0) counts.push(`${p.findings} pre-existing ${p.findings === 1 ? 'finding' : 'findings'} of other kinds`);
  const total = p.inversions + p.findings;
  const parts: Part[] = [{ prose: `${counts.join(' and ')} in the analyzed files ${total === 1 ? 'is' : 'are'} unchanged.` }];
  const lines: string[] = [];
  for (const t of p.touched.slice(0, maxListed)) {
    if ('inversion' in t) lines.push(`The patch touches a function on this pre-existing cycle: ${cycleLabel(t.inversion, ctx.style)}`);
    else lines.push(`The patch touches a function on the chain of this pre-existing ${kindNoun(t.finding.kind)}: ${findingPhrase(t.finding, ctx.style)}`);
  }
  const rest = p.touched.length - maxListed;
  if (rest > 0) lines.push(`and ${rest} more pre-existing ${rest === 1 ? 'finding runs' : 'findings run'} through code the patch touches (${ctx.longerWhere} ${rest === 1 ? 'lists it' : 'lists them'}).`);
  for (const l of lines) parts.push({ prose: l });
  return parts;
}

/** "Limits of this review in the code it touches:" and one line per caveat. */
export function caveatParts(review: Review, maxListed = 5): Part[] {
  const caveats = review.json.caveats ?? [];
  if (caveats.length === 0) return [];
  const lines = caveats.slice(0, maxListed).map((c) => `  ${c.file ? `${oneLine(c.file)}:${c.line}: ` : ''}${oneLine(c.reason)}`);
  const rest = caveats.length - maxListed;
  if (rest > 0) lines.push(`  and ${rest} more`);
  return [{ prose: 'Limits of this review in the code the patch touches:' }, { lines }];
}

/** The keys of the cycles blocks show, so a renderer can tell what it has not shown. */
export function shownCycles(blocks: readonly Block[]): Set<string> {
  return new Set(blocks.flatMap((b) => (b.type === 'order' ? [inversionKey(b.cycle.locks)] : [])));
}
