/** Why a cycle is of low confidence, in the words every medium uses (src/render/confidence-words.ts). */
import { describe, expect, it } from 'vitest';
import { confidenceSuffix, lowBecause } from '../../src/render/confidence-words.ts';

describe('lowBecause', () => {
  it('names each reason a cycle is low, and nothing for a high one', () => {
    expect(lowBecause({ confidence: { level: 'high', longestChain: 3, indirectCalls: 1 } })).toBe('');
    expect(lowBecause({ confidence: { level: 'low', longestChain: 7, indirectCalls: 2 } })).toBe('a witness of 7 steps and 2 calls through function pointers');
    expect(lowBecause({ confidence: { level: 'low', longestChain: 3, indirectCalls: 0, onZero: 1 } })).toBe('a lock taken only when a reference count drops to zero');
    expect(confidenceSuffix({ confidence: { level: 'low', longestChain: 6, indirectCalls: 0, onZero: 1 } })).toBe(' (low confidence: a witness of 6 steps and a lock taken only when a reference count drops to zero)');
  });
});
