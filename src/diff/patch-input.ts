/**
 * Turns what a user or a front end hands us (a `git diff`, `diff -u` or `git show` output, one
 * `git format-patch` mail, or an mbox holding a series in any order) into one PatchSeries in
 * application order. It does not apply anything (snapshot.ts) and does not fetch anything.
 *
 * Rules, as a maintainer applying a series with `git am` would want them:
 *   - mail parts are ordered by m of m/n; unnumbered patches and plain diffs keep their place;
 *   - the `[PATCH 0/n]` cover letter goes to `cover`; replies and other mail are skipped (warned);
 *   - v1 and v2 parts together are refused (which one did you mean?); a missing part is a warning;
 *   - a patch mail whose diff cannot be trusted (format=flowed, attached, HTML) is refused;
 *   - `base-commit:` is written once per series by `git format-patch --base`: every patch gets it.
 */
import { splitMbox } from './mbox.ts';
import { parseDiffText } from './parse-diff-text.ts';
import { parsePatchMessage } from './patch-message.ts';
import type { FilePatch, Patch, PatchMessage, PatchSeries } from './types.ts';

export type PatchInputResult = { ok: true; series: PatchSeries } | { ok: false; reason: string };

interface Entry {
  patch: Patch;
  version: number | null;
  index: number | null;
  total: number | null;
}

/** A mail starts with header lines and names a From or Subject before its first blank line. */
function looksLikeMail(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  const end = head.search(/\r?\n\r?\n/);
  const block = end === -1 ? head : head.slice(0, end);
  return /^[\x21-\x39\x3b-\x7e]+:/.test(block) && /^(?:subject|from):/im.test(block);
}

/** Splits `git show` / `git log -p` output into its commits: message (de-indented), author, diff. */
function gitShowCommits(text: string): { message: string; author: string | null; diff: string }[] | null {
  if (!/^commit [0-9a-f]{7,64}\b/.test(text)) return null;
  const chunks = text.split(/^(?=commit [0-9a-f]{7,64}\b)/m);
  return chunks.map((chunk) => {
    const lines = chunk.split('\n');
    let i = 1;
    let author: string | null = null;
    for (; i < lines.length && lines[i] !== ''; i++) {
      const a = /^Author:\s+(.*)$/.exec(lines[i]!);
      if (a) author = a[1]!.trim();
    }
    const message: string[] = [];
    for (; i < lines.length && (lines[i] === '' || lines[i]!.startsWith('    ')); i++) message.push(lines[i]!.slice(4));
    return { message: message.join('\n').trim(), author, diff: lines.slice(i).join('\n') };
  });
}

function binaryWarnings(files: FilePatch[], where: string): string[] {
  return files.filter((f) => f.binary).map((f) => `${where}: binary change to ${f.newPath ?? f.oldPath} is not applied (its content is unknown)`);
}

function describe(msg: PatchMessage): string {
  return msg.subject ? JSON.stringify(msg.subject) : (msg.messageId ?? 'a message without subject');
}

/** `In-body From:` overrides the sender, as `git am` reads it (someone sent another's patch). */
function authorOf(msg: PatchMessage): string | null {
  const inBody = /^From:\s*(.+)$/m.exec(msg.commitMessage.split('\n\n', 1)[0] ?? '');
  if (inBody) return inBody[1]!.trim();
  if (!msg.from) return null;
  return msg.from.name ? `${msg.from.name} <${msg.from.address}>` : msg.from.address;
}

/**
 * Parses the inputs into one series.
 * `[mbox with 0/3, 2/3, 3/3, 1/3]` -> `{ ok: true, series: { cover: <0/3>, patches: [1/3, 2/3, 3/3], warnings: [] } }`
 */
