/**
 * The `json` renderer: exactly the lockscope.review/2 document (analysis/1 for `analyze`),
 * two-space indented, one trailing newline. Witness steps are structured; each also gets the
 * `what` sentence /1 promised ("acquires device_domain_lock"). Nothing is reordered; tools parse
 * this, people read the other formats.
 */
import type { AnalysisJson, ChainStep } from '../../analyzers/report-types.ts';
import type { Review } from '../../review-types.ts';
import { withWhat } from '../step-text.ts';

const isStep = (v: unknown): v is ChainStep => typeof v === 'object' && v !== null && 'op' in v && 'function' in v && 'line' in v && !Array.isArray(v);

function replacer(_key: string, value: unknown): unknown {
  return isStep(value) ? withWhat(value) : value;
}

/** Review -> its JSON document + "\n". */
export function renderJson(review: Review): string {
  return `${JSON.stringify(review.json, replacer, 2)}\n`;
}

/** `lockscope analyze --format json`. */
export function renderAnalysisJson(json: AnalysisJson): string {
  return [...analysisJsonChunks(json)].join('');
}

/**
 * The same text as `renderAnalysisJson`, in pieces of one array element each: a whole kernel's
 * analysis is larger than the longest string V8 can hold, so the CLI writes it piece by piece.
 */
export function* analysisJsonChunks(json: AnalysisJson): Generator<string> {
  const keys = Object.keys(json) as (keyof AnalysisJson)[];
  yield '{';
  for (const [i, key] of keys.entries()) {
    const value: unknown = json[key];
    const sep = i < keys.length - 1 ? ',' : '';
    if (!Array.isArray(value) || value.length === 0) {
      yield `\n  ${JSON.stringify(key)}: ${indented(JSON.stringify(value, replacer, 2), '  ')}${sep}`;
      continue;
    }
    yield `\n  ${JSON.stringify(key)}: [`;
    for (const [j, item] of value.entries()) yield `\n    ${indented(JSON.stringify(item, replacer, 2), '    ')}${j < value.length - 1 ? ',' : ''}`;
    yield `\n  ]${sep}`;
  }
  yield '\n}\n';
}

const indented = (text: string, pad: string): string => text.replaceAll('\n', `\n${pad}`);

