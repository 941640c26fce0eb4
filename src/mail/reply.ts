/**
 * Builds the reply mail a kernel CI robot sends into a patch's thread: plain text, inline,
 * `Re: <original subject>` (patchwork takes a mail with a diff and no Re: for a new patch),
 * In-Reply-To and References set, To the author, Cc the list and the original recipients. The
 * Message-ID is derived from the id replied to, so a resend is recognisable as the same mail.
 * It writes the RFC 5322 text; it does not decide whether to reply (ingest.ts) or send (outbox.ts).
 */
import { createHash } from 'node:crypto';
import mimeFuncs from 'nodemailer/lib/mime-funcs/index.js';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { toMailText } from './mail-text.ts';

export const MAILER = 'lockscope/0.1';

/** The parts of the message replied to that a reply needs (read from a PatchMessage). */
export interface ReplyTarget {
  messageId: string;
  subject: string;
  from: { name: string; address: string } | null;
  to: string[];
  cc: string[];
  references: string[];
}

export interface ReplyOptions {
  /** `lockscope <lockscope@example.org>` */
  from: string;
  /** Domain of the generated Message-ID; default the From address's domain. */
  messageIdDomain: string | null;
  /** The list address to Cc, when ccList is set. */
  list: string | null;
  ccList: boolean;
  ccOriginal: boolean;
  wrapColumn: number;
  /** The review row this reply reports, for X-Lockscope-Review. */
  reviewId: number | null;
  date: Date;
}

export interface OutgoingMail {
  messageId: string;
  inReplyTo: string;
  envelope: { from: string; to: string[] };
  /** The whole message, CRLF line ends. */
  raw: string;
}

/** A reply that cannot be addressed (bad From: in the config, no recipient at all) is a value, not a crash. */
export type ReplyResult = { ok: true; mail: OutgoingMail } | { ok: false; reason: string };

/** Strips the angle brackets a Message-ID header value carries: `<a@b>` -> `a@b`. */
export function bareId(id: string): string {
  return id.trim().replace(/^<|>$/g, '');
}

/**
 * The Message-ID of our reply to `repliedTo`: the same input always gives the same id.
 * `<20261123.1-1-dev@example.org>`, `lockscope.example.org` -> `<lockscope-3f2a...@lockscope.example.org>`
 */
export function replyMessageId(repliedTo: string, domain: string): string {
  const hash = createHash('sha256').update(bareId(repliedTo)).digest('hex').slice(0, 24);
  return `<lockscope-${hash}@${domain}>`;
}

/** `Re: ` + the original subject, once: replies to replies do not pile up prefixes. */
export function replySubject(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').trim();
  return /^re\s*:/i.test(s) ? s : `Re: ${s}`;
}

/** RFC 5322 date in UTC: `Mon, 23 Nov 2026 10:00:00 +0000`. */
export function mailDate(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

interface Address {
  name: string;
  address: string;
}

function parseAddresses(values: string[]): Address[] {
  const out: Address[] = [];
  for (const v of values) for (const a of addressparser(v, { flatten: true })) if (a.address.includes('@')) out.push(a);
  return out;
}

function formatAddress(a: Address): string {
  if (!a.name) return a.address;
  const name = mimeFuncs.isPlainText(a.name) ? (/[()<>[\]:;@\\,."]/.test(a.name) ? `"${a.name.replace(/["\\]/g, '\\$&')}"` : a.name) : mimeFuncs.encodeWord(a.name, 'Q', 52);
  return `${name} <${a.address}>`;
}

// Folds a header at the separators given (', ' for address lists, ' ' for ids) to stay near 78 columns.
function header(name: string, parts: string[], sep: string): string {
  const lines: string[] = [];
  let line = `${name}: `;
  parts.forEach((part, i) => {
    const piece = i < parts.length - 1 ? part + sep.trimEnd() : part;
    if (i > 0 && line.length + 1 + piece.length > 78) {
      lines.push(line.trimEnd());
      line = ` ${piece}`;
    } else line += i > 0 ? ` ${piece}` : piece;
  });
  lines.push(line);
  return lines.join('\r\n');
}

function encodeSubject(subject: string): string {
  return mimeFuncs.isPlainText(subject) ? subject : mimeFuncs.encodeWords(subject, 'Q', 52);
}

/** Builds the reply to `target` with `body` (the renderer's text); mail quirks are applied here, last. */
export function buildReply(target: ReplyTarget, body: string, options: ReplyOptions): ReplyResult {
  const from = parseAddresses([options.from])[0];
  if (!from) return { ok: false, reason: `reply From address '${options.from}' has no address` };
  const domain = options.messageIdDomain ?? from.address.split('@')[1] ?? 'lockscope.invalid';
  const messageId = replyMessageId(target.messageId, domain);
  const inReplyTo = `<${bareId(target.messageId)}>`;

  const to = target.from ? [target.from] : [];
  const seen = new Set([from.address.toLowerCase(), ...to.map((a) => a.address.toLowerCase())]);
  const cc: Address[] = [];
  const addCc = (a: Address) => {
    const k = a.address.toLowerCase();
    if (seen.has(k)) return;
    seen.add(k);
    cc.push(a);
  };
  if (options.ccList && options.list?.includes('@')) addCc({ name: '', address: options.list });
  // Reply-all, as kernel robots do: maintainers on To: of the patch are kept on Cc: of the reply.
  if (options.ccOriginal) for (const a of parseAddresses([...target.to, ...target.cc])) addCc(a);
  // A patch with no usable From: still gets its review to the list.
  const toList = to.length > 0 ? to : cc.splice(0, 1);
  if (toList.length === 0) return { ok: false, reason: `no recipient for the reply to ${inReplyTo}` };

  const references = [...target.references.map((r) => `<${bareId(r)}>`), inReplyTo].filter((r, i, all) => all.indexOf(r) === i);
  const text = toMailText(body, options.wrapColumn);
  const headers = [
    `From: ${formatAddress(from)}`,
    header('To', toList.map(formatAddress), ', '),
    ...(cc.length > 0 ? [header('Cc', cc.map(formatAddress), ', ')] : []),
    header('Subject', encodeSubject(replySubject(target.subject)).split(' '), ' '),
    `Date: ${mailDate(options.date)}`,
    `Message-ID: ${messageId}`,
    `In-Reply-To: ${inReplyTo}`,
    header('References', references, ' '),
    'MIME-Version: 1.0',
    `Content-Type: text/plain; charset=${text.encoding === '7bit' ? 'us-ascii' : 'utf-8'}`,
    `Content-Transfer-Encoding: ${text.encoding}`,
    `X-Mailer: ${MAILER}`,
    ...(options.reviewId !== null ? [`X-Lockscope-Review: ${options.reviewId}`] : []),
  ];
  const raw = `${headers.join('\r\n')}\r\n\r\n${text.text.replace(/\n/g, '\r\n')}`;
  return {
    ok: true,
    mail: { messageId, inReplyTo, envelope: { from: from.address, to: [...toList, ...cc].map((a) => a.address) }, raw },
  };
}
