/**
 * Finding which of many names a tree's texts mention. A regular expression alternating thousands
 * of names (`\b(?:a|b|...)\b`) tries every one at every position: on Linux 3.0 it took most of
 * `analyze kernel/`'s time. Here each word of the text (`\w+`, as `\b` delimits it) is hashed as it
 * is read and a name is compared only when the hash matches: one pass, no string per word.
 * For a few names (the pieces a macro paste would need, one table's name) the alternation is the
 * faster one: irregexp skips ahead by the names' letters where this loop reads every character
 * (Linux 3.0's 387 MB of C: 6 names 0.6 s against 2.4 s).
 */

/** Up to this many names, an alternation; past it, the hashes. */
const FEW = 16;

/** Codes of `\w` characters (`[A-Za-z0-9_]`), the word characters of `\b`. */
const WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORD[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 ? 1 : 0;

const isWord = (c: number): boolean => c < 128 && WORD[c] === 1;

function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export class WordScanner {
  private readonly byHash = new Map<number, string[]>();
  private readonly few: RegExp | undefined;

  /** `words` must be made of `\w` characters (C identifiers): any other never matches. */
  constructor(words: Iterable<string>) {
    const kept: string[] = [];
    for (const w of new Set(words)) {
      if (w === '' || ![...w].every((ch) => isWord(ch.charCodeAt(0)))) continue;
      kept.push(w);
      const h = hashOf(w);
      const same = this.byHash.get(h);
      if (same) same.push(w);
      else this.byHash.set(h, [w]);
    }
    // Whole words only: at one index at most one name can match between two \b.
    if (kept.length > 0 && kept.length <= FEW) this.few = new RegExp(`\\b(?:${kept.join('|')})\\b`, 'g');
  }

  get empty(): boolean {
    return this.byHash.size === 0;
  }

  /** Each whole-word occurrence of one of the words in `text`, in order, with its index; `hit` returning true stops the scan. */
  scan(text: string, hit: (word: string, at: number) => boolean | void): void {
    if (this.byHash.size === 0) return;
    if (this.few) {
      // A copy per scan: a hit may start another scan with this scanner.
      const re = new RegExp(this.few);
      for (let m = re.exec(text); m; m = re.exec(text)) if (hit(m[0], m.index) === true) return;
      return;
    }
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (!isWord(text.charCodeAt(i))) {
        i++;
        continue;
      }
      let h = 0;
      let j = i;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (!isWord(c)) break;
        h = (Math.imul(h, 31) + c) | 0;
      }
      const same = this.byHash.get(h);
      if (same) {
        const w = text.slice(i, j);
        if (same.includes(w) && hit(w, i) === true) return;
      }
      i = j;
    }
  }

  /** Whether `text` mentions one of the words. */
  test(text: string): boolean {
    let any = false;
    this.scan(text, () => (any = true));
    return any;
  }
}
