/**
 * Parsed patch input, the values src/diff hands inward. Built at the boundary from raw diffs and
 * mails; nothing here holds a ParsedMail or parse-diff object.
 */

/** `[PATCH v2 3/5]` and friends, read from a subject. */
export interface SubjectTags {
  /** True for [PATCH ...], [RFC PATCH ...], [PATCH net-next ...] and the like. */
  isPatch: boolean;
  /** True when the subject starts with Re:/Aw:/Sv: (a reply, never a patch). */
  isReply: boolean;
  /** 1 when no vN is given. */
  version: number;
  /** m of m/n; null for a single patch without numbering. 0 is a cover letter. */
  index: number | null;
  total: number | null;
  /** The subject without the bracketed prefix and Re:. */
  title: string;
}

/** One RFC 5322 message, classified. */
export interface PatchMessage {
  messageId: string | null;
  subject: string;
  tags: SubjectTags;
  from: { name: string; address: string } | null;
  to: string[];
  cc: string[];
  date: string | null;
  inReplyTo: string | null;
  references: string[];
  kind: 'patch' | 'cover' | 'reply' | 'other';
  /** The commit message: body text before the `---` separator (for lockdep splats). */
  commitMessage: string;
  /** The unified diff text found inline in the body, byte-exact, or null. */
  diff: string | null;
  baseCommit: string | null;
  changeId: string | null;
  /** Why the message cannot be reviewed even though it looks like a patch (format=flowed, html-only, undecodable). */
  problem: string | null;
  /** The raw message as received, for storage and re-ingestion. */
  raw: string;
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed';

export interface HunkLine {
  /** ' ' context, '+' added, '-' removed. */
  op: ' ' | '+' | '-';
  text: string;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  header: string;
  lines: HunkLine[];
  /** `\ No newline at end of file` after the old / new side. */
  oldNoNewline: boolean;
  newNoNewline: boolean;
}

export interface FilePatch {
  /** Repository-relative, already stripped of a/ b/ prefixes; null for /dev/null. */
  oldPath: string | null;
  newPath: string | null;
  status: FileStatus;
  binary: boolean;
  hunks: Hunk[];
}

/** One patch of a series (or the single diff given). */
export interface Patch {
  subject: string | null;
  messageId: string | null;
  author: string | null;
  commitMessage: string;
  baseCommit: string | null;
  files: FilePatch[];
}

/** What parsePatchInput returns for a diff, an email or an mbox. */
export interface PatchSeries {
  cover: PatchMessage | null;
  /** In application order (by m of m/n). */
  patches: Patch[];
  /** Problems that did not stop parsing: a missing part, a skipped binary file. */
  warnings: string[];
}
