/**
 * Which list a message came through, read from the raw headers the parsed PatchMessage does not
 * keep: List-Post's mailto address (what replies should Cc), else List-Id. The caller falls back
 * to To: and `--list` wins over all of them. It does not parse bodies or decode encoded words.
 */

// Headers end at the first empty line; unfold continuation lines (RFC 5322 2.2.3).
function headerValue(raw: string, name: string): string | null {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const re = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im');
  return re.exec(head)?.[1]?.trim() ?? null;
}

/**
 * The list address of a raw message, or null.
 * `List-Post: <mailto:linux-foo@vger.kernel.org>` -> `linux-foo@vger.kernel.org`;
 * `List-Id: Foo list <linux-foo.vger.kernel.org>` -> `linux-foo.vger.kernel.org`
 */
export function listAddress(raw: string): string | null {
  const post = headerValue(raw, 'List-Post');
  const mailto = post ? /<mailto:([^>?\s]+)/i.exec(post)?.[1] : undefined;
  if (mailto) return mailto.toLowerCase();
  const id = headerValue(raw, 'List-Id');
  const bracketed = id ? /<([^>\s]+)>/.exec(id)?.[1] : undefined;
  return bracketed ? bracketed.toLowerCase() : null;
}
