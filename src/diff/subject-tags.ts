/**
 * Reads the bracketed prefix of a patch subject: `[PATCH v2 3/5] x: fix y`, `[RFC PATCH net-next
 * v3 0/2] ...`, `Re: [PATCH] ...`. It only reads the words; it does not decide whether a message
 * carries a diff (patch-message.ts does, from the body).
 */
import type { SubjectTags } from './types.ts';

// Subjects are one header line; anything longer is junk we still want to read in linear time.
const MAX_SUBJECT = 4096;

// Re:, Aw: (German), Sv: (Nordic), Antw: (Dutch); repeated in long threads ("Re: Re: [PATCH]").
const REPLY_PREFIX = /^(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:\s*/i;
const BRACKET_GROUP = /^\[([^\]]*)\]\s*/;

/**
 * Parses the tags of a subject line.
 * `[PATCH v2 3/5] iommu: fix x` -> `{ isPatch: true, isReply: false, version: 2, index: 3, total: 5, title: 'iommu: fix x' }`
 */
export function parseSubjectTags(subject: string): SubjectTags {
  let rest = subject.slice(0, MAX_SUBJECT).replace(/\s+/g, ' ').trim();
  let isReply = false;
  let isPatch = false;
  let version = 1;
  let index: number | null = null;
  let total: number | null = null;

  // Replies and bracket groups may interleave ("[net] Re: [PATCH]"): peel both until neither matches.
  for (;;) {
    const reply = REPLY_PREFIX.exec(rest);
    if (reply) {
      isReply = true;
      rest = rest.slice(reply[0].length);
      continue;
    }
    const group = BRACKET_GROUP.exec(rest);
    if (!group) break;
    rest = rest.slice(group[0].length);
    for (const word of (group[1] ?? '').split(/[\s,]+/)) {
      if (/^(?:patch|rfc)$/i.test(word)) isPatch = true;
      const v = /^v(\d{1,4})$/i.exec(word);
      if (v) version = Number(v[1]);
      const mn = /^(\d{1,5})\/(\d{1,5})$/.exec(word);
      if (mn) {
        index = Number(mn[1]);
        total = Number(mn[2]);
      }
    }
  }
  return { isPatch, isReply, version, index, total, title: rest.trim() };
}
