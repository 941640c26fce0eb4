/**
 * Which base a review read and how it was chosen, in words (issue 13: every format says it):
 *   "Base: git 1a2b3c4d5e6f (the patch's base-commit: trailer)."
 *   "Base: git 1a2b3c4d5e6f (HEAD, the default). Note: the patch's base-commit: ... is not in ..."
 *   "Base: git 0f1e2d3c4b5a (the parent of 1a2b3c4d5e6f, the commit this patch already is)."
 * and the short form a one-line format appends: "base git 1a2b3c4d5e6f (--rev v6.1)".
 * Words only; the choice is the front end's (src/commands/choose-base.ts).
 */
import type { BaseUsedJson } from '../review-types.ts';
import { oneLine } from './one-line.ts';

function how(base: BaseUsedJson): string {
  const rev = oneLine(base.rev ?? '');
  switch (base.chosenBy) {
    case 'rev':
      return `--rev ${rev}`;
    case 'trailer':
      return "the patch's base-commit: trailer";
    case 'patch-commit':
      return `the parent of ${rev.replace(/\^$/, '').slice(0, 12)}, the commit this patch already is`;
    case 'default':
      return `${rev}, the default`;
    case 'dir':
      return 'the directory given with --base';
    default:
      // A stored review from a newer version: say what we can.
      return 'chosen by the front end';
  }
}

/** The full sentence, with the note when there is one; `text` makes untrusted parts safe for the medium. */
export function baseSentence(base: BaseUsedJson, text: (s: string) => string = oneLine): string {
  const note = base.note ? ` Note: ${text(base.note)}.` : '';
  return `Base: ${text(base.tree)} (${text(how(base))}).${note}`;
}

/** The short form, without the note: "base git 1a2b3c4d5e6f (--rev v6.1)". */
export function baseTag(base: BaseUsedJson): string {
  return `base ${oneLine(base.tree)} (${how(base)})`;
}
