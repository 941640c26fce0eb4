/**
 * The store entry for a review started from the command line (`check --db`, the example that
 * `serve` reviews on a fresh store): what the dashboard lists it as, read from the patch's own
 * mail headers when it has them. A plain text scan of the headers, not patch parsing.
 */
import { createHash } from 'node:crypto';
import type { NewReview } from '../store/types.ts';

export function cliReviewEntry(patches: readonly string[], repository: string, fallbackSubject: string, base: string | null = null): NewReview {
  const text = patches.join('\n');
  const header = (name: string): string | null => new RegExp(`^${name}: (.+)$`, 'm').exec(text)?.[1]?.trim() ?? null;
  return {
    source: 'cli',
    repository,
    subjectKey: `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`,
    subject: header('Subject') ?? fallbackSubject,
    author: header('From'),
    base,
    head: null,
    links: {},
  };
}
