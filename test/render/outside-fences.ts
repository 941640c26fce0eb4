/** Test helper: the part of a markdown document GitHub parses as markdown and HTML (fenced code removed). */

/** Markdown with fenced code blocks removed: what GitHub would parse as markdown and HTML. */
export function outsideFences(md: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of md.split('\n')) {
    const m = /^(`{3,})/.exec(line);
    if (fence === null && m) fence = m[1] as string;
    else if (fence !== null && line === fence) fence = null;
    else if (fence === null) out.push(line);
  }
  return out.join('\n');
}
