/**
 * The name to greet a patch author by, from a From: value such as
 * `"Jane Q. Doe" <jane@example.org>`. A bare address gets no greeting: "Hi jane@example.org,"
 * reads like a form letter. Not an RFC 5322 parser: the mail front end already parsed the header.
 */
import { oneLine } from '../one-line.ts';

/** `"Doe, Jane" <j@x.org>` -> "Doe, Jane"; "j@x.org" -> null; null -> null. */
export function authorName(author: string | null | undefined): string | null {
  if (!author) return null;
  const name = author
    .replace(/<[^>]*>/g, '')
    .replace(/\([^)]*\)/g, '')
    .trim()
    .replace(/^"([\s\S]*)"$/, '$1')
    .replace(/\\(.)/g, '$1')
    .trim();
  if (name === '' || name.includes('@')) return null;
  return oneLine(name);
}
