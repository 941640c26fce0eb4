/**
 * Which of some macro names the tree's texts define: a `#define NAME` in a source file, or
 * `-DNAME` passed by a Makefile. Every file of a kernel tree is read for them, so each file is
 * scanned once for all the names (by hash, word by word) and a mention is judged by what stands
 * before it; asking each file whether it holds each name (`text.includes`) took most of the tree
 * scan of `analyze drivers/net` (hundreds of names, 31,000 files).
 */
import { WordScanner } from './word-scan.ts';

export class DefinedMacros {
  readonly named = new Set<string>();
  private readonly scanner: WordScanner;
  /** `DUSE_DMA` -> `USE_DMA`: the word `-DUSE_DMA` makes. */
  private readonly flagged = new Map<string, string>();
  private readonly names: ReadonlySet<string>;

  constructor(names: readonly string[]) {
    this.names = new Set(names);
    for (const n of this.names) this.flagged.set(`D${n}`, n);
    this.scanner = new WordScanner([...this.names, ...this.flagged.keys()]);
  }

  /** Whether every name has been found defined. */
  get done(): boolean {
    return this.named.size === this.names.size;
  }

  /** Notes the names `text` defines. */
  note(text: string): void {
    if (this.done) return;
    this.scanner.scan(text, (word, at) => {
      const flag = this.flagged.get(word);
      if (flag !== undefined && !this.named.has(flag) && text[at - 1] === '-') this.named.add(flag);
      if (this.names.has(word) && !this.named.has(word) && definedAt(text, at)) this.named.add(word);
      return this.done;
    });
  }
}

/** `#define NAME` or `-D NAME` ends just before `at` (spaces allowed where the preprocessor and make allow them). */
function definedAt(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i] as string)) i--;
  if (text[i] === 'D' && text[i - 1] === '-') return true;
  if (i === at - 1 || !text.startsWith('define', i - 5)) return false;
  i -= 6;
  while (i >= 0 && /\s/.test(text[i] as string)) i--;
  return text[i] === '#';
}
