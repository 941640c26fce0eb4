/**
 * Parses unified diff text (`git diff`, `git format-patch`, `git show`, `diff -u`) into FilePatch
 * values. A strict line scanner decides where each file and hunk begins and ends, counting lines
 * against every `@@` header, and reads what parse-diff does not: renames, copies, binary files,
 * mode changes, /dev/null sides, quoted and timestamped paths. parse-diff then reads each file's
 * hunks into changes (the shape), and the two are checked against each other.
 *
 * It does not touch any file and does not check paths for safety (safe-path.ts does, before a
 * snapshot reads or writes them).
 *
 * Scanner states and transitions (patchwork's parse_patch has the same shape):
 *   outside    --`diff --git`-->            gitHeader
 *   outside    --`--- x` then `+++ y`-->    afterHunk (a plain `diff -u` file, expecting `@@`)
 *   outside    --`Binary files x and y differ`--> outside (one binary file)
 *   gitHeader  --mode/index/rename/copy/similarity/---/+++ lines--> gitHeader
 *   gitHeader  --`GIT binary patch`-->      binaryData
 *   gitHeader|afterHunk --`@@`-->           hunk
 *   hunk       --' ' '' '+' '-' while counts remain--> hunk
 *   hunk       --counts reach zero-->       afterHunk
 *   hunk       --anything else-->           error: the header promised more lines (this is where
 *                                           parse-diff alone would swallow the next `diff --git`)
 *   afterHunk  --`\ No newline at end of file`--> afterHunk
 *   afterHunk  --'+' '-' ' ' line-->        error: the header promised fewer lines
 *   afterHunk|gitHeader|binaryData --`diff --git`--> gitHeader;  --other text--> outside
 */
import parseDiff from 'parse-diff';
import type { FilePatch, FileStatus, Hunk, HunkLine } from './types.ts';

export type ParsedDiff = { ok: true; files: FilePatch[] } | { ok: false; reason: string };

const HUNK_HEADER = /^@@ -(\d{1,9})(?:,(\d{1,9}))? \+(\d{1,9})(?:,(\d{1,9}))? @@/;
const NO_NEWLINE = '\\ No newline at end of file';
// Header lines longer than this are not headers; keeps every regex below on short strings.
const MAX_HEADER_LINE = 8192;

interface FileDraft {
  git: boolean;
  startLine: number;
  /** Paths from `diff --git`, `---`/`+++`, `rename from/to`, `Binary files`, still with prefixes. */
  gitOld: string | null;
  gitNew: string | null;
  minusPath: string | null | undefined;
  plusPath: string | null | undefined;
  renameFrom: string | null;
  renameTo: string | null;
  copy: boolean;
  created: boolean;
  deleted: boolean;
  binary: boolean;
  hunks: HunkDraft[];
}

interface HunkDraft {
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Body lines as in the input (prefix kept, `\r` kept), `\ No newline` markers included. */
  body: string[];
}

