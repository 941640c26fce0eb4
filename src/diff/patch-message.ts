/**
 * Turns one RFC 5322 message (a `git format-patch` / `git send-email` mail, a cover letter, a
 * review reply) into a PatchMessage: headers, kind, commit message, the inline diff byte-exact,
 * and the b4 / `git format-patch --base` trailers. mailparser does the MIME work.
 *
 * It never throws: a message that cannot be read becomes kind 'other' with a `problem`, and a
 * patch whose diff cannot be trusted (format=flowed, HTML-only, attached, undecodable) keeps
 * `diff: null` and says why in `problem`. It does not split mboxes (mbox.ts), parse the diff
 * (parse-diff-text.ts) or put a series together (patch-input.ts).
 *
 * Message ids keep their angle brackets, as mailparser gives them and as In-Reply-To wants them.
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { parseSubjectTags } from './subject-tags.ts';
import type { PatchMessage } from './types.ts';

/** Larger messages are not parsed at all. Lists cap mail far lower; this bounds a hostile input. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const DIFF_START = /^(?:diff --git |--- a\/)/;
const BASE_COMMIT = /^base-commit: ([0-9a-f]{7,64})\s*$/;
const CHANGE_ID = /^change-id: (\S{1,200})\s*$/;
const PATCH_ATTACHMENT_TYPES = new Set(['text/x-patch', 'text/x-diff', 'text/x-log']);

interface MimePart {
  type: string;
  params: Map<string, string>;
  attachment: boolean;
}

/**
 * The Content-Type of every MIME part, read from the raw header blocks (top level, then each
 * block after a known `--boundary` line). mailparser hides a nested part's `format=flowed` and
 * charset once it has decoded them; we need both to say what went wrong. Linear in the input.
 */
function mimeParts(raw: string): MimePart[] {
  const lines = raw.split(/\r?\n/);
  const parts: MimePart[] = [];
  const boundaries = new Set<string>();
  const readBlock = (from: number): number => {
    let contentType = '';
    let disposition = '';
    let current: 'ct' | 'cd' | null = null;
    let i = from;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '') break;
      if (/^[ \t]/.test(line)) {
        if (current === 'ct' && contentType.length < 4096) contentType += ` ${line.trim()}`;
        if (current === 'cd' && disposition.length < 4096) disposition += ` ${line.trim()}`;
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon > 0 && colon < 80 ? line.slice(0, colon).toLowerCase() : '';
      current = name === 'content-type' ? 'ct' : name === 'content-disposition' ? 'cd' : null;
      if (current === 'ct') contentType = line.slice(colon + 1, colon + 4096).trim();
      if (current === 'cd') disposition = line.slice(colon + 1, colon + 4096).trim();
    }
    const [type = 'text/plain', ...rest] = (contentType || 'text/plain').split(';');
    const params = new Map<string, string>();
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
    }
    const boundary = params.get('boundary');
    if (boundary) boundaries.add(`--${boundary}`);
    parts.push({ type: type.trim().toLowerCase(), params, attachment: /^\s*attachment/i.test(disposition) });
    return i;
  };
  let i = readBlock(0);
  for (; i < lines.length; i++) {
    if (boundaries.size > 0 && lines[i]!.startsWith('--') && boundaries.has(lines[i]!.trimEnd())) i = readBlock(i + 1);
  }
  return parts;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  const walk = (entries: AddressObject['value']): void => {
    for (const e of entries) {
      if (e.address) out.push(e.address);
      if (e.group) walk(e.group);
    }
  };
  for (const obj of list) walk(obj.value);
  return out;
}

/** Can this charset label be decoded at all? Node's ICU knows the WHATWG labels; UTF-7 is refused by mailparser. */
function decodable(charset: string): boolean {
  const label = charset.toLowerCase();
  if (/^(?:x-)?(?:unicode-1-1-)?utf-?7(?:-imap)?$/.test(label)) return false;
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

interface Body {
  commitMessage: string;
  diff: string | null;
  baseCommit: string | null;
  changeId: string | null;
}

/** Splits the decoded body text into commit message, inline diff and trailers (one linear pass). */
function readBody(text: string): Body {
  let pos = 0;
  let separator = -1; // offset of the first `---` line
  let diffStart = -1;
  let diffEnd = -1;
  let baseCommit: string | null = null;
  let changeId: string | null = null;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    // Only the head of a line can matter; never run a regex over a 50 MB line.
    const head = text.slice(pos, Math.min(end, pos + 256)).replace(/\r?\n$/, '');
    if (diffStart === -1) {
      if (separator === -1 && head === '---') separator = pos;
      if (DIFF_START.test(head)) diffStart = pos;
    } else if (diffEnd === -1 && (head === '-- ' || head.startsWith('base-commit: '))) {
      diffEnd = pos;
    }
    const base = head.startsWith('base-commit: ') ? BASE_COMMIT.exec(head) : null;
    if (base && baseCommit === null) baseCommit = base[1]!;
    const change = head.startsWith('change-id: ') ? CHANGE_ID.exec(head) : null;
    if (change && changeId === null) changeId = change[1]!;
    pos = end;
  }
  const messageEnd = separator !== -1 ? separator : diffStart !== -1 ? diffStart : signatureAt(text);
  return {
    commitMessage: text.slice(0, messageEnd).trim(),
    diff: diffStart === -1 ? null : text.slice(diffStart, diffEnd === -1 ? text.length : diffEnd),
    baseCommit,
    changeId,
  };
}

