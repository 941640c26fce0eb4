/**
 * The function-like macros of a kernel tree's headers that wrap a lock operation:
 *
 *   #define pte_unmap_unlock(pte, ptl)  do { spin_unlock(ptl); pte_unmap(pte); } while (0)
 *
 * A directory's analysis reads its own files' macros (c/lower.ts bindMacro), not those of the
 * headers it includes: without them `pte_unmap_unlock(pte, ptl)` is a call of unknown effect,
 * the lock it releases stays held, and every sleep after it is reported under that lock. Kept:
 * each macro the header defines once (two definitions are two builds', and which one is meant is
 * not known) whose body calls a lock operation (`isLockOp`: the catalogue's acquisitions,
 * releases and atomic regions, `#define sctp_local_bh_disable() local_bh_disable()`) and whose own name is none (the catalogue says what those do). The text keeps their
 * lines where they stand and blanks the others, so a witness through one names the header's line.
 */
import { blankComments } from '../analyzers/c/header-declarations.ts';

const DEFINE = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(/;
const CALL = /\b([A-Za-z_]\w*)\s*\(/g;

/** One header's lock-wrapping macros, every other line blank; undefined when it has none. */
export function lockMacroText(text: string, isLockOp: (name: string) => boolean): string | undefined {
  if (!text.includes('define')) return undefined;
  const lines = blankComments(text).split('\n');
  const defined = new Map<string, number>();
  const spans: { name: string; first: number; last: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = DEFINE.exec(lines[i] as string);
    if (!m) continue;
    const name = m[1] as string;
    defined.set(name, (defined.get(name) ?? 0) + 1);
    let last = i;
    while (last + 1 < lines.length && /\\\s*$/.test(lines[last] as string)) last++;
    spans.push({ name, first: i, last });
    i = last;
  }
  const keep = new Set<number>();
  let lastKept = -1;
  for (const { name, first, last } of spans) {
    if (defined.get(name) !== 1 || isLockOp(name)) continue;
    const body = lines.slice(first, last + 1).join('\n').replace(DEFINE, '');
    if (body.includes('#') || ![...body.matchAll(CALL)].some((c) => isLockOp(c[1] as string))) continue;
    for (let i = first; i <= last; i++) keep.add(i);
    lastKept = last;
  }
  if (keep.size === 0) return undefined;
  return lines.slice(0, lastKept + 1).map((l, i) => (keep.has(i) ? l : '')).join('\n');
}