/** Reads a git C-quoted path (`"a/with\ttab"`) or returns the text unchanged. */
function unquote(text: string): string {
  if (!(text.length >= 2 && text.startsWith('"') && text.endsWith('"'))) return text;
  const inner = text.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = inner[i + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(inner.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else if (next in simple) {
      bytes.push(simple[next]!);
      i += 1;
    } else {
      bytes.push(92);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The path of a `--- x` / `+++ x` line: quotes read, a tab- or date-separated timestamp dropped. */
function headerPath(rest: string): string | null {
  let path = rest;
  const tab = path.indexOf('\t');
  if (tab !== -1) path = path.slice(0, tab);
  path = path.replace(/\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4}$/, '').trimEnd();
  path = unquote(path);
  return path === '/dev/null' ? null : path;
}

/** The two paths of `diff --git a/x b/y`: exact when quoted or when both halves are the same file. */
function gitLinePaths(rest: string): [string, string] | null {
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (quoted && (rest.includes('"') || !rest.slice(quoted[1]!.length + 1).includes(' '))) {
    return [unquote(quoted[1]!), unquote(quoted[2]!)];
  }
  // Unquoted names with spaces: `a/my file.c b/my file.c`. Only the same-name split is certain.
  if ((rest.length - 1) % 2 === 0) {
    const half = (rest.length - 1) / 2;
    const left = rest.slice(0, half);
    const right = rest.slice(half + 1);
    if (rest[half] === ' ' && left.replace(/^[^/]*\//, '') === right.replace(/^[^/]*\//, '')) return [left, right];
  }
  return null;
}

function stripPrefix(path: string | null, prefix: string): string | null {
  if (path === null) return null;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** Converts a finished draft into a FilePatch, or says why it cannot. */
function finishFile(draft: FileDraft): FilePatch | string {
  if (draft.copy) return `copy patches (git diff -C) are not supported (file at line ${draft.startLine})`;
  let oldPath: string | null;
  let newPath: string | null;
  if (draft.git) {
    // `diff --git a/x b/x` says whether the paths carry prefixes (`--no-prefix` diffs have none);
    // `rename from/to` lines never do. The ---/+++ lines win over the diff --git line, which is
    // ambiguous for unquoted names with spaces.
    const prefixed =
      draft.gitOld !== null && draft.gitNew !== null
        ? draft.gitOld.startsWith('a/') && draft.gitNew.startsWith('b/')
        : (draft.minusPath == null || draft.minusPath.startsWith('a/')) && (draft.plusPath == null || draft.plusPath.startsWith('b/'));
    const strip = (path: string | null, prefix: string): string | null => (prefixed ? stripPrefix(path, prefix) : path);
    oldPath = draft.created ? null : (draft.renameFrom ?? strip(draft.minusPath !== undefined ? draft.minusPath : draft.gitOld, 'a/'));
    newPath = draft.deleted ? null : (draft.renameTo ?? strip(draft.plusPath !== undefined ? draft.plusPath : draft.gitNew, 'b/'));
  } else {
    const minus = draft.minusPath ?? null;
    const plus = draft.plusPath ?? null;
    const prefixed = (minus === null || minus.startsWith('a/')) && (plus === null || plus.startsWith('b/'));
    oldPath = prefixed ? stripPrefix(minus, 'a/') : minus;
    newPath = prefixed ? stripPrefix(plus, 'b/') : plus;
    // A plain diff cannot rename: `--- x.c.orig` / `+++ x.c` edits x.c (patch(1) reads it so too).
    if (oldPath !== null && newPath !== null) oldPath = newPath;
  }
  if (oldPath === null && newPath === null) return `file at line ${draft.startLine} names no path`;

  let status: FileStatus;
  if (oldPath === null || draft.created) status = 'added';
  else if (newPath === null || draft.deleted) status = 'deleted';
  else if (draft.renameFrom !== null || oldPath !== newPath) status = 'renamed';
  else status = 'modified';
  if (status === 'added') oldPath = null;
  if (status === 'deleted') newPath = null;

  const name = newPath ?? oldPath ?? '?';
  const hunks = draft.binary ? [] : readHunks(name, draft.hunks);
  if (typeof hunks === 'string') return hunks;
  return { oldPath, newPath, status, binary: draft.binary, hunks };
}

/**
 * Reads a file's hunks with parse-diff and checks every chunk against the scanner's counts.
 * The headers are rebuilt without their function context, so parse-diff's filename regexes
 * only ever see short lines.
 */
function readHunks(name: string, drafts: HunkDraft[]): Hunk[] | string {
  if (drafts.length === 0) return [];
  const text: string[] = [];
  for (const h of drafts) {
    text.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    // parse-diff's `\ No newline` pattern does not allow a trailing \r.
    for (const line of h.body) text.push(line.startsWith('\\') ? NO_NEWLINE : line);
  }
  const parsed = parseDiff(text.join('\n'));
  const chunks = parsed.flatMap((f) => f.chunks);
  if (chunks.length !== drafts.length) return `${name}: parse-diff read ${chunks.length} hunks where the scanner found ${drafts.length}`;
  const hunks: Hunk[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i]!;
    const chunk = chunks[i]!;
    const lines: HunkLine[] = [];
    let oldNoNewline = false;
    let newNoNewline = false;
    for (const change of chunk.changes) {
      if (change.content === NO_NEWLINE) {
        // parse-diff repeats the previous change's type on the marker line.
        if (change.type === 'del') oldNoNewline = true;
        else if (change.type === 'add') newNoNewline = true;
        else oldNoNewline = newNoNewline = true;
        continue;
      }
      const op = change.type === 'add' ? '+' : change.type === 'del' ? '-' : ' ';
      lines.push({ op, text: change.content.slice(1) });
    }
    const oldCount = lines.filter((l) => l.op !== '+').length;
    const newCount = lines.filter((l) => l.op !== '-').length;
    if (oldCount !== draft.oldLines || newCount !== draft.newLines) {
      return `${name}: hunk ${i + 1} (${draft.header}) has ${oldCount} old and ${newCount} new lines, its header says ${draft.oldLines} and ${draft.newLines}`;
    }
    hunks.push({
      oldStart: draft.oldStart,
      oldLines: draft.oldLines,
      newStart: draft.newStart,
      newLines: draft.newLines,
      header: draft.header,
      lines,
      oldNoNewline,
      newNoNewline,
    });
  }
  return hunks;
}

function newDraft(git: boolean, startLine: number): FileDraft {
  return {
    git,
    startLine,
    gitOld: null,
    gitNew: null,
    minusPath: undefined,
    plusPath: undefined,
    renameFrom: null,
    renameTo: null,
    copy: false,
    created: false,
    deleted: false,
    binary: false,
    hunks: [],
  };
}

function shorten(line: string): string {
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}...` : line);
}

/**
 * Parses a unified diff into its files.
 * `"diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n"` ->
 * `{ ok: true, files: [{ oldPath: 'x.c', newPath: 'x.c', status: 'modified', binary: false, hunks: [...] }] }`
 */
export function parseDiffText(text: string): ParsedDiff {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();

  type State = 'outside' | 'gitHeader' | 'binaryData' | 'hunk' | 'afterHunk';
  let state: State = 'outside';
  const files: FilePatch[] = [];
  let draft: FileDraft | null = null;
  let hunk: HunkDraft | null = null;
  let oldLeft = 0;
  let newLeft = 0;

  const fileName = (d: FileDraft): string => {
    const p = d.plusPath ?? d.renameTo ?? d.gitNew ?? d.minusPath ?? d.gitOld ?? '?';
    return p.replace(/^[ab]\//, '');
  };
  const closeFile = (): string | null => {
    if (!draft) return null;
    const done = finishFile(draft);
    draft = null;
    if (typeof done === 'string') return done;
    files.push(done);
    return null;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;

    if (state === 'hunk') {
      const c = raw.charCodeAt(0);
      // An empty line is a context line whose single space a mailer trimmed; git accepts it too.
      const op = raw === '' || raw === '\r' ? ' ' : raw[0];
      if (op === ' ' || op === '-' || op === '+') {
        if (op !== '+' && oldLeft === 0) {
          return { ok: false, reason: `${fileName(draft!)}: hunk ${draft!.hunks.length} (${hunk!.header}) has more old lines than its header says, at line ${lineNo}` };
        }
        if (op !== '-' && newLeft === 0) {
          return { ok: false, reason: `${fileName(draft!)}: hunk ${draft!.hunks.length} (${hunk!.header}) has more new lines than its header says, at line ${lineNo}` };
        }
        if (op !== '+') oldLeft--;
        if (op !== '-') newLeft--;
        hunk!.body.push(raw);
        if (oldLeft === 0 && newLeft === 0) state = 'afterHunk';
        continue;
      }
      if (c === 0x5c /* \ */ && raw.startsWith('\\ ')) {
        hunk!.body.push(raw);
        continue;
      }
      return {
        ok: false,
        reason:
          `${fileName(draft!)}: hunk ${draft!.hunks.length} (${hunk!.header}) is short by ${oldLeft} old and ${newLeft} new lines: ` +
          `line ${lineNo} ${shorten(raw)} is not part of a hunk (wrong line counts in the hunk header?)`,
      };
    }

    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;

    if (state === 'afterHunk' && line.startsWith('\\ ')) {
      hunk!.body.push(line);
      continue;
    }

    if (line.startsWith('@@') && (state === 'gitHeader' || state === 'afterHunk')) {
      const m = HUNK_HEADER.exec(line.slice(0, MAX_HEADER_LINE));
      if (!m) return { ok: false, reason: `${fileName(draft!)}: malformed hunk header at line ${lineNo}: ${shorten(line)}` };
      const oldLines = m[2] === undefined ? 1 : Number(m[2]);
      const newLines = m[4] === undefined ? 1 : Number(m[4]);
      hunk = { header: line.length > 200 ? line.slice(0, 200) : line, oldStart: Number(m[1]), oldLines, newStart: Number(m[3]), newLines, body: [] };
      draft!.hunks.push(hunk);
      oldLeft = oldLines;
      newLeft = newLines;
      state = oldLines === 0 && newLines === 0 ? 'afterHunk' : 'hunk';
      continue;
    }

    if (line.startsWith('diff --git ')) {
      const err = closeFile();
      if (err) return { ok: false, reason: err };
      draft = newDraft(true, lineNo);
      const paths = line.length <= MAX_HEADER_LINE ? gitLinePaths(line.slice('diff --git '.length)) : null;
      if (paths) [draft.gitOld, draft.gitNew] = paths;
      state = 'gitHeader';
      continue;
    }

    if (state === 'binaryData') continue;

    if (state === 'gitHeader' && line.length <= MAX_HEADER_LINE) {
      const d: FileDraft = draft!;
      if (/^(?:old|new) mode \d+$/.test(line) || /^index [0-9a-f]+\.\.[0-9a-f]+/.test(line) || /^(?:dis)?similarity index \d+%$/.test(line)) continue;
      if (line.startsWith('new file mode ')) {
        d.created = true;
        continue;
      }
      if (line.startsWith('deleted file mode ')) {
        d.deleted = true;
        continue;
      }
      if (line.startsWith('rename from ')) {
        d.renameFrom = unquote(line.slice('rename from '.length));
        continue;
      }
      if (line.startsWith('rename to ')) {
        d.renameTo = unquote(line.slice('rename to '.length));
        continue;
      }
      if (line.startsWith('copy from ') || line.startsWith('copy to ')) {
        d.copy = true;
        continue;
      }
      if (line.startsWith('--- ')) {
        d.minusPath = headerPath(line.slice(4));
        continue;
      }
      if (line.startsWith('+++ ')) {
        d.plusPath = headerPath(line.slice(4));
        continue;
      }
      if (line === 'GIT binary patch') {
        d.binary = true;
        state = 'binaryData';
        continue;
      }
      const bin = /^Binary files (.+) and (.+) differ$/.exec(line);
      if (bin) {
        d.binary = true;
        if (bin[1] === '/dev/null') d.created = true;
        if (bin[2] === '/dev/null') d.deleted = true;
        if (d.minusPath === undefined) d.minusPath = bin[1] === '/dev/null' ? null : unquote(bin[1]!);
        if (d.plusPath === undefined) d.plusPath = bin[2] === '/dev/null' ? null : unquote(bin[2]!);
        continue;
      }
    }

    if (state === 'afterHunk' && draft!.hunks.length > 0 && (line.startsWith('+') || line.startsWith('-') || (line.startsWith(' ') && line.trim() !== ''))) {
      const plainNext = line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ');
      // `-- ` opens a mail signature (format-patch puts the git version after it).
      if (!plainNext && line !== '--' && line !== '-- ') {
        return {
          ok: false,
          reason: `${fileName(draft!)}: line ${lineNo} ${shorten(line)} follows hunk ${draft!.hunks.length} (${hunk!.header}) whose line counts are already used up (wrong counts in the hunk header?)`,
        };
      }
    }

    // A plain `diff -u` file: `--- old` directly followed by `+++ new`.
    if (line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ') && state !== 'gitHeader') {
      const err = closeFile();
      if (err) return { ok: false, reason: err };
      draft = newDraft(false, lineNo);
      draft.minusPath = headerPath(line.slice(4));
      draft.plusPath = headerPath((lines[i + 1] ?? '').replace(/\r$/, '').slice(4));
      i++;
      state = 'afterHunk';
      hunk = null;
      continue;
    }

    if (line.startsWith('@@ ') && state === 'outside') {
      return { ok: false, reason: `hunk header without a file header at line ${lineNo}: ${shorten(line)}` };
    }

    // `diff -r` prints this for binary files, outside any ---/+++ header.
    const plainBinary = state === 'outside' && line.length <= MAX_HEADER_LINE ? /^Binary files (.+) and (.+) differ$/.exec(line) : null;
    if (plainBinary) {
      const err = closeFile();
      if (err) return { ok: false, reason: err };
      draft = newDraft(false, lineNo);
      draft.minusPath = plainBinary[1] === '/dev/null' ? null : plainBinary[1]!;
      draft.plusPath = plainBinary[2] === '/dev/null' ? null : plainBinary[2]!;
      draft.binary = true;
      const err2 = closeFile();
      if (err2) return { ok: false, reason: err2 };
      continue;
    }

    // Any other line ends the current file (a signature, base-commit:, the next commit message).
    if (state !== 'outside') {
      if (state === 'afterHunk' && draft && !draft.git && draft.hunks.length === 0) {
        return { ok: false, reason: `${fileName(draft)}: file header at line ${draft.startLine} is not followed by a hunk` };
      }
      const err = closeFile();
      if (err) return { ok: false, reason: err };
      state = 'outside';
    }
  }

  if (state === 'hunk') {
    return {
      ok: false,
      reason: `${fileName(draft!)}: hunk ${draft!.hunks.length} (${hunk!.header}) is short by ${oldLeft} old and ${newLeft} new lines at the end of the input (truncated patch?)`,
    };
  }
  if (state === 'afterHunk' && draft && !draft.git && draft.hunks.length === 0) {
    return { ok: false, reason: `${fileName(draft)}: file header at line ${draft.startLine} is not followed by a hunk` };
  }
  const err = closeFile();
  if (err) return { ok: false, reason: err };
  if (files.length === 0) return { ok: false, reason: 'no diff found' };
  return { ok: true, files };
}