function signatureAt(text: string): number {
  const sig = text.startsWith('-- \n') ? 0 : text.indexOf('\n-- \n');
  return sig === -1 ? text.length : sig + (sig === 0 ? 0 : 1);
}

function looksLikeDiff(text: string): boolean {
  return /^(?:diff --git |--- a\/|@@ -\d)/m.test(text.slice(0, 1024 * 1024));
}

function otherMessage(raw: string, problem: string): PatchMessage {
  return {
    messageId: null,
    subject: '',
    tags: parseSubjectTags(''),
    from: null,
    to: [],
    cc: [],
    date: null,
    inReplyTo: null,
    references: [],
    kind: 'other',
    commitMessage: '',
    diff: null,
    baseCommit: null,
    changeId: null,
    problem,
    raw,
  };
}

/**
 * Parses and classifies one message.
 * A `[PATCH v2 1/3] x` mail with an inline diff -> `{ kind: 'patch', diff: 'diff --git ...', tags: { version: 2, index: 1, ... } }`;
 * `Re: [PATCH ...]` -> kind 'reply'; `[PATCH 0/3]` -> kind 'cover'.
 */
export async function parsePatchMessage(input: string | Buffer): Promise<PatchMessage> {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > MAX_MESSAGE_BYTES) {
    const head = typeof input === 'string' ? input.slice(0, 4096) : input.subarray(0, 4096).toString('utf8');
    const msg = otherMessage(head, `message is ${(size / 1048576).toFixed(1)} MiB, more than the ${MAX_MESSAGE_BYTES / 1048576} MiB lockscope reads; not parsed (only its first 4 KiB are kept)`);
    // The subject still names the message in warnings and replies.
    const subject = /^Subject:[ \t]*(.*)$/im.exec(head.slice(0, head.search(/\r?\n\r?\n/) >>> 0))?.[1]?.trim() ?? '';
    return { ...msg, subject, tags: parseSubjectTags(subject) };
  }
  const raw = typeof input === 'string' ? input : input.toString('utf8');
  let mail: ParsedMail;
  try {
    mail = await simpleParser(input, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
  } catch (err) {
    return otherMessage(raw, `malformed message: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return classify(mail, raw);
  } catch (err) {
    return otherMessage(raw, `malformed message: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function classify(mail: ParsedMail, raw: string): PatchMessage {
  const subject = mail.subject ?? '';
  const tags = parseSubjectTags(subject);
  const parts = mimeParts(raw);
  const textParts = parts.filter((p) => p.type === 'text/plain' && !p.attachment);
  const htmlOnly = textParts.length === 0 && parts.some((p) => p.type === 'text/html');
  // mailparser writes text for an HTML-only mail by converting the HTML; that text is not the patch.
  const text = htmlOnly ? '' : (mail.text ?? '');
  const body = readBody(text);

  const patchAttachments = mail.attachments.filter(
    (a) =>
      PATCH_ATTACHMENT_TYPES.has(a.contentType.toLowerCase()) ||
      /\.(?:patch|diff)$/i.test(a.filename ?? '') ||
      (a.contentType.startsWith('text/') && looksLikeDiff(a.content.toString('utf8'))),
  );
  const looksLikePatch = tags.isPatch || body.diff !== null || patchAttachments.length > 0 || (htmlOnly && looksLikeDiff(mail.html || ''));

  let kind: PatchMessage['kind'];
  if (tags.isReply) kind = 'reply';
  else if (tags.isPatch && tags.index === 0) kind = 'cover';
  else if (looksLikePatch && (body.diff !== null || patchAttachments.length > 0 || htmlOnly)) kind = 'patch';
  else kind = 'other';

  let problem: string | null = null;
  let diff = body.diff;
  if (kind !== 'reply' && looksLikePatch) {
    const flowed = textParts.find((p) => p.params.get('format')?.toLowerCase() === 'flowed');
    const badCharset = textParts.map((p) => p.params.get('charset')).find((c) => c !== undefined && !decodable(c));
    if (htmlOnly) {
      problem = 'HTML-only mail: patches must be sent as plain text (git send-email does this); the HTML cannot be turned back into a diff';
    } else if (flowed && body.diff !== null) {
      problem =
        'format=flowed mail: the mailer re-wrapped the body and dropped the leading space of context lines, so the diff cannot be applied; send it with git send-email or turn format=flowed off';
    } else if (badCharset !== undefined) {
      problem = `the body's charset ${JSON.stringify(badCharset)} cannot be decoded, so the diff would not be byte-exact`;
    } else if (body.diff !== null && body.diff.includes('\uFFFD')) {
      problem = 'the diff holds bytes that are not valid in the declared charset; it would not apply byte-exact';
    } else if (body.diff === null && patchAttachments.length > 0) {
      const names = patchAttachments.map((a) => a.filename ?? a.contentType).join(', ');
      problem = `the patch is sent as an attachment only (${names}); lockscope reads patches inline in the body, as git send-email sends them`;
    }
    if (problem !== null) diff = null;
  }
  if (problem === null && kind === 'other' && tags.isPatch && !tags.isReply) {
    problem = 'the subject says PATCH but the body holds no diff';
  }

  const references = mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : [mail.references];
  const from = mail.from?.value[0];
  return {
    messageId: mail.messageId ?? null,
    subject,
    tags,
    from: from ? { name: from.name ?? '', address: from.address ?? '' } : null,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    inReplyTo: mail.inReplyTo ?? null,
    references,
    kind,
    commitMessage: body.commitMessage,
    diff,
    baseCommit: body.baseCommit,
    changeId: body.changeId,
    problem,
    raw,
  };
}
