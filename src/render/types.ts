/**
 * A renderer turns a Review into neutral text for one medium. Platform quirks (GitHub's size
 * limits, mail line wrapping) are applied later by the front end, not here.
 */
import type { Review } from '../review-types.ts';

export type Format = 'text' | 'markdown' | 'json' | 'sarif' | 'email' | 'checkpatch';

export interface RenderOptions {
  /** Link to a line of the code: side 'base' for removed inversions, 'head' for added ones. */
  lineUrl?: (file: string, line: number, side: 'base' | 'head') => string | undefined;
  /** Public URL of this review on the dashboard, when configured. */
  dashboardUrl?: string;
  /** Mail: the `| Reported-by:` tag's value, `lockscope <lockscope@example.org>`. */
  reportedBy?: string;
  /** Mail: the `| Closes:` link (the archive's URL of this reply); else the dashboard URL. */
  closesUrl?: string;
  /** Mail: the command that reproduces the review; else one built from the patch's Message-Id and the base commit. */
  reproduce?: string;
  /** Mail: this is the cover letter's reply (a summary of the series, patch by patch). */
  cover?: boolean;
}

export type Renderer = (review: Review, options?: RenderOptions) => string;
