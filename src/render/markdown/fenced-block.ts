/**
 * A fenced code block whose fence cannot be closed early by its content: the fence is one
 * backtick longer than the longest backtick run inside (CommonMark 4.5), so a lock name holding
 * ``` cannot end the block and inject markdown after it.
 */

/** ["a", "b"] -> "```text\na\nb\n```" (longer fence when the lines hold backtick runs). */
export function fencedBlock(lines: readonly string[], info = 'text'): string {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, ...lines, fence].join('\n');
}
