import { describe, expect, it } from 'vitest';
import { WordScanner } from '../../src/commands/word-scan.ts';

const hits = (words: string[], text: string): [string, number][] => {
  const out: [string, number][] = [];
  new WordScanner(words).scan(text, (w, at) => void out.push([w, at]));
  return out;
};

/** What `\b(?:w1|w2|...)\b` finds: the scanner must agree with it. */
const byRegExp = (words: string[], text: string): [string, number][] =>
  [...text.matchAll(new RegExp(`\\b(?:${words.join('|')})\\b`, 'g'))].map((m) => [m[0], m.index]);

describe('WordScanner', () => {
  it('finds whole words only, with their index', () => {
    const text = 'foo(); foobar(); xfoo; foo_bar; _foo; foo\n\tbar->foo = 1;';
    expect(hits(['foo', 'bar'], text)).toEqual([['foo', 0], ['foo', text.indexOf('foo\n')], ['bar', text.indexOf('bar->')], ['foo', text.indexOf('foo =')]]);
  });

  it('agrees with the alternation it replaces, prefixes and digits included', () => {
    const words = ['a1', 'lock', 'lock_irq', 'x', 'spin_lock', '__init'];
    const text = 'spin_lock(&l); spin_lock_irq(&l); lock_irq; a1b a1 1a1 x1 x; é x __init\u00e9 lockä';
    expect(hits(words, text)).toEqual(byRegExp(words, text));
  });

  it('agrees with it for many words too (hashed, not an alternation)', () => {
    const words = ['a1', 'lock', 'lock_irq', 'x', 'spin_lock', '__init', ...Array.from({ length: 40 }, (_, i) => `w${i}`)];
    const text = 'spin_lock(&l); spin_lock_irq(&l); lock_irq; a1b a1 1a1 x1 x; é x __init\u00e9 lockä w3 w39 w40 w3x';
    expect(hits(words, text)).toEqual(byRegExp(words, text));
    expect(hits(words, text).map(([w]) => w)).toContain('w39');
  });

  it('tells whether a text mentions one of the words, and stops when asked', () => {
    const s = new WordScanner(['ops_table']);
    expect(s.test('static struct ops *t = &ops_table;')).toBe(true);
    expect(s.test('ops_tables and my_ops_table')).toBe(false);
    const seen: string[] = [];
    new WordScanner(['a', 'b']).scan('a b a b', (w) => (seen.push(w), seen.length === 3));
    expect(seen).toEqual(['a', 'b', 'a']);
    seen.length = 0;
    const many = ['a', 'b', ...Array.from({ length: 40 }, (_, i) => `w${i}`)];
    new WordScanner(many).scan('a b a b', (w) => (seen.push(w), seen.length === 3));
    expect(seen).toEqual(['a', 'b', 'a']);
  });

  it('keeps only C identifiers: anything else never matches', () => {
    const s = new WordScanner(['', 'a-b', 'ok']);
    expect(hits(['', 'a-b', 'ok'], 'a-b ok')).toEqual([['ok', 4]]);
    expect(s.empty).toBe(false);
    expect(new WordScanner(['a.b']).empty).toBe(true);
  });
});
