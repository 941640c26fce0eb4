/**
 * Applies one file's hunks to its text the way `git apply` does: each hunk where its header says,
 * else at the nearest offset (searching both ways) where all its context and removed lines match
 * exactly, later hunks shifted by the offset the previous one needed. No fuzz: a hunk whose
 * context differs anywhere does not apply. The result is all or nothing, never a half-patched file.
 *
 * Written here rather than with jsdiff's applyPatch, which answers a bare `false` (it cannot say
 * which hunk failed), recurses once per hunk line (a 20,000-line hunk overflows the stack) and
 * does not check that a deleted file is deleted whole.
 *
 * Line endings: lines are compared without a trailing `\r`, so a patch whose lines a mailer
 * turned into CRLF still applies to an LF file; a CRLF file (its first line ends in CRLF) stays
 * CRLF, added lines included. It does not read or write files (snapshot.ts does).
 */
import type { FilePatch, Hunk } from './types.ts';

/** Thrown by callers that treat a failed apply as fatal; applyHunks itself returns values. */
export class PatchApplyError extends Error {
  readonly code = 'PATCH_APPLY';
  constructor(
    message: string,
    readonly file: string | null = null,
    readonly hunk: number | null = null,
  ) {
    super(message);
    this.name = 'PatchApplyError';
  }
}

/** Thrown by callers that treat a path refused by checkPatchPath as fatal. */
export class UnsafePathError extends Error {
  readonly code = 'UNSAFE_PATH';
  constructor(
    message: string,
    readonly path: string | null = null,
  ) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

/** `hunk` is 1-based; 0 when the file as a whole cannot take the patch (it exists, is missing, is binary). */
export type ApplyResult = { ok: true; content: string | undefined } | { ok: false; reason: string; hunk: number };

const stripCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);

interface FileLines {
  lines: string[];
  finalNewline: boolean;
  crlf: boolean;
}

function splitLines(content: string): FileLines {
  const firstNl = content.indexOf('\n');
  const crlf = firstNl > 0 && content[firstNl - 1] === '\r';
  const lines = content.split('\n');
  let finalNewline = true;
  if (lines[lines.length - 1] === '') lines.pop();
  else finalNewline = false;
  return { lines: crlf ? lines.map(stripCr) : lines, finalNewline, crlf };
}

function clip(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}

/** Where the hunk must sit, if git would pin it to the start or the end of the file. */
function anchors(hunk: Hunk): { start: boolean; end: boolean } {
  let leading = 0;
  while (leading < hunk.lines.length && hunk.lines[leading]!.op === ' ') leading++;
  let trailing = 0;
  while (trailing < hunk.lines.length - leading && hunk.lines[hunk.lines.length - 1 - trailing]!.op === ' ') trailing++;
  const hasContext = leading + trailing > 0;
  // git: a hunk at line 0/1 matches at the beginning, one without trailing context at the end.
  // A -U0 hunk (no context at all) is left free, as `git apply --unidiff-zero` does.
  return { start: hunk.oldStart === 0 || (hunk.oldStart === 1 && hasContext), end: trailing === 0 && leading > 0 };
}

/**
 * Applies `file`'s hunks to `content` (undefined: the file does not exist).
 * Returns the new text (undefined when the patch deletes the file) or the first hunk that fails.
 */
export function applyHunks(content: string | undefined, file: FilePatch): ApplyResult {
  const r = applyPlaced(content, file);
  return r.ok ? { ok: true, content: r.content } : r;
}

/**
 * Where each hunk lands when applied to `content`: 0-based line indexes of its first old line in
 * the old text and of its first new line in the new text (they differ from the @@ header when a
 * hunk applied at an offset). Null when the patch does not apply.
 */
export function locateHunks(content: string | undefined, file: FilePatch): { old: number; new: number }[] | null {
  const r = applyPlaced(content, file);
  if (!r.ok) return null;
  let shift = 0;
  return r.placed.map((at, h) => {
    const lines = file.hunks[h]!.lines;
    const place = { old: at, new: at + shift };
    shift += lines.filter((l) => l.op === '+').length - lines.filter((l) => l.op === '-').length;
    return place;
  });
}

type Placed = { ok: true; content: string | undefined; placed: number[] } | { ok: false; reason: string; hunk: number };

