/**
 * Which C functions a file's hunks touch, for the review's "functions" list and for quoting hunks
 * under the function they change. Removed lines are looked up in the old text, added lines in the
 * new text (so a deleted or a new function is found by its own name); a hunk whose changes sit
 * outside every function (an EXPORT_SYMBOL after the closing brace) belongs to the function its
 * context lines are in. Positions come from where each hunk really applied, not only its @@
 * header, so a hunk applied at an offset is still attributed right.
 *
 * Function ranges come from src/analyzers/c-parser.ts; this module parses nothing itself and does
 * not decide which lines take locks (the pipeline marks `lockLines` later).
 */
import { functionRanges, type CParser, type FunctionRange } from '../analyzers/c/parser.ts';
import type { HunkQuote } from '../review-types.ts';
import { locateHunks } from './apply.ts';
import type { FilePatch } from './types.ts';

const isC = (path: string | null): boolean => path !== null && (path.endsWith('.c') || path.endsWith('.h'));

function rangesOf(text: string | undefined, parser: CParser): FunctionRange[] {
  if (text === undefined) return [];
  const tree = parser.parse(text);
  try {
    return functionRanges(tree);
  } finally {
    // web-tree-sitter trees live in wasm memory until deleted.
    tree.delete();
  }
}

/** The innermost function whose lines (1-based) contain `line`. */
function functionAt(ranges: FunctionRange[], line: number): string | null {
  let best: FunctionRange | null = null;
  for (const r of ranges) {
    if (r.startLine <= line && line <= r.endLine && (best === null || r.startLine >= best.startLine)) best = r;
  }
  return best?.name ?? null;
}

/**
 * For each hunk of `file`, the functions it touches, in the order met (empty when none).
 * `before`/`after` are the file's text without and with the patch (undefined when absent).
 */
export function hunkFunctions(before: string | undefined, after: string | undefined, file: FilePatch, parser: CParser): string[][] {
  if (!isC(file.newPath) && !isC(file.oldPath)) return file.hunks.map(() => []);
  const oldRanges = rangesOf(before, parser);
  const newRanges = rangesOf(after, parser);
  const places = locateHunks(before, file) ?? file.hunks.map((h) => ({ old: Math.max(0, h.oldStart - 1), new: Math.max(0, h.newStart - 1) }));

  return file.hunks.map((hunk, h) => {
    const names: string[] = [];
    const add = (name: string | null): void => {
      if (name !== null && !names.includes(name)) names.push(name);
    };
    const contextLines: number[] = [];
    // 1-based line numbers of the next old / new line of the hunk.
    let oldLine = places[h]!.old + 1;
    let newLine = places[h]!.new + 1;
    for (const l of hunk.lines) {
      if (l.op === '-') add(functionAt(oldRanges, oldLine++));
      else if (l.op === '+') add(functionAt(newRanges, newLine++));
      else {
        contextLines.push(newLine);
        oldLine++;
        newLine++;
      }
    }
    if (names.length === 0) for (const line of contextLines) add(functionAt(newRanges, line));
    return names;
  });
}

/**
 * The functions `file`'s hunks touch, each with the number of hunks touching it, in the order met.
 * A patch moving a lock in `widget_update` -> `[{ name: 'widget_update', hunks: 1 }]`
 */
export function touchedFunctions(before: string | undefined, after: string | undefined, file: FilePatch, parser: CParser): { name: string; hunks: number }[] {
  const counts = new Map<string, number>();
  for (const names of hunkFunctions(before, after, file, parser)) for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([name, hunks]) => ({ name, hunks }));
}

/**
 * The hunks of `file` as quotes, each under the first function it touches
 * (`functions[i]` from hunkFunctions). `lockLines` is left empty for the pipeline to fill.
 */
export function hunkQuotes(file: FilePatch, functions: string[][]): HunkQuote[] {
  const name = file.newPath ?? file.oldPath ?? '';
  return file.hunks.map((hunk, i) => ({
    file: name,
    function: functions[i]?.[0] ?? null,
    header: hunk.header,
    lines: hunk.lines.map((l) => `${l.op}${l.text}`),
    lockLines: [],
  }));
}
