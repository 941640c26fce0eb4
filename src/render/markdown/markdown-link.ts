/**
 * A markdown link to a URL a front end built (often with a file path from the patch inside):
 * only http(s) URLs become links, and the characters that would end or break the link
 * destination are percent-encoded. Anything else is shown as the bare (escaped) text.
 */

/** ("a.c:3", "https://x/a b") -> "[a.c:3](https://x/a%20b)"; `text` must already be escaped. */
export function markdownLink(text: string, url: string | undefined): string {
  if (!url || !/^https?:\/\//i.test(url)) return text;
  // eslint-disable-next-line no-control-regex
  const safe = url.replace(/[\u0000-\u0020()<>"'`|\\\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${text}](${safe})`;
}
