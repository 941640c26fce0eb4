/**
 * What patchwork shows for each kind of review (the hand-written review fixtures every renderer
 * reads): red for an added inversion, green for a removal or no change, yellow for a patch among
 * pre-existing inversions, for a size bound and for a patch that could not be reviewed.
 */
import { describe, expect, it } from 'vitest';
import { checkFor, fitDescription, MAX_DESCRIPTION } from '../../src/mail/check-state.ts';
import { loadReview } from '../render/review-fixtures.ts';

describe('checkFor', () => {
  it('maps each verdict to a patchwork state with the verdict sentence', () => {
    expect(checkFor(loadReview('adds'))).toMatchObject({ state: 'fail', description: expect.stringMatching(/^This patch adds the lock-order inversion /) });
    expect(checkFor(loadReview('mixed')).state).toBe('fail');
    expect(checkFor(loadReview('removes'))).toMatchObject({ state: 'success', description: expect.stringMatching(/^This patch removes the lock-order inversion /) });
    expect(checkFor(loadReview('no-change')).state).toBe('success');
    // No change, but a function it touches is on the chain of a pre-existing inversion: worth a look, not a failure.
    expect(checkFor(loadReview('lockdep-not-confirmed'))).toMatchObject({ state: 'warning', description: expect.stringMatching(/The code it touches has 1 pre-existing finding\.$/) });
    // A finding of another kind added is a failure too (outcome, not the inversion verdict).
    expect(checkFor(loadReview('kind-sleep-added'))).toMatchObject({ state: 'fail', description: expect.stringMatching(/^This patch adds a sleep in atomic context /) });
    expect(checkFor(loadReview('kind-leak-removed')).state).toBe('success');
    expect(checkFor(loadReview('error'))).toMatchObject({ state: 'warning', description: expect.stringMatching(/^lockscope could not review this patch: /) });
  });

  // review() reports a hit bound (context files, patch size) as TOO_LARGE.
  it('is a warning when a bound was hit', () => {
    const error = loadReview('error');
    const bound = { ...error, failure: { code: 'TOO_LARGE', message: 'context has 6000 files, over the limit of 5000; use a narrower --context' } };
    expect(checkFor(bound)).toMatchObject({ state: 'warning', description: expect.stringContaining('over the limit of 5000') });
  });

  it('keeps descriptions to one line patchwork can show', () => {
    expect(fitDescription(`a\nb  ${'x'.repeat(400)}`)).toHaveLength(MAX_DESCRIPTION);
    expect(fitDescription('a\n b')).toBe('a b');
  });
});