function applyPlaced(content: string | undefined, file: FilePatch): Placed {
  const name = file.newPath ?? file.oldPath ?? '(unnamed)';
  if (file.binary) return { ok: false, hunk: 0, reason: `${name}: binary patch, its content cannot be applied` };
  if (file.status === 'added' && content !== undefined) return { ok: false, hunk: 0, reason: `${name}: the patch creates this file but it already exists` };
  if (file.status !== 'added' && content === undefined) return { ok: false, hunk: 0, reason: `${name}: the patch changes this file but it does not exist` };

  const base = content === undefined ? { lines: [], finalNewline: true, crlf: false } : splitLines(content);
  const { lines, crlf } = base;
  const keys = crlf ? lines : lines.map(stripCr);
  const patchAllCr = file.hunks.every((h) => h.lines.every((l) => l.op === '-' || l.text.endsWith('\r')));
  // A new file keeps the patch's bytes (a CRLF file arrives with its \r); an existing one keeps its own style.
  const emit = (text: string): string => (content !== undefined && (crlf || patchAllCr) ? stripCr(text) : text);

  const out: string[] = [];
  const placed: number[] = [];
  let copied = 0; // lines of `lines` already handled
  let offset = 0;
  let finalNewline = base.finalNewline;

  for (let h = 0; h < file.hunks.length; h++) {
    const hunk = file.hunks[h]!;
    const oldKeys = hunk.lines.filter((l) => l.op !== '+').map((l) => stripCr(l.text));
    const anchor = anchors(hunk);
    const stated = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    const max = lines.length - oldKeys.length;

    const fits = (pos: number): boolean => {
      if (pos < copied || pos > max) return false;
      const end = pos + oldKeys.length;
      if (hunk.oldNoNewline && (end !== lines.length || base.finalNewline)) return false;
      // A hunk touching a last line that has no newline must say so (`\ No newline`), as git checks.
      if (!hunk.oldNoNewline && oldKeys.length > 0 && end === lines.length && !base.finalNewline) return false;
      for (let k = 0; k < oldKeys.length; k++) if (keys[pos + k] !== oldKeys[k]) return false;
      return true;
    };

    let at = -1;
    if (anchor.start && anchor.end) {
      if (oldKeys.length === lines.length && fits(0)) at = 0;
    } else if (anchor.start) {
      if (fits(0)) at = 0;
    } else if (anchor.end) {
      if (fits(max)) at = max;
    } else {
      const want = stated + offset;
      const reach = Math.max(want - copied, max - want);
      for (let d = 0; d <= reach && at === -1; d++) {
        if (fits(want + d)) at = want + d;
        else if (d > 0 && fits(want - d)) at = want - d;
      }
    }

    if (at === -1) {
      return { ok: false, hunk: h + 1, reason: `${name}: hunk ${h + 1} (${hunk.header}) does not apply: ${whyNot(keys, oldKeys, stated + offset, hunk)}` };
    }

    placed.push(at);
    for (; copied < at; copied++) out.push(lines[copied]!);
    for (const l of hunk.lines) {
      if (l.op === '+') out.push(emit(l.text));
      else if (l.op === ' ') out.push(lines[copied++]!);
      else copied++;
    }
    offset = at - stated;
    if (copied === lines.length) finalNewline = !hunk.newNoNewline;
  }
  for (; copied < lines.length; copied++) out.push(lines[copied]!);

  if (file.status === 'deleted') {
    if (out.length > 0) return { ok: false, hunk: file.hunks.length, reason: `${name}: the patch deletes this file but ${out.length} of its lines are not in the patch` };
    return { ok: true, content: undefined, placed };
  }
  if (out.length === 0) return { ok: true, content: '', placed };
  const eol = crlf ? '\r\n' : '\n';
  return { ok: true, content: out.join(eol) + (finalNewline ? eol : ''), placed };
}

/** A one-line hint for the failure: the first line at the stated position that differs. */
function whyNot(keys: string[], oldKeys: string[], pos: number, hunk: Hunk): string {
  if (hunk.oldNoNewline) return `its last line has no newline in the patch but the file does not end there the same way`;
  if (pos < 0 || pos >= keys.length) return `the file has ${keys.length} lines and the hunk's lines match nowhere in it`;
  for (let k = 0; k < oldKeys.length; k++) {
    const have = keys[pos + k];
    if (have !== oldKeys[k]) {
      const where = pos + k + 1;
      return have === undefined
        ? `the file ends at line ${keys.length}, before the hunk's lines, and they match nowhere else`
        : `line ${where} is ${clip(have)} where the patch expects ${clip(oldKeys[k]!)}, and the hunk matches nowhere else`;
    }
  }
  return `its lines match at line ${pos + 1} but it is pinned to the ${hunk.oldStart <= 1 ? 'start' : 'end'} of the file`;
}
