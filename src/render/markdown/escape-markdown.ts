/**
 * Escaping for strings from the patch (lock, file and function names, subjects, messages) shown
 * inline in a GitHub comment: HTML is turned into entities, so `<script>` or `<details>` stays
 * text, and the characters markdown acts on (emphasis, code spans, links, table pipes,
 * headings, strikethrough) are backslash-escaped. Control characters become visible escapes, and
 * @mentions are defused.
 * Not for fenced code blocks (their content is literal; see fenced-block.ts).
 */
import { oneLine } from '../one-line.ts';

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** "<b>|x`" -> "&lt;b&gt;\\|x\\`" */
export function escapeMarkdown(untrusted: string): string {
  return oneLine(untrusted)
    .replace(/[&<>"]/g, (c) => HTML[c] as string)
    .replace(/[\\`*_[\]|~#!]/g, (c) => `\\${c}`)
    // A zero-width space after "@" keeps a subject's "@everyone" or "@maintainer" from pinging anyone.
    .replace(/@(?=[A-Za-z0-9_-])/g, '@\u200b');
}

/**
 * For text inside an HTML element such as <summary>: markup characters become numeric entities,
 * so the text is inert whether or not the viewer runs markdown inside the element.
 */
export function escapeHtml(untrusted: string): string {
  return oneLine(untrusted)
    .replace(/[&<>"'`*_[\]|~\\#!]/g, (c) => HTML[c] ?? `&#${c.charCodeAt(0)};`)
    .replace(/@(?=[A-Za-z0-9_-])/g, '@\u200b');
}
