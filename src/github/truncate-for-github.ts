/**
 * GitHub's size limit on comment bodies and check run summary/text, applied last, after the
 * renderer wrote neutral markdown (house style: platform quirks belong to the front end).
 */

/** Characters GitHub accepts in a comment body and in each check run output field. */
export const GITHUB_TEXT_LIMIT = 65_535;

/**
 * `text` when it fits in `limit`; otherwise cut at a line end, an open code fence closed, and
 * `note` appended, the whole within `limit`.
 */
export function truncateForGitHub(text: string, note: string, limit = GITHUB_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const tail = `\n\n${note}`;
  // Room for the note, a closing fence and the newline before it.
  let keep = text.slice(0, Math.max(0, limit - tail.length - 5));
  const lastNewline = keep.lastIndexOf('\n');
  if (lastNewline > keep.length / 2) keep = keep.slice(0, lastNewline);
  // Never leave half a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(keep)) keep = keep.slice(0, -1);
  const fences = keep.split('\n').filter((l) => /^\s*```/.test(l)).length;
  if (fences % 2 === 1) keep += '\n```';
  return `${keep}${tail}`.slice(0, limit);
}
