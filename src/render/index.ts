/**
 * The renderer registry: one entry per output format, looked up by front ends
 * (`renderers.get(format)`), plus the `lockscope analyze` text output. Adding a format means a
 * folder here and one line in this map; the shared conformance suite then runs it.
 */
import { renderCheckpatch } from './checkpatch/render-checkpatch.ts';
import { renderEmail } from './email/render-email.ts';
import { renderJson } from './json/render-json.ts';
import { renderMarkdown } from './markdown/render-markdown.ts';
import { renderSarif } from './sarif/render-sarif.ts';
import { renderText } from './text/render-text.ts';
import type { Format, Renderer } from './types.ts';

export { renderAnalysisText } from './text/render-analysis-text.ts';
export { renderAnalysisJson } from './json/render-json.ts';
export type { Format, RenderOptions, Renderer } from './types.ts';

export const renderers: ReadonlyMap<Format, Renderer> = new Map<Format, Renderer>([
  ['text', renderText],
  ['markdown', renderMarkdown],
  ['json', renderJson],
  ['sarif', renderSarif],
  ['email', renderEmail],
  ['checkpatch', renderCheckpatch],
]);
