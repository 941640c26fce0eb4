/**
 * One finding as one line of checkpatch's terse output (`checkpatch.pl --terse --showfile`):
 *
 *   drivers/usb/gadget/udc-lite.c:215: ERROR: possible circular locking dependency: cfg_mutex ->
 *     udc_gadget.lock -> cfg_mutex (see drivers/usb/gadget/udc-lite.c:150 udc_configure; base ...)
 *
 * (one line in reality). The position is the last step of the evidence that lies in a function
 * the patch touches, so an editor's jump lands on the line the patch changed; else the last step
 * of the first chain (where its lock is taken). "see" lists where the other edges of the cycle
 * take their lock: the opposite order a reviewer has to look at. Untrusted strings are made
 * printable; nothing here decides a level.
 */
import type { ChainStep } from '../../analyzers/report-types.ts';
import { oneLine } from '../one-line.ts';
import type { Finding } from './review-findings.ts';

export type Level = 'ERROR' | 'WARNING';

/** Functions the patch touches, keyed by `stepKey`. */
export type TouchedSet = ReadonlySet<string>;

/** "drivers/x.c\0foo": a chain step's function, as json.functions names it. */
export function stepKey(step: { file: string; function: string }): string {
  return `${step.file}\u0000${step.function}`;
}

/** True when some step of the finding's evidence lies in a function the patch touches. */
export function findingTouches(finding: Finding, touched: TouchedSet): boolean {
  return finding.evidence.some((e) => (e.chain ?? []).some((s) => touched.has(stepKey(s))));
}

/** Where the finding's line points, and which evidence that step belongs to (-1: none); undefined for empty evidence. */
export function findingAnchor(finding: Finding, touched: TouchedSet): { step: ChainStep; evidence: number } | undefined {
  // A finding of another kind happens at a line of its own (the leaking return, the sleeping call).
  if (finding.file && finding.line && touched.has(stepKey({ file: finding.file, function: finding.function }))) {
    const own = { function: finding.function, file: finding.file, line: finding.line, op: 'call' as const };
    const i = finding.evidence.findIndex((e) => (e.chain ?? []).some((s) => s.file === own.file && s.line === own.line));
    return { step: own, evidence: i };
  }
  for (const [i, e] of finding.evidence.entries()) {
    const chain = e.chain ?? [];
    for (let j = chain.length - 1; j >= 0; j--) if (touched.has(stepKey(chain[j] as ChainStep))) return { step: chain[j] as ChainStep, evidence: i };
  }
  for (const [i, e] of finding.evidence.entries()) {
    const last = e.chain?.[e.chain.length - 1];
    if (last) return { step: last, evidence: i };
  }
  return undefined;
}

/** "drivers/x.c:42": a step's position as the line starts with it. */
export const positionOf = (step: ChainStep): string => `${oneLine(step.file)}:${Math.max(0, Math.trunc(step.line) || 0)}`;

/**
 * The finding's line, without its newline. `more` counts other findings of the same level at the
 * same position that this line stands for; `extra` goes last in the parentheses (the base);
 * `preexisting` says the finding was there before the patch.
 */
export function findingLine(finding: Finding, level: Level, touched: TouchedSet, extra: readonly string[] = [], more = 0, longer = 0, preexisting = false): string {
  const anchor = findingAnchor(finding, touched);
  const others: string[] = [];
  finding.evidence.forEach((e, i) => {
    const last = e.chain?.[e.chain.length - 1];
    if (i === anchor?.evidence || !last) return;
    const where = `${positionOf(last)} ${oneLine(last.function)}`;
    if (!others.includes(where)) others.push(where);
  });
  const notes = [
    ...(preexisting ? ['present before this patch, in code it touches'] : []),
    ...(others.length > 0 ? [`see ${others.join(', ')}`] : []),
    ...(more > 0 ? [`and ${more} more ${more === 1 ? 'finding' : 'findings'} at this line`] : []),
    ...(longer > 0 ? [`and ${longer} longer ${longer === 1 ? 'cycle' : 'cycles'} through this edge`] : []),
    ...extra,
  ];
  const prefix = anchor ? `${positionOf(anchor.step)}: ` : '';
  return `${prefix}${level}: ${oneLine(finding.title)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}