export async function parsePatchInput(inputs: string[]): Promise<PatchInputResult> {
  const entries: Entry[] = [];
  const warnings: string[] = [];
  let cover: PatchMessage | null = null;
  const skipped: string[] = [];

  for (let n = 0; n < inputs.length; n++) {
    const input = inputs[n]!;
    const where = inputs.length > 1 ? `input ${n + 1}` : 'input';
    const messages = splitMbox(input);
    const isMail = messages.length > 1 || input.trimStart().startsWith('From ') || looksLikeMail(input);

    if (!isMail) {
      const commits = gitShowCommits(input) ?? [{ message: '', author: null, diff: input }];
      for (const commit of commits) {
        const parsed = parseDiffText(commit.diff);
        if (!parsed.ok) {
          if (parsed.reason === 'no diff found') continue;
          return { ok: false, reason: `${where}: ${parsed.reason}` };
        }
        const preamble = commit.message || commit.diff.slice(0, Math.max(0, commit.diff.search(/^(?:diff --git |--- )/m))).trim();
        const subject = commit.message ? (commit.message.split('\n', 1)[0] ?? null) : null;
        warnings.push(...binaryWarnings(parsed.files, where));
        entries.push({
          patch: { subject, messageId: null, author: commit.author, commitMessage: preamble, baseCommit: null, files: parsed.files },
          version: null,
          index: null,
          total: null,
        });
      }
      continue;
    }

    for (const raw of messages) {
      const msg = await parsePatchMessage(raw);
      if (msg.kind === 'cover') {
        if (cover) warnings.push(`${where}: a second cover letter ${describe(msg)} is ignored`);
        else cover = msg;
        continue;
      }
      if (msg.kind === 'reply' || msg.kind === 'other') {
        skipped.push(`${msg.kind === 'reply' ? 'a reply' : 'a message that is not a patch'} (${describe(msg)}${msg.problem ? `: ${msg.problem}` : ''})`);
        continue;
      }
      if (msg.problem !== null || msg.diff === null) {
        return { ok: false, reason: `${describe(msg)}: ${msg.problem ?? 'no inline diff'}` };
      }
      const parsed = parseDiffText(msg.diff);
      if (!parsed.ok) return { ok: false, reason: `${describe(msg)}: ${parsed.reason}` };
      warnings.push(...binaryWarnings(parsed.files, describe(msg)));
      entries.push({
        patch: {
          subject: msg.subject,
          messageId: msg.messageId,
          author: authorOf(msg),
          commitMessage: msg.commitMessage,
          baseCommit: msg.baseCommit,
          files: parsed.files,
        },
        version: msg.tags.version,
        index: msg.tags.index,
        total: msg.tags.total,
      });
    }
  }

  if (entries.length === 0) {
    return { ok: false, reason: `no patch found in input${skipped.length || cover ? ` (found ${[...(cover ? ['a cover letter'] : []), ...skipped].join('; ')})` : ''}` };
  }
  for (const s of skipped) warnings.push(`skipped ${s}`);

  const versions = new Set(entries.filter((e) => e.version !== null).map((e) => e.version));
  if (cover) versions.add(cover.tags.version);
  if (versions.size > 1) {
    const byVersion = [...versions]
      .sort((a, b) => a! - b!)
      .map((v) => {
        const parts = entries.filter((e) => e.version === v).map((e) => (e.index !== null ? `${e.index}/${e.total}` : 'unnumbered'));
        if (cover?.tags.version === v) parts.unshift('cover');
        return `v${v} (${parts.join(', ')})`;
      });
    return { ok: false, reason: `the input mixes versions of the series: ${byVersion.join(' and ')}; pass one version` };
  }

  // Numbered parts are sorted among the slots numbered parts hold; everything else keeps its place.
  const slots = entries.map((e, i) => (e.index !== null ? i : -1)).filter((i) => i !== -1);
  const numbered = slots.map((i) => entries[i]!).sort((a, b) => a.index! - b.index!);
  slots.forEach((slot, k) => (entries[slot] = numbered[k]!));
  for (let k = 1; k < numbered.length; k++) {
    if (numbered[k]!.index === numbered[k - 1]!.index) {
      return { ok: false, reason: `two messages claim to be part ${numbered[k]!.index}/${numbered[k]!.total}: ${JSON.stringify(numbered[k - 1]!.patch.subject)} and ${JSON.stringify(numbered[k]!.patch.subject)}` };
    }
  }
  const total = cover?.tags.total ?? numbered.find((e) => e.total !== null)?.total ?? null;
  if (total !== null && numbered.length > 0) {
    const have = new Set(numbered.map((e) => e.index));
    const missing: number[] = [];
    for (let m = 1; m <= total && missing.length < 20; m++) if (!have.has(m)) missing.push(m);
    if (missing.length > 0) warnings.push(`part${missing.length > 1 ? 's' : ''} ${missing.map((m) => `${m}/${total}`).join(', ')} of the series ${missing.length > 1 ? 'are' : 'is'} missing`);
  }

  const base = entries.find((e) => e.patch.baseCommit !== null)?.patch.baseCommit ?? cover?.baseCommit ?? null;
  const patches = entries.map((e) => (e.patch.baseCommit === null && base !== null ? { ...e.patch, baseCommit: base } : e.patch));
  return { ok: true, series: { cover, patches, warnings } };
}
