/**
 * What the `calls` context left out, in one sentence, when its budget cut it (issue 15); nothing
 * when it did not, so a review that analyzed everything it wanted stays silent about it:
 *   "Context: the calls were followed to 400 files (9.1 MB, 25 calls deep) and the file budget
 *    ran out; 57 more were left out, the nearest: net/core/dev.c (defines dev_queue_xmit, 3 calls away), ..."
 * Words only; the choice is src/context/.
 */
import type { ContextJson } from '../context/types.ts';
import { oneLine } from './one-line.ts';

const NAMED = 3;

function why(l: NonNullable<ContextJson['left']>[number], text: (s: string) => string): string {
  const away = `${l.depth} ${l.depth === 1 ? 'call' : 'calls'} away`;
  if (l.as === 'callee') return `${text(l.path)} (defines ${text(l.of)}, ${away})`;
  if (l.as === 'caller') return `${text(l.path)} (calls ${text(l.of)}, ${away})`;
  if (l.as === 'registers') return `${text(l.path)} (registers the function of ${text(l.of)}, ${away})`;
  if (l.as === 'lock-user caller') return `${text(l.path)} (calls ${text(l.of)}, which takes a lock the patch's functions take)`;

  return `${text(l.path)} (included by ${text(l.of)})`;
}

/** The sentence, or null when nothing was cut; `text` makes untrusted parts safe for the medium. */
export function contextSentence(context: ContextJson | undefined, text: (s: string) => string = oneLine): string | null {
  if (!context?.cutBy) return null;
  const size = context.bytes >= 1024 * 1024 ? `${(context.bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(context.bytes / 1024)} kB`;
  const depth = context.depth ?? 0;
  const named = (context.left ?? []).slice(0, NAMED).map((l) => why(l, text));
  const more = context.leftCount ?? named.length;
  return (
    `Context: the calls were followed to ${context.files} files (${size}, ${depth} ${depth === 1 ? 'call' : 'calls'} deep) and the ${context.cutBy === 'files' ? 'file' : 'byte'} budget ran out; ` +
    `${more} more ${more === 1 ? 'was' : 'were'} left out, the nearest: ${named.join(', ')}.`
  );
}

/** The build the review was for (`--config`, `kernelConfig:`), or null when any build was. */
export function configSentence(context: ContextJson | undefined, text: (s: string) => string = oneLine): string | null {
  return context?.config ? `Configuration: ${text(context.config)} (#ifdef CONFIG_ follows it).` : null;
}

/**
 * The whole tree's stored graph the review was closed through, or null when none was:
 * "Context: the whole tree, through its lock-order graph (git /src/linux tree 1a2b3c,
 * 6,412 edges kept around the 12 files analysed)."
 */
export function treeGraphSentence(context: ContextJson | undefined, text: (s: string) => string = oneLine): string | null {
  const g = context?.treeGraph;
  if (!g) return null;
  const replaced = g.replaced ? `; ${g.replaced.toLocaleString('en-US')} made only in those files were taken from their own analysis` : '';
  return `Context: the whole tree, through its lock-order graph (${text(g.source)}): ${g.kept.toLocaleString('en-US')} ${g.kept === 1 ? 'edge' : 'edges'} kept around the ${context.files} files analysed${replaced}.`;
}
